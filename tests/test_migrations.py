"""The migrations build the schema models/schema.py declares, on SQLite and on PostgreSQL.

This is the guard of every schema change: a column, table or index added to the models without a
revision (or a revision that builds something else) shows here as a difference, in Alembic's
autogenerate terms. `python -m models.migrations revision -m "..." --autogenerate` writes the
revision that closes it (docs/schema.md, "Upgrading and migrations").

PostgreSQL: a server at 127.0.0.1:5432, user postgres (trust); each test makes its own database
and drops it. Without the server those tests are skipped and say how to run them.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from models import migrations
from models.dialect import FTS_TABLE, configure_engine, create_fts
from models.schema import SCHEMA_VERSION, Base
from models.store import Store, open_store
from models.views import VIEW_NAMES, create_views
from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "commune_subventions_associations.pdf"
RELEASE_DB = ROOT / "tests" / "data" / "release-0.1.0.db"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _built_by_migrations(path: Path, target: str = "head") -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.upgrade(conn, target)
    engine.dispose()


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return migrations.differences(conn)
    finally:
        engine.dispose()


# -- the history --------------------------------------------------------------------------------

def test_migrations_head_is_the_schema_version_of_the_models():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.config())
    assert scripts.get_heads() == [migrations.HEAD], (
        f"the head revision is {scripts.get_heads()}: set SCHEMA_VERSION in models/schema.py to its number "
        "(one head only: revisions follow one another)")
    assert migrations.HEAD == f"{int(SCHEMA_VERSION):04d}"
    assert [s.revision for s in scripts.walk_revisions()] == [f"{n:04d}" for n in range(int(SCHEMA_VERSION), 0, -1)]


def test_migrations_run_from_the_package_without_an_ini_file():
    assert migrations.config().get_main_option("script_location") == str(ROOT / "models" / "migrations")
    assert not list((ROOT / "models" / "migrations").glob("*.ini"))


# -- SQLite -------------------------------------------------------------------------------------

def test_migrations_build_the_models_on_sqlite(tmp_path):
    db = tmp_path / "built.db"
    _built_by_migrations(db)
    assert _differences(f"sqlite:///{db}") == []


def test_migrations_first_revision_is_the_schema_of_delib_0_1_0(tmp_path):
    """0001 builds exactly what 0.1.0 wrote: its tables, their SQL and its indexes."""
    db = tmp_path / "built.db"
    _built_by_migrations(db, "0001")
    query = ("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index') "
             f"AND name NOT LIKE '{FTS_TABLE}%' AND name NOT LIKE '%alembic_version%' ORDER BY name")
    with sqlite3.connect(db) as built, sqlite3.connect(RELEASE_DB) as released:
        assert built.execute(query).fetchall() == released.execute(query).fetchall()


def test_migrations_the_difference_check_sees_a_model_change(tmp_path):
    """The guard itself: a database one index short of the models is reported."""
    db = tmp_path / "built.db"
    _built_by_migrations(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX ix_amounts_beneficiary")
    assert [d[0] for d in _differences(f"sqlite:///{db}")] == ["add_index"]


def test_migrations_developer_check_command_agrees():
    done = subprocess.run([sys.executable, "-m", "models.migrations", "check"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the migrations build models/schema.py" in done.stdout


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table but the clock's columns (when it was imported differs), and but
    schema_info (facts about the database, not the import)."""
    clock = {"imported_at", "first_seen", "last_seen", "started_at", "finished_at", "at", "updated_at"}
    dumped = {}
    with sqlite3.connect(path) as conn:
        for table in set(Base.metadata.tables) - {"schema_info"}:
            columns = [c for (_, c, *_) in conn.execute(f"PRAGMA table_info({table})") if c not in clock]
            dumped[table] = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
    return dumped


def _store_built_by_create_all(path: Path) -> Store:
    """How delib made a new database before the migrations: the models' create_all."""
    engine = create_engine(f"sqlite:///{path}")
    configure_engine(engine)
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        create_fts(conn)
        create_views(conn)
    store = Store(engine)
    store.load_nomenclature()
    return store


