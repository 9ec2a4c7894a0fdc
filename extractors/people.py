"""Who presided, who was secretary, and who attended: the attendance lists.

Lists come in two families: the syndicats' ("• Délégués titulaires : M. A – M. B", "X, suppléant
de Y", "X donne pouvoir à Y", "Délégués excusés") and the communes' ("Étaient présents : Mmes A, B,
MM. C", "Absents ayant voté par procuration : …", "X (pouvoir à Y)"). Tables give one member a
row, with a status in words ("Présente", "Pouvoir à X", "Représenté par X", "Suppléé par X") or a
mark under a heading (Présent / Excusé / Absent, "Pouvoir à"); proxies are also stated in
sentences ("procuration de X à Y"). Each person is reported once, with the most specific status.

Every pattern has bounded cost: repetitions are bounded, names are possessive, and searches that
end on a keyword look back over a window of fixed size (see tests/test_extractor_cost.py).
"""
from __future__ import annotations

import bisect
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
# A heading's gender and number, also written inclusively: "Absent(s)", "Excusé(e)s", "Présent·e·s".
_G = r"(?:\([eé]\)\(s\)|\([eé]\)s|\([eé]s\)|e\(s\)|\([eé]\)|\(s\)|[·.]e[·.]s|[·.]e|es|e|s)?"  # OCR: "Excusé(é)s"
_CIV = r"(?:M\.|Mme|Mlle|Monsieur|Madame)"
# A section heading and the status it gives to the names listed under it. First match wins,
# so the specific headings ("absents excusés") come before the general ones ("absents").
# A heading opens a line (after an optional bullet) or follows a full stop or a dash;
# "à l'unanimité des membres présents et représentés :" is not one.
_HEADING_START = r"(?:(?<=^|\n)[ \t]*[•\-*+.·]?[ \t]*|(?<=[.;–—][ \t]))"
SECTIONS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    # "Etaient absents excusés :" as well as "Absents excusés :"; one person: "Était excusée :".
    (status, regex.compile(_HEADING_START + rf"(?:{_A}tai(?:en)?t\s+)?(?:" + pattern + ")", regex.IGNORECASE | regex.MULTILINE))
    for status, pattern in (
        ("represented", rf"(?:(?:absent|excus{_A}){_G}\s+)?(?:ayant\s+(?:voté\s+par\s+procuration|donné\s+(?:pouvoir|procuration)(?:\s+[àa])?)|repr{_A}sent{_A}e?s?|(?:d{_A}l{_A}gu{_A}s\s+)?repr{_A}sent{_A}s)(?:\s+en\s+application[^:\n]{{0,120}}(?:\n[^:\n]{{0,120}})?)?\s*:"),
        ("represented", r"^\s*[•\-*]?\s*(?:pouvoirs?|procurations?|ont\s+donn[ée]\s+(?:pouvoir|procuration)|a\s+donn[ée]\s+(?:pouvoir|procuration))\s*:(?!\s*\d)"),
        ("excused", rf"(?:absent{_G}\s+excus{_A}{_G}|absent(?:s|\(s\))?\s+et\s+absent(?:s|\(s\))?\s+excus{_A}(?:s|\(s\))?|(?:d{_A}l{_A}gu{_A}s|membres|conseillers)\s+excus{_A}s|^\s*[•\-*]?\s*excus{_A}{_G}|(?<={_A}tai(?:en)?t\s{{1,3}})excus{_A}{_G})\s*:"),
        ("absent", rf"(?:absent{_G}(?:\s+non\s+excus{_A}{_G})?|non\s+excus{_A}{_G}|(?:d{_A}l{_A}gu{_A}s|membres|conseillers)\s+absents)\s*:(?!\s*\d)"),
        # A heading alone on its line, without its colon: "Absent" / "Hélène".
        ("absent", r"^[ \t]*absent" + _G + r"[ \t]*(?=\n[ \t]*\p{Lu})"),
        ("substitute", rf"(?:d{_A}l{_A}gu{_A}e?s?\s+)?suppl{_A}ante?s?(?:\s+pr{_A}sente?s?)?\s*:"),
        ("present", rf"(?:{_A}tai(?:en)?t\s+pr{_A}sent{_G}|(?:membres|d{_A}l{_A}gu{_A}s|conseillers)\s+(?:titulaires\s+)?pr{_A}sents|(?:d{_A}l{_A}gu{_A}s\s+)?titulaires(?:\s+pr{_A}sents)?|^\s*[•\-*+]?\s*pr{_A}sent{_G}|assistaient)\s*:(?!\s*\d)"),
    )
)

