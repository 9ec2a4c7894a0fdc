"""`delib upgrade`: bring a database made by an earlier delib to this delib's schema, in place.

Any command that writes does it on its own (`delib import`, `check`...); this one does only that,
for a database that is searched read-only (a published copy) or before a cron job runs.

Exit codes: 0 upgraded or already up to date; 2 no such database, a newer one, or one that cannot
be written.
"""
from __future__ import annotations

from pipeline.cli.options import EXIT_OK, add_db_option, open_store


def add_commands(commands) -> None:
    upgrade = commands.add_parser(
        "upgrade", help="upgrade a database made by an earlier delib to this delib's schema",
        description="Run the schema migrations a database made by an earlier delib needs, in place "
        "and in one transaction: no row is lost, new columns start empty (`delib reextract --all` "
        "fills them). Commands that write upgrade the database on their own; a database opened "
        "read-only is refused until it is upgraded. See docs/schema.md, 'Upgrading and migrations'.",
        epilog="Exit codes: 0 upgraded or already up to date; 2 no such database, one made by a newer "
        "delib, or one that cannot be written.",
    )
    add_db_option(upgrade)
    upgrade.set_defaults(run=run_upgrade)


def run_upgrade(args) -> int:
    from models.schema import SCHEMA_VERSION

    with open_store(args) as store:  # opening for writing is what upgrades
        before = store.upgraded_from
    if before is None:
        print(f"the database is at schema {SCHEMA_VERSION}, up to date")
    elif before == SCHEMA_VERSION:  # made before the migrations: now it records its revision
        print(f"the database is at schema {SCHEMA_VERSION}; its migrations are recorded from now on")
    else:
        print(f"upgraded the database from schema {before} to {SCHEMA_VERSION}")
    return EXIT_OK
