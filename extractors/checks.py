"""Consistency checks: what the law and arithmetic require of a deliberation as extracted.

    findings = check(deliberation)      # [Finding('quorum', '9 present of 30 in office: ...', 'warning')]

A finding is information for the archivist, never a reason to drop data: a check only reads the
record. Each rule stays silent unless the figures it needs are stated, and when a rule cannot tell
which law applied (no séance date) it raises a finding only if no applicable law is satisfied, so
that a finding is always true of the record.

Severities:
- `error`: the figures cannot all be right (votes adding up to more than the voters, a convocation
  after the séance): the document or its reading is wrong;
- `warning`: probably wrong, or lawful only in a case the record does not show (a quorum missed is
  lawful after a second convocation), worth a look;
- `info`: noted, nothing to fix (not used by the rules below; kept for callers).

The quorum and proxy rules of the health emergency (2020-2022) are data:
`extractors/data/legal_periods.csv`, one row per period with its legal basis and sources.
"""
from __future__ import annotations

import csv
import functools
import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from importlib import resources

import regex

from extractors.names import normalize_name, split_civility
from models.nomenclature import is_known
from models.records import SEVERITIES, Deliberation, Finding, Severity

@dataclass(frozen=True, slots=True)
class Regime:
    """The quorum and proxy rules in force on a day."""

    name: str  # the legal basis, quoted in messages
    quorum: Fraction  # share of the members in office
    strict: bool  # True: more than that share (a majority); False: at least that share
    quorum_counts_proxies: bool  # members represented count towards the quorum
    max_proxies: int  # proxies one member may hold

    def required(self, in_office: int) -> int:
        """Members needed for the quorum out of `in_office`."""
        share = self.quorum * in_office
        return math.floor(share) + 1 if self.strict else math.ceil(share)

    def describe(self) -> str:
        words = {Fraction(1, 2): "half", Fraction(1, 3): "a third"}.get(self.quorum, f"{self.quorum}")
        share = f"more than {words}" if self.strict else words
        proxies = ", counting proxies" if self.quorum_counts_proxies else ""
        return f"{share}{proxies}: {self.name}"


@dataclass(frozen=True, slots=True)
class LegalPeriod:
    start: date
    end: date  # inclusive
    regime: Regime
    comment: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


ORDINARY = Regime(
    name="CGCT L2121-17", quorum=Fraction(1, 2), strict=True,
    quorum_counts_proxies=False, max_proxies=1,
)

_PERIODS_FILE = "legal_periods.csv"