# Where a list stops: a blank line, or a line that opens something else.
_LIST_END = regex.compile(
    r"\n\s*\n|\n(?=\s*(?:secr[ée]taire|le\s+(?:conseil|comit[ée]|bureau|pr[ée]sident|maire|quorum)|"
    r"la\s+s[ée]ance|vu\b|objet|nombre|ordre\s+du\s+jour|apr[èe]s|monsieur\s+\S+\s+rapporte|"
    r"(?-i:(?:(?:Le|La|Les)[ \t]+|L['’])\p{Ll}{3,})|"  # a sentence: "Le secrétaire de mairie … était présent"
    r"date|d[ée]lib[ée]ration|votants|membres\s+en|convocation|rapporteur|s[ée]ance|"
    r"(?-i:\p{Lu}[\p{Lu} \t'-]{12,120}$)|[IVX]+\s*[-–.]\s|"  # a heading in capitals (case matters)
    # "Nicole RODRIGUEZ a été désignée secrétaire de séance.": the next sentence, about a person
    r"[^\n]{0,60}?\s(?:[aà]\s+[ée]t[ée]|est)\s+(?:d[ée]sign|nomm|[ée]lu)))|"
    # A list written as a sentence ends with its full stop ("M." and "MM." are not one).
    r"(?<!\b(?:M|MM|Mme|Mmes|Mlle|St|Ste))\.[ \t]*(?=\n|[ \t]+(?:\p{Lu}\p{Ll}+[ \t]*:|(?:M\.|Mme|MM\.)\s*\p{Lu}[^,\n]{0,40}\s(?:a\s+été|est)\s))",
    regex.IGNORECASE | regex.MULTILINE,
)
_LIST_GOES_ON = regex.compile(r"(?:[,;–—-]|\b(?:M|MM|Mme|Mmes|Mlle)\.?)[ \t]*\Z")
# After a blank line, a list goes on with a person ("– Mme X", "M. Y"), not with "- Approbation …".
_LIST_RESUMES = regex.compile(
    r"[ \t]*(?:[–—-][ \t]+)?(?:(?:M\.|Mme|Mlle|MM\.|Mmes)[ \t]+\p{Lu}|\p{Lu}\p{Ll}[\p{L}'-]{0,30}+[ \t]+\p{Lu}{2})"
)
_ITEM_SPLIT = regex.compile(r"\s+[–—-]{1,3}\s+|\s*[;•]\s*|\s+[&/]\s+|\n|,(?!\s*(?:suppl|en\s+remplacement|procuration|pouvoir|excus[ée]))\s*|"
                            # "Hervé Brunel à Denis Valck. Rémi Lejop à …": a full stop between items
                            r"(?<!\b(?:M|MM|Mme|Mmes|Mlle|Mr|Mrs|St|Ste|Me|Dr|\p{Lu}))\.\s+(?=\p{Lu}\p{Ll})|(?<!\b(?:Mmes|Mesdames|MM|Messieurs|Ms)\.?)\s+et\s+(?=(?:M\.?|Mme|Mlle|MM\.?|Monsieur|Madame)?\s*\p{Lu})")
_SUBSTITUTE = regex.compile(
    r"^(?P<who>.+?),?\s+(?:suppl[ée]ante?\s+d[e']|en\s+remplacement\s+d[e']|rempla[çc]ante?\s+d[e']|suppl[ée]ant\s+de)\s*(?P<of>.+)$",
    regex.IGNORECASE,
)
_PROXY = regex.compile(
    # "a donné": the "a" is a word of its own, not the last letter of "BARGADA".
    # "(pouvoir donné à Agnès)"; "(pas de pouvoir donné)" is none.
    r"^(?P<who>.+?)(?:\s+a(?=\s))?\s*\(?\s*(?:donn[ée]\s+|donne\s+)?(?<!pas\s+de\s+)(?:pouvoir|procuration|représentée?\s+par)\s+(?:donn[ée]e?\s+)?(?:(?:à|a|de)(?=\s)\s*)?(?P<to>[^)]+)\)?\s*$",
    regex.IGNORECASE,
)
# Under a heading of proxies: "X à Y", the holder with or without a civility.
_PROXY_SHORT = regex.compile(r"^(?P<who>.+?)\s+(?:à|a|par)\s+(?P<to>(?:(?:M\.?|Mme|Mlle|Monsieur|Madame)\s*)?\p{Lu}.+)$")
_NONE = regex.compile(r"^\s*(?:n[ée]ant|aucun(?:e)?|sans\s+objet)\s*\.?\s*$", regex.IGNORECASE)


def find_attendance(text: str) -> list[Attendee]:
    """Everyone named in the attendance lists, once each, with the most specific status."""
    found: list[Attendee] = []
    for status, start, end in _sections(text):
        found.extend(_parse_section(text, start, end, status))
    found.extend(_table_rows(text))
    known = {normalize_name(p.name): p.name for p in found}
    found.extend(_grid_rows(text, known))
    found.extend(_proxy_sentences(text))
    found.extend(_status_lines(text))
    return _merge(_marked_proxies(found))


# "Maryline : absente non excusée", "M. Paul DURAND : excusé": a member and a status on a line.
_STATUS_LINE = regex.compile(
    r"""^[ \t]*(?P<who>(?:(?:M\.|Mme|Mlle|Monsieur|Madame)[ \t]+)?\p{Lu}[\p{L}'’-]{1,30}+(?:[ \t]+\p{Lu}[\p{L}'’-]{1,30}+){0,3})
        [ \t]*:[ \t]*
        (?P<status>(?i:absente?s?(?:[ \t]+non[ \t]+excus[ée]e?s?)?|excus[ée]e?s?|absente?[ \t]+excus[ée]e?|pr[ée]sente?))
        [ \t.]*$""",
    regex.MULTILINE | regex.VERBOSE,
)


