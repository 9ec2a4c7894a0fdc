"""Full-text search over deliberations, with the filters analysts ask for.

Whatever a person types is safe: `dialect.fts_query` quotes every token, so `NOT`, `OR`,
`NEAR`, `*`, `-`, `:`, parentheses and unbalanced quotes are plain words, never FTS5 syntax;
a quoted part is searched as a phrase.

What a search costs, and what gives when a word is in very many deliberations:
1. FTS5's bm25 scores a match for about ten times what walking past it costs, so the ranking is
   done on a bounded set: the newest WINDOW matches (the highest ids: the most recently
   imported), walked newest first and scored, then sorted on (rank, id). When that is every
   match, the page is the exact top of the full ranking; when more match, the page is the exact
   top of those newest matches, and `search_page` says so (`ranked_among`): `delib search`
   prints it, and `--all-matches` (window=None) ranks every match instead.
2. The filters stay exact: only matches that pass them make the page. Without a filter the user
   chose, the best of the window are checked by growing batches (the current-file check rejects
   few); with one, the join ranks only the rows that pass (SQLite computes bm25 for them only).
   While the filters leave the page short, the window grows WIDEN times, up to every match. A
   filter that leaves few deliberations (an authority, a person...) is driven from their side
   instead, every match ranked (`_among_candidates`).
3. A prefix word (4 letters or more) is searched as the OR of the index's words it stands for
   (`_prefix_words`): SQLite 3.40's FTS5 merges a prefix's doclists before the first row, an OR
   it walks row by row and stops. On PostgreSQL likewise (`_ts_prefix_words`: GIN gathers every
   match of a prefix first), and the newest matches are found by ranges of ids inside the GIN
   index of the words and the id (`_ts_newest_rows`), as FTS5 walks its doclists newest first.
   A large window is ranked on two connections at once, half on each (`_ts_rank_ids`; a
   phrase's probe likewise, `_ts_probe`): PostgreSQL runs a query on one core.
4. Only the rows shown are then read: their columns, current path and snippet (computed on a
   temporary index of those rows only: see `dialect.snippet_statements`).
What stays proportional to all the matches, whatever the window: bm25 counts each phrase's
matches once (its idf). A walk, several times cheaper than scoring: docs/search.md has the
figures.

The SQL is plain text run through the DB-API connection: `delib search` opens a SQLite file with
the sqlite3 module alone (`open_search`), without importing SQLAlchemy; a `Store` works too.
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from models import dialect
from models.keys import normalize_name

if TYPE_CHECKING:
    from models.store import Store

FIRST_FETCH = 64  # rows the index returns beyond the page: what the current-file check may reject
WINDOW = 5_000  # matches ranked at most, newest first, before widening (measures: docs/search.md)
# With filters the user chose, the exact join walks every match but scores only those that pass:
# up to about this many matches it costs less than trying a window first.
JOIN_ALL_UP_TO = 50_000
# PostgreSQL: ts_rank reads each ranked row's tsvector out of line (TOAST, about 6 us a row), and
# the window's probe costs little: the exact join pays sooner.
JOIN_ALL_UP_TO_POSTGRESQL = 10_000
# PostgreSQL's probe for the newest matches (`_ts_newest_rows`): the first range of ids it reads is
# this many times the matches wanted; the next ones follow the density of the matches found.
PROBE_FIRST = 2
WIDEN = 4  # how much larger the next window is, when the filters left the page short
# A prefix word that stands for more words than this stays a prefix (a guard: measured at 1M
# deliberations, an OR of 6,098 words still took a third of its prefix's merge; docs/search.md).
MAX_PREFIX_WORDS = 10_000
# A filter that leaves at most this many deliberations (a few authorities, a person, an article,
# a large amount) is searched from their side: their ids first, then the matches among them.
FILTER_DRIVES_UP_TO = 20_000
# PostgreSQL: a window of at least this many matches is ranked on two connections at once, half
# on each (`_ts_rank_ids`): ts_rank reads every tsvector out of line, work PostgreSQL does on one
# core for one query. Measured at a million: 500 ids 6.7 -> 4.2 ms, 250 2.7 -> 1.8 (docs/search.md);
# below, a millisecond or less to win.
RANK_SPLIT_FROM = 500
# How long a ranking waits for the second connection still being opened, in seconds: it takes a
# few milliseconds, begun with the search; longer than ranking on one takes is not worth waiting.
SECOND_WAIT = 0.1
# A phrase's probe is run in two halves (`_ts_probe`) over a range of at most this share of the
# ids: wider, PostgreSQL may read the whole table rather than the index for the candidates (at a
# million, from 15-30% of the rows), and each half would read it all.
PROBE_SPLIT_SPAN = 0.1


@dataclass(frozen=True, slots=True)
class SearchHit:
    deliberation_id: int
    rank: float  # FTS5 bm25: lower (more negative) is more relevant; 0.0 when no words were given
    snippet: str  # matched words between « and », elisions as …
    session_date: date | None
    authority: str | None
    number: str | None
    title: str | None
    path: str | None  # a current path of its document (the smallest, when there are several)


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[SearchHit]
    # None: every match was ranked, the page is the top of the exact ranking. A number: more
    # deliberations match, and only this many of the newest (the highest ids) were ranked.
    ranked_among: int | None


class SearchDatabase:
    """A database opened for searching only (no schema check, nothing written): a SQLite file
    through sqlite3, or a PostgreSQL database through psycopg2 (neither imports SQLAlchemy)."""

    def __init__(self, conn: Any, url: str | None = None) -> None:
        self.conn = conn
        self._url = url
        self._engine: Any = None
        self._second: _Second | None = None

    @property
    def engine(self) -> Any:
        """A SQLAlchemy engine on the same database, made when first asked (for a caller that
        needs more than the search: SQLAlchemy is imported then, not before)."""
        if self._engine is None:
            if self._url is None:
                raise AttributeError("engine")
            from sqlalchemy import create_engine

            self._engine = create_engine(dialect.engine_url(self._url),
                                         **dialect.engine_options(self._url, readonly=True))
        return self._engine

    def _second_connection(self) -> "_Second | None":
        """A second connection to a PostgreSQL database, for a window ranked in two halves:
        opened in a thread when first asked, then kept for the next searches until `close`.
        None for a SQLite file or a connection given without its URL."""
        if self._second is None and self._url is not None and _is_postgresql(self.conn):
            url = self._url
            self._second = _Second(lambda: dialect.connect_postgresql_reader(url))
        return self._second

    def close(self) -> None:
        self.conn.close()
        if self._second is not None:
            self._second.close()
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> "SearchDatabase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_search(url: str) -> "SearchDatabase | Store":
    """What `search` reads: a SQLite file through sqlite3 alone, a PostgreSQL database through
    psycopg2 alone (both fast to start, read only), else a Store.

    A SQLite file that does not exist is an error (FileNotFoundError), never a new database; a
    database without delib's deliberations is one too (NotADelibDatabase).
    """
    path = dialect.sqlite_file(url)
    if path is not None:
        return _holding_deliberations(SearchDatabase(dialect.connect_reader(path)))
    if dialect.is_postgresql_url(url):
        return _holding_deliberations(SearchDatabase(dialect.connect_postgresql_reader(url), url))
    from models.store import open_store

    return open_store(url, readonly=dialect.is_postgresql_url(url))  # a server: read, never create


class NotADelibDatabase(LookupError):
    """The database opened for a search holds no deliberations table: not made by delib."""


def _holding_deliberations(db: SearchDatabase) -> SearchDatabase:
    """`db`, once seen to hold delib's deliberations; else closed, and NotADelibDatabase (the
    search would otherwise stop at its first query, in the driver's words, on a missing table or
    text search configuration)."""
    sql = ("SELECT to_regclass('deliberations') IS NOT NULL" if _is_postgresql(db.conn) else
           "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'deliberations'")
    if not _run(db.conn, sql, {})[0][0]:
        db.close()
        raise NotADelibDatabase("this is not a delib database (no deliberations table; `delib import` makes one)")
    return db


def search(
    store: "Store | SearchDatabase",
    query: str,
    *,
    authority: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    article: str | None = None,
    person: str | None = None,
    min_amount: Decimal | int | str | None = None,
    limit: int = 20,
    include_superseded: bool = False,
    window: int | None = WINDOW,
) -> list[SearchHit]:
    """Deliberations matching every word of `query`, best first, narrowed by the filters.

    - authority: case-insensitive part of the authority's name ('cluses')
    - date_from / date_to: session date bounds, inclusive
    - article: a budget code or its prefix ('6574' also finds 65748; '65' a whole chapitre)
    - person: a name in the attendance, folded like persons.normalized_name; a single word
      matches a whole word of the name ('georget' finds 'Jean-Claude GEORGET')
    - min_amount: at least one amount >= this value (in the amount's own currency)
    - include_superseded: also old versions of files that changed since
    - window: when more deliberations match, rank only the newest matches (at least this many,
      see the module's docstring); None ranks every match. `search_page` tells which was done.

    A query without any searchable word lists the filtered deliberations, newest first.
    """
    return search_page(store, query, authority=authority, date_from=date_from, date_to=date_to,
                       article=article, person=person, min_amount=min_amount, limit=limit,
                       include_superseded=include_superseded, window=window).hits


def search_page(
    store: "Store | SearchDatabase",
    query: str,
    *,
    authority: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    article: str | None = None,
    person: str | None = None,
    min_amount: Decimal | int | str | None = None,
    limit: int = 20,
    include_superseded: bool = False,
    window: int | None = WINDOW,
) -> SearchPage:
    """`search`, with what the ranking covered: every match, or only the newest ones."""
    limit = max(int(limit), 0)
    if limit == 0:
        return SearchPage([], None)
    selective = any(x is not None and x != "" for x in (authority, date_from, date_to, article, person, min_amount))
    with (opened := _connection(store)) as conn:
        if _is_postgresql(conn):
            return _search_postgresql(conn, query, authority, date_from, date_to, article, person, min_amount,
                                      limit, include_superseded, window, selective, opened.second)
        filters, params = _filters(authority, date_from, date_to, article, person, min_amount, include_superseded)
        match = dialect.fts_query(query)
        if match is None:
            rows = _run(conn, _listing_sql(filters), {**params, "limit": limit})
            return SearchPage(_hits(conn, [(row[0], 0.0) for row in rows], None), None)
        ranking = _expanded(conn, query)  # the same matches as `match`, walked without a merge
        if (found := _among_candidates(conn, ranking, filters, params, limit, article, FTS5)) is not None:
            return SearchPage(_hits(conn, found, match), None)
        ranked, among = _windowed(conn, ranking, filters, params, limit, selective, window, FTS5)
        return SearchPage(_hits(conn, ranked, match), among)


@dataclass(frozen=True, slots=True)
class _Index:
    """What differs between the databases' full-text indexes for the window and the filters' side
    (the control that uses it is the same on both: the same pages, the same `ranked_among`)."""
    # (conn, query, params, count, before) -> (id, rank) of the `count` newest matches below
    # `before` (None: of all), newest first
    newest: Callable[[Any, str, dict[str, Any], int, int | None], list[tuple]]
    # (conn, query, size) -> the id below the `size` newest matches (None: `size` match or fewer)
    window_start: Callable[[Any, str, int], int | None]
    rank_join: Callable[[str, bool], str]  # (id, rank) of the best :limit passing the filters (id > :after)
    rank_among: Callable[[str], str]  # the same among the deliberations :ids (a JSON list)
    join_all_up_to: Callable[[], int]  # matches up to which the exact join beats a window (with filters)
    dialect_name: str


def _fts_newest(conn: Any, match: str, params: dict[str, Any], count: int, before: int | None) -> list[tuple]:
    return _run(conn, dialect.fts_newest_sql(before is not None),
                {**params, "query": match, "window": count, "before": before})


def _fts_window_start(conn: Any, match: str, size: int) -> int | None:
    found = _run(conn, dialect.fts_window_sql(), {"query": match, "window": size})
    return found[0][0] if found else None


def _ts_newest(conn: Any, match: str, params: dict[str, Any], count: int, before: int | None,
               second: "_Second | None" = None) -> list[tuple]:
    """`_Index.newest` on PostgreSQL; `second`: a second connection for a large window, ranked on
    both at once (ts_rank reads each row's tsvector out of line, TOAST, and PostgreSQL runs one
    query on one core, never in parallel whatever its settings: two connections use two)."""
    if _ts_checks_positions(match):
        # PostgreSQL reads each candidate's tsvector to check the positions: ranked in the same
        # query, the second read finds its pages in shared buffers (a read of its own, later, would
        # not find them there: 5,000 tsvectors fill more than a default 128 MB).
        return _ts_newest_rows(conn, match, count, before, params, second)
    ids = [row[0] for row in _ts_newest_rows(conn, match, count, before)]
    return _ts_rank_ids(conn, second, params, ids) if ids else []


def _ts_rank_ids(conn: Any, second: "_Second | None", params: dict[str, Any], ids: list[int]) -> list[tuple]:
    """(id, rank) of the window `ids` (newest first), newest first: from RANK_SPLIT_FROM ids, the
    newer half on `conn` and the older on `second` at once, when it can be had."""
    sql = dialect.ts_rank_ids_sql()
    helper = _helper(second) if len(ids) >= RANK_SPLIT_FROM else None
    if helper is None:
        return _run(conn, sql, {**params, "ids": _id_array(ids)})
    half = len(ids) // 2
    # Each half newest first, the newer half first: as one query gives them.
    return _on_two(conn, second, helper, sql, {**params, "ids": _id_array(ids[:half])},
                   {**params, "ids": _id_array(ids[half:])})


def _id_array(ids: Sequence[int]) -> str:
    """The ids as an array's text: psycopg adapts a list of 2,500 ints in 2-3 ms of Python (holding
    the GIL that the other half's thread needs), this in a fifth of that."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _helper(second: "_Second | None") -> Any:
    """The `second` connection, once open (None: there is none, or not in time)."""
    return second.get(SECOND_WAIT) if second is not None else None


def _on_two(conn: Any, second: "_Second", helper: Any, sql: str, mine: dict[str, Any],
            theirs: dict[str, Any]) -> list[tuple]:
    """The rows of `sql` with the parameters `mine`, then with `theirs`: run at once on `conn` and
    on `helper` (`second`'s connection) in a thread, the driver letting go of the GIL while it waits.
    When the helper fails, `theirs` runs on `conn` after `mine`, and `second` is closed: this
    search and the next do without it."""
    other = _Background(partial(_run, helper, sql, theirs))
    try:
        rows = _run(conn, sql, mine)
    finally:  # the second connection free again before anything may close it
        their_rows = other.result()
    if their_rows is None:
        second.close()
        their_rows = _run(conn, sql, theirs)
    return rows + their_rows


def _ts_window_start(conn: Any, match: str, size: int) -> int | None:
    rows = _ts_newest_rows(conn, match, size + 1, None)
    return rows[size][0] if len(rows) > size else None


def _ts_checks_positions(match: str) -> bool:
    """Whether the tsquery has a phrase (`<->`, `<2>`...), which GIN cannot answer alone."""
    return "<" in re.sub(r"'(?:[^']|'')*'", "", match)


def _ts_newest_rows(conn: Any, match: str, count: int, before: int | None,
                    ranking: dict[str, Any] | None = None, second: "_Second | None" = None) -> list[tuple]:
    """The `count` newest matches of the tsquery `match` below `before` (None: of all), newest
    first: (id,), or (id, rank) with `ranking` (the parameters holding :rank_query). The matches
    above an id, read inside the GIN index (`dialect.ts_probe_sql`), that id lowered until they
    are enough: a cost that follows the ids read and the matches among them, not all the word's
    matches (PostgreSQL would either gather every match and sort them, or walk the primary key
    testing each row's tsvector).

    The first try reads the newest PROBE_FIRST times `count` ids; the next ones as many as the
    density of the matches found needs for `count`, with a margin of three standard errors of
    that density (so that one more try nearly always ends it: each try walks again the index
    above its bound, and for a phrase reads each candidate's tsvector there to check it). Each
    try keeps only the matches below those already found (tested on the rows: neither ranked
    again nor, probed in halves, checked again). When the matches left below are few at that
    density (three times those still wanted or fewer; none found: a rare word), every match is
    read by the words alone.

    `second`: a second connection, for the ranked probe of a phrase (`_ts_probe`).
    """
    top = before - 1 if before is not None else _run(conn, "SELECT max(id) FROM deliberations", {})[0][0] or 0
    span, high, found = max(math.ceil(PROBE_FIRST * count), 1), top, []
    while True:
        bounded = span < top
        halves = second if count >= RANK_SPLIT_FROM and span <= PROBE_SPLIT_SPAN * top else None
        found += _ts_probe(conn, match, bounded, {**(ranking or {}), "low": top - span, "high": high},
                           ranking is not None, halves)
        if not bounded or len(found) >= count:
            return sorted(found, key=lambda row: row[0], reverse=True)[:count]
        high = top - span  # the next try's matches: those below the ids read so far
        density = len(found) / span
        if density * (top - span) <= 3 * (count - len(found)):
            span = top
        else:  # three standard errors of the density found, at least a tenth, at most twice
            margin = min(max(1 + 3 / math.sqrt(len(found)), 1.1), 2.0)
            span = max(math.ceil(margin * count / density), span + 1)


def _ts_probe(conn: Any, match: str, bounded: bool, params: dict[str, Any], ranked: bool,
              second: "_Second | None") -> list[tuple]:
    """The matches of one try of `_ts_newest_rows` (`dialect.ts_probe_sql`), in no order. Ranked
    (a phrase, each candidate's tsvector read to check it), in two halves at once, the ids of each
    parity on their own connection, when a `second` is given (`dialect.ts_probe_half_sql`; only
    for a narrow range: see PROBE_SPLIT_SPAN)."""
    params = {**params, "query": match}
    helper = _helper(second) if ranked else None
    if helper is None:
        return _run(conn, dialect.ts_probe_sql(bounded, ranked=ranked), params)
    params["words"] = dialect.ts_unordered(match)
    return _on_two(conn, second, helper, dialect.ts_probe_half_sql(bounded),
                   {**params, "half": 0}, {**params, "half": 1})


FTS5 = _Index(_fts_newest, _fts_window_start, dialect.fts_rank_join_sql, dialect.fts_rank_among_sql,
              lambda: JOIN_ALL_UP_TO, "sqlite")
TSVECTOR = _Index(_ts_newest, _ts_window_start, dialect.ts_rank_sql, dialect.ts_rank_among_sql,
                  lambda: JOIN_ALL_UP_TO_POSTGRESQL, "postgresql")


def _expanded(conn: Any, query: str) -> str:
    """The FTS5 query that finds what `dialect.fts_query(query)` finds, each prefix word written
    as the OR of the index's words it stands for (see `_prefix_words`)."""
    # AND written out: FTS5 reads two phrases side by side as AND, but not a bracketed OR.
    return " AND ".join((_prefix_words(conn, text) if prefix else None) or dialect.fts_part(text, prefix)
                        for text, prefix in dialect.query_parts(query))


def _prefix_words(conn: Any, text: str) -> str | None:
    """A prefix word as an OR of the index's words that start so (FTS5 walks an OR newest first
    and stops at the LIMIT, where it merges a prefix's doclists first), or None to keep the
    prefix: a part of several words, more than MAX_PREFIX_WORDS words, or a database without
    the word list (made before schema 3, read as it is).

    bm25 then weighs each word by its own rarity, as if they had been typed joined by OR: the
    same matches, a slightly different ranking than the prefix's.
    """
    tokens = _tokens(conn, text)
    if len(tokens) != 1:
        return None
    token = tokens[0]
    high = _prefix_end(token)
    if high is None:
        return None
    try:
        words = [row[0] for row in _run(conn, dialect.prefix_terms_sql(), {"low": token, "high": high})]
    except sqlite3.OperationalError:  # no word list: a database before schema 3
        return None
    if len(words) > MAX_PREFIX_WORDS:
        return None
    # No word starts so: the token itself, in no deliberation, matches nothing as the prefix would.
    return dialect.fts_any(words or [token])


def _prefix_end(token: str) -> str | None:
    """The first string after every word that starts with `token`, in code point order (the
    words' order in both word lists): `token` with its last character incremented."""
    after = ord(token[-1]) + 1
    if 0xD800 <= after < 0xE000:  # no character there: the next one is U+E000
        after = 0xE000
    if after > 0x10FFFF:
        return None
    return token[:-1] + chr(after)


def _tokens(conn: Any, text: str) -> list[str]:
    """`text` split into words by the index's own tokenizer (case and accents folded)."""
    create_table, create_vocab, insert, select, clear = dialect.tokens_statements()
    cursor = conn.cursor()
    try:
        cursor.execute(create_table)  # kept for the connection's next search, as the snippets' table
        cursor.execute(create_vocab)
        cursor.execute(insert, {"text": text})
        cursor.execute(select)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.execute(clear)
        cursor.close()


def _among_candidates(conn: Any, ranking: str, filters: str, params: dict[str, Any], limit: int,
                      article: str | None, index: _Index) -> list[tuple[int, float]] | None:
    """The exact page of a search that a filter narrows to few deliberations, driven from that
    filter's side: its deliberations first (read by the filter's index), then the matches that
    are among them. None when no filter of the search names FILTER_DRIVES_UP_TO deliberations
    or fewer (the window's way costs less then)."""
    for sql, extra in _candidate_sources(conn, params, article, index):
        ids = [row[0] for row in _run(conn, sql + " LIMIT :cap", {**params, **extra, "cap": FILTER_DRIVES_UP_TO + 1})]
        if len(ids) <= FILTER_DRIVES_UP_TO:
            break
    else:
        return None
    if not ids:
        return []
    rows = _run(conn, index.rank_among(filters),
                {**params, "query": ranking, "ids": json.dumps(ids), "limit": limit})
    return [(row[0], row[1]) for row in rows]


def _candidate_sources(conn: Any, params: dict[str, Any], article: str | None,
                       index: _Index) -> Iterator[tuple[str, dict[str, Any]]]:
    """(SQL, its parameters beside the filters') listing the deliberation ids that pass one
    filter, or a few more, by that filter's index; one per filter that has such a reading, in
    the order they are tried. A superset is enough: the ranking applies every filter again."""
    if "authority" in params:
        # The authorities first (one index step each), then their deliberations by name.
        names = [row[0] for row in _run(conn, dialect.authority_names_sql(), {"authority": params["authority"]})]
        yield (f"SELECT id FROM deliberations WHERE "
               f"{dialect.in_json_list_sql('authority', ':names', dialect_name=index.dialect_name)}",
               {"names": json.dumps(names)})
    if "person" in params:
        yield (r"SELECT a.deliberation_id FROM attendance a JOIN persons p ON p.id = a.person_id "
               r"WHERE p.normalized_name = :person OR ' ' || p.normalized_name || ' ' LIKE :person_word ESCAPE '\'",
               {})
    code = "".join((article or "").split())
    if code.isascii() and code.isdigit():  # digits only: LIKE's prefix is exactly an index range
        yield ("SELECT deliberation_id FROM budget_articles WHERE code >= :code_from AND code < :code_to",
               {"code_from": code, "code_to": code[:-1] + chr(ord(code[-1]) + 1)})
    if "cents" in params:
        yield "SELECT deliberation_id FROM amounts WHERE value_cents >= :cents", {}


def _windowed(conn: Any, match: str, filters: str, params: dict[str, Any], limit: int, selective: bool,
              window: int | None, index: _Index) -> tuple[list[tuple[int, float]], int | None]:
    """The page, and how many of the newest matches it was ranked among (None: all of them)."""
    if window is None:
        return _ranked(conn, match, filters, params, limit, selective), None
    if selective:
        return _windowed_join(conn, match, filters, params, limit, max(int(window), 1), index)
    scored: list[tuple[float, int]] = []  # (rank, id) of the matches ranked so far
    verdicts: dict[int, bool] = {}  # id -> passes the filters
    size, before = max(int(window), 1), None
    while True:
        rows = index.newest(conn, match, params, size + 1, before)
        older = len(rows) > size  # some matches are older than those ranked
        scored.extend((rank, i) for i, rank in rows[:size])
        scored.sort()
        page = _first_passing(conn, scored, filters, params, limit, verdicts)
        if not older:
            return page, None
        if len(page) == limit:
            return page, len(scored)
        # Only superseded files among the best: rank older matches too, WIDEN times more.
        before = rows[size - 1][0]
        size *= WIDEN


def _windowed_join(conn: Any, match: str, filters: str, params: dict[str, Any], limit: int,
                   size: int, index: _Index) -> tuple[list[tuple[int, float]], int | None]:
    """With filters the user chose: the join (bm25 for the rows that pass only) over the newest
    `size` matches, then a wider window while the page is short, then every match.

    Where the newest `size` matches start tells how dense the word is, so about how many match
    in all: up to JOIN_ALL_UP_TO, the exact join costs less than a window and a second try.
    """
    newest = _run(conn, "SELECT max(id) FROM deliberations", {})[0][0] or 0
    while True:
        after = index.window_start(conn, match, size)
        if after is None:
            break
        estimate = size * newest / max(newest - after, 1)  # matches in all, at this density
        if estimate <= index.join_all_up_to():
            break
        page = _joined(conn, match, filters, {**params, "after": after}, limit, after=True, index=index)
        if len(page) == limit:
            return page, size
        # As many times wider as the page needs at the rate the filters let matches through
        # (each try costs its own walk: a few large steps beat many small ones).
        size *= max(WIDEN, -(-2 * limit // max(len(page), 1)))
        if size >= estimate:
            break
    return _joined(conn, match, filters, params, limit, index=index), None


def _first_passing(conn: Any, scored: list[tuple[float, int]], filters: str, params: dict[str, Any],
                   limit: int, verdicts: dict[int, bool]) -> list[tuple[int, float]]:
    """The first `limit` of `scored` (in order) that pass the filters, checked by growing batches
    (the first batch is what the current-file check alone may leave)."""
    page: list[tuple[int, float]] = []
    start, batch = 0, limit + FIRST_FETCH
    while len(page) < limit and start < len(scored):
        chunk = scored[start:start + batch]
        unknown = [i for _, i in chunk if i not in verdicts]
        if unknown:
            kept = _passing(conn, unknown, filters, params)
            verdicts.update((i, i in kept) for i in unknown)
        page.extend((i, rank) for rank, i in chunk if verdicts[i])
        start += batch
        batch *= 4
    return page[:limit]


def _ranked(conn: Any, match: str, filters: str, params: dict[str, Any], limit: int,
            selective: bool) -> list[tuple[int, float]]:
    """(id, rank) of the page, best first, exactly as ranking every match would give it."""
    # Either path walks every match once. With a filter the user chose, how many matches pass is
    # unknown (an authority's name: a few; a year: many): the join is never more than one walk.
    if selective:
        return _joined(conn, match, filters, params, limit)
    fetch = limit + FIRST_FETCH
    top = _run(conn, dialect.fts_top_sql(), {"query": match, "fetch": fetch})
    kept = _passing(conn, [row[0] for row in top], filters, params)
    page = [(i, r) for i, r in top if i in kept][:limit]
    # (rank, id) is a total order: the page is exact once it is full, or when every match was
    # fetched.
    if len(page) == limit or len(top) < fetch:
        return page
    return _joined(conn, match, filters, params, limit)


def _joined(conn: Any, match: str, filters: str, params: dict[str, Any], limit: int,
            after: bool = False, index: _Index = FTS5) -> list[tuple[int, float]]:
    return [(row[0], row[1]) for row in _run(conn, index.rank_join(filters, after),
                                             {**params, "query": match, "limit": limit})]


def _passing(conn: Any, ids: Sequence[int], filters: str, params: dict[str, Any]) -> set[int]:
    if not filters:
        return set(ids)
    marks = ", ".join(str(int(i)) for i in ids)  # integers from the index itself
    sql = f"SELECT d.id FROM deliberations d WHERE d.id IN ({marks}) AND {filters}"
    return {row[0] for row in _run(conn, sql, params)}


def _listing_sql(filters: str) -> str:
    return ("SELECT d.id FROM deliberations d" + (f" WHERE {filters}" if filters else "")
            + " ORDER BY d.session_date DESC, d.id DESC LIMIT :limit")  # NULL sorts last in DESC


def _hits(conn: Any, ranked: list[tuple[int, float]], match: str | None) -> list[SearchHit]:
    """The page's rows, read for these ids only: columns, current path, snippet."""
    if not ranked:
        return []
    ids = [i for i, _ in ranked]
    marks = ", ".join(str(int(i)) for i in ids)
    rows = {row[0]: row for row in _run(conn, f"""
        SELECT d.id, d.session_date, d.authority, d.number, d.title,
               (SELECT min(p.path) FROM document_paths p
                WHERE p.document_id = d.document_id AND p.is_current = {dialect.TRUE})
        FROM deliberations d WHERE d.id IN ({marks})""", {})}
    if match is not None:
        snippets = _snippets(conn, marks, match)
    else:
        snippets = {i: rows[i][4] or "" for i in ids}
    return [
        SearchHit(i, float(rank), snippets.get(i) or "", _date(rows[i][1]), rows[i][2], rows[i][3], rows[i][4],
                  rows[i][5])
        for i, rank in ranked
    ]


def _snippets(conn: Any, marks: str, match: str) -> dict[int, str]:
    create, insert, select, clear = dialect.snippet_statements()
    columns = ", ".join(dialect.FTS_COLUMNS)
    rows = _run(conn, f"SELECT id, {columns} FROM deliberations WHERE id IN ({marks})", {})
    cursor = conn.cursor()
    try:
        cursor.execute(create)  # kept for the connection's next search: creating it costs more
        cursor.execute(clear)
        cursor.executemany(insert, rows)
        cursor.execute(select, {"query": match})
        return {row[0]: row[1] for row in cursor.fetchall()}
    finally:
        cursor.execute(clear)
        cursor.close()


def _filters(
    authority: str | None,
    date_from: date | None,
    date_to: date | None,
    article: str | None,
    person: str | None,
    min_amount: Decimal | int | str | None,
    include_superseded: bool,
    true: str = dialect.TRUE,
) -> tuple[str, dict[str, Any]]:
    """SQL conditions over `d` (deliberations), joined by AND, and their parameters; `true` is how
    the database spells a true Boolean (`dialect.true_sql`)."""
    found: list[str] = []
    params: dict[str, Any] = {}
    if authority:
        found.append(r"lower(d.authority) LIKE :authority ESCAPE '\'")
        params["authority"] = f"%{_escape_like(authority.lower())}%"
    if date_from is not None:
        found.append("d.session_date >= :date_from")
        params["date_from"] = date_from.isoformat()
    if date_to is not None:
        found.append("d.session_date <= :date_to")
        params["date_to"] = date_to.isoformat()
    if article:
        found.append(r"EXISTS (SELECT 1 FROM budget_articles b WHERE b.deliberation_id = d.id "
                     r"AND b.code LIKE :article ESCAPE '\')")
        params["article"] = _escape_like("".join(article.split())) + "%"
    if person:
        if key := normalize_name(person):
            found.append(r"EXISTS (SELECT 1 FROM attendance a JOIN persons p ON p.id = a.person_id "
                         r"WHERE a.deliberation_id = d.id AND (p.normalized_name = :person "
                         r"OR ' ' || p.normalized_name || ' ' LIKE :person_word ESCAPE '\'))")
            params["person"] = key
            params["person_word"] = f"% {_escape_like(key)} %"
    if min_amount is not None:
        found.append("EXISTS (SELECT 1 FROM amounts m WHERE m.deliberation_id = d.id AND m.value_cents >= :cents)")
        params["cents"] = int((Decimal(str(min_amount)) * 100).to_integral_value())
    if not include_superseded:
        found.append(f"EXISTS (SELECT 1 FROM document_paths p WHERE p.document_id = d.document_id "
                     f"AND p.is_current = {true})")
    return " AND ".join(found), params


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class _connection:
    """The DB-API connection of either source, for the length of one search."""

    def __init__(self, source: "Store | SearchDatabase") -> None:
        self._source = source
        self._raw: Any = None
        self._second: _Second | None = None

    def __enter__(self) -> Any:
        if isinstance(self._source, SearchDatabase):
            return self._source.conn
        self._raw = self._source.engine.raw_connection()
        return self._raw

    def second(self) -> "_Second | None":
        """A second connection to the same database (PostgreSQL only), its opening begun: the
        SearchDatabase's own, or one more from the Store's pool for this search."""
        if isinstance(self._source, SearchDatabase):
            return self._source._second_connection()
        if self._second is None:
            self._second = _Second(self._source.engine.raw_connection)
        return self._second

    def __exit__(self, *exc: object) -> None:
        if self._second is not None:
            self._second.close()  # back to the pool
        if self._raw is not None:
            self._raw.close()


def _driver(conn: Any) -> str:
    """'psycopg' (3: a Store's, through SQLAlchemy's pool proxy), 'psycopg2' (a SearchDatabase's,
    `dialect.connect_postgresql_reader`) or 'sqlite3'."""
    return type(getattr(conn, "dbapi_connection", conn)).__module__.partition(".")[0]


def _is_postgresql(conn: Any) -> bool:
    """A PostgreSQL connection, through either driver."""
    return _driver(conn) in ("psycopg", "psycopg2")


def _run(conn: Any, sql: str, params: dict[str, Any]) -> list[tuple]:
    """Rows of `sql`, written with :name parameters, on either database."""
    cursor = conn.cursor()
    try:
        driver = _driver(conn)
        if driver == "psycopg":
            # Never a prepared (generic) plan: which plan is cheap depends on how many rows
            # match these very words (the newest by the id's index, or all by the GIN index).
            cursor.execute(dialect.driver_params_sql(sql), params, prepare=False)
        elif driver == "psycopg2":  # never prepares: it writes the parameters into the SQL
            cursor.execute(dialect.driver_params_sql(sql), dialect.without_nul(params))
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


# -- PostgreSQL: a tsvector column, ranked by ts_rank (the SQL is in models.dialect) ---------------

def _search_postgresql(conn: Any, query: str, authority: str | None, date_from: date | None,
                       date_to: date | None, article: str | None, person: str | None,
                       min_amount: Decimal | int | str | None, limit: int, include_superseded: bool,
                       window: int | None, selective: bool,
                       open_second: Callable[[], "_Second | None"] = lambda: None) -> SearchPage:
    """`search_page` on a PostgreSQL database: the same filters and reading of the query, the
    same matches (words with accents folded, prefixes), the same control (the filters' side, the
    window of the newest matches, widened as on SQLite); the French stems help rank.

    `open_second` gives a second connection, asked for (its opening begun, in a thread) as soon as
    the search is known to rank a window of the newest matches: words, a window, no filter of the
    user's (a filter's search ranks in its join or among its own deliberations)."""
    filters, params = _filters(authority, date_from, date_to, article, person, min_amount, include_superseded,
                               true=dialect.true_sql("postgresql"))
    # Dates as dates: PostgreSQL compares a DATE with a date, not with the text SQLite stores.
    params.update({k: v for k, v in (("date_from", date_from), ("date_to", date_to)) if k in params})
    parts = dialect.query_parts(query)
    if not parts:
        ids = [row[0] for row in _run(conn, dialect.ts_listing_sql(filters), {**params, "limit": limit})]
        return SearchPage(_hits_postgresql(conn, [(i, 0.0) for i in ids], None), None)
    second = open_second() if window is not None and not selective else None
    lexemes = _run(conn, dialect.TS_LEXEMES_SQL, {"parts": [t for t, _ in parts]})
    prefixes = [prefix for _, prefix in parts]
    tsquery = dialect.ts_query([words for words, _ in lexemes], prefixes)  # as typed: ranks, snippets
    if tsquery is None:
        return SearchPage([], None)
    stems = dialect.ts_query([stem for _, stem in lexemes], [False] * len(parts))
    params["rank_query"] = dialect.ts_rank_query(tsquery, stems)
    # What finds the matches: the same ones, each prefix word as the OR of its words.
    words = [(_ts_prefix_words(conn, text) if prefix else None) for (text, _), prefix in zip(lexemes, prefixes)]
    match = dialect.ts_query([w or text for w, (text, _) in zip(words, lexemes)],
                             [prefix and w is None for w, prefix in zip(words, prefixes)]) or tsquery
    if (found := _among_candidates(conn, match, filters, params, limit, article, TSVECTOR)) is not None:
        return SearchPage(_hits_postgresql(conn, found, tsquery), None)
    if window is None:
        return SearchPage(_hits_postgresql(conn, _joined(conn, match, filters, params, limit, index=TSVECTOR),
                                           tsquery), None)
    index = replace(TSVECTOR, newest=partial(_ts_newest, second=second)) if second is not None else TSVECTOR
    ranked, among = _windowed(conn, match, filters, params, limit, selective, window, index)
    return SearchPage(_hits_postgresql(conn, ranked, tsquery), among)


_SINGLE_LEXEME = re.compile(r"'([^'\\]+)'")


def _ts_prefix_words(conn: Any, lexemes: str) -> str | None:
    """A prefix part as the OR of the index's lexemes that start so (a tsquery's text), or None
    to keep the prefix: a part of several lexemes, more than MAX_PREFIX_WORDS, or a database
    without the word list (before schema 5, read as it is). The OR finds the same rows; GIN walks
    it word by word and skips to the probe's range, where it gathers a prefix's every match."""
    single = _SINGLE_LEXEME.fullmatch(lexemes)
    high = _prefix_end(single.group(1)) if single else None
    if high is None:
        return None
    if _run(conn, "SELECT to_regclass(:name) IS NOT NULL", {"name": dialect.TERMS_TABLE})[0][0] is not True:
        return None
    terms = [row[0] for row in _run(conn, dialect.ts_prefix_terms_sql(),
                                    {"low": single.group(1), "high": high, "cap": MAX_PREFIX_WORDS + 1})]
    if len(terms) > MAX_PREFIX_WORDS:
        return None
    # No lexeme starts so: the lexeme itself, in no deliberation, matches nothing as the prefix would.
    return " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms or [single.group(1)])


def _hits_postgresql(conn: Any, ranked: list[tuple[int, float]], tsquery: str | None) -> list[SearchHit]:
    """The page's rows, read for these ids only, with their snippets (ts_headline)."""
    if not ranked:
        return []
    marks = ", ".join(str(int(i)) for i, _ in ranked)  # integers from the database itself
    rows = {row[0]: row for row in _run(conn, f"""
        SELECT d.id, d.session_date, d.authority, d.number, d.title,
               (SELECT min(p.path) FROM document_paths p
                WHERE p.document_id = d.document_id AND p.is_current)
        FROM deliberations d WHERE d.id IN ({marks})""", {})}
    snippets: dict[int, str] = {}
    if tsquery is not None:
        snippets = dict(_run(conn, dialect.ts_headline_sql(marks), {"query": tsquery}))
    return [
        SearchHit(i, float(rank), snippets.get(i, rows[i][4] or ""), _date(rows[i][1]), rows[i][2],
                  rows[i][3], rows[i][4], rows[i][5])
        for i, rank in ranked
    ]


class _Second:
    """A second connection to the search's database, opened in a thread from the moment this is
    made (its set-up, a few milliseconds, overlaps the search's first queries). The search never
    depends on it: `get` gives None when it could not be opened, or was closed."""

    def __init__(self, opener: Callable[[], Any]) -> None:
        self._lock = threading.Lock()
        self._conn: Any = None
        self._closed = False
        self._opened = threading.Event()
        threading.Thread(target=self._open, args=(opener,), daemon=True).start()

    def _open(self, opener: Callable[[], Any]) -> None:
        try:
            conn = opener()
        except Exception:  # none to be had (too many connections, a pool exhausted...): one does
            conn = None
        with self._lock:
            if not self._closed:
                self._conn, conn = conn, None
        if conn is not None:  # closed while it was being opened: `close` did not wait for it
            _close_quietly(conn)
        self._opened.set()

    def get(self, wait: float) -> Any:
        """The connection, once open (waiting `wait` seconds at most), else None."""
        self._opened.wait(wait)
        with self._lock:
            return self._conn

    def close(self) -> None:
        """Closed (back to its pool, for a Store's), or to be closed as soon as it opens: never
        used again."""
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
        if conn is not None:
            _close_quietly(conn)


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # a helper that broke: the search's answer does not depend on it
        pass


class _Background:
    """A call run in a thread (the PostgreSQL driver lets go of the GIL while it waits for the
    server): `result` waits for it, and gives None if it raised (the caller then does the work
    itself)."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._value: Any = None
        self._thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self._value = call()
        except Exception:
            self._value = None

    def result(self) -> Any:
        self._thread.join()
        return self._value


__all__ = ["NotADelibDatabase", "SearchDatabase", "SearchHit", "SearchPage", "open_search", "search", "search_page"]
