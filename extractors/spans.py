"""The typed result every extractor returns: a piece of the text, where it was found.

Extractors are pure functions of a string. They report character offsets into that string;
the assembler turns offsets into page numbers with `pipeline.records.DocumentText.page_at`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` of the string the extractor was given."""

    start: int
    end: int
    text: str