def _status_lines(text: str) -> list[Attendee]:
    people = []
    for line in _STATUS_LINE.finditer(text):
        name = clean_name(line["who"])
        if not name:
            continue
        word = line["status"].lower()
        status = "excused" if "excus" in word and "non" not in word else "absent" if "abs" in word else "present"
        people.append(Attendee(start=line.start("who"), end=line.end(), text=line.group(0), name=name,
                               civility=split_civility(line["who"])[0], status=status))
    return people


# "Présents : Jean-Pierre (Pr*), Agnès (Pr**) … Excusés : David (Pr*), Marielle (Pr**)": the same
# mark pairs the absent member with the present one who holds the proxy.
_PROXY_MARK = regex.compile(r"\((?:Pr|Pouv|Proc)[^)\d*]{0,12}?(?P<m>\*{1,6}|\d{1,2})\)")


def _marked_proxies(people: list[Attendee]) -> list[Attendee]:
    marks: dict[str, list[Attendee]] = {}
    for person in people:
        if match := _PROXY_MARK.search(person.text[:200]):
            marks.setdefault(match["m"], []).append(person)
    out = []
    for person in people:
        match = _PROXY_MARK.search(person.text[:200])
        holders = [p for p in marks.get(match["m"], []) if p.status == "present"] if match else []
        if match and person.status in ("excused", "absent") and len(holders) == 1:
            person = Attendee(start=person.start, end=person.end, text=person.text, name=person.name,
                              civility=person.civility, status="represented", proxy_to=holders[0].name)
        out.append(person)
    return out


# An attendance table, one member per row: "M. Régis DUCRUET  Thonon Agglomération  Présent".
# Surname words in capitals; a short one before a capitalised word is the next cell ("CC Pays…").
# Possessive words: a name never gives back its letters or hyphens (no backtracking blow-up).
_ROW_NAME = (
    r"\p{Lu}\p{Ll}[\p{L}'-]{0,30}+(?:[ -]\p{Lu}\p{Ll}[\p{L}'-]{0,30}+)?\s{1,3}(?:(?:de|d'|le|la|du|di|van)\s{0,3})?\p{Lu}[\p{Lu}'’-]{1,40}+"
    # More capital words; a short one ends the name ("LE GLOU", "N'GUYEN B"), but not a grid's
    # mark "X" nor the "M." of the next name.
    r"(?:[ -](?:\p{Lu}[\p{Lu}'’-]{2,40}+|(?:\p{Lu}{2}|(?![XM])\p{Lu})(?![\p{L}'’.-]|[ \t]+\p{L}))){0,4}+"
)
_NEXT = r"(?:[^\n\f]{1,120}+(?:\n(?![ \t]*(?:M\.|Mme|Mlle|Monsieur|Madame)\s)[^\n\f:]{1,40}(?=\n|$))?)"
_ROW = regex.compile(
    rf"""
    ^[ \t]*(?P<civ>M\.|Mme|Mlle|Monsieur|Madame)\s{{1,3}}(?P<name>{_ROW_NAME})
    (?:\s*\((?:suppl[ée]ante?|titulaire)\))?
    [^\n\f]{{0,120}}?[ \t]                                         # other cells (collectivité …)
    (?:(?P<excused_sub>Excus[ée]e?,?\s+suppl[ée]{{2}}e?\s+par\s+(?P<sub>{_NEXT}))   # Excusé, suppléé par X
      |(?P<sub_only>Suppl[ée]{{2}}e?\s+par\s+(?P<sub2>{_NEXT}))                    # Suppléé par X
      |(?P<proxy>(?:(?:Excus[ée]e?|Absente?)[ \t]*[,–—-]?[ \t]*(?:[Pp]ouvoir|[Pp]rocuration)|Pouvoir|Procuration)[ \t]+(?:donn[ée]e?[ \t]+)?(?:à|a)[ \t]+(?P<to>{_NEXT}))
      |(?P<rep_by>Repr[ée]sent[ée]e?\s+par\s+(?P<by>{_NEXT}))                        # Représenté par X
      |(?P<word>Absente?\s+excus[ée]e?|Pr[ée]sente?|Excus[ée]e?|Absente?|Repr[ée]sent[ée]e?))
    [ \t]*$""",
    regex.MULTILINE | regex.VERBOSE,
)
_ROW_STATUS = {"pre": "present", "pré": "present", "exc": "excused", "abs": "absent", "rep": "represented", "rép": "represented"}


def _table_rows(text: str) -> list[Attendee]:
    people = []
    for row in _ROW.finditer(text):
        civility = CIVILITIES[row["civ"].rstrip(".").lower()]
        common = dict(start=row.start("name"), end=row.end(), text=row.group(0))
        substitute_text = row["sub"] or row["sub2"]
        if substitute_text:
            substitute = clean_name(" ".join(substitute_text.split()))
            people.append(Attendee(name=row["name"], civility=civility, status="excused", **common))
            if substitute:
                people.append(Attendee(name=substitute, civility=split_civility(substitute_text)[0],
                                       status="present", substitute_for=row["name"], **common))
        elif row["proxy"] or row["rep_by"]:
            to = clean_name(" ".join((row["to"] or row["by"]).split()))
            people.append(Attendee(name=row["name"], civility=civility, status="represented",
                                   proxy_to=to, **common))
        else:
            word = row["word"].lower()
            status = "excused" if "excus" in word else _ROW_STATUS[word[:3]]
            people.append(Attendee(name=row["name"], civility=civility, status=status, **common))
    return people


