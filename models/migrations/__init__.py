"""The schema's history as Alembic migrations, run by delib itself: no alembic.ini, no alembic command.

    from models import migrations
    migrations.current_revision(conn)   # the revision a database is at (None: made before Alembic, or new)
    migrations.upgrade(conn)            # to the head revision, inside the caller's transaction
    migrations.stamp(conn, "0001")      # a database made before Alembic: say which revision it is
    migrations.differences(conn)        # what the database lacks or has beyond models/schema.py

Revision ids are the schema version on four digits (schema 2 is revision 0002), so that
`models.schema.SCHEMA_VERSION` names the head and an up-to-date database is recognised without
importing Alembic; tests/test_migrations.py checks that they agree. `Store.ensure_schema` decides
when to call these; a developer adds a revision with `python -m models.migrations revision`.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, text

from models import dialect
from models.dialect import FTS_TABLE, TS_COLUMN, TS_INDEX, TS_INDEX_BEFORE
from models.schema import SCHEMA_VERSION, Base

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"  # Alembic's own: one row, the revision the database is at


def revision_of(schema_version: str) -> str:
    return f"{int(schema_version):04d}"


HEAD = revision_of(SCHEMA_VERSION)

# schema_info's schema_version of a database made before Alembic -> the revision to stamp it with.
# 1 is delib 0.1.0 exactly; 2 was reached by several paths, and revision 0002 looks before each of
# its steps, so such a database is stamped 0001 and brought through 0002 like a 0.1.0 one.
LEGACY_REVISIONS = {"1": "0001", "2": "0001"}


_SCHEMA_LOCK = 0x64656C6962  # 'delib': PostgreSQL's advisory lock for schema changes


class ForeignKeyViolation(RuntimeError):
    """A migration left rows pointing at rows that do not exist; nothing of it was kept."""


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """The one transaction a schema change runs in, one process at a time: committed whole or
    not at all.

    SQLite changes most of a table by copying it to a new one and dropping the old (Alembic's
    batch mode). With foreign keys on, that DROP deletes the old table's rows first, and ON DELETE
    CASCADE every row of the tables that point at it: attendance, amounts... So, as SQLite's
    ALTER TABLE page prescribes, foreign keys are off for the transaction (a pragma that only
    takes effect outside one) and checked in full before the commit.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.execution_options(**{dialect._WRITE_OPTION: True})  # SQLite: BEGIN IMMEDIATE
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # What BEGIN IMMEDIATE is to SQLite: one process changes the schema at a time,
                    # and the next reads the state again once it has the lock.
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
                yield conn
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ForeignKeyViolation(f"the schema change left {len(broken)} row(s) pointing at rows "
                                                  f"that do not exist (first: {broken[0]}); nothing was changed")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def current_revision(conn: Connection) -> str | None:
    """Read without Alembic (opening an up-to-date database must stay cheap)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code: the scripts are in this package wherever it is
    installed, and env.py runs them on `connection`."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(script.revision for script in ScriptDirectory.from_config(config()).walk_revisions())


def upgrade(conn: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(config(conn), target)


def stamp(conn: Connection, revision: str) -> None:
    from alembic import command

    command.stamp(config(conn), revision)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """What the migrations keep in step with the models: not the full-text index, which the store
    makes after them with the dialect's own SQL (on SQLite an FTS5 table and its shadow tables, on
    PostgreSQL a generated tsvector column and its GIN index)."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    return not (type_ in ("column", "index") and name in (TS_COLUMN, TS_INDEX, TS_INDEX_BEFORE))


def differences(conn: Connection) -> list[Any]:
    """Alembic's autogenerate comparison of the database with models/schema.py: [] when equal."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
    return compare_metadata(context, Base.metadata)
