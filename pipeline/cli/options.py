"""What the command modules share: exit codes, the options several commands take, opening the store.

Every command module imports this one and nothing else of `pipeline.cli`, so the commands never
import each other.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from pipeline import errors
from pipeline.settings import database_url

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 143  # SIGTERM (128 + 15), as a shell reports it

# Kept in step with pipeline.read.pdf.ENGINES / OCR_MODES (a test checks): read here as plain
# tuples so that building the parser does not import the PDF engines.
ENGINES = ("pdfplumber", "pdfium")
OCR_MODES = ("auto", "always", "never")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite file, or database URL: sqlite:///FILE, postgresql://USER@HOST/DBNAME "
                        "(default: $DELIB_DB, else ./deliberations.db)")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress, no summary; errors only (default: progress on a terminal, and a summary)")
    parser.add_argument("--log", type=Path, help="append a line per failure and a summary to this file (default: none)")


def add_limit_options(parser: argparse.ArgumentParser, workers_default: int | None = None) -> None:
    """Where every extraction runs: worker processes, each under a time and a memory limit."""
    from pipeline.settings import default_max_memory

    workers = workers_default or os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=workers,
                        help=f"extraction processes (default {workers})" if workers_default
                        else f"extraction processes (default: the CPU count, here {workers})")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per document before it is stopped (default 120)")
    memory = default_max_memory(workers)
    parser.add_argument("--max-memory", type=int, default=None, metavar="MB",
                        help="memory (address space) each extraction process may use, in MB; a "
                        "document that needs more fails alone (default: half the machine's memory "
                        f"over the workers, between 1024 and 4096; here {memory} with {workers} "
                        "workers; 0: no limit)")


def max_memory(args: argparse.Namespace) -> int | None:
    """Megabytes per worker from --max-memory (None: no limit), checking the limits' values."""
    from pipeline.settings import default_max_memory

    if args.workers < 1 or args.timeout <= 0 or (args.max_memory is not None and args.max_memory < 0):
        raise errors.ConfigurationError("--workers must be at least 1, --timeout positive and --max-memory 0 or more")
    value = default_max_memory(args.workers) if args.max_memory is None else args.max_memory
    return value or None


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_limit_options(parser)
    parser.add_argument("--recycle", type=int, default=200,
                        help="restart a worker after this many documents, to bound memory (default 200)")
    parser.add_argument("--cluster", metavar="ADDRESS", default=os.environ.get("DELIB_CLUSTER") or None,
                        help="extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
                        "for a LocalCluster on this machine (default: $DELIB_CLUSTER, else this machine's "
                        "worker pool); files must be at the same path on every worker")
    add_output_options(parser)


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="pdfium",
                        help="text engine: pdfium (default, about 10x faster) or pdfplumber; both "
                        "find margin columns and paragraphs, and score the same on the samples")
    parser.add_argument("--ocr", choices=OCR_MODES, default="auto",
                        help="OCR pages without usable text (auto, the default), every page (always), or none")
    parser.add_argument("--no-entities", action="store_true",
                        help="skip the spaCy named-entity pass (faster; default: run it)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details (default: warnings only)")


def reading_options(args: argparse.Namespace):
    from pipeline.extract_options import ExtractOptions

    return ExtractOptions(engine=args.engine, ocr=args.ocr, entities=not args.no_entities)


def open_store(args: argparse.Namespace, *, create: bool = False):
    """The store `--db` names.

    A database that does not exist is an error (exit 2), unless `create` (import): a mistyped
    path must not silently become a new empty database. A database the user cannot write is
    opened read-only: searching it works, and a command that writes says it cannot.
    """
    from models.dialect import display_url
    from models.store import MissingDatabase, open_store as open_url

    url = database_url(args.db)
    shown = display_url(url)  # never a password in a message
    try:
        return open_url(url, create=create)
    except MissingDatabase as exc:
        raise errors.ConfigurationError(f"{exc} (check --db or $DELIB_DB; `delib import` creates one)") from None
    except Exception as exc:  # a bad URL, an unreadable file, a newer schema: configuration
        if not create and _cannot_write(exc):
            try:
                return open_url(url, create=False, readonly=True)
            except Exception as second:
                exc = second
        if _cannot_write(exc):
            raise errors.StorageError(f"cannot write the database {shown}: {one_line(exc)}") from None
        raise errors.ConfigurationError(f"cannot open the database {shown}: {one_line(exc)}") from None


def _cannot_write(exc: BaseException) -> bool:
    text = one_line(exc).lower()
    return isinstance(exc, PermissionError) or any(
        word in text for word in ("readonly", "read-only", "unable to open database", "permission denied",
                                  "disk is full", "disk i/o error"))


def one_line(exc: BaseException) -> str:
    """An error's own words, without SQLAlchemy's statement dump and "Background on this error" link."""
    inner = getattr(exc, "orig", None)
    text = str(inner if inner is not None else exc).strip() or type(exc).__name__
    return text.split("\n")[0].split(" [SQL:")[0].split("(Background on this error")[0].strip()


def command_line() -> str:
    return "delib " + " ".join(shlex.quote(a) for a in sys.argv[1:])
