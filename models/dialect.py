"""Every detail that differs between SQLite and PostgreSQL, in one place.

- connection PRAGMAs (WAL, foreign keys, busy timeout, synchronous)
- transaction start (pysqlite's implicit transactions are switched off; writers take the lock
  with BEGIN IMMEDIATE so that a read-then-write never fails half way under concurrency)
- the FTS5 table over deliberations, its triggers, and the MATCH query text
- the SQL for "year of a date" used by the views
- opening a SQLite file for reading without SQLAlchemy (what `delib search` needs starts fast)

PostgreSQL (the section at the end): the URL's driver (psycopg 3; psycopg2 for `delib search`),
64-bit integers, text without NUL, the full-text search (a weighted `tsvector` column of words and
French stems, accents folded by `unaccent`, a GIN index), the import's advisory lock.

SQLAlchemy is imported only by the functions that need it: `models.search` uses this module on
the command line's fast path, where importing SQLAlchemy would cost more than the query.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

BUSY_TIMEOUT_MS = 30_000
FTS_TABLE = "deliberations_fts"
# Weights for bm25, in the FTS column order below: a word in the title counts most.
FTS_COLUMNS = ("title", "text", "authority", "number")
FTS_WEIGHTS = (10.0, 1.0, 2.0, 5.0)
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
_WRITE_OPTION = "delib_write"
PREFIX_FROM = 4  # shorter words match exactly: "art" must not find "article"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def configure_engine(engine: Engine) -> None:
    """Install the per-connection settings; call once right after `create_engine`."""
    if is_postgresql(engine):
        _configure_postgresql(engine)
    if not is_sqlite(engine):
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's BEGIN below be the only transaction control (pysqlite's own
        # deferred BEGIN would leave SELECTs outside the transaction).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the nightly import
        cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE depends on it
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that will write: committed on success, rolled back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        with conn.begin():
            yield conn


def year_sql(column: str, dialect_name: str = "sqlite") -> str:
    """SQL for the (integer) year of a DATE column."""
    if dialect_name == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def true_sql(dialect_name: str = "sqlite") -> str:
    """How a true Boolean column compares in SQL: SQLite stores 1, PostgreSQL has a boolean type."""
    return "TRUE" if dialect_name == "postgresql" else "1"


def false_sql(dialect_name: str = "sqlite") -> str:
    return "FALSE" if dialect_name == "postgresql" else "0"


def joined_text_sql(dialect_name: str, expression: str, source: str, order: str, separator: str = " ") -> str:
    """A scalar subquery: `expression` over the rows of `source` (FROM ... WHERE ...), joined
    by `separator` in the order `order`."""
    if dialect_name == "postgresql":
        return f"(SELECT string_agg({expression}, '{separator}' ORDER BY {order}) FROM {source})"
    return (f"(SELECT group_concat(clause, '{separator}') FROM (SELECT {expression} AS clause "
            f"FROM {source} ORDER BY {order}))")


def driver_sql(conn: Connection, sql: str) -> str:
    """`sql` as the driver expects it without parameters: psycopg reads '%' as a placeholder
    even then ('6574%' must be written '6574%%'), sqlite3 does not."""
    if conn.dialect.paramstyle in ("format", "pyformat"):
        return sql.replace("%", "%%")
    return sql


def create_fts(conn: Connection) -> None:
    """The full-text index over deliberations and whatever keeps it in step with the rows.

    Idempotent, on either database: SQLite gets FTS5 (below), PostgreSQL a `tsvector` column
    (see `_create_fts_postgresql`).
    """
    if conn.dialect.name == "postgresql":
        _create_fts_postgresql(conn)
        return
    _create_fts_sqlite(conn)


def _create_fts_sqlite(conn: Connection) -> None:
    """The FTS5 index over deliberations and the triggers that keep it in step.

    `content="deliberations"` in double quotes: Datasette recognises an FTS table (and its
    `?_search=`) only in that form; FTS5 accepts either quoting.
    """
    cols = ", ".join(FTS_COLUMNS)
    new_vals = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old_vals = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    statements = [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
            {cols}, content="deliberations", content_rowid="id",
            tokenize='{FTS_TOKENIZE}')""",
        f"""CREATE TRIGGER IF NOT EXISTS deliberations_fts_ai AFTER INSERT ON deliberations BEGIN
            INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.id, {new_vals});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS deliberations_fts_ad AFTER DELETE ON deliberations BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES ('delete', old.id, {old_vals});
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS deliberations_fts_au AFTER UPDATE ON deliberations BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES ('delete', old.id, {old_vals});
            INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.id, {new_vals});
        END""",
    ]
    for statement in [*statements, *terms_statements()]:
        conn.exec_driver_sql(statement)


