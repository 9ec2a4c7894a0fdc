"""The store, against a real SQLite file: idempotence, one transaction per document, exact values,
persons, references, nomenclature, views."""
from __future__ import annotations

import sqlite3
import sys
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

import models.store as store_module
from models.schema import SCHEMA_VERSION, Amount, Base, Deliberation, DocumentPath
from models.search import search
from models.store import (
    InvalidExtraction,
    NomenclatureUnavailable,
    SchemaVersionError,
    UnknownDocument,
    normalize_name,
    number_key,
    open_store,
)
from tests.store_fixtures import (
    ALL,
    CLUSES,
    CLUSES_DEC_2019,
    CLUSES_MARCH_2020,
    NOMENCLATURE,
    POLE,
    POLE_2021,
    changed,
    fill,
)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "delib.db"


@pytest.fixture
def store(db_path):
    with open_store(f"sqlite:///{db_path}") as opened:
        yield opened


@pytest.fixture
def filled(store):
    fill(store)
    return store


def sql(db_path, query: str, *params):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(query, params).fetchall()


def save(store, extraction, path=None, mtime=1_600_000_000.5, size=1000, version="1.0"):
    return store.save(extraction, path=path or extraction.source.path, size_bytes=size, mtime=mtime,
                      extractor_version=version)


# -- schema -------------------------------------------------------------------------------------

def test_schema_records_its_version_and_sqlite_settings(store, db_path):
    assert sql(db_path, "SELECT value FROM schema_info WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
    assert sql(db_path, "PRAGMA journal_mode") == [("wal",)]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema_every_column_has_a_comment():
    missing = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns if not c.comment]
    assert missing == []


def test_schema_reopening_an_existing_database_keeps_its_rows(db_path):
    with open_store(f"sqlite:///{db_path}") as first:
        fill(first)
        counts = first.table_counts()
    with open_store(f"sqlite:///{db_path}") as again:
        assert again.table_counts() == counts


