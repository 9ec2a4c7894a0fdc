"""`delib extract`: what PDFs say, as contract JSON, one object per document; no database.

Each file is read in a worker process under the same time and memory limits as an import, so a
hostile file fails alone with one line on stderr and the others are still printed, in order.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.cli.options import (
    EXIT_FAILURES, EXIT_OK, add_limit_options, add_reading_options, max_memory, reading_options,
)


def add_commands(commands) -> None:
    extract = commands.add_parser(
        "extract", help="print what PDFs say, as JSON (one object per document)",
        description="Read deliberation PDFs and print one JSON object per document, following "
        "the extraction contract (pipeline/schema/extraction.schema.json). A file that cannot be "
        "read gets one line on stderr; the others are printed.",
        epilog="Exit codes: 0 every file read, 1 some files failed, 2 usage error.",
    )
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--jsonl", action="store_true", help="one object per line (default: indented)")
    add_limit_options(extract, workers_default=1)
    add_reading_options(extract)
    extract.set_defaults(run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from pipeline.batch.files import display_path
    from pipeline.batch.workers import Job, WorkerPool
    from pipeline.publish.serialize import extraction_to_json

    memory = max_memory(args)
    jobs = [Job(index, path) for index, path in enumerate(args.files)]
    results: dict[int, object] = {}
    failed = 0
    printed = 0
    with WorkerPool(min(args.workers, len(jobs)), reading_options(args), timeout=args.timeout,
                    max_memory=memory, recycle_after=200) as pool:
        for done in pool.run(iter(jobs)):
            results[done.job.key] = done
            # In the order given, each as soon as it and those before it are done.
            while printed in results:
                finished = results.pop(printed)
                printed += 1
                if finished.extraction is None:
                    failed += 1
                    print(f"delib: {display_path(finished.job.path)}: {finished.error}", file=sys.stderr)
                    continue
                payload = extraction_to_json(finished.extraction)
                if args.jsonl:
                    print(json.dumps(payload, ensure_ascii=False), flush=True)
                else:
                    print(json.dumps(payload, ensure_ascii=False, indent=2), flush=True)
    return EXIT_FAILURES if failed else EXIT_OK
