"""A database made by the previous release (delib 0.1.0, schema 1) opens, upgraded in place.

tests/data/release-0.1.0.db was written by `delib import` of delib 0.1.0 (three samples, no NER).
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from models.schema import SCHEMA_VERSION
from models.search import search
from models.store import open_store
from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document

RELEASE_DB = Path(__file__).parent / "data" / "release-0.1.0.db"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture()
def old_db(tmp_path) -> Path:
    db = tmp_path / "archive.db"
    shutil.copy(RELEASE_DB, db)
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _columns(db: Path, table: str) -> set[str]:
    return {row[1] for row in _rows(db, f"PRAGMA table_info({table})")}


def test_upgrade_keeps_every_row_of_the_previous_release(old_db):
    tables = [name for (name,) in _rows(old_db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND name NOT LIKE 'deliberations_fts%' AND name != 'schema_info'")]
    before = {table: _rows(old_db, f"SELECT * FROM {table} ORDER BY 1") for table in tables}
    assert _rows(old_db, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [("1",)]
    with open_store(f"sqlite:///{old_db}"):
        pass
    assert _rows(old_db, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
    for table, rows in before.items():
        # Old rows stay, each with the new columns added empty at the end.
        after = _rows(old_db, f"SELECT * FROM {table} ORDER BY 1")
        assert [row[:len(rows[0])] for row in after] == rows if rows else after == []
    assert "kind" in _columns(old_db, "documents") and "beneficiary" in _columns(old_db, "amounts")
    assert _rows(old_db, "PRAGMA integrity_check") == [("ok",)]


def test_upgrade_then_search_and_import_work(old_db):
    with open_store(f"sqlite:///{old_db}") as store:
        assert search(store, "subvention")  # what the old release imported is still found
        extraction = extract_document(SAMPLES / "commune_cession_terrain.pdf", ExtractOptions(entities=False))
        outcome = store.save(extraction, path="commune_cession_terrain.pdf", size_bytes=1, mtime=0.0,
                             extractor_version=EXTRACTOR_VERSION)
        assert outcome.status == "imported"
    assert _rows(old_db, "SELECT COUNT(*) FROM deliberations") == [(4,)]
    assert _rows(old_db, "SELECT kind FROM documents ORDER BY id") == [(None,), (None,), (None,), ("extract",)]


def test_upgrade_refuses_a_newer_schema(old_db):
    from models.store import SchemaVersionError

    with sqlite3.connect(old_db) as conn:
        conn.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="schema version 99"):
        with open_store(f"sqlite:///{old_db}"):
            pass