# A grid: a heading row of status columns, then one row per member with a mark under one of them
# ("M. Jean DUPONT  X") and, in a "Pouvoir à" column, the member who holds the proxy.
_GRID_LABELS = regex.compile(
    r"""
    (?P<present>pr[ée]sent(?:e|s|es|\(e\)|\(s\))?)
    | (?P<excused>excus[ée](?:e|s|es|\(e\)|\(s\))?)
    | (?P<absent>absent(?:e|s|es|\(e\)|\(s\))?)
    | (?P<nothing>ni[ \t]+pouvoir(?:[ \t]+ni[ \t]+suppl[ée]ante?)?)        # "Ni pouvoir ni suppléant"
    | (?P<proxy>(?:pouvoirs?|procurations?)(?:[ \t]+(?:donn[ée]e?s?[ \t]+)?[àa])?|repr[ée]sent[ée](?:e|s|es|\(e\))?(?:[ \t]+par)?)
    """,
    regex.IGNORECASE | regex.VERBOSE,
)
_MARK = regex.compile(r"(?<![^ \t])[Xx✓✔×](?![^ \t\n])")
_GRID_ROW = regex.compile(
    rf"^[ \t]*(?:(?P<civ>M\.|Mme|Mlle|Monsieur|Madame)\s{{1,3}})?(?P<name>{_ROW_NAME}|\p{{Lu}}[\p{{Lu}}'’-]{{1,40}}+(?:[ \t]\p{{Lu}}[\p{{Lu}}'’-]{{1,40}}+){{0,2}}+[ \t]\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]{{0,30}}+)"
)
_PROXY_NAME = regex.compile(rf"(?:M\.|Mme|Mlle|Monsieur|Madame)\s{{1,3}}(?:{_ROW_NAME})|{_ROW_NAME}")


_LINE = regex.compile(r"[^\n\f]++")  # a line; a page break ends one too


def _grid_rows(text: str, known: dict[str, str] | None = None) -> list[Attendee]:
    """Members of attendance grids; a table continued on the next page under a repeated
    heading goes on with that heading's columns.

    Where the line keeps the columns' positions (cells apart by runs of spaces), a mark belongs
    to the heading whose centre is nearest. Read as single-spaced text, a lone mark says which
    column only when the grid has one column of marks: other rows are left out, not guessed.
    """
    people: list[Attendee] = []
    columns: list[tuple[str, float]] | None = None
    member_status: str | None = None
    for found in _LINE.finditer(text):
        line, line_start = found.group(0), found.start()
        labels = [(m.lastgroup, (m.start() + m.end()) / 2) for m in _GRID_LABELS.finditer(line[:200])]
        if len(labels) >= 2 and len(line) <= 200 and _only_headings(line):
            columns = labels
            # "Absents  Suppléant  Pouvoir donné à": the members' own column says their status.
            first = _GRID_LABELS.match(line.strip())
            member_status = first.lastgroup if first and first.lastgroup != "proxy" else None
            continue
        if columns is None:
            continue
        if not line.strip():
            continue
        row = _GRID_ROW.match(line)
        if row and not (row["civ"] or regex.search(r"\p{Lu}{2}", row["name"])):
            row = None  # "Laurence Boyer Yves Meunier": two names in title case, see below
        if row:
            people.extend(_grid_person(text, line, row, columns, member_status, line_start))
        elif titled := _titled_row(text, line, line_start, columns, member_status, known or {}):
            people.extend(titled)
        elif len(line.strip()) > 40:
            columns = None  # prose: the grid has ended
    return people


_TITLED_WORDS = regex.compile(r"\p{Lu}\p{Ll}[\p{L}'’-]{0,30}+(?:[ \t]+(?:de|du|d'|le|la)?[ \t]*\p{Lu}[\p{L}'’-]{1,30}+){1,5}")


def _titled_row(text: str, line: str, at: int, columns: list[tuple[str, float]], member_status: str | None,
                known: dict[str, str]) -> list[Attendee]:
    """A grid row of names in title case ("Marie-France Catheland Muriel Marcellin"): where one
    name ends and the next begins is told by the members already listed as present, who hold
    the proxies and the substitutions. A member whose own name heads the column ("Absents")
    has that status unless the row says more."""
    names = _TITLED_WORDS.match(line.strip())
    if not names:
        return []
    words = names.group(0).split()
    member, holder = words, None
    for size in (4, 3, 2):
        tail = normalize_name(" ".join(words[-size:]))
        if len(words) - size >= 2 and tail in known:
            member, holder = words[:-size], known[tail]
            break
    member_name = clean_name(" ".join(member))
    if not member_name or len(member) > 4:
        return []
    common = dict(start=at, end=at + len(line), text=line, civility=None)
    kinds = [kind for kind, _ in columns]
    if holder:
        if _named_substitute(text, holder, " ".join(member)):
            return [Attendee(name=member_name, status="excused", **common),
                    Attendee(name=holder, status="present", substitute_for=member_name, **common)]
        if "proxy" in kinds:
            return [Attendee(name=member_name, status="represented", proxy_to=holder, **common)]
        return []
    marks = list(_MARK.finditer(line))
    mark_kinds = {kind for kind in kinds if kind != "proxy"}
    status = (next(iter(mark_kinds)) if len(mark_kinds) == 1 else member_status) if len(marks) == 1 else None
    return [Attendee(name=member_name, status=status, **common)] if status in STATUS_RANK else []





