"""`delib serve`: Datasette over the database, described by the schema documentation.

    metadata = build_metadata("deliberations")       # descriptions, facets, canned queries, charts
    serve(ServeSettings(url="sqlite:///deliberations.db", host="127.0.0.1", port=8001))

Table and column descriptions are read from docs/schema.md and docs/findings.md ("### `name`"
sections followed by a `| column | meaning |` table); where the docs are not installed, the
SQLAlchemy comments of `models.schema` stand in.

This module is also a Datasette plugin (see `_register_plugin`): it adds delib's own pages
(`pipeline.publish.browse`: the home page over the deliberations, a page per deliberation beside
its page images, the séances), links every deliberation id of a query result to its page, shows a
deliberation's source file beside its page numbers, and makes `?_search=` search as `delib search`
does (a word of four letters or more is a prefix: "subvention" finds "SUBVENTIONS"). The charts
are datasette-dashboards' (Vega-Lite, shipped with the plugin), configured by `DASHBOARD` below.
A database its user cannot write is served immutable, as it is.
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette import hookimpl

from models.dialect import FTS_TABLE
from pipeline.errors import ConfigurationError

HERE = Path(__file__).resolve().parent
DOCS_DIR = HERE.parents[1] / "docs"
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
# Long texts (a deliberation's full text, a decision) are cut in lists: a row stays one or two lines.
TRUNCATE_CELLS = 100
DOC_FILES = ("schema.md", "findings.md")
TITLE = "delib — deliberations of French local authorities"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    url: str  # a SQLAlchemy SQLite URL, as `pipeline.settings.database_url` makes it
    host: str = "127.0.0.1"
    port: int = 8001
    metadata_out: Path | None = None
    open_browser: bool = False
    read_only: bool = False  # serve as it is, even where the file could be written


@dataclass(frozen=True, slots=True)
class TableDoc:
    description: str
    columns: dict[str, str]


# -- descriptions from the documentation --------------------------------------------------------

_SECTION = re.compile(r"^### `(?P<name>[a-z_0-9]+)`\n(?P<body>.*?)(?=^##|\Z)", re.M | re.S)
_ROW = re.compile(r"^\|\s*`(?P<column>[a-z_0-9]+)`\s*\|\s*(?P<meaning>.*?)\s*\|\s*$", re.M)


def parse_docs(markdown: str) -> dict[str, TableDoc]:
    """Sections headed "### `table`" -> their first paragraphs and the meaning of each column."""
    found = {}
    for match in _SECTION.finditer(markdown):
        body = match.group("body")
        prose = body.split("\n|", 1)[0]
        paragraphs = [" ".join(p.split()) for p in prose.split("\n\n") if p.strip() and not p.lstrip().startswith("```")]
        columns = {m.group("column"): _plain(m.group("meaning")) for m in _ROW.finditer(body)}
        found[match.group("name")] = TableDoc(_plain(" ".join(paragraphs)), columns)
    return found


def _plain(text: str) -> str:
    # Datasette shows descriptions as text: drop the Markdown emphasis, keep the words.
    return re.sub(r"\*\*?([^*]+)\*\*?", r"\1", text).replace("`", "").strip()


def table_docs(docs_dir: Path = DOCS_DIR) -> dict[str, TableDoc]:
    """Descriptions of every table and view: the docs first, else the models' comments."""
    from models.schema import Base

    docs: dict[str, TableDoc] = {}
    for table in Base.metadata.tables.values():
        docs[table.name] = TableDoc(table.comment or "", {c.name: c.comment or "" for c in table.columns})
    for name in DOC_FILES:
        path = docs_dir / name
        if path.exists():
            for table, doc in parse_docs(path.read_text(encoding="utf-8")).items():
                fallback = docs.get(table, TableDoc("", {}))
                docs[table] = TableDoc(doc.description or fallback.description, {**fallback.columns, **doc.columns})
    return docs


# -- facets and canned queries -----------------------------------------------------------------

