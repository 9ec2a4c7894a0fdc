"""Splitting one PDF into its deliberations.

Registry files sometimes hold several deliberations one after another, each starting on a new
page with its own header. A page starts a new deliberation when its top carries such a header.
"""
from __future__ import annotations

import regex

from pipeline.records import PageText

_TOP_LINES = 15
_STARTS = regex.compile(
    r"extrait\s+(?:du\s+)?(?:registre|proc[èe]s[- ]verbal)|^\s*d[ée]lib[ée]ration\s+n[°º o]|"
    r"^\s*n[°º]\s*(?:de\s+la\s+d[ée]lib[ée]ration)?\s*:?\s*[A-Z]{0,8}[-_ ]?\d",
    regex.IGNORECASE | regex.MULTILINE,
)
_OBJECT = regex.compile(r"\bobjet\s*[:.\-–]|s[ée]ance\s+du|l'an\s+deux\s+mil", regex.IGNORECASE)
# Minutes of a whole séance repeat "Extrait" in their headers; a real new deliberation also
# carries its own object or séance line near the top.


def split_deliberations(pages: list[PageText]) -> list[list[PageText]]:
    """Consecutive groups of pages, one group per deliberation."""
    groups: list[list[PageText]] = []
    for page in pages:
        if groups and _starts_deliberation(page):
            groups.append([page])
        elif groups:
            groups[-1].append(page)
        else:
            groups.append([page])
    return groups


def _starts_deliberation(page: PageText) -> bool:
    top = "\n".join((page.margin + "\n" + page.text).strip().split("\n")[:_TOP_LINES])
    return bool(_STARTS.search(top) and _OBJECT.search(top))
