"""PostgreSQL (schema 5): the newest matches found by ranges of ids inside the GIN index of the
words and the id, and a prefix word searched as the OR of the index's lexemes that start so.

- The probe gives exactly the newest matches that ordering every match by id would give, however
  its ranges fall (PROBE_FIRST made small: many ranges; large: one).
- The word list holds every lexeme of the index, whoever wrote the row (a trigger per statement),
  so a prefix searched as its words finds what the prefix finds.
- A database of schema 4 with rows is upgraded in place: the index of the words and the id
  replaces the index of the words, the word list is filled from the rows.
- With a filter of the user's, the window is that of SQLite: the best passing matches among the
  newest, said so (`ranked_among`), widened while the page is short.
- A large window is ranked on two connections at once, half on each: the same pages as on one.
  Without a second connection (none to be had, or it broke), the search ranks on one.

Needs the PostgreSQL server of tests/test_postgres.py (skipped without it; see there)."""
from __future__ import annotations

import threading
import time

import psycopg
import psycopg2
import pytest
from sqlalchemy import create_engine, text

import models.search
from models import dialect, migrations
from models.search import (_Second, _ts_newest, _ts_newest_rows, _ts_prefix_words, open_search, search,
                           search_page)
from models.store import Store, open_store
from tests.store_fixtures import CLUSES
from tests.test_postgres import Server, _server_or_skip
from tests.test_search_window import fill_copies


def _fill(url: str) -> None:
    with open_store(url) as store:
        fill_copies(store)


@pytest.fixture(scope="module")
def server():
    made = Server(_server_or_skip())
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def url(server):
    made = server.database()
    _fill(made)
    return made


@pytest.fixture()
def pg(url):
    with open_search(url) as source:
        yield source


def _plain(url: str) -> str:
    return "postgresql://" + url.partition("://")[2]


def fetch(conn, sql: str, params=()) -> list[tuple]:
    """Rows of `sql` on a connection of either driver (a search's is psycopg2's, a Store's or
    an administrator's psycopg 3's)."""
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def newest_by_sorting(conn, match: str, count: int, before: int | None) -> list[int]:
    """The reference: every match, ordered by id."""
    below = "" if before is None else f" AND id < {int(before)}"
    return [row[0] for row in fetch(
        conn, f"SELECT id FROM deliberations WHERE {dialect.TS_COLUMN} @@ CAST(%s AS tsquery){below} "
        "ORDER BY id DESC LIMIT %s", (match, count))]


@pytest.fixture()
def second(url):
    made = _Second(lambda: dialect.connect_postgresql_reader(url))
    yield made
    made.close()


@pytest.mark.parametrize("halves", [False, True])
@pytest.mark.parametrize("probe_first", [0.01, 0.3, 2, 1000])
@pytest.mark.parametrize("match", ["'voirie'", "'football'", "'programme' <-> 'de' <-> 'voirie'",
                                   "'voirie' & 'cluses'", "'nulle_part'"])
def test_postgres_probe_gives_the_newest_matches_as_sorting_them_all_would(pg, second, monkeypatch, probe_first,
                                                                             match, halves):
    monkeypatch.setattr(models.search, "PROBE_FIRST", probe_first)
    if halves:  # every window and every range of a phrase's probe on two connections
        monkeypatch.setattr(models.search, "RANK_SPLIT_FROM", 1)
        monkeypatch.setattr(models.search, "PROBE_SPLIT_SPAN", 1.0)
    for count in (1, 2, 5, 13, 36, 100):
        for before in (None, 40, 7):
            newest = newest_by_sorting(pg.conn, match, count, before)
            assert [row[0] for row in _ts_newest_rows(pg.conn, match, count, before)] == newest
            ranked = _ts_newest(pg.conn, match, {"rank_query": match}, count, before, second if halves else None)
            assert [row[0] for row in ranked] == newest and all(rank < 0 for _, rank in ranked)
            if halves:
                assert ranked == _ts_newest(pg.conn, match, {"rank_query": match}, count, before)


