"""The M14/M57 budget nomenclature: account and chapitre codes with the labels deliberations cite.

The table lives in `models/data/nomenclature.csv` (`code,label,class`). Where M14 and M57
label a code differently the M57 label is kept. `class` is the code's first digit, so budget
chapitres such as 011 or 042 have class "0".
"""
from __future__ import annotations

import csv
import functools
import io
from importlib import resources

_DATA_FILE = "nomenclature.csv"


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    """code -> (label, class), read once per process."""
    text = resources.files("models").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    return {
        row["code"]: (row["label"], row["class"])
        for row in csv.DictReader(io.StringIO(text))
    }


def _normalise(code: str) -> str:
    # Deliberations write "6 574" or "6574." as often as "6574".
    return "".join(code.split()).rstrip(".")


def label_for(code: str) -> str | None:
    """The label of exactly this code; None for an unknown sub-account (a parent's label would be a guess)."""
    entry = _table().get(_normalise(code))
    return entry[0] if entry else None


def is_known(code: str) -> bool:
    return _normalise(code) in _table()


def all_accounts() -> list[tuple[str, str, str]]:
    """Every (code, label, class) in file order, for loading a reference table."""
    return [(code, label, klass) for code, (label, klass) in _table().items()]