def rebuild_fts(conn: Connection) -> None:
    """Rebuild the index from the deliberations table (after a bulk change without triggers)."""
    if conn.dialect.name == "postgresql":
        return  # a generated column cannot fall out of step
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    for statement in fill_terms_statements():
        conn.exec_driver_sql(statement)


# -- the index's words, for a prefix word (SQLite) -------------------------------------------------
# SQLite 3.40's FTS5 answers a prefix query ("subvention"*) by merging the doclists of every word
# that starts so before the first row comes out: a walk of every match, twice (bm25 counts the
# phrase's matches again). An OR of those words ("subvention" OR "subventions") is walked
# incrementally, newest first, and stops at the LIMIT. The words are read from two places:
# - TERMS_TABLE: every word of the index when it was last brought up to date (a superset: a word
#   no deliberation holds any more stays, and matches nothing);
# - NEW_TERMS_TABLE: a contentless FTS5 index (no text, no positions) that the triggers below feed
#   with every row written since, so that a word is never missing, whoever wrote the row; its
#   words (NEW_TERMS_VOCAB) are moved into TERMS_TABLE by `flush_terms_statements` at the end of
#   each document the store writes, which keeps it small.

TERMS_TABLE = f"{FTS_TABLE}_terms"
NEW_TERMS_TABLE = f"{FTS_TABLE}_new"
NEW_TERMS_VOCAB = f"{FTS_TABLE}_new_vocab"


def terms_statements() -> list[str]:
    """The vocabulary's tables and the triggers that feed it (idempotent)."""
    cols = ", ".join(FTS_COLUMNS)
    new_vals = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    stage = f"INSERT INTO {NEW_TERMS_TABLE}(rowid, {cols}) VALUES (new.id, {new_vals});"
    return [
        f"CREATE TABLE IF NOT EXISTS {TERMS_TABLE} (term TEXT PRIMARY KEY) WITHOUT ROWID",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {NEW_TERMS_TABLE} USING fts5(
            {cols}, content='', detail=none, columnsize=0, tokenize='{FTS_TOKENIZE}')""",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {NEW_TERMS_VOCAB} USING fts5vocab({NEW_TERMS_TABLE}, row)",
        f"""CREATE TRIGGER IF NOT EXISTS {TERMS_TABLE}_ai AFTER INSERT ON deliberations BEGIN
            {stage}
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {TERMS_TABLE}_au AFTER UPDATE OF {cols} ON deliberations BEGIN
            {stage}
        END""",
    ]


def flush_terms_statements() -> list[str]:
    """Move the words of the rows written since the last flush into TERMS_TABLE (in the
    writer's transaction: a search never sees a word in neither place)."""
    return [
        f"INSERT OR IGNORE INTO {TERMS_TABLE}(term) SELECT term FROM {NEW_TERMS_VOCAB}",
        f"INSERT INTO {NEW_TERMS_TABLE}({NEW_TERMS_TABLE}) VALUES ('delete-all')",
    ]


def fill_terms_statements() -> list[str]:
    """Every word of the whole index into TERMS_TABLE (a walk of the whole index: for a new
    vocabulary or after a rebuild, not after each write)."""
    vocab = f"temp.{FTS_TABLE}_all_vocab"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {FTS_TABLE}, row)",
        f"INSERT OR IGNORE INTO {TERMS_TABLE}(term) SELECT term FROM {vocab}",
        f"DROP TABLE {vocab}",
        *flush_terms_statements(),
    ]


def flush_terms(conn: Connection) -> None:
    """`flush_terms_statements` on the store's connection (nothing to do on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return
    for statement in flush_terms_statements():
        conn.exec_driver_sql(statement)


# A token worth searching has at least one letter or digit; "-", "*", "(" alone are noise.
_WORDISH = re.compile(r"\w", re.UNICODE)


_PHRASE = re.compile(r'"([^"]*)"(\*?)')


def query_parts(user_text: str) -> list[tuple[str, bool]]:
    """What a person typed, as (text, prefix) parts that must all match: both databases' reading.

    A quoted part of several words ("éclairage public") is a phrase: its words, in that order, as
    written (a prefix only when a '*' follows the closing quote); a quote left open is a plain
    character. Any other whitespace-separated token is a word, a prefix search when it ends in
    '*' or has PREFIX_FROM characters or more (neither index stems French the same way, so
    'subvention' finds 'SUBVENTIONS' by its prefix); tokens without a letter or digit are dropped.
    """
    parts: list[tuple[str, bool]] = []
    rest: list[str] = []
    position = 0
    for found in _PHRASE.finditer(user_text):
        rest.append(user_text[position:found.start()])
        position = found.end()
        words = found.group(1).split()
        if len(words) > 1:
            parts.append((" ".join(words), bool(found.group(2))))
        else:  # one word in quotes: the word as usual
            rest.append(" " + found.group(1) + found.group(2) + " ")
    rest.append(user_text[position:])
    for token in " ".join(rest).split():
        core = token.rstrip("*").replace('"', " ").strip()
        if _WORDISH.search(core):
            parts.append((core, token.endswith("*") or len(core) >= PREFIX_FROM))
    return parts


def fts_query(user_text: str) -> str | None:
    """Turn anything a person typed into a safe FTS5 query, or None when nothing is searchable.

    Each part of `query_parts` becomes an FTS5 string ("..."), so NOT, OR, NEAR, ':', '-', '^',
    parentheses and stray quotes are plain words, and all parts must match (implicit AND).
    """
    return " ".join(fts_part(text, prefix) for text, prefix in query_parts(user_text)) or None


def fts_part(text: str, prefix: bool) -> str:
    """One part of `query_parts` as an FTS5 string (a prefix when `prefix`)."""
    return f'"{text}"' + ("*" if prefix else "")


def fts_any(terms: list[str]) -> str:
    """Index words (as the tokenizer wrote them) as one FTS5 OR: a match of any of them."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


