"""A page's text stored once (models.pagetext, the view `pages`): a page is the slices of its
deliberations' texts it is made of, plus what no deliberation holds, and joins back exactly."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models.pagetext import MIN_SLICE, PagePart, join_parts, split_page
from models.records import PAGE_SEPARATOR, DocumentText, PageText
from models.store import open_store
from pipeline.api import EXTRACTOR_VERSION, ExtractOptions, extract_document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ITEM_ONE = "1. Subvention à l'association des parents d'élèves : le conseil approuve. " * 2
ITEM_TWO = "2. Travaux de voirie rue des Écoles : le conseil autorise le maire à signer. " * 2


def test_pagetext_a_page_inside_one_deliberation_is_one_slice():
    page = "Extrait du registre des délibérations du conseil municipal, séance du 5 mars 2020."
    text = "En-tête\n\n" + page + PAGE_SEPARATOR + "page 2"
    assert split_page(page, [(7, text)]) == [PagePart(7, len("En-tête\n\n") + 1, len(page))]


def test_pagetext_a_page_of_minutes_is_the_end_of_one_item_the_text_between_and_the_next():
    debate = "M. le Maire ouvre la séance. "
    first = "Préambule" + PAGE_SEPARATOR + ITEM_ONE  # the item began on the page before
    second = ITEM_TWO + PAGE_SEPARATOR + "suite page 3"  # and this one goes on after
    page = ITEM_ONE + debate + ITEM_TWO
    parts = split_page(page, [(1, first), (2, second)])
    assert [(p.deliberation_id, p.text) for p in parts] == [(1, None), (None, debate), (2, None)]
    assert join_parts(parts, {1: first, 2: second}) == page


@pytest.mark.parametrize("page, deliberations", [
    ("", [(1, "anything")]),
    ("a page no deliberation holds", [(1, "another text altogether, long enough to be a slice " * 2)]),
    ("short" + PAGE_SEPARATOR, [(1, "short")]),  # shorter than MIN_SLICE: written out
    ("nul \x00 inside" * 10, [(1, "nul \x00 inside" * 10)]),  # PostgreSQL drops NULs: written out
])
def test_pagetext_what_no_deliberation_holds_is_written_out(page, deliberations):
    parts = split_page(page, deliberations)
    assert all(p.deliberation_id is None for p in parts)
    assert join_parts(parts, dict(deliberations)) == page


def test_pagetext_a_slice_replaces_at_least_min_slice_characters():
    piece = "x" * (MIN_SLICE - 1)
    assert split_page("intro " + piece + " outro", [(1, "a" + PAGE_SEPARATOR + piece)]) == [
        PagePart(text="intro " + piece + " outro")]


def test_pagetext_document_text_pages_are_slices_of_their_document():
    pages = (PageText(1, ITEM_ONE, margin="Reçu en préfecture le 12/03/2020"), PageText(2, ITEM_TWO))
    text = DocumentText.from_pages(pages).text
    for page in pages:
        (part,) = split_page(page.text, [(3, text)])
        assert join_parts([part], {3: text}) == page.text and part.deliberation_id == 3


# (sample, share of its pages' characters written out at most): an extract's pages are in its
# deliberations (two on one page: but the line break between them); these short minutes open with
# a long attendance list that no item holds.
@pytest.mark.parametrize("sample, written_share", [
    ("commune_pv_seance_numerotee.pdf", 0.6), ("seed_genevois_cs2021-15.pdf", 0.0),
    ("commune_deux_deliberations_meme_page.pdf", 0.01)])
def test_pagetext_the_view_pages_gives_every_page_as_read(tmp_path, sample, written_share):
    extraction = extract_document(SAMPLES / sample, ExtractOptions(entities=False))
    db = tmp_path / "delib.db"
    with open_store(f"sqlite:///{db}") as store:
        store.save(extraction, path=sample, size_bytes=1, mtime=0.0, extractor_version=EXTRACTOR_VERSION)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT page_number, text, margin, ocr FROM pages ORDER BY page_number").fetchall()
        written_out = conn.execute("SELECT coalesce(sum(length(text)), 0) FROM page_parts").fetchone()[0]
    assert rows == [(p.number, p.text, p.margin, int(p.ocr)) for p in extraction.page_texts]
    assert written_out <= written_share * sum(len(p.text) for p in extraction.page_texts)