FACETS: dict[str, list[Any]] = {
    "deliberations": ["authority", "body"],
    "v_deliberations": ["authority", "body", "year"],
    "budget_articles": ["code"],
    "v_subsidies": ["authority", "year", "code"],
    "v_spending_by_article_year": ["authority", "year", "code"],
    "attendance": ["status"],
    "amounts": ["currency"],
    "findings": ["severity", "rule"],
    "entities": ["label"],
}

# The label Datasette shows for a foreign key into these tables (a document's SHA-256 would fill
# every row with 64 hex digits: its id is enough).
LABELS = {"persons": "name", "deliberations": "title", "import_runs": "command"}

_PATH = ("(SELECT MIN(p.path) FROM document_paths p WHERE p.document_id = d.document_id AND p.is_current)")

QUERIES: dict[str, dict[str, Any]] = {
    "subsidies_by_beneficiary": {
        "title": "Subsidies by beneficiary",
        "description": "Who received what: the sums the text or a table row pairs with a receiver "
                       "(\"une subvention de 2 880 € à l'association X\", a row \"Association | Montant\"), "
                       "per receiver and deliberation. Totals and budget chapters are never paired; a sum "
                       "whose receiver the text does not say is left out. Type part of a name, or nothing for all.",
        "sql": """SELECT a.beneficiary, v.authority, v.year, v.deliberation_id, v.number, v.title,
       COUNT(*) AS grants, SUM(a.value_cents) / 100.0 AS total, a.currency
FROM amounts a
JOIN v_deliberations v ON v.deliberation_id = a.deliberation_id AND v.is_current = 1
WHERE a.beneficiary IS NOT NULL AND a.beneficiary LIKE '%' || :beneficiary || '%'
GROUP BY a.beneficiary, v.deliberation_id, a.currency
ORDER BY total DESC""",
    },
    "attendance_of_a_person": {
        "title": "Attendance of a person",
        "description": "Every deliberation where a person is listed, with their status (present, represented, "
                       "excused, absent) and who held their proxy. Type part of the name; accents optional.",
        "sql": f"""SELECT d.session_date, d.authority, d.body, d.id AS deliberation_id, d.number, d.title,
       a.name, a.status, a.proxy_to, a.substitute_for, d.pages, {_PATH} AS path
FROM attendance a
JOIN deliberations d ON d.id = a.deliberation_id
LEFT JOIN persons p ON p.id = a.person_id
WHERE p.normalized_name LIKE '%' || lower(:name) || '%' OR a.name LIKE '%' || :name || '%'
ORDER BY d.session_date DESC, d.id""",
    },
    "deliberations_citing": {
        "title": "Deliberations citing a deliberation",
        "description": "The deliberations that cite a number (spaces, dashes, slashes and dots do not matter: "
                       "DEL-2019/042 finds 'del 2019 042'), and the cited one when it is in the database.",
        "sql": f"""SELECT citing.id AS citing_id, citing.authority, citing.number, citing.session_date, citing.title,
       r.number AS cited_as, r.date AS cited_date, r.page, r.cited_deliberation_id,
       {_PATH.replace('d.document_id', 'citing.document_id')} AS path
FROM deliberation_references r
JOIN deliberations citing ON citing.id = r.citing_deliberation_id
WHERE r.number_key = lower(replace(replace(replace(replace(replace(:number, ' ', ''), '-', ''), '/', ''), '.', ''), '_', ''))
ORDER BY citing.session_date""",
    },
    "findings_to_review": {
        "title": "Findings to review",
        "description": "What the consistency checks (delib check) found doubtful, errors first. Leave the "
                       "severity empty for all, or type error, warning or info.",
        "sql": f"""SELECT f.severity, f.rule, f.message, d.id AS deliberation_id, d.authority, d.number,
       d.session_date, d.pages, {_PATH} AS path
FROM findings f
JOIN deliberations d ON d.id = f.deliberation_id
WHERE :severity = '' OR f.severity = :severity
ORDER BY CASE f.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, d.authority, d.session_date""",
    },
}


# -- charts (datasette-dashboards) -------------------------------------------------------------------