# -- the SQL search runs (SQLite: FTS5) ----------------------------------------------------------

RANK_SQL = f"bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)})"
TRUE = true_sql("sqlite")  # how a true Boolean column compares in SQLite
SNIPPET_TABLE = "delib_snippets"
TOKENS_TABLE = "delib_tokens"


def fts_top_sql() -> str:
    """(id, rank) of the best :fetch rows matching :query, in the order (rank, id).

    A total order, so the first rows are the same whatever LIMIT; SQLite keeps only the best
    :fetch rows while it sorts (FTS5's own `ORDER BY rank` sorts every match, and is slower).
    """
    return (f"SELECT rowid, {RANK_SQL} AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query "
            f"ORDER BY rank, rowid LIMIT :fetch")


def fts_rank_join_sql(filters: str, after: bool = False) -> str:
    """(id, rank) of the best :limit matches that pass `filters` (over `d`, the deliberations):
    the exact path, whose cost follows the matches (used when the filters are selective).
    SQLite computes bm25 for the rows that pass only: a match the filters reject costs its walk
    and its lookup. `after`: only the matches whose id is above :after."""
    return (f"SELECT d.id, f.rank FROM (SELECT rowid, {RANK_SQL} AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :query" + (" AND rowid > :after" if after else "")
            + ") f JOIN deliberations d ON d.id = f.rowid"
            + (f" WHERE {filters}" if filters else "") + " ORDER BY f.rank, d.id LIMIT :limit")


def authority_names_sql() -> str:
    """The authorities (deliberations.authority, each once) whose lowered name is LIKE
    :authority: one step of ix_deliberations_authority_date per authority, not a row per
    deliberation."""
    return ("WITH RECURSIVE a(name) AS (SELECT min(authority) FROM deliberations UNION ALL "
            "SELECT (SELECT min(authority) FROM deliberations WHERE authority > a.name) FROM a "
            "WHERE a.name IS NOT NULL) "
            r"SELECT name FROM a WHERE lower(name) LIKE :authority ESCAPE '\'")


def fts_rank_among_sql(filters: str) -> str:
    """(id, rank) of the best :limit matches of :query among the deliberations :ids (a JSON
    list) that pass `filters`: exact, every match ranked.

    The caller found those deliberations from the filters' side (a few authorities, a person...);
    FTS5 walks the matches and keeps theirs (`+rowid`: a plain test of each match, where a
    constraint on rowid would restart the FTS5 cursor, and bm25's count of each phrase, once per
    deliberation). bm25 is computed for the rows kept only.
    """
    return (f"SELECT rowid, {RANK_SQL} AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query "
            f"AND +rowid IN (SELECT d.id FROM deliberations d WHERE d.id IN (SELECT value FROM json_each(:ids))"
            + (f" AND {filters}" if filters else "") + ") ORDER BY rank, rowid LIMIT :limit")


def fts_window_sql() -> str:
    """The id below the :window newest matches of :query (no row: :window matches or fewer).

    FTS5 walks a doclist newest first (`ORDER BY rowid DESC`) without ranking anything, so this
    costs a walk of :window matches, however many match in all.
    """
    return (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query "
            f"ORDER BY rowid DESC LIMIT 1 OFFSET :window")


def fts_newest_sql(before: bool = False) -> str:
    """(id, rank) of the :window newest matches of :query, newest first (below :before, when
    `before`).

    FTS5 walks a doclist newest first (`ORDER BY rowid DESC`) and stops at the LIMIT: bm25 scores
    these rows only (plus its fixed cost: counting each phrase's matches once, for the idf).
    """
    return (f"SELECT rowid, {RANK_SQL} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query"
            + (" AND rowid < :before" if before else "") + " ORDER BY rowid DESC LIMIT :window")


