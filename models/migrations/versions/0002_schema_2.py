"""Schema 2: what delib added to 0.1.0's schema before its migrations were kept by Alembic.

- documents.kind and amounts.beneficiary (nullable, added empty: `delib reextract --all` fills them)
- the tables checked_deliberations (`delib check` re-checks only the others) and
  authority_settings (`delib authority set`)
- the covering indexes ix_document_paths_current and ix_deliberations_search; the former replaces
  0.1.0's ix_document_paths_document_id (its leading column is the same)
- SQLite: the FTS5 table declared with content="deliberations" in double quotes, the only form
  Datasette recognises (0.1.0 wrote single quotes); the index is rebuilt from the deliberations

Unlike the revisions after it, this one looks before each step: schema 2 was reached by
`create_all` plus an in-place upgrade, so a database labelled schema 2 without an
`alembic_version` (stamped 0001, then brought here) may hold any part of it already, or still
0.1.0's index and FTS declaration if it was upgraded from 0.1.0. Whatever it holds, it leaves
this revision as a new database does (tests/test_migrations.py compares both with the models).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import dialect

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (name, table, columns) of the indexes schema 2 declares beyond 0.1.0's
_INDEXES = (
    ("ix_documents_kind", "documents", ["kind"]),
    ("ix_amounts_beneficiary", "amounts", ["beneficiary"]),
    ("ix_document_paths_current", "document_paths", ["document_id", "is_current", "path"]),
    ("ix_deliberations_search", "deliberations", ["id", "document_id", "session_date", "authority"]),
)
# What 0.1.0's create_fts made (its triggers go with the table they serve).
_OLD_FTS_TRIGGERS = ("deliberations_fts_ai", "deliberations_fts_ad", "deliberations_fts_au")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "authority_settings" not in tables:
        op.create_table(
            "authority_settings",
            sa.Column("name", sa.Text(), nullable=False,
                      comment="The authority as read in the documents (deliberations.authority)"),
            sa.Column("siret", sa.String(length=14), nullable=True, comment="Its SIRET, 14 digits (SCDL COLL_SIRET)"),
            sa.Column("pref_id", sa.String(length=20), nullable=True,
                      comment="Its préfecture's id, e.g. PREF074 (SCDL PREF_ID)"),
            sa.Column("official_name", sa.Text(), nullable=True,
                      comment="Its official name when the documents print another (SCDL COLL_NOM)"),
            sa.Column("updated_at", sa.DateTime(), nullable=False, comment="When it was last set (UTC)"),
            sa.PrimaryKeyConstraint("name"),
            comment="What the documents do not say about an authority, set by `delib authority set` "
                    "(the open-data export's SIRET, préfecture id, official name).",
        )
    if "checked_deliberations" not in tables:
        op.create_table(
            "checked_deliberations",
            sa.Column("deliberation_id", sa.Integer(), nullable=False,
                      comment="The deliberation, checked with the rules named by schema_info 'checks_version'"),
            sa.ForeignKeyConstraint(["deliberation_id"], ["deliberations.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("deliberation_id"),
            comment="Deliberations the consistency checks have seen (`delib check` re-checks the others only).",
        )
    _add_column(inspector, "documents", sa.Column(
        "kind", sa.String(length=10), nullable=True,
        comment="What the document is: extract, minutes, list, arrete or other (empty: not classified)"))
    _add_column(inspector, "amounts", sa.Column(
        "beneficiary", sa.Text(), nullable=True,
        comment="Who receives the sum, as printed, when the text or a table row pairs them (else empty)"))
    for name, table, columns in _INDEXES:
        if name not in _index_names(inspector, table):
            op.create_index(name, table, columns, unique=False)
    if "ix_document_paths_document_id" in _index_names(inspector, "document_paths"):
        op.drop_index("ix_document_paths_document_id", table_name="document_paths")
    _redeclare_old_fts()


def downgrade() -> None:
    op.create_index("ix_document_paths_document_id", "document_paths", ["document_id"], unique=False)
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("amounts") as batch:
        batch.drop_column("beneficiary")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("kind")
    op.drop_table("checked_deliberations")
    op.drop_table("authority_settings")


def _add_column(inspector: sa.Inspector, table: str, column: sa.Column) -> None:
    if column.name not in {c["name"] for c in inspector.get_columns(table)}:
        op.add_column(table, column)


def _index_names(inspector: sa.Inspector, table: str) -> set[str]:
    # Read afresh: the inspector caches, and this revision adds indexes as it goes.
    inspector.clear_cache()
    return {index["name"] for index in inspector.get_indexes(table)}


def _redeclare_old_fts() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    declared = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                            {"name": dialect.FTS_TABLE}).scalar()
    if not declared or "content='deliberations'" not in declared:
        return
    for trigger in _OLD_FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(f"DROP TABLE {dialect.FTS_TABLE}")
    dialect.create_fts(bind)
    dialect.rebuild_fts(bind)
