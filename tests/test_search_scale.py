"""bench/scale.py --multiply: a build copied in SQL is searched like one built row by row."""
from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

from models.search import open_search, search_page
from models.store import open_store
from tests.store_fixtures import fill

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("bench_scale_multiply", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale_multiply"] = module
    spec.loader.exec_module(module)
    return module


def test_replicate_copies_what_a_search_reads_and_indexes_it(scale, tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'template.db'}") as template:
        fill(template)
    db = tmp_path / "scale.db"
    scale.build(db, 60, tmp_path / "template.db")
    con = sqlite3.connect(db)
    once = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in scale.REPLICATED}
    voirie = con.execute("SELECT count(*) FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'").fetchone()[0]
    con.close()
    scale.replicate(db, 3)
    con = sqlite3.connect(db)
    assert {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in scale.REPLICATED} == \
        {t: 3 * n for t, n in once.items()}
    assert con.execute("SELECT count(*) FROM deliberations_fts WHERE deliberations_fts MATCH 'voirie'").fetchone()[0] \
        == 3 * voirie
    assert con.execute("SELECT count(DISTINCT sha256) FROM documents").fetchone()[0] == 3 * once["documents"]
    # The rows went in behind the store: the build moved their words into the word list itself.
    assert con.execute("SELECT count(*) FROM deliberations_fts_new_vocab").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM deliberations_fts_terms WHERE term = 'voirie'").fetchone()[0] == 1
    con.close()
    with open_search(f"sqlite:///{db}") as opened:
        page = search_page(opened, "voirie", limit=5, window=voirie)
        assert page.ranked_among == voirie  # three times as many match as the window holds
        assert len(page.hits) == 5 and all(h.path for h in page.hits)
    rare = scale.query_mix(db)[4][1]  # the mix's rare word is one the build holds
    con = sqlite3.connect(db)
    assert 0 < con.execute("SELECT count(*) FROM deliberations_fts WHERE deliberations_fts MATCH ?",
                           (f'"{rare}"',)).fetchone()[0] < voirie
    con.close()
