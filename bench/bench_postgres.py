"""Benchmark: the same import into SQLite and into PostgreSQL, and the same searches on both.

    python bench/bench_postgres.py                          # 60 generated PDFs (bench/corpus_gen.py)
    python bench/bench_postgres.py --folder ../shared/corpus/real --json
    python bench/bench_postgres.py --server postgresql://postgres@127.0.0.1:5432/postgres

One run, over one folder of PDFs:

  1. `import_paths` (what `delib import` calls), 2 workers, entities off, into a fresh SQLite
     file, then into a fresh PostgreSQL database (made on --server, dropped at the end): docs/s
     and pages/s, worker start-up included. Extraction dominates both: the ratio is the cost of
     the database as an import sees it.
  2. the writer alone: the folder extracted once, then every document saved by `Store.save` into
     another fresh SQLite file and PostgreSQL database (docs/s): what bounds a cluster's import.
  3. search latency: `open_search` + `search` for a few words, each repeated, median in ms, on
     the databases of step 1.

Each step 1 import runs in its own child process (bench_import.run_child: peak memory of the
process tree too). The server is local here: over a network each transaction pays a round trip.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_import  # noqa: E402

WORDS = ("deliberation", "eclairage public", "subvention", "conseil municipal", '"ordures ménagères"', "budget")
DEFAULT_SERVER = os.environ.get("DELIB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


# --------------------------------------------------------------------------- child side

def child_import(spec: dict) -> dict:
    from models.store import open_store
    from pipeline.api import ExtractOptions
    from pipeline.batch.importer import ImportSettings, import_paths

    settings = ImportSettings(workers=spec["workers"], options=ExtractOptions(entities=False))
    started = time.perf_counter()
    with open_store(spec["url"]) as store:
        report = import_paths(store, [Path(spec["folder"])], settings, command="bench/bench_postgres.py")
    return {"seconds": round(time.perf_counter() - started, 3), "imported": report.imported,
            "failed": report.failed, "pages": report.pages, "deliberations": report.deliberations}


def child_writer(spec: dict) -> dict:
    from models.store import open_store
    from pipeline.api import ExtractOptions, extract_document

    files = sorted(p for p in Path(spec["folder"]).rglob("*") if p.suffix.lower() == ".pdf")
    extractions = []
    for path in files:
        try:
            extractions.append((path, extract_document(path, ExtractOptions(entities=False))))
        except Exception:  # noqa: BLE001 - a file the import would record as failed
            continue
    found = {}
    for name, url in spec["urls"].items():
        with open_store(url) as store:
            started = time.perf_counter()
            for path, extraction in extractions:
                store.save(extraction, path=str(path), size_bytes=1, mtime=0.0, extractor_version="bench")
            seconds = time.perf_counter() - started
        found[name] = {"seconds": round(seconds, 3), "docs": len(extractions),
                       "docs_per_s": round(len(extractions) / seconds, 1)}
    return found


def child_search(spec: dict) -> dict:
    from models.search import open_search, search

    found = {}
    for name, url in spec["urls"].items():
        times: dict[str, float] = {}
        warm: dict[str, float] = {}
        hits: dict[str, int] = {}
        for words in WORDS:
            samples = []
            for _ in range(spec["repeat"]):  # what `delib search` does: open, search, close
                started = time.perf_counter()
                with open_search(url) as source:
                    result = search(source, words, limit=20)
                samples.append((time.perf_counter() - started) * 1000)
            times[words] = round(statistics.median(samples), 2)
            hits[words] = len(result)
            with open_search(url) as source:  # a program that keeps its connection
                samples = []
                for _ in range(spec["repeat"]):
                    started = time.perf_counter()
                    search(source, words, limit=20)
                    samples.append((time.perf_counter() - started) * 1000)
            warm[words] = round(statistics.median(samples), 2)
        found[name] = {"median_ms": times, "open_median_ms": warm, "hits": hits}
    return found


CHILDREN = {"import": child_import, "writer": child_writer, "search": child_search}


# --------------------------------------------------------------------------- parent

class Databases:
    """Fresh PostgreSQL databases on the server, dropped at the end unless kept."""

    def __init__(self, server: str, keep: bool) -> None:
        import psycopg

        self.server, self.keep, self.made = server, keep, []
        self._psycopg = psycopg

    def new(self, label: str) -> str:
        name = f"delib_bench_{label}_{os.getpid()}_{secrets.token_hex(3)}"
        with self._psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return f"{self.server.rpartition('/')[0]}/{name}"

    def close(self) -> None:
        if self.keep:
            print("kept: " + ", ".join(self.made), file=sys.stderr)
            return
        with self._psycopg.connect(self.server, autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60, help="generated PDFs when no --folder (default 60)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--folder", type=Path, help="import this folder instead of generated PDFs")
    parser.add_argument("--server", default=DEFAULT_SERVER,
                        help="PostgreSQL URL of a database where this user may CREATE DATABASE "
                        "(default: $DELIB_TEST_POSTGRES, else postgresql://postgres@127.0.0.1:5432/postgres)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each search (median)")
    parser.add_argument("--keep", action="store_true", help="keep the databases (names on stderr)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(CHILDREN[spec["mode"]](spec)))
        return 0

    results: dict = {"machine": bench_import.machine()}
    script = str(Path(__file__).resolve())
    databases = Databases(args.server, args.keep)
    with tempfile.TemporaryDirectory(prefix="delib-bench-pg-") as tmp:
        tmp = Path(tmp)
        if args.folder:
            folder = args.folder.resolve()
        else:
            import corpus_gen

            folder = tmp / "corpus"
            corpus_gen.generate(folder, args.n, args.seed)
        results["folder"] = str(folder) if args.folder else f"{args.n} generated PDFs (seed {args.seed})"
        try:
            urls = {"sqlite": f"sqlite:///{tmp / 'import.db'}", "postgresql": databases.new("import")}
            for name, url in urls.items():
                print(f"import into {name} ...", file=sys.stderr)
                results[f"import {name}"] = bench_import.run_child(
                    {"mode": "import", "url": url, "folder": str(folder), "workers": args.workers}, script=script)
            print("writer alone ...", file=sys.stderr)
            results["writer"] = bench_import.run_child(
                {"mode": "writer", "folder": str(folder),
                 "urls": {"sqlite": f"sqlite:///{tmp / 'writer.db'}", "postgresql": databases.new("writer")}},
                script=script)
            print("search ...", file=sys.stderr)
            results["search"] = bench_import.run_child({"mode": "search", "urls": urls, "repeat": args.repeat},
                                                       script=script)
        finally:
            databases.close()
    for key in ("import sqlite", "import postgresql", "writer", "search"):
        results[key].pop("rss_samples", None)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    _print(results)
    return 0


def _print(results: dict) -> None:
    m = results["machine"]
    print(f"delib PostgreSQL benchmark  {m['date']}  nproc={m['nproc']}  load avg at start {m['loadavg_at_start']}")
    print(f"corpus: {results['folder']}; import with 2 workers, entities off\n")
    print(f"{'import':<12}{'seconds':>9}{'docs':>7}{'pages':>7}{'docs/s':>9}{'pages/s':>9}{'peak MB':>9}{'failed':>8}")
    rates = {}
    for name in ("sqlite", "postgresql"):
        r = results[f"import {name}"]
        rates[name] = (r["imported"] / r["seconds"], r["pages"] / r["seconds"])
        print(f"{name:<12}{r['seconds']:>9.1f}{r['imported']:>7}{r['pages']:>7}{rates[name][0]:>9.2f}"
              f"{rates[name][1]:>9.2f}{r['peak_tree_mb']:>9.0f}{r['failed']:>8}")
    print(f"{'ratio pg/sqlite':<12}{'':>9}{'':>7}{'':>7}{rates['postgresql'][0] / rates['sqlite'][0]:>9.2f}"
          f"{rates['postgresql'][1] / rates['sqlite'][1]:>9.2f}")
    w = results["writer"]
    print(f"\nwriter alone (Store.save of {w['sqlite']['docs']} extracted documents): "
          f"SQLite {w['sqlite']['docs_per_s']} docs/s, PostgreSQL {w['postgresql']['docs_per_s']} docs/s "
          f"(ratio {w['postgresql']['docs_per_s'] / w['sqlite']['docs_per_s']:.2f})")
    s = results["search"]
    print(f"\n{'search, median ms':<24}{'open+search':>24}{'on an open connection':>26}{'hits':>12}")
    print(f"{'':<24}{'SQLite':>11}{'PostgreSQL':>13}{'SQLite':>13}{'PostgreSQL':>13}{'SQLite / PG':>12}")
    for words in WORDS:
        print(f"{words:<24}{s['sqlite']['median_ms'][words]:>11.1f}{s['postgresql']['median_ms'][words]:>13.1f}"
              f"{s['sqlite']['open_median_ms'][words]:>13.1f}{s['postgresql']['open_median_ms'][words]:>13.1f}"
              f"{s['sqlite']['hits'][words]:>7} /{s['postgresql']['hits'][words]:>3}")


if __name__ == "__main__":
    raise SystemExit(main())
