"""`delib serve` as a reader meets it, for tests/test_serve_*.py: a database imported from real
sample PDFs (real pdfium, real SQLite), served by the real command on a free loopback port.

    site = serve_samples(tmp_path_factory)      # one server for the whole session
    site.get("/-/deliberation/1")               # (status, body text)
    site.deliberation("commune_subventions_associations")   # its id, extraction and PDF

Importing this module's fixtures into a test module (`from tests.serve_fixtures import site`)
shares the one server between modules.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `delib serve`, as the installed console script runs it, without depending on .venv/bin/delib.
LAUNCH = "import sys\nfrom pipeline.cli import main\nsys.exit(main(sys.argv[1:]))\n"
# A subsidy table, a land sale, a loan (several pages), and a scan read by OCR.
SAMPLES = ("commune_subventions_associations", "commune_cession_terrain", "sivom_voirie_emprunt",
           "scanned/seed_genevois_cs2021-15_scan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(db: Path, samples: tuple[str, ...] = SAMPLES) -> dict[str, tuple[int, Any, Path]]:
    """Import the samples as `delib import` does; name -> (first deliberation id, extraction, PDF)."""
    from sqlalchemy import text

    from models.store import open_store
    from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document

    imported = {}
    with open_store(f"sqlite:///{db}") as store:
        for name in samples:
            pdf = ROOT / "samples" / f"{name}.pdf"
            extraction = extract_document(pdf, ExtractOptions(entities=False))
            outcome = store.save(extraction, path=str(pdf), size_bytes=pdf.stat().st_size,
                                 mtime=pdf.stat().st_mtime, extractor_version=EXTRACTOR_VERSION)
            with store.engine.connect() as conn:
                first = conn.execute(text("SELECT MIN(id) FROM deliberations WHERE document_id = :d"),
                                     {"d": outcome.document_id}).scalar_one()
            imported[Path(name).name] = (first, extraction, pdf)
    return imported


@dataclass
class Server:
    base: str
    work: Path
    log: Path
    proc: subprocess.Popen
    imported: dict[str, tuple[int, Any, Path]] = field(default_factory=dict)
    db: Path | None = None

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", errors="replace")

    def get_bytes(self, path: str) -> tuple[int, str, bytes]:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.status, response.headers.get("content-type", ""), response.read()

    def deliberation(self, name: str) -> tuple[int, Any, Path]:
        return self.imported[name]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_server(db: Path, work: Path, *extra: str, prefix: tuple[str, ...] = (), env: dict | None = None) -> Server:
    """`delib serve --db DB` on a free port; waits until it answers (or fails with its log)."""
    port = free_port()
    log = work / f"server-{port}.log"
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would block the server
        proc = subprocess.Popen(
            [*prefix, sys.executable, "-c", LAUNCH, "serve", "--db", str(db), "-h", "127.0.0.1", "-p", str(port),
             *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    server = Server(f"http://127.0.0.1:{port}", work, log, proc, db=db)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(server.base + "/-/versions.json", timeout=5):
                return server
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"delib serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The samples, imported and served for the whole session."""
    pytest.importorskip("datasette")
    work = tmp_path_factory.mktemp("serve_site")
    db = work / "deliberations.db"  # Datasette names the database after the file: /deliberations/...
    imported = build_database(db)
    server = start_server(db, work)
    server.imported = imported
    try:
        yield server
    finally:
        server.stop()
