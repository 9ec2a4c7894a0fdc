"""The archive's batch import: `delib import`, `retry`, `reextract`, `failures`, `runs`."""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from pipeline.cli.options import (
    EXIT_FAILURES, EXIT_LOCKED, EXIT_OK, add_batch_options, add_db_option, add_reading_options,
    command_line, max_memory, open_store, reading_options,
)
from pipeline.settings import database_url


def add_commands(commands) -> None:
    imp = commands.add_parser(
        "import", help="import PDFs (files or folders, recursively) into the database",
        description="Import every *.pdf under the given files and folders. Already imported "
        "files are skipped (same path, size and mtime); identical bytes are recognised by their "
        "SHA-256 before anything is read (a moved archive is not read again). A file that failed "
        "and has not changed since is not read again (see `delib retry`). Re-running after an "
        "interruption imports exactly what is missing.",
        epilog="Exit codes: 0 nothing new failed, 1 some files failed (see `delib failures`), "
        "2 usage or configuration error, or the database cannot be written (disk full, "
        "read-only), 3 another import is running, 130/143 interrupted or terminated.",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_batch_options(imp)
    add_reading_options(imp)
    imp.set_defaults(run=run_import)

    retry = commands.add_parser("retry", help="import again the files that failed and are still failing",
                                epilog="Exit codes as for import.")
    add_batch_options(retry)
    add_reading_options(retry)
    retry.set_defaults(run=run_retry)

    reext = commands.add_parser(
        "reextract", help="re-read documents extracted by an older rule set and replace their rows",
        description="Re-read documents extracted by an older rule set, in the same worker processes "
        "and limits as import, and update their rows in place: deliberation ids stay the same, so "
        "links to them stay valid. Recorded in `delib runs`.",
        epilog="Exit codes as for import.",
    )
    reext.add_argument("--all", action="store_true",
                       help="re-extract every document, not only stale ones (default: stale ones)")
    add_batch_options(reext)
    add_reading_options(reext)
    reext.set_defaults(run=run_reextract)

    failures = commands.add_parser("failures", help="list files that failed, with the reason")
    failures.add_argument("--run", dest="run_id", type=int, help="import run id (default: the last with failures)")
    failures.add_argument("--json", action="store_true", help="one JSON array (default: text)")
    add_db_option(failures)
    failures.set_defaults(run=run_failures)

    runs = commands.add_parser("runs", help="list recent import runs")
    runs.add_argument("--limit", type=int, default=20, help="runs to list (default 20)")
    runs.add_argument("--json", action="store_true", help="one JSON array (default: text)")
    add_db_option(runs)
    runs.set_defaults(run=run_runs)


def _settings(args):
    from pipeline.batch.importer import ImportSettings

    memory = max_memory(args)
    return ImportSettings(workers=args.workers, timeout=args.timeout, recycle_after=max(1, args.recycle),
                          options=reading_options(args), max_memory=memory, cluster=args.cluster)


def _logger(args) -> logging.Logger:
    logger = logging.getLogger("delib.run")
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the terminal gets its own messages; this logger is the log file
    if args.log:
        handler = logging.FileHandler(args.log, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
    return logger


def run_import(args, paths: list[Path] | None = None, command: str | None = None, retry: bool = False) -> int:
    from pipeline.batch.importer import AlreadyRunning, import_lock, import_paths

    paths = paths if paths is not None else args.paths
    settings = _settings(args)
    url = database_url(args.db)
    logger = _logger(args)
    if settings.cluster is None and _new_database(url):
        from pipeline.batch.workers import start_fork_server

        start_fork_server()  # every file is new: the workers' model loads while the schema is made
    try:
        with import_lock(url), open_store(args, create=True) as store:
            progress = _Progress(paths) if _show_progress(args) else None
            try:
                report = import_paths(store, paths, settings, command=command or command_line(),
                                      progress=progress, retry=retry)
            finally:
                if progress:
                    progress.close()
    except AlreadyRunning as exc:
        print(f"delib: {exc}; not starting a second one", file=sys.stderr)
        return EXIT_LOCKED
    return _report(args, report, logger, _summary(report))


def _new_database(url: str) -> bool:
    """A SQLite file that does not exist yet, or is empty (a PostgreSQL database: not known)."""
    from models.dialect import sqlite_file  # light: SQLAlchemy is not imported yet

    path = sqlite_file(url)
    if path is None:
        return False
    path = path.expanduser()
    return not path.exists() or path.stat().st_size == 0


def _report(args, report, logger, summary: str) -> int:
    for path, reason in report.failures:
        print(f"delib: {path}: {reason}", file=sys.stderr)
        logger.info("FAILED %s: %s", path, reason)
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
    return run_import(args, paths=paths, command=command_line(), retry=True)


def run_reextract(args) -> int:
    from pipeline.batch.importer import AlreadyRunning, import_lock, reextract

    settings = _settings(args)
    logger = _logger(args)
    try:
        with import_lock(database_url(args.db)), open_store(args) as store:
            progress = _Progress(None, total=_stale_count(store, args.all)) if _show_progress(args) else None
            try:
                report = reextract(store, settings, everything=args.all, command=command_line(), progress=progress)
            finally:
                if progress:
                    progress.close()
    except AlreadyRunning as exc:
        print(f"delib: {exc}; not starting a second one", file=sys.stderr)
        return EXIT_LOCKED
    rate = f" ({report.imported / report.seconds:.1f} docs/s)" if report.seconds and report.imported else ""
    summary = (f"Re-extracted {report.imported} document(s) ({report.deliberations} deliberations) in "
               f"{report.seconds:.1f} s{rate}; ids kept")
    if report.failed:
        summary += f"; FAILED {report.failed}: see `delib failures --run {report.run_id}`"
    return _report(args, report, logger, summary + ".")


def _stale_count(store, everything: bool) -> int:
    from pipeline.extract_options import EXTRACTOR_VERSION

    return sum(1 for _ in store.documents_needing_reextract("" if everything else EXTRACTOR_VERSION))


def run_failures(args) -> int:
    from models.runs import failures

    with open_store(args) as store:
        rows = failures(store, args.run_id)
    if args.json:
        print(json.dumps([{"run": r.run_id, "path": r.path, "reason": r.reason,
                           "at": r.at.isoformat(timespec="seconds")} for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
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
        runs = recent_runs(store, limit=max(1, args.limit))
        live = _import_running(args, store)
    rows = []
    for run in runs:
        # "running" with nobody holding the lock: its process was killed (kill -9, power cut).
        status = "interrupted" if run.status == "running" and not live else run.status
        rows.append({"id": run.id, "started_at": run.started_at.isoformat(timespec="seconds"),
                     "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
                     "command": run.command, "status": status, "files_seen": run.files_seen,
                     "imported": run.imported, "skipped": run.skipped, "failed": run.failed})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"#{row['id']} {row['started_at']} → {row['finished_at'] or '—'} {row['status']:<11} "
              f"seen {row['files_seen']}, imported {row['imported']}, skipped {row['skipped']}, failed {row['failed']}")
    return EXIT_OK


def _import_running(args, store) -> bool:
    """Whether a live process holds this database's import lock (tried without waiting)."""
    import fcntl

    from models.dialect import import_lock_held, is_postgresql_url
    from pipeline.settings import lock_path

    url = database_url(args.db)
    if is_postgresql_url(url):  # an advisory lock on the server (see importer.DatabaseLock)
        return import_lock_held(store.engine)
    try:
        with open(lock_path(url)) as file:
            try:
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(file, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


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
    if report.still_failing:
        text += (f"; {report.still_failing} still failing (unchanged), see delib failures "
                 "(`delib retry` reads them again)")
    return text + "."


class _Progress:
    """One line on the terminal: done/total, documents/s, pages/s and time left."""

    def __init__(self, paths: list[Path] | None, total: int = 0) -> None:
        from pipeline.batch.files import iter_pdfs

        self.total = sum(1 for _ in iter_pdfs(paths)) if paths is not None else total
        self.last = 0.0

    def __call__(self, report) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        done = report.imported + report.skipped + report.failed + report.new_paths + report.still_failing
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
