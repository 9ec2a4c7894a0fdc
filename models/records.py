"""Immutable records passed between the pipeline's stages.

PDF -> PageText -> DocumentText -> (extractors) -> Deliberation -> Extraction.
Every value read off a page keeps the page it came from.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from datetime import date
from typing import Literal

PAGE_SEPARATOR = "\f"


@dataclass(frozen=True, slots=True)
class PageText:
    """The text of one page, as read (text layer or OCR), already cleaned."""

    number: int  # 1-based
    text: str
    ocr: bool = False
    ocr_confidence: float | None = None  # Tesseract's mean word confidence, 0-100
    margin: str = ""  # a narrow column beside the body (page 1 of many registry extracts)
    image_cover: float | None = None  # share of the page under images (None: not measured)


@dataclass(frozen=True, slots=True)
class DocumentText:
    """Pages joined into one string so extractors see a single text; offsets map back to pages."""

    pages: tuple[PageText, ...]
    text: str
    page_starts: tuple[int, ...]

    @classmethod
    def from_pages(cls, pages: tuple[PageText, ...] | list[PageText]) -> "DocumentText":
        pages = tuple(pages)
        parts: list[str] = []
        starts: list[int] = []
        offset = 0
        for page in pages:
            body = page.margin + ("\n\n" if page.margin else "") + page.text
            starts.append(offset)
            parts.append(body)
            offset += len(body) + len(PAGE_SEPARATOR)
        return cls(pages, PAGE_SEPARATOR.join(parts), tuple(starts))

    def page_at(self, offset: int) -> int:
        """The 1-based page number of the character at `offset`."""
        if not self.pages:
            return 1
        index = bisect.bisect_right(self.page_starts, offset) - 1
        return self.pages[max(index, 0)].number

    @property
    def page_numbers(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.pages)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    status: str  # present | represented | excused | absent
    civility: str | None = None
    substitute_for: str | None = None
    proxy_to: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    in_office: int | None = None
    present: int | None = None
    represented: int | None = None
    voters: int | None = None


@dataclass(frozen=True, slots=True)
class Vote:
    unanimous: bool | None = None
    for_: int | None = None
    against: int | None = None
    abstentions: int | None = None
    not_voting: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    verb: str
    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    value: Decimal
    currency: str  # EUR | FRF | CHF
    text: str
    page: int | None = None
    beneficiary: str | None = None  # who receives it, when the text or a table row says so


@dataclass(frozen=True, slots=True)
class BudgetArticle:
    code: str
    label: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    number: str
    date: date | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str  # PER | ORG | LOC | MISC
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Deliberation:
    pages: tuple[int, ...]
    authority: str | None = None
    body: str | None = None
    number: str | None = None
    title: str | None = None
    session_date: date | None = None
    session_time: str | None = None  # HH:MM
    convocation_date: date | None = None
    transmission_date: date | None = None
    publication_date: date | None = None
    place: str | None = None
    president: str | None = None
    secretary: str | None = None
    counts: Counts = field(default_factory=Counts)
    attendance: tuple[Person, ...] = ()
    vote: Vote = field(default_factory=Vote)
    decisions: tuple[Decision, ...] = ()
    amounts: tuple[Amount, ...] = ()
    budget_articles: tuple[BudgetArticle, ...] = ()
    references: tuple[Reference, ...] = ()
    entities: tuple[Entity, ...] = ()
    text: str = ""  # the deliberation's own text, for full-text search


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    sha256: str
    pages: int
    ocr: bool
    warnings: tuple[str, ...] = ()
    # extract | minutes | list | arrete | other (extractors.kind); None: not classified
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one PDF: the contract's top-level object."""

    source: Source
    deliberations: tuple[Deliberation, ...]
    page_texts: tuple[PageText, ...] = ()


Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    """What a consistency check found doubtful in a deliberation (`extractors.checks`)."""

    rule: str
    message: str
    severity: Severity
