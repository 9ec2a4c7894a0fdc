"""Schema 5: on PostgreSQL, what lets a search cost what its page costs, not what its matches cost.

PostgreSQL only (SQLite's search needs none of it: FTS5 walks a word's matches newest first):
- the GIN index of the tsvector becomes one of the tsvector and the id (btree_gin, a trusted
  extension of contrib, as unaccent), ix_deliberations_search_vector_id: the newest matches are
  found by ranges of ids inside the index, which skips in each word's list (models.dialect,
  TS_INDEX); it answers every query the index of the words alone answered, which is dropped;
- deliberations_fts_terms, every lexeme of the index, filled here from the rows (one read of each
  row's tsvector), and the triggers that add the lexemes of every row written since: a prefix
  word is searched as the OR of its words (models.search._ts_prefix_words).

The new index is built from the whole table: about 1 minute per 100,000 deliberations.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

from models import dialect

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # Idempotent: the index, the word list and its triggers, the list filled from every row.
    dialect.create_fts(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for suffix in ("ai", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {dialect.TERMS_TABLE}_{suffix} ON deliberations")
    op.execute(f"DROP FUNCTION IF EXISTS {dialect.TS_TERMS_FUNCTION}()")
    op.execute(f"DROP TABLE IF EXISTS {dialect.TERMS_TABLE}")
    op.execute(f"CREATE INDEX IF NOT EXISTS {dialect.TS_INDEX_BEFORE} ON deliberations USING gin ({dialect.TS_COLUMN})")
    op.execute(f"DROP INDEX IF EXISTS {dialect.TS_INDEX}")
