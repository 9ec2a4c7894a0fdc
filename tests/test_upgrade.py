"""A database made by an earlier delib opens, upgraded in place by the migrations, every row kept.

tests/data/release-0.1.0.db was written by `delib import` of delib 0.1.0 (three samples, no NER):
schema 1. tests/data/release-schema2.db was written by delib at 12bbf2f, the last release before
Alembic (schema 2, no alembic_version): `delib import` of three samples with NER, `delib check`,
`delib authority set --pref-id PREF001 --official-name 'Commune de Thoiry' 'Commune de Thoiry'`.
tests/data/release-schema3.db was written by delib at 083efdf (schema 3, Alembic revision 0003):
`delib import` of three samples with NER (the minutes commune_pv_seance_numerotee, the extracts
seed_genevois_cs2021-15 and commune_deux_deliberations_meme_page), `delib check`, and the same
`delib authority set`.
"""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from models import migrations
from models.dialect import FTS_TABLE
from models.schema import SCHEMA_VERSION
from models.search import search
from models.store import SchemaVersionError, open_store
from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document

DATA = Path(__file__).parent / "data"
RELEASE_DB = DATA / "release-0.1.0.db"
SCHEMA2_DB = DATA / "release-schema2.db"
SCHEMA3_DB = DATA / "release-schema3.db"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture()
def old_db(tmp_path) -> Path:
    db = tmp_path / "archive.db"
    shutil.copy(RELEASE_DB, db)
    return db


@pytest.fixture()
def schema2_db(tmp_path) -> Path:
    db = tmp_path / "schema2.db"
    shutil.copy(SCHEMA2_DB, db)
    return db


@pytest.fixture()
def schema3_db(tmp_path) -> Path:
    db = tmp_path / "schema3.db"
    shutil.copy(SCHEMA3_DB, db)
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _columns(db: Path, table: str) -> list[str]:
    return [row[1] for row in _rows(db, f"PRAGMA table_info({table})")]


def _tables(db: Path) -> list[str]:
    """The tables that hold data (the FTS index's own tables are its business), and `pages`,
    a table up to schema 3, a view of the same columns and rows from schema 4 on."""
    return [name for (name,) in _rows(db, f"SELECT name FROM sqlite_master WHERE (type = 'table' "
                                          f"AND name NOT LIKE '{FTS_TABLE}%') OR name = 'pages' ORDER BY name")]


