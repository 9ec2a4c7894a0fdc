"""Import on a real Dask cluster: a scheduler and two workers, each its own process.

The promises are the local import's: the database sees exactly what a local import writes, a
document over the time limit is stopped on the worker, a worker lost mid-run costs nothing.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from models.store import open_store  # noqa: E402
from pipeline.api import ExtractOptions  # noqa: E402
from pipeline.batch.importer import ImportSettings, import_paths  # noqa: E402
from pipeline.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
WORKER = [sys.executable, "-m", "distributed.cli.dask_worker"]
FAST = ExtractOptions(entities=False)  # NER is the local import's business; here, the plumbing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Cluster:
    """`dask scheduler` and `dask worker` processes, started as a user would."""

    def __init__(self, tmp: Path, workers: int = 2) -> None:
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.logs = tmp
        self.scheduler = self._start(DASK + ["--host", "127.0.0.1", "--port", port, "--no-dashboard"], "scheduler")
        self.workers = [
            self._start(WORKER + [self.address, "--nthreads", "1", "--no-dashboard", "--name", f"w{i}",
                                  "--local-directory", str(tmp / f"w{i}")], f"w{i}")
            for i in range(workers)
        ]
        self._wait_for(workers)

    def _start(self, command: list[str], name: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")
        # Own process group: killing a worker kills its nanny, worker and reading processes.
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env(),
                                cwd=self.logs, start_new_session=True)

    def _wait_for(self, workers: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)

    def kill_worker(self, index: int) -> None:
        os.killpg(self.workers[index].pid, signal.SIGKILL)

    def close(self) -> None:
        for proc in self.workers + [self.scheduler]:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.workers + [self.scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture()
def cluster(tmp_path):
    logs = tmp_path / "cluster"
    logs.mkdir()
    running = Cluster(logs)
    yield running
    running.close()


def _digital_samples(folder: Path, count: int | None = None) -> Path:
    folder.mkdir()
    for pdf in sorted(SAMPLES.glob("*.pdf"))[:count]:
        shutil.copy(pdf, folder / pdf.name)
    return folder


def _deliberations(db: Path) -> list[tuple]:
    """Every stored fact of every deliberation, keyed by file and position, not by row id."""
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(deliberations)")
                   if row[1] not in ("id", "document_id")]
        query = (f"SELECT p.path, {', '.join('d.' + c for c in columns)} FROM deliberations d "
                 "JOIN document_paths p ON p.document_id = d.document_id ORDER BY p.path, d.id")
        rows = conn.execute(query).fetchall()
        amounts = conn.execute(
            "SELECT p.path, a.value, a.currency FROM amounts a JOIN deliberations d ON d.id = a.deliberation_id "
            "JOIN document_paths p ON p.document_id = d.document_id ORDER BY 1, 2, 3").fetchall()
        people = conn.execute(
            "SELECT p.path, a.name, a.status FROM attendance a JOIN deliberations d ON d.id = a.deliberation_id "
            "JOIN document_paths p ON p.document_id = d.document_id ORDER BY 1, 2, 3").fetchall()
    return rows + amounts + people


def _import(db: Path, folder: Path, settings: ImportSettings, progress=None):
    with open_store(f"sqlite:///{db}") as store:
        return import_paths(store, [folder], settings, progress=progress)


def test_cluster_import_stores_what_a_local_import_stores(cluster, tmp_path):
    folder = _digital_samples(tmp_path / "archive")
    local = _import(tmp_path / "local.db", folder, ImportSettings(workers=2, options=FAST))
    remote = _import(tmp_path / "cluster.db", folder, ImportSettings(options=FAST, cluster=cluster.address))
    assert (remote.imported, remote.failed) == (local.imported, 0)
    assert remote.imported == len(list(folder.glob("*.pdf")))
    assert _deliberations(tmp_path / "cluster.db") == _deliberations(tmp_path / "local.db")


def test_cluster_unchanged_files_are_skipped_before_any_task_is_sent(cluster, tmp_path):
    folder = _digital_samples(tmp_path / "archive", count=3)
    settings = ImportSettings(options=FAST, cluster=cluster.address)
    _import(tmp_path / "t.db", folder, settings)
    again = _import(tmp_path / "t.db", folder, settings)
    assert (again.imported, again.skipped, again.failed) == (0, 3, 0)


def test_cluster_time_limit_is_enforced_on_the_worker(cluster, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLES / "commune_cession_terrain.pdf", folder / "a_digital.pdf")
    shutil.copy(SAMPLES / "scanned" / "seed_genevois_cs2021-15_scan.pdf", folder / "b_slow_scan.pdf")
    report = _import(tmp_path / "t.db", folder, ImportSettings(options=FAST, timeout=0.5, cluster=cluster.address))
    assert report.imported == 1
    [(path, reason)] = report.failures
    assert path.endswith("b_slow_scan.pdf") and "0.5 s" in reason


def test_cluster_worker_killed_mid_run_loses_no_document(cluster, tmp_path):
    folder = _digital_samples(tmp_path / "archive")
    killed = []

    def kill_once(report) -> None:  # once the first results are in, a machine "goes away"
        if not killed and report.imported >= 2:
            cluster.kill_worker(1)
            killed.append(time.monotonic())

    report = _import(tmp_path / "t.db", folder, ImportSettings(options=FAST, cluster=cluster.address),
                     progress=kill_once)
    assert killed, "the worker was never killed: the test did not test anything"
    assert (report.imported, report.failed) == (len(list(folder.glob("*.pdf"))), 0)
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == report.imported


def test_cluster_cli_local_cluster_imports_and_exits_0(tmp_path, capsys):
    folder = _digital_samples(tmp_path / "archive", count=2)
    code = main(["import", str(folder), "--db", str(tmp_path / "t.db"), "--cluster", "local",
                 "--no-entities", "--quiet"])
    assert code == 0
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


def test_cluster_unreachable_scheduler_is_a_configuration_error():
    from pipeline import errors
    from pipeline.batch.cluster import ClusterPool

    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(errors.ConfigurationError, match="cannot reach the Dask scheduler"):
        with ClusterPool(address, FAST, timeout=10, connect_timeout=2):
            pass
