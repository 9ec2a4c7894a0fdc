"""The `delib` command: a thin layer that parses options, calls the library, prints.

One module per command group, each registering its commands on the parser built here:

    extract.py   extract                                 (PDF -> contract JSON, no database)
    imports.py   import, retry, reextract, failures, runs (the archive's batch import)
    search.py    search                                  (full-text search of the database)
    check.py     check                                   (consistency findings)
    export.py    export                                  (open data: SCDL, CSV, JSONL)
    serve.py     serve                                   (Datasette)
    options.py   what they share: exit codes, --db, reading and batch options

Exit codes (cron reads them):
  0  everything asked was done
  1  some documents failed (the others were processed; see the messages / `delib failures`)
  2  usage or configuration error (bad option, unreachable database)
  3  another import is already running on this database (lock held)
  130 interrupted (Ctrl-C); re-running the same command resumes
"""
from __future__ import annotations

import argparse
import logging
import sys

from pipeline import __version__, errors
from pipeline.cli import check, export, extract, imports, search, serve
from pipeline.cli.options import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

COMMAND_GROUPS = (extract, imports, search, check, export, serve)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.run(args)
    except errors.ConfigurationError as exc:
        print(f"delib: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `delib extract … | head`: the reader has gone, that is fine
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("delib: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="delib",
        description="French local-government deliberations (PDF) into structured data and a "
        "searchable SQLite database.",
        epilog="Exit codes: 0 ok, 1 some documents failed, 2 usage/configuration error, "
        "3 another import is running, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"delib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser
