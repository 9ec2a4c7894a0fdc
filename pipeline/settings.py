"""Where the database is: `--db`, else $DELIB_DB, else ./deliberations.db."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE = "deliberations.db"
MEGABYTE = 1 << 20


def database_url(option: str | None) -> str:
    """A SQLAlchemy URL: one given as such ('postgresql://user@host/dbname', 'sqlite:///x.db'),
    else the SQLite file of that name. (models.dialect.engine_url picks the driver.)"""
    value = option or os.environ.get("DELIB_DB") or DEFAULT_DATABASE
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def lock_path(url: str) -> Path:
    """A lock file beside a SQLite database (a PostgreSQL database is locked on the server:
    see pipeline.batch.importer.import_lock).

    Named after the database's resolved path (symbolic links followed, `..` removed), so that
    `--db link.db` and `--db ./real.db` take the same lock when they are the same file.
    """
    if url.startswith("sqlite:///"):
        database = Path(url[len("sqlite:///"):]).expanduser().resolve()
        return database.with_name(database.name + ".lock")
    return Path(".delib-import.lock")


def default_max_memory(workers: int) -> int:
    """Megabytes each extraction process may map: half the machine's memory shared by the
    workers, between 1 GB (the spaCy model and a page of pdfium need about 600 MB of address
    space) and 4 GB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MEGABYTE
    except (ValueError, OSError):
        return 2048
    return max(1024, min(4096, total // 2 // max(1, workers)))
