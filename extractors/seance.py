"""Séance minutes to one `Deliberation` per deliberated agenda item.

The text before the first item (and the opening business items: secretary, approval of the last
minutes) states the séance: authority, body, date, time, place, president, secretary, convocation,
counts and attendance. Every deliberated item carries that context, its own heading, exposé,
clauses, vote, amounts and references, and the attendance as changed by the arrivals and
departures printed before it. A transmission or publication date printed once applies to all.
"""
from __future__ import annotations

import bisect
from dataclasses import replace

from extractors import dates, decisions, minutes, references, votes
from extractors.assemble import assemble
from models.records import Counts, Deliberation, DocumentText, Person, Reference, Vote

_MIN_DELIBERATED = 2  # fewer deliberated items: the document is read as one deliberation


def assemble_minutes(doc: DocumentText, *, with_entities: bool = True) -> list[Deliberation] | None:
    """One record per deliberated item, in document order; None when `doc` is not séance minutes."""
    text = doc.text
    if minutes.is_single_extract(text):
        return None
    # The surest way to cut the text, unless a looser one finds at least twice as many deliberated
    # items (a numbered list of paragraphs inside one item is not the minutes' agenda).
    items, deliberated = [], []
    for candidate in minutes.item_sets(text):
        candidate = [part for item in candidate for part in minutes.split_item(item)]
        voted = [item for item in candidate if minutes.is_deliberated(
            item, votes.find_vote(item.text) is not None, bool(decisions.find_decisions(item.text)))]
        if len(voted) >= max(2 * len(deliberated), 1):
            items, deliberated = candidate, voted
    if len(deliberated) < _MIN_DELIBERATED:
        return None
    context = _context(doc, deliberated[0].start)
    whole = dates.find_dates(text)
    transmission = _last(whole, "transmission")
    publication = _last(whole, "publication")
    moves = minutes.find_movements(text)
    # The figures printed with an arrival or departure ("Présents : 13 ; votants : 15").
    moved = [(move, _figures(_paragraph(text, move.start))) for move in moves]
    records = []
    for item in deliberated:
        part = _slice(doc, item.start, item.end)
        own = assemble(part, with_entities=with_entities)
        attendance = _attendance_at(context.attendance, moves, item, items, doc.page_at)
        counts = context.counts
        for move, figures in moved:
            if _applies(move, item, items):
                counts = _counts(figures, counts)
        counts = _counts(_figures(_without(text, moves, item)), counts)
        records.append(replace(
            own,
            # The séance's letterhead, read at the top of the whole document when the opening
            # leaves it unsaid; an item's own prose ("la commune de X") names no authority.
            authority=context.authority,
            body=context.body or own.body,
            number=item.number,
            title=item.title or own.title,
            session_date=context.session_date,
            session_time=context.session_time,
            convocation_date=context.convocation_date,
            transmission_date=transmission or own.transmission_date,
            publication_date=publication or own.publication_date,
            place=context.place,
            president=context.president,
            secretary=context.secretary,
            counts=counts,
            attendance=attendance,
            # The item's own number, not a number it cites, is left out of its references.
            references=_references(part, item.number),
        ))
    return records


def _references(part: DocumentText, number: str | None) -> tuple[Reference, ...]:
    seen, out = set(), []
    for r in references.find_references(part.text, number):
        if r.number not in seen:
            seen.add(r.number)
            out.append(Reference(r.number, r.date, part.page_at(r.start)))
    return tuple(out)


_PAGE_TOP = 20  # lines
_SEANCE_FIELDS = ("authority", "body", "session_date", "session_time", "convocation_date", "place",
                  "president", "secretary")


def _context(doc: DocumentText, start: int) -> Deliberation:
    """The séance as stated before the first deliberated item (opening business included). What
    that part leaves unsaid is taken from the whole document, as for a one-record document: a
    margin box or a stamp repeated on every page states it for the whole séance."""
    context = assemble(_slice(doc, 0, start), with_entities=False)
    missing = [name for name in _SEANCE_FIELDS if getattr(context, name) is None]
    full = all(v is not None for v in (context.counts.in_office, context.counts.present,
                                       context.counts.represented, context.counts.voters))
    if not (missing or not full or not context.attendance):
        return context
    whole = assemble(doc, with_entities=False)
    changes = {name: getattr(whole, name) for name in missing}
    # Figures printed in an item are that item's: the séance's missing ones are read only in the
    # margin boxes and page tops (a box repeated on every page, one copy of which OCR garbled).
    # A box states several figures; a lone "présente 10" at a page's top is an item's.
    found: dict[str, int] = {}
    for page in reversed(doc.pages):  # the first page's box wins
        box = page.margin + "\n" + "\n".join(page.text.split("\n")[:_PAGE_TOP])
        counts = votes.find_counts(box)
        if len(counts) >= 2:
            found.update({field: mention.value for field, mention in counts.items()})
    changes["counts"] = replace(context.counts, **{
        field: value for field, value in found.items() if getattr(context.counts, field) is None})
    if not context.attendance:
        changes["attendance"] = whole.attendance
    return replace(context, **changes)