_DELIBS = ("FROM deliberations d WHERE d.document_id IN (SELECT document_id FROM document_paths WHERE is_current) "
           "[[ AND d.authority = :authority ]]")
_YEAR = "CAST(strftime('%Y', d.session_date) AS INTEGER)"


def _bar(x: str, y: str, x_title: str, y_title: str, horizontal: bool = False, **extra: Any) -> dict[str, Any]:
    x_enc = {"field": x, "type": "ordinal", "title": x_title}
    y_enc = {"field": y, "type": "quantitative", "title": y_title}
    if y_title == "deliberations":  # a count: whole ticks
        y_enc["axis"] = {"tickMinStep": 1, "format": "d"}
    if horizontal:
        x_enc, y_enc = ({**y_enc}, {**x_enc, "sort": "-x"})
    return {"mark": {"type": "bar", "tooltip": True}, "encoding": {"x": x_enc, "y": y_enc, **extra}}


def dashboard(database: str, beneficiary: bool = False) -> dict[str, Any]:
    """The charts: where people would rather look than read. Each chart's SQL is shown by the
    plugin, so a reader sees what was counted; an authority filter narrows them all."""
    if beneficiary:
        subsidies_sql = (f"SELECT {_YEAR} AS year, SUM(a.value_cents) / 100.0 AS total, COUNT(*) AS grants "
                         f"FROM amounts a JOIN deliberations d ON d.id = a.deliberation_id "
                         f"WHERE a.beneficiary IS NOT NULL AND a.currency = 'EUR' AND d.session_date IS NOT NULL "
                         f"AND d.document_id IN (SELECT document_id FROM document_paths WHERE is_current) "
                         f"[[ AND d.authority = :authority ]] GROUP BY year ORDER BY year")
        subsidies_title = "Grants to a named beneficiary per year (€)"
        subsidies = _bar("year", "total", "year", "euros")
    else:
        subsidies_sql = (f"SELECT {_YEAR} AS year, COUNT(*) AS deliberations {_DELIBS} AND d.session_date IS NOT NULL "
                         f"AND d.id IN (SELECT deliberation_id FROM budget_articles WHERE code LIKE '6574%') "
                         f"GROUP BY year ORDER BY year")
        subsidies_title = "Subsidy deliberations per year (charging account 6574)"
        subsidies = _bar("year", "deliberations", "year", "deliberations")
    charts: dict[str, Any] = {
        "about": {"library": "markdown", "display":
                  "Counts are over current documents. **Spending by budget article** adds every amount a "
                  "deliberation mentions under each article it cites: a guide to where money is discussed, "
                  "not an account. Open a deliberation to check a figure on its page."},
        "total": {"title": "Deliberations", "db": database, "library": "metric",
                  "query": f"SELECT COUNT(*) AS n {_DELIBS}", "display": {"field": "n"}},
        "unanimity": {"title": "Adopted unanimously (of those with a vote stated)", "db": database,
                      "library": "metric", "display": {"field": "rate", "suffix": " %"},
                      "query": f"SELECT ROUND(100.0 * SUM(d.unanimous = 1) / MAX(COUNT(d.unanimous), 1), 1) AS rate {_DELIBS}"},
        "per_year": {"title": "Deliberations per year", "db": database, "library": "vega-lite",
                     "query": f"SELECT {_YEAR} AS year, COUNT(*) AS deliberations {_DELIBS} "
                              f"AND d.session_date IS NOT NULL GROUP BY year ORDER BY year",
                     "display": _bar("year", "deliberations", "year", "deliberations")},
        "subsidies": {"title": subsidies_title, "db": database, "library": "vega-lite", "query": subsidies_sql,
                      "display": subsidies},
        "unanimity_per_year": {
            "title": "Unanimity rate per year (%)", "db": database, "library": "vega-lite",
            "query": f"SELECT {_YEAR} AS year, ROUND(100.0 * SUM(d.unanimous = 1) / COUNT(d.unanimous), 1) AS rate, "
                     f"COUNT(d.unanimous) AS votes {_DELIBS} AND d.unanimous IS NOT NULL AND d.session_date IS NOT NULL "
                     f"GROUP BY year ORDER BY year",
            "display": {"mark": {"type": "line", "point": True, "tooltip": True},
                        "encoding": {"x": {"field": "year", "type": "ordinal"},
                                     "y": {"field": "rate", "type": "quantitative", "title": "% unanimous",
                                           "scale": {"domain": [0, 100]}}}}},
        "spending": {
            "title": "Amounts mentioned, by budget article (top 15, €)", "db": database, "library": "vega-lite",
            "query": "SELECT code || ' ' || COALESCE(label, '') AS article, SUM(total) AS total "
                     "FROM v_spending_by_article_year WHERE currency = 'EUR' [[ AND authority = :authority ]] "
                     "GROUP BY code ORDER BY total DESC LIMIT 15",
            "display": _bar("article", "total", "article", "euros", horizontal=True)},
        "per_authority": {
            "title": "Deliberations and unanimity per authority", "db": database, "library": "vega-lite",
            "query": f"SELECT COALESCE(d.authority, '(not printed)') AS authority, COUNT(*) AS deliberations, "
                     f"ROUND(100.0 * SUM(d.unanimous = 1) / MAX(COUNT(d.unanimous), 1), 1) AS unanimous_pct "
                     f"{_DELIBS} GROUP BY 1 ORDER BY deliberations DESC LIMIT 25",
            "display": {**_bar("authority", "deliberations", "authority", "deliberations", horizontal=True),
                        "encoding": {"y": {"field": "authority", "type": "nominal", "sort": "-x", "title": None},
                                     "x": {"field": "deliberations", "type": "quantitative",
                                           "axis": {"tickMinStep": 1, "format": "d"}},
                                     "color": {"field": "unanimous_pct", "type": "quantitative",
                                               "title": "% unanimous", "scale": {"scheme": "greens"}},
                                     "tooltip": [{"field": "authority"}, {"field": "deliberations"},
                                                 {"field": "unanimous_pct", "title": "% unanimous"}]}}},
    }
    return {
        "title": "delib — deliberations in charts",
        "description": "Deliberations, subsidies, budget articles and votes, per year and per authority.",
        "layout": [["total", "unanimity", "about"], ["per_year", "per_year", "subsidies"],
                   ["unanimity_per_year", "spending", "spending"], ["per_authority", "per_authority", "per_authority"]],
        "filters": {"authority": {"name": "Authority", "type": "select", "db": database,
                                  "query": "SELECT DISTINCT authority FROM deliberations WHERE authority IS NOT NULL "
                                           "ORDER BY authority"}},
        "charts": charts,
    }


