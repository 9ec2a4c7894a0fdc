"""The typed result every extractor returns: a piece of the text, where it was found.

Extractors are pure functions of a string. They report character offsets into that string;
the assembler turns offsets into page numbers with `models.records.DocumentText.page_at`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, TypeVar


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` of the string the extractor was given."""

    start: int
    end: int
    text: str


S = TypeVar("S", bound=Span)


def leftmost_longest(spans: Iterable[S]) -> list[S]:
    """Overlaps resolved once, as spaCy's filter_spans does: leftmost first, then longest."""
    kept: list[S] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def fold(text: str) -> str:
    """Lower case without accents, for comparing words as French writers vary them."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
