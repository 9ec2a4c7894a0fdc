"""The archive's batch import: `delib import`, `retry`, `reextract`, `failures`, `runs`."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from pipeline import errors
from pipeline.cli.options import (
    EXIT_FAILURES, EXIT_LOCKED, EXIT_OK, add_batch_options, add_db_option, add_output_options,
    add_reading_options, command_line, open_store, reading_options,
)
from pipeline.settings import database_url, lock_path


def add_commands(commands) -> None:
    imp = commands.add_parser(
        "import", help="import PDFs (files or folders, recursively) into the database",
        description="Import every *.pdf under the given files and folders. Already imported "
        "files are skipped (same path, size and mtime); identical bytes are stored once. "
        "Re-running after an interruption imports exactly what is missing.",
        epilog="Exit codes: 0 all imported, 1 some files failed (see `delib failures`), "
        "2 usage or configuration error, 3 another import is running.",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_batch_options(imp)
    add_reading_options(imp)
    imp.set_defaults(run=run_import)

    retry = commands.add_parser("retry", help="import again the files that failed and are still failing")
    add_batch_options(retry)
    add_reading_options(retry)
    retry.set_defaults(run=run_retry)

    reext = commands.add_parser(
        "reextract", help="re-read documents extracted by an older rule set and replace their rows",
    )
    reext.add_argument("--all", action="store_true", help="re-extract every document, not only stale ones")
    add_db_option(reext)
    add_output_options(reext)
    add_reading_options(reext)
    reext.set_defaults(run=run_reextract)

    failures = commands.add_parser("failures", help="list files that failed, with the reason")
    failures.add_argument("--run", dest="run_id", type=int, help="import run id (default: the last with failures)")
    add_db_option(failures)
    failures.set_defaults(run=run_failures)

    runs = commands.add_parser("runs", help="list recent import runs")
    add_db_option(runs)
    runs.set_defaults(run=run_runs)


def _settings(args):
    from pipeline.batch.importer import ImportSettings

    if args.workers < 1 or args.timeout <= 0:
        raise errors.ConfigurationError("--workers must be at least 1 and --timeout positive")
    return ImportSettings(workers=args.workers, timeout=args.timeout, recycle_after=max(1, args.recycle),
                          options=reading_options(args), cluster=args.cluster)


def _logger(args) -> logging.Logger:
    logger = logging.getLogger("delib.run")
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the terminal gets its own messages; this logger is the log file
    if args.log:
        handler = logging.FileHandler(args.log, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
    return logger


def run_import(args, paths: list[Path] | None = None, command: str | None = None) -> int:
    from pipeline.batch.importer import AlreadyRunning, ImportLock, import_paths

    paths = paths if paths is not None else args.paths
    settings = _settings(args)
    url = database_url(args.db)
    logger = _logger(args)
    try:
        with ImportLock(lock_path(url)), open_store(args) as store:
            progress = _Progress(paths) if _show_progress(args) else None
            report = import_paths(store, paths, settings, command=command or command_line(), progress=progress)
            if progress:
                progress.close()
    except AlreadyRunning as exc:
        print(f"delib: {exc}; not starting a second one", file=sys.stderr)
        return EXIT_LOCKED
    for path, reason in report.failures:
        print(f"delib: {path}: {reason}", file=sys.stderr)
        logger.info("FAILED %s: %s", path, reason)
    summary = _summary(report)
    logger.info("%s", summary)
    if not args.quiet:
        print(summary)
    return EXIT_FAILURES if report.failed else EXIT_OK


def run_retry(args) -> int:
    from models.runs import unresolved_paths

    with open_store(args) as store:
        paths = [Path(p) for p in unresolved_paths(store)]
    if not paths:
        if not args.quiet:
            print("Nothing to retry: no file is still failing.")
        return EXIT_OK
    return run_import(args, paths=paths, command=command_line())


def run_reextract(args) -> int:
    from pipeline.batch.importer import ImportSettings, reextract

    with open_store(args) as store:
        report = reextract(store, ImportSettings(options=reading_options(args)), everything=args.all)
    for path, reason in report.failures:
        print(f"delib: {path}: {reason}", file=sys.stderr)
    if not args.quiet:
        print(f"Re-extracted {report.imported} documents in {report.seconds:.1f} s; {report.failed} failed.")
    return EXIT_FAILURES if report.failed else EXIT_OK


def run_failures(args) -> int:
    from models.runs import failures

    with open_store(args) as store:
        rows = failures(store, args.run_id)
    if not rows:
        print("No failures recorded for that run.")
        return EXIT_OK
    for row in rows:
        print(f"run {row.run_id}  {row.path}\n    {row.reason}")
    print(f"{len(rows)} failed file(s). Retry them with: delib retry")
    return EXIT_OK


def run_runs(args) -> int:
    from models.runs import recent_runs

    with open_store(args) as store:
        for run in recent_runs(store):
            end = run.finished_at.isoformat(timespec="seconds") if run.finished_at else "—"
            print(f"#{run.id} {run.started_at.isoformat(timespec='seconds')} → {end} {run.status:<11} "
                  f"seen {run.files_seen}, imported {run.imported}, skipped {run.skipped}, failed {run.failed}")
    return EXIT_OK


def _show_progress(args) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _summary(report) -> str:
    rate = f"{report.imported / report.seconds:.1f} docs/s, {report.pages / report.seconds:.1f} pages/s" if report.seconds else ""
    text = (f"Imported {report.imported} document(s) ({report.deliberations} deliberations, "
            f"{report.pages} pages) in {report.seconds:.1f} s ({rate}); skipped {report.skipped} "
            f"already imported")
    if report.new_paths:
        text += f"; {report.new_paths} known document(s) at a new path"
    if report.failed:
        text += f"; FAILED {report.failed}: see `delib failures --run {report.run_id}`"
    return text + "."


class _Progress:
    """One line on the terminal: done/total, documents/s, pages/s and time left."""

    def __init__(self, paths: list[Path]) -> None:
        from pipeline.batch.files import iter_pdfs

        self.total = sum(1 for _ in iter_pdfs(paths))
        self.last = 0.0

    def __call__(self, report) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        done = report.imported + report.skipped + report.failed + report.new_paths
        seconds = max(report.seconds, 1e-6)
        docs_rate = report.imported / seconds
        left = (self.total - done) / docs_rate if docs_rate > 0 else 0
        width = 24
        filled = int(width * done / self.total) if self.total else width
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}  {docs_rate:.1f} docs/s  "
            f"{report.pages / seconds:.1f} pages/s  ~{int(left // 60)}m{int(left % 60):02d}s left  "
            f"failed {report.failed}  "
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
