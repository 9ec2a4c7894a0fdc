"""`delib extract`: what PDFs say, as contract JSON, one object per document; no database."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline import errors
from pipeline.cli.options import EXIT_FAILURES, EXIT_OK, add_reading_options, reading_options


def add_commands(commands) -> None:
    extract = commands.add_parser(
        "extract", help="print what PDFs say, as JSON (one object per document)",
        description="Read deliberation PDFs and print one JSON object per document, following "
        "the extraction contract (pipeline/schema/extraction.schema.json).",
    )
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--jsonl", action="store_true", help="one object per line (default: indented)")
    add_reading_options(extract)
    extract.set_defaults(run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from pipeline.api import extract_document
    from pipeline.publish.serialize import extraction_to_json

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