def build_metadata(database: str, docs_dir: Path = DOCS_DIR, relations: set[str] | None = None,
                   beneficiary: bool = False) -> dict[str, Any]:
    """Datasette metadata for the database named `database` (the file's stem). With `relations`
    (the tables and views the database has), canned queries over a missing table are left out:
    a read-only database cannot be given one."""
    tables: dict[str, Any] = {}
    for name, doc in table_docs(docs_dir).items():
        entry: dict[str, Any] = {"description": doc.description, "columns": doc.columns}
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        tables[name] = entry
    # ?_search= : the FTS table is external content over deliberations, keyed by its id.
    tables["deliberations"].update(sort_desc="session_date", fts_table=FTS_TABLE, fts_pk="id")
    tables.setdefault("v_deliberations", {}).update(sort_desc="session_date", fts_table=FTS_TABLE,
                                                    fts_pk="deliberation_id")
    queries = {name: q for name, q in QUERIES.items()
               if relations is None or _QUERY_NEEDS.get(name, set()) <= relations}
    return {
        "title": TITLE,
        "description": "Deliberations read from PDF registry extracts and minutes. Start from the home page "
                       "(search and facets), v_deliberations (one row per deliberation, with its file), or a "
                       "query below. Every row keeps the page it was read on: check it in the PDF.",
        "databases": {database: {
            "description_html": (
                f'Start from <a href="/">the deliberations</a> (search, facets, each deliberation beside its '
                f'PDF pages), <a href="/{database}/v_deliberations">v_deliberations</a> (one row per '
                f'deliberation, with its file), <a href="/-/seances">the séances</a>'
                + (' or <a href="/-/dashboards/delib">the charts</a>' if charts_installed() else "")
                + ". Every row keeps the page it was read on."),
            "tables": tables, "queries": queries}},
        "plugins": {"datasette-dashboards": {"delib": dashboard(database, beneficiary)}},
        "extra_css_urls": ["/-/delib-static/delib.css"],
        "extra_js_urls": ["/-/delib-static/delib.js"],
    }


