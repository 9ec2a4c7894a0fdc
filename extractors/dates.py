"""Dates in deliberations, with the time of day and what the date is for (session, publication...).

Registry extracts write the same date several ways on one page: in words in the preamble
("L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures"), with a month name in the
header ("Séance du 22 avril 2021") and numerically in the prefecture stamp ("transmis en
Préfecture le 30/04/21"). The role comes from the words just before the date.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

import regex

from extractors.numbers_fr import FIRST, NUMBER_WORDS, parse_number_words
from extractors.spans import Span, fold, leftmost_longest

__all__ = ["DateMention", "find_dates", "parse_date_words"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention(Span):
    """A calendar date found in the text, with its time of day and role when the text gives them."""

    value: datetime.date
    time: str | None = None  # "HH:MM"
    role: str | None = None  # "session" | "convocation" | "transmission" | "publication"


_FLAGS = regex.IGNORECASE | regex.VERBOSE
_APOS = r"['’‘`]"
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_MONTH = (
    r"(?:janv(?:ier|\.)?|f[ée]v(?:rier|r\.?|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?"
    r"|ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?)(?!\w)"
)
# A date's number words are few ("mil neuf cent quatre-vingt-dix-sept": seven). Unbounded, a run
# of number words ("deux deux deux …") is re-read to its end from every word in it: quadratic
# (18 CPU-s on 20 kB). Bounded, each word starts at most nine.
_DATE_NUMBER = NUMBER_WORDS[:-3] + "){0,8})" if NUMBER_WORDS.endswith(")*)") else NUMBER_WORDS
_DAY = rf"(?:{FIRST}|(?<!\w)[0-3]?\d(?!\d)|{_DATE_NUMBER})"
_YEAR = rf"(?:(?<!\w)\d{{4}}(?!\d)|{_DATE_NUMBER})"
# The regex module allows one group name in several alternatives; each alternative sets hour/minute.
_TIME = rf"""
    (?:(?P<hour>[0-2]?\d)\s*(?:h|heures?)(?:\s*(?P<minute>[0-5]\d))?(?!\w)
      |(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?!\w)
      |(?P<hour>{_DATE_NUMBER})\s+heures?(?:\s+(?:et\s+)?(?P<minute>{_DATE_NUMBER}|quart|demie?))?(?!\w)
      |(?P<hour>midi|minuit)(?!\w))
