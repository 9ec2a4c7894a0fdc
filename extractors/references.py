"""Earlier deliberations a deliberation cites by number ("délibération n° CS-2018-30 du 28 septembre 2018").

Three ways a number is recognised, strongest first: after the word "délibération" and "n°";
as an identifier whose prefix names a deliberation ("DEL2019-042", "DCM-2020-15"); after a
bare "n°" when it has a year in it ("n° 2013/412") and no law, decree, order or contract is
named just before it. Deliberations cited without a number are not references here, and
neither is the deliberation's own number or its @ctes transmission identifier.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import regex

from extractors.spans import Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceMention(Span):
    number: str
    date: datetime.date | None


_FLAGS = regex.IGNORECASE | regex.VERSION1
# "no" only as a word: the "no" of "NOVEMBRE 2021" is not a number sign ("VEMBRE 2021").
_NUMBER_SIGN = r"(?:n[°º]|no(?![^\W\d_])\.?|num[ée]ro)"
# "n° 2015 20 du Conseil Municipal": a year and the séance's count apart by a space.
# "n° 20230626-09": the séance's date and the item's rank.
_NUMBER = (r"(?-i:[A-Z][A-Za-z0-9]{0,7}[-_ ]?)?(?:(?:19|20)\d{6}(?=[-_/.])|\d{1,4})(?:[-_/.][A-Za-z0-9]{1,6}|(?<=\b(?:19|20)\d\d)[ ]\d{1,3}(?=[ ]+(?i:du|en)\b)){0,3}"
           r"(?![\w/-])")
_MONTHS = {
    "janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "decembre": 12, "décembre": 12,
}  # fmt: skip
_DATE = (
    r"(?:(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})(?!\d)"
    r"|(?P<tday>1er|\d{1,2})\s+(?P<tmonth>" + "|".join(_MONTHS) + r")\s+(?P<tyear>\d{4}))"
)

# The body between "délibération" and "n°" may only name the assembly, so that
# "délibération approuvant le marché n° 2020-01" is not read as a deliberation number.
_ASSEMBLY = (
    r"(?:\s+(?:du|de\s+la|de\s+l['’]|de)\s*"
    r"(?:conseil|comit[ée]|bureau|commission|assembl[ée]e|coll[èe]ge)(?:\s+[\w'’-]+){0,3}?)?"
)

_PATTERNS: dict[str, regex.Pattern[str]] = {
    "deliberation": regex.compile(
        rf"\bd[ée]lib[ée]rations?{_ASSEMBLY}\s*,?\s*{_NUMBER_SIGN}\s*(?P<number>{_NUMBER})", _FLAGS
    ),
    # Prefixes that name a deliberation register; "AR-", "MAPA-" and the like are not here.
    "prefixed": regex.compile(
        # "DE2024-090", "DE_2019_086": the @ctes code of a deliberation, never apart from its year.
        r"(?<![\w/-])(?P<number>(?-i:(?:DELIB|DEL|DCM|DCC|DCA|DCS|DCP|DCR|DCD|DBC|DBM|DB|DC|D|CM|CC|CS|CP|BC|BM)[-_ ]?|DE[-_]?)"
        r"(?:(?:19|20)\d\d[-_/.]\d{1,4}|(?<=[-_])\d{1,4}[-_/](?:19|20)\d\d))(?![\w/-])",
        regex.VERSION1,
    ),
    "numbered": regex.compile(
        rf"\b{_NUMBER_SIGN}\s*(?P<number>(?:19|20)\d\d[/-]\d{{1,4}}|\d{{1,4}}[/-](?:19|20)\d\d)(?![\w/-])",
        _FLAGS,
    ),
}

# Another number in a list: "n° 2020-01 et 2020-02", "n° 12 du 3 mars 2020 et n° 14".
_LIST_SEPARATOR = regex.compile(
    rf"\s*(?:,|\bet\b|\bou\b|ainsi\s+que)\s*(?:la\s+|les\s+)?(?:d[ée]lib[ée]rations?\s+)?(?P<sign>{_NUMBER_SIGN}\s*)?",
    _FLAGS,
)
_LIST_ITEM = regex.compile(rf"(?P<number>{_NUMBER})", _FLAGS)
# "du Conseil Communautaire de la Communauté de communes du Pays Mornantais du 28 janvier 2025":
# the assembly's name, as few of its words as let the date follow.
_ASSEMBLY_AFTER = r"(?:\s*du\s+(?:conseil|comit[ée]|bureau|assembl[ée]e)(?:\s+[\w'’-]+){0,10}?)?"
_DATE_AFTER = regex.compile(
    rf"{_ASSEMBLY_AFTER}\s*,?\s*(?:\)\s*)?"
    rf"(?:du|en\s+date\s+du|le|adopt[ée]e?s?\s+le|prises?\s+le|vot[ée]e?s?\s+le)\s+{_DATE}",
    _FLAGS,
)
_DATE_ANYWHERE = regex.compile(_DATE, _FLAGS)
_OPEN_PARENTHESIS = regex.compile(r"\(\s*$")
_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)|\n\s*\n")
_YEAR_IN_NUMBER = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

# Words naming what a bare "n°" belongs to when it is not a deliberation.
_NOT_A_DELIBERATION = regex.compile(
    r"\b(?:loi|d[ée]cret|ordonnance|arr[êe]t[ée]|circulaire|march[ée]|contrat|convention|avenant|lot"
    r"|r[èe]glement|directive|instruction|dossier|permis|facture|commande|d[ée]cision|jugement|arr[êe]t"
    r"|requ[êe]te|parcelles?|section|siret|siren|article|annexe|titre|bordereau|mandat|avis)\b",
    _FLAGS,
)
_DELIBERATION_WORD = regex.compile(r"\bd[ée]lib[ée]rations?\b", _FLAGS)
_CONTEXT_WINDOW = 60
_TOUCHING = 3  # ", " between a date and the "n°" it dates

# The @ctes transmission identifier: department-SIREN-date-number-type.
_ACTES_IDENTIFIER = regex.compile(r"\b\d{3}-\d{9}-\d{8}-\S+?-[A-Z]{2}\b")
_OWN_NUMBER_NOISE = regex.compile(r"[\s\-–—_/.]+")


def find_references(text: str, own_number: str | None = None) -> list[ReferenceMention]:
    """Numbered references to other deliberations, in text order, each a span over the number."""
    excluded = [m.span() for m in _ACTES_IDENTIFIER.finditer(text)]
    own = _normalise_number(own_number) if own_number else None
    found: dict[tuple[int, int], ReferenceMention] = {}
    for name, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            if name != "deliberation" and _names_something_else(text, match.start()):
                continue
            for mention in _mentions_from(text, match):
                if _inside(mention, excluded) or _normalise_number(mention.number) == own:
                    continue
                found.setdefault((mention.start, mention.end), mention)
    return _without_nested(sorted(found.values(), key=lambda m: (m.start, -m.end)))


def _mentions_from(text: str, match: regex.Match[str]) -> list[ReferenceMention]:
    """The matched number, and the ones listed after it with "et" or ","."""
    start, end = match.span("number")
    first_shape = _has_separator(match.group("number"))
    mentions = [_mention(text, start, end, match.start())]
    position = mentions[-1].end if mentions[-1].date is None else _date_end(text, end)
    while (separator := _LIST_SEPARATOR.match(text, position)) and (
        item := _LIST_ITEM.match(text, separator.end())
    ):
        # Without a new "n°", only a number shaped like the first continues the list
        # ("2020-01 et 2020-02"); "n° 14, et 12 conseillers" does not.
        if not separator.group("sign") and not (first_shape and _has_separator(item.group("number"))):
            break
        mentions.append(_mention(text, item.start(), item.end(), match.start()))
        position = _date_end(text, item.end()) if mentions[-1].date else item.end()
    return mentions


def _mention(text: str, start: int, end: int, phrase_start: int) -> ReferenceMention:
    number = text[start:end]
    date = _date_after(text, end) or _date_before(text, phrase_start, number)
    return ReferenceMention(start=start, end=end, text=number, number=" ".join(number.split()), date=date)


def _date_after(text: str, position: int) -> datetime.date | None:
    match = _DATE_AFTER.match(text, position)
    return _parse_date(match) if match else None


def _date_end(text: str, position: int) -> int:
    match = _DATE_AFTER.match(text, position)
    return match.end() if match else position


def _date_before(text: str, phrase_start: int, number: str) -> datetime.date | None:
    """The sentence's date for "lors de sa séance du 28 septembre 2018 (délibération n° CS-2018-30)"
    or "en date du 12 décembre 2013 n° 2013/412": taken only when the reference is parenthesised or
    the date touches it, and when the number does not name another year."""
    start = _sentence_start(text, phrase_start)
    dates = list(_DATE_ANYWHERE.finditer(text, start, phrase_start))
    if not dates:
        return None
    parenthesised = _OPEN_PARENTHESIS.search(text, max(0, phrase_start - 3), phrase_start)
    touching = phrase_start - dates[-1].end() <= _TOUCHING
    if not (parenthesised or touching):
        return None
    date = _parse_date(dates[-1])
    years = _YEAR_IN_NUMBER.findall(number)
    if date is None or (years and str(date.year) not in years):
        return None
    return date


def _parse_date(match: regex.Match[str]) -> datetime.date | None:
    if match.group("day"):
        day, month, year = int(match.group("day")), int(match.group("month")), match.group("year")
    else:
        day = 1 if match.group("tday").lower() == "1er" else int(match.group("tday"))
        month, year = _MONTHS[match.group("tmonth").lower()], match.group("tyear")
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    try:
        return datetime.date(full_year, month, day)
    except ValueError:
        return None  # "31/02/2020" is a typo, not a date


def _names_something_else(text: str, position: int) -> bool:
    """Whether the words just before a bare number name a law, decree, contract... rather than a deliberation."""
    window_start = max(_sentence_start(text, position), position - _CONTEXT_WINDOW)
    window = text[window_start:position]
    other = list(_NOT_A_DELIBERATION.finditer(window))
    if not other:
        return False
    deliberation = list(_DELIBERATION_WORD.finditer(window))
    return not deliberation or other[-1].start() > deliberation[-1].start()


def _sentence_start(text: str, position: int) -> int:
    start = max(0, position - 1500)  # keeps the scan linear on long documents
    for boundary in _SENTENCE_END.finditer(text, start, position):
        start = boundary.end()
    return start


def _has_separator(number: str) -> bool:
    return any(character in number for character in "-_/.")


def _inside(mention: ReferenceMention, spans: list[tuple[int, int]]) -> bool:
    return any(start <= mention.start and mention.end <= end for start, end in spans)


def _without_nested(mentions: list[ReferenceMention]) -> list[ReferenceMention]:
    """Drop a mention found inside a longer one (a bare "2019-042" inside "DEL2019-042")."""
    kept: list[ReferenceMention] = []
    for mention in mentions:
        if kept and mention.end <= kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _normalise_number(number: str) -> str:
    return _OWN_NUMBER_NOISE.sub("", number).upper()
