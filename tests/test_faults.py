"""The import under faults: dead workers, kill -9 and SIGTERM of the import, full and read-only
storage, a symlinked database, files that keep failing, a moved archive, reextract."""
from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.runs import recent_runs
from models.store import open_store
from pipeline.api import ExtractOptions
from pipeline.batch.importer import ImportLock
from pipeline.batch.workers import Job, WorkerPool
from pipeline.cli import main
from pipeline.settings import lock_path
from tests.badfiles import variant
from tests.conftest import SAMPLES
from tests.store_fixtures import fill

SEED = SAMPLES / "seed_genevois_cs2021-15.pdf"
SCAN = SAMPLES / "scanned" / "seed_genevois_cs2021-15_scan.pdf"
FAST = ["--workers", "2", "--no-entities", "--quiet"]
CLI = [sys.executable, "-m", "pipeline.cli"]


def _folder(tmp_path: Path, count: int, name: str = "in") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for index in range(count):
        variant(SEED, folder / f"doc{index:02d}.pdf", str(index))
    return folder


def _counts(db: Path) -> dict[str, int]:
    with open_store(f"sqlite:///{db}") as store:
        found = store.table_counts()
    for name in ("import_runs", "import_failures"):
        found.pop(name, None)
    return found


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (not zombies), from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            text = stat.read_text()
            state, parent = text[text.rindex(")") + 2:].split()[:2]
            if state != "Z":
                parents[int(stat.parent.name)] = int(parent)
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"


# --- workers -------------------------------------------------------------------------------------

def test_faults_a_worker_that_dies_before_it_is_ready_is_replaced(tmp_path):
    pool = WorkerPool(2, ExtractOptions(entities=False), timeout=60)
    made = []
    real = pool._new_worker

    def first_one_dies():
        worker = real()
        if not made:
            worker.process.kill()  # before it could say "ready"
        made.append(worker)
        return worker

    pool._new_worker = first_one_dies
    jobs = [Job(index, SEED) for index in range(3)]
    with pool:
        done = list(pool.run(iter(jobs)))
    assert sorted(d.job.key for d in done) == [0, 1, 2]
    assert all(d.extraction is not None for d in done)
    assert any("died while starting" in problem for problem in pool.start_problems)


def test_faults_a_dead_fork_server_does_not_stop_the_import(tmp_path):
    from multiprocessing import forkserver

    db = tmp_path / "t.db"
    folder = _folder(tmp_path, 2)
    assert main(["import", str(folder / "doc00.pdf"), "--db", str(db), *FAST]) == 0
    server = forkserver._forkserver._forkserver_pid
    if server:
        os.kill(server, signal.SIGKILL)
        time.sleep(0.2)
    assert main(["import", str(folder), "--db", str(db), *FAST]) == 0
    assert _documents(db) == 2
    with open_store(f"sqlite:///{db}") as store:
        assert recent_runs(store)[0].status == "ok"


# --- faults of the import process ---------------------------------------------------------------

