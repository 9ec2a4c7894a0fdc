"""docs/schema.md is the analysts' manual: every table, view and column is described in its own
section, and every SQL example runs (the key ones return what the fixtures say)."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from models.dialect import FTS_COLUMNS, FTS_TABLE
from models.schema import Base
from models.store import open_store
from models.views import VIEW_NAMES
from tests.store_fixtures import CLUSES, NOMENCLATURE, POLE_2021, fill

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
TEXT = DOC.read_text(encoding="utf-8")


def queries() -> dict[str, str]:
    """'Q1' -> its SQL, from '### Q1. ...' headings each followed by a ```sql block."""
    found = re.findall(r"^### (Q\d+)\..*?```sql\n(.*?)```", TEXT, flags=re.S | re.M)
    return dict(found)


def section(name: str) -> str:
    match = re.search(rf"^### `{re.escape(name)}`\n(.*?)(?=^##)", TEXT + "\n##", flags=re.S | re.M)
    assert match, f"docs/schema.md has no section '### `{name}`'"
    return match.group(1)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "delib.db"
    with open_store(f"sqlite:///{path}") as store:
        fill(store)
        old = store.start_run("delib import /old")
        store.record_failure("/old/broken.pdf", "old failure", run_id=old)
        store.finish_run(old, files_seen=1, imported=0, skipped=0, failed=1)
        run = store.start_run("delib import /archive")
        store.record_failure("/archive/broken.pdf", "page 3 could not be read: the file is truncated", run_id=run)
        store.finish_run(run, files_seen=4, imported=3, skipped=0, failed=1)
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def run(db, name: str) -> list[tuple]:
    return db.execute(queries()[name]).fetchall()


def test_docs_has_its_queries_numbered_in_order():
    assert sorted(queries(), key=lambda q: int(q[1:])) == [f"Q{i}" for i in range(1, len(queries()) + 1)]
    assert len(queries()) >= 11


@pytest.mark.parametrize("name", [f"Q{i}" for i in range(1, 12)])
def test_docs_query_runs(db, name):
    db.execute(queries()[name]).fetchall()


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_docs_describes_every_table_column(table):
    text = section(table)
    missing = [c.name for c in Base.metadata.tables[table].columns if f"`{c.name}`" not in text]
    assert missing == [], f"{table}: columns not described in docs/schema.md"


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_docs_describes_every_view_column(db, view):
    text = section(view)
    columns = [d[0] for d in db.execute(f"SELECT * FROM {view} LIMIT 0").description]
    assert [c for c in columns if f"`{c}`" not in text] == []


def test_docs_describes_the_fts_index():
    text = section(FTS_TABLE)
    assert [c for c in FTS_COLUMNS if f"`{c}`" not in text] == []


def test_docs_q1_subsidies_2020(db):
    assert run(db, "Q1") == [("Association des parents d'élèves", CLUSES, 1, 2880.5, 1),
                             ("Football Club de Cluses", CLUSES, 1, 1500.0, 1)]


def test_docs_q2_most_proxies(db):
    assert run(db, "Q2") == [("Jean-Claude GEORGET", CLUSES, 1, 1)]


def test_docs_q3_citing_deliberations(db):
    assert run(db, "Q3") == [(CLUSES, "2020-016", "2020-03-05", "Travaux de voirie rue du Pont", "DEL-2019/042")]


def test_docs_q4_attendance_over_a_year(db):
    assert run(db, "Q4") == [("2020-03-05", "Conseil municipal", "represented", "Jean-Claude Georget")]


def test_docs_q5_spending_by_article_year(db):
    assert run(db, "Q5") == [
        (2019, "2151", "Réseaux de voirie", 1, 1, 120000.0),
        (2020, "2151", "Réseaux de voirie", 1, 2, 42000.1),
        (2020, "6574", NOMENCLATURE[0][1], 1, 2, 4380.5),
    ]


def test_docs_q6_date_range(db):
    assert [row[1] for row in run(db, "Q6")] == ["2020-015", "2020-016"]


def test_docs_q7_full_text_with_filter(db):
    [(authority, number, _, extract)] = run(db, "Q7")
    assert (authority, number) == (CLUSES, "2020-016") and "«voirie»" in extract


def test_docs_q8_autorise(db):
    assert [(row[1], row[3]) for row in run(db, "Q8")] == [
        ("2020-015", "le Maire à signer les conventions"), ("2020-016", "le Maire à signer le marché de travaux")]


def test_docs_q9_ocr_documents(db):
    assert [(row[1], row[4]) for row in run(db, "Q9")] == [(POLE_2021.source.path, 58.5)]


def test_docs_q10_last_run_failures(db):
    assert [row[:2] for row in run(db, "Q10")] == [
        ("/archive/broken.pdf", "page 3 could not be read: the file is truncated")]


def test_docs_q11_every_vote_of_a_seance(db):
    rows = run(db, "Q11")
    assert [(r[0], r[2], r[3]) for r in rows] == [("2020-015", 1, None), ("2020-016", 0, 3)]
