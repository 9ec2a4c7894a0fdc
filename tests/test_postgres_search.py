"""Search on PostgreSQL finds what the same search finds on SQLite: the same words typed, the same
filters, the same deliberations (the store's hand-built documents, in both databases). Opened for
searching (`open_search`, psycopg2: quick to import) or through a Store (SQLAlchemy, psycopg 3),
PostgreSQL gives the same pages.

Needs the PostgreSQL server of tests/test_postgres.py (skipped without it; see there)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.search import _driver, open_search, search, search_page
from models.store import open_store
from tests.store_fixtures import fill
from tests.test_postgres import Server, _server_or_skip


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    server = Server(_server_or_skip())
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('search') / 'delib.db'}",
            "postgresql": server.database()}
    for url in urls.values():
        with open_store(url) as store:
            fill(store)
    yield urls
    server.drop_all()


def found(url: str, typed: str, **filters) -> set[str | None]:
    with open_search(url) as source:
        return {hit.number for hit in search(source, typed, limit=50, **filters)}


HOSTILE = [  # what must never be read as query syntax, on either database
    'NOT', 'AND', 'OR', 'NEAR', 'NOT voirie', 'voirie OR', 'NEAR(voirie pont)', '"', '"voirie', 'voirie"',
    '""', "'", "l'école", '*', 'voi*rie', '*voirie', '-voirie', ':', 'title:voirie', 'voirie:*', '(', '(voirie',
    '^voirie', 'a + b', 'a & b | !c', '<->', '\\', '%', '_', ';DROP TABLE deliberations;--', '\x00', 'é', '€',
    '42 000 €', '2019/042', '', '   ', '\n\t', 'x' * 2000,
]
TYPED = [
    "deliberation", "DELIBERATION", "délibération", "DÉLIBÉRATION", "subvention", "subventions football",
    "subventions trottoir", "pon", "pon*", "voirie", "football", "CS2021-15", "DEL-2019/042", "2019-042",
    '"programme de voirie"', "voirie programme", '"voirie programme"', '"programme de voi"*', "ecole",
    "le", "art", "article", "6574",
]


@pytest.mark.parametrize("typed", TYPED + HOSTILE)
def test_postgres_search_finds_what_sqlite_finds(databases, typed):
    assert found(databases["postgresql"], typed) == found(databases["sqlite"], typed)


@pytest.mark.parametrize("filters", [
    {"authority": "CLUSES"}, {"authority": "métropolitain"}, {"authority": "100%_"},
    {"date_from": date(2020, 3, 5), "date_to": date(2020, 3, 5)}, {"date_to": date(2019, 12, 31)},
    {"article": "6574"}, {"article": "65748"}, {"article": "999"},
    {"person": "jean-claude georget"}, {"person": "GEORGET", "authority": "cluses"}, {"person": "Luc Bernard"},
    {"min_amount": Decimal("2880.50"), "authority": "cluses", "date_from": date(2020, 1, 1)},
    {"min_amount": "2880.51"}, {"include_superseded": True},
])
@pytest.mark.parametrize("typed", ["", "délibération", "subvention"])
def test_postgres_search_filters_as_sqlite(databases, typed, filters):
    assert found(databases["postgresql"], typed, **filters) == found(databases["sqlite"], typed, **filters)


@pytest.mark.parametrize("filters", [{}, {"authority": "clu\x00ses"}, {"date_from": date(2020, 1, 1)},
                                     {"min_amount": "1000", "person": "georget"}])
def test_postgres_search_gives_the_same_pages_through_either_driver(databases, filters):
    url = databases["postgresql"]
    with open_search(url) as light, open_store(url, readonly=True) as store:
        assert _driver(light.conn) == "psycopg2"
        with store.engine.connect() as conn:
            assert _driver(conn.connection) == "psycopg"
        for typed in TYPED + HOSTILE:
            for window in (None, 2):
                assert (search_page(light, typed, window=window, **filters)
                        == search_page(store, typed, window=window, **filters)), typed


def test_postgres_listing_without_words_is_newest_first_as_on_sqlite(databases):
    for name in ("sqlite", "postgresql"):
        with open_search(databases[name]) as source:
            hits = search(source, "", limit=50)
        assert [h.session_date for h in hits] == sorted((h.session_date for h in hits), reverse=True)
    with open_search(databases["postgresql"]) as pg, open_search(databases["sqlite"]) as lite:
        assert [h.number for h in search(pg, "")] == [h.number for h in search(lite, "")]


def test_postgres_search_page_is_the_top_of_the_full_ranking(databases):
    with open_search(databases["postgresql"]) as source:
        everything = [h.number for h in search(source, "délibération", limit=100)]
        for limit in (1, 2, 3):
            assert [h.number for h in search(source, "délibération", limit=limit)] == everything[:limit]


def test_postgres_search_title_words_rank_first_as_on_sqlite(databases):
    """'voirie' is in one title and one text: the title ranks first, on either database."""
    for name in ("sqlite", "postgresql"):
        with open_search(databases[name]) as source:
            hits = search(source, "voirie")
        assert "voirie" in (hits[0].title or "").lower(), name
        assert "«" in hits[0].snippet


# -- docs/schema.md: the analysts' example queries run on PostgreSQL too ---------------------------

def _doc_queries() -> dict[str, str]:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^### (Q\d+)\..*?```sql\n(.*?)```", text, flags=re.S | re.M))


# SQLite's own functions: docs/schema.md ("On PostgreSQL") gives their PostgreSQL spelling.
SQLITE_ONLY = ("group_concat", "strftime", "deliberations_fts")
# When each database was written: two imports, two times.
WHEN_IMPORTED = {"imported_at", "at", "first_seen", "last_seen", "started_at", "finished_at"}


@pytest.mark.parametrize("name", sorted(_doc_queries(), key=lambda q: int(q[1:])))
def test_postgres_runs_the_documented_queries_as_sqlite_does(databases, name):
    from models.dialect import driver_sql

    sql = _doc_queries()[name]
    if any(word in sql for word in SQLITE_ONLY):
        pytest.skip("written with a SQLite function; see 'On PostgreSQL' in docs/schema.md")
    answers = []
    for url in (databases["sqlite"], databases["postgresql"]):
        with open_store(url) as store, store.engine.connect() as conn:
            result = conn.exec_driver_sql(driver_sql(conn, sql))
            kept = [i for i, key in enumerate(result.keys()) if key not in WHEN_IMPORTED]
            rows = [[row[i] for i in kept] for row in result.all()]
        answers.append(sorted((tuple(_plain(v) for v in row) for row in rows), key=repr))
    assert answers[1] == answers[0]


def _plain(value):
    """What SQLite's driver returns for the same value: dates as text, numbers as int or float."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value
