"""The tables analysts query: SQLAlchemy 2 declarative models.

Portable definitions only; anything SQLite-specific (FTS5, PRAGMAs) lives in `models.dialect`,
the views in `models.views`. Every column carries a `comment=` because the schema is the
analysts' interface and `docs/schema.md` is checked against it.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The schema's number: the head revision of models/migrations is the same on four digits (0002),
# which tests/test_migrations.py checks. A change to the tables here needs a revision there
# (docs/schema.md, "Upgrading and migrations"). 1: delib 0.1.0; 2: documents.kind,
# amounts.beneficiary, checked_deliberations, authority_settings, the covering indexes; 3 (SQLite):
# the full-text index's word list (models.dialect.TERMS_TABLE), for prefix searches; 4: the text
# stored once: pages as document_pages and page_parts (slices of deliberations.text), a view pages;
# 5 (PostgreSQL): the search's GIN index of the words and the id, and the index's word list.
SCHEMA_VERSION = "5"


class Base(DeclarativeBase):
    pass


def _doc_fk() -> ForeignKey:
    # Everything extracted from a document goes with it: re-extraction deletes and rewrites.
    return ForeignKey("documents.id", ondelete="CASCADE")


def _delib_fk() -> ForeignKey:
    return ForeignKey("deliberations.id", ondelete="CASCADE")


class Document(Base):
    """One PDF, identified by the SHA-256 of its bytes (the same bytes are one document)."""

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("status IN ('ok', 'failed')", name="ck_documents_status"),
        {"comment": "One PDF file content, identified by its SHA-256."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Document id")
    sha256: Mapped[str] = mapped_column(
        String(64), unique=True, comment="SHA-256 of the file's bytes, lower-case hex"
    )
    pages: Mapped[int] = mapped_column(Integer, comment="Number of pages in the PDF")
    ocr: Mapped[bool] = mapped_column(
        Boolean, comment="True when the text of at least one page came from OCR"
    )
    extractor_version: Mapped[str] = mapped_column(
        String(40), comment="Version of delib's extractors that produced the rows"
    )
    imported_at: Mapped[datetime] = mapped_column(
        DateTime, index=True, comment="When the document was first imported (UTC)"
    )
    status: Mapped[str] = mapped_column(
        String(10), default="ok", comment="'ok' or 'failed' (could not be read)"
    )
    error: Mapped[str | None] = mapped_column(Text, comment="Why reading failed, if it did")
    size_bytes: Mapped[int | None] = mapped_column(Integer, comment="File size in bytes")
    warnings: Mapped[str | None] = mapped_column(
        Text, comment="Extraction warnings, one per line (empty when none)"
    )
    kind: Mapped[str | None] = mapped_column(
        String(10), index=True,
        comment="What the document is: extract, minutes, list, arrete or other (empty: not classified)",
    )


class DocumentPath(Base):
    """Where a document was found. A changed file at the same path is a new document."""

    __tablename__ = "document_paths"
    __table_args__ = (
        UniqueConstraint("path", "document_id", name="uq_document_paths_path_document"),
        Index("ix_document_paths_lookup", "path", "size_bytes", "mtime"),
        # Covers "is this document current, and where" (search, views, export) without reading
        # the row: search checks it for every match it ranks.
        Index("ix_document_paths_current", "document_id", "is_current", "path"),
        {"comment": "Each place a document's bytes were seen."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    document_id: Mapped[int] = mapped_column(
        _doc_fk(), comment="The document found at this path"
    )
    path: Mapped[str] = mapped_column(Text, comment="File path as given to the importer")
    size_bytes: Mapped[int] = mapped_column(Integer, comment="File size when last seen")
    mtime: Mapped[float] = mapped_column(
        Float, comment="File modification time when last seen (seconds since 1970, UTC)"
    )
    first_seen: Mapped[datetime] = mapped_column(DateTime, comment="First import at this path (UTC)")
    last_seen: Mapped[datetime] = mapped_column(DateTime, comment="Latest import at this path (UTC)")
    is_current: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        comment="True when this document is what the path holds now; false once the file changed",
    )


class Deliberation(Base):
    """One deliberation (a document may hold several): every scalar of the extraction contract."""

    __tablename__ = "deliberations"
    __table_args__ = (
        UniqueConstraint("document_id", "position", name="uq_deliberations_document_position"),
        Index("ix_deliberations_authority_date", "authority", "session_date"),
        Index("ix_deliberations_authority_number_key", "authority", "number_key"),
        # What search reads of each match it walks (filters, current check), keyed by id: a
        # narrow covering index, so the wide rows (the full text) are read for the page only.
        Index("ix_deliberations_search", "id", "document_id", "session_date", "authority"),
        {"comment": "One deliberation read from a document."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Deliberation id")
    document_id: Mapped[int] = mapped_column(_doc_fk(), comment="The document it was read from")
    position: Mapped[int] = mapped_column(Integer, comment="1-based order within the document")
    authority: Mapped[str | None] = mapped_column(
        Text, comment="The collectivité or établissement, e.g. 'Commune de Cluses'"
    )
    body: Mapped[str | None] = mapped_column(
        Text, comment="The assembly that met: 'Conseil municipal', 'Comité syndical', 'Bureau'"
    )
    number: Mapped[str | None] = mapped_column(Text, comment="The number as printed: 'CS2021-15'")
    number_key: Mapped[str | None] = mapped_column(
        Text, comment="number folded for matching: lower case, no spaces, dashes, slashes, underscores"
    )
    title: Mapped[str | None] = mapped_column(Text, comment="The object (OBJET) as printed")
    session_date: Mapped[date | None] = mapped_column(Date, index=True, comment="Date of the séance")
    session_time: Mapped[str | None] = mapped_column(String(5), comment="Time of the séance, HH:MM")
    convocation_date: Mapped[date | None] = mapped_column(Date, comment="Date members were convened")
    transmission_date: Mapped[date | None] = mapped_column(
        Date, comment="Date received by the préfecture (contrôle de légalité)"
    )
    publication_date: Mapped[date | None] = mapped_column(
        Date, comment="Date published, posted (affiché) or notified"
    )
    place: Mapped[str | None] = mapped_column(Text, comment="Where the séance was held")
    president: Mapped[str | None] = mapped_column(Text, comment="Who presided the séance")
    secretary: Mapped[str | None] = mapped_column(Text, comment="The secrétaire de séance")
    in_office: Mapped[int | None] = mapped_column(Integer, comment="Members en exercice, as printed")
    present: Mapped[int | None] = mapped_column(Integer, comment="Members present, as printed")
    represented: Mapped[int | None] = mapped_column(
        Integer, comment="Absent members who gave a proxy (pouvoir), as printed"
    )
    voters: Mapped[int | None] = mapped_column(Integer, comment="Votants, as printed")
    unanimous: Mapped[bool | None] = mapped_column(
        Boolean, comment="True: unanimité; false: a breakdown or majority; null: no vote stated"
    )
    votes_for: Mapped[int | None] = mapped_column(Integer, comment="Votes for, as printed")
    votes_against: Mapped[int | None] = mapped_column(Integer, comment="Votes against, as printed")
    abstentions: Mapped[int | None] = mapped_column(Integer, comment="Abstentions, as printed")
    not_voting: Mapped[int | None] = mapped_column(
        Integer, comment="Members not taking part in the vote, as printed"
    )
    pages: Mapped[str] = mapped_column(Text, comment="Pages of the document it spans: '1,2,3'")
    first_page: Mapped[int | None] = mapped_column(Integer, comment="First page it spans")
    text: Mapped[str] = mapped_column(Text, default="", comment="Its full text, for search")


class Person(Base):
    """A person named in attendance lists, one row per normalised name per authority."""

    __tablename__ = "persons"
    __table_args__ = (
        UniqueConstraint("authority", "normalized_name", name="uq_persons_authority_name"),
        {"comment": "One person per authority, names folded."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Person id")
    authority: Mapped[str] = mapped_column(
        Text, comment="The authority the person sits for ('' when the document names none)"
    )
    name: Mapped[str] = mapped_column(Text, comment="The name as first written")
    normalized_name: Mapped[str] = mapped_column(
        Text, index=True, comment="Name folded: lower case, no accents, hyphens and spaces as one space"
    )


def _person_fk() -> ForeignKey:
    return ForeignKey("persons.id", ondelete="SET NULL")


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(
            "status IN ('present', 'represented', 'excused', 'absent')", name="ck_attendance_status"
        ),
        {"comment": "Each person listed for a deliberation, with their status."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(_delib_fk(), index=True, comment="The deliberation")
    person_id: Mapped[int | None] = mapped_column(_person_fk(), index=True, comment="The person")
    name: Mapped[str] = mapped_column(Text, comment="The name as written")
    civility: Mapped[str | None] = mapped_column(String(10), comment="M., Mme, MM., Mmes")
    status: Mapped[str] = mapped_column(
        String(12), comment="present | represented (gave a proxy) | excused | absent"
    )
    substitute_for_person_id: Mapped[int | None] = mapped_column(
        _person_fk(), comment="For a suppléant: the titulaire sat in for"
    )
    proxy_to_person_id: Mapped[int | None] = mapped_column(
        _person_fk(), index=True, comment="For a represented member: who held the proxy"
    )
    substitute_for: Mapped[str | None] = mapped_column(Text, comment="substitute_for as written")
    proxy_to: Mapped[str | None] = mapped_column(Text, comment="proxy_to as written")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")


class Amount(Base):
    __tablename__ = "amounts"
    __table_args__ = {"comment": "Sums of money a deliberation mentions."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(_delib_fk(), index=True, comment="The deliberation")
    value_cents: Mapped[int] = mapped_column(
        Integer, index=True, comment="Exact value in cents (hundredths): sum this one"
    )
    value: Mapped[Decimal] = mapped_column(
        Numeric(18, 2), comment="Value in currency units, 2 decimals (for display)"
    )
    currency: Mapped[str] = mapped_column(String(3), comment="EUR, FRF or CHF")
    text: Mapped[str] = mapped_column(Text, comment="As written: '42 000 €'")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")
    beneficiary: Mapped[str | None] = mapped_column(
        Text, index=True,
        comment="Who receives the sum, as printed, when the text or a table row pairs them (else empty)",
    )


class BudgetArticle(Base):
    __tablename__ = "budget_articles"
    __table_args__ = {"comment": "Budget nomenclature codes a deliberation charges or cites."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(_delib_fk(), index=True, comment="The deliberation")
    code: Mapped[str] = mapped_column(String(12), index=True, comment="Account or chapitre: '6574'")
    label: Mapped[str | None] = mapped_column(Text, comment="Label given by the extractor, if any")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")


class BudgetNomenclature(Base):
    __tablename__ = "budget_nomenclature"
    __table_args__ = {"comment": "The budget nomenclature (M14/M57 accounts), to join codes to labels."}

    code: Mapped[str] = mapped_column(String(12), primary_key=True, comment="Account or chapitre code")
    label: Mapped[str] = mapped_column(Text, comment="Official label")
    class_: Mapped[str | None] = mapped_column(
        "class", String(20), comment="Account class (6: charges, 2: immobilisations...)"
    )


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = {"comment": "Operative clauses (APPROUVE, AUTORISE, DÉCIDE...) in order."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(_delib_fk(), index=True, comment="The deliberation")
    position: Mapped[int] = mapped_column(Integer, comment="1-based order within the deliberation")
    verb: Mapped[str] = mapped_column(String(40), index=True, comment="Upper case, accents kept")
    text: Mapped[str] = mapped_column(Text, comment="The clause's text")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")


class DeliberationReference(Base):
    __tablename__ = "deliberation_references"
    __table_args__ = (
        Index("ix_deliberation_references_number_key", "number_key"),
        {"comment": "Earlier deliberations a deliberation cites by number."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    citing_deliberation_id: Mapped[int] = mapped_column(
        _delib_fk(), index=True, comment="The deliberation that cites"
    )
    number: Mapped[str] = mapped_column(Text, comment="Cited number as printed")
    number_key: Mapped[str] = mapped_column(Text, comment="Cited number folded like deliberations.number_key")
    date: Mapped[date | None] = mapped_column(Date, comment="Cited date, when printed")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")
    cited_deliberation_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliberations.id", ondelete="SET NULL"),
        index=True,
        comment="The cited deliberation when it is in the database (same authority and number)",
    )


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = {"comment": "Named entities found by the NER model."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(_delib_fk(), index=True, comment="The deliberation")
    text: Mapped[str] = mapped_column(Text, comment="The entity as written")
    label: Mapped[str] = mapped_column(String(10), index=True, comment="PER, ORG, LOC or MISC")
    page: Mapped[int | None] = mapped_column(Integer, comment="Page it was read on")


class DocumentPage(Base):
    """A page of a document: what was read of it but its text, which `PagePart` holds (the view
    `pages` joins them, with the columns the table `pages` had up to schema 3)."""

    __tablename__ = "document_pages"
    __table_args__ = (
        UniqueConstraint("document_id", "page_number", name="uq_document_pages_document_page"),
        {"comment": "Each page of a document as read, but its text (see page_parts and the view pages)."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Page id")
    document_id: Mapped[int] = mapped_column(_doc_fk(), comment="The document")
    page_number: Mapped[int] = mapped_column(Integer, comment="1-based page number")
    margin: Mapped[str] = mapped_column(Text, default="", comment="Text of a narrow side column")
    ocr: Mapped[bool] = mapped_column(Boolean, comment="True when this page's text came from OCR")
    ocr_confidence: Mapped[float | None] = mapped_column(
        Float, comment="OCR mean word confidence, 0-100 (null without OCR)"
    )


class PagePart(Base):
    """A page's text, part by part: a slice of a deliberation's text, or the text itself where no
    deliberation holds it (models.pagetext). The full text is stored once, in `deliberations`."""

    __tablename__ = "page_parts"
    # Read by page, in order (the view pages), through the key. A table with rowids: a part written
    # out can be a whole page, which an index-organised (WITHOUT ROWID) row would spill to overflow
    # pages (a third larger, measured).
    __table_args__ = {"comment": "A page's text in parts: slices of deliberations.text, or the text no deliberation holds."}

    page_id: Mapped[int] = mapped_column(
        ForeignKey("document_pages.id", ondelete="CASCADE"), primary_key=True, comment="The page (document_pages.id)"
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, comment="1-based order within the page")
    # No foreign key: a part goes with its page (by page_id), and a page with its document; a
    # foreign key here would need an index of its own for every deliberation deleted.
    deliberation_id: Mapped[int | None] = mapped_column(
        Integer, comment="The deliberation (deliberations.id) whose text holds this part (null: the part is in text)"
    )
    text_start: Mapped[int | None] = mapped_column(
        Integer, comment="Where the part starts in deliberations.text, in characters from 1 (as substr counts)"
    )
    text_length: Mapped[int | None] = mapped_column(Integer, comment="Its length in characters")
    text: Mapped[str | None] = mapped_column(Text, comment="The part's text, when no deliberation holds it")


class ImportRun(Base):
    __tablename__ = "import_runs"
    __table_args__ = {"comment": "Each run of the batch importer."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Run id")
    started_at: Mapped[datetime] = mapped_column(DateTime, comment="Start (UTC)")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, comment="End (UTC); null while running")
    command: Mapped[str] = mapped_column(Text, comment="The command line that started it")
    files_seen: Mapped[int] = mapped_column(Integer, default=0, comment="PDF files looked at")
    imported: Mapped[int] = mapped_column(Integer, default=0, comment="New documents imported")
    skipped: Mapped[int] = mapped_column(Integer, default=0, comment="Files already in the database")
    failed: Mapped[int] = mapped_column(Integer, default=0, comment="Files that could not be imported")
    status: Mapped[str] = mapped_column(
        String(12), default="running", comment="running | ok | failed | interrupted"
    )


class ImportFailure(Base):
    __tablename__ = "import_failures"
    __table_args__ = {"comment": "Files a run could not import, and why."}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="CASCADE"), index=True, comment="The run (null outside a run)"
    )
    path: Mapped[str] = mapped_column(Text, comment="The file")
    reason: Mapped[str] = mapped_column(Text, comment="What went wrong, for a person to read")
    at: Mapped[datetime] = mapped_column(DateTime, comment="When (UTC)")


class SchemaInfo(Base):
    __tablename__ = "schema_info"
    __table_args__ = {"comment": "Facts about the database itself, e.g. key 'schema_version'."}

    key: Mapped[str] = mapped_column(String(40), primary_key=True, comment="Name of the fact")
    value: Mapped[str] = mapped_column(Text, comment="Its value")


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("severity IN ('error', 'warning', 'info')", name="ck_findings_severity"),
        Index("ix_findings_severity_rule", "severity", "rule"),
        {"comment": "What the consistency checks found doubtful in a deliberation (recomputed by `delib check`)."},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row id")
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), index=True, comment="The deliberation"
    )
    rule: Mapped[str] = mapped_column(String(40), comment="The rule that raised it: 'quorum', 'dates_order'...")
    message: Mapped[str] = mapped_column(Text, comment="What was found, with the figures, for a person to read")
    severity: Mapped[str] = mapped_column(String(10), comment="error | warning | info")


class CheckedDeliberation(Base):
    """Which deliberations `delib check` has already looked at, so that the next run reads only
    the new ones; the row goes with its deliberation (re-extraction: checked again)."""

    __tablename__ = "checked_deliberations"
    __table_args__ = {"comment": "Deliberations the consistency checks have seen (`delib check` re-checks the others only)."}

    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberations.id", ondelete="CASCADE"), primary_key=True,
        comment="The deliberation, checked with the rules named by schema_info 'checks_version'",
    )


class AuthoritySetting(Base):
    __tablename__ = "authority_settings"
    __table_args__ = {"comment": "What the documents do not say about an authority, set by `delib authority set` "
                                 "(the open-data export's SIRET, préfecture id, official name)."}

    name: Mapped[str] = mapped_column(Text, primary_key=True,
                                      comment="The authority as read in the documents (deliberations.authority)")
    siret: Mapped[str | None] = mapped_column(String(14), comment="Its SIRET, 14 digits (SCDL COLL_SIRET)")
    pref_id: Mapped[str | None] = mapped_column(String(20), comment="Its préfecture's id, e.g. PREF074 (SCDL PREF_ID)")
    official_name: Mapped[str | None] = mapped_column(Text, comment="Its official name when the documents print "
                                                                   "another (SCDL COLL_NOM)")
    updated_at: Mapped[datetime] = mapped_column(DateTime, comment="When it was last set (UTC)")


def _integers_of_64_bits_on_postgresql() -> None:
    """SQLite's INTEGER holds 64 bits, PostgreSQL's 32: a budget of 420 M€ is 42 billion cents, a
    scanned register more than 2 GB. Every Integer column but the primary keys is BIGINT on
    PostgreSQL (a variant: SQLite's DDL is unchanged), so what SQLite holds, PostgreSQL does.
    The migrations declare the same (models/migrations/versions)."""
    for table in Base.metadata.tables.values():
        for column in table.columns:
            if type(column.type) is Integer and not column.primary_key:
                column.type = Integer().with_variant(BigInteger(), "postgresql")


_integers_of_64_bits_on_postgresql()