def tokens_statements() -> tuple[str, str, str, str, str]:
    """SQL to split a text into the index's words, by the index's own tokenizer (a temporary
    FTS5 table and its word list): (create the table, create its word list, insert :text,
    select the words in order, clear)."""
    table, vocab = f"temp.{TOKENS_TABLE}", f"temp.{TOKENS_TABLE}_vocab"
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(t, tokenize='{FTS_TOKENIZE}')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(temp, {TOKENS_TABLE}, instance)",
        f"INSERT INTO {table}(rowid, t) VALUES (1, :text)",
        f"SELECT term FROM {vocab} ORDER BY offset",
        f"DELETE FROM {table}",
    )


def prefix_terms_sql() -> str:
    """The index's words from :low (included) to :high (excluded): those that start with a
    prefix when :high is the prefix with its last character incremented (UTF-8 and FTS5 order
    words as their code points do). Both word lists: see TERMS_TABLE."""
    return (f"SELECT term FROM {TERMS_TABLE} WHERE term >= :low AND term < :high UNION "
            f"SELECT term FROM {NEW_TERMS_VOCAB} WHERE term >= :low AND term < :high")


def snippet_statements() -> tuple[str, str, str, str]:
    """SQL to compute snippets for a few rows only: (create, insert, select, clear).

    `snippet()` on the archive's index must find the row's matches in the doclists of every
    word (a prefix query: of every word that starts so), which costs as much as the search for
    a common word. A temporary FTS5 table with the same columns and tokenizer, holding only the
    rows shown, gives the same snippets for the price of indexing those rows.
    """
    cols = ", ".join(FTS_COLUMNS)
    marks = ", ".join("?" for _ in range(len(FTS_COLUMNS) + 1))
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SNIPPET_TABLE} USING fts5({cols}, tokenize='{FTS_TOKENIZE}')",
        f"INSERT INTO temp.{SNIPPET_TABLE}(rowid, {cols}) VALUES ({marks})",
        f"SELECT rowid, snippet({SNIPPET_TABLE}, -1, '«', '»', '…', 16) FROM temp.{SNIPPET_TABLE} "
        f"WHERE {SNIPPET_TABLE} MATCH :query",
        f"DELETE FROM temp.{SNIPPET_TABLE}",
    )


# -- reading SQLite without SQLAlchemy ------------------------------------------------------------

