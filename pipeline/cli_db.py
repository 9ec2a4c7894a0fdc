"""Database commands of `delib`: import, search, reextract, failures, retry, runs."""
from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import shlex
import sys
import time
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline import errors
from pipeline.settings import database_url, lock_path

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def add_commands(commands) -> None:
    from pipeline.cli import add_reading_options

    imp = commands.add_parser(
        "import", help="import PDFs (files or folders, recursively) into the database",
        description="Import every *.pdf under the given files and folders. Already imported "
        "files are skipped (same path, size and mtime); identical bytes are stored once. "
        "Re-running after an interruption imports exactly what is missing.",
        epilog="Exit codes: 0 all imported, 1 some files failed (see `delib failures`), "
        "2 usage or configuration error, 3 another import is running.",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_batch_options(imp)
    add_reading_options(imp)
    imp.set_defaults(run=run_import)

    retry = commands.add_parser("retry", help="import again the files that failed and are still failing")
    _add_batch_options(retry)
    add_reading_options(retry)
    retry.set_defaults(run=run_retry)

    reext = commands.add_parser(
        "reextract", help="re-read documents extracted by an older rule set and replace their rows",
    )
    reext.add_argument("--all", action="store_true", help="re-extract every document, not only stale ones")
    _add_db_option(reext)
    _add_output_options(reext)
    add_reading_options(reext)
    reext.set_defaults(run=run_reextract)

    search = commands.add_parser(
        "search", help="full-text search (accents optional), ranked by relevance",
        description="Search titles and texts. Any text is safe to type: quotes, NOT, *, -, "
        "parentheses are plain words. A word of 4 letters or more also finds longer words.",
    )
    search.add_argument("query", nargs="*", help="words to look for (none: list by date)")
    search.add_argument("--authority", help="part of the authority's name")
    search.add_argument("--from", dest="date_from", type=_date, help="séance on or after YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", type=_date, help="séance on or before YYYY-MM-DD")
    search.add_argument("--article", help="budget article code (prefix), e.g. 6574")
    search.add_argument("--person", help="a person in the attendance lists")
    search.add_argument("--min-amount", type=_decimal, help="at least one amount of this many euros")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_db_option(search)
    search.set_defaults(run=run_search)

    failures = commands.add_parser("failures", help="list files that failed, with the reason")
    failures.add_argument("--run", dest="run_id", type=int, help="import run id (default: the last with failures)")
    _add_db_option(failures)
    failures.set_defaults(run=run_failures)

    runs = commands.add_parser("runs", help="list recent import runs")
    _add_db_option(runs)
    runs.set_defaults(run=run_runs)


def _add_db_option(parser) -> None:
    parser.add_argument("--db", help="database URL or SQLite file (default: $DELIB_DB, else ./deliberations.db)")


def _add_output_options(parser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary; errors only")
    parser.add_argument("--log", type=Path, help="append a line per failure and a summary to this file")


def _add_batch_options(parser) -> None:
    _add_db_option(parser)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="extraction processes (default: the CPU count)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per document before it is stopped (default 120)")
    parser.add_argument("--recycle", type=int, default=200,
                        help="restart a worker after this many documents, to bound memory (default 200)")
    _add_output_options(parser)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None


def _open(args):
    from models.store import open_store

    url = database_url(args.db)
    try:
        return open_store(url)
    except Exception as exc:  # a bad URL, an unreadable file, a newer schema: configuration
        raise errors.ConfigurationError(f"cannot open the database {url}: {exc}") from exc


def _settings(args):
    from pipeline.cli import reading_options
    from pipeline.importer import ImportSettings

    if args.workers < 1 or args.timeout <= 0:
        raise errors.ConfigurationError("--workers must be at least 1 and --timeout positive")
    return ImportSettings(workers=args.workers, timeout=args.timeout, recycle_after=max(1, args.recycle),
                          options=reading_options(args))


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
    from pipeline.importer import AlreadyRunning, ImportLock, import_paths

    paths = paths if paths is not None else args.paths
    settings = _settings(args)
    url = database_url(args.db)
    logger = _logger(args)
    try:
        with ImportLock(lock_path(url)), _open(args) as store:
            progress = _Progress(paths) if _show_progress(args) else None
            report = import_paths(store, paths, settings, command=command or _command_line(), progress=progress)
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

    with _open(args) as store:
        paths = [Path(p) for p in unresolved_paths(store)]
    if not paths:
        if not args.quiet:
            print("Nothing to retry: no file is still failing.")
        return EXIT_OK
    return run_import(args, paths=paths, command=_command_line())


def run_reextract(args) -> int:
    from pipeline.cli import reading_options
    from pipeline.importer import ImportSettings, reextract

    with _open(args) as store:
        report = reextract(store, ImportSettings(options=reading_options(args)), everything=args.all)
    for path, reason in report.failures:
        print(f"delib: {path}: {reason}", file=sys.stderr)
    if not args.quiet:
        print(f"Re-extracted {report.imported} documents in {report.seconds:.1f} s; {report.failed} failed.")
    return EXIT_FAILURES if report.failed else EXIT_OK


def run_search(args) -> int:
    from models.search import search

    if args.limit < 1:
        raise errors.ConfigurationError("--limit must be at least 1")
    with _open(args) as store:
        hits = search(
            store, " ".join(args.query), authority=args.authority, date_from=args.date_from,
            date_to=args.date_to, article=args.article, person=args.person,
            min_amount=args.min_amount, limit=args.limit,
        )
    rows = [
        {"date": h.session_date.isoformat() if h.session_date else "", "authority": h.authority or "",
         "number": h.number or "", "title": h.title or "", "snippet": h.snippet, "path": h.path or "",
         "rank": round(h.rank, 3)}
        for h in hits
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(rows)
    return EXIT_OK


def _print_table(rows: list[dict]) -> None:
    if not rows:
        print("No deliberation matches.")
        return
    for row in rows:
        print(f"{row['date'] or '????-??-??'}  {row['authority'][:40]}  n° {row['number'] or '—'}")
        print(f"    {row['title'][:110]}")
        print(f"    {' '.join(row['snippet'].split())[:160]}")
        print(f"    {row['path']}")
    print(f"{len(rows)} result(s).")


def run_failures(args) -> int:
    from models.runs import failures

    with _open(args) as store:
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

    with _open(args) as store:
        for run in recent_runs(store):
            end = run.finished_at.isoformat(timespec="seconds") if run.finished_at else "—"
            print(f"#{run.id} {run.started_at.isoformat(timespec='seconds')} → {end} {run.status:<11} "
                  f"seen {run.files_seen}, imported {run.imported}, skipped {run.skipped}, failed {run.failed}")
    return EXIT_OK


def _show_progress(args) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _command_line() -> str:
    return "delib " + " ".join(shlex.quote(a) for a in sys.argv[1:])


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
        from pipeline.files import iter_pdfs

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
