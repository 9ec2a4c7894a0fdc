"""Benchmark of `delib import` against bare text extraction (a benchmark, not a test).

    python bench/bench_import.py                 # 1,000 generated PDFs, table on stdout
    python bench/bench_import.py --n 200 --json  # machine-readable
    python bench/bench_import.py --out /tmp/corpus --keep   # keep (and reuse) the corpus and databases
    python bench/bench_import.py --pdfs ../shared/corpus/real2 --digital-only   # real files instead

One run measures, over the same generated folder (bench/corpus_gen.py, deterministic) or the PDFs
of a given folder (`--pdfs`; with `--digital-only`, only the files whose every page has a text
layer, linked into a temporary folder, since a scan measures Tesseract, not the import):

  1. bare pdfplumber: `page.extract_text()` over every page, one process (the reference);
  2. bare pypdfium2: `textpage.get_text_range()` over every page, one process;
  3. `import_paths` (what `delib import` calls) into a fresh SQLite file, default ExtractOptions
     with entities on, with 1 and with 2 workers;
  4. the unchanged re-run: same folder, same database (everything is skipped);
  5. the same 2-worker import with the engine(s) that are not the default.

Each measurement runs in its own child process (`--child`), so one cannot warm the next one's
imports or memory; the parent samples the RSS of that child and of all its descendants every
50 ms through /proc (peak of the sum = "peak tree RSS"). Times are wall-clock, measured in the
child around the work only: for the imports that is `open_store` + `import_paths` + close, so
worker start-up (spawn, imports, spaCy model load) is included; for the bare loops the library
import (`import pdfplumber`) is not, it is reported apart. "proc wall" is the child's whole life
as the parent saw it, interpreter start-up included. "tree CPU" is the CPU time of the child and
all its descendants (fork server, workers) over that whole life, read from /proc: on a machine
shared with other work, wall times follow the load, CPU times do not.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


# --------------------------------------------------------------------------- memory sampling


def _tree(root: int) -> list[int]:
    """root and all its descendants, from /proc/*/stat (no psutil)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, split after the last ')'
        ppid = int(stat[stat.rindex(b")") + 2:].split(None, 2)[1])
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far (/proc/<pid>/stat, fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and its descendants, sampled every `interval` s, and
    the CPU seconds they used (each process's last sample: up to `interval` of a process that
    ends between two samples is missed). On a machine shared with other work, the tree's CPU
    time is the figure that does not depend on what else runs; wall time does."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = self.peak_single_kb = self.peak_procs = self.samples = 0
        self.cpu: dict[int, float] = {}
        self._halt = threading.Event()

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())

    def run(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            for p in pids:
                seconds = _cpu_seconds(p)
                if seconds is not None:
                    self.cpu[p] = seconds
            sizes = [_rss_kb(p) for p in pids]
            self.samples += 1
            self.peak_kb = max(self.peak_kb, sum(sizes))
            self.peak_single_kb = max(self.peak_single_kb, max(sizes, default=0))
            self.peak_procs = max(self.peak_procs, sum(1 for s in sizes if s))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_child(spec: dict, timeout: float | None = None, script: str = __file__) -> dict:
    """Run one measurement (`script --child SPEC`) in a child process while sampling its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(script).resolve()), "--child", json.dumps(spec)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    load_before = os.getloadavg()[0]
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        sampler.stop()
    wall = time.perf_counter() - started
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"measurement {spec['mode']} failed (exit {proc.returncode}):\n{err[-4000:]}")
    result = json.loads(lines[-1])
    result.update(proc_wall=round(wall, 2), peak_tree_mb=round(sampler.peak_kb / 1024, 1),
                  peak_single_mb=round(sampler.peak_single_kb / 1024, 1), peak_procs=sampler.peak_procs,
                  tree_cpu_seconds=round(sampler.cpu_seconds, 2),
                  rss_samples=sampler.samples, loadavg_1min=(round(load_before, 2), round(os.getloadavg()[0], 2)))
    return result


# --------------------------------------------------------------------------- child side


def _files(folder: str) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() == ".pdf")


def _maxrss() -> dict:
    return {"ru_maxrss_self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "ru_maxrss_children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def child_plumber(spec: dict) -> dict:
    t = time.perf_counter()
    import pdfplumber
    imported = time.perf_counter() - t
    files = _files(spec["corpus"])
    pages = chars = 0
    t, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                chars += len(page.extract_text() or "")
                pages += 1
    seconds = time.perf_counter() - t
    return {"files": len(files), "pages": pages, "chars": chars, "seconds": round(seconds, 3),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "import_seconds": round(imported, 3), "version": pdfplumber.__version__}


def child_pdfium(spec: dict) -> dict:
    t = time.perf_counter()
    import pypdfium2 as pdfium
    imported = time.perf_counter() - t
    files = _files(spec["corpus"])
    pages = chars = 0
    t, cpu = time.perf_counter(), time.process_time()
    for path in files:
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    seconds = time.perf_counter() - t
    return {"files": len(files), "pages": pages, "chars": chars, "seconds": round(seconds, 3),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "import_seconds": round(imported, 3), "version": _pdfium_version()}


def _pdfium_version() -> str:
    try:
        from importlib.metadata import version

        return version("pypdfium2")
    except Exception:  # noqa: BLE001
        return "?"


def cpu_total() -> float:
    """User + system CPU seconds of this process and of its reaped children (the workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (/proc/stat), all cores together.

    The workers are forked by a fork server, not by the measured process, so its rusage does not
    see them: on a quiet machine, the machine's busy time over the run is the measure.
    """
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _options(spec: dict):
    from pipeline.api import ExtractOptions

    options = ExtractOptions()
    changes = {"entities": True}
    if spec.get("engine"):
        changes["engine"] = spec["engine"]
    names = {f.name for f in dataclasses.fields(ExtractOptions)}
    return dataclasses.replace(options, **{k: v for k, v in changes.items() if k in names})


def child_import(spec: dict) -> dict:
    import logging

    logging.basicConfig(level=logging.WARNING)
    from models.store import open_store
    from pipeline.batch.importer import ImportSettings, import_paths

    options = _options(spec)
    settings = dataclasses.replace(ImportSettings(), workers=spec["workers"], options=options)
    busy = machine_busy_seconds()
    t = time.perf_counter()
    store = open_store(f"sqlite:///{spec['db']}")
    try:
        report = import_paths(store, [Path(spec["corpus"])], settings, command="bench/bench_import.py")
    finally:
        store.close()
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 3), "import_seconds_reported": round(report.seconds, 3),
            "files_seen": report.files_seen, "imported": report.imported, "skipped": report.skipped,
            "new_paths": report.new_paths, "failed": report.failed, "pages": report.pages,
            "deliberations": report.deliberations, "failures": report.failures[:5],
            "workers": spec["workers"], "options": dataclasses.asdict(options),
            "db_mb": round(Path(spec["db"]).stat().st_size / 1e6, 1), "cpu_seconds": round(machine_busy_seconds() - busy, 2),
            **_maxrss()}


def child_profile(spec: dict) -> dict:
    import cProfile
    import io
    import pstats

    from pipeline.api import extract_document

    options = _options(spec)
    files = _files(spec["corpus"])[: spec["count"]]
    extract_document(files[0], options)  # load the models outside the profile
    profiler = cProfile.Profile()
    t = time.perf_counter()
    profiler.enable()
    for path in files:
        extract_document(path, options)
    profiler.disable()
    seconds = time.perf_counter() - t
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumtime").print_stats(spec.get("top", 25))
    by_own = io.StringIO()
    pstats.Stats(profiler, stream=by_own).sort_stats("tottime").print_stats(15)
    return {"seconds": round(seconds, 3), "files": len(files), "options": dataclasses.asdict(options),
            "profile": buffer.getvalue(), "profile_tottime": by_own.getvalue()}


CHILDREN = {"plumber": child_plumber, "pdfium": child_pdfium, "import": child_import, "profile": child_profile}


# --------------------------------------------------------------------------- parent


def machine() -> dict:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return {"date": datetime.now().astimezone().isoformat(timespec="seconds"), "nproc": cpus,
            "cpu": model, "memory": mem, "python": platform.python_version(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def text_on_every_page(path: Path, min_chars: int = 150) -> bool:
    """True when pdfium finds at least `min_chars` characters on every page: no scan (a scan
    stamped by the @ctes platform has a text layer of about 120 characters)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - an unreadable file is not a digital one
        return False
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars = len(textpage.get_text_range().strip())
            textpage.close()
            page.close()
            if chars < min_chars:
                return False
        return len(pdf) > 0
    finally:
        pdf.close()


def given_corpus(folder: Path, work: Path, digital_only: bool) -> tuple[Path, dict]:
    """The PDFs of `folder` as the corpus: the folder itself, or links to its digital files."""
    started = time.perf_counter()
    files = _files(str(folder))
    chosen = [f for f in files if text_on_every_page(f)] if digital_only else files
    corpus = folder
    if digital_only:
        corpus = work / "corpus"
        corpus.mkdir()
        for f in chosen:
            (corpus / f.name).symlink_to(f.resolve())
    import pypdfium2 as pdfium

    pages = 0
    for f in chosen:
        try:
            pdf = pdfium.PdfDocument(str(f))
            pages += len(pdf)
            pdf.close()
        except Exception:  # noqa: BLE001 - counted by the import as a failure
            pass
    info = {"pages": pages, "deliberations": None, "bytes": sum(f.stat().st_size for f in chosen),
            "seconds": round(time.perf_counter() - started, 2), "reused": True,
            "files": len(chosen), "left_out": len(files) - len(chosen), "folder": str(folder)}
    return corpus, info


def default_options() -> dict:
    from pipeline.api import ExtractOptions

    return dataclasses.asdict(ExtractOptions())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of generated PDFs (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--out", type=Path, help="corpus folder (reused if it already holds this n and seed); "
                                                 "default: a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and the databases")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure (default 1,2)")
    parser.add_argument("--no-alt", action="store_true", help="skip the non-default engine(s)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile extract_document over the first N files, one process")
    parser.add_argument("--profile-engine", help="engine for --profile (default: the default engine)")
    parser.add_argument("--pdfs", type=Path, metavar="DIR",
                        help="measure the PDFs of DIR instead of a generated corpus (--n, --seed, --out ignored)")
    parser.add_argument("--digital-only", action="store_true",
                        help="with --pdfs: only the files with a text layer on every page")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(CHILDREN[spec["mode"]](spec), ensure_ascii=False))
        return 0

    import corpus_gen

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="delib-bench-"))
    corpus = args.out.resolve() if args.out else work / "corpus"
    results: dict = {"machine": machine(), "n": args.n, "seed": args.seed, "corpus": str(corpus),
                     "default_options": default_options()}
    try:
        if args.pdfs:
            say(f"corpus: the PDFs of {args.pdfs}{' with a text layer' if args.digital_only else ''} ...")
            corpus, results["corpus_info"] = given_corpus(args.pdfs.resolve(), work, args.digital_only)
            results.update(n=results["corpus_info"]["files"], seed=None, corpus=str(corpus))
        else:
            say(f"corpus: {args.n} PDFs in {corpus} ...")
            manifest = corpus_gen.generate(corpus, args.n, args.seed, quiet=False)
            results["corpus_info"] = {k: manifest[k] for k in ("pages", "deliberations", "bytes", "seconds", "reused")}
        spec = {"corpus": str(corpus)}
        say("bare pdfplumber extract_text ...")
        results["plumber"] = run_child({**spec, "mode": "plumber"})
        say("bare pypdfium2 ...")
        results["pdfium"] = run_child({**spec, "mode": "pdfium"})
        imports = []
        workers = [int(w) for w in args.workers.split(",") if w.strip()]
        for w in workers:
            say(f"import, {w} worker(s), default options ...")
            db = work / f"import_w{w}.db"
            imports.append({"label": f"import, {w} worker{'s' if w > 1 else ''}", "kind": "import",
                            **run_child({**spec, "mode": "import", "workers": w, "db": str(db)})})
        last = max(workers)
        say(f"unchanged re-run, {last} worker(s) ...")
        imports.append({"label": f"re-run unchanged, {last} worker{'s' if last > 1 else ''}", "kind": "rerun",
                        **run_child({**spec, "mode": "import", "workers": last, "db": str(work / f"import_w{last}.db")})})
        if not args.no_alt:
            default_engine = results["default_options"].get("engine")
            for engine in ("pdfplumber", "pdfium"):
                if engine == default_engine:
                    continue
                say(f"import, {last} worker(s), engine={engine} ...")
                imports.append({"label": f"import, {last} workers, engine={engine}", "kind": "import",
                                **run_child({**spec, "mode": "import", "workers": last, "engine": engine,
                                             "db": str(work / f"import_{engine}.db")})})
        results["imports"] = imports
        bare = results["plumber"]["seconds"]
        for r in imports:
            r["ratio_to_bare_pdfplumber"] = round(r["seconds"] / bare, 3) if bare else None
            r["docs_per_s"] = round(r["imported"] / r["seconds"], 1) if r["seconds"] else None
            r["pages_per_s"] = round(r["pages"] / r["seconds"], 1) if r["seconds"] else None
        if args.profile:
            say(f"profile of extract_document over {args.profile} files ...")
            results["profile"] = run_child({**spec, "mode": "profile", "count": args.profile,
                                            "engine": args.profile_engine})
    finally:
        if args.keep:
            say(f"kept: {work}" + (f" and {corpus}" if args.out else ""))
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=1) if args.json else table(results))
    return 0


def _stats_lines(text: str) -> str:
    """pstats output without its preamble, paths shortened to the project / site-packages."""
    lines = text.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    site = str(Path(sys.prefix)) + "/lib/python" + ".".join(platform.python_version_tuple()[:2]) + "/site-packages/"
    return "\n".join(line.replace(site, "").replace(str(ROOT) + "/", "") for line in lines[start:])


def _load(m: dict) -> str:
    before, after = m["loadavg_1min"]
    return f"{before:.1f}/{after:.1f}"


def _corpus_line(r: dict) -> str:
    c = r["corpus_info"]
    if "folder" in c:
        left = f", {c['left_out']} left out (a page without text)" if c["left_out"] else ""
        return f"corpus: {c['files']} PDFs of {c['folder']}{left}, {c['pages']} pages, {c['bytes'] / 1e6:.1f} MB"
    return (f"corpus: {r['n']} generated PDFs (seed {r['seed']}), {c['pages']} pages, {c['deliberations']} deliberations, "
            f"{c['bytes'] / 1e6:.1f} MB ({'reused' if c['reused'] else 'generated in %s s' % c['seconds']})")


def table(r: dict) -> str:
    m, c = r["machine"], r["corpus_info"]
    out = [
        f"delib import benchmark  {m['date']}  nproc={m['nproc']}  {m['cpu']}  RAM {m['memory']}  Python {m['python']}"
        f"  load avg at start {m['loadavg_at_start']}",
        _corpus_line(r),
        f"default ExtractOptions: {r['default_options']}",
        "",
        f"{'measurement':<36}{'seconds':>9}{'docs/s':>8}{'pages/s':>9}{'x bare':>8}{'peak tree':>11}{'procs':>6}"
        f"{'proc wall':>10}{'CPU':>8}{'tree CPU':>9}{'load':>13}",
        f"{'':<36}{'(wall)':>9}{'':>8}{'':>9}{'plumber':>8}{'RSS MB':>11}{'':>6}{'s':>10}{'s':>8}{'s':>9}{'before/after':>13}",
    ]
    for key, label in (("plumber", "bare pdfplumber extract_text, 1 proc"), ("pdfium", "bare pypdfium2 get_text, 1 proc")):
        b = r[key]
        ratio = b["seconds"] / r["plumber"]["seconds"] if r["plumber"]["seconds"] else 0
        out.append(f"{label:<36}{b['seconds']:>9.2f}{b['files'] / b['seconds']:>8.1f}{b['pages'] / b['seconds']:>9.1f}"
                   f"{ratio:>8.2f}{b['peak_tree_mb']:>11.0f}{b['peak_procs']:>6}{b['proc_wall']:>10.2f}"
                   f"{b['cpu_seconds']:>8.1f}{b.get('tree_cpu_seconds', 0):>9.1f}{_load(b):>13}")
    for i in r["imports"]:
        docs = f"{i['docs_per_s']:.1f}" if i["kind"] == "import" else "-"
        pages = f"{i['pages_per_s']:.1f}" if i["kind"] == "import" else "-"
        out.append(f"{i['label']:<36}{i['seconds']:>9.2f}{docs:>8}{pages:>9}{i['ratio_to_bare_pdfplumber']:>8.2f}"
                   f"{i['peak_tree_mb']:>11.0f}{i['peak_procs']:>6}{i['proc_wall']:>10.2f}"
                   f"{i['cpu_seconds']:>8.1f}{i.get('tree_cpu_seconds', 0):>9.1f}{_load(i):>13}")
    out.append("")
    for i in r["imports"]:
        out.append(f"  {i['label']}: seen {i['files_seen']}, imported {i['imported']}, skipped {i['skipped']}, "
                   f"failed {i['failed']}, pages {i['pages']}, deliberations {i['deliberations']}"
                   + (f" (corpus.json: {c['deliberations']})" if i["kind"] == "import" and c["deliberations"] else "") + f", db {i['db_mb']} MB, "
                   f"ru_maxrss self {i['ru_maxrss_self_mb']} MB / largest child {i['ru_maxrss_children_mb']} MB, "
                   f"largest single process sampled {i['peak_single_mb']} MB")
        for path, reason in i["failures"]:
            out.append(f"      failed: {path}: {reason}")
    out.append(f"  bare loops: library import not timed (pdfplumber {r['plumber']['import_seconds']} s, "
               f"pypdfium2 {r['pdfium']['import_seconds']} s); pdfplumber {r['plumber']['version']}, "
               f"pypdfium2 {r['pdfium']['version']}")
    w2 = [i for i in r["imports"] if i["kind"] == "import" and i.get("workers") == 2 and "engine=" not in i["label"]]
    if w2:
        i = w2[0]
        rerun = next((x for x in r["imports"] if x["kind"] == "rerun"), None)
        out.append("")
        out.append("issue 4 targets (2 workers, default options):")
        out.append(f"  import faster than bare pdfplumber: {i['seconds']:.2f} s vs {r['plumber']['seconds']:.2f} s -> "
                   f"{'yes' if i['seconds'] < r['plumber']['seconds'] else 'NO'}")
        out.append(f"  >= 15 docs/s and ~45 pages/s: {i['docs_per_s']} docs/s, {i['pages_per_s']} pages/s -> "
                   f"{'yes' if i['docs_per_s'] >= 15 else 'NO'}")
        out.append(f"  peak tree RSS < 2 GB: {i['peak_tree_mb']:.0f} MB -> {'yes' if i['peak_tree_mb'] < 2048 else 'NO'}")
        plumber_cpu = r["plumber"].get("tree_cpu_seconds")
        if plumber_cpu and i.get("tree_cpu_seconds"):
            out.append(f"  CPU of the whole import (every process, start-up included) / bare pdfplumber's: "
                       f"{i['tree_cpu_seconds']:.1f} / {plumber_cpu:.1f} s = {i['tree_cpu_seconds'] / plumber_cpu:.2f}"
                       " (what a busy machine does not change)")
        if rerun:
            out.append(f"  unchanged re-run: {rerun['seconds']:.2f} s = {rerun['seconds'] / i['seconds']:.1%} of the import")
    if "profile" in r:
        p = r["profile"]
        out.append("")
        out.append(f"cProfile of extract_document over {p['files']} files, one process, {p['seconds']} s "
                   f"(options {p['options']}), top lines by cumtime:")
        out.append(_stats_lines(p["profile"]))
        out.append("")
        out.append("same profile, top 15 by own time (tottime):")
        out.append(_stats_lines(p["profile_tottime"]))
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