def sqlite_file(url: str) -> Path | None:
    """The file of a 'sqlite:///path' URL (None for anything else, e.g. an in-memory database)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    name = url[len(prefix):]
    return Path(name) if name and name != ":memory:" else None


def connect_reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads `path` (an error if there is no such file, never a new one).

    A plain connection that never writes where the file can be written, so a WAL database with a
    running import is read as usual; read-only where it cannot (a published copy); and on media
    where even the WAL index cannot be created, immutable (nothing can be writing to a read-only
    disk). SQLite opens lazily: each way is tried with a first read.
    """
    from urllib.parse import quote

    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    uri = f"file:{quote(path.resolve().as_posix())}"
    last: sqlite3.Error | None = None
    for mode in ("?mode=rw", "?mode=ro", "?mode=ro&immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(uri + mode, uri=True, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.Error as exc:
            last = exc
            if conn is not None:
                conn.close()
    else:
        raise last
    conn.isolation_level = None  # no implicit transactions: each read sees the latest commit
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


# == PostgreSQL ==================================================================================
# Everything that differs on a PostgreSQL server. The schema (models.schema) is the same; what is
# added here: the drivers (psycopg 3; psycopg2 for `delib search`), 64-bit integers, text without
# NUL, the full-text search (a weighted tsvector column, a GIN index, the `delib_words` and
# `delib_fr` configurations) and the import lock.

POSTGRESQL_DRIVER = "postgresql+psycopg"
# Two text search configurations, both folding accents with unaccent: the words as written (what
# FTS5's unicode61 remove_diacritics gives: what a search matches, so that a search finds the
# same deliberations on either database) and their French stems (what ranks a match higher).
TS_WORDS = "delib_words"  # simple (lower case, no stop word) with accents folded
TS_CONFIG = "delib_fr"  # french (stemming, stop words) with accents folded
TS_COLUMN = "search_vector"
# The GIN index of the words and of the id (btree_gin): `search_vector @@ q AND id > n` is answered
# inside the index, which skips in each word's list to the ids above n (the window's probe, in
# models.search): the cost follows the range of ids, not the word's matches. The id is indexed as
# an expression (`ts_id_sql`) that only the search writes, so that the planner cannot walk the primary
# key instead, testing each row's tsvector (out of line: a read of 3-4 buffers per row).
TS_INDEX = "ix_deliberations_search_vector_id"
TS_INDEX_BEFORE = "ix_deliberations_search_vector"  # schema 4 and before: the words alone
# setweight's four classes, by the FTS5 weights above: title A, number B, authority C, text D.
_TS_CLASSES = dict(zip(sorted(FTS_COLUMNS, key=lambda c: -FTS_WEIGHTS[FTS_COLUMNS.index(c)]), "ABCD"))
# ts_rank's weights array is {D, C, B, A}: the FTS5 weights scaled to at most 1.
TS_WEIGHTS = "{" + ", ".join(
    str(FTS_WEIGHTS[FTS_COLUMNS.index(c)] / max(FTS_WEIGHTS))
    for c in sorted(FTS_COLUMNS, key=lambda c: FTS_WEIGHTS[FTS_COLUMNS.index(c)])) + "}"
# ts_rank normalisation 1: divided by 1 + log(length), as bm25 lowers long documents.
TS_NORMALIZATION = 1
# Both pg_advisory_lock keys are per database: one constant for "an import runs", one for
# "the schema is being created" (two first opens at once must not both create it).
IMPORT_LOCK_KEY = int.from_bytes(b"delibIMP", "big")
SCHEMA_LOCK_KEY = int.from_bytes(b"delibSCH", "big")


def is_postgresql_url(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def engine_url(url: str) -> str:
    """The URL SQLAlchemy is given: a plain 'postgresql://' (or 'postgres://') means psycopg 3,
    not SQLAlchemy's default psycopg2. The one place a URL's driver is chosen."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"{POSTGRESQL_DRIVER}://{rest}"
    return url


def display_url(url: str) -> str:
    """The URL for a message or a log: without its password."""
    if "://" not in url or url.startswith("sqlite"):
        return url
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is shown as typed, but cut
        return url.split("@")[-1]


def engine_options(url: str, *, readonly: bool = False) -> dict[str, object]:
    """Keyword arguments for `create_engine` beside the URL."""
    if not is_postgresql_url(url):
        return {}
    # A server drops idle connections (restart, failover, firewall): test each before use.
    options: dict[str, object] = {"pool_pre_ping": True}
    if readonly:
        options["execution_options"] = {"postgresql_readonly": True}
    return options


def _configure_postgresql(engine: Engine) -> None:
    from sqlalchemy import event


    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        _drop_nul_in_text(dbapi_connection)


def _drop_nul_in_text(connection) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL text cannot hold U+0000, which SQLite stores and a broken PDF's text layer
    sometimes has: it is dropped when sent, so the document is imported rather than refused."""
    for dumper in _nul_free_dumpers():
        connection.adapters.register_dumper(str, dumper)


@functools.cache
def _nul_free_dumpers() -> tuple[type, type]:
    from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

    class NulFreeText(StrDumperUnknown):
        def dump(self, obj: str):  # type: ignore[no-untyped-def, override]
            return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)

    class NulFreeBinaryText(StrBinaryDumper):
        def dump(self, obj: str):  # type: ignore[no-untyped-def, override]
            return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)

    return NulFreeText, NulFreeBinaryText


# PostgreSQL's parser keeps '-2019', '/042' or 'www.ville.fr' as one token; FTS5's unicode61
# splits at every such sign. Turned into spaces on both sides (the text indexed and the words
# searched), 'DEL-2019/042' is found by '2019-042' as SQLite finds it. translate(), not a regular
# expression: a server whose locale is C does not count 'é' as a letter.
_TS_SEPARATORS = "-/._:@+"


def _ts_words_sql(expression: str) -> str:
    return f"translate({expression}, '{_TS_SEPARATORS}', '{' ' * len(_TS_SEPARATORS)}')"


def _ts_vector_sql() -> str:
    """Each column's words and French stems, weighted by column (title A ... text D)."""
    parts = []
    for c in FTS_COLUMNS:
        value = _ts_words_sql(f"coalesce({c}, '')")
        parts.append(f"setweight(to_tsvector('{TS_WORDS}'::regconfig, {value}) || "
                     f"to_tsvector('{TS_CONFIG}'::regconfig, {value}), '{_TS_CLASSES[c]}')")
    return " || ".join(parts)


