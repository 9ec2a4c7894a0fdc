"""The real public deliberations in ../shared/corpus/real: every file goes through, valid.

These documents were written by nobody here; scans among them go through real Tesseract.
Hand-checked values for the DEV files are in test_corpus_dev.py.
"""
from __future__ import annotations

from functools import cache

import pytest

from pipeline.api import ExtractOptions, extract_document
from pipeline.publish.serialize import extraction_to_json
from tests.conftest import CORPUS

PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.exists() else []
pytestmark = pytest.mark.skipif(not PDFS, reason="../shared/corpus/real is not here")


@cache
def extraction(path):
    return extract_document(path, ExtractOptions())


def extracted(path) -> dict:
    return extraction_to_json(extraction(path))


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_corpus_file_extracts_to_valid_contract_output(pdf, contract_validator):
    output = extracted(pdf)
    errors = sorted(contract_validator.iter_errors(output), key=str)
    assert not errors, "\n".join(e.message for e in errors)
    assert output["deliberations"], "every document yields at least one record"
    assert all(d["pages"] for d in output["deliberations"])


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_corpus_scans_are_read_by_ocr(pdf):
    """A file with no text layer must come out with French text on every page, not empty."""
    result = extraction(pdf)
    for page in result.page_texts:
        if page.ocr:
            assert page.ocr_confidence is not None
            assert len(page.text.split()) > 10, f"page {page.number} read as almost nothing"
