"""Earlier deliberations cited by number."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from extractors.references import ReferenceMention, find_references

SEED = Path("/work/shared/seed/000_ca66a0f684996d8d.txt")
D = datetime.date


def refs(text: str, own_number: str | None = None) -> list[tuple[str, datetime.date | None]]:
    return [(m.number, m.date) for m in find_references(text, own_number)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vu la délibération n° CS-2018-30 du 28 septembre 2018 ;", [("CS-2018-30", D(2018, 9, 28))]),
        ("lors de sa séance du 28 septembre 2018 (délibération n° CS-2018-30) ;", [("CS-2018-30", D(2018, 9, 28))]),
        ("par délibération n°2019/042 en date du 12 mars 2019", [("2019/042", D(2019, 3, 12))]),
        ("délibération du conseil municipal n° 14 du 3 mars 2020", [("14", D(2020, 3, 3))]),
        ("la délibération n° 2019-12 du 31/01/2019", [("2019-12", D(2019, 1, 31))]),
        ("délibération n° 7 du 1er juillet 2020", [("7", D(2020, 7, 1))]),
        ("délibération n°2020-01 du conseil municipal du 3 mars 2020", [("2020-01", D(2020, 3, 3))]),
        ("Vu la délibération du comité syndical n° CS2019-04", [("CS2019-04", None)]),
        ("DÉLIBÉRATION N° 2021-007", [("2021-007", None)]),
        ("délibérations n° 2020-01 et 2020-02", [("2020-01", None), ("2020-02", None)]),
        (
            "délibérations n° 2020-01 du 3 mars 2020 et n° 2020-05 du 4 mai 2020",
            [("2020-01", D(2020, 3, 3)), ("2020-05", D(2020, 5, 4))],
        ),
        ("Vu la DEL2019-042 relative au budget", [("DEL2019-042", None)]),
        ("conformément à la DCM-2020-15", [("DCM-2020-15", None)]),
        ("(n° 2013/412)", [("2013/412", None)]),
        ("en date du 12 décembre 2013 n° 2013/412", [("2013/412", D(2013, 12, 12))]),
    ],
)
def test_references_finds_numbered_deliberations(
    text: str, expected: list[tuple[str, datetime.date | None]]
) -> None:
    assert refs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vu la délibération du 12 mars 2019 approuvant le projet",
        "Vu sa délibération en date du 3 avril 2020",
        "Vu la loi n° 2015-991 du 7 août 2015 portant nouvelle organisation territoriale",
        "Vu le décret n° 2020-1257 du 14 octobre 2020",
        "Vu l'ordonnance n° 2020-391 du 1er avril 2020",
        "Vu l'arrêté n° 2020-15 du maire",
        "Vu l'arrêté préfectoral n° 2019/042",
        "le marché n° 2020-01 attribué à la société",
        "la convention n° 2018-30 signée",
        "délibération approuvant le marché n° 2020-01",
        "la décision du maire n° 2020/12",
        "Identifiant : 074-200000000-20210422-CS2021_15-DE",
        "AR-2020-15 et MAPA-2021-03",
        "la convention cadre 2018-2020",
    ],
)
def test_references_ignores_laws_decrees_contracts_and_unnumbered_deliberations(text: str) -> None:
    assert refs(text) == []


@pytest.mark.parametrize("own", ["CS2021-15", "cs 2021 15", "CS2021_15", "CS-2021-15"])
def test_references_ignores_its_own_number(own: str) -> None:
    assert refs("Délibération n° CS2021-15 du 22 avril 2021", own_number=own) == []


def test_references_keeps_other_numbers_when_own_number_given() -> None:
    text = "N° CS2021-15. Vu la délibération n° CS-2018-30 du 28 septembre 2018"
    assert refs(text, own_number="CS2021-15") == [("CS-2018-30", D(2018, 9, 28))]


def test_references_stops_a_list_at_a_number_of_another_shape() -> None:
    assert refs("délibération n° 14 du 3 mars 2020, et 12 conseillers présents") == [("14", D(2020, 3, 3))]


def test_references_takes_no_earlier_date_for_a_reference_outside_parentheses() -> None:
    assert refs("Vu la délibération du 3 mars 2020, et la délibération n° 2020-05") == [("2020-05", None)]


def test_references_takes_no_earlier_date_that_contradicts_the_number() -> None:
    assert refs("le 3 mars 2020 (délibération n° 2019-05)") == [("2019-05", None)]


def test_references_leaves_an_impossible_date_empty() -> None:
    assert refs("délibération n° 2020-03 du 31/02/2020") == [("2020-03", None)]


@pytest.mark.parametrize(
    "text",
    [
        "lors de sa séance du 28 septembre 2018 (délibération n° CS-2018-30) ;",
        "délibérations n° 2020-01 et 2020-02",
        "Vu la DEL2019-042 relative au budget",
        "délibération du conseil municipal n° 14 du 3 mars 2020",
    ],
)
def test_references_spans_point_at_the_number(text: str) -> None:
    mentions = find_references(text)
    assert mentions
    for mention in mentions:
        assert isinstance(mention, ReferenceMention)
        assert text[mention.start : mention.end] == mention.text == mention.number


def test_references_returns_mentions_in_text_order() -> None:
    text = "Vu la DEL2019-042 et la délibération n° 2018-12 du 4 mai 2018"
    assert [m.number for m in find_references(text)] == ["DEL2019-042", "2018-12"]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not available")
def test_references_finds_the_convention_deliberation_of_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert refs(text, own_number="CS2021-15") == [("CS-2018-30", D(2018, 9, 28))]


@pytest.mark.parametrize(
    "text",
    [
        "Vu la délibération du conseil municipal du 26 NOVEMBRE 2021 portant création",
        "délibération du Conseil du 26 NOVEMBRE 2021",
        "la délibération de l'assemblée du 30 Novembre 2021",
        "Vu la délibération du comité NOVEMBRE 2021",
    ],
)
def test_references_the_no_of_novembre_is_not_a_number_sign(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [("délibération No 2021-12 du 3 mars 2021", "2021-12"), ("délibération no. 12", "12"),
     ("délibération no12", "12"), ("délibérations n° 2020-01 et no 2020-02", "2020-02")],
)
def test_references_no_as_a_word_is_still_a_number_sign(text: str, number: str) -> None:
    assert number in [r.number for r in find_references(text)]


def test_references_a_year_and_a_count_apart_by_a_space() -> None:
    # "n°2015 20 du Conseil Municipal"; "n° 2015 du 20 mai 2015" is still number 2015.
    assert [r.number for r in find_references("Vu la délibération n°2015 20 du Conseil Municipal prescrivant")] == [
        "2015 20"]
    assert [r.number for r in find_references("Vu la délibération n° 2015 du 20 mai 2015")] == ["2015"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A number made of the séance's date and the item's rank.
        ("Vu la délibération n° 20230626-09 du Conseil Municipal du 26 juin 2023 portant approbation",
         [("20230626-09", D(2023, 6, 26))]),
        # The citing assembly named at length before the date.
        ("Vu la délibération n° CC-2025-001 du Conseil Communautaire de la Communauté de communes du Pays "
         "Mornantais\ndu 28 janvier 2025 approuvant la convention", [("CC-2025-001", D(2025, 1, 28))]),
        # The @ctes code of a deliberation, "DE" and its year.
        ("Vu la délibération DE2024-090 du 18 septembre 2024 actant", [("DE2024-090", D(2024, 9, 18))]),
        ("Vu la délibération N° DE-2015-089 du 24 novembre 2015", [("DE-2015-089", D(2015, 11, 24))]),
        ("DE_2019_086", [("DE_2019_086", None)]),
    ],
)
def test_references_long_numbers_and_assembly_names(text: str, expected: list) -> None:
    assert refs(text) == expected


def test_references_de_apart_from_a_year_is_a_word() -> None:
    assert refs("LE BUDGET DE 2020-2021 est voté") == []