def _create_fts_postgresql(conn: Connection) -> None:
    """The text search configurations, the generated tsvector column and its GIN index.

    `delib_words` is the simple configuration with `unaccent` first: 'deliberation' finds
    'délibérations' as FTS5's remove_diacritics does; `delib_fr` the french one with `unaccent`
    before the French stemmer ('délibéré' and 'délibération' share the stem 'deliber').
    unaccent is a trusted extension: the database's owner may create it. A generated column is
    never out of step with its row, whatever writes it. Every statement is idempotent; an
    advisory lock keeps two first opens from racing.
    """
    statements = [
        f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})",
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        *(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config
                           WHERE cfgname = '{name}' AND cfgnamespace = current_schema()::regnamespace) THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base});
                ALTER TEXT SEARCH CONFIGURATION {name}
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
            END IF;
        END $$""" for name, base, dictionary in ((TS_WORDS, "simple", "simple"),
                                                  (TS_CONFIG, "french", "french_stem"))),
        f"""ALTER TABLE deliberations ADD COLUMN IF NOT EXISTS {TS_COLUMN} tsvector
            GENERATED ALWAYS AS ({_ts_vector_sql()}) STORED""",
        "CREATE EXTENSION IF NOT EXISTS btree_gin",  # trusted, in contrib as unaccent
        f"CREATE INDEX IF NOT EXISTS {TS_INDEX} ON deliberations USING gin ({TS_COLUMN}, ({ts_id_sql(None)}))",
        f"DROP INDEX IF EXISTS {TS_INDEX_BEFORE}",  # the new index answers what it answered
        *ts_terms_statements(),
    ]
    for statement in statements:
        conn.exec_driver_sql(statement)


def ts_id_sql(alias: str | None) -> str:
    """The id as TS_INDEX indexes it (see there), of the table `alias`."""
    return f"CAST({alias + '.' if alias else ''}id AS bigint)"


# The index's words on PostgreSQL, for a prefix word (as TERMS_TABLE on SQLite): GIN answers a
# prefix (`subvention:*`) by gathering every match of every word that starts so into one bitmap
# first, a cost that follows all its matches; an OR of the words is walked word by word, and
# skips with the id (TS_INDEX). The list holds every lexeme of every row's tsvector (words and
# stems: what a prefix matches), added by a trigger on each statement that writes deliberations,
# in its transaction: a search never misses a word. A lexeme no row holds any more stays (it
# matches nothing). Ordered by code point (COLLATE "C"): a prefix is a range of the key.
TS_TERMS_FUNCTION = f"{TERMS_TABLE}_add"


def ts_terms_statements() -> list[str]:
    """The word list, its triggers, and its filling when empty (idempotent)."""
    add = (f"INSERT INTO {TERMS_TABLE} (term) SELECT DISTINCT t FROM new_rows, "
           f"unnest(tsvector_to_array(new_rows.{TS_COLUMN})) t ON CONFLICT DO NOTHING")
    return [
        f'CREATE TABLE IF NOT EXISTS {TERMS_TABLE} (term text COLLATE "C" PRIMARY KEY)',
        f"""CREATE OR REPLACE FUNCTION {TS_TERMS_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {add}; RETURN NULL; END $$""",
        *(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{TERMS_TABLE}_{suffix}'
                           AND tgrelid = 'deliberations'::regclass) THEN
                CREATE TRIGGER {TERMS_TABLE}_{suffix} AFTER {event} ON deliberations
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TS_TERMS_FUNCTION}();
            END IF;
        END $$""" for suffix, event in (("ai", "INSERT"), ("au", "UPDATE"))),
        # Rows written before the list existed, or with triggers off (a bulk copy): every word of
        # the index, once. An empty list beside rows is only ever that.
        f"INSERT INTO {TERMS_TABLE} (term) SELECT DISTINCT t FROM deliberations, "
        f"unnest(tsvector_to_array({TS_COLUMN})) t WHERE NOT EXISTS (SELECT 1 FROM {TERMS_TABLE}) "
        f"ON CONFLICT DO NOTHING",
    ]


def ts_prefix_terms_sql() -> str:
    """The index's lexemes from :low (included) to :high (excluded), at most :cap of them."""
    return f"SELECT term FROM {TERMS_TABLE} WHERE term >= :low AND term < :high ORDER BY term LIMIT :cap"


# -- the search on PostgreSQL (models.search._search_postgresql) ------------------------------------

# The lexemes of each part, words and stems, by the database itself: the same parser, separators
# and dictionaries as the indexed text.
TS_LEXEMES_SQL = (f"SELECT CAST(phraseto_tsquery('{TS_WORDS}', {_ts_words_sql('t')}) AS text), "
                  f"CAST(phraseto_tsquery('{TS_CONFIG}', {_ts_words_sql('t')}) AS text) "
                  "FROM unnest(CAST(:parts AS text[])) WITH ORDINALITY AS u(t, n) ORDER BY n")

_LAST_LEXEME = re.compile(r"('(?:[^']|'')*')(?!.*')", re.DOTALL)


def ts_query(lexemes: list[str], prefixes: list[bool]) -> str | None:
    """One tsquery (text form) from each part's phraseto_tsquery output, every part required;
    a prefix part matches words that start with its last lexeme. None when no part has a
    lexeme left (stop words only, for the stems): nothing to search for."""
    found = []
    for text, prefix in zip(lexemes, prefixes):
        if not text:
            continue
        if prefix:
            text = _LAST_LEXEME.sub(lambda m: m.group(1) + ":*", text, count=1)
        found.append(f"({text})")
    return " & ".join(found) or None


