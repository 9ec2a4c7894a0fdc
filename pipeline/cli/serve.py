"""`delib serve`: browse the database in a web browser, with Datasette."""
from __future__ import annotations

from pathlib import Path

from pipeline import errors
from pipeline.cli.options import EXIT_OK, add_db_option


def add_commands(commands) -> None:
    serve = commands.add_parser(
        "serve", help="browse the database in a web browser (Datasette)",
        description="Start Datasette over the database, with table and column descriptions from "
        "the documentation, facets and ready-made queries. Ctrl-C stops it.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    serve.add_argument("--metadata-out", type=Path, help="also write the generated Datasette metadata (JSON) here")
    add_db_option(serve)
    serve.set_defaults(run=run_serve)


def run_serve(args) -> int:
    try:
        from pipeline.publish.serve import ServeSettings, serve
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
