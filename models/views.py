"""Views for the common joins, created with the schema (and re-created when their SQL changes, so
that a new release's views replace the old ones).

Views that count or sum only look at *current* documents: a document is current when some path
still holds it (`document_paths.is_current`). An old version of a changed file stays in the
database, but counting it would count its deliberations twice.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import Connection

from models.dialect import driver_sql, false_sql, joined_text_sql, true_sql, year_sql

_CURRENT_DOCS = "SELECT document_id FROM document_paths WHERE is_current"

# A séance is one meeting of one body; deliberations without a date are their document's séance.
_SEANCE_KEY = "COALESCE(CAST(d.session_date AS TEXT), 'document ' || CAST(d.document_id AS TEXT))"
# The séance a deliberation belongs to, as one readable key: the items of one séance's minutes, and
# the extracts of one séance published as separate files, share it.
_SEANCE = ("COALESCE(d.authority, '') || ' | ' || COALESCE(d.body, '') || ' | ' || " + _SEANCE_KEY)


def _views(dialect_name: str = "sqlite") -> dict[str, str]:
    """Each view's SQL for one database ('sqlite' or 'postgresql'): the year of a date and the
    Boolean literals differ, the rest is the same."""
    year = year_sql("d.session_date", dialect_name)
    true, false = true_sql(dialect_name), false_sql(dialect_name)
    # 1/0 on SQLite (no Boolean type), a boolean on PostgreSQL: `WHERE is_current` on either.
    is_current = (f"(d.document_id IN ({_CURRENT_DOCS}))" if dialect_name == "postgresql"
                  else f"CASE WHEN d.document_id IN ({_CURRENT_DOCS}) THEN 1 ELSE 0 END")
    # A page's text, joined again from its parts (models.pagetext): slices of its deliberations'
    # texts, and the text none of them holds. CAST: PostgreSQL's substr takes integers, not BIGINT.
    page_text = joined_text_sql(
        dialect_name,
        "COALESCE(x.text, substr(t.text, CAST(x.text_start AS INTEGER), CAST(x.text_length AS INTEGER)))",
        "page_parts x LEFT JOIN deliberations t ON t.id = x.deliberation_id WHERE x.page_id = p.id",
        "x.position", separator="")
    return {
        # The table `pages` of schema 3 and before, column for column.
        "pages": f"""
            SELECT p.id, p.document_id, p.page_number, COALESCE({page_text}, '') AS text, p.margin,
                   p.ocr, p.ocr_confidence
            FROM document_pages p""",
        "v_deliberations": f"""
            SELECT d.id AS deliberation_id, d.authority, d.body, d.number, d.title,
                   d.session_date, {year} AS year, d.session_time, d.place, d.president,
                   d.secretary, d.in_office, d.present, d.represented, d.voters, d.unanimous,
                   d.votes_for, d.votes_against, d.abstentions, d.not_voting, d.pages,
                   d.first_page, d.document_id, doc.sha256, doc.ocr, doc.imported_at,
                   (SELECT MIN(p.path) FROM document_paths p
                     WHERE p.document_id = d.document_id AND p.is_current) AS path,
                   {is_current} AS is_current,
                   {_SEANCE} AS seance
            FROM deliberations d JOIN documents doc ON doc.id = d.document_id""",
        # One row per séance: the deliberations of one body on one day (without a date, those
        # of one document), current documents only.
        "v_seances": f"""
            SELECT {_SEANCE} AS seance, d.authority, d.body, d.session_date, {year} AS year,
                   MIN(d.session_time) AS session_time, MIN(d.place) AS place,
                   MIN(d.president) AS president, MIN(d.secretary) AS secretary,
                   COUNT(*) AS deliberations, COUNT(DISTINCT d.document_id) AS documents,
                   MIN(d.document_id) AS first_document_id,
                   SUM(CASE WHEN d.unanimous = {true} THEN 1 ELSE 0 END) AS unanimous,
                   SUM(CASE WHEN d.unanimous = {false} THEN 1 ELSE 0 END) AS divided
            FROM deliberations d
            WHERE d.document_id IN ({_CURRENT_DOCS})
            GROUP BY {_SEANCE}, d.authority, d.body, d.session_date""",
        # A deliberation charging 6574 (or a 6574x sub-account) with every amount it mentions:
        # the amounts are not all necessarily subsidies (see docs/schema.md).
        "v_subsidies": f"""
            SELECT d.id AS deliberation_id, d.authority, d.number, d.title, {year} AS year,
                   d.session_date, ba.code, COALESCE(n.label, ba.label) AS label,
                   a.id AS amount_id, a.value, a.value_cents, a.currency, a.text AS amount_text
            FROM deliberations d
            JOIN (SELECT deliberation_id, MIN(code) AS code, MIN(label) AS label
                  FROM budget_articles WHERE code LIKE '6574%' GROUP BY deliberation_id) ba
              ON ba.deliberation_id = d.id
            LEFT JOIN budget_nomenclature n ON n.code = ba.code
            JOIN amounts a ON a.deliberation_id = d.id
            WHERE d.document_id IN ({_CURRENT_DOCS})""",
        # Each amount of a deliberation counts under every article that deliberation cites.
        "v_spending_by_article_year": f"""
            SELECT d.authority, {year} AS year, ba.code, COALESCE(n.label, MIN(ba.label)) AS label,
                   a.currency, COUNT(DISTINCT d.id) AS deliberations, COUNT(a.id) AS amounts,
                   SUM(a.value_cents) AS total_cents, SUM(a.value_cents) / 100.0 AS total
            FROM deliberations d
            JOIN (SELECT DISTINCT deliberation_id, code, label FROM budget_articles) ba
              ON ba.deliberation_id = d.id
            LEFT JOIN budget_nomenclature n ON n.code = ba.code
            JOIN amounts a ON a.deliberation_id = d.id
            WHERE d.document_id IN ({_CURRENT_DOCS})
            GROUP BY d.authority, {year}, ba.code, n.label, a.currency""",
        "v_attendance_rate": f"""
            SELECT s.person_id, pe.name, pe.authority, COUNT(*) AS seances,
                   SUM(CASE WHEN s.best = 1 THEN 1 ELSE 0 END) AS present,
                   SUM(CASE WHEN s.best = 2 THEN 1 ELSE 0 END) AS represented,
                   SUM(CASE WHEN s.best = 3 THEN 1 ELSE 0 END) AS excused,
                   SUM(CASE WHEN s.best = 4 THEN 1 ELSE 0 END) AS absent,
                   ROUND(SUM(CASE WHEN s.best = 1 THEN 1 ELSE 0 END) * 1.0 / COUNT(*), 3) AS rate
            FROM (SELECT at.person_id, d.body, {_SEANCE_KEY} AS seance,
                         MIN(CASE at.status WHEN 'present' THEN 1 WHEN 'represented' THEN 2
                                            WHEN 'excused' THEN 3 ELSE 4 END) AS best
                  FROM attendance at JOIN deliberations d ON d.id = at.deliberation_id
                  WHERE at.person_id IS NOT NULL AND d.document_id IN ({_CURRENT_DOCS})
                  GROUP BY at.person_id, d.body, {_SEANCE_KEY}) s
            JOIN persons pe ON pe.id = s.person_id
            GROUP BY s.person_id, pe.name, pe.authority""",
        # A proxy is given once per séance even though each deliberation lists it again.
        "v_proxies_held": f"""
            SELECT pe.id AS person_id, pe.name, pe.authority,
                   COUNT(DISTINCT COALESCE(CAST(at.person_id AS TEXT), at.name) || ' ' || COALESCE(d.body, '')
                                  || ' ' || {_SEANCE_KEY}) AS proxies_held,
                   COUNT(DISTINCT COALESCE(d.body, '') || ' ' || {_SEANCE_KEY}) AS seances
            FROM attendance at
            JOIN deliberations d ON d.id = at.deliberation_id
            JOIN persons pe ON pe.id = at.proxy_to_person_id
            WHERE d.document_id IN ({_CURRENT_DOCS})
            GROUP BY pe.id, pe.name, pe.authority""",
    }


VIEW_NAMES: tuple[str, ...] = tuple(_views())


def fingerprint() -> str:
    """Changes whenever a view's SQL changes, so the store knows to re-create them. The SQLite
    SQL alone: a database made before PostgreSQL was supported keeps its views."""
    return hashlib.sha256(repr(sorted(_views().items())).encode()).hexdigest()[:16]


def drop_views(conn: Connection) -> None:
    """Drop delib's views that exist. Only views: up to schema 3, `pages` was a table (the
    migration to schema 4 makes it a view), and DROP VIEW on a table is an error."""
    from sqlalchemy import inspect

    existing = set(inspect(conn).get_view_names())
    for name in VIEW_NAMES:
        if name in existing:
            conn.exec_driver_sql(f"DROP VIEW {name}")


def create_views(conn: Connection) -> None:
    drop_views(conn)
    for name, body in _views(conn.dialect.name).items():
        conn.exec_driver_sql(driver_sql(conn, f"CREATE VIEW {name} AS {body}"))
