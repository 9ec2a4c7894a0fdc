"""The only code that writes the database: one transaction per document, re-imports are no-ops.

    store = open_store("sqlite:///delib.db")          # creates the schema if missing
    run = store.start_run("delib import ~/pdfs")
    if not store.lookup_path(p, size, mtime):          # nightly fast skip, no hashing
        outcome = store.save(extraction, path=p, size_bytes=size, mtime=mtime, extractor_version=v)
        outcome.status                                 # 'imported' | 'known' | 'new_path'
    store.record_failure(p, "page 3 could not be read: the file is truncated", run_id=run)
    store.finish_run(run, files_seen=..., imported=..., skipped=..., failed=..., status="ok")
    for doc_id, path in store.documents_needing_reextract(v): store.replace_extraction(...)

Errors are `StoreError` subclasses with a message for a person.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

from sqlalchemy import (
    Connection, Engine, bindparam, create_engine, delete, func, insert, inspect, or_, select, union, update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from models import dialect, migrations
from models.schema import SCHEMA_VERSION, Attendance as AttendanceRow, Amount as AmountRow
from models.schema import Base, BudgetArticle as BudgetArticleRow, BudgetNomenclature
from models.schema import Decision as DecisionRow, Deliberation as DeliberationRow
from models.schema import DeliberationReference as ReferenceRow, Document, DocumentPath
from models.schema import DocumentPage, Entity as EntityRow, ImportFailure, ImportRun, PagePart as PagePartRow
from models.schema import Person as PersonRow, SchemaInfo
from models.keys import normalize_name, number_key
from models.pagetext import split_page
from models.views import create_views, drop_views, fingerprint as views_fingerprint
from models.records import Deliberation as DeliberationRecord, Extraction

log = logging.getLogger(__name__)


class StoreError(Exception):
    """Base of the errors the store raises; messages are meant for a person."""


class SchemaVersionError(StoreError):
    pass


class UnknownDocument(StoreError):
    pass


class NomenclatureUnavailable(StoreError):
    pass


class InvalidExtraction(StoreError):
    """The extraction breaks a rule of the schema (e.g. a page number twice); nothing was saved."""


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What `Store.save` / `Store.replace_extraction` did with one document."""

    status: Literal["imported", "known", "new_path", "reextracted"]
    document_id: int
    deliberations: int  # how many deliberations the document holds in the database
    superseded: tuple[int, ...] = ()  # documents this path held before (the file changed)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class MissingDatabase(StoreError):
    """`create=False` and there is no database at that path."""


def open_store(url: str, *, create: bool = True, readonly: bool = False) -> "Store":
    """Open the database at a SQLAlchemy URL, e.g. 'sqlite:///delib.db' or
    'postgresql://user@host/dbname' (psycopg 3).

    create: make the file and the schema if missing (else `MissingDatabase`).
    readonly: only read, never write (a database on read-only media or that the user cannot
    write); the schema is checked, not updated.
    """
    url = dialect.engine_url(url)  # 'postgresql://' is psycopg 3
    parsed = make_url(url)
    sqlite_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    if sqlite_file and not create and not Path(parsed.database).exists():
        raise MissingDatabase(f"no database at {parsed.database}")
    if readonly and sqlite_file:
        store = Store(_readonly_engine(Path(parsed.database)))
        store.check_schema()
        return store
    if sqlite_file:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **dialect.engine_options(url, readonly=readonly))
    dialect.configure_engine(engine)
    store = Store(engine)
    if readonly:  # a server database opened by a user who may only read it
        store.check_schema()
        return store
    store.ensure_schema()
    return store


def _readonly_engine(path: Path) -> Engine:
    """SQLite opened with mode=ro; on media where even the WAL index cannot be created,
    immutable=1 (nothing else can be writing to a read-only disk)."""
    import sqlite3
    from urllib.parse import quote

    base = f"file:{quote(str(path.resolve()))}?mode=ro"
    uri = base
    try:
        probe = sqlite3.connect(uri, uri=True)
        try:
            probe.execute("select count(*) from sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.Error:
        uri = base + "&immutable=1"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))


