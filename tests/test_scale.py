"""bench/scale.py builds archive-size databases: a small build is a real database that search,
the filters and the checks read like an imported one."""
from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

from models.search import open_search, search
from models.store import open_store
from tests.store_fixtures import fill

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(scale, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale")
    with open_store(f"sqlite:///{folder / 'template.db'}") as template:
        fill(template)
    scale.build(folder / "scale.db", 300, folder / "template.db")
    return folder / "scale.db"


def test_scale_build_has_the_deliberations_asked_indexed(built):
    con = sqlite3.connect(built)
    count = con.execute("SELECT count(*) FROM deliberations").fetchone()[0]
    assert 300 <= count < 310  # whole documents are copied: the last one may overshoot
    assert con.execute("SELECT count(*) FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'").fetchone()[0] > 50
    assert con.execute("SELECT count(DISTINCT authority) FROM deliberations").fetchone()[0] > 100
    assert con.execute("SELECT count(DISTINCT sha256) FROM documents").fetchone()[0] == \
        con.execute("SELECT count(*) FROM documents").fetchone()[0]
    # A person belongs to the authority of the deliberations that list them.
    assert con.execute("""SELECT count(*) FROM attendance a JOIN persons p ON p.id = a.person_id
                          JOIN deliberations d ON d.id = a.deliberation_id
                          WHERE p.authority != coalesce(d.authority, '')""").fetchone()[0] == 0


def test_scale_build_is_searched_like_an_imported_database(built, scale):
    with open_search(f"sqlite:///{built}") as db:
        hits = search(db, "voirie", limit=5)
        assert len(hits) == 5 and all("«" in h.snippet and h.path for h in hits)
        authority = hits[0].authority
        assert {h.authority for h in search(db, "voirie", authority=authority)} == {authority}
    for label, query, filters in scale.query_mix(built):
        with open_search(f"sqlite:///{built}") as db:
            assert isinstance(search(db, query, **filters), list), label


def test_scale_storage_counts_every_table(built, scale):
    sizes = dict(scale.storage(built, 300))
    assert {"deliberations", "deliberations_fts_data", "ix_deliberations_search"} <= set(sizes)
