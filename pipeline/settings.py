"""Where the database is: `--db`, else $DELIB_DB, else ./deliberations.db."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE = "deliberations.db"


def database_url(option: str | None) -> str:
    value = option or os.environ.get("DELIB_DB") or DEFAULT_DATABASE
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def lock_path(url: str) -> Path:
    """A lock file beside a SQLite database; in the working folder for a server database."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):] + ".lock")
    return Path(".delib-import.lock")
