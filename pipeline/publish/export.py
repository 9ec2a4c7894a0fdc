"""Open-data export: the SCDL "délibérations" table (v2.1.5) and plain dumps of the main tables.

    config = load_config("export.toml")                    # or ExportConfig() for none
    export_scdl(store, "deliberations.csv", config=config)  # -> rows written
    export_tables(store, "dump/", fmt="jsonl")              # -> {table: rows}

The SCDL columns the documents state come from the database; the others (SIRET, the préfecture's
id, the URL) come from the per-authority configuration and are left EMPTY when it does not give
them: an invented SIRET would be worse than a missing one. The matière comes from the
configuration, else from `extractors.matiere.classify` over the title and the operative clauses
(accuracy measured on hand-labelled deliberations, docs/export.md), else stays empty: the
classifier abstains rather than guess. The format of the
configuration file is in docs/export.md. Only current documents are exported (an old version of a
changed file is not published twice), and a deliberation read from two documents (the registry
extract and the minutes) is one row.
"""
from __future__ import annotations

import csv
import json
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import Connection, MetaData, Table, inspect

from extractors.matiere import classify as classify_matiere
from models.authorities import authority_settings
from models.dialect import joined_text_sql
from models.schema import Base
from models.store import Store
from pipeline.errors import ConfigurationError

SCDL_SCHEMA_FILE = "scdl-deliberations-schema.json"
SCDL_VERSION = "2.1.5"
# The tables an analyst re-uses; `pages` (every page's text) and the importer's bookkeeping are
# left out, ask for them by name.
MAIN_TABLES = (
    "documents", "document_paths", "deliberations", "persons", "attendance", "amounts",
    "budget_articles", "decisions", "deliberation_references", "entities", "findings",
)

_SIRET = re.compile(r"^\d{14}$")
_MATIERE = re.compile(r"^\d\.\d{1,2}$")


# -- configuration ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Matiere:
    code: str  # ACTES nomenclature, level 2: '7.5'
    nom: str  # 'Subventions'


@dataclass(frozen=True, slots=True)
class AuthorityConfig:
    """What the documents do not say about one authority. Every field is optional."""

    coll_nom: str | None = None  # official name; default: the name read in the documents
    coll_siret: str | None = None
    pref_id: str | None = None  # 'PREF074' or 'SP0743'
    matiere: Matiere | None = None  # for every deliberation of the authority...
    matieres: Mapping[str, Matiere] = field(default_factory=dict)  # ...or per deliberation number
    delib_url: str | None = None  # template: {number} {date} {sha256} {filename}


@dataclass(frozen=True, slots=True)
class ExportConfig:
    authorities: Mapping[str, AuthorityConfig] = field(default_factory=dict)

    def for_authority(self, name: str | None) -> AuthorityConfig:
        if not name:
            return AuthorityConfig()
        if name in self.authorities:
            return self.authorities[name]
        folded = {key.casefold(): value for key, value in self.authorities.items()}
        return folded.get(name.casefold(), AuthorityConfig())


_AUTHORITY_KEYS = {"coll_nom", "coll_siret", "pref_id", "matiere_code", "matiere_nom", "matieres", "delib_url"}


