"""Schema 4: the full text stored once.

Up to schema 3 every page's text was stored in `pages.text` beside `deliberations.text`, which
holds the same characters (a registry extract's text is its pages' text; an item of the minutes,
a slice of them). The table `pages` becomes:
- document_pages: what was read of each page but its text (same ids, same columns otherwise);
- page_parts: each page's text in order, as slices of its deliberations' texts (deliberation_id,
  text_start, text_length) or, where no deliberation holds it, the text itself;
- the view `pages` (models.views), which joins them again: same name, columns and rows as the
  table it replaces.

The parts are computed here from the rows (models.pagetext.split_page: any version of it gives
parts that join back to the page's exact text, which it checks before returning). Nothing is read
from the files, nothing is lost: a page whose text no deliberation holds is kept whole.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.pagetext import split_page

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INT64 = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
_BATCH = 500  # documents per read


def upgrade() -> None:
    op.create_table(
        "document_pages",
        sa.Column("id", sa.Integer(), nullable=False, comment="Page id"),
        sa.Column("document_id", INT64, nullable=False, comment="The document"),
        sa.Column("page_number", INT64, nullable=False, comment="1-based page number"),
        sa.Column("margin", sa.Text(), nullable=False, comment="Text of a narrow side column"),
        sa.Column("ocr", sa.Boolean(), nullable=False, comment="True when this page's text came from OCR"),
        sa.Column("ocr_confidence", sa.Float(), nullable=True, comment="OCR mean word confidence, 0-100 (null without OCR)"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "page_number", name="uq_document_pages_document_page"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        comment="Each page of a document as read, but its text (see page_parts and the view pages).",
    )
    op.create_table(
        "page_parts",
        sa.Column("page_id", sa.Integer(), nullable=False, comment="The page (document_pages.id)"),
        sa.Column("position", sa.Integer(), nullable=False, comment="1-based order within the page"),
        sa.Column("deliberation_id", INT64, nullable=True,
                  comment="The deliberation (deliberations.id) whose text holds this part (null: the part is in text)"),
        sa.Column("text_start", INT64, nullable=True,
                  comment="Where the part starts in deliberations.text, in characters from 1 (as substr counts)"),
        sa.Column("text_length", INT64, nullable=True, comment="Its length in characters"),
        sa.Column("text", sa.Text(), nullable=True, comment="The part's text, when no deliberation holds it"),
        sa.PrimaryKeyConstraint("page_id", "position"),
        sa.ForeignKeyConstraint(["page_id"], ["document_pages.id"], ondelete="CASCADE"),
        comment="A page's text in parts: slices of deliberations.text, or the text no deliberation holds.",
    )
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO document_pages (id, document_id, page_number, margin, ocr, ocr_confidence) "
                         "SELECT id, document_id, page_number, margin, ocr, ocr_confidence FROM pages ORDER BY id"))
    if bind.dialect.name == "postgresql":  # the ids were given: the sequence goes on after them
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('document_pages', 'id'), "
                             "COALESCE((SELECT max(id) FROM document_pages), 0) + 1, false)"))
    _fill_parts(bind)
    op.drop_table("pages")


def _fill_parts(bind: sa.Connection) -> None:
    """page_parts of every page of `pages`, documents a batch at a time (bounded memory)."""
    last = 0
    while True:
        docs = bind.execute(sa.text("SELECT DISTINCT document_id FROM pages WHERE document_id > :last "
                                    "ORDER BY document_id LIMIT :n"), {"last": last, "n": _BATCH}).scalars().all()
        if not docs:
            return
        span = {"low": docs[0], "high": docs[-1]}
        on_page: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for delib_id, doc_id, pages, text in bind.execute(sa.text(
                "SELECT id, document_id, pages, text FROM deliberations "
                "WHERE document_id BETWEEN :low AND :high ORDER BY id"), span):
            for number in {int(p) for p in (pages or "").split(",") if p.strip().isdigit()}:
                on_page.setdefault((doc_id, number), []).append((delib_id, text or ""))
        parts = []
        for page_id, doc_id, number, text in bind.execute(sa.text(
                "SELECT id, document_id, page_number, text FROM pages "
                "WHERE document_id BETWEEN :low AND :high ORDER BY id"), span):
            parts += [{"page_id": page_id, "position": position, "deliberation_id": part.deliberation_id,
                       "text_start": part.start, "text_length": part.length, "text": part.text}
                      for position, part in enumerate(split_page(text or "", on_page.get((doc_id, number), ())),
                                                      start=1)]
        if parts:
            bind.execute(sa.text("INSERT INTO page_parts (page_id, position, deliberation_id, text_start, "
                                 "text_length, text) VALUES (:page_id, :position, :deliberation_id, :text_start, "
                                 ":text_length, :text)"), parts)
        last = docs[-1]


def downgrade() -> None:
    # The view `pages` is the store's (models.views): it goes before the table comes back.
    op.execute("DROP VIEW IF EXISTS pages")
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False, comment="Row id"),
        sa.Column("document_id", INT64, nullable=False, comment="The document"),
        sa.Column("page_number", INT64, nullable=False, comment="1-based page number"),
        sa.Column("text", sa.Text(), nullable=False, comment="Page text (text layer or OCR), cleaned"),
        sa.Column("margin", sa.Text(), nullable=False, comment="Text of a narrow side column"),
        sa.Column("ocr", sa.Boolean(), nullable=False, comment="True when this page's text came from OCR"),
        sa.Column("ocr_confidence", sa.Float(), nullable=True, comment="OCR mean word confidence, 0-100 (null without OCR)"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "page_number", name="uq_pages_document_page"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        comment="The text of each page, as read.",
    )
    op.execute("INSERT INTO pages (id, document_id, page_number, text, margin, ocr, ocr_confidence) "
               "SELECT p.id, p.document_id, p.page_number, COALESCE((SELECT group_concat(part, '') FROM "
               "(SELECT COALESCE(x.text, substr(t.text, x.text_start, x.text_length)) AS part FROM page_parts x "
               "LEFT JOIN deliberations t ON t.id = x.deliberation_id WHERE x.page_id = p.id "
               "ORDER BY x.position)), ''), p.margin, p.ocr, p.ocr_confidence FROM document_pages p")
    op.drop_table("page_parts")
    op.drop_table("document_pages")