@functools.cache
def legal_periods() -> tuple[LegalPeriod, ...]:
    """The health-emergency periods of `extractors/data/legal_periods.csv`, read once."""
    text = resources.files("extractors").joinpath("data", _PERIODS_FILE).read_text(encoding="utf-8")
    return tuple(
        LegalPeriod(
            start=date.fromisoformat(row["start"]),
            end=date.fromisoformat(row["end"]),
            regime=Regime(
                name=row["legal_basis"], quorum=Fraction(row["quorum"]), strict=False,
                quorum_counts_proxies=row["quorum_counts_proxies"].strip().lower() == "true",
                max_proxies=int(row["max_proxies"]),
            ),
            comment=row["comment"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def regimes_for(day: date | None, periods: Sequence[LegalPeriod]) -> tuple[Regime, ...]:
    """The regime in force on `day`; every possible regime when the day is unknown."""
    if day is None:
        return (ORDINARY, *(p.regime for p in periods))
    return tuple(p.regime for p in periods if p.covers(day)) or (ORDINARY,)


# -- the rules ---------------------------------------------------------------------------------
# Each rule reads a deliberation and the regimes that may apply, and yields findings.

Rule = Callable[[Deliberation, tuple[Regime, ...]], Iterable[Finding]]


def _listed(d: Deliberation, status: str) -> int:
    # A person written twice (arrived late, listed again) is one person.
    return len({normalize_name(p.name) for p in d.attendance if p.status == status})


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def present_count(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    # Only when the document lists who was present: a list of absentees alone says nothing.
    listed = _listed(d, "present")
    if d.counts.present is not None and listed and listed != d.counts.present:
        yield Finding("present_count",
                      f"{d.counts.present} present stated, {listed} listed present", "warning")


def represented_count(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    listed = _listed(d, "represented")
    if d.counts.represented is not None and listed and listed != d.counts.represented:
        yield Finding("represented_count",
                      f"{d.counts.represented} represented stated, {listed} proxies listed", "warning")


def voters_count(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    c = d.counts
    if c.voters is None or c.present is None or c.represented is None:
        return
    expected = c.present + c.represented
    # Members who do not take part in a vote are sometimes left out of the votants.
    allowed = {expected, expected - (d.vote.not_voting or 0)}
    if c.voters not in allowed:
        yield Finding("voters_count",
                      f"{c.voters} voters stated, but {c.present} present + {c.represented} "
                      f"represented = {expected}", "warning")


def in_office(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    c = d.counts
    if c.in_office is None:
        return
    figures = (
        ("present", c.present),
        ("present or represented", None if c.present is None else c.present + (c.represented or 0)),
        ("voters", c.voters),
    )
    for label, value in figures:
        if value is not None and value > c.in_office:
            yield Finding("in_office", f"{value} {label}, more than the {c.in_office} members in office",
                          "error")
            return  # one is enough: the others follow from it


def vote_arithmetic(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    v, c = d.vote, d.counts
    parts = [("for", v.for_), ("against", v.against), ("abstentions", v.abstentions)]
    stated = [(label, n) for label, n in parts if n is not None]
    if v.unanimous and (v.against or 0) > 0:
        yield Finding("vote_arithmetic", f"unanimity stated, but {v.against} against", "error")
    if not stated:
        return
    total = sum(n for _, n in stated)
    sum_text = " + ".join(f"{n} {label}" for label, n in stated) + f" = {total}"
    if c.voters is not None:
        if len(stated) == len(parts):
            allowed = {c.voters, c.voters - (v.not_voting or 0)}
            if total not in allowed:
                yield Finding("vote_arithmetic", f"{sum_text}, but {c.voters} voters stated", "error")
        elif total > c.voters:  # what is missing can only add votes
            yield Finding("vote_arithmetic", f"{sum_text}, more than the {c.voters} voters stated", "error")
    elif c.present is not None and total > c.present + (c.represented or 0):
        members = c.present + (c.represented or 0)
        yield Finding("vote_arithmetic",
                      f"{sum_text}, more than the {members} members present or represented", "error")


# A séance held after a first one that lacked the quorum deliberates without quorum.
_SECOND_CONVOCATION = regex.compile(
    r"(?:seconde|deuxi[eè]me|nouvelle)\s+convocation|sans\s+condition\s+de\s+quorum|quorum\s+n.a\s+pas\s+[ée]t[ée]\s+atteint",
    regex.IGNORECASE,
)


def quorum(d: Deliberation, regimes: tuple[Regime, ...]) -> Iterable[Finding]:
    c = d.counts
    if c.in_office is None or c.present is None or c.in_office <= 0:
        return
    if _SECOND_CONVOCATION.search(d.text):
        return
    failures = []
    for regime in regimes:
        counted = c.present + ((c.represented or 0) if regime.quorum_counts_proxies else 0)
        required = regime.required(c.in_office)
        if counted >= required:
            return  # some applicable law is satisfied
        failures.append((regime, counted, required))
    regime, counted, required = failures[0] if len(failures) == 1 else max(failures, key=lambda f: f[1] - f[2])
    who = f"{c.present} present"
    if regime.quorum_counts_proxies and c.represented:
        who += f" + {c.represented} represented"
    when = "" if d.session_date else " (séance date unknown: no applicable rule is met)"
    yield Finding("quorum",
                  f"{who} of {c.in_office} in office: below the quorum of {required} "
                  f"({regime.describe()}){when}; lawful only after a second convocation", "warning")


def _holder_key(name: str) -> str:
    _, bare, _ = split_civility(name)
    return normalize_name(bare)


def proxies_per_member(d: Deliberation, regimes: tuple[Regime, ...]) -> Iterable[Finding]:
    held: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for person in d.attendance:
        if person.status == "represented" and person.proxy_to:
            key = _holder_key(person.proxy_to)
            if key and person.name not in held[key]:
                held[key].append(person.name)
                names.setdefault(key, person.proxy_to)
    limit = max(r.max_proxies for r in regimes)
    basis = "CGCT L2121-20" if limit == 1 else next(r.name for r in regimes if r.max_proxies == limit)
    for key, givers in held.items():
        if len(givers) > limit:
            yield Finding("proxies_per_member",
                          f"{names[key]} holds {len(givers)} proxies ({', '.join(givers)}); at most "
                          f"{limit} per member ({basis})", "error")


def dates_order(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    pairs = (
        ("convocation", d.convocation_date, "séance", d.session_date),
        ("séance", d.session_date, "transmission to the préfecture", d.transmission_date),
        ("séance", d.session_date, "publication", d.publication_date),
    )
    for first, a, then, b in pairs:
        if a is not None and b is not None and a > b:
            yield Finding("dates_order", f"{then} dated {b.isoformat()}, before the {first} of {a.isoformat()}",
                          "error")
    if d.session_date is None and d.convocation_date and d.transmission_date \
            and d.convocation_date > d.transmission_date:
        yield Finding("dates_order", f"transmission dated {d.transmission_date.isoformat()}, before the "
                      f"convocation of {d.convocation_date.isoformat()}", "error")


def budget_codes(d: Deliberation, _: tuple[Regime, ...]) -> Iterable[Finding]:
    seen: set[str] = set()
    for article in d.budget_articles:
        if article.code not in seen and not is_known(article.code):
            seen.add(article.code)
            page = f" (page {article.page})" if article.page else ""
            yield Finding("budget_code",
                          f"budget code {article.code}{page} is not in the M14/M57 nomenclature", "warning")


RULES: tuple[Rule, ...] = (
    present_count, represented_count, voters_count, in_office, vote_arithmetic, quorum,
    proxies_per_member, dates_order, budget_codes,
)


def check(deliberation: Deliberation, periods: Sequence[LegalPeriod] | None = None) -> list[Finding]:
    """Every finding about one deliberation, in rule order. Pure: reads the record only."""
    regimes = regimes_for(deliberation.session_date, legal_periods() if periods is None else periods)
    return [finding for rule in RULES for finding in rule(deliberation, regimes)]


def warnings_for(deliberations: Sequence[Deliberation]) -> list[str]:
    """The findings as `source.warnings` lines: 'deliberation 2: quorum (warning): ...'."""
    return [
        f"deliberation {index}: {f.rule} ({f.severity}): {f.message}"
        for index, d in enumerate(deliberations, start=1)
        for f in check(d)
    ]


__all__ = [
    "Finding", "LegalPeriod", "ORDINARY", "RULES", "Regime", "SEVERITIES", "Severity", "check",
    "legal_periods", "regimes_for", "warnings_for",
]
