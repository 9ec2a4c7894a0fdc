"""What to look for on the page, for each fact shown about a deliberation.

    marks = deliberation_marks(deliberation, children)   # [Mark("number", "2021-027", page=1), ...]

The database keeps the page a value was read on, and the value as printed where the contract has
it (an amount's text, a reference's number, a name); a date is kept as a date, so its usual
printed forms are all looked for. A bare count ("14") is looked for near the word that names it.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Sequence

from pipeline.publish.pages import Mark

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")

# The words printed beside each count and vote figure (lower case; accents as printed).
NEAR = {
    "in_office": ("exercice", "en fonction", "composant"),
    "present": ("présent", "presents", "présents", "presents"),
    "represented": ("représenté", "pouvoir", "procuration", "représentés"),
    "voters": ("votant", "suffrages"),
    "votes_for": ("pour", "favorable"),
    "votes_against": ("contre",),
    "abstentions": ("abstention",),
    "not_voting": ("pas pris part", "ne prend pas part", "ne participe", "non-participation"),
}


def date_forms(value: date | str | None) -> list[str]:
    """The ways a date is printed in deliberations: 15/04/2021, 15.04.2021, 15 avril 2021, 1er avril."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return []
    day = f"{value.day:02d}"
    month = MONTHS[value.month - 1]
    forms = [f"{day}/{value.month:02d}/{value.year}", f"{day}.{value.month:02d}.{value.year}",
             f"{value.day} {month} {value.year}", f"{day} {month} {value.year}"]
    if value.day == 1:
        forms.append(f"1er {month} {value.year}")
    return list(dict.fromkeys(forms))


def _page(row: Mapping[str, Any]) -> int | None:
    page = row.get("page")
    return int(page) if page is not None else None


def _first_words(text: str, count: int) -> str:
    return " ".join(str(text or "").split()[:count])


def deliberation_marks(d: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Mark]:
    """Marks for a deliberation row (`deliberations` columns) and its child rows by table name:
    attendance, amounts, budget_articles, decisions, references. Keys match `fact_key` below."""
    first = d.get("first_page")
    marks: list[Mark] = []
    for field in ("number", "authority", "president", "secretary", "place"):
        if d.get(field):
            marks.append(Mark(field, str(d[field]), page=None if field in ("president", "secretary") else first))
    if d.get("title"):
        # A long title wraps and may be cut by the page: its first words are enough to find it.
        marks.append(Mark("title", _first_words(d["title"], 12), page=first))
    for field in ("session_date", "convocation_date", "transmission_date", "publication_date"):
        for form in date_forms(d.get(field)):
            marks.append(Mark(field, form))
    if d.get("session_time"):
        hh, _, mm = str(d["session_time"]).partition(":")
        for form in (f"{int(hh)} h {mm}", f"{int(hh)}h{mm}", f"{hh}h{mm}", f"{int(hh)} heures {mm}", f"{hh}:{mm}"):
            marks.append(Mark("session_time", form, page=first))
    for field, words in NEAR.items():
        if d.get(field) is not None:
            marks.append(Mark(field, str(d[field]), near=words))
    if d.get("unanimous") == 1 or d.get("unanimous") is True:
        marks.append(Mark("unanimous", "unanimité"))
    for i, row in enumerate(children.get("attendance", ())):
        marks.append(Mark(f"attendance-{i}", str(row["name"]), page=_page(row)))
    for i, row in enumerate(children.get("amounts", ())):
        marks.append(Mark(f"amount-{i}", str(row["text"]), page=_page(row)))
        if row.get("beneficiary"):
            marks.append(Mark(f"amount-{i}", str(row["beneficiary"]), page=_page(row)))
    for i, row in enumerate(children.get("budget_articles", ())):
        marks.append(Mark(f"budget-{i}", str(row["code"]), page=_page(row)))
    for i, row in enumerate(children.get("decisions", ())):
        marks.append(Mark(f"decision-{i}", f"{row['verb']} {_first_words(row['text'], 5)}", page=_page(row)))
    for i, row in enumerate(children.get("references", ())):
        marks.append(Mark(f"reference-{i}", str(row["number"]), page=_page(row)))
    return marks


__all__ = ["NEAR", "date_forms", "deliberation_marks"]
