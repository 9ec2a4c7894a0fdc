"""The `findings` table: storing and reading what the consistency checks say of each deliberation.

    count = replace_all(store, check)      # every finding recomputed by `check`, in one transaction
    summary(store)                         # [RuleCount('error', 'dates_order', 3), ...]
    to_review(store, severity='error')     # the doubtful deliberations first

Findings are derived data: `replace_all` deletes and rewrites them all, and they go with their
deliberation (ON DELETE CASCADE) when a document is re-extracted. This module computes nothing:
the rules live in `extractors.checks` and `pipeline.checks` passes them in; here deliberations
are read back into records and what the rules return is stored.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, func, insert, select

from models import dialect, records
from models.records import SEVERITIES
from models.schema import Attendance, BudgetArticle, Deliberation, DocumentPath, FindingRow
from models.store import Store

_BATCH = 500  # deliberations read per query: bounded memory on a large archive


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
    with dialect.write_transaction(store.engine) as conn:
        FindingRow.__table__.create(conn, checkfirst=True)
        conn.execute(delete(FindingRow))
        stored = 0
        for delib_id, record in _records(conn):
            rows = [{"deliberation_id": delib_id, "rule": f.rule, "message": f.message, "severity": f.severity}
                    for f in findings_of(record)]
            if rows:
                conn.execute(insert(FindingRow), rows)
                stored += len(rows)
    return stored


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
    rank = func.instr("error warning info", FindingRow.severity)
    query = (
        select(FindingRow.deliberation_id, Deliberation.authority, Deliberation.number, Deliberation.session_date,
               Deliberation.pages, path, FindingRow.rule, FindingRow.severity, FindingRow.message)
        .join(Deliberation, Deliberation.id == FindingRow.deliberation_id)
        .order_by(rank, Deliberation.authority, Deliberation.session_date, FindingRow.id)
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

def _records(conn: Connection) -> Iterator[tuple[int, records.Deliberation]]:
    last = 0
    while True:
        rows = conn.execute(
            select(Deliberation).where(Deliberation.id > last).order_by(Deliberation.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        people = _attendance(conn, ids)
        codes = _budget(conn, ids)
        for row in rows:
            yield row.id, _record(row, people.get(row.id, ()), codes.get(row.id, ()))
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


__all__ = ["FindingRow", "FindingView", "RuleCount", "ensure_table", "replace_all", "summary", "to_review"]
