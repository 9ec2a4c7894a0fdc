"""Search on PostgreSQL ranks a window of the newest matches as SQLite does: a word in more
deliberations than the window is ranked among the newest `window` matches (the highest ids), and
the page says so (`ranked_among`); a window that holds every match, `window=None` and a filter of
the user's rank every match. The same documents are saved in the same order in both databases,
so the newest matches are the same deliberations.

Needs the PostgreSQL server of tests/test_postgres.py (skipped without it; see there)."""
from __future__ import annotations

import pytest

from models.search import SearchHit, open_search, search, search_page
from models.store import open_store
from tests.test_postgres import Server, _server_or_skip
from tests.test_search_window import fill_copies


@pytest.fixture(scope="module")
def urls(tmp_path_factory):
    server = Server(_server_or_skip())
    made = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('pgwindow') / 'delib.db'}",
            "postgresql": server.database()}
    for url in made.values():
        with open_store(url) as store:
            fill_copies(store)
    yield made
    server.drop_all()


@pytest.fixture()
def pg(urls):
    with open_search(urls["postgresql"]) as source:
        yield source


def ids(hits: list[SearchHit]) -> list[int]:
    return [h.deliberation_id for h in hits]


def test_postgres_window_that_holds_every_match_gives_the_exact_ranking(pg):
    everything = search(pg, "voirie", limit=1000, window=None)
    page = search_page(pg, "voirie", limit=5, window=len(everything))
    assert page.ranked_among is None
    assert page.hits == everything[:5]


def test_postgres_word_in_more_deliberations_than_the_window_is_ranked_among_the_newest(pg):
    everything = search(pg, "voirie", limit=1000, window=None)
    page = search_page(pg, "voirie", limit=5, window=10)
    assert page.ranked_among == 10
    newest = sorted(everything, key=lambda h: h.deliberation_id)[-10:]
    assert [(h.rank, h.deliberation_id) for h in page.hits] == \
        sorted((h.rank, h.deliberation_id) for h in newest)[:5]


def test_postgres_window_holds_the_deliberations_sqlite_window_holds(urls):
    """Ranked among the same newest matches: the whole window's page is the same deliberations
    (in each database's own order: bm25 and ts_rank weigh words differently)."""
    pages = {}
    for name, url in urls.items():
        with open_search(url) as source:
            pages[name] = search_page(source, "voirie", limit=10, window=10)
    assert pages["postgresql"].ranked_among == pages["sqlite"].ranked_among == 10
    assert {h.number for h in pages["postgresql"].hits} == {h.number for h in pages["sqlite"].hits}
    assert sorted(ids(pages["postgresql"].hits)) == sorted(ids(pages["sqlite"].hits))


def test_postgres_window_ranking_is_deterministic_and_pages_extend_each_other(pg):
    first = search(pg, "voirie", limit=8, window=10)
    assert search(pg, "voirie", limit=8, window=10) == first
    for limit in (1, 3, 7):
        assert search(pg, "voirie", limit=limit, window=10) == first[:limit]


@pytest.mark.parametrize("filters", [{"authority": "cluses"}, {"authority": "métropolitain"},
                                     {"article": "2151"}, {"person": "georget"}])
def test_postgres_filters_rank_every_match_and_find_what_sqlite_finds(urls, pg, filters):
    page = search_page(pg, "voirie", limit=1000, window=2, **filters)
    assert page.ranked_among is None
    assert page.hits == search(pg, "voirie", limit=1000, window=None, **filters)
    with open_search(urls["sqlite"]) as lite:
        assert ids(page.hits) and sorted(ids(page.hits)) == sorted(ids(search(lite, "voirie", limit=1000, **filters)))


def test_postgres_word_in_fewer_deliberations_than_the_window_is_ranked_exactly(urls, pg):
    everything = search(pg, "football", limit=1000, window=None)
    assert everything
    page = search_page(pg, "football", limit=1000, window=len(everything) + 1)
    assert page.ranked_among is None and page.hits == everything
