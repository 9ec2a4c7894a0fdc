"""The margin column: a header's two columns are read apart, a table of counts under them stays
whole (its cells are spread as widely as the gap between the columns)."""
from __future__ import annotations

from pipeline.read.layout import Box, find_margin_column

A4 = (595.0, 842.0)


def _line(top: float, *cells: tuple[float, float]) -> list[Box]:
    return [Box(x0, x1, top, top + 10, 3) for x0, x1 in cells]


# Letterhead on the left, the register's heading on the right, their lines not level (as read
# from varied_029: the right-hand lines sit a few points lower).
HEADER = [
    *_line(65, (72, 205)),                  # RÉPUBLIQUE FRANÇAISE
    *_line(68.5, (316, 489)),               # EXTRAIT DU REGISTRE DES
    *_line(82, (72, 202), (351, 454)),      # Département de la Haute-Savoie      DELIBERATIONS
    *_line(95, (72, 222)),                  # Arrondissement de Thonon-les-Bains
    *_line(100, (332, 473)),                # DU CONSEIL MUNICIPAL
    *_line(111, (72, 241)),                 # Commune de Lanvallon-d'Azergues
    *_line(126, (72, 185)),                 # 7 rue de la République – 74957
    *_line(137, (72, 185)),                 # LANVALLON-D'AZERGUES
]
# En exercice | Présents | Représentés | Votants, then 19 | 16 | 3 | 19: evenly spread cells.
COUNTS = [
    *_line(164, (75, 124), (167, 203), (260, 311), (352, 385)),
    *_line(182, (76, 85), (168, 177), (260, 264), (353, 361)),
]
BODY = [box for i in range(20) for box in _line(210 + 14 * i, (72, 520))]


def test_reader_layout_a_row_of_cells_is_not_cut_by_the_header_columns():
    column = find_margin_column(HEADER + COUNTS + BODY, *A4)
    assert column is None or column.bottom < 164


def test_reader_layout_a_margin_column_beside_the_body_is_still_found():
    margin = [box for i in range(4) for box in _line(210 + 14 * i, (72, 150))]  # OBJET : / N° …
    body = [box for i in range(20) for box in _line(210 + 14 * i, (180, 520))]
    column = find_margin_column(margin + body, *A4)
    assert column is not None and 150 < column.gutter < 180
