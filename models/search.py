"""Full-text search over deliberations, with the filters analysts ask for.

Whatever a person types is safe: `dialect.fts_query` quotes every token, so `NOT`, `OR`,
`NEAR`, `*`, `-`, `:`, parentheses and unbalanced quotes are plain words, never FTS5 syntax.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Float, Select, String, exists, func, literal, or_, select

from models import dialect
from models.schema import Amount, Attendance, BudgetArticle, Deliberation, DocumentPath, Person
from models.store import Store, normalize_name


@dataclass(frozen=True, slots=True)
class SearchHit:
    deliberation_id: int
    rank: float  # FTS5 bm25: lower (more negative) is more relevant; 0.0 when no words were given
    snippet: str  # matched words between « and », elisions as …
    session_date: date | None
    authority: str | None
    number: str | None
    title: str | None
    path: str | None  # a current path of its document (the smallest, when there are several)


def search(
    store: Store,
    query: str,
    *,
    authority: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    article: str | None = None,
    person: str | None = None,
    min_amount: Decimal | int | str | None = None,
    limit: int = 20,
    include_superseded: bool = False,
) -> list[SearchHit]:
    """Deliberations matching every word of `query`, best first, narrowed by the filters.

    - authority: case-insensitive part of the authority's name ('cluses')
    - date_from / date_to: session date bounds, inclusive
    - article: a budget code or its prefix ('6574' also finds 65748; '65' a whole chapitre)
    - person: a name in the attendance, folded like persons.normalized_name; a single word
      matches a whole word of the name ('georget' finds 'Jean-Claude GEORGET')
    - min_amount: at least one amount >= this value (in the amount's own currency)
    - include_superseded: also old versions of files that changed since

    A query without any searchable word lists the filtered deliberations, newest first.
    """
    d = Deliberation
    shown = (d.id, d.session_date, d.authority, d.number, d.title)
    match = dialect.fts_query(query)
    if match is not None:
        fts = dialect.fts_match_clause().subquery("fts")
        stmt: Select = (
            select(*shown, fts.c.rank, fts.c.snippet)
            .join(fts, fts.c.deliberation_id == d.id)
            .order_by(fts.c.rank, d.id)
        )
    else:
        stmt = select(*shown, literal(0.0, Float).label("rank"), func.coalesce(d.title, "").label("snippet"))
        stmt = stmt.order_by(d.session_date.desc().nulls_last(), d.id.desc())
    path = (
        select(func.min(DocumentPath.path))
        .where(DocumentPath.document_id == d.document_id, DocumentPath.is_current.is_(True))
        .scalar_subquery()
    )
    stmt = stmt.add_columns(path.label("path"))
    for condition in _filters(authority, date_from, date_to, article, person, min_amount, include_superseded):
        stmt = stmt.where(condition)
    stmt = stmt.limit(max(int(limit), 0))
    params = {"query": match} if match is not None else {}
    with store.engine.connect() as conn:
        rows = conn.execute(stmt, params).all()
    return [
        SearchHit(row.id, float(row.rank), row.snippet or "", row.session_date, row.authority,
                  row.number, row.title, row.path)
        for row in rows
    ]


def _filters(
    authority: str | None,
    date_from: date | None,
    date_to: date | None,
    article: str | None,
    person: str | None,
    min_amount: Decimal | int | str | None,
    include_superseded: bool,
) -> list[ColumnElement[bool]]:
    d = Deliberation
    found: list[ColumnElement[bool]] = []
    if authority:
        found.append(func.lower(d.authority).like(f"%{_escape_like(authority.lower())}%", escape="\\"))
    if date_from is not None:
        found.append(d.session_date >= date_from)
    if date_to is not None:
        found.append(d.session_date <= date_to)
    if article:
        code = "".join(article.split())
        found.append(exists().where(
            BudgetArticle.deliberation_id == d.id,
            BudgetArticle.code.like(f"{_escape_like(code)}%", escape="\\"),
        ))
    if person and (key := normalize_name(person)):
        padded = literal(" ", String) + Person.normalized_name + literal(" ", String)
        found.append(exists().where(
            Attendance.deliberation_id == d.id,
            Person.id == Attendance.person_id,
            or_(Person.normalized_name == key, padded.like(f"% {_escape_like(key)} %", escape="\\")),
        ))
    if min_amount is not None:
        cents = int((Decimal(str(min_amount)) * 100).to_integral_value())
        found.append(exists().where(Amount.deliberation_id == d.id, Amount.value_cents >= cents))
    if not include_superseded:
        found.append(exists().where(DocumentPath.document_id == d.document_id, DocumentPath.is_current.is_(True)))
    return found


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["SearchHit", "search"]