def _contents(db: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    return {table: (_columns(db, table), _rows(db, f"SELECT * FROM {table} ORDER BY 1")) for table in _tables(db)}


def _info(db: Path) -> dict[str, str]:
    return dict(_rows(db, "SELECT key, value FROM schema_info"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _differences(db: Path) -> list:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return migrations.differences(conn)
    finally:
        engine.dispose()


# -- delib 0.1.0 (schema 1) ---------------------------------------------------------------------

def test_upgrade_from_0_1_0_keeps_every_row_and_adds_the_new_columns_empty(old_db):
    before = _contents(old_db)
    assert _info(old_db)["schema_version"] == "1" and "alembic_version" not in before
    with open_store(f"sqlite:///{old_db}") as store:
        assert store.upgraded_from == "1"
    after = _contents(old_db)
    for table, (columns, rows) in before.items():
        if table == "schema_info":
            continue
        new_columns, new_rows = after[table]
        # Old columns first, as they were; anything added comes after them, empty.
        assert new_columns[:len(columns)] == columns, table
        assert [row[:len(columns)] for row in new_rows] == rows, table
        assert all(value is None for row in new_rows for value in row[len(columns):]), table
    assert _columns(old_db, "documents")[len(before["documents"][0]):] == ["kind"]
    assert _columns(old_db, "amounts")[len(before["amounts"][0]):] == ["beneficiary"]
    assert after["checked_deliberations"][1] == [] and after["authority_settings"][1] == []
    assert after["alembic_version"][1] == [(migrations.HEAD,)]
    assert _info(old_db)["schema_version"] == SCHEMA_VERSION
    assert _rows(old_db, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(old_db, "PRAGMA foreign_key_check") == []


def test_upgrade_from_0_1_0_gives_the_schema_of_the_models(old_db):
    open_store(f"sqlite:///{old_db}").close()
    assert _differences(old_db) == []
    # 0.1.0's index on document_paths.document_id went: ix_document_paths_current leads with it.
    indexes = {name for (name,) in _rows(old_db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_document_paths_document_id" not in indexes and "ix_document_paths_current" in indexes


def test_upgrade_from_0_1_0_search_finds_what_it_found_and_datasette_sees_the_index(old_db):
    words = ("subvention*", "dechets", "conseil", "genevois")
    query = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid"
    with sqlite3.connect(old_db) as conn:
        before = {word: conn.execute(query, (word,)).fetchall() for word in words}
    assert all(before.values())
    with open_store(f"sqlite:///{old_db}") as store:
        assert search(store, "subvention")
    with sqlite3.connect(old_db) as conn:
        assert {word: conn.execute(query, (word,)).fetchall() for word in words} == before
        declared = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()[0]
    assert 'content="deliberations"' in declared  # the form Datasette recognises (0.1.0 wrote '…')


@pytest.mark.parametrize("fixture", ["old_db", "schema2_db"])
def test_upgrade_fills_the_word_list_of_prefix_searches_from_the_index(fixture, request):
    db = request.getfixturevalue(fixture)
    open_store(f"sqlite:///{db}").close()
    every = {row[0] for row in _rows(db, f"SELECT term FROM {FTS_TABLE}_terms")}
    with sqlite3.connect(db) as conn:
        conn.execute(f"CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, {FTS_TABLE}, row)")
        assert every == {row[0] for row in conn.execute("SELECT term FROM temp.v")} != set()
    with open_store(f"sqlite:///{db}") as store:
        prefix = {row[0] for row in _rows(db, f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
                                              "'\"subvention\"*'")}
        assert {hit.deliberation_id for hit in search(store, "subvention", limit=1000,
                                                             include_superseded=True)} == prefix != set()


def test_upgrade_from_0_1_0_then_import_works(old_db):
    with open_store(f"sqlite:///{old_db}") as store:
        extraction = extract_document(SAMPLES / "commune_cession_terrain.pdf", ExtractOptions(entities=False))
        outcome = store.save(extraction, path="commune_cession_terrain.pdf", size_bytes=1, mtime=0.0,
                             extractor_version=EXTRACTOR_VERSION)
        assert outcome.status == "imported"
        assert search(store, "cession terrain")
    assert _rows(old_db, "SELECT COUNT(*) FROM deliberations") == [(4,)]
    assert _rows(old_db, "SELECT kind FROM documents ORDER BY id") == [(None,), (None,), (None,), ("extract",)]


def test_upgrade_that_fails_half_way_leaves_the_database_as_it_was(old_db, monkeypatch):
    import models.store as store_module

    def broken(conn):
        raise RuntimeError("the disk went away")

    contents = _contents(old_db)
    monkeypatch.setattr(store_module, "create_views", broken)  # after the migrations, same transaction
    with pytest.raises(RuntimeError, match="disk went away"):
        open_store(f"sqlite:///{old_db}")
    assert _contents(old_db) == contents
    monkeypatch.undo()
    with open_store(f"sqlite:///{old_db}") as store:  # and the next opening upgrades it
        assert store.upgraded_from == "1"


# -- schema 2, made before Alembic --------------------------------------------------------------

def test_upgrade_from_schema_2_keeps_every_row_as_it_was(schema2_db):
    before = _contents(schema2_db)
    assert _info(schema2_db)["schema_version"] == "2" and "alembic_version" not in before
    with open_store(f"sqlite:///{schema2_db}") as store:
        assert store.upgraded_from == "2"
    after = _contents(schema2_db)
    for table, contents in before.items():
        if table != "schema_info":
            assert after[table] == contents, table
    assert after["alembic_version"][1] == [(migrations.HEAD,)]
    assert _differences(schema2_db) == []
    assert _rows(schema2_db, "PRAGMA integrity_check") == [("ok",)]


def test_upgrade_from_schema_2_keeps_the_other_facts_of_schema_info(schema2_db):
    facts = _info(schema2_db)
    open_store(f"sqlite:///{schema2_db}").close()
    now = _info(schema2_db)
    assert now["schema_version"] == SCHEMA_VERSION
    assert now["checks_version"] == facts["checks_version"]  # `delib check` need not start again
    assert "indexes" not in now  # the pre-Alembic fingerprint: the migrations build the indexes now


def test_upgrade_from_schema_2_search_and_the_findings_work(schema2_db):
    with open_store(f"sqlite:///{schema2_db}") as store:
        assert search(store, "Thoiry")
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM v_seances").scalar() > 0
    assert _rows(schema2_db, "SELECT name, pref_id FROM authority_settings") == [("Commune de Thoiry", "PREF001")]


# -- schema 3: the text stored twice, then once -------------------------------------------------

def test_upgrade_from_schema_3_keeps_every_row_and_every_page_text(schema3_db):
    before = _contents(schema3_db)
    assert _info(schema3_db)["schema_version"] == "3" and before["alembic_version"][1] == [("0003",)]
    assert _rows(schema3_db, "SELECT type FROM sqlite_master WHERE name = 'pages'") == [("table",)]
    with open_store(f"sqlite:///{schema3_db}") as store:
        assert store.upgraded_from == "3"
    after = _contents(schema3_db)
    for table, contents in before.items():
        if table not in ("schema_info", "alembic_version"):
            assert after[table] == contents, table  # `pages` too: the view gives the same rows
    assert _rows(schema3_db, "SELECT type FROM sqlite_master WHERE name = 'pages'") == [("view",)]
    assert _differences(schema3_db) == []
    assert _rows(schema3_db, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(schema3_db, "PRAGMA foreign_key_check") == []


def test_upgrade_from_schema_3_stores_the_pages_text_as_slices_of_the_deliberations(schema3_db):
    text_before = _rows(schema3_db, "SELECT sum(length(text)) FROM pages")[0][0]
    open_store(f"sqlite:///{schema3_db}").close()
    written_out = _rows(schema3_db, "SELECT coalesce(sum(length(text)), 0) FROM page_parts")[0][0]
    assert written_out < text_before / 5  # the minutes' debates and headings only
    # The minutes' pages hold several items each: their parts point at more than one deliberation.
    assert _rows(schema3_db, "SELECT max(n) FROM (SELECT count(DISTINCT deliberation_id) AS n "
                             "FROM page_parts GROUP BY page_id)")[0][0] >= 2


def test_upgrade_from_schema_3_then_reextract_and_search_work(schema3_db):
    pages = _rows(schema3_db, "SELECT document_id, page_number, text FROM pages ORDER BY 1, 2")
    with open_store(f"sqlite:///{schema3_db}") as store:
        paths = dict(_rows(schema3_db, "SELECT document_id, path FROM document_paths"))
        for doc_id in sorted(paths):
            pdf = SAMPLES / Path(paths[doc_id]).name
            store.replace_extraction(extract_document(pdf, ExtractOptions(entities=False)), EXTRACTOR_VERSION)
        assert search(store, "Genevois")
    assert _rows(schema3_db, "SELECT document_id, page_number, text FROM pages ORDER BY 1, 2") == pages
    assert _rows(schema3_db, "PRAGMA foreign_key_check") == []


# -- what is refused ----------------------------------------------------------------------------

def test_upgrade_refuses_a_newer_schema_version(old_db):
    with sqlite3.connect(old_db) as conn:
        conn.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="schema version 99.*newer delib"):
        open_store(f"sqlite:///{old_db}")


def test_upgrade_refuses_a_revision_this_delib_does_not_know(old_db):
    open_store(f"sqlite:///{old_db}").close()
    with sqlite3.connect(old_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    bytes_before = _sha256(old_db)
    with pytest.raises(SchemaVersionError, match="revision 0099.*newer delib"):
        open_store(f"sqlite:///{old_db}")
    with pytest.raises(SchemaVersionError, match="revision 0099"):
        open_store(f"sqlite:///{old_db}", readonly=True)
    assert _sha256(old_db) == bytes_before


def test_upgrade_refuses_a_database_with_delib_tables_but_no_version(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)")  # someone else's
    with pytest.raises(SchemaVersionError, match="not made by delib"):
        open_store(f"sqlite:///{db}")
    assert _tables(db) == ["documents"]


def test_upgrade_is_not_done_by_a_readonly_opening_which_says_what_to_run(old_db):
    bytes_before = _sha256(old_db)
    with pytest.raises(SchemaVersionError, match=rf"schema version 1, this delib reads {SCHEMA_VERSION}.*delib upgrade"):
        open_store(f"sqlite:///{old_db}", readonly=True)
    assert _sha256(old_db) == bytes_before


def test_upgrade_readonly_opening_of_an_up_to_date_database_works(old_db):
    open_store(f"sqlite:///{old_db}").close()
    with open_store(f"sqlite:///{old_db}", readonly=True) as store:
        assert search(store, "subvention")


def test_upgrade_an_up_to_date_database_is_only_read_when_opened(old_db):
    open_store(f"sqlite:///{old_db}").close()
    bytes_before = _sha256(old_db)
    with open_store(f"sqlite:///{old_db}") as store:
        assert store.upgraded_from is None
    assert _sha256(old_db) == bytes_before


# -- the command --------------------------------------------------------------------------------

def test_upgrade_command_says_what_it_did(old_db, capsys):
    from pipeline.cli import main

    assert main(["upgrade", "--db", str(old_db)]) == 0
    assert capsys.readouterr().out.strip() == f"upgraded the database from schema 1 to {SCHEMA_VERSION}"
    assert main(["upgrade", "--db", str(old_db)]) == 0
    assert capsys.readouterr().out.strip() == f"the database is at schema {SCHEMA_VERSION}, up to date"


def test_upgrade_command_refuses_a_newer_database_in_one_line(old_db, capsys):
    from pipeline.cli import main

    with sqlite3.connect(old_db) as conn:
        conn.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    assert main(["upgrade", "--db", str(old_db)]) == 2
    error = capsys.readouterr().err
    assert "schema version 99" in error and len(error.strip().splitlines()) == 1


def test_upgrade_command_on_a_schema_2_database_records_its_migrations(schema2_db, capsys):
    from pipeline.cli import main

    assert main(["upgrade", "--db", str(schema2_db)]) == 0
    said = capsys.readouterr().out.strip()
    assert said == (f"upgraded the database from schema 2 to {SCHEMA_VERSION}" if SCHEMA_VERSION != "2" else
                    "the database is at schema 2; its migrations are recorded from now on")
    assert _rows(schema2_db, "SELECT version_num FROM alembic_version") == [(migrations.HEAD,)]
