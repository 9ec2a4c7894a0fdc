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