class Store:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """For readers in this package (search); nothing outside `models` should write with it."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------

    # The schema version ensure_schema upgraded this database from (None: it did not upgrade).
    upgraded_from: str | None = None

    def ensure_schema(self) -> None:
        """Bring the database to this delib's schema: the Alembic migrations up to the head revision,
        then the full-text index and the views; refuse a database newer than this delib.

        An up-to-date database is only read, so opening it never waits for a running import. One
        made before Alembic (schema_info's schema_version 1 or 2, no alembic_version) is stamped
        with the revision it already is, then upgraded in place: rows are never rewritten.
        """
        if not self._schema_ready():
            with migrations.transaction(self._engine) as conn:
                # Read again under the write lock: another process may have upgraded it meanwhile.
                state = _read_schema_state(conn)
                verdict = _verdict(state)
                if verdict != "current":
                    _migrate(conn, state)
                if verdict == "outdated":
                    self.upgraded_from = state.version_label
                dialect.create_fts(conn)
                create_views(conn)
                _record_schema(conn)
        with self._engine.connect() as conn:
            empty = not conn.scalar(select(func.count()).select_from(BudgetNomenclature))
        if empty:
            try:
                self.load_nomenclature()
            except NomenclatureUnavailable as exc:
                log.warning("%s", exc)

    def check_schema(self) -> None:
        """Refuse a database this delib cannot read as it is, without writing anything: not a
        delib database, made by a newer delib, or one that needs upgrading (a read-only opening
        cannot upgrade it)."""
        with self._engine.connect() as conn:
            state = _read_schema_state(conn)
        verdict = _verdict(state)
        if verdict == "new":
            raise SchemaVersionError("this is not a delib database (no schema_info table)")
        if verdict == "outdated":
            raise SchemaVersionError(
                f"the database has schema version {state.version_label}, this delib reads {SCHEMA_VERSION}; "
                "it was opened read-only, so it was not upgraded: run `delib upgrade --db ...` once where "
                "it can be written (any delib command that writes upgrades it too)")

    def _schema_ready(self) -> bool:
        """True when nothing needs writing: the head revision, and the views this delib makes."""
        with self._engine.connect() as conn:
            state = _read_schema_state(conn)
        return (_verdict(state) == "current" and state.schema_version == SCHEMA_VERSION
                and state.views == views_fingerprint())

    def load_nomenclature(self, accounts: Iterable[tuple[str, str, str | None]] | None = None) -> int:
        """Replace `budget_nomenclature` with (code, label, class) rows; by default those of
        `models.nomenclature.all_accounts()`. Returns the number of rows."""
        if accounts is None:
            try:
                from models.nomenclature import all_accounts
            except ImportError as exc:
                raise NomenclatureUnavailable(
                    "the budget nomenclature could not be loaded: "
                    f"models.nomenclature.all_accounts is not available ({exc})"
                ) from exc
            accounts = all_accounts()
        by_code = {str(code): (label, cls) for code, label, cls in accounts}
        with dialect.write_transaction(self._engine) as conn:
            conn.execute(delete(BudgetNomenclature))
            if by_code:
                conn.execute(
                    insert(BudgetNomenclature),
                    [{"code": c, "label": lab, "class": cls} for c, (lab, cls) in by_code.items()],
                )
        return len(by_code)

    # -- import -------------------------------------------------------------------------------

    def save(
        self, extraction: Extraction, *, path: str, size_bytes: int, mtime: float, extractor_version: str
    ) -> SaveOutcome:
        """Record one document found at `path`, in one transaction (all of it or nothing).

        - new bytes: 'imported'; if the path held another document, that one stays but is no
          longer current for the path (listed in `superseded`)
        - known bytes at a known path: 'known' (only last_seen, size and mtime are refreshed)
        - known bytes at a new path: 'new_path' (a second location, no extracted row added)
        """
        now = _utcnow()
        sha = extraction.source.sha256
        with _document_transaction(self._engine, path) as conn:
            doc_id = conn.scalar(select(Document.id).where(Document.sha256 == sha))
            if doc_id is not None:
                return _add_location(conn, doc_id, path, size_bytes, mtime, now)

            doc_id = conn.execute(
                insert(Document)
                .values(**_document_values(extraction, extractor_version), imported_at=now,
                        status="ok", size_bytes=size_bytes)
                .returning(Document.id)
            ).scalar_one()
            count = _write_extraction(conn, doc_id, extraction)
            superseded = _make_current(conn, path, doc_id)
            _insert_path(conn, doc_id, path, size_bytes, mtime, now)
        log.info("imported %s as document %d (%d deliberations)", path, doc_id, count)
        return SaveOutcome("imported", doc_id, count, superseded)

    def add_location(self, sha256: str, *, path: str, size_bytes: int, mtime: float) -> SaveOutcome | None:
        """Record that known bytes (by SHA-256) are at `path`, without their extraction: a moved
        or renamed archive is recognised before anything is read again. None if unknown."""
        with _document_transaction(self._engine, path) as conn:
            doc_id = conn.scalar(select(Document.id).where(Document.sha256 == sha256))
            if doc_id is None:
                return None
            return _add_location(conn, doc_id, path, size_bytes, mtime, _utcnow())

    def replace_extraction(self, extraction: Extraction, extractor_version: str) -> SaveOutcome:
        """Replace what was extracted from a known document (same sha256), in one transaction.

        The deliberations keep their ids, position by position, so links to them (a Datasette
        row, an earlier export, a reference from another deliberation) stay valid.
        """
        sha = extraction.source.sha256
        with _document_transaction(self._engine, extraction.source.path) as conn:
            doc_id = conn.scalar(select(Document.id).where(Document.sha256 == sha))
            if doc_id is None:
                raise UnknownDocument(f"no document with sha256 {sha} to re-extract; import it first")
            ids = conn.scalars(select(DeliberationRow.id).where(DeliberationRow.document_id == doc_id)
                               .order_by(DeliberationRow.position, DeliberationRow.id)).all()
            authorities = _clear_extraction(conn, doc_id)
            conn.execute(
                update(Document)
                .where(Document.id == doc_id)
                .values(**_document_values(extraction, extractor_version), status="ok", error=None)
            )
            count = _write_extraction(conn, doc_id, extraction, reuse_ids=ids)
            _delete_orphan_persons(conn, authorities)
        return SaveOutcome("reextracted", doc_id, count)

    def record_failure(self, path: str, reason: str, *, run_id: int | None = None) -> None:
        """Note that `path` could not be imported, and why (a row in `import_failures`)."""
        with dialect.write_transaction(self._engine) as conn:
            conn.execute(insert(ImportFailure).values(run_id=run_id, path=path, reason=reason, at=_utcnow()))

    def start_run(self, command: str) -> int:
        """Open an `import_runs` row; returns its id."""
        with dialect.write_transaction(self._engine) as conn:
            return conn.execute(
                insert(ImportRun)
                .values(started_at=_utcnow(), command=command, files_seen=0, imported=0,
                        skipped=0, failed=0, status="running")
                .returning(ImportRun.id)
            ).scalar_one()

    def finish_run(
        self, run_id: int, *, files_seen: int, imported: int, skipped: int, failed: int, status: str = "ok"
    ) -> None:
        with dialect.write_transaction(self._engine) as conn:
            conn.execute(
                update(ImportRun)
                .where(ImportRun.id == run_id)
                .values(finished_at=_utcnow(), files_seen=files_seen, imported=imported,
                        skipped=skipped, failed=failed, status=status)
            )

    # -- questions the importer asks ----------------------------------------------------------

    def lookup_path(self, path: str, size_bytes: int, mtime: float) -> bool:
        """True when this path, with this size and mtime, is already imported (skip without hashing)."""
        with self._engine.connect() as conn:
            found = conn.scalar(
                select(DocumentPath.id).where(
                    DocumentPath.path == path,
                    DocumentPath.size_bytes == size_bytes,
                    DocumentPath.mtime == mtime,
                    DocumentPath.is_current.is_(True),
                ).limit(1)
            )
        return found is not None

    def has_sha256(self, sha256: str) -> bool:
        with self._engine.connect() as conn:
            return conn.scalar(select(Document.id).where(Document.sha256 == sha256)) is not None

    def documents_needing_reextract(self, version: str) -> Iterator[tuple[int, str]]:
        """(document id, a current path) of documents extracted by another version.

        Documents no path holds any more (old versions of changed files) are left out: their
        bytes cannot be read again. Fetched up front so the caller may write while iterating.
        """
        with self._engine.connect() as conn:
            found = conn.execute(
                select(DocumentPath.document_id, func.min(DocumentPath.path))
                .join(Document, Document.id == DocumentPath.document_id)
                .where(Document.extractor_version != version, DocumentPath.is_current.is_(True))
                .group_by(DocumentPath.document_id)
                .order_by(DocumentPath.document_id)
            ).all()
        for doc_id, path in found:
            yield doc_id, path

    def table_counts(self) -> dict[str, int]:
        """Rows per table, e.g. for an import report or to check that a re-import added nothing."""
        with self._engine.connect() as conn:
            return {
                name: conn.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()
            }


# -- the schema's version (helpers of ensure_schema / check_schema) ----------------------------

@dataclass(frozen=True, slots=True)
class _SchemaState:
    revision: str | None  # alembic_version's; None: made before Alembic, or a new database
    schema_version: str | None  # schema_info's
    views: str | None  # schema_info's fingerprint of the views last made
    has_tables: bool  # any of delib's tables

    @property
    def version_label(self) -> str:
        """The schema version to name to a person."""
        if self.revision is not None and self.revision.isdigit():
            return str(int(self.revision))
        return self.revision or self.schema_version or "unknown"


def _read_schema_state(conn: Connection) -> _SchemaState:
    """A few reads, no write, no Alembic import: what every opening of the database pays."""
    inspector = inspect(conn)
    info: dict[str, str] = {}
    if inspector.has_table(SchemaInfo.__tablename__):
        info = {key: value for key, value in conn.execute(select(SchemaInfo.key, SchemaInfo.value))}
    has_tables = bool(info) or inspector.has_table(Document.__tablename__)
    return _SchemaState(migrations.current_revision(conn), info.get("schema_version"), info.get("views"),
                        has_tables)


def _verdict(state: _SchemaState) -> Literal["current", "outdated", "new"]:
    """Whether the database is at this delib's head revision, behind it, or empty; a database
    made by a newer delib, or not by delib, raises `SchemaVersionError`."""
    version = state.schema_version
    if version is not None and (not version.isdigit() or int(version) > int(SCHEMA_VERSION)):
        raise SchemaVersionError(f"the database has schema version {version}, this delib expects "
                                 f"{SCHEMA_VERSION} at most: it was made by a newer delib, upgrade delib to open it")
    if state.revision == migrations.HEAD:
        return "current"
    if state.revision is not None:
        if state.revision in migrations.known_revisions():
            return "outdated"
        raise SchemaVersionError(f"the database is at schema revision {state.revision}, which this delib does "
                                 f"not know (its latest is {migrations.HEAD}): it was made by a newer delib, "
                                 "upgrade delib to open it")
    if version in migrations.LEGACY_REVISIONS:
        return "outdated"
    if state.has_tables:
        raise SchemaVersionError("the database has tables but no delib schema version: it was not made by delib")
    return "new"


def _migrate(conn: Connection, state: _SchemaState) -> None:
    """Run the migrations to the head revision, in the caller's transaction (all or nothing)."""
    # The views go first and come back after (create_views): a migration that rebuilds a table
    # (SQLite's batch mode) cannot rename it under a view that reads it.
    drop_views(conn)
    if state.revision is None and state.schema_version is not None:
        migrations.stamp(conn, migrations.LEGACY_REVISIONS[state.schema_version])
    migrations.upgrade(conn)
    if state.has_tables:
        log.info("database upgraded from schema %s to %s", state.version_label, SCHEMA_VERSION)


def _record_schema(conn: Connection) -> None:
    """schema_info's facts, for analysts and the serve layer (Alembic's alembic_version is the
    one the store trusts). 'indexes', the fingerprint by which delib added missing indexes before
    Alembic, goes: the migrations build the indexes now."""
    keys = ("schema_version", "views", "indexes")
    conn.execute(delete(SchemaInfo).where(SchemaInfo.key.in_(keys)))
    conn.execute(insert(SchemaInfo), [{"key": "schema_version", "value": SCHEMA_VERSION},
                                      {"key": "views", "value": views_fingerprint()}])


@contextmanager
def _document_transaction(engine: Engine, path: str) -> Iterator[Connection]:
    try:
        with dialect.write_transaction(engine) as conn:
            yield conn
    except IntegrityError as exc:
        raise InvalidExtraction(f"{path} was not saved: the extraction breaks a database rule ({exc.orig})") from exc


def _document_values(extraction: Extraction, extractor_version: str) -> dict[str, object]:
    source = extraction.source
    return {
        "sha256": source.sha256,
        "pages": source.pages,
        "ocr": source.ocr,
        "extractor_version": extractor_version,
        "warnings": "\n".join(source.warnings),
        "kind": source.kind,
    }


def _insert_path(conn: Connection, doc_id: int, path: str, size: int, mtime: float, now: datetime) -> None:
    conn.execute(
        insert(DocumentPath).values(
            document_id=doc_id, path=path, size_bytes=size, mtime=mtime,
            first_seen=now, last_seen=now, is_current=True,
        )
    )


def _add_location(conn: Connection, doc_id: int, path: str, size_bytes: int, mtime: float,
                  now: datetime) -> SaveOutcome:
    """Known bytes at `path`: refresh the location, or add it as a new one."""
    known = conn.scalar(
        select(DocumentPath.id).where(DocumentPath.path == path, DocumentPath.document_id == doc_id)
    )
    superseded = _make_current(conn, path, doc_id)
    if known is not None:
        conn.execute(
            update(DocumentPath)
            .where(DocumentPath.id == known)
            .values(size_bytes=size_bytes, mtime=mtime, last_seen=now, is_current=True)
        )
    else:
        _insert_path(conn, doc_id, path, size_bytes, mtime, now)
    count = _deliberation_count(conn, doc_id)
    return SaveOutcome("known" if known else "new_path", doc_id, count, superseded)


def _make_current(conn: Connection, path: str, doc_id: int) -> tuple[int, ...]:
    """Mark other documents at `path` as no longer current; returns those that were."""
    others: Sequence[int] = conn.scalars(
        select(DocumentPath.document_id).where(
            DocumentPath.path == path,
            DocumentPath.document_id != doc_id,
            DocumentPath.is_current.is_(True),
        )
    ).all()
    if others:
        conn.execute(
            update(DocumentPath)
            .where(DocumentPath.path == path, DocumentPath.document_id != doc_id)
            .values(is_current=False)
        )
    return tuple(others)


# -- normalisation ----------------------------------------------------------------------------
# normalize_name and number_key live in models.keys (light to import) and are re-exported here.


def _cents(value: Decimal) -> int:
    # The contract allows at most 2 decimals; anything finer is rounded, never floated.
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))


