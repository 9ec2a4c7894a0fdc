"""Batch import: bad files fail alone with a clear reason, nothing is lost or doubled."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


from models.store import open_store
from pipeline.cli import main
from pipeline.batch.importer import ImportLock
from pipeline.settings import lock_path
from tests.badfiles import encrypted_pdf, make_bad_folder, variant
from tests.conftest import SAMPLES

SEED = SAMPLES / "seed_genevois_cs2021-15.pdf"
FAST = ["--workers", "2", "--no-entities", "--quiet"]


def counts(db: Path) -> dict[str, int]:
    """Rows per table, but the run log: every run adds its own `import_runs` row, by design."""
    with open_store(f"sqlite:///{db}") as store:
        found = store.table_counts()
    found.pop("import_runs", None)
    return found


def test_importer_bad_files_each_fail_with_a_specific_reason(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.pdf")
    expected = make_bad_folder(folder)
    code = main(["import", str(folder), "--db", str(tmp_path / "t.db"), "--ocr", "never", *FAST])
    err = capsys.readouterr().err
    assert code == 1
    assert counts(tmp_path / "t.db")["documents"] == 1
    for name, word in expected.items():
        line = next((l for l in err.splitlines() if name in l), None)
        assert line is not None, f"{name} not reported:\n{err}"
        assert word.lower() in line.lower(), line


def test_importer_pdf_encrypted_with_an_empty_user_password_is_read(tmp_path):
    encrypted_pdf(tmp_path / "open.pdf", "")
    code = main(["import", str(tmp_path / "open.pdf"), "--db", str(tmp_path / "t.db"), *FAST])
    assert code == 0
    assert counts(tmp_path / "t.db")["documents"] == 1


def test_importer_same_folder_twice_changes_no_row_count(tmp_path):
    # The digital samples only: the scanned ones are OCR tests' business (and slow).
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in SAMPLES.glob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    db = tmp_path / "t.db"
    assert main(["import", str(folder), "--db", str(db), *FAST]) == 0
    first = counts(db)
    assert main(["import", str(folder), "--db", str(db), *FAST]) == 0
    assert counts(db) == first
    assert first["deliberations"] >= len(list(SAMPLES.glob("*.pdf")))


def test_importer_file_name_that_is_not_utf8_is_imported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"d\xe9lib\xe9ration.pdf")  # Latin-1 bytes, as old archives have
    shutil.copy(SEED, folder / name)
    assert main(["import", str(folder), "--db", str(tmp_path / "t.db"), *FAST]) == 0
    assert counts(tmp_path / "t.db")["document_paths"] == 1


def test_importer_second_run_while_one_holds_the_lock_exits_3(tmp_path, capsys):
    db = tmp_path / "t.db"
    with ImportLock(lock_path(f"sqlite:///{db}")):
        code = main(["import", str(SEED), "--db", str(db), *FAST])
    assert code == 3
    assert "already running" in capsys.readouterr().err.lower()
    assert main(["import", str(SEED), "--db", str(db), *FAST]) == 0


def test_importer_a_document_over_the_time_limit_is_stopped_and_the_rest_go_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a_good.pdf")
    # OCR of a three-page scan takes seconds: with a limit of 0.5 s it is stopped mid-way.
    shutil.copy(SAMPLES / "scanned" / "seed_genevois_cs2021-15_scan.pdf", folder / "b_slow_scan.pdf")
    variant(SEED, folder / "c_good.pdf", "c")
    code = main(["import", str(folder), "--db", str(tmp_path / "t.db"), "--timeout", "0.5",
                 "--ocr", "always", "--workers", "2", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "b_slow_scan.pdf" in err and "0.5 s" in err
    # The good ones went on: the seed is also OCR'd, so only assert that the run finished.
    with open_store(f"sqlite:///{tmp_path / 't.db'}") as store:
        assert store.table_counts()["import_failures"] >= 1


def test_importer_killed_mid_run_then_rerun_equals_a_clean_import(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(12):
        variant(SEED, folder / f"doc{index:02d}.pdf", str(index))
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    command = [sys.executable, "-m", "pipeline.cli", "import", str(folder), "--workers", "2",
               "--no-entities", "--quiet"]
    process = subprocess.Popen(command + ["--db", str(killed_db)], start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if killed_db.exists() and _documents(killed_db) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert _documents(killed_db) < 12, "the run finished before it could be killed"
    assert subprocess.run(command + ["--db", str(killed_db)]).returncode == 0
    assert subprocess.run(command + ["--db", str(clean_db)]).returncode == 0
    assert counts(killed_db) == counts(clean_db)


def _documents(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0
