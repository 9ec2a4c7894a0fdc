"""The library API the CLI and the importer call: one function per job."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from extractors.amounts import find_doubtful_amounts
from extractors.assemble import assemble
from extractors.checks import warnings_for
from extractors.kind import classify, gives_deliberations, kind_warning
from extractors.seance import assemble_list, assemble_minutes
from pipeline.extract_options import EXTRACTOR_VERSION, ExtractOptions
from models.records import DocumentText, Extraction, PageText, Source
from pipeline.segment import is_extract_series, split_deliberations, whole_pages
from pipeline.read.pdf import read_pages, strip_running_lines

log = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "extract_bytes", "extract_document", "extract_pages"]

LOW_OCR_CONFIDENCE = 60.0


def extract_document(path: Path | str, options: ExtractOptions = ExtractOptions()) -> Extraction:
    """Read one PDF and return every deliberation in it. Raises `errors.DocumentError`."""
    path = Path(path)
    data = path.read_bytes()
    return extract_bytes(path, data, options)


def extract_bytes(path: Path, data: bytes, options: ExtractOptions = ExtractOptions()) -> Extraction:
    pages = read_pages(path, data, engine=options.engine, ocr=options.ocr)
    return extract_pages(path, hashlib.sha256(data).hexdigest(), pages, options)


def extract_pages(path: Path, sha256: str, pages: list[PageText], options: ExtractOptions = ExtractOptions()) -> Extraction:
    """The deliberations of pages already read (the benchmarks keep OCR'd pages between runs)."""
    kind = classify(DocumentText.from_pages(pages).text)
    if not gives_deliberations(kind):  # an arrêté is imported as a document, flagged, without rows
        return _extraction(path, sha256, pages, [], pages, kind)
    deliberations = []
    cleaned_pages = []
    groups = split_deliberations(pages)
    if len(groups) > 1 and not is_extract_series(groups):
        # Minutes whose items start pages with "Délibération n° …" look like several extracts.
        # Their pages are read whole: stripping running lines would take those headings for a
        # repeated page header.
        items = assemble_minutes(DocumentText.from_pages(pages), with_entities=options.entities)
        if items:
            return _extraction(path, sha256, pages, items, pages, kind)
    for group in groups:
        group = strip_running_lines(group)
        cleaned_pages.extend(group)
        doc = DocumentText.from_pages(group)
        # Séance minutes hold one deliberation per agenda item; a file already split into
        # extracts by their headers is not minutes.
        items = None
        if len(groups) == 1:
            items = assemble_list(doc, with_entities=options.entities) or assemble_minutes(
                doc, with_entities=options.entities)
        deliberations.extend(items or [assemble(doc, with_entities=options.entities)])
    return _extraction(path, sha256, pages, deliberations, whole_pages(cleaned_pages), kind)


def _extraction(path: Path, sha256: str, pages: list[PageText], deliberations, cleaned_pages,
                kind: str) -> Extraction:
    warnings = _warnings(pages, deliberations)
    if kind_warning(kind):
        warnings.insert(0, kind_warning(kind))
    source = Source(
        path=str(path), sha256=sha256, pages=len(pages), ocr=any(p.ocr for p in pages),
        warnings=tuple(warnings), kind=kind,
    )
    return Extraction(source, tuple(deliberations), tuple(cleaned_pages))


def _warnings(pages, deliberations) -> list[str]:
    out = []
    for page in pages:
        if page.ocr and page.ocr_confidence is not None and page.ocr_confidence < LOW_OCR_CONFIDENCE:
            out.append(f"page {page.number}: OCR confidence is low ({page.ocr_confidence:.0f}/100)")
        if not (page.text.strip() or page.margin.strip()):
            out.append(f"page {page.number}: no text")
    for index, d in enumerate(deliberations, start=1):
        missing = [name for name in ("number", "title", "session_date") if getattr(d, name) is None]
        if missing:
            out.append(f"deliberation {index}: not found: {', '.join(missing)}")
        out.extend(f"deliberation {index}: {doubt.reason}" for doubt in find_doubtful_amounts(d.text))
    out.extend(warnings_for(deliberations))
    return out
