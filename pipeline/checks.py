"""`delib check`'s work: run the consistency rules over the stored deliberations, store the findings.

The rules are pure functions of a record (`extractors.checks`); the storage layer reads the
records back and stores what the rules return (`models.findings`). This module joins the two, so
that the database layer never computes.

A run checks only the deliberations imported or re-extracted since the previous one; all of them
when the rules changed (their `rules_version`: a fingerprint of the rules' code and legal periods)
or when asked (`everything=True`).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

import extractors.checks as rules
from models import findings
from models.store import Store


@lru_cache(maxsize=1)
def rules_version() -> str:
    """Changes whenever the rules' code or their table of legal periods does."""
    digest = hashlib.sha256(resources.files("extractors").joinpath("checks.py").read_bytes())
    for name in sorted(n for n in dir(rules) if n.startswith("_PERIODS")):
        value = getattr(rules, name)
        if isinstance(value, str):
            digest.update(resources.files("extractors").joinpath("data", value).read_bytes())
    return "checks:" + digest.hexdigest()[:16]


def update_checks(store: Store, *, everything: bool = False) -> findings.CheckRun:
    """Check what was not checked yet (everything on request or when the rules changed)."""
    periods = rules.legal_periods()  # read once, not once per deliberation
    return findings.update(store, lambda record: rules.check(record, periods), rules_version(),
                           everything=everything)


def run_checks(store: Store) -> int:
    """Recompute every finding, in one transaction; returns how many there are."""
    return update_checks(store, everything=True).total