_QUERY_NEEDS = {"findings_to_review": {"findings"}}


# -- the plugin: delib's pages, links and search ------------------------------------------------------

# Datasette plugins are modules: this one registers itself (see `_register_plugin`).

@hookimpl
def register_routes(datasette):  # type: ignore[no-untyped-def]
    from pipeline.publish.browse import ROUTES

    return ROUTES


def charts_installed() -> bool:
    """datasette-dashboards draws the charts; without it (a bare `pip install datasette`) the
    pages do not offer them."""
    import importlib.util

    return importlib.util.find_spec("datasette_dashboards") is not None


@hookimpl
def menu_links(datasette, actor, request):  # type: ignore[no-untyped-def]
    links = [{"href": "/", "label": "Deliberations"}, {"href": "/-/seances", "label": "Séances"}]
    return links + ([{"href": "/-/dashboards/delib", "label": "Charts"}] if charts_installed() else [])


@hookimpl
def extra_template_vars(datasette):  # type: ignore[no-untyped-def]
    async def variables():  # type: ignore[no-untyped-def]
        # An older database opened read-only may lack the findings table: no link to its query then.
        names = await datasette.get_database().table_names()
        return {"delib_charts": charts_installed(), "delib_findings": "findings" in names}

    return variables


@hookimpl(trylast=True)  # after Datasette's own escape_fts, which it replaces
def prepare_connection(conn, database, datasette):  # type: ignore[no-untyped-def]
    """?_search= as `delib search` reads a query: every word must match, words of four letters or
    more as prefixes, operators and stray quotes as plain words."""
    from models.dialect import fts_query

    conn.create_function("escape_fts", 1, lambda text: fts_query(text or "") or '""', deterministic=True)


# Columns of a query result that hold a deliberation's id: linked to its page.
DELIBERATION_ID_COLUMNS = {"deliberation_id", "citing_id", "cited_deliberation_id", "citing_deliberation_id"}
ROW_ID_COLUMNS = {"document_id": "documents", "person_id": "persons", "amount_id": "amounts"}


@hookimpl
def render_cell(row, value, column, table, database, datasette):  # type: ignore[no-untyped-def]
    """Links from every result to the deliberation it is about, and a deliberation's source file
    beside its page numbers."""
    import markupsafe

    if table is None and isinstance(value, int) and not isinstance(value, bool):
        if column in DELIBERATION_ID_COLUMNS:
            return markupsafe.Markup('<a href="/-/deliberation/{0}">{0}</a>').format(value)
        if column in ROW_ID_COLUMNS:
            return markupsafe.Markup('<a href="/{0}/{1}/{2}">{2}</a>').format(database, ROW_ID_COLUMNS[column], value)
        return None
    if table in ("deliberations", "v_deliberations") and column == "title" and value:
        key = "id" if table == "deliberations" else "deliberation_id"
        if key in row.keys():
            ident = row[key]["value"] if isinstance(row[key], dict) else row[key]
            return markupsafe.Markup('<a href="/-/deliberation/{}">{}</a>').format(ident, _cut(str(value)))
    if table != "deliberations" or column != "pages" or "document_id" not in row.keys():
        return None

    async def render():  # type: ignore[no-untyped-def]
        document = row["document_id"]
        if isinstance(document, dict):  # a table page expands foreign keys to {value, label}
            document = document.get("value")
        db = datasette.get_database(database)
        result = await db.execute(
            "SELECT MIN(path) FROM document_paths WHERE document_id = ? AND is_current", [document])
        path = result.first()[0] if result.rows else None
        pages = ", ".join(p.strip() for p in str(value or "").split(",") if p.strip())
        label = "page" if "," not in pages else "pages"
        source = f" of {path}" if path else " (no current file)"
        return markupsafe.Markup('<span class="delib-source">{}</span>').format(f"{label} {pages}{source}")

    return render


