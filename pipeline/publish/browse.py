"""The pages an analyst starts from, served inside Datasette by `pipeline.publish.serve`:

    /                               deliberations: search box, facets (authority, year, body, vote)
    /-/deliberation/<id>            its facts beside the page images, each value boxed where printed
    /-/deliberation/<id>/boxes/<n>.json   the boxes of one page (a scan's come from Tesseract)
    /-/page/<document_id>/<n>.png   a page of a document, as a picture
    /-/seances                      the séances (meetings), when the database has them
    /-/seance?authority=&body=&date=  one séance: its items, votes and attendance
    /-/seance/<id>                  a séance of the `seances` table or view, once the database has one

Every query is read-only SQL through Datasette's own connection; pages are Jinja templates
(pipeline/publish/templates) extending Datasette's, so the menu and style are Datasette's.
"""
from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path
from typing import Any

from datasette.utils.asgi import NotFound, Response

from models.dialect import FTS_TABLE, FTS_WEIGHTS, fts_query
from pipeline.publish.marks import deliberation_marks
from pipeline.publish.pages import locate, render_png, tesseract_available

PAGE_SIZE = 50
FACET_SIZE = 12
IMAGE_WIDTH = 900
VOTE_SQL = ("CASE WHEN d.unanimous = 1 THEN 'unanimous' WHEN d.unanimous = 0 THEN 'vote with a breakdown' "
            "ELSE 'no vote stated' END")
YEAR_SQL = "CAST(strftime('%Y', d.session_date) AS INTEGER)"
FACETS = {"authority": "d.authority", "year": YEAR_SQL, "body": "d.body", "vote": VOTE_SQL}
_CURRENT = "d.document_id IN (SELECT document_id FROM document_paths WHERE is_current)"


def _db(datasette):  # type: ignore[no-untyped-def]
    return datasette.get_database()


