"""Who presided, who was secretary, and who attended: the attendance lists.

Lists come in two families: the syndicats' ("• Délégués titulaires : M. A – M. B", "X, suppléant
de Y", "X donne pouvoir à Y", "Délégués excusés") and the communes' ("Étaient présents : Mmes A, B,
MM. C", "Absents ayant voté par procuration : …", "X (pouvoir à Y)"). Each person is reported
once, with the most specific status.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.names import CIVILITIES, CIVILITY, clean_name, normalize_name, split_civility
from extractors.spans import Span

STATUS_RANK = {"represented": 3, "excused": 2, "absent": 1, "present": 0}


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendee(Span):
    name: str
    civility: str | None
    status: str
    substitute_for: str | None = None
    proxy_to: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Role(Span):
    name: str


_A = r"[ée]"
# A section heading and the status it gives to the names listed under it. First match wins,
# so the specific headings ("absents excusés") come before the general ones ("absents").
# A heading opens a line (after an optional bullet) or follows a full stop or a dash;
# "à l'unanimité des membres présents et représentés :" is not one.
_HEADING_START = r"(?:(?<=^|\n)[ \t]*[•\-*+.·]?[ \t]*|(?<=[.;–—][ \t]))"
SECTIONS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (status, regex.compile(_HEADING_START + "(?:" + pattern + ")", regex.IGNORECASE | regex.MULTILINE))
    for status, pattern in (
        ("represented", rf"(?:absent(?:e|s|es)?\s+)?(?:ayant\s+(?:voté\s+par\s+procuration|donné\s+(?:pouvoir|procuration))|repr{_A}sent{_A}e?s?|(?:d{_A}l{_A}gu{_A}s\s+)?repr{_A}sent{_A}s)(?:\s+en\s+application[^:\n]*(?:\n[^:\n]*)?)?\s*:"),
        ("represented", r"^\s*[•\-*]?\s*(?:pouvoirs?|procurations?)\s*:(?!\s*\d)"),
        ("excused", rf"(?:absent(?:e|s|es)?\s+excus{_A}(?:e|s|es)?|(?:d{_A}l{_A}gu{_A}s|membres|conseillers)\s+excus{_A}s|^\s*[•\-*]?\s*excus{_A}(?:e|s|es)?)\s*:"),
        ("absent", rf"(?:absent(?:e|s|es)?(?:\s+non\s+excus{_A}(?:e|s|es)?)?|(?:d{_A}l{_A}gu{_A}s|membres|conseillers)\s+absents)\s*:(?!\s*\d)"),
        ("substitute", rf"(?:d{_A}l{_A}gu{_A}e?s?\s+)?suppl{_A}ante?s?(?:\s+pr{_A}sente?s?)?\s*:"),
        ("present", rf"(?:{_A}taient\s+pr{_A}sent(?:e|s|es)?|(?:membres|d{_A}l{_A}gu{_A}s|conseillers)\s+(?:titulaires\s+)?pr{_A}sents|(?:d{_A}l{_A}gu{_A}s\s+)?titulaires(?:\s+pr{_A}sents)?|^\s*[•\-*+]?\s*pr{_A}sent(?:e|s|es)?|assistaient)\s*:(?!\s*\d)"),
    )
)

# Where a list stops: a blank line, or a line that opens something else.
_LIST_END = regex.compile(
    r"\n\s*\n|\n(?=\s*(?:secr[ée]taire|le\s+(?:conseil|comit[ée]|bureau|pr[ée]sident|maire|quorum)|"
    r"la\s+s[ée]ance|vu\b|objet|nombre|ordre\s+du\s+jour|apr[èe]s|monsieur\s+\S+\s+rapporte|"
    r"date|d[ée]lib[ée]ration|votants|membres\s+en|convocation|rapporteur|s[ée]ance|"
    r"\p{Lu}[\p{Lu}\s'-]{12,}$|[IVX]+\s*[-–.]\s))|"
    # A list written as a sentence ends with its full stop ("M." and "MM." are not one).
    r"(?<!\b(?:M|MM|Mme|Mmes|Mlle|St|Ste))\.[ \t]*(?=\n|[ \t]+(?:\p{Lu}\p{Ll}+[ \t]*:|(?:M\.|Mme|MM\.)\s*\p{Lu}[^,\n]{0,40}\s(?:a\s+été|est)\s))",
    regex.IGNORECASE | regex.MULTILINE,
)
_LIST_GOES_ON = regex.compile(r"(?:[,;–—-]|\b(?:M|MM|Mme|Mmes|Mlle)\.?)[ \t]*\Z")
_LIST_RESUMES = regex.compile(r"[ \t]*(?:[–—-][ \t]|(?:M\.|Mme|Mlle|MM\.|Mmes)[ \t]+\p{Lu})")
_ITEM_SPLIT = regex.compile(r"\s+[–—-]\s+|\s*[;•]\s*|\n|,(?!\s*(?:suppl|en\s+remplacement))\s*|\s+et\s+(?=(?:M\.?|Mme|Mlle|MM\.?|Monsieur|Madame)?\s*\p{Lu})")
_SUBSTITUTE = regex.compile(
    r"^(?P<who>.+?),?\s+(?:suppl[ée]ante?\s+d[e']|en\s+remplacement\s+d[e']|rempla[çc]ante?\s+d[e']|suppl[ée]ant\s+de)\s*(?P<of>.+)$",
    regex.IGNORECASE,
)
_PROXY = regex.compile(
    r"^(?P<who>.+?)\s*\(?\s*(?:a\s+)?(?:donn[ée]\s+|donne\s+)?(?:pouvoir|procuration|représentée?\s+par)\s+(?:à|a|de)?\s*(?P<to>[^)]+)\)?\s*$",
    regex.IGNORECASE,
)
_PROXY_SHORT = regex.compile(r"^(?P<who>.+?)\s+(?:à|a|par)\s+(?P<to>(?:M\.?|Mme|Mlle|Monsieur|Madame)\s*.+)$")
_NONE = regex.compile(r"^\s*(?:n[ée]ant|aucun(?:e)?|sans\s+objet)\s*\.?\s*$", regex.IGNORECASE)


def find_attendance(text: str) -> list[Attendee]:
    """Everyone named in the attendance lists, once each, with the most specific status."""
    found: list[Attendee] = []
    for status, start, end in _sections(text):
        found.extend(_parse_section(text, start, end, status))
    found.extend(_table_rows(text))
    return _merge(found)


# An attendance table, one member per row: "M. Régis DUCRUET  Thonon Agglomération  Présent".
# Surname words in capitals; a short one before a capitalised word is the next cell ("CC Pays…").
_ROW_NAME = (
    r"\p{Lu}\p{Ll}[\p{L}'-]*(?:[ -]\p{Lu}\p{Ll}[\p{L}'-]*)?\s+(?:(?:de|d'|le|la|du|di|van)\s*)?\p{Lu}[\p{Lu}'’-]+"
    r"(?:[ -](?:\p{Lu}[\p{Lu}'’-]{2,}|\p{Lu}{1,2}(?![\p{L}'’-]|[ \t]+\p{L})))*"
)
_NEXT = r"(?:[^\n]+(?:\n(?![ \t]*(?:M\.|Mme|Mlle|Monsieur|Madame)\s)[^\n]{1,40}(?=\n|$))?)"
_ROW = regex.compile(
    rf"^[ \t]*(?P<civ>M\.|Mme|Mlle|Monsieur|Madame)\s+(?P<name>{_ROW_NAME})(?:\s*\((?:suppl[ée]ante?|titulaire)\))?"
    rf"[^\n]*?\s(?:(?P<excused_sub>Excus[ée]e?,?\s+suppl[ée]{{2}}e?\s+par\s+(?P<sub>{_NEXT}))"
    rf"|(?P<proxy>(?:Pouvoir|Procuration)\s+(?:donn[ée]e?\s+)?(?:à|a)\s+(?P<to>{_NEXT}))"
    rf"|(?P<word>Pr[ée]sente?|Excus[ée]e?|Absente?|Repr[ée]sent[ée]e?))[ \t]*$",
    regex.MULTILINE,
)
_ROW_STATUS = {"pre": "present", "pré": "present", "exc": "excused", "abs": "absent", "rep": "represented", "rép": "represented"}


def _table_rows(text: str) -> list[Attendee]:
    people = []
    for row in _ROW.finditer(text):
        civility = CIVILITIES[row["civ"].rstrip(".").lower()]
        common = dict(start=row.start("name"), end=row.end(), text=row.group(0))
        if row["excused_sub"]:
            substitute = clean_name(" ".join(row["sub"].split()))
            people.append(Attendee(name=row["name"], civility=civility, status="excused", **common))
            if substitute:
                people.append(Attendee(name=substitute, civility=split_civility(row["sub"])[0],
                                       status="present", substitute_for=row["name"], **common))
        elif row["proxy"]:
            people.append(Attendee(name=row["name"], civility=civility, status="represented",
                                   proxy_to=clean_name(" ".join(row["to"].split())), **common))
        else:
            status = _ROW_STATUS[row["word"][:3].lower()]
            people.append(Attendee(name=row["name"], civility=civility, status=status, **common))
    return people


def _sections(text: str) -> list[tuple[str, int, int]]:
    heads: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for status, pattern in SECTIONS:
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            heads.append((match.start(), match.end(), status))
    heads.sort()
    sections = []
    for index, (_, body_start, status) in enumerate(heads):
        next_head = heads[index + 1][0] if index + 1 < len(heads) else len(text)
        stop = _LIST_END.search(text, body_start, next_head)
        # A heading alone on its line ("• Délégués titulaires :") is followed by a blank line;
        # and OCR puts stray blank lines inside lists: a list goes on after a blank line when
        # the line before it ends on a separator or a civility, or the next one starts with one.
        while stop and (
            not text[body_start:stop.start()].strip()
            or (not stop.group(0).strip(" \t\n.") and _LIST_GOES_ON.search(text, 0, stop.start())
                and stop.group(0).count("\n") > 1)
            or (stop.group(0).count("\n") > 1 and _LIST_RESUMES.match(text, stop.end()))
        ):
            stop = _LIST_END.search(text, stop.end(), next_head)
        end = stop.start() if stop else next_head
        sections.append((status, body_start, min(end, body_start + 4000)))
    return sections


def _parse_section(text: str, start: int, end: int, status: str) -> list[Attendee]:
    people = _parse_items(text, start, end, status)
    full = sum(" " in p.name for p in people)
    if full >= 2:  # a lone capitalised word among full names is a label, not a person
        people = [p for p in people if " " in p.name or p.substitute_for or p.proxy_to]
    return people


def _parse_items(text: str, start: int, end: int, status: str) -> list[Attendee]:
    people: list[Attendee] = []
    list_civility: str | None = None
    position = start
    items = _ITEM_SPLIT.split(_unwrap(text[start:end]))
    if _first_names_first(items):
        # "Mustapha MAJDOUL Hélène MANDROUX": a missing comma between two names.
        items = [part for item in items for part in _BETWEEN_NAMES.split(item)]
    for item in items:
        item_start = text.find(item, position, end) if item else -1
        if item_start >= 0:
            position = item_start + len(item)
        item = item.strip(" .:*")
        if ":" in item and not _PROXY.match(item):
            item = item.rsplit(":", 1)[1].strip()  # "- Frangy : M. Paul VIOLLET": a commune label
        if not item or _NONE.match(item):
            continue
        civility, rest, plural = split_civility(item)
        if plural:
            list_civility = civility
        elif civility:
            list_civility = None
        civility = civility or list_civility
        people.extend(_parse_item(rest, civility, status, max(item_start, start)))
    return people


_FIRST_LAST = regex.compile(r"^(?:(?:M\.?|Mme|Mlle)\s+)?\p{Lu}\p{Ll}[\p{L}'-]*(?:\s+\p{Lu}\p{Ll}[\p{L}'-]*)?\s+\p{Lu}{2,}")
_BETWEEN_NAMES = regex.compile(r"(?<=\b\p{Lu}{2,}[\p{Lu}'-]*)\s+(?=(?:(?:M\.?|Mme|Mlle)\s+)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\s+(?:(?:de|d'|le|la|van|von|di|da)\s+)?\p{Lu}{2,})")


def _first_names_first(items: list[str]) -> bool:
    """Is the list written "Firstname SURNAME"? Then a space between two names is a lost comma."""
    named = [i.strip() for i in items if i.strip()]
    return len(named) >= 4 and sum(bool(_FIRST_LAST.match(i)) for i in named) >= 0.7 * len(named)


def _unwrap(section: str) -> str:
    """Join wrapped lines when the list has its own separators; one name per line otherwise.

    Same length as the input, so offsets still point into the text.
    """
    separators = len(regex.findall(r"\s[–—-]\s|[,;•]", section))
    if separators >= section.strip().count("\n"):
        return section.replace("\n", " ")
    return section


def _parse_item(item: str, civility: str | None, status: str, at: int) -> list[Attendee]:
    def make(name: str, civ: str | None, st: str, **extra) -> Attendee:
        return Attendee(start=at, end=at + len(item), text=item, name=name, civility=civ,
                        status=st, **extra)

    if match := _SUBSTITUTE.match(item):
        who, of = clean_name(match["who"]), clean_name(match["of"])
        out = []
        if who:
            out.append(make(who, civility, "present", substitute_for=of))
        if of:
            out.append(make(of, split_civility(match["of"])[0], "excused"))
        return out
    proxy = _PROXY.match(item) or (status == "represented" and _PROXY_SHORT.match(item))
    if proxy:
        who, to = clean_name(proxy["who"]), clean_name(proxy["to"])
        if not who:
            return []
        return [make(who, civility, "represented", proxy_to=to)]
    name = clean_name(item)
    if not name:
        return []
    final = "present" if status == "substitute" else status
    return [make(name, civility, final)]


def _merge(people: list[Attendee]) -> list[Attendee]:
    """One entry per person: the most specific status wins, details are kept from any mention."""
    merged: dict[str, Attendee] = {}
    for person in people:
        key = normalize_name(person.name)
        old = merged.get(key)
        if old is None:
            merged[key] = person
            continue
        best, other = (person, old) if STATUS_RANK[person.status] > STATUS_RANK[old.status] else (old, person)
        merged[key] = Attendee(
            start=old.start, end=old.end, text=old.text, name=old.name,
            civility=old.civility or person.civility, status=best.status,
            substitute_for=best.substitute_for or (other.substitute_for if best.status == "present" else None),
            proxy_to=best.proxy_to or (other.proxy_to if best.status == "represented" else None),
        )
    return list(merged.values())


_PRESIDENT = regex.compile(
    r"(?:sous\s+la\s+pr[ée]sidence\s+de|pr[ée]sid[ée]e?\s+par|pr[ée]sidence\s*:)\s*"
    r"(?P<who>(?:(?:Monsieur|Madame|M\.|Mme)\s+)?(?:(?:le|la)\s+(?:\S+\s+){0,3}?(?:Maire|Pr[ée]sidente?|Vice-?\s?[Pp]r[ée]sidente?|doyen(?:ne)?\s+d'[âa]ge(?:\s+de\s+l'[Aa]ssembl[ée]e)?|adjointe?)\s*,?\s*)?"
    r"[^,.;\n]*(?:\n[^,.;\n]*)?)",
    regex.IGNORECASE,
)
_SECRETARY = (
    regex.compile(
        r"secr[ée]taires?\s+de\s+s[ée]ance\s*(?:\([^)]*\)\s*)?[:\-–]?\s*(?P<who>(?:(?:M|MM|Mme|Mlle)\.\s*)?[^.;\n]+)",
        regex.IGNORECASE,
    ),
    regex.compile(
        r"(?P<who>(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s*)?\p{Lu}[\p{L}' -]+?)\s*,?\s+(?:a\s+[ée]t[ée]|est|a\s+[ée]t[ée]\s+[ée]lue?|est\s+[ée]lue?)\s+"
        r"(?:d[ée]sign[ée]e?|nomm[ée]e?|[ée]lue?)\s+(?:(?:comme|en\s+qualit[ée]\s+de|pour\s+remplir\s+les\s+fonctions\s+de)\s+)?secr[ée]taire",
        regex.IGNORECASE,
    ),
    regex.compile(
        r"(?:candidature\s+de|d[ée]signe)\s+(?P<who>(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s*)?\p{Lu}[\p{L}' -]+?)\s*,?\s+"
        r"(?:en\s+qualit[ée]\s+de|comme|pour\s+(?:être|remplir\s+les\s+fonctions\s+de))\s+secr[ée]taire",
        regex.IGNORECASE,
    ),
)


def find_president(text: str) -> Role | None:
    match = _PRESIDENT.search(text)
    if not match:
        return None
    raw = match["who"]
    raw = regex.sub(
        r"^(?:(?:Monsieur|Madame|M\.|Mme)\s+)?(?:(?:le|la)\s+(?:\S+\s+){0,3}?(?:Maire|Pr[ée]sidente?|Vice-?\s?[Pp]r[ée]sidente?|doyen(?:ne)?\s+d'[âa]ge(?:\s+de\s+l'[Aa]ssembl[ée]e)?|adjointe?)\s*,?\s*)",
        "", raw, flags=regex.IGNORECASE,
    )
    name = clean_name(raw.replace("\n", " "))
    return Role(start=match.start("who"), end=match.end("who"), text=match["who"], name=name) if name else None


def find_secretary(text: str) -> Role | None:
    for pattern in _SECRETARY:
        for match in pattern.finditer(text):
            name = clean_name(match["who"])
            if name:
                return Role(start=match.start("who"), end=match.end("who"), text=match["who"], name=name)
    return None


__all__ = ["Attendee", "Role", "find_attendance", "find_president", "find_secretary", "CIVILITY"]