# -- writing one document's rows --------------------------------------------------------------
# Module-level functions (not methods) so a test can make one of them fail mid-document.
#
# The statements are built once, on the tables (not the ORM classes), and rows are passed as
# parameters: building, keying and compiling a statement per row, or per number of rows, was most
# of the single writer's time (2.7 of 3.9 CPU seconds for 100 documents), and the single writer
# competes with the extraction workers for the cores.

_DELIBERATIONS = DeliberationRow.__table__
_PAGES = DocumentPage.__table__
_PERSONS = PersonRow.__table__
_REFERENCES = ReferenceRow.__table__
_INSERT_DELIBERATION = insert(_DELIBERATIONS).returning(_DELIBERATIONS.c.id)
_INSERT_PAGE = insert(_PAGES).returning(_PAGES.c.id)
_INSERT_PAGE_PARTS = insert(PagePartRow.__table__)
_INSERT_PERSONS = insert(_PERSONS)
_INSERT_ATTENDANCE = insert(AttendanceRow.__table__)
_INSERT_AMOUNTS = insert(AmountRow.__table__)
_FIND_PERSONS = select(_PERSONS.c.normalized_name, _PERSONS.c.id).where(
    _PERSONS.c.authority == bindparam("authority"),
    _PERSONS.c.normalized_name.in_(bindparam("keys", expanding=True)))