def _cut(text: str) -> str:
    return text if len(text) <= TRUNCATE_CELLS else text[:TRUNCATE_CELLS] + "\u2026"


def _register_plugin() -> None:
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="delib")


# -- starting the server ---------------------------------------------------------------------------

def sqlite_path(url: str) -> Path:
    """The file behind a SQLite URL; Datasette serves SQLite files only."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or ":memory:" in url:
        raise ConfigurationError(f"delib serve needs a SQLite database file, not {url}")
    path = Path(url[len(prefix):].split("?", 1)[0])
    if not path.exists():
        raise ConfigurationError(f"there is no database at {path}: import documents first (delib import)")
    return path


def writable(path: Path) -> bool:
    """Whether this user may write the database: the file, and its folder (SQLite writes its
    journal beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def inspect(path: Path, read_only: bool) -> tuple[set[str], bool]:
    """The tables and views of the database, and whether amounts have a beneficiary column."""
    import sqlite3

    uri = f"file:{path}?{'immutable=1' if read_only else 'mode=ro'}"
    conn = sqlite3.connect(uri, uri=True)
    try:
        relations = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        beneficiary = "amounts" in relations and any(
            r[1] == "beneficiary" for r in conn.execute("PRAGMA table_info(amounts)"))
    finally:
        conn.close()
    return relations, beneficiary


def make_datasette(path: Path, metadata: dict[str, Any], read_only: bool = False):  # type: ignore[no-untyped-def]
    """Datasette over one file (immutable when `read_only`), with delib's pages and plugin."""
    from datasette.app import Datasette

    _register_plugin()
    files = {"immutables": [str(path)]} if read_only else {"files": [str(path)]}
    return Datasette(**files, metadata=metadata, template_dir=str(TEMPLATES_DIR),
                     static_mounts=[("-/delib-static", str(STATIC_DIR))],
                     settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "default_page_size": 50,
                               "truncate_cells_html": TRUNCATE_CELLS})


def make_app(path: Path, metadata: dict[str, Any], read_only: bool = False):  # type: ignore[no-untyped-def]
    """The Datasette ASGI application over one file."""
    return make_datasette(path, metadata, read_only).app()


def serve(settings: ServeSettings) -> None:
    """Prepare the database (schema, findings table) when it can be written, then serve it until
    interrupted; print the address, and open it in a browser when asked."""
    import uvicorn

    path = sqlite_path(settings.url)
    read_only = settings.read_only or not writable(path)
    if not read_only:
        from models.findings import ensure_table
        from models.store import open_store

        with open_store(settings.url) as store:  # brings an older database's schema up to date
            ensure_table(store)  # the canned query over findings needs the table, even if empty
    relations, beneficiary = inspect(path, read_only)
    metadata = build_metadata(path.stem, relations=relations, beneficiary=beneficiary)
    if settings.metadata_out:
        settings.metadata_out.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    app = make_app(path, metadata, read_only=read_only)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{'127.0.0.1' if settings.host in ('0.0.0.0', '') else host}:{settings.port}/"
    note = " (read-only: the database cannot be written by this user)" if read_only and not settings.read_only else \
        (" (read-only)" if read_only else "")
    print(f"delib serve: {path} at {url}{note} — Ctrl-C stops", flush=True)
    if settings.open_browser:  # once the server listens: a second is plenty on this side
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


__all__ = ["QUERIES", "ServeSettings", "TableDoc", "build_metadata", "dashboard", "inspect", "make_app", "make_datasette",
           "parse_docs", "serve", "sqlite_path", "table_docs", "writable"]
