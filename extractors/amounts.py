"""Sums of money: "2 880 €", "1.250.000,00 euros", "3,5 millions d'euros", "vingt mille euros".

Only a number with a currency marker is an amount: counts ("1 400 salariés"), percentages,
years, article numbers and identifiers carry none, which is what keeps them out.
Values are `Decimal`, exact to the cent as written.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import regex

from extractors.numbers_fr import NUMBER_WORDS, parse_number_words
from extractors.spans import Span, fold, leftmost_longest

__all__ = ["PLAUSIBLE_MAX", "AmountMention", "DoubtfulAmount", "find_amounts", "find_doubtful_amounts"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AmountMention(Span):
    """A sum of money; "HT"/"TTC" after it is left out of the span and the value."""

    value: Decimal
    currency: str  # "EUR" | "FRF" | "CHF"


@dataclass(frozen=True, slots=True, kw_only=True)
class DoubtfulAmount(Span):
    """A figure with a currency that cannot be a sum as read, and why it was left out."""

    reason: str


# Above this a figure is not one sum of a local authority (the largest French budgets are a few
# billion euros): it is a row of table figures run together ("125 000 250 000 375 000 €"). It also
# keeps every value inside what Decimal's context and SQLite's 64-bit integers (cents) can hold.
PLAUSIBLE_MAX = Decimal(10) ** 11


_V = regex.VERBOSE
# Spaces that group thousands: plain, non-breaking, narrow non-breaking, thin.
# A line end too: justified text wraps "2 880 €" as "2" / "880 €" when the space is plain.
_SP = r"(?:[\x20\u00a0\u202f\u2009]|\n(?=\d{3}(?!\d)))"
# OCR reads 0 as O; only after a real first digit, so words are never numbers.
_D = r"[\dOo]"
# At most four groups of thousands (a trillion is far beyond PLAUSIBLE_MAX already): a row of table
# figures run together is then cut, not re-read from every group of it (quadratic on hostile text).
_FIGURE = rf"""(?:
      \d{_D}{{0,2}}(?:{_SP}{_D}{{3}}){{1,4}}(?:,{_D}+|\.{_D}{{1,2}}(?![\dOo]))?  # 1 250 000,00 / 103 920.00
    | \d{_D}{{0,2}}(?:\.{_D}{{3}}){{1,4}}(?:,{_D}+|\.{_D}{{2}}(?![\dOo]))?  # 1.250.000,00 / 99.769.60
    | \d{_D}{{0,2}}(?:['’]{_D}{{3}}){{1,4}}(?:[.,]{_D}+)?     # 1'250'000.00 (Swiss)
    | \d{_D}*(?:[.,]{_D}+)?                             # 1250,5
)(?![\dOo])"""
_GAP = r"[\x20\u00a0\u202f\u2009]*\n?[\x20\u00a0\u202f\u2009]*"
_MULTIPLIER = r"(?:(?i:milliards?|millions?|mille)|Mds?|Mrd|M|[kK])"
_OF = r"(?:d['’]\s*|de\s+)"
_SWISS_FRANCS = r"(?i:francs?\s+suisses?)"
# "F" alone is a currency only where no letter follows: "150 000 F." yes, "15 Février" no.
# A lone "F" followed by another figure is a table's column code ("1261 F 2 000 €"), not francs.
# "€" may touch what follows where table rows run together ("200 €1073 FRANCE-ISRAEL",
# "3 500 €ASSOCIATION") or a tax word is glued ("4 000 €HT"); a lower-case letter makes a word.
# OCR reads "€" as "E": "1 154,00 E HT"; only before a tax word, where nothing else can be meant.
_CURRENCY_AFTER = (rf"(?:€(?!\p{{Ll}}|-)|(?:EUR|CHF|FRF|FF|F(?!\s+\d)|(?i:euros?)|{_SWISS_FRANCS}|(?i:francs?))(?![\w-])"
                   r"|E(?=[ \t]{1,2}(?:HT|TTC)\b))")
_CURRENCY_BEFORE = r"(?:€|EUR|CHF|FRF)"
_CURRENCY_AFTER_WORDS = rf"(?:€|EUR|CHF|(?i:euros?)|{_SWISS_FRANCS}|(?i:francs?))(?![\w-])"
_NOT_INSIDE_NUMBER = r"(?<![\w.,'’])"
_TAX = r"(?:HT|TTC|H\.T\.|T\.T\.C\.)"
# A budget code just before a figure: "chapitre 925 217 800 €", "nature 6574 1 500 €".
_CODE_BEFORE = regex.compile(
    r"(?i:\b(?:chapitres?|articles?|natures?|fonctions?|comptes?|lignes?|imputations?)"
    r"\s*(?:n[°º]\s*)?)\s*\Z"
)

_PATTERNS: dict[str, regex.Pattern[str]] = {
    # "2 880 €", "3,5 millions d'euros", "2,5 M€", "150 000 F."
    "figure_then_currency": regex.compile(
        rf"""{_NOT_INSIDE_NUMBER}(?P<figure>{_FIGURE}){_GAP}
             (?:(?P<multiplier>{_MULTIPLIER}){_GAP}{_OF}?)?(?P<currency>{_CURRENCY_AFTER})""",
        _V,
    ),
    # "€ 300", "EUR 1 000", "CHF 5 000"
    "currency_then_figure": regex.compile(
        rf"""(?<!\w)(?P<currency>{_CURRENCY_BEFORE}){_GAP}(?P<figure>{_FIGURE})
             (?:{_GAP}(?P<multiplier>(?i:milliards?|millions?)|Mds?|Mrd|M|k)(?!\w))?
             (?!\p{{L}})  # "€ 35h": a unit touching the figure (hours), with a stray "€" of OCR""",
        _V,
    ),
    # "de 0,05 à 0,15 €", "entre 20 000 et 35 000 €": the first figure of a range shares the
    # currency of the second; only where both are written alike (see `_alike`), so that "de 2 à
    # 3 000 €" or "les 12 et 150 €" keep their bare figure out.
    "range": regex.compile(
        rf"""{_NOT_INSIDE_NUMBER}(?P<figure>{_FIGURE})
             (?=[\x20\u00a0]+(?:à|au|et)[\x20\u00a0]+(?P<second>{_FIGURE}){_GAP}(?P<currency>{_CURRENCY_AFTER}))""",
        _V,
    ),
    # "vingt mille euros", "deux millions d'euros"
    "words": regex.compile(
        rf"(?P<words>{NUMBER_WORDS})\s+{_OF}?(?P<currency>{_CURRENCY_AFTER_WORDS})", _V
    ),
}

