"""Search on a word in very many deliberations: ranking among the newest matches, said so.

A word in more deliberations than the window is ranked among the newest `window` matches (the
highest ids); every other query, and `window=None`, ranks every match. The filters stay exact
either way, and the page says which ranking it is.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from models.search import SearchHit, search, search_page
from models.store import open_store
from tests.store_fixtures import ALL, CLUSES, sha

COPIES = 12  # each of the 3 documents 12 times: 48 deliberations, 36 of them say 'voirie'


def copy(extraction, k: int):
    """The k-th copy of a document: its own file, and texts that differ from copy to copy (the
    word 'voirie' said k % 4 more times), so the ranking is not a matter of ties."""
    return replace(
        extraction,
        source=replace(extraction.source, path=f"/archive/{k}/{extraction.source.path.rsplit('/', 1)[1]}",
                       sha256=sha(f"{extraction.source.path}-{k}")),
        deliberations=tuple(replace(d, text=d.text + " voirie" * (k % 4)) for d in extraction.deliberations),
    )


def fill_copies(store) -> None:
    """The nomenclature, then COPIES copies of the fixture documents (the SQLite and PostgreSQL
    window tests read the same archive)."""
    from tests.store_fixtures import NOMENCLATURE

    store.load_nomenclature(NOMENCLATURE)
    for k in range(COPIES):
        for extraction in ALL:
            store.save(copy(extraction, k), path=copy(extraction, k).source.path, size_bytes=1000,
                       mtime=1_600_000_000.5, extractor_version="1.0")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("window") / "delib.db"
    with open_store(f"sqlite:///{path}") as opened:
        fill_copies(opened)
        yield opened


def ranking_of(hits: list[SearchHit]) -> list[tuple[float, int]]:
    return [(h.rank, h.deliberation_id) for h in hits]


def exact(store, query: str, **filters) -> list[SearchHit]:
    return search(store, query, limit=1000, window=None, **filters)


def test_window_that_holds_every_match_gives_the_exact_ranking(store):
    everything = exact(store, "voirie")
    page = search_page(store, "voirie", limit=5, window=len(everything))
    assert page.ranked_among is None
    assert page.hits == everything[:5]


def test_word_in_more_deliberations_than_the_window_is_ranked_among_the_newest(store):
    everything = exact(store, "voirie")
    page = search_page(store, "voirie", limit=5, window=10)
    assert page.ranked_among == 10
    newest = sorted(everything, key=lambda h: h.deliberation_id)[-10:]
    assert ranking_of(page.hits) == sorted(ranking_of(newest))[:5]
    assert ranking_of(page.hits) != ranking_of(everything[:5])  # the oldest copies rank first overall


def test_window_ranking_is_deterministic_and_pages_extend_each_other(store):
    first = search(store, "voirie", limit=8, window=10)
    assert search(store, "voirie", limit=8, window=10) == first
    for limit in (1, 3, 7):
        assert search(store, "voirie", limit=limit, window=10) == first[:limit]


@pytest.mark.parametrize("join_all_up_to", [0, 50_000])
def test_filters_stay_exact_when_the_window_is_widened(store, monkeypatch, join_all_up_to):
    import models.search

    # A page the window leaves short is not final: the window widens until the page is full or
    # holds every match, so a page with room to spare is the whole exact answer.
    monkeypatch.setattr(models.search, "JOIN_ALL_UP_TO", join_all_up_to)
    monkeypatch.setattr(models.search, "FILTER_DRIVES_UP_TO", 0)  # not from the filters' side
    for filters in ({"authority": "cluses"}, {"authority": "métropolitain"}, {"article": "2151"},
                    {"person": "georget"}):
        expected = exact(store, "voirie", **filters)
        page = search_page(store, "voirie", limit=len(expected) + 1, window=2, **filters)
        assert page.hits == expected, filters
        assert page.ranked_among is None


def test_filtered_page_filled_in_the_window_passes_the_filters(store, monkeypatch):
    import models.search

    # An archive where the word is in too many deliberations to join them all (here: any), and
    # the authority in too many to search from its side.
    monkeypatch.setattr(models.search, "JOIN_ALL_UP_TO", 0)
    monkeypatch.setattr(models.search, "FILTER_DRIVES_UP_TO", 0)
    page = search_page(store, "voirie", limit=2, window=5, authority="cluses")
    assert page.ranked_among == 5
    assert len(page.hits) == 2 and {h.authority for h in page.hits} == {CLUSES}
    newest = sorted(h.deliberation_id for h in exact(store, "voirie"))[-5:]
    passing = [h for h in exact(store, "voirie", authority="cluses") if h.deliberation_id in newest]
    assert ranking_of(page.hits) == sorted(ranking_of(passing))[:2]


@pytest.mark.parametrize("filters", [
    {"authority": "cluses"}, {"authority": "CLUSES", "article": "2151"},
    {"authority": "métropolitain", "date_from": date(2020, 1, 1)}, {"authority": "nowhere"},
    {"person": "georget"}, {"person": "Jean-Claude Georget", "date_to": date(2019, 12, 31)},
    {"article": "21"}, {"article": "2 151"}, {"article": "9"}, {"min_amount": 1000}, {"min_amount": 10**9},
])
def test_a_filter_leaving_few_deliberations_is_searched_from_their_side_every_match_ranked(store, monkeypatch,
                                                                                          filters):
    import models.search

    page = search_page(store, "voirie", limit=1000, window=2, **filters)
    assert page.ranked_among is None
    # The same page as the join over every match, which tests the filters on each match.
    monkeypatch.setattr(models.search, "FILTER_DRIVES_UP_TO", 0)
    assert page.hits == exact(store, "voirie", **filters)


def test_the_filters_side_finds_the_matches_it_should(store):
    assert search(store, "voirie", authority="nowhere") == []
    assert {h.authority for h in search(store, "voirie", authority="cluses", limit=1000)} == {CLUSES}
    assert search(store, "voirie", article="2151", limit=1000)
    assert search(store, "voirie", min_amount=10**9) == []


def test_phrases_are_ranked_in_the_window_too(store):
    page = search_page(store, '"programme de voirie"', limit=3, window=4)
    assert page.ranked_among == 4
    assert all("programme de voirie" in (h.title or "").lower() + " " + h.snippet.lower().replace("«", "").replace("»", "")
               for h in page.hits)
    assert search_page(store, '"voirie programme"', window=4).hits == []


def test_rare_words_are_ranked_among_every_match(store):
    page = search_page(store, "football", window=100)
    assert page.ranked_among is None and len(page.hits) == COPIES


def test_cli_says_when_the_ranking_covered_the_newest_matches_only(store, capsys, monkeypatch):
    import models.search
    from pipeline.cli import main

    db = store.engine.url.database
    monkeypatch.setattr(models.search, "WINDOW", 10)
    assert main(["search", "voirie", "--limit", "3", "--db", db]) == 0
    err = capsys.readouterr().err
    assert "more than 10 deliberations contain these words" in err and "10 most recently imported" in err
    assert main(["search", "voirie", "--limit", "3", "--all-matches", "--db", db]) == 0
    err = capsys.readouterr().err
    assert "most recently imported" not in err and "there are more" in err
    assert main(["search", "football", "--db", db]) == 0
    assert "most recently imported" not in capsys.readouterr().err