def test_postgres_phrase_without_its_order_finds_a_superset():
    assert dialect.ts_unordered("'eclairage' <-> 'public'") == "'eclairage' & 'public'"
    assert (dialect.ts_unordered("( 'programme' <2> 'voirie' ) & ( 'a<->b' <-> 'l''ecole' ):*")
            == "( 'programme' & 'voirie' ) & ( 'a<->b' & 'l''ecole' ):*")  # quoted text kept


def test_postgres_probe_range_is_answered_inside_the_index(pg):
    """The lower bound of the ids is a condition of the GIN index (an int4 compared with a bigint
    would not be: the planner would then read every match, or walk the primary key); the upper
    bound is not (btree_gin would read every id below it)."""
    fetch(pg.conn, "SET enable_seqscan = off")  # this test's connection only
    plan = fetch(pg.conn, "EXPLAIN (FORMAT JSON) " + dialect.driver_params_sql(dialect.ts_probe_sql(True)),
                 {"query": "'voirie'", "low": 10, "high": 30})[0][0]
    assert dialect.TS_INDEX in str(plan)
    index_conds = [node["Index Cond"] for node in _nodes(plan[0]["Plan"]) if "Index Cond" in node]
    assert any("'10'::bigint" in cond and "voirie" in cond for cond in index_conds)
    assert not any("30" in cond for cond in index_conds)


def _nodes(node: dict) -> list[dict]:
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


def lexemes_of_the_index(conn) -> set[str]:
    return {row[0] for row in fetch(
        conn, f"SELECT DISTINCT unnest(tsvector_to_array({dialect.TS_COLUMN})) FROM deliberations")}


def word_list(conn) -> set[str]:
    return {row[0] for row in fetch(conn, f"SELECT term FROM {dialect.TERMS_TABLE}")}


def test_postgres_word_list_holds_every_lexeme_whoever_wrote_the_row(server):
    made = server.database()
    _fill(made)
    with psycopg.connect(_plain(made), autocommit=True) as conn:
        assert word_list(conn) == lexemes_of_the_index(conn)
        assert {"voirie", "subventions", "cluses"} <= word_list(conn)
        # Written behind the store, in SQL: the trigger adds the new words all the same.
        conn.execute("UPDATE deliberations SET title = 'Zygomorphes et xylophages' WHERE id = 1")
        assert {"zygomorphes", "xylophages"} <= word_list(conn)
        assert lexemes_of_the_index(conn) <= word_list(conn)
    with open_search(made) as source:
        assert [h.deliberation_id for h in search(source, "zygomorph")] == [1]
        assert search(source, "xylophag", window=None)[0].deliberation_id == 1


@pytest.mark.parametrize("typed", ["voiri", "subvention", "cluse*", "programme voiri", "nulle_part", "foot*"])
def test_postgres_prefix_searched_as_its_words_finds_what_the_prefix_finds(pg, monkeypatch, typed):
    as_words = search(pg, typed, limit=1000, window=None)
    monkeypatch.setattr(models.search, "MAX_PREFIX_WORDS", -1)  # every prefix stays a prefix
    assert search(pg, typed, limit=1000, window=None) == as_words


def test_postgres_prefix_is_turned_into_the_words_of_the_index(pg):
    assert _ts_prefix_words(pg.conn, "'voiri'") == "'voirie'"
    assert set(_ts_prefix_words(pg.conn, "'subvention'").split(" | ")) >= {"'subvention'", "'subventions'"}
    assert _ts_prefix_words(pg.conn, "'zzzzzz'") == "'zzzzzz'"  # no word: matches nothing, as the prefix
    assert _ts_prefix_words(pg.conn, "'l' <-> 'ecole'") is None  # several lexemes: the prefix stays


