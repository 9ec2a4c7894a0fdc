"""Full-text search: accent folding, safety of anything typed, filters, ranking."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.dialect import fts_query
from models.search import SearchHit, search
from models.store import open_store
from tests.store_fixtures import CLUSES_MARCH_2020, POLE, changed, fill


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "delib.db"
    with open_store(f"sqlite:///{path}") as opened:
        fill(opened)
        yield opened


def numbers(hits: list[SearchHit]) -> list[str | None]:
    return [hit.number for hit in hits]


@pytest.mark.parametrize("typed", ["deliberation", "DELIBERATION", "délibération", "DÉLIBÉRATION"])
def test_search_folds_accents_and_case(store, typed):
    assert set(numbers(search(store, typed))) == {"2020-015", "2020-016"}


def test_search_word_finds_its_plural_in_capitals(store):
    assert "2020-015" in numbers(search(store, "subvention"))


def test_search_every_word_must_match(store):
    assert numbers(search(store, "subventions football")) == ["2020-015"]
    assert search(store, "subventions trottoir") == []


def test_search_short_words_are_not_prefixes(store):
    # 'pon' must not find 'Pont'; an explicit star asks for it.
    assert search(store, "pon") == []
    assert numbers(search(store, "pon*")) == ["2020-016"]


def test_search_title_match_ranks_first(store):
    hits = search(store, "voirie")
    # 'voirie' is in both titles; DEL 2019-042's title is shorter, so it ranks first.
    assert numbers(hits) == ["DEL 2019-042", "2020-016"]
    assert hits[0].rank <= hits[1].rank < 0


def test_search_hit_carries_snippet_date_and_path(store):
    [hit] = search(store, "football")
    assert "«Football»" in hit.snippet
    assert hit.session_date == date(2020, 3, 5)
    assert hit.path == CLUSES_MARCH_2020.source.path
    assert hit.title == "Attribution des SUBVENTIONS aux associations pour l'année 2020"


HOSTILE = [
    'NOT', 'AND', 'OR', 'NEAR', 'NOT voirie', 'voirie OR', 'voirie AND NOT', 'NEAR(voirie pont)',
    '"', '"voirie', 'voirie"', '""', '"""', "'", "l'école", '*', '**', 'voi*rie', '*voirie', '-voirie',
    '-', '--', ':', 'title:voirie', 'nope:voirie', '(', ')', '(voirie', 'voirie)', '()', '{', '}',
    '^', '^voirie', '+', 'a + b', '\\', '%', '_', '%_%', ';DROP TABLE deliberations;--', '\x00',
    'é', '€', '42 000 €', '2019/042', 'CS2021-15', '', '   ', '\n\t', 'x' * 2000,
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_search_anything_typed_is_safe(store, typed):
    hits = search(store, typed)
    assert isinstance(hits, list)


@pytest.mark.parametrize("typed", ["NOT voirie", "voirie NOT", "voirie OR", "(voirie", '"voirie', "-voirie"])
def test_search_operators_are_plain_words(store, typed):
    # 'NOT'/'OR' are words that must also appear: nothing has them, so nothing matches ...
    hits = search(store, typed)
    if any(op in typed for op in ("NOT", "OR")):
        assert hits == []
    else:  # ... while punctuation is dropped by the tokenizer and the word still matches.
        assert set(numbers(hits)) == {"DEL 2019-042", "2020-016"}


def test_search_numbers_with_separators(store):
    assert numbers(search(store, "CS2021-15")) == ["CS2021-15"]
    assert "2020-016" in numbers(search(store, "DEL-2019/042"))


@pytest.mark.parametrize("typed, expected", [
    ("NOT", '"NOT"'),
    ('a"b', '"a b"'),
    ("subvent*", '"subvent"*'),
    ("art", '"art"'),
    ("article", '"article"*'),
    ("- * ( )", None),
    ("", None),
])
def test_fts_query_quotes_every_token(typed, expected):
    assert fts_query(typed) == expected


def test_search_filter_authority_is_a_case_insensitive_part(store):
    assert set(h.authority for h in search(store, "", authority="CLUSES")) == {"Commune de Cluses"}
    assert numbers(search(store, "", authority="métropolitain")) == ["CS2021-15"]
    assert search(store, "", authority="100%_") == []


def test_search_filter_dates_are_inclusive(store):
    hits = search(store, "", date_from=date(2020, 3, 5), date_to=date(2020, 3, 5))
    assert set(numbers(hits)) == {"2020-015", "2020-016"}
    assert numbers(search(store, "", date_to=date(2019, 12, 31))) == ["DEL 2019-042"]


