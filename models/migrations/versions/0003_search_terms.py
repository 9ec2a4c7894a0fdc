"""Schema 3: the full-text index's word list, so that a prefix word is searched as its words.

SQLite only (PostgreSQL's search needs none: its GIN index finds a prefix without merging):
- deliberations_fts_terms, every word the index holds, filled here from the index itself (a walk
  of the whole index, once);
- deliberations_fts_new, a contentless FTS5 index that two triggers on deliberations feed with
  every row written, and its word list deliberations_fts_new_vocab: the words written since the
  store last moved them into deliberations_fts_terms (models.dialect, "the index's words").

The tables' names begin with the full-text index's, which the migrations' comparison with
models/schema.py leaves to the dialect (models.migrations.include_object), as the index itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

from models import dialect

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # The index exists from revision 0001 on; create_fts adds what is missing, the word list too.
    dialect.create_fts(bind)
    for statement in dialect.fill_terms_statements():
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for trigger in (f"{dialect.TERMS_TABLE}_ai", f"{dialect.TERMS_TABLE}_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in (dialect.NEW_TERMS_VOCAB, dialect.NEW_TERMS_TABLE, dialect.TERMS_TABLE):
        op.execute(f"DROP TABLE IF EXISTS {table}")