# The same amount repeated in parentheses, "20 000 € (vingt mille euros)", is one mention.
_PARENTHESES: tuple[regex.Pattern[str], ...] = (
    regex.compile(
        rf"""(?:{_GAP}{_TAX})?\s*\(\s*(?P<words>{NUMBER_WORDS})
             (?:\s+{_OF}?{_CURRENCY_AFTER_WORDS})?(?:\s+{_TAX})?\s*\)""",
        _V,
    ),
    regex.compile(
        rf"""(?:{_GAP}{_TAX})?\s*\(\s*(?P<figure>{_FIGURE}){_GAP}{_CURRENCY_AFTER}?
             (?:\s+{_TAX})?\s*\)""",
        _V,
    ),
)

_MULTIPLIERS = {"k": 10**3, "mille": 10**3, "m": 10**6, "million": 10**6, "millions": 10**6,
                "md": 10**9, "mds": 10**9, "mrd": 10**9, "milliard": 10**9, "milliards": 10**9}
_OCR_DIGITS = str.maketrans("Oo", "00")


def find_amounts(text: str) -> list[AmountMention]:
    """Every sum of money in `text`, in text order, without overlaps (leftmost, then longest, wins).

    A figure beyond plausibility is left out (see `find_doubtful_amounts`).
    """
    return [m for m in _candidates(text) if abs(m.value) <= PLAUSIBLE_MAX]


def find_doubtful_amounts(text: str) -> list[DoubtfulAmount]:
    """The sums `find_amounts` leaves out, each with why: for the document's warnings."""
    return [
        DoubtfulAmount(start=m.start, end=m.end, text=m.text,
                       reason=f"{' '.join(m.text.split())!r} is beyond any plausible sum: "
                              "probably several table figures read as one; left out")
        for m in _candidates(text) if abs(m.value) > PLAUSIBLE_MAX
    ]


def _candidates(text: str) -> list[AmountMention]:
    candidates = [
        _absorb_parentheses(text, mention)
        for name, pattern in _PATTERNS.items()
        for match in pattern.finditer(text)
        if not _code_and_column_letter(text, match)
        and (name != "range" or _alike(match["figure"], match["second"]))
        and (mention := _mention(_after_code(text, match, pattern) if name == "figure_then_currency"
                                 else match)) is not None
    ]
    candidates = [_signed(text, m) if m.text[:1].isdigit() else m for m in candidates]
    return leftmost_longest(candidates)


# A minus sign: touching the figure inside a line ("INVESTISSEMENT -325.217.07 €", "€ -337 731.77 €"),
# or apart from it after a preposition, a colon or another sum of the row ("de – 24 322,93 €",
# "1 175 216.05 € * - 66 854.97 €"). A dash at a line's start is a bullet ("- 1 500 € de l'Anah"),
# and one between words and a figure a separator ("ASR NETTOYAGE – 760,00 €").
# After a preposition the sign may start the next line ("pour un montant de" / "— 44,80 € HT"); a
# section's name heads a row of results ("Résultat de clôture INVESTISSEMENT – 82.636.88 €").
_TOUCHING_MINUS = regex.compile(r"(?<=[^\s\-–—−][ \t]+|[(=:;][ \t]*)[-–−]\Z")
_SPACED_MINUS = regex.compile(
    r"(?:(?<![\w'’])(?i:de|d['’]|à|soit|total|r[ée]sultat|investissement|fonctionnement)\s{1,3}"
    r"|(?:[(=:]|€[ \t*]{0,4})[ \t]+)[-–—−][ \t]\Z")