def assemble_list(doc: DocumentText, *, with_entities: bool = True) -> list[Deliberation] | None:
    """A list of a séance's deliberations: one record per row, with what the row states (number,
    object, vote, references) and what the page states for the séance; None when not a list."""
    text = doc.text
    if not minutes.is_list(text):
        return None
    rows = [row for row in minutes.find_list_rows(text) if not minutes.NOT_DELIBERATED.search(row.title)]
    if not rows:
        return None
    context = assemble(_slice(doc, 0, rows[0].start), with_entities=False)
    session = context.session_date
    if session is None:  # "Liste des délibérations votées / Le 16 MAI 2025": the list's date
        first = next(iter(dates.find_dates(text[:rows[0].start])), None)
        session = first.value if first and first.role in (None, "session") else None
    found = dates.find_dates(text)
    transmission, publication = _last(found, "transmission"), _last(found, "publication")
    records = []
    for row in rows:
        own = assemble(_slice(doc, row.start, row.end), with_entities=with_entities)
        vote = votes.find_vote(row.text)
        records.append(Deliberation(
            pages=own.pages, authority=context.authority, body=context.body, number=row.number,
            title=row.title, session_date=session, session_time=context.session_time,
            convocation_date=context.convocation_date, transmission_date=transmission,
            publication_date=publication,
            place=context.place, president=context.president, secretary=context.secretary,
            counts=context.counts, attendance=context.attendance,
            vote=Vote(vote.unanimous, vote.for_, vote.against, vote.abstentions, vote.not_voting) if vote else Vote(),
            # The row's own number is not cited by it; a number in its object is ("Modification
            # de la délibération n° 2024-37").
            references=_references(_slice(doc, row.body, row.end), row.number),
            amounts=own.amounts, entities=own.entities, text=row.text,
        ))
    return records


def _slice(doc: DocumentText, start: int, end: int) -> DocumentText:
    """`doc.text[start:end]` with its pages, so that offsets still map to page numbers."""
    first = max(bisect.bisect_right(doc.page_starts, start) - 1, 0)
    last = max(bisect.bisect_right(doc.page_starts, max(start, end - 1)) - 1, first)
    return DocumentText(
        doc.pages[first:last + 1], doc.text[start:end],
        tuple(max(0, s - start) for s in doc.page_starts[first:last + 1]),
    )


def _last(found: list[dates.DateMention], role: str):
    """The stamp printed once for the whole document: its last mention (the closing block)."""
    mention = next((d for d in reversed(found) if d.role == role), None)
    return mention.value if mention else None


def _counts(own: Counts, seance: Counts) -> Counts:
    """The figures an item prints (someone left) over those of the séance, figure by figure."""
    return Counts(*(mine if mine is not None else theirs for mine, theirs in zip(
        (own.in_office, own.present, own.represented, own.voters),
        (seance.in_office, seance.present, seance.represented, seance.voters))))


def _any(counts: Counts) -> bool:
    return any(v is not None for v in (counts.in_office, counts.present, counts.represented, counts.voters))


def _attendance_at(attendance: tuple[Person, ...], moves: list[minutes.Movement], item: minutes.Item,
                   items: list[minutes.Item], page_at) -> tuple[Person, ...]:
    """The séance's attendance changed by every arrival or departure printed before the item's
    vote (or said to apply from its number on)."""
    people = list(attendance)
    for move in moves:
        if not _applies(move, item, items):
            continue
        key = _key(move.name)
        index = next((i for i, p in enumerate(people) if _key(p.name) == key or _key(p.name).endswith(" " + key)
                      or key.endswith(" " + _key(p.name))), None)
        if index is None:
            people.append(Person(move.name, move.status, proxy_to=move.proxy_to, page=page_at(move.start)))
        else:
            people[index] = replace(people[index], status=move.status, proxy_to=move.proxy_to,
                                    page=page_at(move.start))
    return tuple(people)


def _applies(move: minutes.Movement, item: minutes.Item, items: list[minutes.Item]) -> bool:
    """Whether a move printed somewhere in the minutes holds for the item: said to apply from a
    point on, or printed among the items before the item's vote."""
    if move.from_item is not None:
        return move.from_item <= items.index(item) + 1
    if move.start < items[0].start:
        # Printed with the opening ("Départ de X à 20H50"): when, among the items, is not said.
        return False
    return move.start < item.start + _decision_offset(item.text)


def _paragraph(text: str, start: int) -> str:
    end = text.find("\n\n", start)
    return text[start:min(end if end >= 0 else len(text), start + 300)]


def _without(text: str, moves: list[minutes.Movement], item: minutes.Item) -> str:
    """The item's text with the paragraphs of arrivals and departures blanked: their figures are
    carried to the items they apply to, not read as this item's."""
    own = list(text[item.start:item.end])
    for move in moves:
        if item.start <= move.start < item.end:
            length = len(_paragraph(text, move.start))
            for index in range(move.start - item.start, min(len(own), move.start - item.start + length)):
                own[index] = " " if own[index] != "\n" else "\n"
    return "".join(own)


def _figures(text: str) -> Counts:
    return Counts(**{field: mention.value for field, mention in votes.find_counts(text).items()})


def _decision_offset(text: str) -> int:
    start = decisions.DELIBERATION_START.search(text)
    return start.start() if start else len(text)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())