async def _rows(db, sql: str, params: Any = None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = await db.execute(sql, params or {})
    return [dict(zip(result.columns, row)) for row in result.rows]


async def _relations(db) -> set[str]:  # type: ignore[no-untyped-def]
    return set(await db.table_names()) | set(await db.view_names())


async def _columns(db, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(await db.table_columns(table))


def vote_summary(d: dict[str, Any]) -> str:
    if d.get("unanimous") == 1:
        return "unanimité"
    parts = [f"{d[k]} {label}" for k, label in (("votes_for", "pour"), ("votes_against", "contre"),
                                                 ("abstentions", "abstentions"), ("not_voting", "ne prennent pas part"))
             if d.get(k) is not None]
    if parts:
        return ", ".join(parts)
    return "vote with a breakdown" if d.get("unanimous") == 0 else "no vote stated"


# -- home: the deliberations ------------------------------------------------------------------------

def _filters(args) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: args.get(name) for name in FACETS if args.get(name)}


def _where(filters: dict[str, str], match: str | None, skip: str | None = None) -> tuple[str, dict[str, Any]]:
    clauses, params = [_CURRENT], {}
    for name, value in filters.items():
        if name == skip:
            continue
        clauses.append(f"CAST({FACETS[name]} AS TEXT) = :f_{name}")
        params[f"f_{name}"] = value
    if match:
        clauses.append(f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match)")
        params["match"] = match
    return " AND ".join(clauses), params


def _url(args: dict[str, str], **changes: str | None) -> str:
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return "/?" + urllib.parse.urlencode(merged) if merged else "/"


async def home(datasette, request):  # type: ignore[no-untyped-def]
    db = _db(datasette)
    q = (request.args.get("q") or "").strip()
    # Only punctuation typed: a search for nothing, which finds nothing (not every deliberation).
    match = (fts_query(q) or '""') if q else None
    filters = _filters(request.args)
    offset = int(request.args.get("offset") or 0) if (request.args.get("offset") or "0").isdigit() else 0
    where, params = _where(filters, match)
    state = {**filters, **({"q": q} if q else {})}

    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    order = f"bm25({FTS_TABLE}, {weights})" if match else "d.session_date DESC, d.id DESC"
    snippet = f", snippet({FTS_TABLE}, -1, '«', '»', '…', 16) AS snippet" if match else ", NULL AS snippet"
    join = f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = d.id AND {FTS_TABLE} MATCH :match" if match else ""
    rows = await _rows(db, f"""
        SELECT d.id, d.authority, d.body, d.number, d.title, d.session_date, d.unanimous, d.votes_for,
               d.votes_against, d.abstentions, d.not_voting, d.pages,
               (SELECT COUNT(*) FROM amounts a WHERE a.deliberation_id = d.id) AS amounts {snippet}
        FROM deliberations d {join}
        WHERE {where} ORDER BY {order} LIMIT {PAGE_SIZE + 1} OFFSET {offset}""", params)
    total = (await _rows(db, f"SELECT COUNT(*) AS n FROM deliberations d WHERE {where}", params))[0]["n"]
    for row in rows:
        row["vote"] = vote_summary(row)
    facets = {}
    for name, expr in FACETS.items():
        f_where, f_params = _where(filters, match, skip=name)
        facets[name] = [
            {**r, "selected": filters.get(name) == str(r["value"]),
             "url": _url(state, **{name: None if filters.get(name) == str(r["value"]) else str(r["value"])})}
            for r in await _rows(db, f"""SELECT {expr} AS value, COUNT(*) AS n FROM deliberations d
                                       WHERE {f_where} AND {expr} IS NOT NULL
                                       GROUP BY 1 ORDER BY {'1 DESC' if name == 'year' else 'n DESC, 1'}
                                       LIMIT {FACET_SIZE}""", f_params)]
    elsewhere = await _across(db, q) if q else []
    context = {
        "q": q, "rows": rows[:PAGE_SIZE], "total": total, "facets": facets, "filters": filters,
        "clear_urls": {name: _url(state, **{name: None}) for name in filters},
        "next_url": _url(state, offset=str(offset + PAGE_SIZE)) if len(rows) > PAGE_SIZE else None,
        "prev_url": _url(state, offset=str(max(offset - PAGE_SIZE, 0))) if offset else None,
        "offset": offset, "elsewhere": elsewhere, "database": db.name,
    }
    return Response.html(await datasette.render_template("delib_home.html", context, request=request))


async def _across(db, q: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The rest of the database: people, organisations, beneficiaries, budget lines named like q."""
    like = f"%{q}%"
    relations = await _relations(db)
    sections = []
    queries = [
        ("People listed in attendance", "persons",
         "SELECT p.name AS label, p.authority AS detail, COUNT(a.id) AS n, MIN(a.deliberation_id) AS deliberation_id "
         "FROM persons p JOIN attendance a ON a.person_id = p.id "
         "WHERE p.normalized_name LIKE lower(:like) OR p.name LIKE :like GROUP BY p.id ORDER BY n DESC LIMIT 10"),
        ("Organisations named (NER)", "entities",
         "SELECT e.text AS label, 'ORG' AS detail, COUNT(*) AS n, MIN(e.deliberation_id) AS deliberation_id "
         "FROM entities e WHERE e.label = 'ORG' AND e.text LIKE :like GROUP BY e.text ORDER BY n DESC LIMIT 10"),
        ("Budget articles", "budget_articles",
         "SELECT b.code || ' ' || COALESCE(n.label, b.label, '') AS label, 'article' AS detail, "
         "COUNT(*) AS n, MIN(b.deliberation_id) AS deliberation_id FROM budget_articles b "
         "LEFT JOIN budget_nomenclature n ON n.code = b.code "
         "WHERE b.code LIKE :like OR n.label LIKE :like OR b.label LIKE :like GROUP BY b.code ORDER BY n DESC LIMIT 10"),
    ]
    if "amounts" in relations and "beneficiary" in await _columns(db, "amounts"):
        queries.insert(1, (
            "Beneficiaries of amounts", "amounts",
            "SELECT a.beneficiary AS label, printf('%.2f', SUM(a.value_cents) / 100.0) || ' ' || a.currency AS detail, "
            "COUNT(*) AS n, MIN(a.deliberation_id) AS deliberation_id FROM amounts a "
            "WHERE a.beneficiary LIKE :like GROUP BY a.beneficiary, a.currency ORDER BY n DESC LIMIT 10"))
    for title, table, sql in queries:
        if table not in relations:
            continue
        rows = await _rows(db, sql, {"like": like})
        for row in rows:
            # A person listed many times: every deliberation where they are, with their status.
            many = table == "persons" and row["n"] > 1
            row["url"] = (f"/{db.name}/attendance_of_a_person?" + urllib.parse.urlencode({"name": row["label"]})
                          if many else f"/-/deliberation/{row['deliberation_id']}")
        if rows:
            sections.append({"title": title, "rows": rows})
    return sections


# -- one deliberation -------------------------------------------------------------------------------

CHILDREN = {
    "attendance": ("deliberation_id", "SELECT * FROM attendance WHERE deliberation_id = :id ORDER BY id"),
    "amounts": ("deliberation_id", "SELECT * FROM amounts WHERE deliberation_id = :id ORDER BY id"),
    "budget_articles": ("deliberation_id",
                        "SELECT b.*, COALESCE(n.label, b.label) AS full_label FROM budget_articles b "
                        "LEFT JOIN budget_nomenclature n ON n.code = b.code WHERE b.deliberation_id = :id ORDER BY b.id"),
    "decisions": ("deliberation_id", "SELECT * FROM decisions WHERE deliberation_id = :id ORDER BY position"),
    "references": ("citing_deliberation_id",
                   "SELECT r.*, c.title AS cited_title FROM deliberation_references r "
                   "LEFT JOIN deliberations c ON c.id = r.cited_deliberation_id "
                   "WHERE r.citing_deliberation_id = :id ORDER BY r.id"),
}


async def current_path(db, document_id: int) -> str | None:  # type: ignore[no-untyped-def]
    rows = await _rows(db, "SELECT MIN(path) AS path FROM document_paths WHERE document_id = :id AND is_current",
                       {"id": document_id})
    if rows and rows[0]["path"]:
        return rows[0]["path"]
    rows = await _rows(db, "SELECT path FROM document_paths WHERE document_id = :id ORDER BY last_seen DESC LIMIT 1",
                       {"id": document_id})
    return rows[0]["path"] if rows else None


async def _load(db, did: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A deliberation, its child rows, its document and the pages it spans (404 when unknown)."""
    found = await _rows(db, "SELECT * FROM deliberations WHERE id = :id", {"id": did})
    if not found:
        raise NotFound(f"There is no deliberation {did} in this database.")
    d = found[0]
    page_rows = {r["page_number"]: r for r in await _rows(
        db, "SELECT page_number, ocr, ocr_confidence FROM pages WHERE document_id = :id", {"id": d["document_id"]})}
    return {
        "d": d,
        "children": {name: await _rows(db, sql, {"id": did}) for name, (_, sql) in CHILDREN.items()},
        "document": (await _rows(db, "SELECT * FROM documents WHERE id = :id", {"id": d["document_id"]}))[0],
        "page_rows": page_rows,
        "scanned": frozenset(n for n, r in page_rows.items() if r.get("ocr")),
        "path": await current_path(db, d["document_id"]),
        "pages": tuple(int(p) for p in str(d["pages"] or "").split(",") if p.strip().isdigit()),
    }


def _deliberation_id(request) -> int:  # type: ignore[no-untyped-def]
    try:
        return int(request.url_vars["id"])
    except ValueError:
        raise NotFound("no such deliberation")


async def deliberation(datasette, request):  # type: ignore[no-untyped-def]
    """The facts beside the page images. Pages with a text layer are boxed here; a scanned page
    is boxed by the page's script from `boxes` (Tesseract takes seconds a page: the facts and the
    pictures must not wait for it)."""
    db = _db(datasette)
    did = _deliberation_id(request)
    data = await _load(db, did)
    d, children, path, pages, scanned = data["d"], data["children"], data["path"], data["pages"], data["scanned"]
    d["vote"] = vote_summary(d)
    relations = await _relations(db)
    findings = (await _rows(db, "SELECT severity, rule, message FROM findings WHERE deliberation_id = :id "
                                "ORDER BY CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END",
                            {"id": did})) if "findings" in relations else []

    boxes, has_text, missing = [], {}, None
    if path and Path(path).is_file():
        printed = tuple(n for n in pages if n not in scanned)
        try:
            boxes, has_text = await asyncio.to_thread(locate, Path(path), deliberation_marks(d, children), printed)
        except Exception as exc:  # a damaged or replaced file: show the facts, say why no picture
            missing = f"the PDF at {path} could not be read ({exc.__class__.__name__}: {exc})"
    else:
        missing = (f"the PDF is no longer at {path}: the facts below were read from it when it was imported"
                   if path else "no file is recorded for this document")
    later = tesseract_available()
    page_views = [{
        "number": n, "src": f"/-/page/{d['document_id']}/{n}.png",
        "boxes": [b for b in boxes if b.page == n],
        "ocr": n in scanned, "words": has_text.get(n, False) or (n in scanned and later),
        "boxes_url": f"/-/deliberation/{did}/boxes/{n}.json" if n in scanned and later else None,
        "confidence": data["page_rows"].get(n, {}).get("ocr_confidence"),
    } for n in pages] if not missing else []
    seance = {"authority": d["authority"] or "", "body": d["body"] or "", "date": d["session_date"] or ""}
    context = {
        "d": d, "children": children, "findings": findings, "document": data["document"], "path": path,
        "warnings": [w for w in str(data["document"].get("warnings") or "").splitlines() if w.strip()],
        "pages": page_views, "marked": {b.key for b in boxes}, "missing": missing,
        "can_mark": any(p["words"] for p in page_views),
        "has_beneficiary": any("beneficiary" in r for r in children["amounts"]),
        "seance_url": "/-/seance?" + urllib.parse.urlencode(seance) if d["session_date"] else None,
        "row_url": f"/{db.name}/deliberations/{did}", "database": db.name,
        "attendance_counts": _count_status(children["attendance"]),
    }
    return Response.html(await datasette.render_template("delib_deliberation.html", context, request=request))


async def deliberation_boxes(datasette, request):  # type: ignore[no-untyped-def]
    """The boxes of one page of a deliberation, as JSON: [{key, left, top, width, height}] in
    percent of the page (a scanned page is read by Tesseract the first time)."""
    db = _db(datasette)
    data = await _load(db, _deliberation_id(request))
    number = int(request.url_vars["page"])
    if number not in data["pages"] or not data["path"] or not Path(data["path"]).is_file():
        raise NotFound("This deliberation has no such page, or its PDF is gone.")
    boxes, has_text = await asyncio.to_thread(
        locate, Path(data["path"]), deliberation_marks(data["d"], data["children"]), (number,), data["scanned"])
    return Response.json({"page": number, "words": has_text.get(number, False),
                          "boxes": [{"key": b.key, "left": round(b.left * 100, 3), "top": round(b.top * 100, 3),
                                     "width": round(b.width * 100, 3), "height": round(b.height * 100, 3)}
                                    for b in boxes]})


def _count_status(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


async def page_image(datasette, request):  # type: ignore[no-untyped-def]
    db = _db(datasette)
    try:
        document, number = int(request.url_vars["document"]), int(request.url_vars["page"])
    except ValueError:
        raise NotFound("no such page")
    path = await current_path(db, document)
    if not path or not Path(path).is_file():
        raise NotFound(f"The PDF of document {document} is not at {path} any more.")
    rows = await _rows(db, "SELECT pages FROM documents WHERE id = :id", {"id": document})
    if not rows or not 1 <= number <= int(rows[0]["pages"] or 0):
        raise NotFound(f"Document {document} has no page {number}.")
    width = min(max(int(request.args.get("width") or IMAGE_WIDTH), 200), 2000)
    png = await asyncio.to_thread(render_png, Path(path), number, width)
    return Response(png, content_type="image/png", headers={"cache-control": "max-age=3600"})


# -- séances ----------------------------------------------------------------------------------------

_SEANCE_KEYS = ("id", "seance_id")  # the key column of a stored séance, whichever the table has
_SEANCE_DATES = ("date", "session_date", "seance_date")


_SEANCE_RELATIONS = ("seances", "v_seances")  # a table of séances, else the view delib makes


async def _stored_seances(db) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
    """The database's séances table or view (None when it has none), and its key column (None
    when its rows are named by authority, body and date, as in `v_seances`)."""
    relations = await _relations(db)
    relation = next((name for name in _SEANCE_RELATIONS if name in relations), None)
    if relation is None:
        return None, None
    columns = await _columns(db, relation)
    return relation, next((c for c in _SEANCE_KEYS if c in columns), None)


async def seances(datasette, request):  # type: ignore[no-untyped-def]
    """The séances table or view when the database has one; else the meetings grouped from the
    deliberations (authority, body, date), said as such."""
    db = _db(datasette)
    relation, key = await _stored_seances(db)
    stored = relation is not None
    table = await _rows(db, f"SELECT * FROM {relation} LIMIT 500") if stored else []
    for row in table:
        if key and row.get(key) is not None:
            row["_url"] = f"/-/seance/{row[key]}"
        else:
            date = next((row[c] for c in _SEANCE_DATES if row.get(c)), None)
            row["_url"] = "/-/seance?" + urllib.parse.urlencode(
                {"authority": row.get("authority") or "", "body": row.get("body") or "", "date": date or ""})
    rows = [] if table else await _rows(db, f"""
        SELECT d.authority, d.body, d.session_date AS date, COUNT(*) AS items,
               SUM(CASE WHEN d.unanimous = 1 THEN 1 ELSE 0 END) AS unanimous, MAX(d.present) AS present
        FROM deliberations d WHERE {_CURRENT} AND d.session_date IS NOT NULL
        GROUP BY d.authority, d.body, d.session_date ORDER BY d.session_date DESC LIMIT 500""")
    for row in rows:
        row["url"] = "/-/seance?" + urllib.parse.urlencode(
            {"authority": row["authority"] or "", "body": row["body"] or "", "date": row["date"]})
    context = {"rows": rows, "stored": stored, "table": table,
               "table_columns": [c for c in (table[0] if table else {}) if c != "_url"], "database": db.name}
    return Response.html(await datasette.render_template("delib_seances.html", context, request=request))


async def seance(datasette, request):  # type: ignore[no-untyped-def]
    """A meeting named by its authority, body and date: the deliberations read for it."""
    db = _db(datasette)
    key = {k: request.args.get(k) or "" for k in ("authority", "body", "date")}
    if not key["date"]:
        raise NotFound("A séance is named by its authority, body and date.")
    items = await _rows(db, f"""
        SELECT d.* FROM deliberations d
        WHERE {_CURRENT} AND COALESCE(d.authority, '') = :authority AND COALESCE(d.body, '') = :body
          AND d.session_date = :date ORDER BY d.document_id, d.position""", key)
    if not items:
        raise NotFound("No deliberation of this séance is in the database.")
    relation, _ = await _stored_seances(db)
    return await _render_seance(datasette, request, db, items, key, {}, relation is not None)


async def stored_seance(datasette, request):  # type: ignore[no-untyped-def]
    """A row of the `seances` table or view, and its deliberations: those whose `seance_id` is
    this séance's when deliberations have that column, else those of its authority, body and date."""
    db = _db(datasette)
    relation, key_column = await _stored_seances(db)
    if not relation or not key_column:
        raise NotFound("No séances yet: this database has no seances table.")
    found = await _rows(db, f"SELECT * FROM {relation} WHERE {key_column} = :id", {"id": request.url_vars["id"]})
    if not found:
        raise NotFound("There is no such séance in this database.")
    row = found[0]
    date = next((row[c] for c in _SEANCE_DATES if row.get(c)), None)
    key = {"authority": row.get("authority") or "", "body": row.get("body") or "", "date": date or ""}
    if "seance_id" in await _columns(db, "deliberations"):
        items = await _rows(db, "SELECT d.* FROM deliberations d WHERE d.seance_id = :id "
                                "ORDER BY d.document_id, d.position", {"id": row[key_column]})
    else:
        items = await _rows(db, f"""
            SELECT d.* FROM deliberations d
            WHERE {_CURRENT} AND COALESCE(d.authority, '') = :authority AND COALESCE(d.body, '') = :body
              AND d.session_date = :date ORDER BY d.document_id, d.position""", key)
    fields = {k: v for k, v in row.items() if v not in (None, "") and k != key_column}
    return await _render_seance(datasette, request, db, items, key, fields, True)


async def _render_seance(datasette, request, db, items, key, fields, stored):  # type: ignore[no-untyped-def]
    for item in items:
        item["vote"] = vote_summary(item)
    ids = ",".join(str(int(i["id"])) for i in items) or "NULL"
    attendance = await _rows(db, f"""
        SELECT a.name, a.status, a.proxy_to, a.substitute_for, COUNT(*) AS listed,
               GROUP_CONCAT(DISTINCT a.status) AS statuses
        FROM attendance a WHERE a.deliberation_id IN ({ids})
        GROUP BY COALESCE(CAST(a.person_id AS TEXT), a.name)
        ORDER BY CASE a.status WHEN 'present' THEN 1 WHEN 'represented' THEN 2 WHEN 'excused' THEN 3 ELSE 4 END, a.name""")
    context = {"key": key, "items": items, "attendance": attendance, "stored": stored, "fields": fields,
               "database": db.name, "counts": _count_status(attendance),
               "unanimous": sum(1 for i in items if i["unanimous"] == 1)}
    return Response.html(await datasette.render_template("delib_seance.html", context, request=request))


ROUTES = [
    (r"^/$", home),
    (r"^/-/deliberation/(?P<id>[0-9]+)$", deliberation),
    (r"^/-/deliberation/(?P<id>[0-9]+)/boxes/(?P<page>[0-9]+)\.json$", deliberation_boxes),
    (r"^/-/page/(?P<document>[0-9]+)/(?P<page>[0-9]+)\.png$", page_image),
    (r"^/-/seances$", seances),
    (r"^/-/seance$", seance),
    (r"^/-/seance/(?P<id>[^/]+)$", stored_seance),
]

__all__ = ["FACETS", "ROUTES", "vote_summary"]
