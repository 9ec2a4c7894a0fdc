"""`delib export`: open data, the SCDL délibérations CSV or the main tables as CSV/JSONL.

Exit codes: 0 written, 2 usage or configuration error.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option, open_store


def add_commands(commands) -> None:
    export = commands.add_parser(
        "export", help="write open data: the SCDL délibérations CSV, or the main tables as CSV/JSONL",
        description="--format scdl writes the SCDL 'délibérations' table (v2.1.5) for an open-data "
        "portal; fields the documents do not state come from --config and are left empty otherwise. "
        "--format csv|jsonl writes one file per main table into a folder, or one table to standard "
        "output (`--table deliberations`, or `-o -`), as sqlite-utils does. See docs/export.md.",
        epilog="Exit codes: 0 written, 2 usage or configuration error.",
    )
    export.add_argument("--format", choices=("scdl", "csv", "jsonl"), default="scdl",
                        help="scdl (the open-data table), csv or jsonl (plain tables) (default scdl)")
    export.add_argument("-o", "--output", type=Path,
                        help="scdl: the CSV file (default: standard output); csv/jsonl: a folder "
                        "(default ./export; with a single --table: standard output); '-': standard output")
    export.add_argument("--config", type=Path,
                        help="per-authority settings, TOML or JSON (docs/export.md) (default: none)")
    export.add_argument("--authority", metavar="NAME",
                        help="scdl: only this authority's deliberations (its name as read, case aside) "
                        "(default: every authority)")
    export.add_argument("--table", action="append", dest="tables", metavar="TABLE",
                        help="csv/jsonl: export this table only (repeatable) (default: every main table)")
    add_db_option(export)
    export.set_defaults(run=run_export)


def run_export(args) -> int:
    from pipeline.publish.export import (
        ExportConfig, export_scdl, export_table, export_tables, load_config, scdl_gaps, table_names, validate_scdl,
    )

    if args.authority and args.format != "scdl":
        raise errors.ConfigurationError("--authority applies to --format scdl only")
    config = load_config(args.config) if args.config else ExportConfig()
    with open_store(args) as store:
        if args.format == "scdl":
            if args.tables:
                raise errors.ConfigurationError("--table applies to --format csv or jsonl only")
            for gap in scdl_gaps(store, config, authority=args.authority):
                print(f"delib: missing: {gap}", file=sys.stderr)
            target = args.output if args.output else sys.stdout
            written = export_scdl(store, target, config=config, authority=args.authority)
            print(f"Wrote {written} deliberation(s) in SCDL format"
                  + (f" to {args.output}." if args.output else "."), file=sys.stderr)
            if args.output:
                _report_validation(validate_scdl(args.output))
        elif args.output == Path("-") or (args.output is None and args.tables and len(args.tables) == 1):
            if not args.tables or len(args.tables) != 1:
                raise errors.ConfigurationError("standard output takes one table: add --table NAME")
            [name] = table_names(store, args.tables)
            export_table(store, name, sys.stdout, fmt=args.format)
        else:
            out_dir = args.output or Path("export")
            counts = export_tables(store, out_dir, fmt=args.format, tables=args.tables)
            listing = ", ".join(f"{table} {rows}" for table, rows in counts.items())
            print(f"Wrote {len(counts)} table(s) to {out_dir}/ ({listing}).", file=sys.stderr)
    return EXIT_OK


def _report_validation(result) -> None:
    if result is None:
        print("Not validated: frictionless is not installed (pip install frictionless==5.21.0).", file=sys.stderr)
    elif result.valid:
        print("Validated with frictionless against the SCDL schema 2.1.5: valid.", file=sys.stderr)
    else:
        listing = ", ".join(f"{name} {count}" for name, count in result.errors_by_field.items())
        print(f"Validated with frictionless against the SCDL schema 2.1.5: NOT valid, "
              f"{sum(result.errors_by_field.values())} error(s) by field: {listing}.", file=sys.stderr)
