"""`delib serve`: browse the database in a web browser, with Datasette."""
from __future__ import annotations

import argparse
from pathlib import Path

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option


def add_commands(commands) -> None:
    # -h is the host, as in `datasette serve`: help is --help only.
    serve = commands.add_parser(
        "serve", help="browse the database in a web browser (Datasette)", add_help=False,
        description="Start Datasette over the database: a home page over the deliberations (search, "
        "facets), a page per deliberation beside its PDF pages with each value boxed where it was read, "
        "the séances, charts, table and column descriptions and ready-made queries. Prints the address; "
        "Ctrl-C stops it. A database this user cannot write is served read-only.",
    )
    serve.add_argument("--help", action="help", help="show this help and exit")
    serve.add_argument("-h", "--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)")
    serve.add_argument("-p", "--port", type=int, default=8001, help="port (default 8001)")
    serve.add_argument("-o", "--open", dest="open_browser", action="store_true",
                       help="open the home page in the default web browser (default: do not)")
    serve.add_argument("--read-only", action="store_true",
                       help="never write the database, not even to bring its schema up to date (default: "
                       "read-only only when this user cannot write it)")
    serve.add_argument("--metadata-out", type=Path,
                       help="also write the generated Datasette metadata (JSON) here (default: not written)")
    add_db_option(serve)
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from models.dialect import display_url, is_postgresql_url
    from pipeline.settings import database_url

    url = database_url(args.db)
    if is_postgresql_url(url):  # Datasette reads SQLite files only
        raise errors.ConfigurationError(
            f"`delib serve` works on a SQLite database file only (Datasette), not on {display_url(url)}; "
            "search a PostgreSQL archive with `delib search`, or serve a SQLite copy (`delib import --db FILE`)")
    try:
        from pipeline.publish.serve import ServeSettings, serve
    except ModuleNotFoundError as exc:
        if exc.name not in ("datasette", "datasette_dashboards"):
            raise
        raise errors.ConfigurationError(
            "`delib serve` needs Datasette: pip install 'delib[serve]' (or ./scripts/setup.sh)"
        ) from None
    settings = ServeSettings(url=url, host=args.host, port=args.port,
                             metadata_out=args.metadata_out, open_browser=args.open_browser,
                             read_only=args.read_only)
    serve(settings)
    return EXIT_OK
