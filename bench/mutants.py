"""Mutants of the samples, imported under faults: does anything leak, hang, blow up or get lost?

    .venv/bin/python bench/mutants.py --out /tmp/mutants            # every kind, every fault
    .venv/bin/python bench/mutants.py --out /tmp/mutants --json      # one JSON document on stdout

Makes mutants of samples/*.pdf (truncations, a page-tree cycle, a huge /Count, garbage bytes, a
dropped cross-reference table, a damaged content stream) plus the hostile files of
tests/make_hostile_pdfs.py (a very deep page tree, a stream inflating to 1 GiB, a huge
MediaBox, an empty page), then:

1. imports them all (the clean database), watching every worker's memory;
2. reads them all with pdfplumber alone, in the same isolated workers: a file pdfplumber reads
   and the import does not is a readable file lost;
3. imports them again under each fault (kill -9 of the import, SIGTERM of the import, a disk that
   fills up: a small tmpfs, when root may mount one), then re-runs the same command with room
   again, and compares the database with the clean one (rows per table, documents by SHA-256).

Reports tracebacks on stderr, documents stopped at the time limit, runs that hung past their
bound, peak worker memory against --max-memory, readable files lost, and each fault's outcome.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import make_hostile_pdfs as hostile  # noqa: E402

SAMPLES = ROOT / "samples"
CLI = [sys.executable, "-m", "pipeline.cli"]


# --- mutants ---------------------------------------------------------------------------------------

def _truncate(data: bytes, share: float) -> bytes:
    return data[: int(len(data) * share)]


def _cycle(data: bytes) -> bytes | None:
    """The root /Pages lists itself among its kids."""
    found = re.search(rb"(\d+) 0 obj\s*<<[^>]*?/Kids \[", data)
    if not found:
        return None
    number = found.group(1)
    return data.replace(b"/Kids [", b"/Kids [ " + number + b" 0 R", 1)


def _huge_count(data: bytes) -> bytes | None:
    found = re.search(rb"/Count (\d+)", data)
    if not found:
        return None
    return data[: found.start()] + b"/Count 2000000000" + data[found.end():]


def _garbage(data: bytes, seed: int, share: float = 0.02) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    start = min(len(out) - 1, 64)
    for _ in range(max(1, int(len(out) * share))):
        out[rng.randrange(start, len(out))] = rng.randrange(256)
    return bytes(out)


def _no_xref(data: bytes) -> bytes:
    return re.sub(rb"xref\n.*?trailer", b"trailer", data, count=1, flags=re.S)


def _bad_stream(data: bytes) -> bytes | None:
    """The first compressed stream's bytes reversed: a FlateDecode error mid-page."""
    found = re.search(rb"stream\r?\n", data)
    if not found:
        return None
    end = data.find(b"endstream", found.end())
    body = data[found.end():end]
    return data[: found.end()] + body[::-1] + data[end:]


MUTATIONS = {
    "trunc10": lambda d, s: _truncate(d, 0.10),
    "trunc50": lambda d, s: _truncate(d, 0.50),
    "trunc95": lambda d, s: _truncate(d, 0.95),
    "cycle": lambda d, s: _cycle(d),
    "hugecount": lambda d, s: _huge_count(d),
    "garbage": lambda d, s: _garbage(d, s),
    "noxref": lambda d, s: _no_xref(d),
    "badstream": lambda d, s: _bad_stream(d),
}


def make_mutants(folder: Path, *, bomb_mb: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for seed, sample in enumerate(sorted(SAMPLES.glob("*.pdf"))):
        data = sample.read_bytes()
        for kind, mutate in MUTATIONS.items():
            mutant = mutate(data, seed)
            if mutant is None or mutant == data:
                continue
            target = folder / f"{sample.stem}.{kind}.pdf"
            target.write_bytes(mutant)
            made.append(target)
    for name, make in hostile.HOSTILE.items():
        (folder / name).write_bytes(make())
        made.append(folder / name)
    if bomb_mb:
        (folder / "inflating_stream.pdf").write_bytes(hostile.inflating_stream(bomb_mb))
        made.append(folder / "inflating_stream.pdf")
    return made


# --- watching a run ----------------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.append(child)
                todo.append(child)
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmSize) in kB, 0 when gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    values = dict(re.findall(r"^(VmRSS|VmSize):\s+(\d+)", text, re.M))
    return int(values.get("VmRSS", 0)), int(values.get("VmSize", 0))