# A grid's heading row holds column names only: "Nom Prénom Présent Excusé Absent Pouvoir à".
_COLUMN_WORDS = regex.compile(
    r"\b(?:noms?|pr[ée]noms?|conseill[eè]re?s?(?:\s+municipaux)?|[ée]lu(?:e|s|es)?|membres?|d[ée]l[ée]gu[ée](?:e|s|es)?|"
    r"titulaires?|suppl[ée]ants?|collectivit[ée]s?|communes?|qualit[ée]|fonctions?|signatures?|[ée]margement|"
    r"observations?|statut|pr[ée]sence|mandataire|ni)\b",
    regex.IGNORECASE,
)


def _only_headings(line: str) -> bool:
    rest = _COLUMN_WORDS.sub(" ", _GRID_LABELS.sub(" ", line))
    return ":" not in line and not regex.search(r"\p{L}", rest)


def _grid_person(text: str, line: str, row: regex.Match, columns: list[tuple[str, float]],
                 member_status: str | None, at: int) -> list[Attendee]:
    rest_start = row.end()
    marks = list(_MARK.finditer(line, rest_start))
    proxy = None
    if any(kind == "proxy" for kind, _ in columns):
        after = _PROXY_NAME.search(line, (marks[-1].end() if marks else rest_start))
        proxy = clean_name(" ".join(after.group(0).split())) if after else None
    civility = CIVILITIES[row["civ"].rstrip(".").lower()] if row["civ"] else None
    common = dict(start=at + row.start("name"), end=at + len(line), text=line, name=row["name"], civility=civility)
    if proxy:
        if _named_substitute(text, proxy, row["name"]):
            return [Attendee(status="excused", **common),
                    Attendee(start=common["start"], end=common["end"], text=line, name=proxy,
                             civility=split_civility(after.group(0))[0], status="present",
                             substitute_for=row["name"])]
        return [Attendee(status="represented", proxy_to=proxy, **common)]
    if len(marks) != 1:
        return []
    mark_columns = [(kind, centre) for kind, centre in columns if kind not in ("proxy", "nothing")]
    if regex.search(r"[ \t]{2,}", line[rest_start:]):  # the layout kept the columns
        centre = (marks[0].start() + marks[0].end()) / 2
        kind = min(columns, key=lambda c: abs(c[1] - centre))[0]
    elif len(mark_columns) == 1:
        kind = mark_columns[0][0]
    elif not mark_columns and member_status:
        kind = member_status  # the only marks say "neither proxy nor substitute"
    else:
        return []
    if kind == "nothing":
        kind = member_status
    if kind not in STATUS_RANK:
        return []
    return [Attendee(status="represented" if kind == "proxy" else kind, **common)]


def _named_substitute(text: str, holder: str, member: str) -> bool:
    """Does the document name `holder` as `member`'s substitute ("Sylvie BEN HADJ (suppléante de
    M. Guy ROLLAND)")? Read as single-spaced text, a grid's "Suppléant" and "Pouvoir à" cells
    look alike: this tells them apart."""
    pattern = (rf"{regex.escape(holder)}[ \t,(]{{1,3}}suppl[ée]ante?(?:[ \t]+d[e'’])?[ \t]*"
               rf"(?:(?:M\.|Mme|Mlle|Monsieur|Madame)[ \t]+)?{regex.escape(member)}")
    return bool(regex.search(pattern, text, regex.IGNORECASE))