_INSERT_DECISIONS = insert(DecisionRow.__table__)
_INSERT_BUDGET_ARTICLES = insert(BudgetArticleRow.__table__)
_INSERT_REFERENCES = insert(_REFERENCES)
_INSERT_ENTITIES = insert(EntityRow.__table__)


def _write_extraction(conn: Connection, doc_id: int, extraction: Extraction, reuse_ids: Sequence[int] = ()) -> int:
    persons: dict[tuple[str, str], int] = {}
    new_ids: list[int] = []
    keys: set[str] = set()
    for position, record in enumerate(extraction.deliberations, start=1):
        values = _deliberation_values(doc_id, position, record)
        if position <= len(reuse_ids):  # a re-extraction keeps the ids of the same positions
            values["id"] = reuse_ids[position - 1]
        delib_id = conn.execute(_INSERT_DELIBERATION, values).scalar_one()
        new_ids.append(delib_id)
        if key := number_key(record.number):
            keys.add(key)
        _write_attendance(conn, delib_id, record, persons)
        _write_amounts(conn, delib_id, record)
        _write_children(conn, delib_id, record)
    _write_pages(conn, doc_id, extraction, new_ids)
    _link_references(conn, new_ids, keys)
    dialect.flush_terms(conn)  # the new rows' words join the index's word list (prefix searches)
    return len(new_ids)


