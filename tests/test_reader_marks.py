"""Marks below the baseline survive the reader: pdfium's text is asked line by line over boxes
inset against tight leading, and an underscore is a sliver at the very bottom of its line."""
from __future__ import annotations

import pytest

from pipeline.read.pdf import read_pages


def _pdf(path, lines: list[list[tuple[str, int, str]]], leading: float) -> None:
    """One page: each line a list of (font, size, text) runs on one baseline, `leading` apart."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    y = 760.0
    for runs in lines:
        x = 72.0
        for font, size, text in runs:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
            x += canvas.stringWidth(text, font, size)
        y -= leading
    canvas.save()


def _text(path) -> str:
    return "\n".join(page.text for page in read_pages(path, path.read_bytes(), engine="pdfium", ocr="never"))


def test_reader_marks_underscore_of_a_number_beside_a_larger_label(tmp_path):
    # The bold label makes the line taller, so the bottom inset grows past the underscore's height.
    path = tmp_path / "numero.pdf"
    _pdf(path, [[("Helvetica-Bold", 13, "DÉLIBÉRATION "), ("Helvetica", 10, "N°B2023_88")],
                [("Helvetica", 10, "Objet : Convention avec la Caisse d'allocations familiales")]], leading=24)
    assert "DÉLIBÉRATION N°B2023_88" in _text(path)


@pytest.mark.parametrize("leading", [11.5, 12])
def test_reader_marks_tight_leading_keeps_each_line_to_itself(tmp_path, leading):
    # Accented capitals under an underscored line reach up into its box: they stay on their line.
    path = tmp_path / "serre.pdf"
    lines = [[("Helvetica", 10, "Référence DEL_2024_13 du registre")],
             [("Helvetica", 10, "ÉTAT ÀÉÈ Ô des délibérations")],
             [("Helvetica", 10, "Fichier acte_2024_13.pdf transmis")],
             [("Helvetica", 10, "ÉÉÉ ÂÂÂ fin")]]
    _pdf(path, lines, leading=leading)
    assert [line for line in _text(path).split("\n") if line] == [
        "Référence DEL_2024_13 du registre", "ÉTAT ÀÉÈ Ô des délibérations",
        "Fichier acte_2024_13.pdf transmis", "ÉÉÉ ÂÂÂ fin"]
