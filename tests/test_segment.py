"""Splitting one PDF into its deliberations: a new header block starts a new deliberation, at the
top of a page or lower on it once the one before has reached its decision."""
from __future__ import annotations

from models.records import PageText
from pipeline.segment import is_extract_series, split_deliberations, whole_pages

FIRST = ("Commune de Montcel\nEXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL\n"
         "Séance du 11 avril 2023\nDélibération n° 2023-014\nObjet : Subvention au comité des fêtes\n"
         "Le Conseil municipal, après en avoir délibéré, à l'unanimité, ATTRIBUE 800 €.\n"
         "Pour extrait conforme, le Maire")
SECOND = ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL\nSéance du 11 avril 2023\n"
          "Délibération n° 2023-015\nObjet : Tarif des concessions\n"
          "Le Conseil municipal, après en avoir délibéré, FIXE le tarif à 250 €.")


def test_segment_header_block_lower_on_a_page_starts_a_deliberation():
    groups = split_deliberations([PageText(1, FIRST + "\n\n" + SECOND)])
    assert [[p.number for p in g] for g in groups] == [[1], [1]]
    assert groups[1][0].text.startswith("EXTRAIT DU REGISTRE")
    assert is_extract_series(groups)


def test_segment_letterhead_above_the_first_header_stays_with_it():
    assert len(split_deliberations([PageText(1, FIRST)])) == 1


def test_segment_deliberation_number_in_a_closing_block_starts_nothing():
    closing = FIRST + "\nDélibération n° 2023-014 certifiée exécutoire\nTransmise le 14 avril 2023"
    assert len(split_deliberations([PageText(1, closing)])) == 1


def test_segment_parts_of_one_page_are_stored_as_one_page():
    parts = [p for g in split_deliberations([PageText(1, FIRST + "\n" + SECOND), PageText(2, "Suite.")]) for p in g]
    assert [(p.number, p.text.count("EXTRAIT")) for p in whole_pages(parts)] == [(1, 2), (2, 0)]


def test_segment_minutes_items_opening_pages_are_not_an_extract_series():
    pages = [PageText(1, "Délibération n° 20190708-01\nObjet : Budget\nAdopté à l'unanimité."),
             PageText(2, "Délibération n° 20190708-02\nObjet : Tarifs\nAdopté à l'unanimité.")]
    groups = split_deliberations(pages)
    assert len(groups) == 2 and not is_extract_series(groups)