def _write_pages(conn: Connection, doc_id: int, extraction: Extraction, delib_ids: Sequence[int]) -> None:
    """Each page, its text as parts of the deliberations' texts that hold it (the text is stored
    once: models.pagetext); the view `pages` joins them again."""
    on_page: dict[int, list[tuple[int, str]]] = {}
    for delib_id, record in zip(delib_ids, extraction.deliberations):
        for number in set(record.pages):
            on_page.setdefault(number, []).append((delib_id, record.text))
    parts = []
    for page in extraction.page_texts:
        page_id = conn.execute(_INSERT_PAGE, {
            "document_id": doc_id, "page_number": page.number, "margin": page.margin, "ocr": page.ocr,
            "ocr_confidence": page.ocr_confidence}).scalar_one()
        parts += [{"page_id": page_id, "position": position, "deliberation_id": part.deliberation_id,
                   "text_start": part.start, "text_length": part.length, "text": part.text}
                  for position, part in enumerate(split_page(page.text, on_page.get(page.number, ())), start=1)]
    if parts:
        conn.execute(_INSERT_PAGE_PARTS, parts)


def _deliberation_values(doc_id: int, position: int, d: DeliberationRecord) -> dict[str, object]:
    return {
        "document_id": doc_id, "position": position, "authority": d.authority, "body": d.body,
        "number": d.number, "number_key": number_key(d.number), "title": d.title,
        "session_date": d.session_date, "session_time": d.session_time,
        "convocation_date": d.convocation_date, "transmission_date": d.transmission_date,
        "publication_date": d.publication_date, "place": d.place, "president": d.president,
        "secretary": d.secretary, "in_office": d.counts.in_office, "present": d.counts.present,
        "represented": d.counts.represented, "voters": d.counts.voters,
        "unanimous": d.vote.unanimous, "votes_for": d.vote.for_, "votes_against": d.vote.against,
        "abstentions": d.vote.abstentions, "not_voting": d.vote.not_voting,
        "pages": ",".join(str(p) for p in d.pages), "first_page": min(d.pages, default=None),
        "text": d.text,
    }


