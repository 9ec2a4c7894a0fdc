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

# Kept in step with pipeline.read.pdf.ENGINES / OCR_MODES (a test checks): read here as plain
# tuples so that building the parser does not import the PDF engines.
ENGINES = ("pdfplumber", "pdfium")
OCR_MODES = ("auto", "always", "never")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database URL or SQLite file (default: $DELIB_DB, else ./deliberations.db)")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, no summary; errors only")
    parser.add_argument("--log", type=Path, help="append a line per failure and a summary to this file")


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="extraction processes (default: the CPU count)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per document before it is stopped (default 120)")
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
                        help="OCR pages without usable text (auto), every page (always), or none")
    parser.add_argument("--no-entities", action="store_true",
                        help="skip the spaCy named-entity pass (faster)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details")


def reading_options(args: argparse.Namespace):
    from pipeline.api import ExtractOptions

    return ExtractOptions(engine=args.engine, ocr=args.ocr, entities=not args.no_entities)


def open_store(args: argparse.Namespace):
    """The store `--db` names; a database that cannot be opened is a configuration error."""
    from models.store import open_store as open_url

    url = database_url(args.db)
    try:
        return open_url(url)
    except Exception as exc:  # a bad URL, an unreadable file, a newer schema: configuration
        raise errors.ConfigurationError(f"cannot open the database {url}: {exc}") from exc


def command_line() -> str:
    return "delib " + " ".join(shlex.quote(a) for a in sys.argv[1:])
