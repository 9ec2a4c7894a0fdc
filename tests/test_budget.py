"""Budget nomenclature codes cited in deliberations."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.budget import BudgetMention, find_budget_articles

SEED = Path("/work/shared/seed/000_ca66a0f684996d8d.txt")


def codes(text: str) -> list[str]:
    return [mention.code for mention in find_budget_articles(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La dépense sera imputée à l'article 6574 du budget principal.", ["6574"]),
        ("au compte 2041582 de la section d'investissement", ["2041582"]),
        ("nature 611", ["611"]),
        ("c/6232 fêtes", ["6232"]),
        ("c/ 6232", ["6232"]),
        ("chapitre 012", ["012"]),
        ("chapitre 65, article 6574", ["65", "6574"]),
        ("articles 6574 et 6558", ["6574", "6558"]),
        ("comptes 2183, 2184 et 2188", ["2183", "2184", "2188"]),
        ("chapitres 011 et 012", ["011", "012"]),
        ("imputation : 65-6574", ["65", "6574"]),
        ("Imputation budgétaire : 204-20422", ["204", "20422"]),
        ("imputation 65-025-6574", ["65", "6574"]),
        ("les crédits sont imputés sur le 6574", ["6574"]),
        ("dépense imputée au 60632", ["60632"]),
        ("Les crédits nécessaires sont inscrits au 6574.", ["6574"]),
        ("article n° 2313 opération 153", ["2313"]),
        ("recette encaissée à l'article 7478", ["7478"]),
        ("ligne budgétaire 6281", ["6281"]),
        ("ARTICLE 6574", ["6574"]),
    ],
)
def test_budget_finds_codes_after_budget_words(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vu l'article L.2121-29 du code général des collectivités territoriales",
        "Vu l'article L 2122-22 du CGCT",
        "Vu les articles R. 2123-1 et suivants",
        "Article 1er : le conseil approuve",
        "Article 2 : le maire est autorisé",
        "Article 12 : exécution",
        "conformément à l'article 5 de la convention",
        "l'article 611 de la convention est modifié",
        "article 1609 nonies C du code général des impôts",
        "article 2121-29 du code",
        "fonction 020",
        "opération 153",
        "la parcelle cadastrée AB 123",
        "une subvention de 6 574 euros",
    ],
)
def test_budget_ignores_legal_articles_and_other_numbers(text: str) -> None:
    assert codes(text) == []


def test_budget_ignores_an_amount_listed_after_a_code() -> None:
    assert codes("article 6574, 28 800 €") == ["6574"]


@pytest.mark.parametrize(
    "text",
    [
        "Le rendez-vous est fixé au 611 rue de la République pour le budget.",
        "aux 42 entreprises labellisées",
        "au 31 décembre 2021",
    ],
)
def test_budget_ignores_bare_numbers_that_are_not_codes(text: str) -> None:
    assert codes(text) == []


def test_budget_reads_unknown_account_only_in_a_budget_sentence() -> None:
    assert codes("les crédits sont inscrits à l'article 6579 du budget") == ["6579"]
    assert codes("selon l'article 6579 des conditions générales") == []
    assert codes("article 6579 : dispositions finales") == []


def test_budget_takes_unknown_account_after_unambiguous_budget_word() -> None:
    assert codes("compte 6579") == ["6579"]


def test_budget_ignores_years_after_article() -> None:
    assert codes("les crédits de l'article 2021 du budget") == []


def test_budget_attaches_the_nomenclature_label() -> None:
    [mention] = find_budget_articles("imputée à l'article 6232")
    assert mention.label == "Fêtes et cérémonies"


def test_budget_leaves_label_empty_for_unknown_code() -> None:
    [mention] = find_budget_articles("compte 6579")
    assert mention.label is None


@pytest.mark.parametrize(
    "text",
    ["chapitre 65, article 6574", "imputation : 65-6574", "  c/6232 et c/611", "comptes 2183, 2184 et 2188"],
)
def test_budget_spans_point_at_the_code(text: str) -> None:
    mentions = find_budget_articles(text)
    assert mentions
    for mention in mentions:
        assert isinstance(mention, BudgetMention)
        assert text[mention.start : mention.end] == mention.text == mention.code


def test_budget_returns_mentions_in_text_order() -> None:
    text = "article 6574 ; chapitre 011 ; c/611"
    assert [m.start for m in find_budget_articles(text)] == sorted(m.start for m in find_budget_articles(text))
    assert codes(text) == ["6574", "011", "611"]


def test_budget_reports_one_mention_when_two_triggers_reach_the_same_code() -> None:
    assert codes("les crédits imputés au compte 6574") == ["6574"]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not available")
def test_budget_finds_the_only_account_of_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    mentions = find_budget_articles(text)
    assert [(m.code, m.label) for m in mentions] == [
        ("6574", "Subventions de fonctionnement aux associations et autres personnes de droit privé")
    ]
    assert text[mentions[0].start : mentions[0].end] == "6574"


def codes(text: str) -> list[str]:
    return [m.code for m in find_budget_articles(text)]


def test_budget_table_rows_give_their_chapitres_when_the_label_is_the_codes_own() -> None:
    table = (
        "CHAPITRES BUDG N-1 REA N-1 PROP BP\n"
        "011 Charges à caractère général 326 670,00 295 127,45 336 460,00\n"
        "012 Charges de personnel et frais assimilés 624 800,00 606 615,26 592 400,00\n"
        "Totaux dépenses 1 394 183,24 1 242 071,02 1 385 031,27\n"
        "73 Impôts et taxes 709 970,00 723 595,65 741 593,00\n"
        "Solde d'exécution de la section\n001\nd'investissement reporté 824 497,67 553 620,87\n"
        "40 Opérations d'ordre de transfert entre sections 981,84\n"
    )
    # "40" is no code the nomenclature holds: read only because the table has shown itself.
    assert codes(table) == ["011", "012", "73", "001", "40"]


def test_budget_decision_modificative_rows_with_their_direction_and_totals() -> None:
    table = (
        "D-6413 : Personnel non titulaire 0.00 € 5 000,00 € 0,00 €\n"
        "TOTAL D 012 : Charges de personnel et frais assimilés 0,00 € 8 000,00 €\n"
        "R-021 : Virement de la section de fonctionnement 0,00 € 8 000.00 €\n"
        "D-2111-206 : ACQUISITIONS DIVERSES TERRAINS 9.00 € 16 000,00 €\n"
        "65 6531 INDEMNITES MAIRE/ADJOINTS +2 824.00€\n"
        "C R 002 RESULTAT REPORTE OU ANTICIPE 0,00\n"
        "016 APA 0,00 0,00 0,00\n"
    )
    # 206 is the operation of account 2111; 65 is the chapitre of article 6531; APA stands for
    # "Allocation personnalisée d'autonomie".
    assert codes(table) == ["6413", "012", "021", "2111", "65", "6531", "002", "016"]


@pytest.mark.parametrize(
    "text",
    [
        "13 conseillers présents 1,00",  # a count: the words are not chapitre 13's
        "13. Subventions aux associations 2 000,00 €",  # an agenda's ordinal
        "16 Emprunts et dettes assimilées",  # no figure: a line of text, not a row
        "D 602 RESULTAT REPORTE OU ANTICIPE 0.00",  # 602's label is another (an OCR slip for 002)
        "En application de l'article 106 III de la loi n° 2015-991 portant budget M57",
    ],
)
def test_budget_lines_that_are_not_rows_of_a_budget_table(text: str) -> None:
    assert codes(text) == []


def test_budget_account_with_its_recette_mark() -> None:
    assert codes("DECIDE d'affecter le résultat au compte R001 Solde d'exécution reporté.") == ["001"]