def test_schema_newer_version_is_refused(db_path):
    open_store(f"sqlite:///{db_path}").close()
    sql(db_path, "UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="99"):
        open_store(f"sqlite:///{db_path}")


def test_schema_open_creates_missing_parent_directory(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/a/b/delib.db") as opened:
        assert opened.table_counts()["documents"] == 0


def test_schema_views_recreated_when_their_sql_changed(db_path):
    open_store(f"sqlite:///{db_path}").close()
    sql(db_path, "DROP VIEW v_subsidies")
    sql(db_path, "UPDATE schema_info SET value = 'old' WHERE key = 'views'")
    with open_store(f"sqlite:///{db_path}"):
        assert sql(db_path, "SELECT COUNT(*) FROM v_subsidies") == [(0,)]


def test_schema_opening_an_up_to_date_database_does_not_wait_for_a_writer(filled, db_path):
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the nightly import, mid-document
    try:
        with open_store(f"sqlite:///{db_path}") as reader:
            assert len(search(reader, "voirie")) == 2
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_save_two_writers_at_once_both_land(filled, db_path):
    from concurrent.futures import ThreadPoolExecutor

    def import_one(suffix: str) -> str:
        with open_store(f"sqlite:///{db_path}") as own:
            extraction = changed(CLUSES_DEC_2019, suffix)
            return save(own, extraction, path=f"/other/{suffix}.pdf").status

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(import_one, ["a", "b", "c", "d"])) == ["imported"] * 4
    assert filled.table_counts()["documents"] == 7


# -- save: idempotence and versions -------------------------------------------------------------

def test_save_new_document_is_imported(store):
    outcome = save(store, CLUSES_MARCH_2020)
    assert (outcome.status, outcome.deliberations, outcome.superseded) == ("imported", 2, ())
    counts = store.table_counts()
    assert counts["documents"] == 1 and counts["deliberations"] == 2 and counts["amounts"] == 4


def test_save_same_extraction_twice_changes_no_row_count(filled, db_path):
    before = filled.table_counts()
    seen = sql(db_path, "SELECT last_seen FROM document_paths WHERE document_id = 1")
    for extraction in ALL:
        outcome = save(filled, extraction, mtime=1_700_000_000.0)
        assert outcome.status == "known"
    assert filled.table_counts() == before
    assert sql(db_path, "SELECT last_seen FROM document_paths WHERE document_id = 1") > seen
    assert filled.lookup_path(CLUSES_MARCH_2020.source.path, 1000, 1_700_000_000.0)


def test_save_same_bytes_at_a_second_path_adds_only_a_location(filled, db_path):
    before = filled.table_counts()
    outcome = save(filled, CLUSES_MARCH_2020, path="/copies/mars.pdf")
    assert outcome.status == "new_path"
    after = filled.table_counts()
    assert after.pop("document_paths") == before.pop("document_paths") + 1
    assert after == before
    assert sql(db_path, "SELECT path, is_current FROM document_paths WHERE document_id = ? ORDER BY path",
               outcome.document_id) == [("/archive/cluses-2020-03-05.pdf", 1), ("/copies/mars.pdf", 1)]


def test_save_changed_file_at_same_path_is_a_new_current_version(filled, db_path):
    path = CLUSES_MARCH_2020.source.path
    outcome = save(filled, changed(CLUSES_MARCH_2020, "v2"), mtime=1_700_000_000.0)
    assert outcome.status == "imported" and outcome.superseded == (1,)
    rows = sql(db_path, "SELECT document_id, is_current FROM document_paths WHERE path = ? ORDER BY 1", path)
    assert rows == [(1, 0), (outcome.document_id, 1)]
    # The old version stays queryable, but views and search count only the current one.
    assert sql(db_path, "SELECT COUNT(*) FROM deliberations WHERE document_id = 1") == [(2,)]
    assert sql(db_path, "SELECT COUNT(*) FROM v_subsidies WHERE year = 2020") == [(2,)]
    assert not filled.lookup_path(path, 1000, 1_600_000_000.5)
    assert [h.deliberation_id for h in search(filled, "subventions", authority="cluses")] == [5]


def test_save_file_changed_back_makes_the_old_version_current_again(filled, db_path):
    path = CLUSES_MARCH_2020.source.path
    save(filled, changed(CLUSES_MARCH_2020, "v2"))
    outcome = save(filled, CLUSES_MARCH_2020)
    assert outcome.status == "known" and outcome.superseded == (4,)
    assert sql(db_path, "SELECT document_id FROM document_paths WHERE path = ? AND is_current", path) == [(1,)]


# -- one transaction per document ---------------------------------------------------------------

def test_save_failure_mid_document_leaves_nothing_of_it(store, db_path, monkeypatch):
    save(store, CLUSES_DEC_2019)
    before = store.table_counts()
    fts_before = sql(db_path, "SELECT rowid FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'")

    def broken(conn, delib_id, record):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "_write_amounts", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save(store, CLUSES_MARCH_2020)
    assert store.table_counts() == before
    assert not store.has_sha256(CLUSES_MARCH_2020.source.sha256)
    assert sql(db_path, "SELECT rowid FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'") == fts_before
    monkeypatch.undo()
    assert save(store, CLUSES_MARCH_2020).status == "imported"


def test_save_invalid_extraction_is_a_typed_error_and_saves_nothing(filled):
    before = filled.table_counts()
    pages = CLUSES_MARCH_2020.page_texts
    twice = changed(CLUSES_MARCH_2020, "dup").__class__(
        changed(CLUSES_MARCH_2020, "dup").source, CLUSES_MARCH_2020.deliberations, pages + pages[:1])
    with pytest.raises(InvalidExtraction, match="/archive/cluses-2020-03-05.pdf was not saved"):
        save(filled, twice)
    assert filled.table_counts() == before


def test_replace_extraction_failure_keeps_the_previous_rows(filled, monkeypatch):
    before = filled.table_counts()
    monkeypatch.setattr(store_module, "_write_children", lambda *a: (_ for _ in ()).throw(ValueError("x")))
    with pytest.raises(ValueError):
        filled.replace_extraction(CLUSES_MARCH_2020, "2.0")
    assert filled.table_counts() == before


# -- exact values -------------------------------------------------------------------------------

def test_amounts_are_exact_decimals_after_round_trip(filled):
    with filled.engine.connect() as conn:
        rows = conn.execute(select(Amount.value, Amount.value_cents).order_by(Amount.id)).all()
    assert rows == [
        (Decimal("1500.00"), 150000), (Decimal("2880.50"), 288050), (Decimal("42000.00"), 4200000),
        (Decimal("0.10"), 10), (Decimal("120000.00"), 12000000), (Decimal("420000000.00"), 42000000000),
    ]
    assert all(isinstance(value, Decimal) for value, _ in rows)


def test_deliberation_scalars_round_trip(filled):
    with filled.engine.connect() as conn:
        row = conn.execute(select(Deliberation).where(Deliberation.number == "2020-015")).one()
    assert (row.session_date, row.convocation_date, row.transmission_date, row.publication_date) == (
        date(2020, 3, 5), date(2020, 2, 27), date(2020, 3, 9), date(2020, 3, 10))
    assert (row.in_office, row.present, row.represented, row.voters, row.unanimous) == (5, 3, 1, 4, True)
    assert (row.pages, row.first_page, row.session_time, row.position) == ("1,2", 1, "19:00", 1)


# -- persons ------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, folded", [
    ("Jean-Claude GEORGET", "jean claude georget"),
    ("Jean-Claude Georget", "jean claude georget"),
    ("  Hélène   LE  BRIS-ÉTIENNE ", "helene le bris etienne"),
    ("Straße", "strasse"),
])
def test_normalize_name(written, folded):
    assert normalize_name(written) == folded


