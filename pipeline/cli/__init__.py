"""The `delib` command: a thin layer that parses options, calls the library, prints.

One module per command group, each registering its commands on the parser built here:

    extract.py   extract                                 (PDF -> contract JSON, no database)
    imports.py   import, retry, reextract, failures, runs (the archive's batch import)
    search.py    search                                  (full-text search of the database)
    check.py     check                                   (consistency findings)
    export.py    export                                  (open data: SCDL, CSV, JSONL)
    authority.py authority set | list                    (what the export needs per authority)
    serve.py     serve                                   (Datasette)
    upgrade.py   upgrade                                 (a database made by an earlier delib)
    options.py   what they share: exit codes, --db, reading and batch options

Exit codes (cron reads them):
  0  everything asked was done
  1  some documents failed (the others were processed; see the messages / `delib failures`)
  2  usage or configuration error (bad option, unreachable database)
  3  another import is already running on this database (lock held)
  130 interrupted (Ctrl-C), 143 terminated (SIGTERM); re-running the same command resumes
A database that cannot be written (disk full, read-only) is exit 2, with one line saying so.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import warnings

from pipeline import __version__, errors
from pipeline.cli import authority, check, export, extract, imports, search, serve, upgrade
from pipeline.cli.options import EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, one_line

COMMAND_GROUPS = (extract, imports, search, check, export, authority, serve, upgrade)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()  # `delib` alone: what it can do, not a usage error
        return EXIT_OK
    args = parser.parse_args(argv)
    _quiet_libraries(verbose=getattr(args, "verbose", False), quiet=getattr(args, "quiet", False))
    previous = _terminate_like_interrupt()
    try:
        return args.run(args)
    except (errors.ConfigurationError, errors.StorageError) as exc:
        print(f"delib: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `delib extract … | head`: the reader has gone, that is fine
        sys.stderr.close()
        return EXIT_OK
    except errors.DelibError as exc:  # e.g. no extraction process can start at all
        print(f"delib: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print("delib: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, errors.Terminated) else EXIT_INTERRUPTED
    except Exception as exc:
        # The database said no (through SQLAlchemy, or a driver the search uses directly): its
        # own words, never its statement dump and link.
        if type(exc).__module__.split(".")[0] not in ("sqlalchemy", "sqlite3", "psycopg", "psycopg2"):
            raise
        print(f"delib: database error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate_like_interrupt():
    """SIGTERM (systemd, `kill`, a cron timeout) stops a run as Ctrl-C does: the run is marked
    interrupted, the workers are stopped, and the exit code is 143."""
    def handler(signum, frame):
        raise errors.Terminated()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (an embedding application): leave it alone
        return None


def _quiet_libraries(*, verbose: bool, quiet: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        # pdfminer warns about every odd file; the document's reason says what matters.
        for name in ("pdfminer", "pdfplumber", "PIL", "pypdfium2"):
            logging.getLogger(name).setLevel(logging.ERROR)
        warnings.simplefilter("ignore")
    if quiet:
        logging.getLogger().setLevel(logging.ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="delib",
        description="French local-government deliberations (PDF) into structured data and a "
        "searchable SQLite (or PostgreSQL) database.",
        epilog="Exit codes: 0 ok, 1 some documents failed, 2 usage/configuration error, "
        "3 another import is running, 130 interrupted, 143 terminated (SIGTERM).",
    )
    parser.add_argument("--version", action="version", version=f"delib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser
