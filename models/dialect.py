"""Every SQLite-specific detail, in one place, so that PostgreSQL can follow later.

- connection PRAGMAs (WAL, foreign keys, busy timeout, synchronous)
- transaction start (pysqlite's implicit transactions are switched off; writers take the lock
  with BEGIN IMMEDIATE so that a read-then-write never fails half way under concurrency)
- the FTS5 table over deliberations, its triggers, and the MATCH query text
- the SQL for "year of a date" used by the views
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Float, Integer, Text, TextClause, event, text

BUSY_TIMEOUT_MS = 30_000
FTS_TABLE = "deliberations_fts"
# Weights for bm25, in the FTS column order below: a word in the title counts most.
FTS_COLUMNS = ("title", "text", "authority", "number")
FTS_WEIGHTS = (10.0, 1.0, 2.0, 5.0)
_WRITE_OPTION = "delib_write"
PREFIX_FROM = 4  # shorter words match exactly: "art" must not find "article"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure_engine(engine: Engine) -> None:
    """Install the per-connection settings; call once right after `create_engine`."""
    if not is_sqlite(engine):
        return

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
    """The FTS5 index over deliberations and the triggers that keep it in step."""
    cols = ", ".join(FTS_COLUMNS)
    new_vals = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old_vals = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    statements = [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
            {cols}, content='deliberations', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
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


def fts_query(user_text: str) -> str | None:
    """Turn anything a person typed into a safe FTS5 query, or None when nothing is searchable.

    Each whitespace-separated token becomes an FTS5 string ("..."), so NOT, OR, NEAR, ':',
    '-', '^', parentheses and stray quotes are plain words; all tokens must match (implicit AND).
    FTS5 has no French stemmer, so a token of 4 characters or more, or one ending in '*', is a
    prefix search: 'subvention' finds 'SUBVENTIONS', 'délibéré' finds 'délibérée'.
    """
    parts: list[str] = []
    for token in user_text.split():
        core = token.rstrip("*").replace('"', " ").strip()
        if not _WORDISH.search(core):
            continue
        prefix = token.endswith("*") or len(core) >= PREFIX_FROM
        parts.append(f'"{core}"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def fts_match_clause() -> TextClause:
    """Rows of the index matching :query, with bm25 rank (lower is better) and a snippet."""
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    return text(
        f"""SELECT rowid AS deliberation_id,
                   bm25({FTS_TABLE}, {weights}) AS rank,
                   snippet({FTS_TABLE}, -1, '«', '»', '…', 16) AS snippet
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query"""
    ).columns(deliberation_id=Integer, rank=Float, snippet=Text)