"""
_TIME_TAIL = rf"(?:\s*,?\s*(?:(?:à|a|vers|dès|des)\s+)?{_TIME})?"
# OCR reads 0 as O and 1 as l or I inside numeric dates; `_number` repairs them.
_D = r"[0-9OoIl]"
# A numeric date must not be a piece of an identifier ("034-213401722-20140424-...") or a number.
_NOT_AFTER_ID = r"(?<![\w./-])(?<!\bn[°o]\.?\s*)"

_PATTERNS: dict[str, regex.Pattern[str]] = {
    # "L'an deux mil vingt et un, le vingt-deux avril", "L'an deux mille quatorze et le vingt-quatre avril"
    "year_first": regex.compile(
        rf"""L{_APOS}\s*an\s+(?P<year>{_YEAR})
             (?:\s*,\s*(?:le\s+)?|\s+(?:et\s+)?le\s+|\s+et\s+)(?:{_WEEKDAY}\s*,?\s+)?
             (?P<day>{_DAY})\s+(?:du\s+mois\s+d(?:e\s+|{_APOS}\s*))?(?P<month>{_MONTH}){_TIME_TAIL}""",
        _FLAGS,
    ),
    # "jeudi 24 avril 2014", "1er juillet 2020", "le vingt-deux avril deux mille vingt et un"
    "day_month_year": regex.compile(
        rf"""(?:{_WEEKDAY}\s*,?\s+)?(?P<day>{_DAY})\s+(?P<month>{_MONTH})\s*,?\s+
             (?:de\s+l{_APOS}\s*an\s+)?(?P<year>{_YEAR}){_TIME_TAIL}""",
        _FLAGS,
    ),
    # "30/04/21", "15.04.2021", "30 /04/ 2021"; the same separator twice, so "15/04-2021" is not a date.
    "numeric": regex.compile(
        rf"""{_NOT_AFTER_ID}(?P<day>{_D}{{1,2}})[ \t]?(?P<sep>[/.-])[ \t]?(?P<month>{_D}{{1,2}})
             [ \t]?(?P=sep)[ \t]?(?P<year>{_D}{{4}}|{_D}{{2}})(?![\w]|[./-]\d){_TIME_TAIL}""",
        _FLAGS,
    ),
    "iso": regex.compile(
        rf"{_NOT_AFTER_ID}(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?![\w]|-\d){_TIME_TAIL}",
        _FLAGS,
    ),
}

_YEARS = range(1900, 2101)
_MONTH_PREFIXES = (
    ("janv", 1), ("fev", 2), ("mars", 3), ("avr", 4), ("mai", 5), ("juin", 6),
    ("juil", 7), ("aou", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)
_OCR_DIGITS = str.maketrans("OoIl", "0011")

_ROLE_CUES: dict[str, regex.Pattern[str]] = {
    "session": regex.compile(
        rf"s[ée]ance|s{_APOS}\s*est\s+r[ée]uni\w*|r[ée]uni\w*\s+le|r[ée]union|(?<!\w)L{_APOS}\s*an(?!\w)"
        # "CR du conseil municipal 09 avril 2021": the assembly's name right before the date,
        # unless it names an earlier deliberation ("délibération du conseil municipal du …").
        rf"|(?<!d[ée]lib[ée]rations?\s+(?:n°\s*\S+\s+)?(?:du|de\s+la)\s+)"
        rf"(?:conseil\s+(?:municipal|communautaire|syndical|m[ée]tropolitain)|comit[ée]\s+syndical)"
        rf"\s+(?:du\s+|en\s+date\s+du\s+)?(?=\s*$)",
        regex.IGNORECASE,
    ),
    "convocation": regex.compile(
        # OCR misreads a letter of it ("Convoéation du 22/02/2025").
        r"convo\p{L}ations?|convoqu[ée]e?s?\s+(?:le|en\s+date\s+du)(?!\w)", regex.IGNORECASE
    ),
    "transmission": regex.compile(
        r"""(?:transmis(?:e|es|sion)?|re[çc]u(?:e|es)?|envoy[ée]e?s?|r[ée]ception|d[ée]p[ôo]t)
              \s+(?:en|on|à\s+la|a\s+la|au|par\s+la)\s+(?:sous[-\s])?pr[ée](?:\p{L}ecture|fet)  # OCR: "Reçu on prétecture"
            |envoi\s+(?:(?:en|à\s+la|a\s+la)\s+)?pr[ée]fecture
            |transmis\w*\s+au\s+contr[ôo]le\s+de\s+l[ée]galit[ée]
            |t[ée]l[ée]\s*transmis\w*|accus[ée]\s+de\s+r[ée]ception|sous[-\s]pr[ée]fecture""",
        _FLAGS,
    ),
    "publication": regex.compile(
        r"publi[ée]e?s?|publication|affich[ée]e?s?|affichage|notifi[ée]e?s?|notification"
        r"|mise?s?\s+en\s+ligne",
        regex.IGNORECASE,
    ),
}
_ROLE_WINDOW = 80
# A cue only counts inside the date's own clause. "M.", "J." or "févr." do not end a clause.
_ABBREVIATION = (
    r"[A-Z]|MM|Mmes?|Mlles?|Me|Dr|St|art|cf|n|janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c"
)
_CLAUSE_BREAK = regex.compile(rf"\n[ \t]*\n|[;!?]|(?<!\b(?:{_ABBREVIATION}))\.(?=\s)")


def find_dates(text: str) -> list[DateMention]:
    """Every valid date in `text`, in text order, without overlaps (leftmost, then longest, wins).
    A convocation printed without its year ("dûment convoqué le 21 juin") is dated by the séance."""
    candidates = [mention for match in _matches(text) if (mention := _mention(match)) is not None]
    mentions = leftmost_longest(candidates)
    mentions = [replace(m, role=_role(text, m, mentions[i - 1].end if i else 0)) for i, m in enumerate(mentions)]
    return _with_yearless_convocation(text, mentions)


# A date written with its month's name is read only around a month's name: tried at every position
# of a page, the day in words ("vingt-deux", "premier") was most of the time spent on dates. A
# match starts at most _BEFORE_MONTH characters before its month and ends well within
# _AFTER_MONTH after it; the windows are wide enough that no match is cut short or missed.
_MONTH_NAME = regex.compile(_MONTH, regex.IGNORECASE)
_BEFORE_MONTH = 250
_AFTER_MONTH = 400


def _matches(text: str) -> list[regex.Match[str]]:
    """The matches of every pattern over `text`, those of `day_month_year` in month windows."""
    found = [m for name, pattern in _PATTERNS.items() if name != "day_month_year" for m in pattern.finditer(text)]
    pattern = _PATTERNS["day_month_year"]
    for start, end in _month_windows(text):
        found.extend(pattern.finditer(text, start, end))
    return found


def _month_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for month in _MONTH_NAME.finditer(text):
        start, end = max(0, month.start() - _BEFORE_MONTH), min(len(text), month.end() + _AFTER_MONTH)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


# "dûment convoqué le 21 juin", "Convocation du 3/03": the day and month only, right after the cue.
_YEARLESS_CONVOCATION = regex.compile(
    rf"""(?:convo\p{{L}}ations?(?:[ \t]+(?:du|le|en[ \t]+date[ \t]+du))?[ \t]*:?
           |convoqu[ée]e?s?[ \t]+(?:le|en[ \t]+date[ \t]+du))\s+
         (?:{_WEEKDAY}\s*,?\s+)?
         (?:(?P<day>{_DAY})\s+(?P<month>{_MONTH})
           |(?P<day>[0-3]?\d)[ \t]?/[ \t]?(?P<month>[01]?\d)(?![\d/]))""",
    _FLAGS,
)


def _with_yearless_convocation(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """A convocation date without its year takes the séance's year, or the year before when that
    would put it after the séance (convoked on 28 December for a séance on 4 January). Without a
    séance date in the text, nothing is made up."""
    sessions = [m.value for m in mentions if m.role == "session"]
    if not sessions:
        return mentions
    session = max(set(sessions), key=sessions.count)
    added = []
    for match in _YEARLESS_CONVOCATION.finditer(text):
        start, end = match.start("day"), match.end("month")
        if any(m.start < end and start < m.end for m in mentions):
            continue  # a full date there ("convoqué le 21 juin 2022") was read already
        value = _date(str(session.year), match["month"], match["day"])
        if value is not None and value > session:
            value = _date(str(session.year - 1), match["month"], match["day"])
        if value is None or (session - value).days > _CONVOCATION_DAYS:
            continue
        added.append(DateMention(start=start, end=end, text=text[start:end], value=value, role="convocation"))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


_CONVOCATION_DAYS = 62  # a convocation is sent days, at most weeks, before its séance


def parse_date_words(text: str) -> tuple[datetime.date, str | None] | None:
    """Date and "HH:MM" time of a long-form date ("L'an deux mil vingt et un, le vingt-deux avril
    à dix-huit heures", "le premier juillet deux mille vingt"), or None."""
    for name in ("year_first", "day_month_year"):
        for match in _PATTERNS[name].finditer(text):
            if (mention := _mention(match)) is not None:
                return mention.value, mention.time
    return None


def _mention(match: regex.Match[str]) -> DateMention | None:
    value = _date(match["year"], match["month"], match["day"])
    if value is None:
        return None
    return DateMention(
        start=match.start(), end=match.end(), text=match.group(), value=value,
        time=_time(match["hour"], match["minute"]),
    )


def _date(year_text: str, month_text: str, day_text: str) -> datetime.date | None:
    year, month, day = _year(year_text), _month(month_text), _number(day_text)
    if year is None or month is None or day is None or year not in _YEARS:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 31/02, 30 février
        return None


def _year(text: str) -> int | None:
    year = _number(text)
    if year is not None and len(text.strip()) == 2:
        return year + (2000 if year < 70 else 1900)  # "30/04/21" is 2021, "12/05/95" is 1995
    return year


def _month(text: str) -> int | None:
    folded = fold(text).rstrip(".")
    for prefix, number in _MONTH_PREFIXES:
        if folded.startswith(prefix):
            return number
    return _number(text)


_DIGITS_AS_READ = regex.compile(r"[0-9OoIl]+")  # digits and the letters OCR reads for them
_DIGIT = regex.compile(r"\d")


def _number(text: str) -> int | None:
    """Digits (repairing OCR letters) or number words."""
    if _DIGITS_AS_READ.fullmatch(text) and _DIGIT.search(text):
        return int(text.translate(_OCR_DIGITS))
    return parse_number_words(text)


def _time(hour_text: str | None, minute_text: str | None) -> str | None:
    if hour_text is None:
        return None
    special = {"midi": 12, "minuit": 0}
    hour = special.get(fold(hour_text), None)
    if hour is None:
        hour = parse_number_words(hour_text)
    minute = _minute(minute_text)
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _minute(text: str | None) -> int | None:
    if text is None:
        return 0
    folded = fold(text)
    if folded == "quart":
        return 15
    if folded.startswith("demi"):
        return 30
    return parse_number_words(folded)


def _role(text: str, mention: DateMention, previous_end: int = 0) -> str | None:
    """Role of the nearest cue before the date, within its clause and `_ROLE_WINDOW` characters.

    A cue names the first date after it: "Date de convocation : 15/05/2017\nLe vingt-cinq mai…"
    does not make the second date a convocation, so the window starts after the previous date.
    """
    if regex.match(rf"L{_APOS}\s*an(?!\w)", mention.text, regex.IGNORECASE):
        return "session"
    window = text[max(0, mention.start - _ROLE_WINDOW, previous_end):mention.start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    # A form's label and its value set apart by a blank line ("Date de la convocation :" / "" /
    # "21 avril 2022"): the label's clause goes on over the gap.
    if breaks and breaks[-1][0].startswith("\n") and _LABEL_END.search(window, 0, breaks[-1].start()):
        breaks.pop()
    if breaks:
        window = window[breaks[-1].end():]
    nearest: tuple[int, str] | None = None
    for role, cue in _ROLE_CUES.items():
        for match in cue.finditer(window):
            if nearest is None or match.end() > nearest[0]:
                nearest = (match.end(), role)
    if nearest is None:
        # "Le vingt-neuf juin deux mille vingt et un à vingt heures, le conseil municipal s'est
        # réuni": the meeting sentence may name the date before the verb.
        # When the date opens the sentence, the subject between it and the verb may be long
        # ("…, le Conseil municipal de la Commune de X, dûment convoqué le 25/03/2024, s'est réuni").
        reach = _SENTENCE_REACH if _OPENS_LINE.search(window) else _ROLE_WINDOW
        after = text[mention.end:mention.end + reach]
        cut = _CLAUSE_BREAK.search(after)
        if _MET_AFTER.search(after, 0, cut.start() if cut else len(after)):
            return "session"
    if nearest and nearest[1] == "publication" and (
            _ELSEWHERE.search(window, nearest[0]) or _ANOTHER_ACTS.search(window, 0, nearest[0])):
        # "publié au BOAMP le 21 novembre 2013", "l'arrêté portant sa publication date du 5 août
        # 2022": a notice's or another act's publication, not this act's.
        return None
    if nearest and nearest[1] == "session" and _EARLIER_MINUTES.search(window) and _approved(text, window, mention):
        return None  # "Approbation du procès-verbal de la séance du 3 octobre": an earlier séance
    return nearest[1] if nearest else None


_LABEL_END = regex.compile(r":[ \t]*$")
# The minutes of a séance named in the sentence that approves them: that séance came before.
_EARLIER_MINUTES = regex.compile(
    r"(?:proc[èe]s[- ]verbal|compte[- ]rendu|\bP\.?V\.?|\bC\.?R\.?)\s+(?:de\s+la\s+|du\s+|des\s+)?(?:derni[èe]re\s+|pr[ée]c[ée]dente\s+)?"
    r"(?:s[ée]ances?|r[ée]unions?|conseil)\b", regex.IGNORECASE)
_APPROVAL = regex.compile(r"approb|approuv|adopt", regex.IGNORECASE)


def _approved(text: str, window: str, mention: DateMention) -> bool:
    """The date's sentence approves the minutes it names, before ("Approbation du PV de la séance
    du …") or after the date ("Le PV de la séance du … est approuvé à l'unanimité")."""
    after = text[mention.end:mention.end + _ROLE_WINDOW]
    cut = _CLAUSE_BREAK.search(after)
    return bool(_APPROVAL.search(window) or _APPROVAL.search(after, 0, cut.start() if cut else len(after)))


# A date at the start of its line, alone or after "Le": it opens the meeting sentence.
_OPENS_LINE = regex.compile(r"(?:^|\n)[ \t]*(?:le[ \t]+)?$", regex.IGNORECASE)
_SENTENCE_REACH = 300
# "sa publication", "leur affichage": a possessive names another act's (the act's own is stated
# in a stamp or a closing formula: "Publié le", "Date d'affichage").
_ANOTHER_ACTS = regex.compile(r"\b(?:sa|son|leur)\s+\S*\s?$", regex.IGNORECASE)
_MET_AFTER = regex.compile(rf"s{_APOS}\s*est\s+r[ée]uni|se\s+sont\s+r[ée]unis|s{_APOS}\s*est\s+assembl[ée]",
                           regex.IGNORECASE)
# Where a notice is published that is not the act itself: a procurement notice, a newspaper.
_ELSEWHERE = regex.compile(
    r"\b(?:BOAMP|JOUE|journal|presse|plate-?forme|profil\s+d['’]acheteur|bulletin)\b",
    regex.IGNORECASE)


# "s'est réuni à 20 heures", "la séance est ouverte à 18h30": an hour stated apart from the date.
_MEETING_TIME = regex.compile(
    rf"""(?<!(?:fin|lev[ée]e|cl[ôo]ture)\s+(?:de\s+la\s+)?)(?:r[ée]uni(?:e|s)?|s[ée]ance\s+(?:est\s+)?ouverte|ouverture|d[ée]but[ée]?)[^.\n]{{0,80}}?
         \b(?:à|a)\s+{_TIME}""",
    _FLAGS,
)


def find_meeting_time(text: str) -> str | None:
    """The hour of the séance when it is written apart from its date; None if none is stated."""
    for match in _MEETING_TIME.finditer(text):
        time = _time(match.group("hour"), match.group("minute"))
        if time:
            return time
    return None
