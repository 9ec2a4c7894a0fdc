"""The folded keys under which the database matches names and numbers.

Kept apart from `models.store` (which imports SQLAlchemy) so that `delib search --person` folds a
name the way the importer did without loading the database layer.
"""
from __future__ import annotations

import re
import unicodedata

_DASHES_SPACES = re.compile(r"[\s\-\u2010-\u2015]+")
_NUMBER_NOISE = re.compile(r"[\s\-\u2010-\u2015/_.]+")


def normalize_name(name: str) -> str:
    """'Jean-Claude  GÉORGET' -> 'jean claude georget': one person however it is typed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DASHES_SPACES.sub(" ", bare).strip()


def number_key(number: str | None) -> str | None:
    """'DEL-2019/042' and 'del 2019_042' -> 'del2019042', to match a reference to its deliberation."""
    if not number:
        return None
    return _NUMBER_NOISE.sub("", number.casefold()) or None


__all__ = ["normalize_name", "number_key"]
