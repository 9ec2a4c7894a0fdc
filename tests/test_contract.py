"""The packaged copy of the contract is the contract; every output validates against it."""
from __future__ import annotations

import json

import pytest

from tests.conftest import PACKAGED_SCHEMA, SHARED_SCHEMA


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="../shared is not here")
def test_contract_packaged_copy_equals_shared_contract():
    packaged = json.loads(PACKAGED_SCHEMA.read_text(encoding="utf-8"))
    shared = json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
    assert packaged == shared


def test_contract_packaged_copy_is_a_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(PACKAGED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
