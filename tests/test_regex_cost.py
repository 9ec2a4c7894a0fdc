"""Every extractor's cost on hostile text is bounded: linear, never quadratic or worse.

Each public find_* function reads adversarial inputs of 100 kB (long runs of what its patterns
look for: digits in groups, number words, colons, civilities, "secrétaire de séance" …). Its CPU
time is compared with a plain `str.count` pass over the same text: a ratio, so a slower or busier
machine changes both sides. A linear extractor stays far below the budget; a quadratic pattern
on 100 kB is tens of seconds, thousands of times over it.

A Hypothesis fuzz target feeds every extractor random French-looking text: none may raise.
"""
from __future__ import annotations

import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extractors import amounts, budget, dates, decisions, header, ner, people, references, votes

SIZE = 100_000
# CPU time allowed, in str.count passes over the same text. Measured: the slowest linear case
# (spaCy aside) is about 30 000; a quadratic pattern on 100 kB is over 1 000 000.
BUDGET = 200_000

FUNCTIONS = {
    "amounts.find_amounts": amounts.find_amounts,
    "budget.find_budget_articles": budget.find_budget_articles,
    "dates.find_dates": dates.find_dates,
    "dates.find_meeting_time": dates.find_meeting_time,
    "decisions.find_decisions": decisions.find_decisions,
    "header.find_body": header.find_body,
    "header.find_authority": header.find_authority,
    "header.find_number": header.find_number,
    "header.find_title": header.find_title,
    "header.find_place": header.find_place,
    "people.find_attendance": people.find_attendance,
    "people.find_president": people.find_president,
    "people.find_secretary": people.find_secretary,
    "references.find_references": references.find_references,
    "votes.find_counts": votes.find_counts,
    "votes.find_vote": votes.find_vote,
}

# Runs of what the patterns look for, each repeated to 100 kB.
UNITS = {
    "figures_in_groups": "125 000 ",
    "table_row_of_amounts": "Total 125 000 250 000 375 000 € ",
    "euros": "1 000 € ",
    "number_words": "deux ",
    "number_words_et": "vingt et un ",
    "year_first": "L'an deux mille ",
    "slashes": "1/1/",
    "dotted_digits": "12.12.",
    "dashed_digits": "2019-",
    "colons": ":",
    "colon_space": ": ",
    "civilities": "M. Mme ",
    "capitals": "JEAN DUPONT ",
    "attendance_list": "Présents : Mme DUPONT, M. ",
    "secretary": "secrétaire de séance ",
    "articles": "article 6574 ",
    "numero": "n° ",
    "deliberation_refs": "délibération n° 2019 du ",
    "assembly": "Conseil municipal de la commune de ",
    "votes": "pour contre abstention ",
    "newlines": "\n",
    "spaces": " ",
    "letters": "a",
    "apostrophes": "d'l'",
}

# Known defects, measured here: an entry marks its case as an expected failure until fixed.
KNOWN: dict[tuple[str, str], str] = {}


def _repeat(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def _count_cost(text: str) -> float:
    """CPU seconds of one `str.count` pass, averaged over enough passes to be measurable."""
    passes = 200
    started = time.process_time()
    for _ in range(passes):
        text.count("e")
    return max((time.process_time() - started) / passes, 1e-7)


class _OverBudget(Exception):
    pass


def _cost_ratio(function, text: str) -> float:
    """CPU time of `function(text)` over a str.count pass; stopped (inf) past one and a half budgets."""
    unit = _count_cost(text)
    cap = max(1, int(unit * BUDGET * 1.5) + 1)

    def stop(signum, frame):
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(cap)
    started = time.process_time()
    try:
        function(text)
        return (time.process_time() - started) / unit
    except _OverBudget:
        return float("inf")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cases():
    for name in FUNCTIONS:
        for unit in UNITS:
            marks = ()
            if (name, unit) in KNOWN:
                marks = pytest.mark.xfail(strict=False, reason=KNOWN[name, unit])
            yield pytest.param(name, unit, id=f"{name}-{unit}", marks=marks)


@pytest.mark.parametrize(("name", "unit"), list(_cases()))
def test_regex_cost_extractor_is_linear_on_100_kb_of_hostile_text(name, unit):
    ratio = _cost_ratio(FUNCTIONS[name], _repeat(UNITS[unit]))
    assert ratio <= BUDGET, f"{name} on 100 kB of {UNITS[unit]!r}: {ratio:.0f} str.count passes"


@pytest.mark.parametrize("unit", ["colons", "colon_space", "assembly", "capitals"])
def test_regex_cost_entities_are_linear_on_100_kb_of_hostile_text(unit):
    if ner.load() is None:
        pytest.skip("no spaCy model")
    ratio = _cost_ratio(ner.find_entities, _repeat(UNITS[unit]))
    assert ratio <= BUDGET * 5, f"find_entities: {ratio:.0f} str.count passes"


# --- fuzz -----------------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "L'an deux mille vingt et un", "le vingt-deux avril", "à dix-huit heures", "Séance du 12 mars 2019",
    "Présents :", "Absents :", "M.", "Mme", "DUPONT", "Jean-Claude", "secrétaire de séance", "pouvoir à",
    "Délibération n° 2019-012", "OBJET :", "article 6574", "chapitre 65", "125 000", "3 500,50 €", "€",
    "POUR : 12", "CONTRE : 2", "Abstentions : 1", "à l'unanimité", "DÉCIDE", "approuve", "Conseil municipal",
    "COMMUNE DE", "Syndicat", ":", ",", ".", ";", "\n", "\n\n", " ", "-", "/", "°", "(", ")", "'", "’",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=80).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_regex_cost_fuzz_no_extractor_raises_on_any_text(text):
    for name, function in FUNCTIONS.items():
        try:
            function(text)
        except Exception as exc:  # noqa: BLE001 - the report names the function and the input
            raise AssertionError(f"{name} raised {type(exc).__name__} on {text!r}") from exc