def ts_rank_query(match: str, stems: str | None) -> str:
    """What ranks a match: its words, or the French stems of the words (a deliberation about
    'subventionner' ranks higher for 'subvention')."""
    return f"{match} | {stems}" if stems else match


def _ts_rank(alias: str) -> str:
    return f"-ts_rank('{TS_WEIGHTS}', {alias}.{TS_COLUMN}, CAST(:rank_query AS tsquery), {TS_NORMALIZATION})"


def ts_rank_sql(filters: str, after: bool = False) -> str:
    """(id, rank) of the best :limit matches of the tsquery :query passing `filters` (over `d`),
    best first, ranked by the tsquery :rank_query; rank is -ts_rank, so that lower is better,
    as with bm25. `after`: only the matches whose id is above :after (the newest)."""
    return (f"SELECT d.id, {_ts_rank('d')} AS rank "
            f"FROM deliberations d WHERE d.{TS_COLUMN} @@ CAST(:query AS tsquery)"
            + (f" AND {ts_id_sql('d')} > CAST(:after AS bigint)" if after else "")
            + (f" AND {filters}" if filters else "") + " ORDER BY rank, d.id LIMIT :limit")


def ts_probe_sql(bounded: bool, ranked: bool = False) -> str:
    """The ids of the matches of :query from :low (excluded) to :high (included), in no order.

    `bounded`: `id > :low` is a condition of TS_INDEX, which skips in each word's list to :low (a
    cost that follows the ids above :low and the matches among them, not all the word's matches).
    Only the lower bound: btree_gin reads `id <= :high` as every id from the smallest up. The
    upper bound is tested on the rows found (`id + 0`: by no index; neither the primary key,
    walked testing each row's tsvector, nor TS_INDEX's). Unbounded (:low unused): every match up
    to :high, by the words alone (a word whose matches are few: a range of ids over the whole
    table would cost more). `ranked`: with each one's rank by :rank_query."""
    columns = f"d.id, {_ts_rank('d')}" if ranked else "d.id"
    upper = f"d.{TS_COLUMN} @@ CAST(:query AS tsquery) AND d.id + 0 <= :high"
    if bounded:  # bigint as the index (btree_gin compares a bigint with a bigint only)
        return f"SELECT {columns} FROM deliberations d WHERE {upper} AND {ts_id_sql('d')} > CAST(:low AS bigint)"
    return f"SELECT {columns} FROM deliberations d WHERE {upper}"


def ts_probe_half_sql(bounded: bool) -> str:
    """`ts_probe_sql(bounded, ranked=True)` for a phrase, over the ids of one parity (:half, 0 or
    1): the two halves, run on two connections at once, give together the rows of the probe.

    GIN cannot check a phrase, so PostgreSQL reads every candidate's tsvector (out of line) to
    check it, before any other condition of the row: a parity tested beside the phrase would not
    spare the other half's reads. So the candidates are listed first, the matches of :words (the
    phrase's words in any order, `ts_unordered`: answered by GIN alone), and only those of the
    half have their tsvector read, to check the phrase and rank it."""
    candidates = (f"SELECT c.id FROM deliberations c WHERE c.{TS_COLUMN} @@ CAST(:words AS tsquery) "
                  "AND c.id + 0 <= :high AND c.id % 2 = :half"
                  + (f" AND {ts_id_sql('c')} > CAST(:low AS bigint)" if bounded else ""))
    return (f"SELECT d.id, {_ts_rank('d')} FROM deliberations d WHERE d.id = ANY(ARRAY({candidates})) "
            f"AND d.{TS_COLUMN} @@ CAST(:query AS tsquery)")


_PHRASE_OPERATOR = re.compile(r"('(?:[^']|'')*')|<(?:-|\d+)>")


def ts_unordered(match: str) -> str:
    """The tsquery `match` (text) with each phrase's words required anywhere (`<->`, `<N>` read
    as `&`): every row that matches `match` matches it, and GIN answers it without a tsvector."""
    return _PHRASE_OPERATOR.sub(lambda m: m.group(1) or "&", match)


def ts_rank_ids_sql() -> str:
    """(id, rank) of the deliberations :ids (an array of ids, or its text: matches of the query),
    newest first: the window of `models.search`, ranked. ts_rank reads each row's tsvector (out
    of line, in TOAST), so it runs on the window only, never on every match."""
    return (f"SELECT d.id, {_ts_rank('d')} FROM deliberations d "
            "WHERE d.id = ANY(CAST(:ids AS bigint[])) ORDER BY d.id DESC")


def ts_rank_among_sql(filters: str) -> str:
    """(id, rank) of the best :limit matches of :query among the deliberations :ids (a JSON
    list) that pass `filters`: exact, every match ranked (`fts_rank_among_sql` on SQLite)."""
    return (f"SELECT d.id, {_ts_rank('d')} AS rank FROM deliberations d "
            f"WHERE {in_json_list_sql('d.id', ':ids', 'bigint')} AND d.{TS_COLUMN} @@ CAST(:query AS tsquery)"
            + (f" AND {filters}" if filters else "") + " ORDER BY rank, d.id LIMIT :limit")