# "UPPHOFF Valérie", "LE GOFF Didier"
_SURNAME_FIRST = r"\p{Lu}[\p{Lu}'’-]{1,40}+(?:[ \t]\p{Lu}[\p{Lu}'’-]{1,40}+){0,2}+[ \t]+\p{Lu}\p{Ll}[\p{L}'’-]{0,30}+"
# A surname alone, only ever after a civility: "Mme DUMONT", "M. N'DIAYE", "Mme DE SOUSA".
_SURNAME_ONLY = r"\p{Lu}[\p{Lu}'’-]{1,40}+(?:[ \t]\p{Lu}[\p{Lu}'’-]{1,40}+)?+(?!\p{L})"
_PERSON = rf"(?:{_CIV}\s{{1,3}}(?:{_ROW_NAME}|{_SURNAME_FIRST}|{_SURNAME_ONLY})|{_ROW_NAME}|{_SURNAME_FIRST})"
# A proxy stated in a sentence, wherever it stands: "M. X donne pouvoir à M. Y",
# "procuration de Mme X à M. Y", "Mme X, représentée par M. Y".
_PROXY_SENTENCE = regex.compile(
    rf"""
    (?:(?:[Pp]rocuration|[Pp]ouvoir)\s{{1,3}}(?:de|d')\s{{0,3}}(?P<who1>{_PERSON})\s{{1,3}}(?:à|a)\s{{1,3}}
       (?P<to1>{_PERSON})
     | (?P<who2>{_CIV}\s{{1,3}}(?:{_ROW_NAME}|{_SURNAME_FIRST}|{_SURNAME_ONLY})
                # without a civility, only where a list item starts: "Procurations Catherine VINAS donne …",
                # "COLIN Brigitte donne pouvoir à LANGLOIS Hervé."
                | (?:(?<=^|\n|[,;:–—]\s|[Pp]rocurations?[ \t]|[Pp]ouvoirs?[ \t])[ \t]*)
                  (?!(?i:procurations?|pouvoirs?|absents?|excus[ée]s?)\b)(?:{_ROW_NAME}|{_SURNAME_FIRST}))\s{{0,3}},?\s{{1,3}}
       (?:(?:a\s{{1,3}})?donn[ée]?e?\s{{1,3}}(?:pouvoir|procuration)\s{{1,3}}(?:à|a)|repr[ée]sent[ée]e?\s{{1,3}}par)\s{{1,3}}
       (?P<to2>{_PERSON}))
    """,
    regex.VERBOSE,
)


def _proxy_sentences(text: str) -> list[Attendee]:
    people = []
    for match in _PROXY_SENTENCE.finditer(text):
        who_text, to_text = (match["who1"], match["to1"]) if match["who1"] else (match["who2"], match["to2"])
        who_text, to_text = " ".join(who_text.split()), " ".join(to_text.split())
        who, to = clean_name(who_text), clean_name(to_text)
        if who and to:
            people.append(Attendee(start=match.start(), end=match.end(), text=match.group(0), name=who,
                                   civility=split_civility(who_text)[0], status="represented", proxy_to=to))
    return people


def _sections(text: str) -> list[tuple[str, int, int]]:
    heads: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []  # sorted, disjoint: where an earlier pattern matched
    for status, pattern in SECTIONS:
        new = []
        for match in pattern.finditer(text):
            index = bisect.bisect_right(taken, (match.start(), len(text) + 1)) - 1
            if index >= 0 and taken[index][0] <= match.start() < taken[index][1]:
                continue
            new.append((match.start(), match.end()))
            heads.append((match.start(), match.end(), status))
        taken = sorted(taken + new)
    heads.sort()
    sections = []
    for index, (_, body_start, status) in enumerate(heads):
        next_head = heads[index + 1][0] if index + 1 < len(heads) else len(text)
        if not _lists_people(text, body_start, next_head):
            continue
        stop = _LIST_END.search(text, body_start, next_head)
        # A heading alone on its line ("• Délégués titulaires :") is followed by a blank line;
        # and OCR puts stray blank lines inside lists: a list goes on after a blank line when
        # the line before it ends on a separator or a civility, or the next one starts with one.
        while stop and (
            not text[body_start:stop.start()].strip()
            or (not stop.group(0).strip(" \t\n.") and _LIST_GOES_ON.search(text, max(0, stop.start() - 12), stop.start())
                and stop.group(0).count("\n") > 1)
            or (stop.group(0).count("\n") > 1 and _LIST_RESUMES.match(text, stop.end()))
        ):
            stop = _LIST_END.search(text, stop.end(), next_head)
        end = stop.start() if stop else next_head
        sections.append((status, body_start, min(end, body_start + 4000)))
    return sections


# What a list of people looks like at its start: a civility, a SURNAME, or "Prénom Nom," with
# a separator. "Absents :" left empty, followed by "Attribution de subventions", is not a list.
_PEOPLE_START = regex.compile(
    r"""
    [ \t]*+(?:[-–—−•*▪◦●➢][ \t]*)?
    (?:(?:Messieurs|Mesdames|Monsieur|Madame|Mmes?|Mlles?|MM|Mrs?|M)\b\.?    # a civility
      | [\p{Lu}][\p{Lu}'’-]{1,30}+\b(?![ \t]*:)                            # a SURNAME
      | [\p{Lu}8]\.\p{Lu}{2,30}+\b                                          # B.DUBOIS (OCR: 8.DUBOIS)
      | \p{Lu}\p{Ll}[\p{L}'’-]{0,30}+[ \t]++\p{Lu}[\p{L}'’-]{0,30}+[ \t]*+[,;–—-]   # Prénom Nom,
      | \p{Lu}\p{Ll}[\p{L}'’-]{0,30}+[ \t]*+(?:[,;–—-]|\n|$)                 # Surname alone, listed
      | \p{Lu}\p{Ll}[\p{L}'’-]{0,30}+[ \t]++\p{Lu}{2}[\p{Lu}'’-]{0,30}+\b      # Prénom NOM
      | n[ée]ant | aucun
      | [^\n:]{1,40}:[ \t]*(?:M\.|Mmes?\b|MM\b|Monsieur|Madame))                # "Frangy : M. Paul …"
    """,
    regex.VERBOSE,
)