def test_search_filter_article_matches_the_code_and_its_subaccounts(store):
    assert set(numbers(search(store, "", article="6574"))) == {"2020-015", "CS2021-15"}
    assert numbers(search(store, "subvention", article="65748")) == ["CS2021-15"]
    assert search(store, "", article="999") == []


def test_search_filter_person_by_any_spelling_or_surname(store):
    assert len(search(store, "", person="jean-claude georget")) == 4
    assert len(search(store, "", person="GEORGET", authority="cluses")) == 3
    assert numbers(search(store, "", person="Luc Bernard")) == ["2020-016", "2020-015"]
    assert search(store, "", person="Georges") == []


def test_search_filter_min_amount_compares_exact_cents(store):
    assert numbers(search(store, "", min_amount=Decimal("2880.50"), authority="cluses", date_from=date(2020, 1, 1))) \
        == ["2020-016", "2020-015"]
    assert numbers(search(store, "", min_amount="2880.51", date_from=date(2020, 1, 1),
                          date_to=date(2020, 12, 31))) == ["2020-016"]


def test_search_filters_combine_with_words(store):
    assert numbers(search(store, "délibération", authority="cluses", article="2151", person="dupont")) \
        == ["2020-016"]


def test_search_limit(store):
    assert len(search(store, "", limit=2)) == 2
    assert search(store, "", limit=0) == []


def test_search_skips_old_versions_unless_asked(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'v.db'}") as versions:
        fill(versions)
        versions.save(changed(CLUSES_MARCH_2020, "v2"), path=CLUSES_MARCH_2020.source.path, size_bytes=1,
                      mtime=1.0, extractor_version="1.0")
        assert len(search(versions, "football")) == 1
        assert len(search(versions, "football", include_superseded=True)) == 2
        assert {h.path for h in search(versions, "football", include_superseded=True)} == {
            CLUSES_MARCH_2020.source.path, None}


def test_search_no_words_lists_newest_first(store):
    assert [h.session_date for h in search(store, "")] == sorted(
        (h.session_date for h in search(store, "")), reverse=True)
    assert search(store, "")[0].authority == POLE


def test_search_quoted_words_are_a_phrase(store):
    assert set(numbers(search(store, '"programme de voirie"'))) == {"DEL 2019-042", "2020-016"}
    assert set(numbers(search(store, "voirie programme"))) == {"DEL 2019-042", "2020-016"}
    assert search(store, '"voirie programme"') == []  # the words, but not in that order


@pytest.mark.parametrize("typed, expected", [
    ('"éclairage public"', '"éclairage public"'),
    ('"éclairage  public" lampes', '"éclairage public" "lampes"*'),
    ('"éclairage pub"*', '"éclairage pub"*'),
    ('"voirie"', '"voirie"*'),  # one quoted word is the word
    ('"""', None),
])
def test_fts_query_quoted_phrases(typed, expected):
    assert fts_query(typed) == expected


def test_search_page_is_the_top_of_the_full_ranking(store):
    # Ranked inside FTS5 then filtered: the page must be what ranking every match gives.
    everything = search(store, "délibération", limit=100)
    for limit in (1, 2, 3):
        assert numbers(search(store, "délibération", limit=limit)) == numbers(everything)[:limit]
    assert numbers(search(store, "délibération", authority="cluses", limit=1)) == \
        [h.number for h in everything if h.authority == "Commune de Cluses"][:1]


def test_search_reads_a_sqlite_file_without_the_store(store, tmp_path):
    from models.search import open_search

    url = str(store.engine.url)
    with open_search(url) as light:
        assert search(light, "voirie") == search(store, "voirie")
        assert search(light, "", person="georget") == search(store, "", person="georget")
    with pytest.raises(FileNotFoundError):
        open_search(f"sqlite:///{tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_search_cli_says_when_it_stops_at_the_limit(store, capsys):
    from pipeline.cli import main

    db = store.engine.url.database
    assert main(["search", "délibération", "--limit", "1", "--db", db]) == 0
    captured = capsys.readouterr()
    assert "1 result(s)." in captured.out
    assert "first 1 results; there are more" in captured.err
    assert main(["search", "délibération", "--limit", "50", "--db", db]) == 0
    assert "there are more" not in capsys.readouterr().err


def test_search_cli_exits_1_when_nothing_matches(store, capsys):
    from pipeline.cli import main

    assert main(["search", "trottoir", "--db", store.engine.url.database]) == 1
    assert "No deliberation matches." in capsys.readouterr().out
    assert main(["search", "voirie", "--db", store.engine.url.database, "--format", "json"]) == 0