def in_json_list_sql(column: str, param: str, kind: str = "text", dialect_name: str = "postgresql") -> str:
    """`column` is one of the values of a JSON list parameter. On PostgreSQL an array (`= ANY`):
    the planner reads each value by the column's index, where `IN (SELECT ...)` of a set function
    it cannot size hashed the whole table (an authority's 320 deliberations at a million: 247 ms
    -> 2 ms)."""
    if dialect_name != "postgresql":
        return f"{column} IN ({json_values_sql(param, dialect_name=dialect_name)})"
    return f"{column} = ANY(ARRAY(SELECT CAST(json_array_elements_text(CAST({param} AS json)) AS {kind})))"


def json_values_sql(param: str, kind: str | None = None, dialect_name: str = "postgresql") -> str:
    """The values of a JSON list parameter as rows of one column (of type `kind`)."""
    if dialect_name != "postgresql":
        return f"SELECT value FROM json_each({param})"
    value = f"CAST(value AS {kind})" if kind else "value"
    return f"SELECT {value} FROM json_array_elements_text(CAST({param} AS json))"


def connect_postgresql_reader(url: str):  # type: ignore[no-untyped-def]
    """A connection that only reads, for `delib search` (no SQLAlchemy to import, no schema
    check, as `connect_reader` for a SQLite file), through psycopg2 rather than psycopg 3: the
    same libpq, but imported in 0.02 s where psycopg 3 takes 0.1-0.2 s (it imports asyncio and
    builds its type system), most of a search's whole process. The text it sends goes through
    `without_nul` (psycopg2 refuses NUL; psycopg 3 drops it by `_drop_nul_in_text`)."""
    import psycopg2

    _, _, rest = url.partition("://")
    conn = psycopg2.connect(f"postgresql://{rest}", options="-c default_transaction_read_only=on")
    conn.autocommit = True
    return conn


def without_nul(params: dict[str, object]) -> dict[str, object]:
    """Parameters with NUL dropped from their text (and from lists of text), as psycopg 3 sends
    them through `_drop_nul_in_text`: PostgreSQL text cannot hold U+0000."""
    def clean(value: object) -> object:
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {key: clean(value) for key, value in params.items()}


def driver_params_sql(sql: str) -> str:
    """SQL written with :name parameters (sqlite3's style) in psycopg's %(name)s style."""
    return _driver_params_sql(sql)


@functools.lru_cache(maxsize=256)
def _driver_params_sql(sql: str) -> str:
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql.replace("%", "%%"))


def ts_listing_sql(filters: str) -> str:
    """Deliberations passing `filters`, newest first (no date last, as SQLite sorts them)."""
    return ("SELECT d.id FROM deliberations d" + (f" WHERE {filters}" if filters else "")
            + " ORDER BY d.session_date DESC NULLS LAST, d.id DESC LIMIT :limit")


_HEADLINE_OPTIONS = 'StartSel="«", StopSel="»", MaxWords=16, MinWords=6, MaxFragments=2, FragmentDelimiter=" … "'


def ts_headline_sql(ids: str) -> str:
    """(id, snippet) of the rows `ids` only: ts_headline reads the whole text again, so it runs
    on the rows shown, never on every match. The best fragments of the four searched columns."""
    columns = ", ".join(f"d.{c}" for c in ("title", "text", "number", "authority"))
    return (f"SELECT d.id, ts_headline('{TS_WORDS}', concat_ws(' — ', {columns}), q, '{_HEADLINE_OPTIONS}') "
            f"FROM deliberations d, CAST(:query AS tsquery) q WHERE d.id IN ({ids})")


# -- the import lock on PostgreSQL (pipeline.batch.importer.DatabaseLock) -------------------------

def try_import_lock(conn: Connection) -> bool:
    """Take the database's import lock for this session, without waiting; False if held."""
    return bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({IMPORT_LOCK_KEY})").scalar())


def release_import_lock(conn: Connection) -> None:
    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({IMPORT_LOCK_KEY})")


def import_lock_held(engine: Engine) -> bool:
    with engine.connect() as conn:
        return import_lock_holder(conn) is not None


def import_lock_holder(conn: Connection) -> str | None:
    """Who holds the import lock (the holder's application_name, else its server pid), or None."""
    high, low = IMPORT_LOCK_KEY >> 32, IMPORT_LOCK_KEY & 0xFFFFFFFF
    row = conn.exec_driver_sql(
        "SELECT a.application_name, l.pid FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        f"AND l.classid = {high} AND l.objid = {low} "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ).first()
    if row is None:
        return None
    return row[0] or f"server pid {row[1]}"
