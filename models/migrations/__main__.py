"""Developer commands over delib's migrations (users never need them: delib upgrades on its own).

    python -m models.migrations revision -m "amounts: a vat column" --autogenerate
    python -m models.migrations check       # do the migrations build what models/schema.py declares?
    python -m models.migrations history

`revision` numbers the new revision after the head (0003 after 0002) and, with --autogenerate,
writes the operations that take a database built by the migrations to models/schema.py; read
them, then set SCHEMA_VERSION in models/schema.py to the new number.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine

from models import migrations


@contextmanager
def _head_database() -> Iterator[Connection]:
    """A scratch SQLite database built by every revision: what autogenerate compares with."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migrations.config()).get_current_head()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'head.db'}")
        try:
            with engine.begin() as conn:
                migrations.upgrade(conn, head or "head")
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    from alembic import command
    from alembic.script import ScriptDirectory

    parser = argparse.ArgumentParser(prog="python -m models.migrations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", required=True)
    revision = actions.add_parser("revision", help="write a new revision after the head")
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")
    revision.add_argument("--autogenerate", action="store_true",
                          help="fill it with what models/schema.py has that the migrations do not build")
    actions.add_parser("check", help="exit 1 if the migrations do not build what models/schema.py declares")
    actions.add_parser("history", help="list the revisions")
    args = parser.parse_args(argv)

    scripts = ScriptDirectory.from_config(migrations.config())
    if args.action == "history":
        for script in scripts.walk_revisions():
            print(f"{script.revision}  {script.doc}")
        return 0
    with _head_database() as conn:
        if args.action == "check":
            found = migrations.differences(conn)
            for difference in found:
                print(difference)
            print("the migrations build models/schema.py" if not found else
                  f"{len(found)} difference(s): add a revision (revision --autogenerate)")
            return 1 if found else 0
        number = int(scripts.get_current_head() or "0") + 1
        written = command.revision(migrations.config(conn), message=args.message,
                                   autogenerate=args.autogenerate, rev_id=f"{number:04d}")
    for script in written if isinstance(written, list) else [written]:
        print(f"wrote {script.path}")
    print(f'now read it, set SCHEMA_VERSION = "{number}" in models/schema.py, describe the change in '
          "docs/schema.md, and run tests/test_migrations.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
