"""`delib serve`: Datasette over the database, described by the schema documentation.

    metadata = build_metadata("deliberations")       # descriptions, facets, canned queries
    serve(ServeSettings(url="sqlite:///deliberations.db", host="127.0.0.1", port=8001))

Table and column descriptions are read from docs/schema.md and docs/findings.md ("### `name`"
sections followed by a `| column | meaning |` table); where the docs are not installed, the
SQLAlchemy comments of `models.schema` stand in. A deliberation's page shows its source file beside
its page numbers (a small render_cell plugin), so a reader can open the PDF at the right page.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette import hookimpl

from pipeline.errors import ConfigurationError

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
DOC_FILES = ("schema.md", "findings.md")
TITLE = "delib — deliberations of French local authorities"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    url: str  # a SQLAlchemy SQLite URL, as `pipeline.settings.database_url` makes it
    host: str = "127.0.0.1"
    port: int = 8001
    metadata_out: Path | None = None


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

# The label Datasette shows for a foreign key into these tables.
LABELS = {"documents": "sha256", "persons": "name", "deliberations": "title", "import_runs": "command"}

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


def build_metadata(database: str, docs_dir: Path = DOCS_DIR) -> dict[str, Any]:
    """Datasette metadata for the database named `database` (the file's stem)."""
    tables: dict[str, Any] = {}
    for name, doc in table_docs(docs_dir).items():
        entry: dict[str, Any] = {"description": doc.description, "columns": doc.columns}
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        tables[name] = entry
    tables["deliberations"]["sort_desc"] = "session_date"
    tables.setdefault("v_deliberations", {})["sort_desc"] = "session_date"
    return {
        "title": TITLE,
        "description": "Deliberations read from PDF registry extracts and minutes. Start with "
                       "v_deliberations (one row per deliberation, with its file), or a query below. "
                       "Every row keeps the page it was read on: check it in the PDF.",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


# -- the source file on a deliberation's page ----------------------------------------------------

# Datasette plugins are modules: this one registers itself (see `_register_plugin`).

@hookimpl
def render_cell(row, value, column, table, database, datasette):  # type: ignore[no-untyped-def]
    """Shows `pages` of a deliberation as 'pages 1, 2 of /archive/file.pdf'."""
    if table != "deliberations" or column != "pages" or "document_id" not in row.keys():
        return None

    async def render():  # type: ignore[no-untyped-def]
        import markupsafe

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


def _register_plugin() -> None:
    import sys

    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="delib-source")


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


def make_app(path: Path, metadata: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The Datasette ASGI application over one file."""
    from datasette.app import Datasette

    _register_plugin()
    ds = Datasette(files=[str(path)], metadata=metadata,
                   settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "default_page_size": 50})
    return ds.app()


def serve(settings: ServeSettings) -> None:
    """Prepare the database (schema, findings table) and serve it until interrupted."""
    import uvicorn

    from models.findings import ensure_table
    from models.store import open_store

    path = sqlite_path(settings.url)
    with open_store(settings.url) as store:  # brings an older database's schema up to date
        ensure_table(store)  # the canned query over findings needs the table, even if empty
    metadata = build_metadata(path.stem)
    if settings.metadata_out:
        settings.metadata_out.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    uvicorn.run(make_app(path, metadata), host=settings.host, port=settings.port, log_level="warning")


__all__ = ["QUERIES", "ServeSettings", "TableDoc", "build_metadata", "make_app", "parse_docs", "serve",
           "sqlite_path", "table_docs"]
