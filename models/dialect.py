"""Every SQLite-specific detail, in one place, so that PostgreSQL can follow later.

- connection PRAGMAs (WAL, foreign keys, busy timeout, synchronous)
- transaction start (pysqlite's implicit transactions are switched off; writers take the lock
  with BEGIN IMMEDIATE so that a read-then-write never fails half way under concurrency)
- the FTS5 table over deliberations, its triggers, and the MATCH query text
- the SQL for "year of a date" used by the views
- opening a SQLite file for reading without SQLAlchemy (what `delib search` needs starts fast)

SQLAlchemy is imported only by the functions that need it: `models.search` uses this module on
the command line's fast path, where importing SQLAlchemy would cost more than the query.
"""
from __future__ import annotations

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


def configure_engine(engine: Engine) -> None:
    """Install the per-connection settings; call once right after `create_engine`."""
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


def year_sql(column: str) -> str:
    """SQL for the (integer) year of a DATE column."""
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def create_fts(conn: Connection) -> None:
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
    for statement in statements:
        conn.exec_driver_sql(statement)


def rebuild_fts(conn: Connection) -> None:
    """Rebuild the index from the deliberations table (after a bulk change without triggers)."""
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


# A token worth searching has at least one letter or digit; "-", "*", "(" alone are noise.
_WORDISH = re.compile(r"\w", re.UNICODE)


_PHRASE = re.compile(r'"([^"]*)"(\*?)')


def fts_query(user_text: str) -> str | None:
    """Turn anything a person typed into a safe FTS5 query, or None when nothing is searchable.

    Each whitespace-separated token becomes an FTS5 string ("..."), so NOT, OR, NEAR, ':',
    '-', '^', parentheses and stray quotes are plain words; all tokens must match (implicit AND).
    FTS5 has no French stemmer, so a token of 4 characters or more, or one ending in '*', is a
    prefix search: 'subvention' finds 'SUBVENTIONS', 'délibéré' finds 'délibérée'.
    A quoted part ("éclairage public") is a phrase: its words, in that order, as written (no
    prefix, unless a '*' follows the closing quote); a quote left open is a plain character.
    """
    parts: list[str] = []
    rest: list[str] = []
    position = 0
    for found in _PHRASE.finditer(user_text):
        rest.append(user_text[position:found.start()])
        position = found.end()
        words = found.group(1).split()
        if len(words) > 1:
            parts.append('"' + " ".join(words) + '"' + found.group(2))
        else:  # one word in quotes: the word as usual
            rest.append(" " + found.group(1) + found.group(2) + " ")
    rest.append(user_text[position:])
    for token in " ".join(rest).split():
        core = token.rstrip("*").replace('"', " ").strip()
        if not _WORDISH.search(core):
            continue
        prefix = token.endswith("*") or len(core) >= PREFIX_FROM
        parts.append(f'"{core}"' + ("*" if prefix else ""))
    return " ".join(parts) or None


# -- the SQL search runs (SQLite: FTS5) ----------------------------------------------------------

RANK_SQL = f"bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)})"
TRUE = "1"  # how a true Boolean column compares in SQL
SNIPPET_TABLE = "delib_snippets"


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
