"""The `findings` table: storing and reading what the consistency checks say of each deliberation.

    done = update(store, check, version)   # only deliberations not checked yet (all when version changed)
    count = replace_all(store, check)      # every finding recomputed by `check`, in one transaction
    summary(store)                         # [RuleCount('error', 'dates_order', 3), ...]
    to_review(store, severity='error')     # the doubtful deliberations first

Findings are derived data: they go with their deliberation (ON DELETE CASCADE) when a document is
re-extracted, and so does the deliberation's row in `checked_deliberations`; `update` therefore
reads only the deliberations without such a row (imported or re-extracted since the last run),
and everything again when the rules' `version` differs from the one stored in `schema_info`.
This module computes nothing:
the rules live in `extractors.checks` and `pipeline.checks` passes them in; here deliberations
are read back into records and what the rules return is stored.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, case, delete, exists, func, insert, inspect, select

from models import dialect, records
from models.records import SEVERITIES
from models.schema import Attendance, BudgetArticle, CheckedDeliberation, Deliberation, DocumentPath
from models.schema import FindingRow, SchemaInfo
from models.store import Store

_BATCH = 2000  # deliberations read per query: bounded memory on a large archive
_VERSION_KEY = "checks_version"


@dataclass(frozen=True, slots=True)
class CheckRun:
    checked: int  # deliberations read and checked by this run
    total: int  # findings in the table afterwards
    everything: bool  # True when every deliberation was checked (first run, new rules, --all)


@dataclass(frozen=True, slots=True)
class RuleCount:
    severity: str
    rule: str
    count: int


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding with what a reviewer needs to open the document."""

    deliberation_id: int
    authority: str | None
    number: str | None
    session_date: date | None
    pages: str
    path: str | None
    rule: str
    severity: str
    message: str


def ensure_table(store: Store) -> None:
    """Create `findings` in a database made before this table existed (a no-op otherwise)."""
    with dialect.write_transaction(store.engine) as conn:
        FindingRow.__table__.create(conn, checkfirst=True)


def replace_all(store: Store, findings_of: Callable[[records.Deliberation], Iterable[records.Finding]]) -> int:
    """Replace every finding by what `findings_of` says of each deliberation, in one transaction;
    returns how many were stored."""
    return update(store, findings_of, version=None, everything=True).total


def update(store: Store, findings_of: Callable[[records.Deliberation], Iterable[records.Finding]],
           version: str | None, *, everything: bool = False) -> CheckRun:
    """Check the deliberations not checked yet, in one transaction; all of them when `everything`,
    on the first run, or when the rules' `version` is not the one the stored findings came from."""
    with dialect.write_transaction(store.engine) as conn:
        fresh = not inspect(conn).has_table(FindingRow.__tablename__)
        FindingRow.__table__.create(conn, checkfirst=True)
        CheckedDeliberation.__table__.create(conn, checkfirst=True)
        stored = conn.scalar(select(SchemaInfo.value).where(SchemaInfo.key == _VERSION_KEY))
        everything = everything or fresh or version is None or stored != version
        if everything:
            conn.execute(delete(FindingRow))
            conn.execute(delete(CheckedDeliberation))
            conn.execute(delete(SchemaInfo).where(SchemaInfo.key == _VERSION_KEY))
            if version is not None:
                conn.execute(insert(SchemaInfo).values(key=_VERSION_KEY, value=version))
        checked = 0
        for batch in _unchecked(conn):
            rows = [{"deliberation_id": delib_id, "rule": f.rule, "message": f.message, "severity": f.severity}
                    for delib_id, record in batch for f in findings_of(record)]
            if rows:
                conn.execute(insert(FindingRow), rows)
            conn.execute(insert(CheckedDeliberation), [{"deliberation_id": delib_id} for delib_id, _ in batch])
            checked += len(batch)
        total = conn.scalar(select(func.count()).select_from(FindingRow)) or 0
    return CheckRun(checked, total, everything)


def summary(store: Store) -> list[RuleCount]:
    """Findings per severity and rule, errors first."""
    ensure_table(store)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(FindingRow.severity, FindingRow.rule, func.count()).group_by(FindingRow.severity, FindingRow.rule)
        ).all()
    return sorted((RuleCount(*row) for row in rows), key=lambda r: (order.get(r.severity, 9), -r.count, r.rule))