def _signed(text: str, mention: AmountMention) -> AmountMention:
    """The mention with its minus sign, when one is printed before the figure."""
    before = text[max(0, mention.start - 30):mention.start]
    sign = _TOUCHING_MINUS.search(before) or _SPACED_MINUS.search(before)
    if not sign or mention.value <= 0 or ("\n" in sign[0] and _list_goes_on(text, mention.end)):
        return mention
    start = mention.start - (len(before) - before.rindex(sign[0].strip()[-1]))
    return replace(mention, start=start, text=text[start:mention.end], value=-mention.value)


def _alike(first: str, second: str) -> bool:
    """Two figures written the same way: both with cents, or both grouped by thousands."""
    def shape(figure: str) -> tuple[bool, bool]:
        return bool(regex.search(r"[.,]\d{2}\Z", figure)), bool(regex.search(r"\d[\s.'’]\d{3}", figure))
    return shape(first) == shape(second) and any(shape(first))


def _list_goes_on(text: str, position: int) -> bool:
    """The next line opens with a dash too: the dash starting this one was a bullet of a list
    ("pour un montant unitaire de" / "- 2,45 € HT …" / "- 2,73 € HT …"), not a minus sign."""
    line_end = text.find("\n", position)
    return line_end >= 0 and bool(regex.match(r"[ \t]*[-–—−•]", text[line_end + 1:]))


def _code_and_column_letter(text: str, match: regex.Match[str]) -> bool:
    """A line that is only "248 F" is a table row's code and its F/P column (fonctionnement /
    projet), not 248 francs: sums in francs follow words ("de 150 000 F") or are grouped."""
    if match["currency"] != "F" or not match["figure"].isdigit():
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    rest = text[match.end():len(text) if line_end < 0 else line_end]
    return not text[line_start:match.start()].strip() and not rest.strip()


def _after_code(text: str, match: regex.Match[str], pattern: regex.Pattern[str]) -> regex.Match[str] | None:
    """ "chapitre 925 217 800 €" is chapter 925 and 217 800 €: a budget code printed just before
    a figure grouped by spaces is not its first group, so the sum is read from the next group."""
    figure = match["figure"]
    if not _CODE_BEFORE.search(text, max(0, match.start() - 40), match.start()):
        return match
    first_group = regex.match(r"\d[\dOo]{0,2}[\x20\u00a0\u202f\u2009\n]", figure)
    if first_group is None:
        return match
    return pattern.match(text, match.start("figure") + first_group.end())


def _mention(match: regex.Match[str] | None) -> AmountMention | None:
    if match is None:
        return None
    value = _value(match)
    if value is None:
        return None
    return AmountMention(
        start=match.start(), end=match.end(), text=match.group(), value=value,
        currency=_currency(match["currency"]),
    )


_BARE_MULTIPLIERS = {"mille", "million", "millions", "milliard", "milliards"}


def _value(match: regex.Match[str]) -> Decimal | None:
    groups = match.groupdict()
    if groups.get("words") is not None:
        if fold(groups["words"]).strip() in _BARE_MULTIPLIERS:
            return None  # "des millions d'euros" is no sum; nor is "420 millions" cut off by a line
        number = parse_number_words(groups["words"])
        return None if number is None else Decimal(number)
    value = _figure(groups["figure"])
    if groups.get("multiplier"):
        value *= _MULTIPLIERS[fold(groups["multiplier"])]
        if abs(value) <= PLAUSIBLE_MAX and value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # 3,5 millions is 3500000, not 3500000.0
    return value


_GROUP_SEPARATORS = regex.compile(r"[\s'’]")


def _figure(text: str) -> Decimal:
    """Read French digit groups: "1.250.000,00", "1 250,5", "1'250.50", "12.50"."""
    digits = _GROUP_SEPARATORS.sub("", text.translate(_OCR_DIGITS))
    if "," in digits:
        whole, _, cents = digits.rpartition(",")
        return Decimal(f"{whole.replace('.', '')}.{cents}")
    whole, dot, tail = digits.rpartition(".")
    if dot and "." not in whole and len(tail) != 3:
        return Decimal(digits)  # a decimal point, as in "12.50"
    if dot and len(tail) == 2:  # dots group the thousands and mark the cents: "99.769.60"
        return Decimal(f"{whole.replace('.', '')}.{tail}")
    return Decimal(digits.replace(".", ""))


def _currency(marker: str) -> str:
    folded = fold(marker)
    if folded == "chf" or "suisse" in folded:
        return "CHF"
    if folded in ("f", "ff", "frf") or folded.startswith("franc"):
        return "FRF"
    return "EUR"


def _absorb_parentheses(text: str, mention: AmountMention) -> AmountMention:
    """Extend `mention` over a parenthesised restatement of the same value."""
    for pattern in _PARENTHESES:
        match = pattern.match(text, mention.end)
        if match and _value(match) == mention.value:
            return replace(mention, end=match.end(), text=text[mention.start:match.end()])
    return mention