def test_persons_one_row_per_normalised_name_per_authority(filled, db_path):
    rows = sql(db_path, "SELECT authority, name FROM persons WHERE normalized_name = 'jean claude georget'")
    assert sorted(rows) == [(CLUSES, "Jean-Claude GEORGET"), (POLE, "Jean-Claude Georget")]
    proxy = sql(db_path, """SELECT p.name FROM attendance a JOIN persons p ON p.id = a.proxy_to_person_id
                            WHERE a.name = 'Marie Dupont'""")
    assert proxy == [("Jean-Claude GEORGET",), ("Jean-Claude GEORGET",)]
    substitute = sql(db_path, """SELECT DISTINCT p.name FROM attendance a
                                 JOIN persons p ON p.id = a.substitute_for_person_id""")
    assert substitute == [("Paul Martin",)]


# -- references ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["DEL-2019/042", "del 2019_042", "DEL2019-042", "Del.2019.042"])
def test_number_key_ignores_case_spaces_and_separators(written):
    assert number_key(written) == "del2019042"


def test_references_back_filled_when_the_cited_deliberation_arrives_later(store, db_path):
    save(store, CLUSES_MARCH_2020)
    assert sql(db_path, "SELECT cited_deliberation_id FROM deliberation_references") == [(None,)]
    save(store, CLUSES_DEC_2019)
    assert sql(db_path, """SELECT d.number FROM deliberation_references r
                           JOIN deliberations d ON d.id = r.cited_deliberation_id""") == [("DEL 2019-042",)]


def test_references_resolved_at_once_when_the_cited_one_is_already_there(store, db_path):
    save(store, CLUSES_DEC_2019)
    save(store, CLUSES_MARCH_2020)
    assert sql(db_path, "SELECT cited_deliberation_id FROM deliberation_references") == [(1,)]


def test_references_never_cross_authorities(filled, db_path):
    # The Pôle cites '2020-015', which is only a Cluses number.
    assert sql(db_path, "SELECT cited_deliberation_id FROM deliberation_references WHERE number = '2020-015'") \
        == [(None,)]


def test_references_relinked_after_the_cited_document_is_reextracted(filled, db_path):
    filled.replace_extraction(CLUSES_DEC_2019, "2.0")
    assert sql(db_path, """SELECT d.number FROM deliberation_references r
                           JOIN deliberations d ON d.id = r.cited_deliberation_id""") == [("DEL 2019-042",)]


# -- nomenclature -------------------------------------------------------------------------------