def test_postgres_upgrade_from_schema_4_builds_the_index_and_the_word_list(server):
    from alembic import command

    made = server.database()
    _fill(made)
    with open_search(made) as source:
        before = {typed: search(source, typed, limit=1000) for typed in ("voirie", "subvention", '"programme de voirie"')}
    engine = create_engine(dialect.engine_url(made))
    with engine.begin() as conn:
        command.downgrade(migrations.config(conn), "0004")
    with engine.connect() as conn:
        indexes = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'deliberations'")).scalars())
        assert dialect.TS_INDEX_BEFORE in indexes and dialect.TS_INDEX not in indexes
        assert conn.execute(text("SELECT to_regclass(:t)"), {"t": dialect.TERMS_TABLE}).scalar() is None
    with engine.begin() as conn:
        conn.execute(text("UPDATE schema_info SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()
    with open_search(made) as source:  # schema 4 read as it is: prefixes stay prefixes, same answers
        assert {typed: search(source, typed, limit=1000) for typed in before} == before
    with open_store(made) as store:
        assert store.upgraded_from == "4"
    with psycopg.connect(_plain(made), autocommit=True) as conn:
        indexes = {row[0] for row in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'deliberations'")}
        assert dialect.TS_INDEX in indexes and dialect.TS_INDEX_BEFORE not in indexes
        assert word_list(conn) == lexemes_of_the_index(conn)
    with open_search(made) as source:
        assert {typed: search(source, typed, limit=1000) for typed in before} == before


def test_postgres_filtered_page_filled_in_the_window_passes_the_filters(pg, monkeypatch):
    # As on SQLite: a word in too many deliberations to join them all, an authority in too many
    # to search from its side.
    monkeypatch.setattr(models.search, "JOIN_ALL_UP_TO_POSTGRESQL", 0)
    monkeypatch.setattr(models.search, "FILTER_DRIVES_UP_TO", 0)
    page = search_page(pg, "voirie", limit=2, window=5, authority="cluses")
    assert page.ranked_among == 5
    assert len(page.hits) == 2 and {h.authority for h in page.hits} == {CLUSES}
    everything = search(pg, "voirie", limit=1000, window=None)
    newest = sorted(h.deliberation_id for h in everything)[-5:]
    passing = [h for h in search(pg, "voirie", limit=1000, window=None, authority="cluses")
               if h.deliberation_id in newest]
    assert [(h.rank, h.deliberation_id) for h in page.hits] == sorted((h.rank, h.deliberation_id) for h in passing)[:2]


def test_postgres_filtered_page_short_in_the_window_widens_to_the_exact_answer(pg, monkeypatch):
    monkeypatch.setattr(models.search, "JOIN_ALL_UP_TO_POSTGRESQL", 0)
    monkeypatch.setattr(models.search, "FILTER_DRIVES_UP_TO", 0)
    for filters in ({"authority": "cluses"}, {"authority": "métropolitain"}, {"article": "2151"}):
        expected = search(pg, "voirie", limit=1000, window=None, **filters)
        page = search_page(pg, "voirie", limit=len(expected) + 1, window=2, **filters)
        assert page.hits == expected, filters
        assert page.ranked_among is None


WINDOW_QUERIES = ["voirie", "voirie cluses", "subvention", "voiri", "programme", '"programme de voirie"']


def pages(source, **filters) -> dict:
    return {(typed, window, limit): search_page(source, typed, window=window, limit=limit, **filters)
            for typed in WINDOW_QUERIES for window in (1, 2, 5, 13, 36, 100) for limit in (1, 3, 20, 1000)}


def rankings(monkeypatch) -> list[tuple[str, object, int]]:
    """("rank", connection, ids) of each window ranking and ("probe", connection, parity) of each
    half of a phrase's probe run from now on, whichever thread runs it."""
    seen: list[tuple[str, object, int]] = []
    run = models.search._run

    def spy(conn, sql, params):
        if sql == dialect.ts_rank_ids_sql():
            seen.append(("rank", conn, params["ids"].count(",") + 1))
        elif sql in (dialect.ts_probe_half_sql(True), dialect.ts_probe_half_sql(False)):
            seen.append(("probe", conn, params["half"]))
        return run(conn, sql, params)

    monkeypatch.setattr(models.search, "_run", spy)
    return seen


def split_everything(monkeypatch) -> None:
    monkeypatch.setattr(models.search, "RANK_SPLIT_FROM", 2)
    monkeypatch.setattr(models.search, "PROBE_SPLIT_SPAN", 1.0)


@pytest.mark.parametrize("source", ["search", "store"])
def test_postgres_window_ranked_on_two_connections_gives_the_pages_of_one(url, monkeypatch, source):
    opened = open_search(url) if source == "search" else open_store(url, readonly=True)
    with opened:
        monkeypatch.setattr(models.search, "RANK_SPLIT_FROM", 10**9)
        one = pages(opened)
        split_everything(monkeypatch)
        seen = rankings(monkeypatch)
        assert pages(opened) == one
    assert {kind for kind, _, _ in seen} == {"rank", "probe"} and len(seen) % 2 == 0
    for (kind, conn, n), (other_kind, other, m) in zip(seen[::2], seen[1::2]):  # halves, two by two
        assert kind == other_kind and conn is not other
        assert abs(n - m) <= 1 if kind == "rank" else {n, m} == {0, 1}


def test_postgres_window_ranked_on_one_connection_when_no_second_opens(url, monkeypatch):
    with open_search(url) as source:
        def refused(_url):
            raise psycopg2.OperationalError("too many clients already")

        monkeypatch.setattr(dialect, "connect_postgresql_reader", refused)
        monkeypatch.setattr(models.search, "RANK_SPLIT_FROM", 10**9)
        one = pages(source)
        split_everything(monkeypatch)
        seen = rankings(monkeypatch)
        assert pages(source) == one
        assert seen and {id(conn) for _, conn, _ in seen} == {id(source.conn)}


def test_postgres_store_without_a_second_connection_in_its_pool_ranks_on_one(url, monkeypatch):
    with open_search(url) as source:
        expected = search(source, "voirie", window=5, limit=1000)
    split_everything(monkeypatch)
    engine = create_engine(dialect.engine_url(url), pool_size=1, max_overflow=0, pool_timeout=0.2)
    with Store(engine) as store:
        assert search(store, "voirie", window=5, limit=1000) == expected
        # The second connection, asked for in vain, is given back as soon as the pool has it.
        deadline = time.monotonic() + 5
        while engine.pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert engine.pool.checkedout() == 0


def test_postgres_second_connection_that_breaks_is_left_for_one(url, monkeypatch):
    split_everything(monkeypatch)
    with open_search(url) as source:
        expected = search_page(source, "voirie", window=13, limit=20)
        second = source._second.get(5)
        assert second is not None
        with psycopg.connect(_plain(url), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (second.get_backend_pid(),))
        assert search_page(source, "voirie", window=13, limit=20) == expected
        assert source._second.get(0) is None  # not used again
        assert search_page(source, "voirie", window=13, limit=20) == expected


def test_postgres_second_connection_only_reads_and_is_closed_with_the_search(url, monkeypatch):
    monkeypatch.setattr(models.search, "RANK_SPLIT_FROM", 2)
    with open_search(url) as source:
        search(source, "voirie", window=5)
        second = source._second.get(5)
        assert fetch(second, "SHOW default_transaction_read_only") == [("on",)]
        search(source, "voirie", window=5)
        assert source._second.get(0) is second  # kept for the next searches
    assert second.closed


def test_second_connection_closed_while_it_opens_is_closed_once_open():
    class Connection:
        closed = False

        def close(self):
            self.closed = True

    gate, conn = threading.Event(), Connection()
    second = _Second(lambda: gate.wait(5) and conn)
    assert second.get(0.01) is None  # not open yet: the window is ranked on one connection
    second.close()  # does not wait for it
    gate.set()
    assert second.get(5) is None
    assert conn.closed
