"""The counts a deliberation states (en exercice, présents, pouvoirs, votants) and its vote."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.spans import Span

_N = r"(?P<n>\d{1,3})\b(?![ \t]*%)"  # a count is never a percentage ("représente 10 %")
# Between a label and its figure: a colon, at most one line break ("Pouvoirs :\n3"), never a blank
# line ("dont 2 procurations\n\n11" is not 11 procurations).
_SEP = r"[ \t]*[:.=]?[ \t]*(?:\n[ \t]*)?"

# Each count: patterns with the figure after the label, then before it. Labels must be followed
# by a figure: "Présents :" heading a list of names is not a count.
COUNT_PATTERNS: dict[str, tuple[regex.Pattern, ...]] = {
    field: tuple(regex.compile(p, regex.IGNORECASE) for p in patterns)
    for field, patterns in {
        "in_office": (
            rf"en\s+exercice{_SEP}{_N}",
            rf"\ben[ \t]+{_N}[ \t]*\n[ \t]*exercice\b",  # "Délégués en 24" / "exercice": a wrapped label
            rf"membres\s+du\s+(?:bureau|conseil|comit[ée]){_SEP}{_N}",
            rf"(?:afférents|composant)\s+(?:au|le)\s+(?:conseil|comité){_SEP}{_N}",
            rf"{_N}[ \t]+(?:conseillers|membres|délégués)?[ \t]*en\s+exercice",
        ),
        "present": (
            rf"(?<!non\s)\bpr[ée]sent(?:e|s|es)?(?:\s+ou\s+représentés)?(?!\s+délibération){_SEP}{_N}(?!\s*(?:h|heures?|/|\d))",
            rf"{_N}[ \t]+(?:conseillers|membres|délégués)?[ \t]*pr[ée]sents\b",
        ),
        "represented": (
            rf"\b(?:pouvoirs?|procurations?|repr[ée]sent[ée]s|mandats?){_SEP}{_N}(?!\s*(?:h|/|\d))",
            rf"\bdont\s+{_N}\s+(?:procur\p{{Ll}}{{2,5}}ons?|pouvoirs?)",  # OCR: "dont 3 procuritions"
            rf"{_N}[ \t]+(?:pouvoirs|procurations)\b",
        ),
        "voters": (
            rf"\bvotants?{_SEP}{_N}(?!\s*(?:h|/|\d))",
            rf"(?:pris|prenant)\s+part\s+(?:au\s+vote|[àa]\s+la\s+d[ée]lib[ée]ration){_SEP}{_N}",
            rf"{_N}[ \t]+votants\b",
        ),
    }.items()
}
# A list of names under its label, its figure in brackets at its end ("Etaient présents : M. A,
# Mme B, … (27)"): the list's own count. No bracket inside the list, so that "(pouvoir à X)" or
# a footnote mark is never read as one.
_LISTED = r"[ \t]*:[^()\f]{{1,1500}}?\([ \t]*{n}[ \t]*\)[ \t]*[.;,]?[ \t]*(?=\n|\Z)"
LISTED_COUNTS: dict[str, regex.Pattern] = {
    "present": regex.compile(r"(?<!non\s)\b(?:[ée]taient\s+|sont\s+)?pr[ée]sents?(?:\s+ou\s+représentés)?"
                             + _LISTED.format(n=_N), regex.IGNORECASE),
    "represented": regex.compile(r"\b(?:pouvoirs?|procurations?(?:\s+[àa])?|repr[ée]sent[ée]e?s)"
                                 + _LISTED.format(n=_N), regex.IGNORECASE),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CountMention(Span):
    field: str
    value: int


def find_counts(text: str) -> dict[str, CountMention]:
    """The stated figure of each count: label then figure first, then a table, then figure then label."""
    found: dict[str, CountMention] = _table_counts(text)
    for field, patterns in COUNT_PATTERNS.items():
        if field in found:
            continue
        for pattern in patterns:  # in order of trust: the first pattern that matches wins
            match = pattern.search(text)
            if match:
                found[field] = CountMention(
                    start=match.start(), end=match.end(), text=match.group(0), field=field,
                    value=int(match["n"]),
                )
                break
    if "voters" not in found and (voters := _vote_table(text).get("voters")):
        value, start, end = voters
        found["voters"] = CountMention(start=start, end=end, text=text[start:end], field="voters", value=value)
    for field, pattern in LISTED_COUNTS.items():
        if field not in found and (match := pattern.search(text)):
            found[field] = CountMention(start=match.start(), end=match.end(), text=match.group(0),
                                        field=field, value=int(match["n"]))
    return found


# A small table: a row of labels (possibly wrapped), then a row of as many figures.
_TABLE_LABELS = {
    "in_office": regex.compile(r"\b(?:(?:membres|conseillers|délégués)\s+en\b|en\s+exercice|exercice)", regex.IGNORECASE),
    "present": regex.compile(r"\bpr[ée]sents?\b", regex.IGNORECASE),
    "represented": regex.compile(r"\b(?:pouvoirs?|procurations?|repr[ée]sent[ée]s)\b", regex.IGNORECASE),
    "voters": regex.compile(r"\bvotants?\b", regex.IGNORECASE),
}
# A row of figures, as printed or as OCR reads a ruled one: a border or a speck stuck to a figure
# ("[79°"), a mark alone between cells (":"), one cell it could not read ("th)" for "75").
_FIGURES_ROW = regex.compile(r"^[ \t]*\S{1,6}(?:[ \t]+\S{1,6}){1,5}[ \t]*$", regex.MULTILINE)
_FIGURE = regex.compile(r"[\[(|{]?(\d{1,3})[°º)\]|}.,'’]?")
_MARK = regex.compile(r"[^\w\s]+")
_UNREAD = regex.compile(r"\S{1,4}")


def _figures(row: str) -> list[int | None] | None:
    """The row's cells, a figure or None for one OCR could not read; None if it is not a row of
    figures (at least two read, at most one unread)."""
    cells: list[int | None] = []
    for token in row.split():
        if figure := _FIGURE.fullmatch(token):
            cells.append(int(figure[1]))
        elif _MARK.fullmatch(token):
            continue
        elif _UNREAD.fullmatch(token):
            cells.append(None)
        else:
            return None
    if cells.count(None) > 1 or len(cells) - cells.count(None) < 2:
        return None
    return cells


def _table_counts(text: str) -> dict[str, CountMention]:
    for row in _FIGURES_ROW.finditer(text):
        figures = _figures(row.group(0))
        if figures is None:
            continue
        line_start = text.rfind("\n", 0, row.start()) + 1
        block_start = line_start
        for _ in range(3):
            block_start = text.rfind("\n", 0, max(block_start - 1, 0)) + 1
        block = text[block_start:row.start()]
        first_line = next((l for l in block.split("\n") if _labels_in(l)), "")
        positions = _labels_in(first_line)
        for field, pattern in _TABLE_LABELS.items():
            if field not in positions and (m := pattern.search(block)):
                positions[field] = len(first_line) + m.start()
        if len(positions) != len(figures) or len(positions) < 2:
            continue
        order = sorted(positions, key=positions.get)
        return {
            field: CountMention(start=row.start(), end=row.end(), text=row.group(0).strip(),
                                field=field, value=value)
            for field, value in zip(order, figures) if value is not None
        }
    return {}


def _labels_in(line: str) -> dict[str, int]:
    return {field: m.start() for field, pattern in _TABLE_LABELS.items() if (m := pattern.search(line))}


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteMention(Span):
    unanimous: bool | None
    for_: int | None = None
    against: int | None = None
    abstentions: int | None = None
    not_voting: int | None = None


_WORD_NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "o": 0,  # OCR's zero after a colon ("Abstention : O")
}
_NUM = r"(?P<n>\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)"
# After a colon, OCR reads a zero as the letter O ("Abstention : O").
_NUM_AFTER_COLON = r"(?P<n>\d{1,3}|[Oo](?![\p{L}\d]))"
_UNANIMOUS = regex.compile(r"\bunanimit[ée]|\bunanimement\b", regex.IGNORECASE)
_MAJORITY = regex.compile(r"\b(?:à|a)\s+la\s+majorit[ée]|\bmajorit[ée]\s+(?:absolue|des\s+(?:suffrages|voix|membres))", regex.IGNORECASE)
# "décide à l'unanimité de ne pas procéder au scrutin secret": a unanimity on how to vote, not on
# the deliberation (which may then pass by a majority).
_VOTING_METHOD = regex.compile(
    r"[^.;\n]{0,40}?\b(?:de\s+ne\s+pas\s+)?(?:proc[ée]der|recourir|voter)\s+(?:au|à\s+(?:un|la))\s+"
    r"(?:vote|scrutin)\s+(?:à\s+bulletins?\s+)?secret|[^.;\n]{0,40}?\bvoter\s+à\s+main\s+lev[ée]e",
    regex.IGNORECASE,
)
# "… la commission, qui a émis un avis favorable à l'unanimité": another body's opinion, not the vote.
_OPINION_BEFORE = regex.compile(r"\bavis\s+(?:favorable|d[ée]favorable)\b[^.;\n]{0,40}$", regex.IGNORECASE)
# A vote printed as a table: a row of labels ("Votants Pour Contre Abstentions"), then the row of
# figures under them.
_VOTE_TABLE_LABEL = regex.compile(r"votants?|pour|contre|abstentions?|exprim[ée]s", regex.IGNORECASE)
_VOTE_TABLE_HEAD = regex.compile(
    r"^[ \t|]*(?:(?:votants?|pour|contre|abstentions?|(?:suffrages[ \t]+)?exprim[ée]s)[ \t|:]*){3,5}$",
    regex.IGNORECASE | regex.MULTILINE)
_VOTE_TABLE_FIELDS = {"votant": "voters", "pour": "for_", "contre": "against", "abstention": "abstentions"}


def _vote_table(text: str) -> dict[str, tuple[int, int, int]]:
    """{field: (figure, start, end)} of the first vote table; fields voters, for_, against, abstentions."""
    for head in _VOTE_TABLE_HEAD.finditer(text):
        labels = [m.group(0).lower() for m in _VOTE_TABLE_LABEL.finditer(head.group(0))]
        row = regex.match(r"\n(?:[ \t]*\n)?(?P<row>[^\n]*)", text[head.end():])
        figures = _figures(row["row"]) if row else None
        if not figures or None in figures or len(figures) != len(labels):
            continue
        end = head.end() + row.end()
        return {field: (value, head.start(), end) for label, value in zip(labels, figures)
                if (field := _VOTE_TABLE_FIELDS.get(label.rstrip("s")))}
    return {}


VOTE_PATTERNS: dict[str, tuple[regex.Pattern, ...]] = {
    field: tuple(regex.compile(p, regex.IGNORECASE) for p in patterns)
    for field, patterns in {
        "for_": (
            rf"\b{_NUM}\s+(?:voix\s+|votes?\s+)?pour\b(?!\s+(?:cent|100|l[ae]s?|un|une|le|du|des|que|qu)\b)",
            rf"\b(?:pour|votes?\s+pour|voix\s+pour)\s*:\s*{_NUM_AFTER_COLON}",
            # "à l'unanimité des votants (31 voix), 8 abstentions": the votes cast, all for.
            rf"\bunanimit[ée][^()\n.;]{{0,40}}\(\s*{_NUM}\s+(?:voix|votes?|suffrages)\s*\)",
        ),
        "against": (
            rf"\b{_NUM}\s+(?:voix\s+|votes?\s+)?contre\b(?!\s*(?:la|le|les|l'|un|une|des)\b)",
            rf"\bcontre\s*:\s*{_NUM_AFTER_COLON}",
        ),
        "abstentions": (
            rf"\b{_NUM}\s+abstentions?\b",
            rf"\babstentions?\s*:\s*{_NUM_AFTER_COLON}",
        ),
        "not_voting": (
            rf"\b{_NUM}\s+(?:conseillers?\s+|membres?\s+)?(?:ne\s+prend|ne\s+prennent|n'ayant\s+pas\s+pris)\s+pas\s+part",
            rf"\bne\s+prend(?:nent)?\s+pas\s+part\s+au\s+vote\s*:\s*{_NUM}\b",
            rf"\bnon[- ]participations?\s*(?:au\s+vote)?\s*:\s*{_NUM}\b",
        ),
    }.items()
}


# Around a bare "146 pour" or "3 contre", words that make it a vote: "cadastrée TC 146 pour
# l'entretien" is not one. Searched in a window of bounded size around the figure.
_VOTE_CONTEXT = regex.compile(
    r"\b(?:voix|votes?|vot[ée]e?s?|votants?|contre|abstentions?|unanimit[ée]|majorit[ée]|adopt[ée]e?s?|approuv[ée]e?s?|"
    r"rejet[ée]e?s?|suffrages?|scrutin)\b",
    regex.IGNORECASE,
)
# The bare forms, which need that context (the other forms carry "voix", a colon or "abstention").
_BARE = {("for_", 0), ("against", 0)}


# "Votants : 12 Pour : 8 Contre : 2": the 12 is the votants' figure, not "12 pour"; the 8 is "Pour"'s.
_FIGURE_OF_A_LABEL = regex.compile(
    r"(?:votants?|exprim[ée]s|pr[ée]sents?|en\s+exercice|pour|contre|abstentions?|pouvoirs?|repr[ée]sent[ée]s)\s*:\s*$",
    regex.IGNORECASE,
)


# The forms with the figure before the word: "Contre : 0 Abstentions : 2" is no "0 abstentions".
_FIGURE_FIRST = {("for_", 0), ("against", 0), ("abstentions", 0), ("not_voting", 0)}


def _figure_of_a_label(text: str, match: regex.Match) -> bool:
    return bool(_FIGURE_OF_A_LABEL.search(text, max(0, match.start() - 80), match.start()))


def _in_vote_context(text: str, match: regex.Match) -> bool:
    before = text[max(0, match.start() - 80):match.start()]
    after = text[match.end():match.end() + 80]
    if regex.match(r"\s+(?:voix|votes?)\b", text[match.start("n") + len(match["n"]):match.end()]):
        return True  # "13 voix pour", "14 votes pour"
    # "146 pour l'entretien": a vote's "pour" is followed by a separator, a figure or "contre".
    if not regex.match(r"\s*(?:[,;.:()–—/-]|et\b|\n|$|\d|contre|voix)", after, regex.IGNORECASE):
        return False
    return bool(_VOTE_CONTEXT.search(before.rsplit("\n\n", 1)[-1]) or _VOTE_CONTEXT.search(after.split("\n\n", 1)[0]))


def find_vote(text: str) -> VoteMention | None:
    """The vote of the deliberation; None when nothing is said about one."""
    counts: dict[str, tuple[int, int, int]] = {}
    for field, patterns in VOTE_PATTERNS.items():
        for index, pattern in enumerate(patterns):
            match = pattern.search(text)
            while match and ((field, index) in _BARE and not _in_vote_context(text, match)
                             or (field, index) in _FIGURE_FIRST and _figure_of_a_label(text, match)):
                match = pattern.search(text, match.end())
            if match and (field not in counts or match.start() < counts[field][1]):
                raw = match["n"].lower()
                value = int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
                counts[field] = (value, match.start(), match.end())
    for field, figure in _vote_table(text).items():
        if field != "voters":
            counts.setdefault(field, figure)
    unanimous = next((m for m in _UNANIMOUS.finditer(text)
                      if not _VOTING_METHOD.match(text, m.end())
                      and not _OPINION_BEFORE.search(text, max(0, m.start() - 80), m.start())), None)
    majority = _MAJORITY.search(text)
    if not counts and not unanimous and not majority:
        return None
    spans = [(s, e) for _, s, e in counts.values()]
    for match in (unanimous, majority):
        if match:
            spans.append((match.start(), match.end()))
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    breakdown = "for_" in counts or "against" in counts
    if unanimous and not (majority and majority.start() < unanimous.start()):
        verdict: bool | None = True
    elif majority or breakdown:
        verdict = False
    else:
        verdict = None
    return VoteMention(
        start=start, end=end, text=text[start:end], unanimous=verdict,
        **{field: value for field, (value, _, _) in counts.items()},
    )