def test_nomenclature_joins_budget_articles(filled, db_path):
    rows = sql(db_path, """SELECT b.code, n.label, n.class FROM budget_articles b
                           JOIN budget_nomenclature n ON n.code = b.code ORDER BY b.id""")
    assert rows == [
        ("6574", NOMENCLATURE[0][1], "6"), ("2151", "Réseaux de voirie", "2"),
        ("2151", "Réseaux de voirie", "2"), ("65748", "Autres personnes de droit privé", "6"),
    ]


def test_nomenclature_loaded_from_the_extractors_by_default(store, db_path):
    nomenclature = pytest.importorskip("models.nomenclature")
    expected = len({code for code, _, _ in nomenclature.all_accounts()})
    assert store.load_nomenclature() == expected
    assert sql(db_path, "SELECT COUNT(*) FROM budget_nomenclature WHERE code = '6574'") == [(1,)]


def test_nomenclature_missing_module_gives_a_clear_error(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "models.nomenclature", None)
    with pytest.raises(NomenclatureUnavailable, match="budget nomenclature"):
        store.load_nomenclature()


# -- re-extraction ------------------------------------------------------------------------------

def test_replace_extraction_rewrites_rows_and_search(filled, db_path):
    before = filled.table_counts()
    renamed = CLUSES_DEC_2019.deliberations[0].__class__(
        pages=(1,), authority=CLUSES, number="DEL 2019-042", title="Programme de trottoirs",
        text="Le conseil décide d'engager le programme de trottoirs.")
    new = CLUSES_DEC_2019.__class__(CLUSES_DEC_2019.source, (renamed,), CLUSES_DEC_2019.page_texts)
    outcome = filled.replace_extraction(new, "2.0")
    assert outcome.status == "reextracted" and outcome.deliberations == 1
    assert [h.number for h in search(filled, "trottoirs")] == ["DEL 2019-042"]
    assert all(h.number != "DEL 2019-042" for h in search(filled, "voirie"))
    assert sql(db_path, "SELECT extractor_version FROM documents WHERE id = 2") == [("2.0",)]
    assert filled.table_counts()["documents"] == before["documents"]
    assert filled.replace_extraction(CLUSES_DEC_2019, "2.0").deliberations == 1
    assert filled.table_counts() == before


def test_replace_extraction_of_an_unknown_document_is_refused(store):
    with pytest.raises(UnknownDocument, match="import it first"):
        store.replace_extraction(CLUSES_MARCH_2020, "2.0")


def test_documents_needing_reextract_lists_other_versions_with_a_current_path(filled):
    save(filled, changed(POLE_2021, "v2"), version="2.0")  # supersedes document 3
    filled.replace_extraction(CLUSES_DEC_2019, "2.0")
    assert list(filled.documents_needing_reextract("2.0")) == [(1, CLUSES_MARCH_2020.source.path)]


# -- import bookkeeping -------------------------------------------------------------------------

def test_lookup_path_and_has_sha256(filled):
    path = CLUSES_MARCH_2020.source.path
    assert filled.lookup_path(path, 1000, 1_600_000_000.5)
    assert not filled.lookup_path(path, 1001, 1_600_000_000.5)
    assert not filled.lookup_path(path, 1000, 1_600_000_001.5)
    assert not filled.lookup_path("/elsewhere.pdf", 1000, 1_600_000_000.5)
    assert filled.has_sha256(CLUSES_MARCH_2020.source.sha256)
    assert not filled.has_sha256("0" * 64)


def test_runs_and_failures_are_recorded(store, db_path):
    run = store.start_run("delib import /archive")
    store.record_failure("/archive/broken.pdf", "page 3 could not be read: the file is truncated", run_id=run)
    store.finish_run(run, files_seen=3, imported=1, skipped=1, failed=1)
    assert sql(db_path, "SELECT command, files_seen, imported, skipped, failed, status, finished_at IS NOT NULL "
                        "FROM import_runs") == [("delib import /archive", 3, 1, 1, 1, "ok", 1)]
    assert sql(db_path, "SELECT run_id, path FROM import_failures") == [(run, "/archive/broken.pdf")]


