"""French number words to integers: "vingt et un" -> 21, "deux mil vingt et un" -> 2021.

Deliberations spell out years, days and times ("L'an deux mil vingt et un, le vingt-deux avril
à dix-huit heures") and sometimes repeat amounts in words. Both the traditional spelling
("vingt et un", "quatre-vingt-dix") and the 1990 reform ("vingt-et-un", "deux-cent-mille") are read;
accents and case do not matter.
"""
from __future__ import annotations

import unicodedata

import regex

__all__ = ["FIRST", "NUMBER_WORDS", "parse_number_words"]

_CARDINALS = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
    r"|quinze|seize|vingts?|trente|quarante|cinquante|soixante|septante|huitante|octante"
    r"|nonante|cents?|mille|mil|millions?|milliards?"
)
# The lookahead is outside the group so that "mil" backtracks to "mille", "sept" to "septante".
_WORD = rf"(?:{_CARDINALS})(?!\w)"
_SEP = r"(?:\s*[-‐‑]\s*|\s+)"
# "et" only joins "vingt et un", "soixante et onze": "deux et trois" must stay two numbers.
_ET = rf"(?:et{_SEP}(?=(?:une?|onze)(?!\w)))"

# At most 16 words: a long sum written out ("deux millions trois cent quarante-cinq mille six cent
# soixante-dix-huit") has 12, the parts of a hyphenated word counted; an unbounded run of number
# words in hostile text was re-read from every word of it (quadratic).
NUMBER_WORDS = rf"(?i:(?<!\w){_WORD}(?:{_SEP}{_ET}?{_WORD}){{0,15}})"
"""Regex fragment matching a run of cardinal number words; feed the match to `parse_number_words`."""

FIRST = r"(?i:(?<!\w)(?:premi[eè]re?|1\s?(?:er|re|ère))(?!\w))"
"""Regex fragment for the ordinal "premier"/"1er" (and the OCR form "1 er"), as in "le 1er juillet"."""

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
}
_TEENS = {
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}
_TENS = {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}
_SCALES = {"mille": 1000, "mil": 1000, "million": 10**6, "millions": 10**6,
           "milliard": 10**9, "milliards": 10**9}

_TOKEN_SPLIT = regex.compile(r"[\s\-‐‑]+")
_ORDINAL_FIRST = regex.compile(r"premiere?|1\s*(?:er|re|ere)")
_DIGITS = regex.compile(r"\d+")


class _Invalid(ValueError):
    """The words are number words but do not form a number ("deux trois", "vingt trente")."""


def _fold(text: str) -> str:
    """Lower-case and strip accents, so "Zéro" and "ZERO" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_number_words(text: str) -> int | None:
    """Value of a French number written in words ("quatre-vingt-dix-neuf" -> 99), else None.

    Also reads "premier"/"1er" as 1 and a bare run of digits, since callers match those beside words.
    """
    folded = _fold(text)
    if _ORDINAL_FIRST.fullmatch(folded):
        return 1
    if _DIGITS.fullmatch(folded):
        return int(folded)
    tokens = [t for t in _TOKEN_SPLIT.split(folded) if t]
    try:
        return _evaluate(_without_et(tokens))
    except _Invalid:
        return None


def _without_et(tokens: list[str]) -> list[str]:
    """Drop the "et" of "vingt et un"; an "et" anywhere else means this is not one number."""
    kept: list[str] = []
    for i, token in enumerate(tokens):
        if token != "et":
            kept.append(token)
            continue
        between_numbers = 0 < i < len(tokens) - 1
        if not between_numbers or tokens[i + 1] not in ("un", "une", "onze"):
            raise _Invalid(token)
    return kept


def _evaluate(tokens: list[str]) -> int:
    """Sum the tokens left to right: `group` is below a thousand, `below_million` below a million."""
    if not tokens:
        raise _Invalid("empty")
    total, below_million, group = 0, 0, 0
    previous: tuple[str, str] | None = None  # (kind, token) of the last token
    largest_scale = None
    for token in tokens:
        kind = _kind(token)
        if kind == "scale":
            scale = _SCALES[token]
            if largest_scale is not None and scale >= largest_scale and scale > 1000:
                raise _Invalid(token)  # "deux millions trois millions"
            if scale == 1000:
                if below_million:
                    raise _Invalid(token)  # "deux mille trois mille"
                below_million = (group or 1) * 1000
            else:
                total += ((below_million + group) or 1) * scale
                below_million = 0
                largest_scale = scale
            group = 0
        else:
            group = _add_to_group(group, kind, token, previous)
        previous = (kind, token)
    return total + below_million + group


def _kind(token: str) -> str:
    for kind, table in (("unit", _UNITS), ("teen", _TEENS), ("ten", _TENS), ("scale", _SCALES)):
        if token in table:
            return kind
    if token in ("cent", "cents"):
        return "hundred"
    raise _Invalid(token)


def _add_to_group(group: int, kind: str, token: str, previous: tuple[str, str] | None) -> int:
    """Add one word below "mille" to the running group, refusing orders French never writes."""
    last_kind, last_token = previous if previous else (None, None)
    if kind == "hundred":
        if last_kind in (None, "scale"):
            return group + 100
        if last_kind == "unit" and group % 100 < 10 and group < 100:
            return group * 100  # "trois cent"
        raise _Invalid(token)
    if kind == "ten":
        if token.startswith("vingt") and last_token == "quatre" and group % 100 == 4:
            return group - 4 + 80  # "quatre-vingt" multiplies rather than adds
        if last_kind in ("unit", "teen", "ten"):
            raise _Invalid(token)
        return group + _TENS[token]
    if kind == "teen":
        # Only 60 and 80 take a teen: "soixante-dix", "soixante et onze", "quatre-vingt-douze".
        if last_kind in ("unit", "teen") or (last_kind == "ten" and group % 100 not in (60, 80)):
            raise _Invalid(token)
        return group + _TEENS[token]
    value = _UNITS[token]
    if last_kind == "unit" or (last_kind == "teen" and not (last_token == "dix" and value >= 7)):
        raise _Invalid(token)  # "deux trois"; but "dix-sept" is ten plus seven
    return group + value
