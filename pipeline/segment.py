"""Splitting one PDF into its deliberations.

Registry files sometimes hold several deliberations one after another, each with its own header.
A page starts a new deliberation when its top carries such a header; so does a header block
printed lower on a page (after a rule), once the deliberation before it has reached its decision.
"""
from __future__ import annotations

import dataclasses

import regex

from extractors.decisions import DELIBERATION_END, DELIBERATION_START
from extractors.header import find_number
from models.records import PageText

_TOP_LINES = 15
_STARTS = regex.compile(
    r"extrait\s+(?:du\s+)?(?:registre|proc[èe]s[- ]verbal)|^\s*d[ée]lib[ée]ration\s+n[°º o]|"
    r"^\s*n[°º]\s*(?:de\s+la\s+d[ée]lib[ée]ration)?\s*:?\s*[A-Z]{0,8}[-_ ]?\d",
    regex.IGNORECASE | regex.MULTILINE,
)
_OBJECT = regex.compile(
    r"\bobjet\s*[:.\-–]|s[ée]ance\b[^\n]{0,30}?\bdu\b|l'an\s+deux\s+mil|d[ée]lib[ée]ration\s+n[°º]", regex.IGNORECASE
)
# Minutes of a whole séance repeat "Extrait" in their headers; a real new deliberation also
# carries its own object or séance line near the top.


def split_deliberations(pages: list[PageText]) -> list[list[PageText]]:
    """Consecutive groups of pages, one group per deliberation.

    A header repeated on every page of one deliberation carries the same number: a new group
    starts only where the number changes (or, when none is printed, where the header is).
    """
    groups: list[list[PageText]] = []
    current_number: str | None = None
    for page in (part for whole in pages for part in _parts(whole)):
        top = _top(page)
        found = find_number(top)
        number = found.value if found else None
        if groups and _starts_deliberation(top) and (number is None or number != current_number):
            groups.append([page])
            current_number = number
        elif groups:
            groups[-1].append(page)
        else:
            groups.append([page])
            current_number = number
    return groups


def _top(page: PageText) -> str:
    return "\n".join((page.margin + "\n" + page.text).strip().split("\n")[:_TOP_LINES])


def _starts_deliberation(top: str) -> bool:
    return bool(_STARTS.search(top) and _OBJECT.search(top))


_EXTRACT = regex.compile(r"extrait\s+(?:du\s+)?(?:registre|proc[èe]s[- ]verbal)", regex.IGNORECASE)


def is_extract_series(groups: list[list[PageText]]) -> bool:
    """Whether every group opens with its own "Extrait du registre" header: separate extracts put
    in one file, not the minutes of a séance whose items start pages with "Délibération n° …"."""
    return len(groups) > 1 and all(_EXTRACT.search(_top(group[0])) for group in groups)


_LINE_START = regex.compile(
    r"^[ \t]*(?:extrait\s+(?:du\s+)?(?:registre|proc[èe]s[- ]verbal)|d[ée]lib[ée]ration\s+n[°º o])",
    regex.IGNORECASE)


def _parts(page: PageText) -> list[PageText]:
    """The page cut where a new deliberation's header block starts below its top: the text above
    must already hold a decision or a closing formula, so a letterhead above the first header
    never makes a part of its own. Parts keep the page's number."""
    lines = page.text.split("\n")
    cuts = []
    for index in range(1, len(lines)):
        if not _LINE_START.match(lines[index]):
            continue
        above = "\n".join(lines[cuts[-1] if cuts else 0:index])
        block = "\n".join(lines[index:index + _TOP_LINES])
        # The header's own line is not its object: "Délibération n° 12 certifiée exécutoire" in a
        # closing block starts nothing.
        below = "\n".join(lines[index + 1:index + _TOP_LINES])
        if (_STARTS.search(block) and _OBJECT.search(below)
                and (DELIBERATION_START.search(above) or DELIBERATION_END.search(above))):
            cuts.append(index)
    if not cuts:
        return [page]
    bounds = [0, *cuts, len(lines)]
    return [
        dataclasses.replace(page, text="\n".join(lines[a:b]).strip("\n"), margin=page.margin if a == 0 else "")
        for a, b in zip(bounds, bounds[1:])
    ]


def whole_pages(parts: list[PageText]) -> list[PageText]:
    """Parts of one page joined again: one text per page for storage."""
    out: list[PageText] = []
    for part in parts:
        if out and out[-1].number == part.number:
            out[-1] = dataclasses.replace(out[-1], text=out[-1].text + "\n" + part.text,
                                          margin=out[-1].margin or part.margin)
        else:
            out.append(part)
    return out
