"""Extractors finish in time proportional to their input, whatever the input.

A real archive feeds them OCR garbage and 100 kB pages with no line breaks. Each extractor of
header, people, names, votes and decisions reads adversarial texts of 100 kB built to make a
careless pattern backtrack (long runs of capitals, of ':' and ',', of "M. ", of digits, words
that open a pattern again and again), and must finish within a budget measured against a plain
pass over the same text: `str.count` of each of twenty characters. A linear extractor costs a few
hundred such passes; a quadratic one costs tens of thousands at this size, and the n⁴ authority
pattern of old did not finish at all.
"""
from __future__ import annotations

import random
import time

import pytest

from extractors import decisions, header, names, people, votes

SIZE = 100_000
BUDGET = 2000  # times the plain pass; healthy extractors measure 20-600


def _repeat(piece: str) -> str:
    return (piece * (SIZE // len(piece) + 1))[:SIZE]


def _garbage(seed: int) -> str:
    """OCR-like noise: letters, accents, punctuation, stray capitals, few line breaks."""
    rng = random.Random(seed)
    alphabet = "aeéèiIl1|!:;,.-–'’ MmRrEeÉ0O°ABCDXYZ()«»/\\_" + " " * 8
    return "".join(rng.choice(alphabet) for _ in range(SIZE))


ADVERSARIAL = {
    "capitals": _repeat("ABCDEF GHIJ "),
    "capitals_hyphens": _repeat("AAA-"),
    "words_hyphens": _repeat("Aa-"),
    "letterhead_words": _repeat("COMMUNE DE LA VILLE "),
    "colons": _repeat(":"),
    "commas": _repeat(","),
    "colons_commas": _repeat(": , "),
    "civilities": _repeat("M. "),
    "names": _repeat("M. Jean DUPONT, "),
    "digits": _repeat("1"),
    "figures": _repeat("12 "),
    "no_newline_prose": _repeat("le conseil municipal de la commune de Abc s'est réuni "),
    "secretary": _repeat("secrétaire de séance "),
    "designated": _repeat("Mme Claire ROUX a été désignée secrétaire "),
    "headings": _repeat("Absents :\n"),
    "present_heading": _repeat("Présents : "),
    "grid": "Nom Présent Excusé Absent Pouvoir à\n" + _repeat("M. Jean DUPONT X M. Paul DURAND\n"),
    "proxies": _repeat("M. Jean DUPONT donne pouvoir à "),
    "numbers": _repeat("n° "),
    "votes": _repeat("12 pour "),
    "deliberation": _repeat("après en avoir délibéré, APPROUVE "),
    "bullets": _repeat("- "),
    "newlines": _repeat("\n"),
    "ocr_garbage": _garbage(1),
    "ocr_garbage_2": _garbage(2),
}

EXTRACTORS = {
    "header.find_authority": header.find_authority,
    "header.find_body": header.find_body,
    "header.find_number": header.find_number,
    "header.find_title": header.find_title,
    "header.find_place": header.find_place,
    "people.find_attendance": people.find_attendance,
    "people.find_president": people.find_president,
    "people.find_secretary": people.find_secretary,
    "names.clean_name": names.clean_name,
    "votes.find_counts": votes.find_counts,
    "votes.find_vote": votes.find_vote,
    "decisions.find_decisions": decisions.find_decisions,
}


def _plain_pass(text: str) -> float:
    """CPU seconds of str.count for twenty characters over the text (best of three)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for char in "aeiou MDX:,.-\n1é'()ABC":
            text.count(char)
        best = min(best, time.process_time() - started)
    return max(best, 1e-5)


@pytest.mark.parametrize("name", EXTRACTORS)
def test_cost_extractor_is_linear_on_adversarial_text(name):
    extractor = EXTRACTORS[name]
    slow = {}
    for kind, text in ADVERSARIAL.items():
        baseline = _plain_pass(text)
        started = time.process_time()
        extractor(text)
        ratio = (time.process_time() - started) / baseline
        if ratio > BUDGET:
            slow[kind] = round(ratio)
    assert not slow, f"{name} over {BUDGET}x a plain pass on: {slow}"
