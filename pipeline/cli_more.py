"""Commands for archivists and publishers: check, export, serve.

Registered by `pipeline.cli` like `pipeline.cli_db`. Exit codes: 0 done (`check` exits 0 whatever
it finds: findings are information, not failures), 2 usage or configuration error.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline import errors
from pipeline.cli_db import EXIT_OK, _add_db_option, _open


def add_commands(commands) -> None:
    check = commands.add_parser(
        "check", help="check every deliberation against the law and arithmetic; store the findings",
        description="Recompute the findings table (counts against lists, vote arithmetic, quorum, "
        "proxies, dates in order, budget codes) and list what to review first. See docs/findings.md.",
        epilog="Exit codes: 0 done, whatever was found (findings are information); 2 usage error.",
    )
    check.add_argument("--severity", choices=("error", "warning", "info"), help="list only this severity")
    check.add_argument("--rule", help="list only this rule, e.g. quorum")
    check.add_argument("--limit", type=int, default=20, help="findings to list (default 20; 0: summary only)")
    check.add_argument("-q", "--quiet", action="store_true", help="store the findings, print nothing")
    _add_db_option(check)
    check.set_defaults(run=run_check)

    export = commands.add_parser(
        "export", help="write open data: the SCDL délibérations CSV, or the main tables as CSV/JSONL",
        description="--format scdl writes the SCDL 'délibérations' table (v2.1.5) for an open-data "
        "portal; fields the documents do not state come from --config and are left empty otherwise. "
        "--format csv|jsonl writes one file per main table into a folder. See docs/export.md.",
        epilog="Exit codes: 0 written, 2 usage or configuration error.",
    )
    export.add_argument("--format", choices=("scdl", "csv", "jsonl"), default="scdl")
    export.add_argument("-o", "--output", type=Path,
                        help="scdl: the CSV file (default: standard output); csv/jsonl: a folder (default ./export)")
    export.add_argument("--config", type=Path, help="per-authority settings, TOML or JSON (docs/export.md)")
    export.add_argument("--table", action="append", dest="tables", metavar="TABLE",
                        help="csv/jsonl: export this table only (repeatable)")
    _add_db_option(export)
    export.set_defaults(run=run_export)

    serve = commands.add_parser(
        "serve", help="browse the database in a web browser (Datasette)",
        description="Start Datasette over the database, with table and column descriptions from "
        "the documentation, facets and ready-made queries. Ctrl-C stops it.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    serve.add_argument("--metadata-out", type=Path, help="also write the generated Datasette metadata (JSON) here")
    _add_db_option(serve)
    serve.set_defaults(run=run_serve)


def run_check(args) -> int:
    from models.findings import run_checks, summary, to_review

    if args.limit < 0:
        raise errors.ConfigurationError("--limit must be 0 or more")
    with _open(args) as store:
        total = run_checks(store)
        counts = summary(store)
        listed = to_review(store, severity=args.severity, rule=args.rule, limit=args.limit) if args.limit else []
    if args.quiet:
        return EXIT_OK
    print(f"{total} finding(s).")
    for row in counts:
        print(f"  {row.severity:<8} {row.rule:<20} {row.count}")
    for f in listed:
        day = f.session_date.isoformat() if f.session_date else "????-??-??"
        print(f"{f.severity.upper():<8} {day}  {f.authority or '—'}  n° {f.number or '—'}  [{f.rule}]")
        print(f"    {f.message}")
        print(f"    {f.path or '(no current file)'}, page(s) {f.pages}")
    return EXIT_OK


def run_export(args) -> int:
    from pipeline.export import ExportConfig, export_scdl, export_tables, load_config

    config = load_config(args.config) if args.config else ExportConfig()
    with _open(args) as store:
        if args.format == "scdl":
            if args.tables:
                raise errors.ConfigurationError("--table applies to --format csv or jsonl only")
            target = args.output if args.output else sys.stdout
            written = export_scdl(store, target, config=config)
            print(f"Wrote {written} deliberation(s) in SCDL format"
                  + (f" to {args.output}." if args.output else "."), file=sys.stderr)
        else:
            out_dir = args.output or Path("export")
            counts = export_tables(store, out_dir, fmt=args.format, tables=args.tables)
            listing = ", ".join(f"{table} {rows}" for table, rows in counts.items())
            print(f"Wrote {len(counts)} table(s) to {out_dir}/ ({listing}).", file=sys.stderr)
    return EXIT_OK


def run_serve(args) -> int:
    try:
        from pipeline.serve import ServeSettings, serve
    except ModuleNotFoundError as exc:
        if exc.name != "datasette":
            raise
        raise errors.ConfigurationError(
            "`delib serve` needs Datasette: pip install 'delib[serve]' (or ./scripts/setup.sh)"
        ) from None
    from pipeline.settings import database_url

    settings = ServeSettings(url=database_url(args.db), host=args.host, port=args.port,
                             metadata_out=args.metadata_out)
    serve(settings)
    return EXIT_OK