def test_deleting_a_document_cascades_to_everything_extracted(filled, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM documents WHERE id = 1")
    assert sql(db_path, "SELECT COUNT(*) FROM deliberations WHERE document_id = 1") == [(0,)]
    assert sql(db_path, "SELECT COUNT(*) FROM amounts") == [(2,)]
    assert sql(db_path, "SELECT COUNT(*) FROM document_paths") == [(2,)]
    assert sql(db_path, "SELECT rowid FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'") == [(3,)]
    # FTS5 compares its index with the deliberations table; it raises if a trigger missed a row.
    sql(db_path, "INSERT INTO deliberations_fts(deliberations_fts, rank) VALUES ('integrity-check', 1)")


# -- views --------------------------------------------------------------------------------------

def test_view_subsidies_lists_the_amounts_of_6574_deliberations(filled, db_path):
    rows = sql(db_path, "SELECT number, year, code, label, value_cents FROM v_subsidies ORDER BY amount_id")
    assert rows == [
        ("2020-015", 2020, "6574", NOMENCLATURE[0][1], 150000),
        ("2020-015", 2020, "6574", NOMENCLATURE[0][1], 288050),
        ("CS2021-15", 2021, "65748", "Autres personnes de droit privé", 42000000000),
    ]


def test_view_spending_by_article_year_sums_cents_exactly(filled, db_path):
    rows = sql(db_path, "SELECT authority, year, code, deliberations, amounts, total_cents "
                        "FROM v_spending_by_article_year WHERE authority = ? ORDER BY year, code", CLUSES)
    assert rows == [(CLUSES, 2019, "2151", 1, 1, 12000000), (CLUSES, 2020, "2151", 1, 2, 4200010),
                    (CLUSES, 2020, "6574", 1, 2, 438050)]


def test_view_attendance_rate_counts_seances_not_deliberations(filled, db_path):
    rows = sql(db_path, "SELECT name, seances, present, represented, excused, absent, rate "
                        "FROM v_attendance_rate WHERE authority = ? ORDER BY name", CLUSES)
    assert rows == [
        ("Anne Leroy", 1, 0, 0, 0, 1, 0.0), ("Jean-Claude GEORGET", 2, 2, 0, 0, 0, 1.0),
        ("Luc Bernard", 1, 1, 0, 0, 0, 1.0), ("Marie Dupont", 2, 1, 1, 0, 0, 0.5),
        ("Paul Martin", 2, 0, 0, 1, 1, 0.0),
    ]


def test_view_proxies_held_counts_one_per_seance(filled, db_path):
    assert sql(db_path, "SELECT name, authority, proxies_held, seances FROM v_proxies_held") == [
        ("Jean-Claude GEORGET", CLUSES, 1, 1)]


def test_view_deliberations_gives_the_document_path(filled, db_path):
    rows = sql(db_path, "SELECT number, path, is_current, ocr FROM v_deliberations ORDER BY deliberation_id")
    assert rows[0] == ("2020-015", CLUSES_MARCH_2020.source.path, 1, 0)
    assert rows[3] == ("CS2021-15", POLE_2021.source.path, 1, 1)


def test_document_paths_rows_are_unique_per_path_and_document(filled):
    with filled.engine.connect() as conn:
        pairs = conn.execute(select(DocumentPath.path, DocumentPath.document_id)).all()
    assert len(pairs) == len(set(pairs)) == 3


# -- grants and document kinds (issue 13) ---------------------------------------------------------

def test_store_keeps_the_beneficiary_of_each_amount(filled, db_path):
    rows = sql(db_path, "SELECT a.value_cents, a.beneficiary FROM amounts a JOIN deliberations d "
                        "ON d.id = a.deliberation_id WHERE d.number = '2020-015' ORDER BY a.value_cents")
    assert rows == [(150000, "Football Club de Cluses"), (288050, "Association des parents d'élèves")]
    assert sql(db_path, "SELECT COUNT(*) FROM amounts WHERE beneficiary IS NULL") == [(4,)]  # the other sums


@pytest.mark.parametrize("kind", ["arrete", "minutes", None])
def test_store_keeps_the_document_kind(store, db_path, kind):
    from dataclasses import replace

    save(store, replace(POLE_2021, source=replace(POLE_2021.source, kind=kind)))
    assert sql(db_path, "SELECT kind FROM documents") == [(kind,)]