def load_config(path: Path | str) -> ExportConfig:
    """Read a TOML (.toml) or JSON (.json) export configuration; `ConfigurationError` if wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the export configuration {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {exc}") from exc
    return parse_config(data, source=str(path))


def parse_config(data: Mapping[str, Any], source: str = "the export configuration") -> ExportConfig:
    unknown = set(data) - {"authorities"}
    if unknown:
        raise ConfigurationError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; expected 'authorities'")
    authorities = {}
    for name, entry in (data.get("authorities") or {}).items():
        if not isinstance(entry, Mapping):
            raise ConfigurationError(f"{source}: authorities.{name!r} must be a table of settings")
        authorities[name] = _authority(entry, f"{source}: authority {name!r}")
    return ExportConfig(authorities)


def _authority(entry: Mapping[str, Any], where: str) -> AuthorityConfig:
    unknown = set(entry) - _AUTHORITY_KEYS
    if unknown:
        raise ConfigurationError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    siret = _text(entry.get("coll_siret"))
    if siret is not None:
        siret = siret.replace(" ", "")
        if not _SIRET.match(siret):
            raise ConfigurationError(f"{where}: coll_siret must be 14 digits, not {entry['coll_siret']!r}")
    matiere = None
    if entry.get("matiere_code") is not None or entry.get("matiere_nom") is not None:
        matiere = _matiere({"code": entry.get("matiere_code"), "nom": entry.get("matiere_nom")}, where)
    matieres = {str(number): _matiere(value, f"{where}, deliberation {number}")
                for number, value in (entry.get("matieres") or {}).items()}
    return AuthorityConfig(
        coll_nom=_text(entry.get("coll_nom")), coll_siret=siret, pref_id=_text(entry.get("pref_id")),
        matiere=matiere, matieres=matieres, delib_url=_text(entry.get("delib_url")),
    )


def _matiere(value: Any, where: str) -> Matiere:
    if not isinstance(value, Mapping) or not value.get("code") or not value.get("nom"):
        raise ConfigurationError(f"{where}: a matière needs both a code and a nom (e.g. 7.5, 'Subventions')")
    code = str(value["code"]).strip()
    if not _MATIERE.match(code):
        raise ConfigurationError(f"{where}: matière code must look like 7.5 (ACTES level 2), not {code!r}")
    return Matiere(code, str(value["nom"]).strip())


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


# -- SCDL -------------------------------------------------------------------------------------

def scdl_schema() -> dict[str, Any]:
    """The SCDL délibérations Table Schema shipped with delib (pipeline/schema/)."""
    text = resources.files("pipeline").joinpath("schema", SCDL_SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def scdl_fields() -> list[str]:
    return [f["name"] for f in scdl_schema()["fields"]]


def export_scdl(
    store: Store, out: Path | str | IO[str], *, config: ExportConfig = ExportConfig(), guess_matiere: bool = True,
    authority: str | None = None,
) -> int:
    """Write the SCDL délibérations CSV (UTF-8, comma, header) to a path or text stream; returns
    the number of deliberations written. `guess_matiere`: fill DELIB_MATIERE_* from the title and
    operative clauses where the configuration gives no matière. `authority`: only its rows (the
    name as read in the documents, case aside). Settings stored by `delib authority set` fill
    what the configuration leaves unsaid."""
    config = with_stored_settings(config, authority_settings(store))
    fields = scdl_fields()
    with _text_output(out) as stream:
        writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        written = 0
        for row in _scdl_rows(store, config, guess_matiere, authority):
            writer.writerow(row)
            written += 1
    return written


def with_stored_settings(config: ExportConfig, stored: Mapping[str, Any]) -> ExportConfig:
    """The configuration, with what `delib authority set` stored where the file says nothing."""
    authorities = dict(config.authorities)
    for name, settings in stored.items():
        base = config.for_authority(name)
        authorities[name] = replace(base, coll_siret=base.coll_siret or settings.siret,
                                    pref_id=base.pref_id or settings.pref_id,
                                    coll_nom=base.coll_nom or settings.official_name)
    return ExportConfig(authorities)


_GAPS_QUERY = """
SELECT d.authority, COUNT(*) AS n, SUM(CASE WHEN d.number IS NULL THEN 1 ELSE 0 END) AS no_number,
       SUM(CASE WHEN d.session_date IS NULL THEN 1 ELSE 0 END) AS no_date,
       SUM(CASE WHEN d.title IS NULL OR d.title = '' THEN 1 ELSE 0 END) AS no_title
