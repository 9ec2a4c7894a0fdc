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
    if output["source"].get("kind") == "arrete":  # a préfecture's act: a flagged document, no rows
        assert not output["deliberations"] and output["source"]["warnings"]
    else:
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


def _counted_expectations():
    import json
    from pathlib import Path

    folder = Path(__file__).parent / "corpus_dev"
    for path in sorted(folder.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if (expected.get("corpus", "real") == "real" and "deliberation_count" in expected
                and expected.get("family") in ("minutes", "list") and not expected.get("scanned")):
            yield expected


@pytest.mark.parametrize("expected", list(_counted_expectations()), ids=lambda e: e["file"])
def test_corpus_minutes_give_one_record_per_deliberated_item(expected):
    """Séance minutes and lists read by hand item by item: as many records, titles in order."""
    from pipeline.scoring import loose

    records = extracted(CORPUS / expected["file"])["deliberations"]
    assert len(records) == expected["deliberation_count"]
    titled = [(e["index"], loose(e["title"])) for e in expected["deliberations"] if e.get("title")]
    assert [loose(records[i]["title"]) for i, _ in titled] == [t for _, t in titled]