def _lists_people(text: str, body_start: int, limit: int) -> bool:
    """Does the list after a heading start with a person (on its line or the next)?"""
    line_end = text.find("\n", body_start, limit)
    same_line = text[body_start:line_end if line_end >= 0 else limit]
    if same_line.strip():
        return True  # names on the heading's own line: the usual sentence style
    following = text[line_end + 1:limit] if line_end >= 0 else ""
    following = following.lstrip("\n \t")
    return bool(following) and bool(_PEOPLE_START.match(following[:120])) and not _NOT_A_LIST.match(following[:120])


# Words that open a section or an agenda item, not a list of people.
_NOT_A_LIST = regex.compile(
    r"[ \t]*(?:[-–•*▪][ \t]*)?(?:ordre\s+du\s+jour|attribution|taux|d[ée]termination|approbation|objet|"
    r"d[ée]lib[ée]ration|budget|compte|rapport|vote|question|d[ée]cision|subvention|tarif|convention|"
    r"secr[ée]taire|d[ée]signation|[ée]lection|point|information|nombre|date|s[ée]ance|quorum)\b|"
    # "Procuration :" left empty, then "Patricia MICHOT a été nommé secrétaire de séance".
    r"[^\n]{0,60}\b(?:a\s+[ée]t[ée]|est)\s+(?:nomm|d[ée]sign|[ée]lu)",
    regex.IGNORECASE,
)


def _parse_section(text: str, start: int, end: int, status: str) -> list[Attendee]:
    people = _parse_items(text, start, end, status)
    full = sum(" " in p.name for p in people)
    if full >= 2:  # a lone capitalised word among full names is a label, not a person
        # ... unless a civility names it: "Mme DE SOUSA, M. LECLERCQ" lists surnames alone.
        people = [p for p in people if " " in p.name or p.civility or p.substitute_for or p.proxy_to]
    return people


def _parse_items(text: str, start: int, end: int, status: str) -> list[Attendee]:
    people: list[Attendee] = []
    list_civility: str | None = None
    position = start
    items = [part for item in _ITEM_SPLIT.split(_DASHED_SURNAME.sub("-", _unwrap(text[start:end])))
             for part in _BETWEEN_INITIALED.split(item)]
    if _first_names_first(items):
        # "Mustapha MAJDOUL Hélène MANDROUX": a missing comma between two names.
        # Not inside "X donne procuration à Y": that is one item about two people.
        items = [part for item in items
                 for part in ([item] if _PROXY_WORDS.search(item) else _BETWEEN_NAMES.split(item))]
    for item in items:
        item_start = text.find(item, position, end) if item else -1
        if item_start >= 0:
            position = item_start + len(item)
        item = item.strip(" .:*")
        if ":" in item and not _PROXY.match(item):
            # "- Frangy : M. Paul VIOLLET": a commune's label before the name; "W.AUGUSTE :
            # adjoints": a role after it.
            label, named = (part.strip() for part in item.rsplit(":", 1))
            item = label if _ROLE_AFTER.fullmatch(named) and clean_name(label) else named
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


_ROLE_AFTER = regex.compile(
    r"(?:(?:le|la|les)\s+)?(?:maire|adjointe?s?|conseill[eè]re?s?|d[ée]l[ée]gu[ée]e?s?|(?:vice-?\s?)?pr[ée]sidente?)"
    r"(?:\s+\p{Ll}+){0,2}", regex.IGNORECASE)
# "P.SOLIER M.DENISE": names written initial-dot-SURNAME need no comma between them.
# ("adjoints S.MEARY": a role word before one, too).
_BETWEEN_INITIALED = regex.compile(
    r"(?<=\b\p{Lu}\.\p{Lu}{2,}[\p{Lu}'’-]{0,30}|\b(?i:adjointe?s?|maire|conseill[eè]re?s?|d[ée]l[ée]gu[ée]e?s?))"
    r"[ \t]+(?=\p{Lu}\.\p{Lu}{2,})")


# OCR's spaced hyphen inside a surname: "Philippe ROUVIER – COROUGE" is ROUVIER-COROUGE, not a
# member named COROUGE (a capitalised word followed by a first name, "PLUS Jean-Pierre", is one).
_DASHED_SURNAME = regex.compile(
    r"(?<=\b\p{Lu}\p{Ll}[\p{L}'-]{0,30}[ \t]+\p{Lu}{3,30})[ \t]+[–—-][ \t]+(?=\p{Lu}{3,30}\b(?![ \t]+\p{Lu}\p{Ll}|-))"
)
_PROXY_WORDS = regex.compile(r"pouvoir|procuration|repr[ée]sent[ée]|suppl[ée]|remplacement", regex.IGNORECASE)


def _first_names_first(items: list[str]) -> bool:
    """Is the list written "Firstname SURNAME"? Then a space between two names is a lost comma."""
    named = [i.strip() for i in items if i.strip()]
    return len(named) >= 4 and sum(bool(_FIRST_LAST.match(i)) for i in named) >= 0.7 * len(named)