class Watch:
    """Peak RSS and address space of any descendant of a process, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_rss, self.peak_size, self._stop = pid, 0, 0, False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            for child in _descendants(self.pid):
                rss, size = _memory_kb(child)
                if Path(f"/proc/{child}/comm").exists() and "tesseract" in _comm(child):
                    continue
                self.peak_rss, self.peak_size = max(self.peak_rss, rss), max(self.peak_size, size)
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop = True
        self._thread.join()


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return ""


def run_import(folder: Path, db: Path, args, *, fault: str | None = None, after: float = 0.0,
               extra: list[str] = ()) -> dict:
    command = CLI + ["import", str(folder), "--db", str(db), "--workers", str(args.workers),
                     "--timeout", str(args.timeout), "--max-memory", str(args.max_memory), "--quiet",
                     *([] if args.entities else ["--no-entities"]), *extra]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    watch = Watch(process.pid)
    survivors = []
    if fault:
        deadline = time.monotonic() + after
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        family = _descendants(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL if fault == "kill9" else signal.SIGTERM)
        if fault == "kill9":
            time.sleep(5)
            survivors = [pid for pid in family if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    out, err = process.communicate()
    watch.stop()
    seconds = time.monotonic() - started
    return {"code": process.returncode, "seconds": round(seconds, 1), "stdout": out, "stderr": err,
            "tracebacks": err.count("Traceback"), "peak_rss_mb": watch.peak_rss // 1024,
            "peak_size_mb": watch.peak_size // 1024, "survivors": len(survivors)}


def _state(pid: int) -> str:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        return text[text.rindex(")") + 2]
    except (OSError, ValueError):
        return "Z"


def snapshot(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%' "
            "and name not like '%_fts%' and name not in ('import_runs', 'import_failures')")]
        counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        shas = sorted(r[0] for r in conn.execute("select sha256 from documents"))
        failed = {r[0] for r in conn.execute(
            "select path from import_failures where run_id = (select max(run_id) from import_failures)")}
    return {"counts": counts, "documents": shas, "failed": failed}


def plumber_readable(files: list[Path], args) -> set[str]:
    """Files pdfplumber alone reads to some text, in isolated workers with the same limits."""
    from pipeline.api import ExtractOptions
    from pipeline.batch.workers import Job, WorkerPool

    readable = set()
    with WorkerPool(args.workers, ExtractOptions(engine="pdfplumber", entities=False), timeout=args.timeout,
                    max_memory=args.max_memory) as pool:
        for done in pool.run(Job(i, path) for i, path in enumerate(files)):
            if done.extraction is not None:
                readable.add(str(done.job.path))
    return readable


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="working folder (default: a temporary one, removed)")
    parser.add_argument("--workers", type=int, default=2, help="import workers (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-document time limit, s (default 30)")
    parser.add_argument("--max-memory", type=int, default=1024, help="per-worker memory limit, MB (default 1024)")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="size the inflating stream reaches, MB (default 1024; 0: none)")
    parser.add_argument("--faults", default="kill9,sigterm,diskfull", help="faults to try (default kill9,sigterm,diskfull)")
    parser.add_argument("--entities", action="store_true", help="run the spaCy pass too (default: off, faster)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout (default: a table)")
    args = parser.parse_args(argv)

    work = args.out or Path(tempfile.mkdtemp(prefix="delib-mutants-"))
    folder = work / "mutants"
    if folder.exists():
        shutil.rmtree(folder)
    files = make_mutants(folder, bomb_mb=args.bomb_mb)
    print(f"{len(files)} mutants in {folder}", file=sys.stderr)

    clean_db = work / "clean.db"
    for old in work.glob("*.db*"):
        old.unlink()
    clean = run_import(folder, clean_db, args)
    clean_state = snapshot(clean_db)
    print(f"clean import: exit {clean['code']} in {clean['seconds']} s", file=sys.stderr)
    readable = plumber_readable(files, args)
    imported_paths = set()
    with sqlite3.connect(clean_db) as conn:
        imported_paths = {r[0] for r in conn.execute("select path from document_paths")}
    lost = sorted(p for p in readable if p not in imported_paths)
    stopped = len(re.findall(r"took more than", clean["stderr"]))
    over_memory = len(re.findall(r"memory limit", clean["stderr"]))
    bound = args.timeout * (len(files) / max(1, args.workers) + 2) + 60
    report = {
        "mutants": len(files),
        "clean": {"exit": clean["code"], "seconds": clean["seconds"], "imported": len(clean_state["documents"]),
                  "failed": len(clean_state["failed"]), "tracebacks": clean["tracebacks"],
                  "stopped_at_time_limit": stopped, "stopped_at_memory_limit": over_memory,
                  "hung_past_bound": clean["seconds"] > bound,
                  "peak_worker_rss_mb": clean["peak_rss_mb"], "peak_worker_address_space_mb": clean["peak_size_mb"],
                  "workers_over_memory_limit": int(clean["peak_size_mb"] > args.max_memory + 64)},
        "pdfplumber_readable": len(readable),
        "readable_lost": lost,
        "faults": {},
    }
    for fault in [f for f in args.faults.split(",") if f]:
        db = work / f"{fault}.db"
        if fault == "diskfull":
            small = work / "small"
            if not _tmpfs(small, "2m"):
                report["faults"][fault] = {"skipped": "mounting a small tmpfs needs root"}
                continue
            db = small / "full.db"
            hit = run_import(folder, db, args)
            subprocess.run(["mount", "-o", "remount,size=256m", str(small)], check=True)
        else:
            # Mid-run: about half-way through the clean import's time.
            hit = run_import(folder, db, args, fault=fault, after=max(3.0, clean["seconds"] / 2))
        again = run_import(folder, db, args)
        state = snapshot(db)
        integrity = sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0]
        report["faults"][fault] = {
            "exit": hit["code"], "stderr_lines": len(hit["stderr"].strip().splitlines()) if fault == "diskfull" else None,
            "tracebacks": hit["tracebacks"] + again["tracebacks"], "workers_left_alive": hit["survivors"],
            "rerun_exit": again["code"], "integrity": integrity,
            "equals_clean_import": state["counts"] == clean_state["counts"] and state["documents"] == clean_state["documents"],
        }
        if fault == "diskfull":
            subprocess.run(["umount", "-l", str(work / "small")], check=False)
        print(f"{fault}: {report['faults'][fault]}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2, default=sorted))
    else:
        c = report["clean"]
        print(f"mutants: {report['mutants']}; clean import exit {c['exit']} in {c['seconds']} s, "
              f"{c['imported']} imported, {c['failed']} failed")
        print(f"tracebacks: {c['tracebacks']}; stopped at the time limit: {c['stopped_at_time_limit']}; "
              f"at the memory limit: {c['stopped_at_memory_limit']}; hung past bound: {c['hung_past_bound']}")
        print(f"peak worker RSS {c['peak_worker_rss_mb']} MB, address space {c['peak_worker_address_space_mb']} MB "
              f"(limit {args.max_memory}); workers over the limit: {c['workers_over_memory_limit']}")
        print(f"readable by pdfplumber: {report['pdfplumber_readable']}; readable files lost: {len(lost)} {lost}")
        for fault, outcome in report["faults"].items():
            print(f"{fault}: {outcome}")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
