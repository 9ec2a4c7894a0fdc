"""The `delib` command: a thin layer that parses options, calls the library, prints.

Exit codes (cron reads them):
  0  everything asked was done
  1  some documents failed (the others were processed; see the messages / `delib failures`)
  2  usage or configuration error (bad option, unreachable database)
  3  another import is already running on this database (lock held)
  130 interrupted (Ctrl-C); re-running the same command resumes
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pipeline import __version__, errors
from pipeline.api import ExtractOptions, extract_document
from pipeline.serialize import extraction_to_json
from pipeline.text import ENGINES, OCR_MODES

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

log = logging.getLogger("delib")


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

    extract = commands.add_parser(
        "extract", help="print what PDFs say, as JSON (one object per document)",
        description="Read deliberation PDFs and print one JSON object per document, following "
        "the extraction contract (pipeline/schema/extraction.schema.json).",
    )
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--jsonl", action="store_true", help="one object per line (default: indented)")
    add_reading_options(extract)
    extract.set_defaults(run=run_extract)

    from pipeline import cli_db, cli_more  # the other commands live beside, to keep this file short

    cli_db.add_commands(commands)
    cli_more.add_commands(commands)
    return parser


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="pdfium",
                        help="text engine: pdfium (default, about 10x faster) or pdfplumber; both "
                        "find margin columns and paragraphs, and score the same on the samples")
    parser.add_argument("--ocr", choices=OCR_MODES, default="auto",
                        help="OCR pages without usable text (auto), every page (always), or none")
    parser.add_argument("--no-entities", action="store_true",
                        help="skip the spaCy named-entity pass (faster)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details")


def reading_options(args: argparse.Namespace) -> ExtractOptions:
    return ExtractOptions(engine=args.engine, ocr=args.ocr, entities=not args.no_entities)


def run_extract(args: argparse.Namespace) -> int:
    options = reading_options(args)
    failed = 0
    for path in args.files:
        try:
            extraction = extract_document(path, options)
        except errors.DocumentError as exc:
            failed += 1
            print(f"delib: {path}: {exc.reason}", file=sys.stderr)
            continue
        except OSError as exc:
            failed += 1
            print(f"delib: {path}: cannot read the file ({exc.strerror or exc})", file=sys.stderr)
            continue
        payload = extraction_to_json(extraction)
        if args.jsonl:
            print(json.dumps(payload, ensure_ascii=False), flush=True)
        else:
            print(json.dumps(payload, ensure_ascii=False, indent=2), flush=True)
    return EXIT_FAILURES if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
