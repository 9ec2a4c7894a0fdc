"""Shared fixtures: where the samples, the contract and the real corpus are."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PACKAGED_SCHEMA = ROOT / "pipeline" / "schema" / "extraction.schema.json"
SHARED = ROOT.parent / "shared"
SHARED_SCHEMA = SHARED / "contract" / "extraction.schema.json"
CORPUS = SHARED / "corpus" / "real"


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens", action="store_true",
        help="rewrite samples/*.expected.json from the current output (review with git diff)",
    )


@pytest.fixture(scope="session")
def contract_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(PACKAGED_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def sample_pdfs() -> list[Path]:
    return sorted(SAMPLES.glob("*.pdf"))
