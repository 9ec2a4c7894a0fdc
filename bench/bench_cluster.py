"""Benchmark of the import on a Dask cluster against the local worker pool (a benchmark, not a test).

    python bench/bench_cluster.py                # 100 generated PDFs (bench/corpus_gen.py)
    python bench/bench_cluster.py --n 200 --json

On the same generated folder, each in its own child process (bench_import.run_child, which also
samples the peak memory of the process tree):

  1. `import_paths` with the local pool of 2 workers (what `delib import` does by default here);
  2. the same on a Dask scheduler with 1 worker, then with 2 workers (`dask scheduler` and
     `dask worker --nthreads 1` processes started here, as on real machines: their start-up is
     not timed, the client's connection is);
and, to project an archive-sized run:
  3. the scheduler's own cost: no-op tasks per second through one client (the floor a cluster
     cannot go under, whatever its size);
  4. the single writer's cost: documents per second that `Store.save` alone writes into SQLite,
     from extractions already in memory (the client is the one writer).

The projection for N documents on M machines like this one is N / min(M × per-machine rate,
scheduler rate, writer rate), the per-machine rate being the 2-worker Dask rate measured here.
It assumes the files are on a filesystem that keeps up, and documents like the generated ones.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_import  # noqa: E402  (run_child, the tree sampler, machine facts)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, workers: int, logs: Path) -> None:
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False", PYTHONPATH=str(ROOT))
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.procs = [subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port,
             "--no-dashboard"], stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True)]
        for i in range(workers):
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1",
                 "--no-dashboard", "--local-directory", str(logs / f"w{i}")],
                stdout=open(logs / f"w{i}.log", "w"), stderr=subprocess.STDOUT, env=env, start_new_session=True))
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)

    def close(self) -> None:
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


# --------------------------------------------------------------------------- child side

def child_import(spec: dict) -> dict:
    from models.store import open_store
    from pipeline.api import ExtractOptions
    from pipeline.batch.importer import ImportSettings, import_paths

    settings = ImportSettings(workers=spec.get("workers", 2), options=ExtractOptions(),
                              cluster=spec.get("cluster"))
    started = time.perf_counter()
    with open_store(f"sqlite:///{spec['db']}") as store:
        report = import_paths(store, [Path(spec["corpus"])], settings, command="bench/bench_cluster.py")
    return {"seconds": round(time.perf_counter() - started, 3), "imported": report.imported,
            "failed": report.failed, "pages": report.pages, "failures": report.failures[:3]}


def _noop(x: int) -> int:
    return x


def child_scheduler(spec: dict) -> dict:
    from distributed import Client, as_completed

    with Client(spec["cluster"]) as client:
        client.gather(client.map(_noop, range(50), pure=False))  # warm the connections
        started = time.perf_counter()
        futures = client.map(_noop, range(spec["tasks"]), pure=False)
        for _ in as_completed(futures):
            pass
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "tasks": spec["tasks"], "tasks_per_s": round(spec["tasks"] / seconds, 1)}


def child_writer(spec: dict) -> dict:
    from models.store import open_store
    from pipeline.api import ExtractOptions, extract_document

    files = sorted(Path(spec["corpus"]).glob("*.pdf"))
    extractions = [(path, extract_document(path, ExtractOptions(entities=False))) for path in files]
    started = time.perf_counter()
    with open_store(f"sqlite:///{spec['db']}") as store:
        for path, extraction in extractions:
            store.save(extraction, path=str(path), size_bytes=1, mtime=0.0, extractor_version="bench")
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "docs": len(extractions), "docs_per_s": round(len(extractions) / seconds, 1)}


CHILDREN = {"import": child_import, "scheduler": child_scheduler, "writer": child_writer}


# --------------------------------------------------------------------------- parent

def _duration(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="generated PDFs (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tasks", type=int, default=2000, help="no-op tasks for the scheduler's rate")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(CHILDREN[spec["mode"]](spec)))
        return 0

    import corpus_gen

    results: dict = {"machine": bench_import.machine(), "n": args.n}
    with tempfile.TemporaryDirectory(prefix="delib-bench-cluster-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus_gen.generate(corpus, args.n, args.seed)
        script = str(Path(__file__).resolve())

        def measure(name: str, spec: dict) -> dict:
            print(f"{name} ...", file=sys.stderr)
            result = bench_import.run_child(spec, script=script)
            results[name] = result
            return result

        measure("local pool, 2 workers", {"mode": "import", "corpus": str(corpus), "db": str(tmp / "local.db"),
                                          "workers": 2})
        for workers in (1, 2):
            logs = tmp / f"cluster{workers}"
            logs.mkdir()
            cluster = Cluster(workers, logs)
            try:
                measure(f"dask, {workers} worker(s)", {"mode": "import", "corpus": str(corpus),
                                                       "db": str(tmp / f"dask{workers}.db"), "cluster": cluster.address})
                if workers == 2:
                    measure("scheduler no-op tasks", {"mode": "scheduler", "cluster": cluster.address,
                                                      "tasks": args.tasks})
            finally:
                cluster.close()
        measure("single writer (Store.save)", {"mode": "writer", "corpus": str(corpus), "db": str(tmp / "writer.db")})

    pages = results["local pool, 2 workers"]["pages"]
    rows = []
    for name in ("local pool, 2 workers", "dask, 1 worker(s)", "dask, 2 worker(s)"):
        r = results[name]
        rows.append((name, r["seconds"], r["imported"] / r["seconds"], pages / r["seconds"], r["peak_tree_mb"], r["failed"]))
    per_machine = results["dask, 2 worker(s)"]["imported"] / results["dask, 2 worker(s)"]["seconds"]
    scheduler = results["scheduler no-op tasks"]["tasks_per_s"]
    writer = results["single writer (Store.save)"]["docs_per_s"]
    projection = {machines: 1_000_000 / min(machines * per_machine, scheduler, writer) for machines in (10, 100)}
    results["projection_seconds_1M"] = projection
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    m = results["machine"]
    print(f"delib cluster benchmark  {m['date']}  nproc={m['nproc']}  load avg at start {m['loadavg_at_start']}")
    print(f"corpus: {args.n} generated PDFs, {pages} pages; extraction with NER (default options)\n")
    print(f"{'measurement':<28}{'seconds':>9}{'docs/s':>9}{'pages/s':>9}{'peak MB':>9}{'failed':>8}   (peak MB: the client's process tree; Dask workers are their own)")
    for name, seconds, docs, pps, peak, failed in rows:
        print(f"{name:<28}{seconds:>9.2f}{docs:>9.2f}{pps:>9.1f}{peak:>9.0f}{failed:>8}")
    print(f"\nscheduler overhead: {scheduler:.0f} no-op tasks/s through one client "
          f"({1000 / scheduler:.2f} ms a task)")
    print(f"single writer: {writer:.0f} documents/s stored by Store.save into SQLite")
    print(f"per 2-core machine (2 Dask workers): {per_machine:.2f} docs/s")
    for machines, seconds in projection.items():
        limit = min((machines * per_machine, "the workers"), (scheduler, "the scheduler"), (writer, "the writer"))[1]
        print(f"1,000,000 documents on {machines:>3} such machines: {_duration(seconds)} (limited by {limit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