FROM deliberations d
WHERE EXISTS (SELECT 1 FROM document_paths p WHERE p.document_id = d.document_id AND p.is_current)
GROUP BY d.authority ORDER BY d.authority
"""


def scdl_gaps(store: Store, config: ExportConfig = ExportConfig(), authority: str | None = None) -> list[str]:
    """What the SCDL schema requires and the export will leave empty, said before writing, each
    with how to set it (the matière is reported after writing: it is guessed row by row)."""
    from sqlalchemy import text

    config = with_stored_settings(config, authority_settings(store))
    with store.engine.connect() as conn:
        rows = [r for r in conn.execute(text(_GAPS_QUERY)).mappings()
                if authority is None or (r["authority"] or "").casefold() == authority.casefold()]
    gaps: list[str] = []
    no_siret = [r for r in rows if r["authority"] and not config.for_authority(r["authority"]).coll_siret]
    if no_siret:
        listed = ", ".join(f"{r['authority']} ({r['n']} rows)" for r in no_siret[:5])
        more = f" and {len(no_siret) - 5} more" if len(no_siret) > 5 else ""
        gaps.append(f"COLL_SIRET (required) is unknown for {len(no_siret)} authorit{'y' if len(no_siret) == 1 else 'ies'}: "
                    f"{listed}{more}. Set it with: delib authority set \"{no_siret[0]['authority']}\" --siret "
                    "NNNNNNNNNNNNNN (or coll_siret in --config)")
    unnamed = sum(r["n"] for r in rows if not r["authority"])
    if unnamed:
        gaps.append(f"COLL_NOM (required) is empty on {unnamed} rows whose authority was not read: "
                    "see `delib search` and `delib reextract`")
    for column, key, what in (("DELIB_ID", "no_number", "no number was read"),
                              ("DELIB_DATE", "no_date", "no séance date was read"),
                              ("DELIB_OBJET", "no_title", "no title was read")):
        missing = sum(r[key] or 0 for r in rows)
        if missing:
            gaps.append(f"{column} (required) is empty on {missing} rows: {what} (the document may not print it)")
    return gaps


@dataclass(frozen=True, slots=True)
class Validation:
    valid: bool
    errors_by_field: Mapping[str, int]


def validate_scdl(path: Path | str) -> Validation | None:
    """The written file checked by frictionless against the packaged SCDL schema; None when
    frictionless is not installed."""
    try:
        import frictionless
    except ModuleNotFoundError:
        return None
    path = Path(path)
    schema = frictionless.Schema.from_descriptor(scdl_schema())
    report = frictionless.Resource(path=path.name, basepath=str(path.parent.resolve()), schema=schema).validate()
    counts: dict[str, int] = {}
    for (name,) in report.flatten(["fieldName"]):
        counts[name or "(file)"] = counts.get(name or "(file)", 0) + 1
    return Validation(report.valid, dict(sorted(counts.items(), key=lambda kv: -kv[1])))


def _scdl_query(dialect_name: str) -> str:
    # The operative clauses joined in order: group_concat on SQLite, string_agg on PostgreSQL.
    operative = joined_text_sql(dialect_name, "dc.verb || ' ' || dc.text",
                                "decisions dc WHERE dc.deliberation_id = d.id", "dc.position")
    # The order SQLite gives (text by code point, NULL first), on PostgreSQL too: the same file.
    nulls = " NULLS FIRST" if dialect_name == "postgresql" else ""
    text_order = ' COLLATE "C"' + nulls if dialect_name == "postgresql" else ""
    return f"""
SELECT d.id, d.authority, d.number, d.number_key, d.title, d.session_date, d.transmission_date,
       d.in_office, d.voters, d.votes_for, d.votes_against, d.abstentions,
       doc.sha256,
       {operative} AS operative,
       (SELECT MIN(p.path) FROM document_paths p WHERE p.document_id = d.document_id AND p.is_current) AS path
