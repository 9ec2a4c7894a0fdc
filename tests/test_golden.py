"""Every sample PDF gives exactly what its hand-checked `NAME.expected.json` says.

Entities (from the statistical NER model) are not in the goldens; labels of budget articles
come from the nomenclature and are checked in test_budget.
"""
from __future__ import annotations

import json
from functools import cache

import pytest

from pipeline.api import ExtractOptions, extract_document
from pipeline.scoring import compare
from pipeline.publish.serialize import extraction_to_json
from tests.conftest import sample_pdfs

PDFS = [p for p in sample_pdfs() if p.with_suffix(".expected.json").exists()]


@cache
def extracted(path) -> dict:
    return extraction_to_json(extract_document(path, ExtractOptions(entities=False)))


def test_golden_every_sample_has_an_expected_file():
    missing = [p.name for p in sample_pdfs() if not p.with_suffix(".expected.json").exists()]
    assert not missing
    assert len(PDFS) >= 16


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_golden_sample_matches_expected(pdf, request):
    expected_path = pdf.with_suffix(".expected.json")
    actual = extracted(pdf)
    if request.config.getoption("--update-goldens"):
        _rewrite(expected_path, actual)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    score = compare(expected, actual, label=pdf.stem)
    assert not score.differences, "\n".join(score.differences)


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_golden_output_follows_the_contract(pdf, contract_validator):
    errors = sorted(contract_validator.iter_errors(extracted(pdf)), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def _rewrite(path, actual: dict) -> None:
    drop = {"entities"}
    doc = {
        "pages": actual["source"]["pages"],
        "ocr": actual["source"]["ocr"],
        "deliberations": [
            {
                k: ([{f: v for f, v in item.items() if f not in ("page", "label")} for item in value]
                    if isinstance(value, list) and k != "pages" else value)
                for k, value in d.items() if k not in drop
            }
            for d in actual["deliberations"]
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
