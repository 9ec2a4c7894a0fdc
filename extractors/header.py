"""The deliberation's identity: authority, body, number, title (OBJET) and place of the séance."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.spans import Span

HEADER_CHARS = 3000  # identity is printed at the top; deeper matches are citations


@dataclass(frozen=True, slots=True, kw_only=True)
class Field(Span):
    value: str


BODIES: tuple[tuple[str, str], ...] = (
    (r"bureau\s+communautaire", "Bureau communautaire"),
    (r"conseil\s+communautaire", "Conseil communautaire"),
    (r"conseil\s+m[ée]tropolitain", "Conseil métropolitain"),
    (r"conseil\s+municipal", "Conseil municipal"),
    (r"comit[ée]\s+syndical", "Comité syndical"),
    (r"conseil\s+syndical", "Comité syndical"),
    (r"conseil\s+d'administration", "Conseil d'administration"),
    (r"conseil\s+d[ée]partemental", "Conseil départemental"),
    (r"conseil\s+r[ée]gional", "Conseil régional"),
    (r"commission\s+permanente", "Commission permanente"),
    (r"bureau(?:\s+syndical)?", "Bureau"),
)
_BODY_CONTEXT = (
    regex.compile(r"registre\s+des\s+d[ée]lib[ée]rations\s+(?:du|de\s+la)\s+(?P<b>[\p{L}' ]{5,40})", regex.IGNORECASE),
    regex.compile(r"(?:le|la)\s+(?P<b>[\p{L}' ]{5,40}?)\s*(?:,|\s)\s*(?:dûment|régulièrement|légalement|s'est|réuni)", regex.IGNORECASE),
    regex.compile(r"(?:d[ée]lib[ée]ration|s[ée]ance|r[ée]union)\s+du\s+(?P<b>[\p{L}' ]{5,40})", regex.IGNORECASE),
    regex.compile(r"(?P<b>conseil\s+municipal|comit[ée]\s+syndical|conseil\s+communautaire|bureau\s+communautaire|conseil\s+m[ée]tropolitain)", regex.IGNORECASE),
)

_AUTHORITY_HEAD = (
    r"(?:Commune|Ville|Mairie)\s+(?:de|d'|du|des)\s*"
    r"|Communaut[ée]\s+(?:de\s+communes|d'agglom[ée]ration|urbaine)"
    r"|M[ée]tropole|P[ôo]le\s+(?:m[ée]tropolitain|d'[ée]quilibre)|Syndicat|SIVOM|SIVU|SMICTOM|SICTOM|SIEA|SIAEP|SIDEC"
    r"|D[ée]partement\s+(?:de|du|des|d')|R[ée]gion|Centre\s+communal\s+d'action\s+sociale|CCAS|[ÉE]tablissement\s+public"
    r"|Agglom[ée]ration|Territoire\s+de"
)
_AUTHORITY_LINE = regex.compile(
    rf"^[ \t]*(?P<a>(?:{_AUTHORITY_HEAD})[^\n]{{2,90}})$", regex.IGNORECASE | regex.MULTILINE
)
_AUTHORITY_IN_SENTENCE = regex.compile(
    r"(?:conseil\s+municipal|comit[ée]\s+syndical|conseil\s+communautaire|conseil\s+m[ée]tropolitain|bureau)\s+(?:de\s+la|du|de\s+l')\s+"
    rf"(?P<a>(?:{_AUTHORITY_HEAD})[\p{{L}}'\- ]{{2,60}}?)(?=\s*(?:,|\.|s'est|\n|dûment|régulièrement|légalement|réuni))",
    regex.IGNORECASE,
)
_WIDER_AREA = regex.compile(r"D[ée]partement|R[ée]gion", regex.IGNORECASE)
_AUTHORITY_STOP = regex.compile(r"\s+(?:[-–—|]\s|SI[ÈE]GE|\d{5}\b|T[ée]l\b|\().*$|[,;].*$", regex.IGNORECASE)
_MINOR_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "sur", "sous", "en", "et", "aux", "au", "lès", "lez"}

NUMBER = regex.compile(
    r"(?:^|(?<=[\s(]))(?:d[ée]lib[ée]ration|d[ée]l\.?|acte)?\s*n[°º o]\s*[.:]?\s*"
    r"(?P<n>[A-Z]{0,8}[\s_-]?\d[\w./_-]*(?:\s?/\s?\d+)?)",
    regex.IGNORECASE | regex.MULTILINE,
)
_NUMBER_LINE = regex.compile(
    r"^\s*(?:DELIBERATION|DÉLIBÉRATION|D[ÉE]LIB[ÉE]RATION)\s+(?P<n>(?:[A-Z]{1,8}[-_ ]?)?\d{1,4}[-/_.]\d{1,5}(?:[-/_.]\d{1,5})?)\s*$",
    regex.MULTILINE,
)
_NOT_DELIBERATION = regex.compile(
    r"(?:loi|d[ée]cret|arr[êe]t[ée]|ordonnance|circulaire|march[ée]|contrat|convention|parcelle|section|"
    r"lot|article|SIRET|SIREN|t[ée]l|code|avenant|r[èe]glement|dossier|RCS|police)\s*(?:n[°º o]|num[ée]ro)?\s*[.:]?\s*$",
    regex.IGNORECASE,
)

_TITLE = regex.compile(r"\bOBJET\s*[:.\-–]\s*", regex.IGNORECASE)
_TITLE_STOP = regex.compile(
    r"^\s*(?:N[°º]|Nombre|S[ée]ance|Date|Rapporteur|Vu\b|L'an|Le\s+\d|Convocation|Pr[ée]sents?|Membres|Secr[ée]taire|"
    r"Délégués|En\s+exercice|Pouvoirs|Votants|Acte|Accusé|EXTRAIT|Le\s+(?:conseil|comité|bureau)|Monsieur|Madame|"
    r"Direction|Service|R[ée]f)",
    regex.IGNORECASE,
)
_RAPPORTE = regex.compile(r"^(?P<t>[^\n]{8,200}(?<!:))\n[^\n]{0,60}\brapporte\s*:", regex.MULTILINE)
_NUMBERED_TITLE = regex.compile(
    r"^\s*(?P<n>\d{4}[-/_]\d{1,4})\s*[-–:]?\s+(?P<t>\p{Lu}[^\n]{8,200})$", regex.MULTILINE
)

_PLACE = regex.compile(
    r"(?:s'est\s+r[ée]uni(?:e|s)?|se\s+sont\s+r[ée]unis|r[ée]uni(?:e|s)?|s'est\s+tenue?|a\s+eu\s+lieu|"
    r"s'est\s+assembl[ée]e?)(?:,?\s+(?:légalement|régulièrement|valablement|publiquement|exceptionnellement|en\s+séance\s+publique|(?:au|en)\s+nombre\s+prescrit\s+par\s+la\s+loi))*[,]?\s+"
    r"(?P<prep>en|à\s+la|à\s+l'|au|aux|à|dans\s+la|dans\s+le|dans\s+l'|salle)\s*(?P<p>[^,.;\n]{2,90}(?:\n[^,.;\n]{1,60})?)",
    regex.IGNORECASE,
)
_PLACE_STOP = regex.compile(
    r"\s+(?:sous\s+la\s+pr[ée]sidence|le\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d)|"
    r"(?:à|a)\s+\d|en\s+pr[ée]sence|apr[èe]s\s+convocation|sur\s+(?:la\s+)?convocation|,|en\s+s[ée]ance).*$",
    regex.IGNORECASE | regex.DOTALL,
)


def find_body(text: str) -> Field | None:
    head = text[:HEADER_CHARS]
    for pattern in _BODY_CONTEXT:
        for match in pattern.finditer(head):
            name = _canonical_body(match["b"])
            if name:
                return Field(start=match.start("b"), end=match.end("b"), text=match["b"], value=name)
    return None


def _canonical_body(raw: str) -> str | None:
    for pattern, name in BODIES:
        if regex.match(pattern, raw.strip(), regex.IGNORECASE):
            return name
    return None


def find_authority(text: str) -> Field | None:
    head = text[:HEADER_CHARS]
    lines = list(_AUTHORITY_LINE.finditer(head))
    # The collectivité itself before the département or région it sits in ("DEPARTEMENT du GARD").
    local = [m for m in lines if not _WIDER_AREA.match(m["a"])]
    match = (local[0] if local else None) or _AUTHORITY_IN_SENTENCE.search(head) or (lines[0] if lines else None)
    if not match:
        return None
    raw = _AUTHORITY_STOP.sub("", " ".join(match["a"].split())).strip(" .:-–")
    if len(raw.split()) < 2 and not raw.isupper():
        return None
    words = [w for w in regex.findall(r"\p{L}{3,}", raw)]
    shouted = sum(w.isupper() for w in words) * 2 >= len(words)
    value = _restore_case(raw, text) if shouted else raw
    value = regex.sub(r"^Mairie\s+", "Commune ", value)
    return Field(start=match.start("a"), end=match.start("a") + len(raw), text=raw, value=value)


def _restore_case(raw: str, text: str) -> str:
    """A letterhead in capitals: its normal-case spelling from elsewhere in the text, or a guess."""
    words = regex.escape(raw).replace(r"\ ", r"[\s-]+")
    for match in regex.finditer(words, text, regex.IGNORECASE):
        if not any(w.isupper() for w in regex.findall(r"\p{L}{3,}", match.group(0))):
            found = " ".join(match.group(0).split())
            return found[0].upper() + found[1:]
    out = []
    for index, word in enumerate(raw.lower().split()):
        parts = [p if (p in _MINOR_WORDS and index) else p.capitalize() for p in word.split("-")]
        out.append("-".join(parts))
    return regex.sub(r"\b(D|L)'(\p{L})", lambda m: m[1].lower() + "'" + m[2].upper(), " ".join(out))


def find_number(text: str) -> Field | None:
    head = text[:HEADER_CHARS]
    line = _NUMBER_LINE.search(head)
    if line:
        return Field(start=line.start("n"), end=line.end("n"), text=line["n"], value=line["n"].strip())
    for match in NUMBER.finditer(head):
        before = head[max(0, match.start() - 30):match.start()]
        line_start = head.rfind("\n", 0, match.start()) + 1
        if _NOT_DELIBERATION.search(before) or regex.match(r"\s*vu\b", head[line_start:match.start()], regex.IGNORECASE):
            continue
        if regex.search(r"\(\s*$|d[ée]lib[ée]ration\s+n", head[max(0, match.start() - 15):match.start() + 14], regex.IGNORECASE) and _in_sentence(head, match.start()):
            continue
        value = " ".join(match["n"].split()).rstrip(".,;:-_/")
        if sum(ch.isdigit() for ch in value) < 1 or regex.fullmatch(r"\d{5}", value):
            continue
        return Field(start=match.start("n"), end=match.end("n"), text=match["n"], value=value)
    numbered = _NUMBERED_TITLE.search(head)
    if numbered:
        return Field(start=numbered.start("n"), end=numbered.end("n"), text=numbered["n"], value=numbered["n"])
    return None


def _in_sentence(text: str, offset: int) -> bool:
    """A number cited inside running prose ("…lors de sa séance (délibération n° X)")."""
    line_start = text.rfind("\n", 0, offset) + 1
    return len(text[line_start:offset].strip()) > 25


def find_title(text: str) -> Field | None:
    head = text[:HEADER_CHARS]
    match = _TITLE.search(head)
    if match:
        lines: list[str] = []
        position = match.end()
        rest = head[position:]
        for line in rest.split("\n"):
            if not line.strip():
                if lines:
                    break
                position += len(line) + 1
                continue
            if _TITLE_STOP.match(line) or (lines and len(lines) >= 8):
                if lines:
                    break
                position += len(line) + 1
                continue
            lines.append(line.strip())
            if line.rstrip().endswith((".",)) and len(lines) > 1:
                break
        title = " ".join(" ".join(lines).split())
        if len(title) >= 4:
            return Field(start=position, end=position + len(title), text=title, value=title)
    numbered = _NUMBERED_TITLE.search(head)
    if numbered:
        return Field(start=numbered.start("t"), end=numbered.end("t"), text=numbered["t"], value=numbered["t"].strip())
    reported = _RAPPORTE.search(text[:HEADER_CHARS * 2])
    if reported:
        title = reported["t"].strip()
        return Field(start=reported.start("t"), end=reported.end("t"), text=title, value=title)
    return None


def find_place(text: str) -> Field | None:
    match = _PLACE.search(text[:HEADER_CHARS * 2])
    if not match:
        return None
    raw = " ".join(match["p"].split())
    if match["prep"].lower() == "salle":
        raw = "salle " + raw
    place = _PLACE_STOP.sub("", raw).strip(" ,.")
    place = regex.sub(r"^(?:la|le|les|l')\s*", "", place, flags=regex.IGNORECASE)
    if len(place) < 3 or regex.match(r"\d", place):
        return None
    return Field(start=match.start("p"), end=match.start("p") + len(place), text=place, value=place)
