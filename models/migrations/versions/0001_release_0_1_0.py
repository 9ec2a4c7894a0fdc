"""The schema of delib 0.1.0 (schema_version 1), written out as it was released.

Every table and index a 0.1.0 database holds (tests/data/release-0.1.0.db), in the order of their
foreign keys. A database made by 0.1.0 is stamped with this revision, never run through it; a new
database is built from it, then from every revision after.

The search index and the views are not here: `Store.ensure_schema` makes them after the
migrations (models.dialect.create_fts, models.views.create_views).

Revision ID: 0001
Revises:
Create Date: 2026-11-27 (delib 0.1.0)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# PostgreSQL's INTEGER holds 32 bits, SQLite's 64: every integer but the primary keys is BIGINT on
# PostgreSQL (42 billion cents fit), INTEGER on SQLite as 0.1.0 wrote it.
INT64 = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table('budget_nomenclature',
    sa.Column('code', sa.String(length=12), nullable=False, comment='Account or chapitre code'),
    sa.Column('label', sa.Text(), nullable=False, comment='Official label'),
    sa.Column('class', sa.String(length=20), nullable=True, comment='Account class (6: charges, 2: immobilisations...)'),
    sa.PrimaryKeyConstraint('code'),
    comment='The budget nomenclature (M14/M57 accounts), to join codes to labels.'
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False, comment='Document id'),
    sa.Column('sha256', sa.String(length=64), nullable=False, comment="SHA-256 of the file's bytes, lower-case hex"),
    sa.Column('pages', INT64, nullable=False, comment='Number of pages in the PDF'),
    sa.Column('ocr', sa.Boolean(), nullable=False, comment='True when the text of at least one page came from OCR'),
    sa.Column('extractor_version', sa.String(length=40), nullable=False, comment="Version of delib's extractors that produced the rows"),
    sa.Column('imported_at', sa.DateTime(), nullable=False, comment='When the document was first imported (UTC)'),
    sa.Column('status', sa.String(length=10), nullable=False, comment="'ok' or 'failed' (could not be read)"),
    sa.Column('error', sa.Text(), nullable=True, comment='Why reading failed, if it did'),
    sa.Column('size_bytes', INT64, nullable=True, comment='File size in bytes'),
    sa.Column('warnings', sa.Text(), nullable=True, comment='Extraction warnings, one per line (empty when none)'),
    sa.CheckConstraint("status IN ('ok', 'failed')", name='ck_documents_status'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256'),
    comment='One PDF file content, identified by its SHA-256.'
    )
    op.create_index(op.f('ix_documents_imported_at'), 'documents', ['imported_at'], unique=False)
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False, comment='Run id'),
    sa.Column('started_at', sa.DateTime(), nullable=False, comment='Start (UTC)'),
    sa.Column('finished_at', sa.DateTime(), nullable=True, comment='End (UTC); null while running'),
    sa.Column('command', sa.Text(), nullable=False, comment='The command line that started it'),
    sa.Column('files_seen', INT64, nullable=False, comment='PDF files looked at'),
    sa.Column('imported', INT64, nullable=False, comment='New documents imported'),
    sa.Column('skipped', INT64, nullable=False, comment='Files already in the database'),
    sa.Column('failed', INT64, nullable=False, comment='Files that could not be imported'),
    sa.Column('status', sa.String(length=12), nullable=False, comment='running | ok | failed | interrupted'),
    sa.PrimaryKeyConstraint('id'),
    comment='Each run of the batch importer.'
    )
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False, comment='Person id'),
    sa.Column('authority', sa.Text(), nullable=False, comment="The authority the person sits for ('' when the document names none)"),
    sa.Column('name', sa.Text(), nullable=False, comment='The name as first written'),
    sa.Column('normalized_name', sa.Text(), nullable=False, comment='Name folded: lower case, no accents, hyphens and spaces as one space'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('authority', 'normalized_name', name='uq_persons_authority_name'),
    comment='One person per authority, names folded.'
    )
    op.create_index(op.f('ix_persons_normalized_name'), 'persons', ['normalized_name'], unique=False)
    op.create_table('schema_info',
    sa.Column('key', sa.String(length=40), nullable=False, comment='Name of the fact'),
    sa.Column('value', sa.Text(), nullable=False, comment='Its value'),
    sa.PrimaryKeyConstraint('key'),
    comment="Facts about the database itself, e.g. key 'schema_version'."
    )
    op.create_table('deliberations',
    sa.Column('id', sa.Integer(), nullable=False, comment='Deliberation id'),
    sa.Column('document_id', INT64, nullable=False, comment='The document it was read from'),
    sa.Column('position', INT64, nullable=False, comment='1-based order within the document'),
    sa.Column('authority', sa.Text(), nullable=True, comment="The collectivité or établissement, e.g. 'Commune de Cluses'"),
    sa.Column('body', sa.Text(), nullable=True, comment="The assembly that met: 'Conseil municipal', 'Comité syndical', 'Bureau'"),
    sa.Column('number', sa.Text(), nullable=True, comment="The number as printed: 'CS2021-15'"),
    sa.Column('number_key', sa.Text(), nullable=True, comment='number folded for matching: lower case, no spaces, dashes, slashes, underscores'),
    sa.Column('title', sa.Text(), nullable=True, comment='The object (OBJET) as printed'),
    sa.Column('session_date', sa.Date(), nullable=True, comment='Date of the séance'),
    sa.Column('session_time', sa.String(length=5), nullable=True, comment='Time of the séance, HH:MM'),
    sa.Column('convocation_date', sa.Date(), nullable=True, comment='Date members were convened'),
    sa.Column('transmission_date', sa.Date(), nullable=True, comment='Date received by the préfecture (contrôle de légalité)'),
    sa.Column('publication_date', sa.Date(), nullable=True, comment='Date published, posted (affiché) or notified'),
    sa.Column('place', sa.Text(), nullable=True, comment='Where the séance was held'),
    sa.Column('president', sa.Text(), nullable=True, comment='Who presided the séance'),
    sa.Column('secretary', sa.Text(), nullable=True, comment='The secrétaire de séance'),
    sa.Column('in_office', INT64, nullable=True, comment='Members en exercice, as printed'),
    sa.Column('present', INT64, nullable=True, comment='Members present, as printed'),
    sa.Column('represented', INT64, nullable=True, comment='Absent members who gave a proxy (pouvoir), as printed'),
    sa.Column('voters', INT64, nullable=True, comment='Votants, as printed'),
    sa.Column('unanimous', sa.Boolean(), nullable=True, comment='True: unanimité; false: a breakdown or majority; null: no vote stated'),
    sa.Column('votes_for', INT64, nullable=True, comment='Votes for, as printed'),
    sa.Column('votes_against', INT64, nullable=True, comment='Votes against, as printed'),
    sa.Column('abstentions', INT64, nullable=True, comment='Abstentions, as printed'),
    sa.Column('not_voting', INT64, nullable=True, comment='Members not taking part in the vote, as printed'),
    sa.Column('pages', sa.Text(), nullable=False, comment="Pages of the document it spans: '1,2,3'"),
    sa.Column('first_page', INT64, nullable=True, comment='First page it spans'),
    sa.Column('text', sa.Text(), nullable=False, comment='Its full text, for search'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'position', name='uq_deliberations_document_position'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    comment='One deliberation read from a document.'
    )
    op.create_index('ix_deliberations_authority_date', 'deliberations', ['authority', 'session_date'], unique=False)
    op.create_index('ix_deliberations_authority_number_key', 'deliberations', ['authority', 'number_key'], unique=False)
    op.create_index(op.f('ix_deliberations_session_date'), 'deliberations', ['session_date'], unique=False)
    op.create_table('document_paths',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('document_id', INT64, nullable=False, comment='The document found at this path'),
    sa.Column('path', sa.Text(), nullable=False, comment='File path as given to the importer'),
    sa.Column('size_bytes', INT64, nullable=False, comment='File size when last seen'),
    sa.Column('mtime', sa.Float(), nullable=False, comment='File modification time when last seen (seconds since 1970, UTC)'),
    sa.Column('first_seen', sa.DateTime(), nullable=False, comment='First import at this path (UTC)'),
    sa.Column('last_seen', sa.DateTime(), nullable=False, comment='Latest import at this path (UTC)'),
    sa.Column('is_current', sa.Boolean(), nullable=False, comment='True when this document is what the path holds now; false once the file changed'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('path', 'document_id', name='uq_document_paths_path_document'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    comment="Each place a document's bytes were seen."
    )
    op.create_index(op.f('ix_document_paths_document_id'), 'document_paths', ['document_id'], unique=False)
    op.create_index('ix_document_paths_lookup', 'document_paths', ['path', 'size_bytes', 'mtime'], unique=False)
    op.create_table('import_failures',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('run_id', INT64, nullable=True, comment='The run (null outside a run)'),
    sa.Column('path', sa.Text(), nullable=False, comment='The file'),
    sa.Column('reason', sa.Text(), nullable=False, comment='What went wrong, for a person to read'),
    sa.Column('at', sa.DateTime(), nullable=False, comment='When (UTC)'),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='Files a run could not import, and why.'
    )
    op.create_index(op.f('ix_import_failures_run_id'), 'import_failures', ['run_id'], unique=False)
    op.create_table('pages',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('document_id', INT64, nullable=False, comment='The document'),
    sa.Column('page_number', INT64, nullable=False, comment='1-based page number'),
    sa.Column('text', sa.Text(), nullable=False, comment='Page text (text layer or OCR), cleaned'),
    sa.Column('margin', sa.Text(), nullable=False, comment='Text of a narrow side column'),
    sa.Column('ocr', sa.Boolean(), nullable=False, comment="True when this page's text came from OCR"),
    sa.Column('ocr_confidence', sa.Float(), nullable=True, comment='OCR mean word confidence, 0-100 (null without OCR)'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'page_number', name='uq_pages_document_page'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    comment='The text of each page, as read.'
    )
    op.create_table('amounts',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('value_cents', INT64, nullable=False, comment='Exact value in cents (hundredths): sum this one'),
    sa.Column('value', sa.Numeric(precision=18, scale=2), nullable=False, comment='Value in currency units, 2 decimals (for display)'),
    sa.Column('currency', sa.String(length=3), nullable=False, comment='EUR, FRF or CHF'),
    sa.Column('text', sa.Text(), nullable=False, comment="As written: '42 000 €'"),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='Sums of money a deliberation mentions.'
    )
    op.create_index(op.f('ix_amounts_deliberation_id'), 'amounts', ['deliberation_id'], unique=False)
    op.create_index(op.f('ix_amounts_value_cents'), 'amounts', ['value_cents'], unique=False)
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('person_id', INT64, nullable=True, comment='The person'),
    sa.Column('name', sa.Text(), nullable=False, comment='The name as written'),
    sa.Column('civility', sa.String(length=10), nullable=True, comment='M., Mme, MM., Mmes'),
    sa.Column('status', sa.String(length=12), nullable=False, comment='present | represented (gave a proxy) | excused | absent'),
    sa.Column('substitute_for_person_id', INT64, nullable=True, comment='For a suppléant: the titulaire sat in for'),
    sa.Column('proxy_to_person_id', INT64, nullable=True, comment='For a represented member: who held the proxy'),
    sa.Column('substitute_for', sa.Text(), nullable=True, comment='substitute_for as written'),
    sa.Column('proxy_to', sa.Text(), nullable=True, comment='proxy_to as written'),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.CheckConstraint("status IN ('present', 'represented', 'excused', 'absent')", name='ck_attendance_status'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['substitute_for_person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proxy_to_person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    comment='Each person listed for a deliberation, with their status.'
    )
    op.create_index(op.f('ix_attendance_deliberation_id'), 'attendance', ['deliberation_id'], unique=False)
    op.create_index(op.f('ix_attendance_person_id'), 'attendance', ['person_id'], unique=False)
    op.create_index(op.f('ix_attendance_proxy_to_person_id'), 'attendance', ['proxy_to_person_id'], unique=False)
    op.create_table('budget_articles',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('code', sa.String(length=12), nullable=False, comment="Account or chapitre: '6574'"),
    sa.Column('label', sa.Text(), nullable=True, comment='Label given by the extractor, if any'),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='Budget nomenclature codes a deliberation charges or cites.'
    )
    op.create_index(op.f('ix_budget_articles_code'), 'budget_articles', ['code'], unique=False)
    op.create_index(op.f('ix_budget_articles_deliberation_id'), 'budget_articles', ['deliberation_id'], unique=False)
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('position', INT64, nullable=False, comment='1-based order within the deliberation'),
    sa.Column('verb', sa.String(length=40), nullable=False, comment='Upper case, accents kept'),
    sa.Column('text', sa.Text(), nullable=False, comment="The clause's text"),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='Operative clauses (APPROUVE, AUTORISE, DÉCIDE...) in order.'
    )
    op.create_index(op.f('ix_decisions_deliberation_id'), 'decisions', ['deliberation_id'], unique=False)
    op.create_index(op.f('ix_decisions_verb'), 'decisions', ['verb'], unique=False)
    op.create_table('deliberation_references',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('citing_deliberation_id', INT64, nullable=False, comment='The deliberation that cites'),
    sa.Column('number', sa.Text(), nullable=False, comment='Cited number as printed'),
    sa.Column('number_key', sa.Text(), nullable=False, comment='Cited number folded like deliberations.number_key'),
    sa.Column('date', sa.Date(), nullable=True, comment='Cited date, when printed'),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.Column('cited_deliberation_id', INT64, nullable=True, comment='The cited deliberation when it is in the database (same authority and number)'),
    sa.ForeignKeyConstraint(['citing_deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cited_deliberation_id'], ['deliberations.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    comment='Earlier deliberations a deliberation cites by number.'
    )
    op.create_index(op.f('ix_deliberation_references_cited_deliberation_id'), 'deliberation_references', ['cited_deliberation_id'], unique=False)
    op.create_index(op.f('ix_deliberation_references_citing_deliberation_id'), 'deliberation_references', ['citing_deliberation_id'], unique=False)
    op.create_index('ix_deliberation_references_number_key', 'deliberation_references', ['number_key'], unique=False)
    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('text', sa.Text(), nullable=False, comment='The entity as written'),
    sa.Column('label', sa.String(length=10), nullable=False, comment='PER, ORG, LOC or MISC'),
    sa.Column('page', INT64, nullable=True, comment='Page it was read on'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='Named entities found by the NER model.'
    )
    op.create_index(op.f('ix_entities_deliberation_id'), 'entities', ['deliberation_id'], unique=False)
    op.create_index(op.f('ix_entities_label'), 'entities', ['label'], unique=False)
    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False, comment='Row id'),
    sa.Column('deliberation_id', INT64, nullable=False, comment='The deliberation'),
    sa.Column('rule', sa.String(length=40), nullable=False, comment="The rule that raised it: 'quorum', 'dates_order'..."),
    sa.Column('message', sa.Text(), nullable=False, comment='What was found, with the figures, for a person to read'),
    sa.Column('severity', sa.String(length=10), nullable=False, comment='error | warning | info'),
    sa.CheckConstraint("severity IN ('error', 'warning', 'info')", name='ck_findings_severity'),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    comment='What the consistency checks found doubtful in a deliberation (recomputed by `delib check`).'
    )
    op.create_index(op.f('ix_findings_deliberation_id'), 'findings', ['deliberation_id'], unique=False)
    op.create_index('ix_findings_severity_rule', 'findings', ['severity', 'rule'], unique=False)


def downgrade() -> None:
    for table in ("findings", "entities", "deliberation_references", "decisions", "budget_articles",
                  "attendance", "amounts", "pages", "import_failures", "document_paths", "deliberations",
                  "schema_info", "persons", "import_runs", "documents", "budget_nomenclature"):
        op.drop_table(table)
