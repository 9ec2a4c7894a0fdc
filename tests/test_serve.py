"""`delib serve`, tried as a reader would: start the server on a free loopback port, fetch pages
over HTTP, and look for what the page must show."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("datasette")

from pipeline.publish.serve import QUERIES, build_metadata, parse_docs, sqlite_path  # noqa: E402
from pipeline.errors import ConfigurationError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# The CLI path, as `delib serve` runs it.
LAUNCH = ("import sys\n"
          "from pipeline.cli import main\n"
          "sys.exit(main(sys.argv[1:]))\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pipeline.checks import run_checks
    from models.store import open_store
    from tests.store_fixtures import fill

    db = tmp_path_factory.mktemp("serve") / "delib.db"
    with open_store(f"sqlite:///{db}") as store:
        fill(store)
        run_checks(store)
    port = free_port()
    metadata = db.parent / "metadata.json"
    log = (db.parent / "server.log").open("wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
         "--metadata-out", str(metadata)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base, "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail(f"server did not start: {(db.parent / 'server.log').read_text(errors='replace')}")
            time.sleep(0.2)
    yield base, metadata
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def test_serve_home_lists_the_database_and_its_queries(server):
    base, _ = server
    page = fetch(base, "/delib")
    for query in QUERIES.values():
        assert query["title"] in page


def test_serve_deliberation_page_shows_source_file_and_pages(server):
    base, _ = server
    page = fetch(base, "/delib/deliberations/1")
    assert "Attribution des SUBVENTIONS aux associations" in page
    assert "pages 1, 2 of /archive/cluses-2020-03-05.pdf" in page


def test_serve_table_page_has_descriptions_from_the_docs(server):
    base, _ = server
    page = fetch(base, "/delib/deliberations")
    assert "One row per deliberation, with every single-valued fact read from it." in page
    # A column's meaning, from docs/schema.md.
    assert "Votants: present plus represented, as printed." in page


def test_serve_facets_on_authority_body_and_year(server):
    base, _ = server
    data = json.loads(fetch(base, "/delib/v_deliberations.json?_extra=facet_results"))
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"authority", "body", "year"} <= set(facets)


@pytest.mark.parametrize("query, params, expected", [
    ("findings_to_review", {"severity": "warning"}, "3 present stated, 2 listed present"),
    ("attendance_of_a_person", {"name": "dupont"}, "Marie Dupont"),
    ("deliberations_citing", {"number": "DEL 2019-042"}, "Travaux de voirie rue du Pont"),
    ("subsidies_by_beneficiary", {"beneficiary": "Football"}, "Football Club de Cluses"),
])
def test_serve_canned_queries_answer(server, query, params, expected):
    base, _ = server
    page = fetch(base, f"/delib/{query}?{urllib.parse.urlencode(params)}")
    assert expected in page


def test_serve_writes_the_metadata_it_uses(server):
    _, metadata = server
    data = json.loads(metadata.read_text(encoding="utf-8"))
    assert set(data["databases"]["delib"]["queries"]) == set(QUERIES)


# -- without a server --------------------------------------------------------------------------

def test_serve_metadata_describes_every_column_of_the_documented_tables():
    tables = build_metadata("delib")["databases"]["delib"]["tables"]
    assert tables["amounts"]["columns"]["value_cents"].startswith("Exact value in cents")
    assert tables["findings"]["facets"] == ["severity", "rule"]
    assert all(desc for t in ("deliberations", "attendance", "findings") for desc in tables[t]["columns"].values())


def test_serve_parse_docs_reads_sections_and_column_tables():
    docs = parse_docs("### `t`\n\nA **table**.\n\n| column | meaning |\n|---|---|\n| `c` | The *c*. |\n\n## Next\n")
    assert docs["t"].description == "A table."
    assert docs["t"].columns == {"c": "The c."}


@pytest.mark.parametrize("url", ["postgresql://h/db", "sqlite://", "sqlite:////nowhere/delib.db"])
def test_serve_needs_an_existing_sqlite_file(url):
    with pytest.raises(ConfigurationError):
        sqlite_path(url)


# -- the command: address, --open, read-only ------------------------------------------------------------

def test_serve_prints_its_address_at_start_up(server):
    base, metadata = server
    log = (metadata.parent / "server.log").read_text(errors="replace")
    assert f"at {base}/" in log and "Ctrl-C stops" in log


def test_serve_help_names_its_short_options_and_defaults():
    done = subprocess.run([sys.executable, "-c", LAUNCH, "serve", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    for option in ("-h HOST, --host HOST", "-p PORT, --port PORT", "-o, --open", "--read-only", "default 8001",
                   "default 127.0.0.1"):
        assert option in " ".join(done.stdout.split()), option


def _start(db: Path, work: Path, *extra: str, prefix: tuple[str, ...] = (), env: dict | None = None):
    port = free_port()
    log_path = work / f"server-{port}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*prefix, sys.executable, "-c", LAUNCH, "serve", "--db", str(db), "-p", str(port),
                                 *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base, "/-/versions.json")
            return proc, base, log_path
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"server did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.2)


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _filled_database(db: Path) -> None:
    from models.store import open_store
    from tests.store_fixtures import fill

    with open_store(f"sqlite:///{db}") as store:
        fill(store)


def test_serve_open_shows_the_home_page_in_the_browser(tmp_path):
    import os

    db = tmp_path / "delib.db"
    _filled_database(db)
    opened = tmp_path / "opened.txt"
    # webbrowser runs $BROWSER with the address: here, a program that writes it down.
    browser = f"{sys.executable} -c 'import sys; open(sys.argv[2], \"w\").write(sys.argv[1])' %s {opened}"
    proc, base, _ = _start(db, tmp_path, "--open", env={**os.environ, "BROWSER": browser})
    try:
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert opened.read_text() == f"{base}/"
    finally:
        _stop(proc)


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_only_checks(base: str, log_path: Path, db: Path, before: str) -> None:
    assert "read-only" in log_path.read_text(errors="replace")
    assert "Marie Dupont" in fetch(base, "/?q=" + urllib.parse.quote("Dupont"))
    rows = json.loads(fetch(base, "/delib/deliberations.json?_search=subventions&_shape=array"))
    assert [r["title"] for r in rows] == ["Attribution des SUBVENTIONS aux associations pour l'année 2020"]
    assert "Attribution des SUBVENTIONS" in fetch(base, "/-/deliberation/1")
    assert _digest(db) == before
    assert not db.with_name(db.name + "-wal").exists()


def test_serve_read_only_option_never_writes_the_database(tmp_path):
    db = tmp_path / "delib.db"
    _filled_database(db)
    before = _digest(db)
    proc, base, log_path = _start(db, tmp_path, "--read-only")
    try:
        _read_only_checks(base, log_path, db, before)
    finally:
        _stop(proc)


def test_serve_a_database_its_user_cannot_write(tmp_path):
    """As a user who may only read the file and its folder (root writes anything: the server runs
    as `nobody`)."""
    import os
    import shutil
    import tempfile

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run the server as another user")
    folder = Path(tempfile.mkdtemp(prefix="delib-ro-"))  # not under tmp_path: pytest's folders are private
    try:
        db = folder / "delib.db"
        _filled_database(db)
        before = _digest(db)
        db.chmod(0o444)
        folder.chmod(0o555)
        env = {**os.environ, "HOME": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
        proc, base, log_path = _start(db, tmp_path, prefix=("setpriv", "--reuid=65534", "--regid=65534",
                                                            "--clear-groups"), env=env)
        try:
            _read_only_checks(base, log_path, db, before)
            assert "cannot be written by this user" in log_path.read_text(errors="replace")
        finally:
            _stop(proc)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
