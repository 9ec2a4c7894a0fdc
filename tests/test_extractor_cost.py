"""Every extractor finishes in time proportional to its input, whatever the input.

A real archive feeds the extractors OCR garbage and 100 kB pages without a line break. Each
public function reads hostile texts of 100 kB built to make a careless pattern backtrack: long
runs of what its patterns look for (figures in groups, number words, colons, civilities,
"secrétaire de séance", capitals, "M. Jean DUPONT, " …) and OCR-like noise. Its CPU time is
compared with one plain `str.count` pass over the same text: a ratio, so a slower or busier
machine changes both sides. A linear extractor measures a few thousand passes at most (spaCy
aside); a quadratic pattern on 100 kB is over a million, and the n⁴ authority pattern of old
never finished: a case is stopped at one and a half budgets.

A Hypothesis fuzz target feeds every extractor random French-looking text: none may raise.
"""
from __future__ import annotations

import random
import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extractors import amounts, budget, dates, decisions, header, names, ner, people, references, votes

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
    "header.find_authority": header.find_authority,
    "header.find_body": header.find_body,
    "header.find_number": header.find_number,
    "header.find_title": header.find_title,
    "header.find_place": header.find_place,
    "names.clean_name": names.clean_name,
    "people.find_attendance": people.find_attendance,
    "people.find_president": people.find_president,
    "people.find_secretary": people.find_secretary,
    "references.find_references": references.find_references,
    "votes.find_counts": votes.find_counts,
    "votes.find_vote": votes.find_vote,
}


def _repeat(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def _garbage(seed: int) -> str:
    """OCR-like noise: letters, accents, punctuation, stray capitals, few line breaks."""
    rng = random.Random(seed)
    alphabet = "aeéèiIl1|!:;,.-–'’ MmRrEeÉ0O°ABCDXYZ()«»/\\_" + " " * 8
    return "".join(rng.choice(alphabet) for _ in range(SIZE))


# Runs of what the patterns look for, each repeated to 100 kB, and noise.
HOSTILE = {
    "figures_in_groups": _repeat("125 000 "),
    "table_row_of_amounts": _repeat("Total 125 000 250 000 375 000 € "),
    "euros": _repeat("1 000 € "),
    "figures": _repeat("12 "),
    "digits": _repeat("1"),
    "number_words": _repeat("deux "),
    "number_words_et": _repeat("vingt et un "),
    "year_first": _repeat("L'an deux mille "),
    "slashes": _repeat("1/1/"),
    "dotted_digits": _repeat("12.12."),
    "dashed_digits": _repeat("2019-"),
    "colons": _repeat(":"),
    "colon_space": _repeat(": "),
    "commas": _repeat(","),
    "colons_commas": _repeat(": , "),
    "bullets": _repeat("- "),
    "civilities": _repeat("M. Mme "),
    "names": _repeat("M. Jean DUPONT, "),
    "capitals": _repeat("JEAN DUPONT "),
    "capital_words": _repeat("ABCDEF GHIJ "),
    "capitals_hyphens": _repeat("AAA-"),
    "words_hyphens": _repeat("Aa-"),
    "letterhead_words": _repeat("COMMUNE DE LA VILLE "),
    "assembly": _repeat("Conseil municipal de la commune de "),
    "no_newline_prose": _repeat("le conseil municipal de la commune de Abc s'est réuni "),
    "attendance_list": _repeat("Présents : Mme DUPONT, M. "),
    "present_heading": _repeat("Présents : "),
    "headings": _repeat("Absents :\n"),
    "grid": "Nom Présent Excusé Absent Pouvoir à\n" + _repeat("M. Jean DUPONT X M. Paul DURAND\n"),
    "proxies": _repeat("M. Jean DUPONT donne pouvoir à "),
    "secretary": _repeat("secrétaire de séance "),
    "designated": _repeat("Mme Claire ROUX a été désignée secrétaire "),
    "articles": _repeat("article 6574 "),
    "numero": _repeat("n° "),
    "deliberation_refs": _repeat("délibération n° 2019 du "),
    "votes": _repeat("pour contre abstention "),
    "votes_for": _repeat("12 pour "),
    "deliberation": _repeat("après en avoir délibéré, APPROUVE "),
    "newlines": _repeat("\n"),
    "spaces": _repeat(" "),
    "letters": _repeat("a"),
    "apostrophes": _repeat("d'l'"),
    "ocr_garbage": _garbage(1),
    "ocr_garbage_2": _garbage(2),
}


def _count_cost(text: str) -> float:
    """CPU seconds of one `str.count` pass, averaged over enough passes to be measurable."""
    passes = 200
    started = time.process_time()
    for _ in range(passes):
        text.count("e")
    return max((time.process_time() - started) / passes, 1e-7)


class _OverBudget(Exception):
    pass


def _cost_ratio(function, text: str, budget: float) -> float:
    """CPU time of `function(text)` over a str.count pass; stopped (inf) past one and a half budgets."""
    unit = _count_cost(text)

    def stop(signum, frame):
        raise _OverBudget()

    # A CPU-time timer, like the measure: a busy machine must not stop a case early.
    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, unit * budget * 1.5)
    started = time.process_time()
    try:
        function(text)
        return (time.process_time() - started) / unit
    except _OverBudget:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_extractor_cost_is_linear_on_100_kb_of_hostile_text(name):
    slow = {}
    for kind, text in HOSTILE.items():
        ratio = _cost_ratio(FUNCTIONS[name], text, BUDGET)
        if ratio > BUDGET:
            slow[kind] = ratio
    assert not slow, f"{name} over {BUDGET} str.count passes on: {slow}"


@pytest.mark.parametrize("kind", ["colons", "colon_space", "assembly", "capitals"])
def test_extractor_cost_of_entities_is_linear_on_100_kb_of_hostile_text(kind):
    if ner.load() is None:
        pytest.skip("no spaCy model")
    ratio = _cost_ratio(ner.find_entities, HOSTILE[kind], BUDGET * 5)
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
def test_extractor_cost_fuzz_no_extractor_raises_on_any_text(text):
    for name, function in FUNCTIONS.items():
        try:
            function(text)
        except Exception as exc:  # noqa: BLE001 - the report names the function and the input
            raise AssertionError(f"{name} raised {type(exc).__name__} on {text!r}") from exc