def _unwrap(section: str) -> str:
    """Join wrapped lines when the list has its own separators; one name per line otherwise.

    Same length as the input, so offsets still point into the text.
    """
    separators = len(regex.findall(r"\s[–—-]\s|[,;•]|(?<![\p{Lu}M])\.\s+(?=\p{Lu}\p{Ll})", section))
    if separators >= section.strip().count("\n"):
        return section.replace("\n", " ")
    return section


_EXCUSED_AFTER = regex.compile(r"[ \t]*[,(][ \t]*excus[ée]e?s?[ \t]*\)?[ \t]*$", regex.IGNORECASE)


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
    excused = _EXCUSED_AFTER.search(item)
    if excused:  # "Monsieur Jean-Marc GOSSOT, excusé" in a list of absents
        item, status = item[:excused.start()], "excused" if status in ("absent", "present") else status
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
    # "Secrétaire de séance : Mme X" — the name runs to the end of its sentence, 80 characters at most.
    regex.compile(
        r"""secr[ée]taires?\s{1,3}de\s{1,3}s[ée]ance\s{0,3}
            (?:\([^)]{0,160}\)\s{0,3})?[:\-–]?\s{0,3}                   # "(article L.2121-15 …) :"
            (?P<who>(?:(?:M|MM|Mme|Mlle)\.\s{0,3})?(?:[^.;\n]|(?<=\b\p{Lu})\.(?=\p{Lu}{2})){1,80}+)""",  # "S.MEARY"
        regex.IGNORECASE | regex.VERBOSE,
    ),
    # "Secrétaire : Madame Karine DUTEIL", a label at a line's start (never "secrétaire générale").
    regex.compile(
        r"""^[ \t]*secr[ée]taire[ \t]*:[ \t]*
            (?P<who>(?:(?:M|MM|Mme|Mlle)\.\s{0,3})?(?:[^.;\n]|(?<=\b\p{Lu})\.(?=\p{Lu}{2})){1,80}+)""",
        regex.IGNORECASE | regex.VERBOSE | regex.MULTILINE,
    ),
    # "Mme X a été désignée secrétaire": found from the verb; the name is looked for before it.
    regex.compile(
        r"""\s{0,3},?\s{1,3}(?:[aà]\s+[ée]t[ée]|est)(?:\s+[ée]lue?)?\s{1,3}   # OCR: "à été"
            (?:d[ée]sign[ée]e?|nomm[ée]e?|[ée]lue?|choisie?)\s{1,3}
            (?:(?:comme|pour|en\s+qualit[ée]\s+de|pour\s+remplir\s+les\s+fonctions\s+de)\s{1,3})?secr[ée]taire""",
        regex.IGNORECASE | regex.VERBOSE,
    ),
    # "… désigne Mme X comme secrétaire", "candidature de M. X pour être secrétaire".
    regex.compile(
        rf"""(?:candidature\s+de|d[ée]signe)\s{{1,3}}
            (?P<who>(?:{_CIV}\s{{0,3}})?\p{{Lu}}[\p{{L}}'\ –-]{{1,60}}?)\s{{0,3}},?\s{{1,3}}
            (?:en\s+qualit[ée]\s+de|comme|pour\s+(?:être|remplir\s+les\s+fonctions\s+de))\s{{1,3}}secr[ée]taire""",
        regex.IGNORECASE | regex.VERBOSE,
    ),
    # "Le Conseil municipal a choisi pour secrétaire Mme X." (the CGCT's own wording), "a élu
    # comme secrétaire de séance M. Y": the name follows, to the end of its sentence.
    regex.compile(
        r"""\ba\s{1,3}(?:choisi|[ée]lu|d[ée]sign[ée]|nomm[ée])\s{1,3}(?:pour|comme|en\s{1,3}qualit[ée]\s{1,3}de)\s{1,3}
            secr[ée]taire(?:\s{1,3}de\s{1,3}s[ée]ance)?\s{0,3}:?\s{0,3}
            (?P<who>(?:(?:M|MM|Mme|Mlle)\.\s{0,3})?(?:[^.;\n]|(?<=\b\p{Lu})\.(?=\p{Lu}{2})){1,80}+)""",
        regex.IGNORECASE | regex.VERBOSE,
    ),
)
# The name just before "a été désigné(e) secrétaire", at most 60 characters, ending at the verb.
_NAME_BEFORE = regex.compile(rf"(?P<who>(?:{_CIV}\s{{0,3}})?\p{{Lu}}[\p{{L}}'\ -]{{1,60}})\Z")


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
    for pattern in _SECRETARY[:2]:
        for match in pattern.finditer(text):
            if role := _role(match):
                return role
    for verb in _SECRETARY[2].finditer(text):
        before = _NAME_BEFORE.search(text, max(0, verb.start() - 70), verb.start())
        if before and (role := _role(before)):
            return role
    for pattern in _SECRETARY[3:]:
        for match in pattern.finditer(text):
            if role := _role(match):
                return role
    return None


def _role(match: regex.Match) -> Role | None:
    name = clean_name(_DASHED_SURNAME.sub("-", " ".join(match["who"].split())))
    return Role(start=match.start("who"), end=match.end("who"), text=match["who"], name=name) if name else None


__all__ = ["Attendee", "Role", "find_attendance", "find_president", "find_secretary", "CIVILITY"]