def test_migrations_a_new_database_imports_as_before(tmp_path):
    extraction = extract_document(SAMPLE, ExtractOptions(entities=False))
    for store in (open_store(f"sqlite:///{tmp_path / 'migrated.db'}"),
                  _store_built_by_create_all(tmp_path / 'created.db')):
        with store:
            outcome = store.save(extraction, path=str(SAMPLE), size_bytes=1, mtime=0.0,
                                 extractor_version=EXTRACTOR_VERSION)
            assert outcome.status == "imported" and outcome.deliberations == len(extraction.deliberations)
            with store.engine.connect() as conn:
                found = conn.exec_driver_sql(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'subvention*'")
                assert found.fetchall()
    dumps = [_dump(tmp_path / "migrated.db"), _dump(tmp_path / "created.db")]
    assert dumps[0]["amounts"] and dumps[0]["attendance"]  # the sample has rows to compare
    assert dumps[0] == dumps[1]


def _open_and_count(url: str) -> int:
    with open_store(url) as store:
        return store.table_counts()["deliberations"]


def test_migrations_two_processes_opening_an_old_database_at_once_upgrade_it_once(tmp_path):
    db = tmp_path / "archive.db"
    db.write_bytes(RELEASE_DB.read_bytes())
    with ProcessPoolExecutor(2) as pool:
        counts = list(pool.map(_open_and_count, [f"sqlite:///{db}"] * 2))
    assert counts == [3, 3]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrations.HEAD,)]


# -- PostgreSQL ---------------------------------------------------------------------------------

@pytest.fixture()
def postgres_url() -> Iterator[str]:
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # no server, no driver: say how to run it
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({type(exc).__name__}); "
                    "start a server there with trust authentication to run the PostgreSQL migration tests")
    name = f"delib_migrations_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_build_the_models_on_postgresql(postgres_url):
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        migrations.upgrade(conn)
    engine.dispose()
    assert _differences(postgres_url) == []  # comments included: PostgreSQL keeps them


def test_migrations_upgrade_a_schema_1_database_on_postgresql(postgres_url):
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        migrations.upgrade(conn, "0001")
        conn.execute(text("INSERT INTO documents (id, sha256, pages, ocr, extractor_version, imported_at, status) "
                          "VALUES (1, 'ab', 2, false, '0.1', now(), 'ok')"))
    with engine.begin() as conn:
        migrations.upgrade(conn)
        assert conn.execute(text("SELECT id, kind FROM documents")).all() == [(1, None)]
        assert migrations.current_revision(conn) == migrations.HEAD
    engine.dispose()
    assert _differences(postgres_url) == []


def _migrate_postgres(url: str) -> bool:
    """What ensure_schema does on a new database: read the revision under the lock, migrate."""
    engine = create_engine(url)
    try:
        with migrations.transaction(engine) as conn:
            behind = migrations.current_revision(conn) != migrations.HEAD
            if behind:
                migrations.upgrade(conn)
        return behind
    finally:
        engine.dispose()


def test_migrations_two_processes_on_a_new_postgresql_database_migrate_it_once(postgres_url):
    with ProcessPoolExecutor(2) as pool:
        migrated = list(pool.map(_migrate_postgres, [postgres_url] * 2))
    assert sorted(migrated) == [False, True]
    assert _differences(postgres_url) == []


# -- the transaction they run in ----------------------------------------------------------------

@pytest.fixture()
def filled_db(tmp_path) -> Path:
    db = tmp_path / "filled.db"
    db.write_bytes(RELEASE_DB.read_bytes())
    open_store(f"sqlite:///{db}").close()
    return db


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in Base.metadata.tables}


def test_migrations_a_table_rebuilt_by_a_revision_keeps_the_rows_that_point_at_it(filled_db):
    """SQLite's batch mode copies a table and drops the old one: with foreign keys on, that drop
    would delete every attendance, amount, decision... of the deliberations (ON DELETE CASCADE)."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    before = _counts(filled_db)
    assert before["attendance"] and before["amounts"] and before["decisions"]
    engine = create_engine(f"sqlite:///{filled_db}")
    configure_engine(engine)  # foreign keys on, as delib always opens SQLite
    with migrations.transaction(engine) as conn:
        for view in VIEW_NAMES:  # as ensure_schema does: SQLite renames no table under a view
            conn.exec_driver_sql(f"DROP VIEW {view}")
        with Operations(MigrationContext.configure(conn)).batch_alter_table("deliberations", recreate="always") as batch:
            batch.add_column(sa_column("rebuilt"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the next user
    engine.dispose()
    assert _counts(filled_db) == before


def test_migrations_a_revision_that_leaves_dangling_rows_is_undone_whole(filled_db):
    before = _counts(filled_db)
    engine = create_engine(f"sqlite:///{filled_db}")
    configure_engine(engine)
    with pytest.raises(migrations.ForeignKeyViolation, match="nothing was changed"):
        with migrations.transaction(engine) as conn:
            conn.exec_driver_sql("DELETE FROM deliberations")  # foreign keys off: the children stay, pointing nowhere
    engine.dispose()
    assert _counts(filled_db) == before


def sa_column(name: str):
    from sqlalchemy import Column, Integer

    return Column(name, Integer, nullable=True)
