"""Questions about past import runs: what failed, and what is still failing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select, update

from models import dialect
from models.schema import DocumentPath, ImportFailure, ImportRun
from models.store import Store


@dataclass(frozen=True, slots=True)
class FailureRow:
    run_id: int | None
    path: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    command: str
    files_seen: int
    imported: int
    skipped: int
    failed: int
    status: str


def last_run(store: Store) -> RunRow | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(ImportRun).order_by(ImportRun.id.desc()).limit(1)).first()
    return _run(row) if row else None


def recent_runs(store: Store, limit: int = 20) -> list[RunRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)).all()
    return [_run(r) for r in rows]


def failures(store: Store, run_id: int | None = None) -> list[FailureRow]:
    """Failures of one run (default: the last run that had any)."""
    with store.engine.connect() as conn:
        if run_id is None:
            run_id = conn.scalar(select(func.max(ImportFailure.run_id)))
        rows = conn.execute(
            select(ImportFailure.run_id, ImportFailure.path, ImportFailure.reason, ImportFailure.at)
            .where(ImportFailure.run_id == run_id)
            .order_by(ImportFailure.id)
        ).all()
    return [FailureRow(*row) for row in rows]


def unresolved_paths(store: Store) -> list[str]:
    """Paths that failed at some point and have not been imported since."""
    with store.engine.connect() as conn:
        imported = exists().where(and_(DocumentPath.path == ImportFailure.path, DocumentPath.last_seen >= ImportFailure.at))
        rows = conn.execute(
            select(ImportFailure.path).where(~imported).group_by(ImportFailure.path).order_by(ImportFailure.path)
        ).all()
    return [row[0] for row in rows]


def still_failing(store: Store) -> dict[str, tuple[datetime, str]]:
    """Path -> (time, reason) of its last failure, for paths not imported since it failed.

    A plain `import` does not read such a file again while it is unchanged: cron would fail
    on it, and mail about it, every night; `delib retry` is how to try again.
    """
    with store.engine.connect() as conn:
        imported = exists().where(and_(DocumentPath.path == ImportFailure.path, DocumentPath.last_seen >= ImportFailure.at))
        last = (select(ImportFailure.path, func.max(ImportFailure.id).label("id"))
                .where(~imported).group_by(ImportFailure.path).subquery())
        rows = conn.execute(
            select(ImportFailure.path, ImportFailure.at, ImportFailure.reason)
            .join(last, last.c.id == ImportFailure.id)
        ).all()
    return {path: (at, reason) for path, at, reason in rows}


def interrupt_stale_runs(store: Store) -> int:
    """Mark as interrupted the runs still "running": called under the import lock, so whatever
    process ran them is dead (kill -9, a power cut). Returns how many there were."""
    with dialect.write_transaction(store.engine) as conn:
        return conn.execute(
            update(ImportRun).where(ImportRun.status == "running").values(status="interrupted")
        ).rowcount or 0


def _run(row) -> RunRow:
    columns = row._mapping
    return RunRow(**{name: columns[name] for name in RunRow.__dataclass_fields__})
