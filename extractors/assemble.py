"""From one deliberation's text to a `Deliberation` record: runs every extractor, maps offsets
to pages, and picks among candidates (which date is the séance, which count is stated)."""
from __future__ import annotations

import regex

from extractors import budget, dates, decisions, grants, header, ner, people, references, votes
from models.records import (
    Amount, BudgetArticle, Counts, Decision, Deliberation, DocumentText, Entity, Person,
    Reference, Vote,
)



def assemble(doc: DocumentText, *, with_entities: bool = True) -> Deliberation:
    text = doc.text
    page = doc.page_at

    def value(field: header.Field | None) -> str | None:
        return field.value if field else None

    number = value(header.find_number(text))
    found_dates = dates.find_dates(text)
    session = _session(found_dates, text)
    president = people.find_president(text)
    secretary = people.find_secretary(text)
    counts = votes.find_counts(text)
    vote = votes.find_vote(_decision_zone(text))
    operative = decisions.find_decisions(text)
    closing = _closing_start(text, operative)

    return Deliberation(
        pages=doc.page_numbers,
        authority=value(header.find_authority(text)),
        body=value(header.find_body(text)),
        number=number,
        title=value(header.find_title(text)),
        session_date=session.value if session else None,
        session_time=_session_time(found_dates, session, text),
        convocation_date=_date(found_dates, "convocation"),
        # Sent and published come last, after the decision; earlier mentions are often about
        # other acts ("notifié au 1er septembre").
        transmission_date=_closing_date(found_dates, "transmission", closing),
        publication_date=_closing_date(found_dates, "publication", closing),
        place=value(header.find_place(text)),
        president=president.name if president else None,
        secretary=secretary.name if secretary else None,
        counts=Counts(**{field: mention.value for field, mention in counts.items()}),
        attendance=tuple(
            Person(a.name, a.status, a.civility, a.substitute_for, a.proxy_to, page(a.start))
            for a in people.find_attendance(text)
        ),
        vote=Vote(vote.unanimous, vote.for_, vote.against, vote.abstentions, vote.not_voting)
        if vote else Vote(),
        decisions=tuple(Decision(d.verb, d.clause, page(d.start)) for d in operative),
        amounts=_distinct_amounts(text, page),
        budget_articles=_distinct_articles(text, page),
        references=tuple(
            Reference(r.number, r.date, page(r.start))
            for r in _distinct_by(references.find_references(text, number), lambda r: r.number)
        ),
        entities=tuple(
            Entity(e.text, e.label, page(e.start)) for e in ner.find_entities(text)
        ) if with_entities else (),
        text=text,
    )


def _decision_zone(text: str) -> str:
    """The vote is stated with the decision; earlier "unanimité" in the exposé is about other votes."""
    start = decisions.DELIBERATION_START.search(text)
    return text[max(0, start.start() - 200):] if start else text


def _session(found: list[dates.DateMention], text: str) -> dates.DateMention | None:
    """The séance: among dates in a séance context, the one stated with a time or most often.

    Stamps and recitals also say "séance du …"; the meeting sentence usually gives the hour.
    Minutes without any cue ("Vendredi 29 janvier 2021, 18:30.") fall back to the first date
    near the top that carries a weekday or an hour and no other role.
    """
    candidates = [d for d in found if d.role == "session"]
    if candidates:
        def weight(d):
            same = sum(1 for other in candidates if other.value == d.value)
            return (d.time is not None) * 2 + same
        best = max(weight(d) for d in candidates)
        return next(d for d in candidates if weight(d) == best)
    for d in found:
        if d.start > 1500:
            break
        if d.role is None and (d.time or _WEEKDAY.match(text, max(0, d.start - 12), d.start + 12)):
            return d
    return None


_WEEKDAY = regex.compile(r".{0,12}?\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b", regex.IGNORECASE)


def _first(found: list[dates.DateMention], role: str) -> dates.DateMention | None:
    return next((d for d in found if d.role == role), None)


def _date(found: list[dates.DateMention], role: str):
    mention = _first(found, role)
    return mention.value if mention else None


def _closing_start(text: str, operative: list[decisions.DecisionMention]) -> int:
    """Where the closing block starts: after the last operative clause."""
    if operative:
        return operative[-1].end
    closing = decisions.DELIBERATION_END.search(text)
    return min(closing.start() if closing else len(text), max(0, len(text) - 800))


def _closing_date(found: list[dates.DateMention], role: str, start: int):
    """Sent and published are stated after the decision ("Affiché du 23/05 au 23/07": the 23/05);
    earlier mentions are often about other acts. Stamps printed at the top are a fallback."""
    mention = _first([d for d in found if d.start >= start], role) or _first(list(reversed(found)), role)
    return mention.value if mention else None


def _session_time(found: list[dates.DateMention], session, text: str) -> str | None:
    same_day = [d for d in found if session and d.value == session.value]
    for mention in same_day:
        if mention.time:
            return mention.time
    return dates.find_meeting_time(text[:6000]) if session else None


def _distinct_by(items, key):
    seen = set()
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            yield item


def _distinct_amounts(text: str, page) -> tuple[Amount, ...]:
    return tuple(
        Amount(a.value, a.currency, " ".join(a.text.split()), page(a.start),
               beneficiary=b.name if b else None)
        for a, b in grants.distinct_amounts(text)
    )


def _distinct_articles(text: str, page) -> tuple[BudgetArticle, ...]:
    return tuple(
        BudgetArticle(b.code, b.label, page(b.start))
        for b in _distinct_by(budget.find_budget_articles(text), lambda b: b.code)
    )