def _start_slow_import(tmp_path: Path, db: Path) -> subprocess.Popen:
    """An import busy OCR-ing scans, so that its workers are mid-document when it is hit."""
    folder = tmp_path / "scans"
    folder.mkdir()
    for index in range(3):
        variant(SCAN, folder / f"scan{index}.pdf", str(index))
    process = subprocess.Popen(CLI + ["import", str(folder), "--db", str(db), "--workers", "2", "--ocr", "always",
                                      "--no-entities", "--quiet"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
            "tesseract" in _name(pid) for pid in _children(process.pid)):
        time.sleep(0.1)
    return process


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def test_faults_kill_9_of_the_import_takes_its_workers_with_it(tmp_path):
    process = _start_slow_import(tmp_path, tmp_path / "t.db")
    family = _children(process.pid)
    workers = {pid for pid in family if _name(pid) != "tesseract"}
    assert workers, "the import started no worker"
    process.kill()  # the import alone, not its process group: as the OOM killer would
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "workers went on reading alone"
    assert "Traceback" not in process.stderr.read()


def test_faults_sigterm_is_an_interruption_with_exit_143_then_a_rerun_finishes(tmp_path):
    db = tmp_path / "t.db"
    process = _start_slow_import(tmp_path, db)
    process.send_signal(signal.SIGTERM)
    err = process.communicate(timeout=60)[1]
    assert process.returncode == 143
    assert "Traceback" not in err and "interrupted" in err
    with open_store(f"sqlite:///{db}") as store:
        assert recent_runs(store)[0].status == "interrupted"


def test_faults_a_run_left_running_by_a_killed_process_is_shown_interrupted(tmp_path, capsys):
    db = tmp_path / "t.db"
    with open_store(f"sqlite:///{db}") as store:
        store.start_run("delib import (killed)")  # never finished: as after kill -9
    assert main(["runs", "--db", str(db)]) == 0
    assert "interrupted" in capsys.readouterr().out
    assert main(["import", str(SEED), "--db", str(db), *FAST]) == 0
    with open_store(f"sqlite:///{db}") as store:
        assert [r.status for r in recent_runs(store)] == ["ok", "interrupted"]


# --- storage ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def _tmpfs(path: Path, size: str):
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_faults_disk_full_ends_the_run_with_one_line_and_exit_2_the_database_intact(tmp_path):
    folder = _folder(tmp_path, 40)
    with _tmpfs(tmp_path / "small", "1m") as small:
        db = small / "t.db"
        run = subprocess.run(CLI + ["import", str(folder), "--db", str(db), *FAST], capture_output=True, text=True)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "full" in lines[0], run.stderr
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        # Still full: the same one line, not a traceback on the lock file.
        (small / "filler").write_bytes(b"")
        with contextlib.suppress(OSError), open(small / "filler", "wb") as filler:
            filler.write(b"\0" * (2 << 20))
        still = subprocess.run(CLI + ["import", str(folder), "--db", str(db), *FAST], capture_output=True, text=True)
        assert still.returncode == 2 and len(still.stderr.strip().splitlines()) == 1, still.stderr
        (small / "filler").unlink()
        # Room again: the same command finishes, and equals a clean import.
        subprocess.run(["mount", "-o", "remount,size=64m", str(small)], check=True)
        assert subprocess.run(CLI + ["import", str(folder), "--db", str(db), *FAST]).returncode == 0
        clean = tmp_path / "clean.db"
        assert subprocess.run(CLI + ["import", str(folder), "--db", str(clean), *FAST]).returncode == 0
        assert _counts(db) == _counts(clean)


def test_faults_read_only_database_is_searched_and_import_says_why_with_exit_2(tmp_path):
    with _tmpfs(tmp_path / "media", "64m") as media:
        db = media / "t.db"
        assert main(["import", str(SEED), "--db", str(db), *FAST]) == 0
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        search = subprocess.run(CLI + ["search", "--db", str(db), "--format", "json"], capture_output=True, text=True)
        assert search.returncode == 0, search.stderr
        assert "2021-15" in search.stdout or '"number"' in search.stdout
        again = subprocess.run(CLI + ["import", str(_folder(tmp_path, 1)), "--db", str(db), *FAST],
                               capture_output=True, text=True)
        assert again.returncode == 2
        assert "Traceback" not in again.stderr and "Background on this error" not in again.stderr
        assert len(again.stderr.strip().splitlines()) == 1


def test_faults_a_database_that_does_not_exist_is_an_error_but_for_import(tmp_path, capsys):
    missing = tmp_path / "typo.db"
    assert main(["search", "budget", "--db", str(missing)]) == 2
    assert main(["runs", "--db", str(missing)]) == 2
    assert "no database" in capsys.readouterr().err
    assert not missing.exists()


@pytest.mark.parametrize("made", ["another application's", "empty"])
def test_faults_searching_a_database_delib_did_not_make_says_so_in_one_line(tmp_path, made):
    other = tmp_path / "other.db"
    if made == "empty":
        other.write_bytes(b"")
    else:
        with contextlib.closing(sqlite3.connect(other)) as conn, conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
    done = subprocess.run(CLI + ["search", "budget", "--db", str(other)], capture_output=True, text=True)
    assert done.returncode == 2  # not 1, which says "nothing matched"
    assert done.stderr.strip().splitlines() == [
        f"delib: cannot open the database sqlite:///{other}: this is not a delib database "
        "(no deliberations table; `delib import` makes one)"]


def test_faults_a_driver_error_in_a_search_is_one_line_in_its_own_words(tmp_path):
    """`search` reads SQLite through sqlite3 itself, not SQLAlchemy: what the driver raises (here
    a damaged archive whose full-text index was dropped) is shown as SQLAlchemy's errors are."""
    db = tmp_path / "damaged.db"
    with open_store(f"sqlite:///{db}") as store:
        fill(store)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE deliberations_fts")
    done = subprocess.run(CLI + ["search", "voirie", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["delib: database error: no such table: deliberations_fts"]


def test_faults_one_lock_per_database_file_whatever_link_names_it(tmp_path, capsys):
    db = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(db)
    with ImportLock(lock_path(f"sqlite:///{db}")):
        assert main(["import", str(SEED), "--db", str(link), *FAST]) == 3
        assert main(["import", str(SEED), "--db", str(tmp_path / "." / "real.db"), *FAST]) == 3
    assert "already running" in capsys.readouterr().err


# --- cron: only news -------------------------------------------------------------------------------

def test_faults_an_unchanged_failing_file_is_not_read_again_nor_exit_1_again(tmp_path, capsys):
    folder = _folder(tmp_path, 1)
    broken = folder / "truncated.pdf"
    broken.write_bytes(SEED.read_bytes()[:2000])
    db = tmp_path / "t.db"
    assert main(["import", str(folder), "--db", str(db), "--workers", "2", "--no-entities"]) == 1
    capsys.readouterr()
    assert main(["import", str(folder), "--db", str(db), "--workers", "2", "--no-entities"]) == 0
    captured = capsys.readouterr()
    assert "1 still failing (unchanged), see delib failures" in captured.out
    assert captured.err == ""
    # `retry` reads it again; a changed file is read again by a plain import.
    assert main(["retry", "--db", str(db), *FAST]) == 1
    time.sleep(0.01)
    broken.write_bytes(SEED.read_bytes()[:2100])
    assert main(["import", str(folder), "--db", str(db), *FAST]) == 1


def test_faults_quiet_import_of_bad_files_prints_one_line_each_and_nothing_else(tmp_path, capsys):
    from tests.badfiles import make_bad_folder

    folder = tmp_path / "in"
    folder.mkdir()
    expected = make_bad_folder(folder)
    assert main(["import", str(folder), "--db", str(tmp_path / "t.db"), "--ocr", "never", *FAST]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == len(expected)
    assert all(line.startswith("delib: ") for line in lines), lines


# --- identity: a moved archive, a re-extraction ------------------------------------------------------

def test_faults_a_moved_archive_is_recognised_without_reading_it_again(tmp_path, capsys):
    folder = _folder(tmp_path, 3)
    db = tmp_path / "t.db"
    assert main(["import", str(folder), "--db", str(db), *FAST]) == 0
    moved = folder.rename(tmp_path / "renamed")
    # Any extraction would exceed a 1 ms limit and fail: recognised by hash, none is attempted.
    assert main(["import", str(moved), "--db", str(db), "--timeout", "0.001", "--workers", "2"]) == 0
    assert "3 known document(s) at a new path" in capsys.readouterr().out
    assert _counts(db)["document_paths"] == 6 and _counts(db)["documents"] == 3


def test_faults_reextract_keeps_deliberation_ids_and_is_a_run(tmp_path):
    db = tmp_path / "t.db"
    assert main(["import", str(SAMPLES / "multi_commune_cessy_2022-06-30.pdf"), str(SEED), "--db", str(db), *FAST]) == 0
    with sqlite3.connect(db) as conn:
        before = conn.execute("select id, document_id, position, title from deliberations order by id").fetchall()
    assert main(["reextract", "--all", "--db", str(db), *FAST]) == 0
    with sqlite3.connect(db) as conn:
        after = conn.execute("select id, document_id, position, title from deliberations order by id").fetchall()
        fts = conn.execute("select count(*) from deliberations_fts where deliberations_fts match 'conseil'").fetchone()[0]
    assert after == before and len(after) > 2
    assert fts > 0
    with open_store(f"sqlite:///{db}") as store:
        runs = recent_runs(store)
    assert len(runs) == 2  # the import, then the re-extraction, in `delib runs`
    assert runs[0].imported == 2 and runs[0].status == "ok"


# --- CLI manners --------------------------------------------------------------------------------------

def test_faults_delib_alone_prints_the_help(capsys):
    assert main([]) == 0
    assert "usage: delib" in capsys.readouterr().out


def test_faults_runs_and_failures_speak_json(tmp_path, capsys):
    import json

    db = tmp_path / "t.db"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(SEED.read_bytes()[:1500])
    assert main(["import", str(broken), str(SEED), "--db", str(db), *FAST]) == 1
    capsys.readouterr()
    assert main(["runs", "--json", "--db", str(db)]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert runs[0]["status"] == "failures" and runs[0]["imported"] == 1 and runs[0]["failed"] == 1
    assert main(["failures", "--json", "--db", str(db)]) == 0
    failures = json.loads(capsys.readouterr().out)
    assert [f["path"] for f in failures] == [str(broken)] and "truncated" in failures[0]["reason"]