def to_review(store: Store, severity: str | None = None, rule: str | None = None, limit: int = 50) -> list[FindingView]:
    """Findings to review, errors first, then by authority and date."""
    ensure_table(store)
    path = (
        select(func.min(DocumentPath.path)).where(DocumentPath.document_id == Deliberation.document_id,
                                                  DocumentPath.is_current.is_(True))
        .correlate(Deliberation).scalar_subquery()
    )
    rank = case((FindingRow.severity == "error", 1), (FindingRow.severity == "warning", 2), else_=3)
    query = (
        select(FindingRow.deliberation_id, Deliberation.authority, Deliberation.number, Deliberation.session_date,
               Deliberation.pages, path, FindingRow.rule, FindingRow.severity, FindingRow.message)
        .join(Deliberation, Deliberation.id == FindingRow.deliberation_id)
        # NULL first, as SQLite sorts it, on PostgreSQL too.
        .order_by(rank, Deliberation.authority.nulls_first(), Deliberation.session_date.nulls_first(), FindingRow.id)
        .limit(limit)
    )
    if severity:
        query = query.where(FindingRow.severity == severity)
    if rule:
        query = query.where(FindingRow.rule == rule)
    with store.engine.connect() as conn:
        return [FindingView(*row) for row in conn.execute(query)]


# -- reading deliberations back into records --------------------------------------------------
# Only what the rules read: counts, vote, dates, attendance, budget codes and the text.

_READ = [getattr(Deliberation, c) for c in (
    "id", "pages", "authority", "body", "number", "title", "session_date", "session_time", "convocation_date",
    "transmission_date", "publication_date", "in_office", "present", "represented", "voters", "unanimous",
    "votes_for", "votes_against", "abstentions", "not_voting", "text")]


def _unchecked(conn: Connection) -> Iterator[list[tuple[int, records.Deliberation]]]:
    """Batches of (id, record) of the deliberations without a `checked_deliberations` row."""
    last = 0
    done = exists().where(CheckedDeliberation.deliberation_id == Deliberation.id)
    while True:
        rows = conn.execute(
            select(*_READ).where(Deliberation.id > last, ~done).order_by(Deliberation.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        people = _attendance(conn, ids)
        codes = _budget(conn, ids)
        yield [(row.id, _record(row, people.get(row.id, ()), codes.get(row.id, ()))) for row in rows]
        last = ids[-1]


def _attendance(conn: Connection, ids: Sequence[int]) -> dict[int, list[records.Person]]:
    out: dict[int, list[records.Person]] = defaultdict(list)
    for a in conn.execute(select(Attendance).where(Attendance.deliberation_id.in_(ids)).order_by(Attendance.id)):
        out[a.deliberation_id].append(records.Person(
            name=a.name, status=a.status, civility=a.civility, substitute_for=a.substitute_for,
            proxy_to=a.proxy_to, page=a.page))
    return out


def _budget(conn: Connection, ids: Sequence[int]) -> dict[int, list[records.BudgetArticle]]:
    out: dict[int, list[records.BudgetArticle]] = defaultdict(list)
    for b in conn.execute(select(BudgetArticle).where(BudgetArticle.deliberation_id.in_(ids)).order_by(BudgetArticle.id)):
        out[b.deliberation_id].append(records.BudgetArticle(code=b.code, label=b.label, page=b.page))
    return out


def _record(row, people: Sequence[records.Person], codes: Sequence[records.BudgetArticle]) -> records.Deliberation:
    pages = tuple(int(p) for p in (row.pages or "").split(",") if p.strip().isdigit())
    return records.Deliberation(
        pages=pages, authority=row.authority, body=row.body, number=row.number, title=row.title,
        session_date=row.session_date, session_time=row.session_time, convocation_date=row.convocation_date,
        transmission_date=row.transmission_date, publication_date=row.publication_date,
        counts=records.Counts(in_office=row.in_office, present=row.present, represented=row.represented,
                              voters=row.voters),
        attendance=tuple(people),
        vote=records.Vote(unanimous=row.unanimous, for_=row.votes_for, against=row.votes_against,
                          abstentions=row.abstentions, not_voting=row.not_voting),
        budget_articles=tuple(codes), text=row.text or "",
    )


__all__ = ["CheckRun", "FindingRow", "FindingView", "RuleCount", "ensure_table", "replace_all", "summary", "to_review", "update"]
