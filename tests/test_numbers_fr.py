"""French number words, as deliberations spell years, days, times and amounts."""
from __future__ import annotations

import pytest
import regex

from extractors.numbers_fr import FIRST, NUMBER_WORDS, parse_number_words


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("zéro", 0),
        ("un", 1),
        ("une", 1),
        ("dix-sept", 17),
        ("vingt et un", 21),
        ("vingt-deux", 22),
        ("trente et une", 31),
        ("soixante et onze", 71),
        ("soixante-dix-sept", 77),
        ("quatre-vingts", 80),
        ("quatre-vingt-douze", 92),
        ("quatre-vingt-dix-neuf", 99),
        ("cent", 100),
        ("deux cents", 200),
        ("cinq cent trois", 503),
        ("mille cent", 1100),
        ("deux mille quatorze", 2014),
        ("deux mil vingt et un", 2021),
        ("mille neuf cent quatre-vingt-quinze", 1995),
        ("vingt-cinq mille", 25000),
        ("trois cent mille", 300000),
        ("un million", 1_000_000),
        ("deux millions cinq cent mille", 2_500_000),
        ("trois milliards", 3_000_000_000),
    ],
)
def test_numbers_fr_cardinals(words: str, expected: int) -> None:
    assert parse_number_words(words) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("vingt-et-un", 21),
        ("soixante-et-onze", 71),
        ("deux-mille-vingt-et-un", 2021),
        ("deux-cent-mille", 200000),
        ("mille-neuf-cent-quatre-vingt-quinze", 1995),
    ],
)
def test_numbers_fr_1990_reform_hyphenation(words: str, expected: int) -> None:
    assert parse_number_words(words) == expected


@pytest.mark.parametrize("words", ["VINGT ET UN", "Vingt-Et-Un", "  vingt et un  "])
def test_numbers_fr_case_and_padding_ignored(words: str) -> None:
    assert parse_number_words(words) == 21


@pytest.mark.parametrize("words", ["zero", "ZÉRO", "zéro"])
def test_numbers_fr_accents_optional(words: str) -> None:
    assert parse_number_words(words) == 0


@pytest.mark.parametrize("words", ["premier", "Première", "premiere", "1er", "1 er", "1re", "1ère"])
def test_numbers_fr_first_is_one(words: str) -> None:
    assert parse_number_words(words) == 1


@pytest.mark.parametrize(
    "words",
    ["", "et", "vingt et", "deux trois", "vingt trente", "deux et trois", "vingt cent", "vingt-dix",
     "deux mille trois mille", "avril", "onze six"],
)
def test_numbers_fr_not_a_number_is_none(words: str) -> None:
    assert parse_number_words(words) is None


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures",
         ["deux mil vingt et un", "vingt-deux", "dix-huit"]),
        ("L'an deux mille quatorze et le vingt-quatre avril", ["deux mille quatorze", "vingt-quatre"]),
        ("soixante-et-onze", ["soixante-et-onze"]),
        ("deux et trois", ["deux", "trois"]),
        ("au milieu du sixième centre", []),
        ("SEPTANTE-CINQ", ["SEPTANTE-CINQ"]),
    ],
)
def test_numbers_fr_fragment_matches_whole_runs(text: str, runs: list[str]) -> None:
    assert [m.group() for m in regex.finditer(NUMBER_WORDS, text)] == runs


@pytest.mark.parametrize(("text", "found"), [("le 1er juillet", "1er"), ("le premier juillet", "premier"),
                                             ("le 1 er juillet", "1 er"), ("le premiers", None)])
def test_numbers_fr_first_fragment(text: str, found: str | None) -> None:
    match = regex.search(FIRST, text)
    assert (match.group() if match else None) == found


def test_numbers_fr_every_run_parses() -> None:
    text = "vingt-deux ; quatre-vingt-dix-neuf ; deux millions cinq cent mille ; mil neuf cent"
    assert [parse_number_words(m.group()) for m in regex.finditer(NUMBER_WORDS, text)] == [
        22, 99, 2_500_000, 1900,
    ]
