"""A page's text stored once: as the parts of it that its deliberations' texts already hold.

A deliberation's text is its pages' text (a registry extract: the whole document; the minutes of a
séance: a slice of it), so storing every page's text beside `deliberations.text` stored the text of
an archive twice. The store keeps a page as a list of parts instead, in order: a slice of one of
the document's deliberation texts (`PagePart.deliberation_id`, `start`, `length`), or the
characters no deliberation holds (`PagePart.text`: a séance's preamble, the debate between two
items, a page of signatures). The view `pages` joins them again.

    parts = split_page(page_text, [(delib_id, delib_text), ...])
    join_parts(parts, {delib_id: delib_text}) == page_text      # always: checked before returning

Positions count characters from 1, as SQL's substr() does on both databases.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.records import PAGE_SEPARATOR

# A slice shorter than this is written out: a reference costs about as much as a line of text.
MIN_SLICE = 48


@dataclass(frozen=True, slots=True)
class PagePart:
    """A slice of a deliberation's text (deliberation_id, start from 1, length) or literal text."""

    deliberation_id: int | None = None
    start: int | None = None
    length: int | None = None
    text: str | None = None


def split_page(page: str, deliberations: Sequence[tuple[int, str]]) -> list[PagePart]:
    """`page` as parts of `deliberations` (id, text) where they hold it, literal text elsewhere.

    The whole page inside one deliberation's text (the common case) is one part. Otherwise each
    deliberation's per-page pieces (its text between page separators) found in the page become
    parts, longest first, and what is left between them literal text. Text with a NUL character
    is kept literal: PostgreSQL drops NULs when writing, which would shift every position.
    """
    if not page:
        return []
    literal = [PagePart(text=page)]
    if "\x00" in page:
        return literal
    usable = [(i, t) for i, t in deliberations if t and "\x00" not in t]
    for delib_id, text in usable:
        found = text.find(page)
        if found >= 0:
            return [PagePart(delib_id, found + 1, len(page))]
    spans: list[tuple[int, int, int, int]] = []  # (start in page, end in page, deliberation, start in it)
    for delib_id, text in usable:
        offset = 0
        for piece in text.split(PAGE_SEPARATOR):
            if len(piece) >= MIN_SLICE:
                at = page.find(piece)
                if at >= 0:
                    spans.append((at, at + len(piece), delib_id, offset))
            offset += len(piece) + len(PAGE_SEPARATOR)
    chosen: list[tuple[int, int, int, int]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # longest first
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    if not chosen:
        return literal
    parts: list[PagePart] = []
    at = 0
    for start, end, delib_id, offset in sorted(chosen):
        if start > at:
            parts.append(PagePart(text=page[at:start]))
        parts.append(PagePart(delib_id, offset + 1, end - start))
        at = end
    if at < len(page):
        parts.append(PagePart(text=page[at:]))
    texts = dict(usable)
    return parts if join_parts(parts, texts) == page else literal


def join_parts(parts: Sequence[PagePart], deliberations: Mapping[int, str]) -> str:
    """The page's text again (what the view `pages` computes in SQL)."""
    out = []
    for part in parts:
        if part.text is not None:
            out.append(part.text)
        else:
            start = (part.start or 1) - 1
            out.append(deliberations[part.deliberation_id][start:start + (part.length or 0)])
    return "".join(out)


__all__ = ["MIN_SLICE", "PagePart", "join_parts", "split_page"]