FROM deliberations d JOIN documents doc ON doc.id = d.document_id
WHERE EXISTS (SELECT 1 FROM document_paths p WHERE p.document_id = d.document_id AND p.is_current)
ORDER BY d.authority{text_order}, d.session_date{nulls}, d.number{text_order}, d.id
"""


def _scdl_rows(store: Store, config: ExportConfig, guess_matiere: bool = True,
               authority: str | None = None) -> Iterator[dict[str, str]]:
    from sqlalchemy import text

    seen: set[tuple] = set()
    with store.engine.connect() as conn:
        for r in conn.execute(text(_scdl_query(conn.dialect.name))).mappings():
            if authority is not None and (r["authority"] or "").casefold() != authority.casefold():
                continue
            if r["number_key"]:
                key = (r["authority"], r["number_key"], r["session_date"])
                if key in seen:  # the same act read from the registry extract and the minutes
                    continue
                seen.add(key)
            yield _scdl_row(r, config.for_authority(r["authority"]), guess_matiere)


def _scdl_row(r: Mapping[str, Any], auth: AuthorityConfig, guess_matiere: bool = True) -> dict[str, str]:
    matiere = auth.matieres.get(r["number"] or "") or auth.matiere
    if matiere is None and guess_matiere:
        guess = classify_matiere(r["title"], r["operative"])
        # SCDL wants 'matière/sous-matière' in lower case for an ACTES name.
        matiere = Matiere(guess.code, guess.scdl_name) if guess else None
    return {
        "COLL_NOM": auth.coll_nom or r["authority"] or "",
        "COLL_SIRET": auth.coll_siret or "",
        "DELIB_ID": r["number"] or "",
        "DELIB_DATE": _iso(r["session_date"]),
        "DELIB_MATIERE_CODE": matiere.code if matiere else "",
        "DELIB_MATIERE_NOM": matiere.nom if matiere else "",
        "DELIB_OBJET": " ".join((r["title"] or "").split()),
        # Budget year and name: only when a deliberation has a budget impact, which delib cannot
        # tell from a cited account alone.
        "BUDGET_ANNEE": "",
        "BUDGET_NOM": "",
        "PREF_ID": auth.pref_id or "",
        "PREF_DATE": _iso(r["transmission_date"]),
        "VOTE_EFFECTIF": _int(r["in_office"]),
        "VOTE_REEL": _int(r["voters"]),
        # As printed: 'à l'unanimité' is not turned into figures (abstentions may be left out).
        "VOTE_POUR": _int(r["votes_for"]),
        "VOTE_CONTRE": _int(r["votes_against"]),
        "VOTE_ABSTENTION": _int(r["abstentions"]),
        "DELIB_URL": _url(auth.delib_url, r),
    }


def _url(template: str | None, r: Mapping[str, Any]) -> str:
    if not template:
        return ""
    values = {"number": r["number"] or "", "date": _iso(r["session_date"]), "sha256": r["sha256"],
              "filename": Path(r["path"]).name if r["path"] else ""}
    if any(f"{{{k}}}" in template and not v for k, v in values.items()):
        return ""  # a URL with a hole in it would point nowhere
    from urllib.parse import quote

    return template.format(**{k: quote(str(v)) for k, v in values.items()})


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _int(value: Any) -> str:
    return "" if value is None else str(int(value))


# -- plain tables ------------------------------------------------------------------------------

def export_tables(
    store: Store, out_dir: Path | str, fmt: Literal["csv", "jsonl"] = "csv", tables: Sequence[str] | None = None,
) -> dict[str, int]:
    """Write each table to `out_dir/TABLE.csv` or `.jsonl`; returns rows written per table.

    CSV: UTF-8 with a header, dates ISO, booleans 0/1, NULL as an empty field. JSONL: one object
    per line, NULL as null, money (`value`) as a string so that no digit is lost.
    """
    _check_format(fmt)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in table_names(store, tables):
        with (out / f"{name}.{fmt}").open("w", encoding="utf-8", newline="") as stream:
            written[name] = export_table(store, name, stream, fmt)
    return written


def table_names(store: Store, tables: Sequence[str] | None = None) -> list[str]:
    """The tables asked for (every main table by default); an unknown one is a configuration error."""
    with store.engine.connect() as conn:
        inspector = inspect(conn)
        # Views too: `pages` is one since schema 4 (its text is stored once, in deliberations).
        present = set(inspector.get_table_names()) | set(inspector.get_view_names())
    names = list(tables) if tables is not None else [t for t in MAIN_TABLES if t in present]
    for name in names:
        if name not in present:
            raise ConfigurationError(f"there is no table {name!r} in the database")
    return names


def export_table(store: Store, name: str, stream: IO[str], fmt: Literal["csv", "jsonl"] = "csv") -> int:
    """Stream one table to a text stream (a file, standard output) as CSV or JSONL; returns rows.

    Rows are read in batches straight from the DB-API cursor, and only the columns whose stored
    form differs from the exported one (booleans, money, timestamps) are converted: bounded
    memory whatever the size of the table, and the pace of the row fetch and Python's csv writer
    (1.4 times a bare loop of the two; not the disk's: see bench/README.md). Two tables at once
    in threads were slower (the csv writer holds the GIL).
    """
    _check_format(fmt)
    with store.engine.connect() as conn:
        table = _table(conn, name)
    columns = [c.name for c in table.columns]
    convert = _converters(table, fmt)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "rowid"
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{name}" ORDER BY {order}'
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        count = 0
        writer = csv.writer(stream, lineterminator="\n") if fmt == "csv" else None
        if writer is not None:
            writer.writerow(columns)
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        while batch := cursor.fetchmany(_EXPORT_BATCH):
            if convert:
                batch = [_converted(row, convert) for row in batch]
            if writer is not None:
                writer.writerows(batch)
            else:
                stream.write("".join(dumps(dict(zip(columns, row))) + "\n" for row in batch))
            count += len(batch)
        cursor.close()
    finally:
        raw.close()
    return count


_EXPORT_BATCH = 5000


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "jsonl"):
        raise ConfigurationError(f"unknown export format {fmt!r}: use csv or jsonl")


def _converters(table: Table, fmt: str) -> dict[int, Any]:
    """Position -> function for the columns whose raw value is not what the export writes."""
    from sqlalchemy import Boolean, Date, DateTime, Numeric

    found: dict[int, Any] = {}
    for i, column in enumerate(table.columns):
        kind = column.type
        if isinstance(kind, Boolean) and fmt == "jsonl":
            found[i] = bool
        elif isinstance(kind, Numeric) and kind.scale is not None:
            found[i] = _money(kind.scale)
        elif isinstance(kind, DateTime):
            found[i] = _timestamp
        elif isinstance(kind, Date):
            found[i] = str
        elif fmt == "csv" and isinstance(kind, Boolean):
            found[i] = int
    return found


def _converted(row: tuple, convert: dict[int, Any]) -> tuple:
    values = list(row)
    for i, function in convert.items():
        if values[i] is not None:
            values[i] = function(values[i])
    return tuple(values)


def _money(scale: int):  # type: ignore[no-untyped-def]
    quantum = Decimal(1).scaleb(-scale)

    def text(value: Any) -> str:
        return format(Decimal(str(value)).quantize(quantum), "f")

    return text


def _timestamp(value: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff'; written as Python's isoformat(' ') would: without
    # the fraction when it is zero.
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    return text[:-7] if text.endswith(".000000") else text


def _table(conn: Connection, name: str) -> Table:
    # The typed definition when delib declares it (dates come back as dates), else reflected.
    if name in Base.metadata.tables:
        return Base.metadata.tables[name]
    return Table(name, MetaData(), autoload_with=conn)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@contextmanager
def _text_output(out: Path | str | IO[str]) -> Iterator[IO[str]]:
    if isinstance(out, (str, Path)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with Path(out).open("w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield out


__all__ = [
    "AuthorityConfig", "ExportConfig", "MAIN_TABLES", "Matiere", "SCDL_VERSION", "export_scdl",
    "export_table", "export_tables", "table_names", "load_config", "parse_config", "scdl_fields", "scdl_schema",
]