def _resolve_persons(conn: Connection, cache: dict[tuple[str, str], int], authority: str,
                     names: list[str | None]) -> None:
    """Fill `cache` with the person id of every name, creating the missing persons.

    Two queries per deliberation rather than one per name: the single writer is what bounds
    the import's speed.
    """
    wanted: dict[str, str] = {}
    for name in names:
        if name and (key := normalize_name(name)) and (authority, key) not in cache:
            wanted.setdefault(key, name)
    if not wanted:
        return

    def lookup(keys: list[str]) -> None:
        rows = conn.execute(_FIND_PERSONS, {"authority": authority, "keys": keys})
        cache.update({(authority, key): person_id for key, person_id in rows})

    lookup(list(wanted))
    missing = [key for key in wanted if (authority, key) not in cache]
    if missing:
        conn.execute(_INSERT_PERSONS, [
            {"authority": authority, "name": wanted[key], "normalized_name": key} for key in missing
        ])
        lookup(missing)


def _person_id(cache: dict[tuple[str, str], int], authority: str, name: str | None) -> int | None:
    key = normalize_name(name) if name else None
    return cache.get((authority, key)) if key else None


def _write_attendance(conn: Connection, delib_id: int, d: DeliberationRecord, cache: dict[tuple[str, str], int]) -> None:
    authority = d.authority or ""
    _resolve_persons(conn, cache, authority,
                     [n for p in d.attendance for n in (p.name, p.substitute_for, p.proxy_to)])
    values = [
        {"deliberation_id": delib_id, "person_id": _person_id(cache, authority, p.name),
         "name": p.name, "civility": p.civility, "status": p.status,
         "substitute_for_person_id": _person_id(cache, authority, p.substitute_for),
         "proxy_to_person_id": _person_id(cache, authority, p.proxy_to),
         "substitute_for": p.substitute_for, "proxy_to": p.proxy_to, "page": p.page}
        for p in d.attendance
    ]
    if values:
        conn.execute(_INSERT_ATTENDANCE, values)


