"""The command line starts like a command-line tool: a command imports only what it uses.

Checked in a fresh interpreter by the modules it ends up holding, not by a timing (timings on a
shared machine are noise): the PDF engines, spaCy and the extractors' patterns are for `extract`
and `import`; SQLAlchemy is for the commands that write. `--help` and `search` need none of them,
and a search on PostgreSQL reads through psycopg2, not psycopg 3 (which imports asyncio: 0.1-0.2 s).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.store import open_store
from tests.store_fixtures import fill
from tests.test_postgres import Server, _server_or_skip

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("spacy", "pdfplumber", "pypdfium2", "sqlalchemy", "extractors", "pipeline.api", "models.schema")

_CHILD = """
import contextlib, io, json, sys
from pipeline.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "output": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def run_cli(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def heavy_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "delib.db"
    with open_store(f"sqlite:///{path}") as store:
        fill(store)
    return path


def test_cli_startup_help_imports_nothing_heavy():
    result = run_cli("--help")
    assert result["code"] == 0
    assert "search" in result["output"]
    assert heavy_in(result["modules"]) == []


def test_cli_startup_search_reads_sqlite_without_sqlalchemy(db):
    result = run_cli("search", "subvention", "--db", str(db))
    assert result["code"] == 0
    assert "2020-015" in result["output"]
    assert heavy_in(result["modules"]) == []


def test_cli_startup_search_with_filters_stays_light(db):
    result = run_cli("search", "voirie", "--authority", "cluses", "--from", "2019-01-01", "--person", "georget",
                     "--db", str(db))
    assert result["code"] == 0
    assert heavy_in(result["modules"]) == []


@pytest.fixture(scope="module")
def postgresql_db():
    server = Server(_server_or_skip())
    url = server.database()
    with open_store(url) as store:
        fill(store)
    yield url
    server.drop_all()


def test_cli_startup_search_on_postgresql_reads_through_the_light_driver(postgresql_db):
    result = run_cli("search", "subvention", "--db", postgresql_db)
    assert result["code"] == 0
    assert "2020-015" in result["output"]
    assert heavy_in(result["modules"]) == []
    assert "psycopg2" in result["modules"]
    assert [m for m in result["modules"] if m == "psycopg" or m.startswith("psycopg.")] == []


def test_cli_startup_import_parent_leaves_reading_to_the_workers(tmp_path):
    """The parent of an import only writes: the extractors, spaCy and the PDF engines are loaded
    by the workers' fork server, not a second time (a second of start-up) in the parent."""
    folder = tmp_path / "in"
    folder.mkdir()
    sample = sorted((ROOT / "samples").glob("*.pdf"))[0]
    (folder / sample.name).write_bytes(sample.read_bytes())
    result = run_cli("import", str(folder), "--db", str(tmp_path / "delib.db"), "--workers", "1")
    assert result["code"] == 0
    with open_store(f"sqlite:///{tmp_path / 'delib.db'}") as store:
        assert store.table_counts()["deliberations"] >= 1  # the worker read it, the parent wrote it
    assert [m for m in heavy_in(result["modules"]) if not m.startswith(("sqlalchemy", "models.schema"))] == []
