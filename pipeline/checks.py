"""`delib check`'s work: run the consistency rules over every stored deliberation, store the findings.

The rules are pure functions of a record (`extractors.checks`); the storage layer reads the
records back and stores what the rules return (`models.findings`). This module joins the two, so
that the database layer never computes.
"""
from __future__ import annotations

from extractors.checks import check
from models import findings
from models.store import Store


def run_checks(store: Store) -> int:
    """Recompute every finding, in one transaction; returns how many were stored."""
    return findings.replace_all(store, check)