def _write_amounts(conn: Connection, delib_id: int, d: DeliberationRecord) -> None:
    values = [
        {"deliberation_id": delib_id, "value_cents": _cents(a.value),
         "value": Decimal(_cents(a.value)).scaleb(-2), "currency": a.currency, "text": a.text,
         "page": a.page, "beneficiary": a.beneficiary}
        for a in d.amounts
    ]
    if values:
        conn.execute(_INSERT_AMOUNTS, values)


def _write_children(conn: Connection, delib_id: int, d: DeliberationRecord) -> None:
    """Decisions, budget articles, references and entities: rows copied as they are."""
    tables = (
        (_INSERT_DECISIONS, "deliberation_id", [{"position": i, "verb": x.verb, "text": x.text, "page": x.page}
                                                for i, x in enumerate(d.decisions, start=1)]),
        (_INSERT_BUDGET_ARTICLES, "deliberation_id",
         [{"code": x.code, "label": x.label, "page": x.page} for x in d.budget_articles]),
        (_INSERT_REFERENCES, "citing_deliberation_id",
         [{"number": x.number, "number_key": number_key(x.number) or "", "date": x.date, "page": x.page}
          for x in d.references]),
        (_INSERT_ENTITIES, "deliberation_id", [{"text": x.text, "label": x.label, "page": x.page} for x in d.entities]),
    )
    for statement, owner, values in tables:
        if values:
            conn.execute(statement, [{owner: delib_id, **v} for v in values])


def _linking(with_keys: bool):
    """The update of `_link_references`, for the new deliberations' ids (and numbers)."""
    ref = _REFERENCES
    cited = _DELIBERATIONS.alias("cited")
    citing = _DELIBERATIONS.alias("citing")
    same = (
        citing.c.id == ref.c.citing_deliberation_id, cited.c.authority == citing.c.authority,
        cited.c.number_key == ref.c.number_key, cited.c.id != citing.c.id,
    )
    # Same number twice (the act in two documents): prefer the printed date, then the oldest row.
    dated = select(func.min(cited.c.id)).where(*same, cited.c.session_date == ref.c.date).scalar_subquery()
    any_date = select(func.min(cited.c.id)).where(*same).scalar_subquery()
    scope = ref.c.citing_deliberation_id.in_(bindparam("new_ids", expanding=True))
    if with_keys:
        scope = or_(scope, ref.c.number_key.in_(bindparam("keys", expanding=True)))
    return (update(ref).where(ref.c.cited_deliberation_id.is_(None), scope)
            .values(cited_deliberation_id=func.coalesce(dated, any_date)))


_LINK_REFERENCES = {with_keys: _linking(with_keys) for with_keys in (False, True)}


def _link_references(conn: Connection, new_ids: list[int], keys: set[str]) -> None:
    """Point references at the deliberation they cite, both ways: the new deliberations' own
    references, and older references to the new deliberations' numbers (cited arrived later)."""
    params: dict[str, object] = {"new_ids": new_ids}
    if keys:
        params["keys"] = sorted(keys)
    conn.execute(_LINK_REFERENCES[bool(keys)], params)


def _deliberation_count(conn: Connection, doc_id: int) -> int:
    return conn.scalar(select(func.count()).where(DeliberationRow.document_id == doc_id)) or 0


def _clear_extraction(conn: Connection, doc_id: int) -> set[str]:
    """Delete a document's extracted rows (children go by cascade); returns the authorities."""
    authorities = set(conn.scalars(
        select(func.coalesce(DeliberationRow.authority, "")).where(DeliberationRow.document_id == doc_id)
    ))
    conn.execute(delete(DeliberationRow).where(DeliberationRow.document_id == doc_id))
    conn.execute(delete(DocumentPage).where(DocumentPage.document_id == doc_id))  # and their parts
    return authorities


def _delete_orphan_persons(conn: Connection, authorities: set[str]) -> None:
    """After a re-extraction, forget persons no attendance row names any more."""
    used = union(*(select(c).where(c.is_not(None)) for c in (
        AttendanceRow.person_id, AttendanceRow.substitute_for_person_id, AttendanceRow.proxy_to_person_id)))
    conn.execute(delete(PersonRow).where(PersonRow.authority.in_(authorities), PersonRow.id.not_in(used)))


__all__ = [
    "InvalidExtraction",
    "MissingDatabase",
    "NomenclatureUnavailable",
    "SaveOutcome",
    "SchemaVersionError",
    "Store",
    "StoreError",
    "UnknownDocument",
    "normalize_name",
    "number_key",
    "open_store",
]
