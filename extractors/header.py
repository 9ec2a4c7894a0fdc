"""The deliberation's identity: authority, body, number, title (OBJET) and place of the séance."""
from __future__ import annotations

from dataclasses import dataclass, replace

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
    regex.compile(r"(?:registre\s+des\s+|extrait\s+des\s+)?d[ée]lib[ée]rations\s+(?:du|de\s+la)\s+(?P<b>[\p{L}'\s]{5,40})", regex.IGNORECASE),
    regex.compile(r"\b(?:le|la)\s+(?P<b>[\p{L}' ]{5,40}?)\s*(?:,|\s)\s*(?:dûment|régulièrement|légalement|s'est|réuni)", regex.IGNORECASE),
    regex.compile(r"(?:d[ée]lib[ée]ration|s[ée]ance|r[ée]union)\s+du\s+(?P<b>[\p{L}' ]{5,40})", regex.IGNORECASE),
    # A CCAS's board, named in the header ("DU CONSEIL D'ADMINISTRATION"), meets "dans la salle du
    # conseil municipal": the first body named wins.
    regex.compile(r"(?P<b>conseil\s+municipal|comit[ée]\s+syndical|conseil\s+communautaire|bureau\s+communautaire|conseil\s+m[ée]tropolitain|conseil\s+d'administration)", regex.IGNORECASE),
)

_AUTHORITY_HEAD = r"""
    (?:Commune|Ville|Mairie)[ \t]+(?:de|d'|du|des)[ \t]*                  # Commune de X, Ville d'X
  | Communaut[ée][ \t]+(?:de[ \t]+communes|d'agglom[ée]ration|urbaine)
  | M[ée]tropole | P[ôoêó]le[ \t]+(?:m[ée]tropolitain|d'[ée]quilibre)
  | Syndicat | SIVOM | SIVU | SMICTOM | SICTOM | SIEA | SIAEP | SIDEC
  | D[ée]partement[ \t]+(?:de|du|des|d') | R[ée]gion
  | Centre[ \t]+communal[ \t]+d'action(?:[ \t]+sociale)? | CCAS   # "Centre communal d'action" / "sociale de X" | [ÉE]tablissement[ \t]+public
  | Agglom[ée]ration | Territoire[ \t]+de
"""
# A letterhead line is short: a longer line starting "Communauté de communes…" is prose.
_AUTHORITY_LINE = regex.compile(
    rf"""
    ^[ \t]*+
    (?:[A-Z]{{2,8}}[ \t]+[–—-][ \t]+)?        # an acronym first: "SIEA – Syndicat …"
    (?P<a>(?:{_AUTHORITY_HEAD})[^\n]{{0,75}})  # the name, on one line of bounded length (or the next)
    $""",
    regex.IGNORECASE | regex.MULTILINE | regex.VERBOSE,
)
# "Thonon Agglomération", "Grenoble-Alpes Métropole": the kind comes last. Words are possessive
# (a word never gives back its hyphens), so a line of "AAA-AAA-…" costs one pass, not n⁴.
_AUTHORITY_SUFFIX_LINE = regex.compile(
    r"""
    ^[ \t]*+
    (?P<a>\p{Lu}[\p{L}'-]{1,40}+                     # first word
      (?:[ \t]++\p{Lu}[\p{L}'-]{1,40}+){0,3}         # up to three more
      [ \t]+(?:Agglom[ée]ration|M[ée]tropole|Communaut[ée]|AGGLOM[ÉE]RATION|M[ÉE]TROPOLE))
    [ \t]*$""",
    regex.MULTILINE | regex.VERBOSE,
)
_AUTHORITY_IN_SENTENCE = regex.compile(
    rf"""
    (?:conseil\s+municipal|comit[ée]\s+syndical|comit[ée]|conseil\s+communautaire|conseil\s+m[ée]tropolitain
      |bureau|conseil\s+d'administration|conseillers\s+(?:communautaires|municipaux|m[ée]tropolitains)
      |d[ée]l[ée]gu[ée]s)
    \s{{1,3}}(?:de\s+l[aà]|du|de\s+l'|des|de)\s{{1,3}}                 # "… de la", "… du"
    (?P<a>(?:{_AUTHORITY_HEAD})[\p{{L}}'\-\s]{{2,60}}?                  # "Communauté de communes X"
      | \p{{Lu}}[\p{{L}}'-]{{1,40}}+(?:\ \p{{Lu}}[\p{{L}}'-]{{1,40}}+){{0,3}}\s{{1,3}}(?:Agglom[ée]ration|M[ée]tropole))
    (?=\s{{0,3}}(?:\([^)\n]{{1,30}}\)\s{{0,3}})?                      # "(Drôme)"
       (?:,|\.|s'est|se\s+sont|\n(?![ \t]*\p{{Lu}}{{2,}}[\p{{Lu}}'-]*[ \t]*(?:\(|,|s'est))  # "SAINT / RESTITUT,"
          |dûment|régulièrement|légalement|réuni))  # the sentence goes on
    """,
    regex.IGNORECASE | regex.VERBOSE,
)
_SEAT = regex.compile(r"Mairie\b", regex.IGNORECASE)
# "PROCÈS-VERBAL DU CONSEIL MUNICIPAL DE TALUYERS", "membres du Conseil municipal de COUTHENANS":
# a municipal council is a commune's, so it names the commune.
_MUNICIPAL_COUNCIL_OF = regex.compile(
    r"(?i:conseil[ \t]+municipal[ \t]+(?:de|d'))[ \t]*(?P<a>\p{Lu}[\p{L}'’-]{1,40}+(?:[ \t-]+(?:(?i:sur|sous|en|lès|lez|le|la|les|de|du|des|d')[ \t-]*)?\p{Lu}[\p{L}'’-]{1,40}+){0,4}+)[ \t]*(?=[\n.,;]|$)",
)
# A letterhead in capitals over several short lines: "SYNDICAT / INTERCOMMUNAL / DES EAUX DU / HAUT-BUGEY".
_AUTHORITY_CAPITALS = regex.compile(
    r"^[ \t]*(?P<a>(?:SYNDICAT|COMMUNAUT[ÉE]|COMMUNE|VILLE|SIVOM|SIVU|P[ÔO]LE|M[ÉE]TROPOLE|CENTRE)"
    r"(?:[ \t][^\n]{0,60})?(?:[ \t]*\n[ \t]*[A-ZÀ-Ý'’ -]{2,40}){1,4})[ \t]*$",  # first line cut later
    regex.MULTILINE,
)
_WIDER_AREA = regex.compile(r"D[ée]partement|R[ée]gion", regex.IGNORECASE)
# Where a département's or région's own deliberation says so: then its name is the authority.
_WIDER_BODY = regex.compile(r"conseil\s+(?:d[ée]partemental|g[ée]n[ée]ral|r[ée]gional)|commission\s+permanente", regex.IGNORECASE)
_AUTHORITY_STOP = regex.compile(r"\s+(?:[-–—|]\s|SI[ÈE]GE|\d{5}\b|T[ée]l\b|\().*$|[,;].*$|\.\s.*$", regex.IGNORECASE)
# Two columns sharing lines: the right column's words ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS",
# "Séance du …") start where the authority's name stops. Capitalised forms only.
_OTHER_COLUMN = regex.compile(
    r"""
    [ \t]{2,} | \t                                        # a wide gap between the columns
    | [ \t](?=(?:EXTRAIT|Extrait|REGISTRE|Registre|D[ÉE]LIB[ÉE]RATIONS?|D[ée]lib[ée]rations?
               |PROC[ÈE]S|Proc[èe]s|COMPTE[ -]RENDU|Compte[ -]rendu|S[ÉE]ANCE|S[ée]ance
               |CONSEIL|Conseil|COMIT[ÉE]|Comit[ée]|BUREAU|R[ÉE]PUBLIQUE|R[ée]publique
               |D[ÉE]PARTEMENT|Département|ARRONDISSEMENT|Arrondissement|Nombre|NOMBRE|Date|DATE
               |Convocation|CONVOCATION|N[°º]|L'an|Le[ \t]+\d
               |(?:DU|Du|du)[ \t]+(?:CONSEIL|Conseil|conseil|COMIT[ÉE]|Comit[ée]|comit[ée]|BUREAU|Bureau|bureau))
              (?![\p{L}]))                                  # … as whole words
    """,
    regex.VERBOSE,
)
# Words of a sentence, not of a name: "Commune du fait d'une départ …", "… est chargée de".
# ("… du bassin versant de la Vézère et de ses affluents" is a name.)
_PROSE = regex.compile(
    r"\b(?:est|sont|a|ont|qui|que|qu'|pour|par|dans|avec|lors|afin|sera|seront|été|(?<!\bde\s)ses|son|leur|cette|une|un|il|elle)\b",
    regex.IGNORECASE,
)
_MINOR_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "sur", "sous", "en", "et", "aux", "au", "lès", "lez"}

NUMBER = regex.compile(
    r"""
    (?:^|(?<=[\s(]))
    (?:d[ée]lib[ée]ration|d[ée]l\.?|acte)?\s{0,3}
    n(?:[°º]|o(?!\p{L})|[ ](?=\d))         # n°, OCR's "no" (not the "no" of "novembre"), "n 12"
    \s{0,3}[.:]?\s{0,3}
    (?P<n>[A-Z]{0,8}[\s_-]?\d[\w./_-]{0,40}(?:\s?/\s?\d+)?)   # "2021-45", "DEL2020-071", "CS 12"
    """,
    regex.IGNORECASE | regex.MULTILINE | regex.VERBOSE,
)
_NUMBER_LINE = regex.compile(
    r"^\s*(?:DELIBERATION|DÉLIBÉRATION|D[ÉE]LIB[ÉE]RATION)\s+(?P<n>(?:[A-Z]{1,8}[-_ ]?)?\d{1,4}[-/_.]\d{1,5}(?:[-/_.]\d{1,5})?)\s*$",
    regex.MULTILINE,
)
_NOT_DELIBERATION = regex.compile(
    r"(?:loi|d[ée]cret|arr[êe]t[ée]|ordonnance|circulaire|march[ée]|contrat|convention|parcelle|section|"
    r"lot|article|SIRET|SIREN|t[ée]l|code|avenant|r[èe]glement|dossier|RCS|police|modificative|"
    r"section(?:\s+[A-Z]{1,3})?)\s*(?:n[°º o]|num[ée]ro)?\s*[.:]?\s*$",  # "section DD n° 493"
    regex.IGNORECASE,
)

# "OBJET :", "Objet de la délibération :".
_TITLE = regex.compile(r"\bOBJET(?:[ \t]+de[ \t]+la[ \t]+d[ée]lib[ée]ration)?\s*[:.\-–]\s*", regex.IGNORECASE)
_TITLE_STOP = regex.compile(
    r"^\s*(?:N[°º]|Nombre|S[ée]ance|Date|Rapporteur|Vu\b|L'an|Le\s+\d|Convocation|Pr[ée]sents?|Membres|Secr[ée]taire|"
    r"Délégués|En\s+exercice|Pouvoirs|Votants|Acte|Accusé|EXTRAIT|Le\s+(?:conseil|comité|bureau)|Monsieur|Madame|"
    r"Direction|Service|R[ée]f|Pr[ée]sidence\s*:|D[ée]lib[ée]ration\s+n(?:[°º]|o\b|\s+\d))",
    regex.IGNORECASE,
)
_RAPPORTE = regex.compile(r"^[^\n]{0,80}\brapporte\s*:", regex.MULTILINE)
_NUMBER_DASH_TITLE = regex.compile(
    r"^\s*(?:d[ée]lib[ée]ration\s+)?n[°º]\s*\S+\s+[–—:-]\s+(?P<t>\p{Lu}[^\n]{6,200})$", regex.IGNORECASE | regex.MULTILINE
)
# "Délibération n° 2021-060" alone on its line, the object on the next one.
_NUMBER_LINE_TITLE = regex.compile(
    r"^\s*d[ée]lib[ée]ration\s+n[°º]\s*\S+[ \t]*\n[ \t]*(?P<t>\p{Lu}[^\n]{6,200})$", regex.IGNORECASE | regex.MULTILINE
)
_NUMBERED_TITLE = regex.compile(
    r"^\s*(?P<n>\d{4}[-/_]\d{1,4})\s*[-–:]?\s+(?P<t>\p{Lu}[^\n]{8,200})$", regex.MULTILINE
)

# The meeting sentence: "s'est réuni(e) … , sous la présidence": the place is one of its pieces.
_MEETING = regex.compile(
    r"(?:s'est\s+r[ée]uni(?:e|s)?|se\s+sont\s+r[ée]unis|s'est\s+tenue?|a\s+eu\s+lieu|s'est\s+assembl[ée]e?)"
    r"(?P<clause>[^.;]{0,260}?)(?=sous\s+la\s+pr[ée]sidence|\.\s|;|\.$|\bpour\b|\bapr[èe]s\b)",
    regex.IGNORECASE | regex.DOTALL,
)
# Pieces of that sentence that are not a place.
_NOT_PLACE = regex.compile(
    r"^(?:(?:légalement|régulièrement|valablement|publiquement|exceptionnellement|dûment)\b.*|"
    r"en\s+(?:séance|session|réunion)\b.*|(?:au|en)\s+nombre\s+prescrit.*|en\s+raison\b.*|"
    r"(?:le|ce)\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d|premier|\p{L}+\s+\p{L}+\s+\d{4}).*|"
    r"(?:à|a|vers)\s+(?:\d|midi|\p{L}+[- ]?\p{L}*\s+heures?).*|en\s+pr[ée]sence\b.*|sur\s+(?:la\s+)?convocation.*|"
    r"apr[èe]s\s+convocation.*|convoqu[ée].*|dans\s+le\s+respect.*|conformément.*|sous\s+.*)$",
    regex.IGNORECASE | regex.DOTALL,
)
_PLACE_WORDS = regex.compile(
    r"\b(?:salle|mairie|h[ôo]tel|visio|vid[ée]o|t[ée]l[ée]conf|centre|maison|espace|foyer|si[èe]ge|local|locaux|"
    r"b[âa]timent|ch[âa]teau|gymnase|[ée]cole|auditorium|amphith[ée][âa]tre|palais|th[ée][âa]tre|"
    r"complexe|bureau|lieu|domaine|ferme|grange|halle|chapelle|[ée]glise|cin[ée]ma|m[ée]diath[èe]que)",
    regex.IGNORECASE,
)
_PREPOSITION = regex.compile(r"^(?:en|à\s+la|à\s+l'|au|aux|à|dans\s+la|dans\s+le|dans\s+l'|dans\s+les|par)\s*", regex.IGNORECASE)
_ARTICLE = regex.compile(r"^(?:la|le|les|l')\s*", regex.IGNORECASE)
# Inside one piece, what follows the place: a time or a date ("à la mairie le 3 mars à 20 h").
_PLACE_TAIL = regex.compile(
    r"\s+(?:le\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d).*|(?:à|a)\s+\d.*|en\s+s[ée]ance.*)$",
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
    """The collectivité as its letterhead or the meeting sentence names it; None when unsure."""
    head = text[:HEADER_CHARS]
    # A letterhead opens with a capital: "communauté de communes Pays d'Uzès et la …" at a line
    # start is the rest of a sentence.
    lines = [c for m in _AUTHORITY_LINE.finditer(head) if m["a"][0].isupper() and (c := _letterhead(head, m))]
    lines += [c for m in _AUTHORITY_CAPITALS.finditer(head) if (c := _capitals_block(m))]
    # Of two readings starting at one place, the one over more lines ("SYNDICAT MIXTE DU BASSIN /
    # VERSANT DE LA VÉZÈRE").
    lines = sorted((c for c in lines if _looks_like_a_name(_cut(c[2]))), key=lambda c: (c[0], -c[1]))
    # The collectivité itself before the département or région it sits in ("DEPARTEMENT du GARD");
    # "Mairie de X" in a letterhead is often only where a syndicat has its seat, unless it opens
    # the document.
    local = [c for c in lines if not _WIDER_AREA.match(c[2]) and not _SEAT.match(c[2])]
    seats = [c for c in lines if _SEAT.match(c[2])]
    first_seat = seats[0] if seats and not head[:seats[0][0]].strip() else None
    wider = [c for c in lines if _WIDER_AREA.match(c[2])] if _WIDER_BODY.search(head) else []
    found = (
        (local[0] if local else None) or first_seat or _suffix_line(head)
        or _match_triple(_AUTHORITY_IN_SENTENCE.search(head)) or (seats[0] if seats else None)
        or (wider[0] if wider else None) or _municipal_council_of(head) or _running_footer(text)
        or _wordmark(head)
    )
    if not found:
        return None
    # A letterhead cut short by its layout ("SYNDICAT INTERCOMMUNAL", the rest lost among the
    # other column's lines): the meeting sentence names it whole.
    sentence = _match_triple(_AUTHORITY_IN_SENTENCE.search(head))
    if sentence and sentence is not found and _extends(_cut(sentence[2]), _cut(found[2])):
        found = sentence
    start, _, printed = found
    raw = _cut(printed)
    if not _looks_like_a_name(raw):
        return None
    words = [w for w in regex.findall(r"\p{L}{3,}", raw)]
    shouted = sum(w.isupper() for w in words) * 2 >= len(words)
    value = _restore_case(raw, text) if shouted else raw
    value = regex.sub(r"^Mairie\s+", "Commune ", value)
    value = value[0].upper() + value[1:]
    if regex.match(r"(?:Commune|Ville)\s", value):  # a commune's name is hyphenated: "Saint-Restitut"
        value = regex.sub(r"\b(Saint|Sainte)\s+(?=\p{Lu})", r"\1-", value)
    return Field(start=start, end=start + len(printed), text=printed, value=value)


# A running footer or header naming the collectivité and its assembly ("Ville de BOURG-EN-BRESSE -
# Conseil Municipal du lundi 1er Février 2016"): kept once, at the end, among the last page's lines.
_RUNNING_AUTHORITY = regex.compile(
    rf"""
    ^[ \t]*+
    (?P<a>(?:{_AUTHORITY_HEAD})[^\n]{{1,75}}?)
    [ \t]+[–—-][ \t]+(?:conseil|s[ée]ance|comit[ée]|bureau)\b[^\n]{{0,80}}$""",
    regex.IGNORECASE | regex.MULTILINE | regex.VERBOSE,
)


def _running_footer(text: str) -> tuple[int, int, str] | None:
    match = _RUNNING_AUTHORITY.search(text)
    return (match.start("a"), 1, match["a"]) if match and match["a"][0].isupper() else None


def _extends(longer: str, shorter: str) -> bool:
    """Does `longer` name the same collectivité as `shorter`, with more words after?"""
    long_words, short_words = _words(longer), _words(shorter)
    return len(long_words) > len(short_words) and long_words[:len(short_words)] == short_words


def _words(name: str) -> list[str]:
    return regex.findall(r"\p{L}+", name.casefold())


def _cut(printed: str) -> str:
    """The name without what follows it on its line: an address, a phone number, a comma."""
    return _AUTHORITY_STOP.sub("", " ".join(printed.split())).strip(" .:-–")


def _municipal_council_of(head: str) -> tuple[int, int, str] | None:
    """The title's council ("PROCÈS-VERBAL DU CONSEIL MUNICIPAL DE TALUYERS"), near the top; not
    a council cited in a recital ("Vu la délibération du conseil municipal de Thoiry, …")."""
    match = _MUNICIPAL_COUNCIL_OF.search(head, 0, 800)
    if not match:
        return None
    line = head[head.rfind("\n", 0, match.start()) + 1:match.start()]
    if regex.search(r"(?i:d[ée]lib[ée]ration|\bvu\b)", line):
        return None
    return (match.start("a"), match.end("a"), "Commune de " + match["a"])


# A town's wordmark, the lettering of its logo, read as the document's first line: "Pierrefonds"
# above "LISTE DES DÉLIBÉRATIONS / SÉANCE DU CONSEIL MUNICIPAL". Title case only: a first line in
# capitals is a heading.
_WORDMARK = regex.compile(
    r"\A\s*(?P<a>\p{Lu}\p{Ll}{3,30}+(?:[ \t-](?:(?:sur|sous|en|lès|lez|le|la|les|de|du|des|aux|au)[ \t-])?"
    r"\p{Lu}\p{Ll}{1,30}+){0,3})[ \t]*\n")
_NOT_A_WORDMARK = regex.compile(
    r"r[ée]publique|d[ée]partement|r[ée]gion|pr[ée]fecture|arrondissement|canton|mairie|commune|ville[ \t]+d|"
    r"extrait|registre|s[ée]ance|conseil|proc[èe]s|compte|liste|d[ée]lib|libert|objet|monsieur|madame|"
    r"envoy|re[çc]u|accus|affich|publi|date|ordre|convocation|r[ée]union|annexe|page", regex.IGNORECASE)


def _wordmark(head: str) -> tuple[int, int, str] | None:
    """The commune a municipal council's document names only in its logo's lettering, the first
    line of the text: a proper name standing alone, no heading's word."""
    match = _WORDMARK.match(head)
    if not match or _NOT_A_WORDMARK.search(match["a"]) or not _COMMUNE_BODY.search(head):
        return None
    return (match.start("a"), match.end("a"), "Commune de " + match["a"])


_COMMUNE_BODY = regex.compile(r"conseil\s+municipal", regex.IGNORECASE)


def _match_triple(match: regex.Match | None) -> tuple[int, int, str] | None:
    return (match.start("a"), match.end("a"), match["a"]) if match else None


def _letterhead(head: str, match: regex.Match) -> tuple[int, int, str] | None:
    """A letterhead line cut where the other column starts; a name cut by the column's width
    ("COMMUNE DE" / "SAINT-JEAN-DE-GONVILLE", "Syndicat intercommunal" / "d'assainissement de la
    région de" / "Bellecombe-aux-Bois") goes on with the first words of the next lines."""
    start = match.start("a")
    name = _without_stamp(_left_column(match["a"]))
    if not name:
        return None
    end = start + len(name)
    line_end = head.find("\n", match.end("a"))
    for _ in range(3):
        if line_end < 0:
            break
        next_end = head.find("\n", line_end + 1)
        next_line = head[line_end + 1:next_end if next_end >= 0 else len(head)]
        more = _without_stamp(_left_column(next_line.strip()))
        cut_short = (name.split()[-1].lower().rstrip("'") in _MINOR_WORDS or name.endswith("'")
                     or bool(_AUTHORITY_KIND_ALONE.fullmatch(name)))
        # "Syndicat mixte du bassin" / "versant de la Vézère": a name goes on in lower case;
        # "le conseil municipal de la commune …" below it is a sentence.
        # (A scanned stamp's "org PTE" is not a word of it.)
        lower = (bool(more) and bool(regex.match(r"(?:\p{Ll}{4,}|(?:d|l)'|de|du|des)\b", more))
                 and not regex.search(r"[:\d]", more)
                 and not regex.match(r"(?:le|la|les|l'|un|une|en|à|au)\b", more))
        if not (cut_short or (lower and not _PROSE.search(more))):
            break
        if not more or len(more) > 60 or not (more[0].isupper() or lower or (cut_short and more[0].islower())):
            return None if cut_short else (start, end, name)
        name = f"{name} {more}"
        end = line_end + 1 + next_line.find(more) + len(more)
        line_end = next_end
    return (start, end, name)


# The kind of collectivité alone, its name on the next line: "Communauté de communes" / "Cœur de Bresse".
_AUTHORITY_KIND_ALONE = regex.compile(
    r"(?:Communaut[ée][ \t]+(?:de[ \t]+communes|d'agglom[ée]ration|urbaine)|Centre[ \t]+communal[ \t]+d'action(?:[ \t]+sociale)?)",
    regex.IGNORECASE,
)
# A letter set apart in a header ("D'ÉLECTRICITÉ DE LA É"): a stamp's or a logo's, not a word.
_STRAY_LETTER = regex.compile(r"(?<=\s)[B-ZÉÈÊ](?=\s|$)")


def _capitals_block(match: regex.Match) -> tuple[int, int, str] | None:
    """A letterhead in capitals over several lines, each cut where the other column starts."""
    parts = []
    for line in match["a"].split("\n"):
        line = line.strip()
        if not line or (parts and _OTHER_COLUMN.match(" " + line)):
            break  # "EXTRAIT DU REGISTRE …" under the name is the other column's
        left = _without_stamp(_left_column(line))
        if not left or (not parts and left.upper() != left):
            break  # "SIVOM du canton de X" is no letterhead in capitals
        parts.append(_STRAY_LETTER.sub("", left).strip())
    if len(parts) < 2:
        return None
    return (match.start("a"), match.end("a"), " ".join(" ".join(parts).split()))


_THREE_LETTERS = regex.compile(r"\p{L}{3,}")
_ONE_OR_TWO_LETTERS = regex.compile(r"\p{L}{1,2}")
_SENTENCE_OR_FIGURE = regex.compile(r"[.!?:]\s|\d{3,}")


def _without_stamp(line: str) -> str:
    """A letterhead line without what a scanned stamp adds to it: in capitals, a word in lower
    case ("SYNDICAT MIXTE DU BASSIN se LE Po"); a run of one- or two-letter words at the end
    ("COMMUNE DE LANVALLON-LA-FORÊT RE TE")."""
    words = line.split()
    letters = [w for w in words if _THREE_LETTERS.search(w)]
    if letters and all(w.upper() == w for w in letters):
        for index, word in enumerate(words):
            if index and word.upper() != word and word.lower().rstrip("'’") not in _MINOR_WORDS:
                words = words[:index]
                break
    while len(words) > 2 and _ONE_OR_TWO_LETTERS.fullmatch(words[-1]) and words[-1].lower() not in _MINOR_WORDS:
        words = words[:-1]
    return " ".join(words)


def _suffix_line(head: str) -> tuple[int, int, str] | None:
    """"Thonon Agglomération", also as the left column of a two-column header."""
    for line in regex.finditer(r"^[^\n]{1,160}$", head, regex.MULTILINE):
        left = _left_column(line.group(0))
        if found := _AUTHORITY_SUFFIX_LINE.fullmatch(left):
            start = line.start() + line.group(0).find(left)
            return (start, start + len(left), found["a"])
    return None


def _left_column(line: str) -> str:
    cut = _OTHER_COLUMN.search(line, 1)
    return (line[:cut.start()] if cut else line).strip()


def _looks_like_a_name(raw: str) -> bool:
    """A collectivité's name, not a fragment of prose: capitalised words after its kind."""
    if len(raw.split()) < 2 and not raw.isupper():
        return False
    if _PROSE.search(raw) or _SENTENCE_OR_FIGURE.search(raw):
        return False
    kind = regex.match(rf"(?:{_AUTHORITY_HEAD})", raw, regex.IGNORECASE | regex.VERBOSE)
    rest = raw[kind.end():] if kind else raw
    words = [w for w in regex.findall(r"[\p{L}][\p{L}'’-]*", rest) if w.lower().rstrip("'’") not in _MINOR_WORDS]
    if not words:
        return False  # "Communauté de communes" alone says which kind, not which one
    # "Commune du fait …": after a commune's or a community's kind comes a proper name.
    if kind and not regex.match(r"(?i:syndicat|sivom|sivu|smictom|sictom|siea|siaep|sidec|centre|ccas|[ée]tablissement)", raw):
        return words[0][0].isupper()
    return True


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
        # A number inside the object is the object's ("OBJET : Décision modificative n° 1").
        if _TITLE.match(head, line_start) and not regex.match(r"d[ée]l", match.group(0).strip(), regex.IGNORECASE):
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
    found = _find_title(text)
    if found is None or " — " not in found.value:
        return found
    # An em dash between words of an object is the en dash objects print (OCR cannot tell them
    # apart): one spelling, as minutes' headings get, so that titles compare and search alike.
    return replace(found, value=found.value.replace(" — ", " – "))


def _find_title(text: str) -> Field | None:
    head = text[:HEADER_CHARS]
    match = _TITLE.search(head)
    if match:
        found = _title_after(head, match.end())
        if found:
            return found
    for pattern in (_NUMBER_DASH_TITLE, _NUMBER_LINE_TITLE, _NUMBERED_TITLE):
        numbered = pattern.search(head)
        if numbered and not (pattern is _NUMBER_LINE_TITLE and _TITLE_STOP.match(numbered["t"])):
            # The object's lines as after an OBJET (a wrapped last word: "… Projet BAN DOÏ / 2016").
            found = _title_after(head, numbered.start("t"))
            if found:
                return found
            value = " ".join(numbered["t"].split())
            return Field(start=numbered.start("t"), end=numbered.end("t"), text=numbered["t"], value=value)
    return _title_before_report(text[:HEADER_CHARS * 2]) or _title_by_number(head)


# The number alone on its line ("Délibération n° 2024/107", "N°125/2023"): an object printed
# without a label (in bold, often in capitals) stands just before or just after it.
_NUMBER_ALONE = regex.compile(
    r"^[ \t]*(?:d[ée]lib[ée]ration[ \t]+)?n(?:[°º]|o\b)[ \t]*[^\s]{1,40}[ \t]*$", regex.IGNORECASE | regex.MULTILINE
)
# Lines of the letterhead and the register's heading, never the object.
_NOT_TITLE = regex.compile(
    r"""[ \t]*(?:extrait|registre|r[ée]publique|d[ée]partement|arrondissement|commune\b|ville\b|mairie|
        communaut[ée]|syndicat|sivom|sivu|centre\s+communal|ccas\b|s[ée]ance|r[ée]union|session|conseil|
        comit[ée]|bureau|d[ée]lib[ée]rations?\b|proc[èe]s|compte[ -]rendu|du|de|des|date|convocation|
        nombre|pr[ée]sents?|votants|en\s+exercice|affich|publi|transmis|envoy|re[çc]u|\d)""",
    regex.IGNORECASE | regex.VERBOSE,
)


_NEXT_LINE = regex.compile(r"(?:[ \t]*\n){1,3}[ \t]*(?P<line>[^\n]+)")


def _title_by_number(head: str) -> Field | None:
    for number in _NUMBER_ALONE.finditer(head):
        after = _NEXT_LINE.match(head, number.end())
        if after and _title_like(after["line"]) and (found := _title_after(head, after.start("line"))):
            return found
        before = _lines_before(head, number.start())
        if before:
            return before
    return None


def _title_like(line: str) -> bool:
    line = line.strip()
    return (8 <= len(line) <= 200 and (line[0].isupper() or line[0] in "«\"")
            and not _TITLE_STOP.match(line) and not _NOT_TITLE.match(line)
            and not line.endswith((":", ",", ";")) and not regex.search(r"[.;]\s+\p{Lu}", line))


def _lines_before(head: str, position: int) -> Field | None:
    """The object's lines just above the number, a blank line between them allowed."""
    above = head[:position].rstrip().split("\n")[-3:]
    lines: list[str] = []
    for line in reversed(above):
        stripped = line.strip()
        if not stripped:
            break
        if lines and not (_title_like(stripped) and _continues(stripped, lines[0])):
            break
        if not lines and not (_title_like(stripped) or stripped[:1].islower()):
            return None
        lines.insert(0, stripped)
    if not lines or not _title_like(lines[0]):
        return None
    title = " ".join(" ".join(lines).split())
    start = head.rfind(lines[0], 0, position)
    return Field(start=start, end=start + len(title), text=title, value=title)


def _title_after(head: str, position: int) -> Field | None:
    """The OBJET's lines: they run on while the layout says the sentence goes on."""
    lines: list[str] = []
    start = None
    offset = position
    paragraph = _paragraph_at(head, position)
    following = head[position:].split("\n")
    for index, line in enumerate(following):
        line_start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            upcoming = next((l.strip() for l in following[index + 1:] if l.strip()), "")
            # A title broken by a gap still goes on when the next line carries on its sentence.
            if lines and not (upcoming[:1] in ("–", "—", "-") or upcoming[:1].islower()):
                break
            continue
        if _TITLE_STOP.match(stripped) and not (lines and _CONNECTOR_END.search(lines[-1])):
            if lines:
                break
            continue
        # A short paragraph is the title whole; a long one is cut where the sentence ends.
        next_line = following[index + 1].strip() if index + 1 < len(following) else ""
        # A short last line before a label ("Vu …") or a blank line ends the title, not the body.
        closes = len(stripped) <= 60 and (not next_line or bool(_TITLE_STOP.match(next_line)))
        if lines and not (paragraph <= 4 or _continues(lines[-1], stripped) or closes):
            break
        if start is None:
            start = line_start + (len(line) - len(line.lstrip()))
        lines.append(stripped)
        if len(lines) >= 8:
            break
    title = " ".join(" ".join(lines).split())
    if len(title) < 4 or start is None:
        return None
    return Field(start=start, end=start + len(title), text=title, value=title)


def _paragraph_at(head: str, position: int) -> int:
    """How many lines the paragraph starting at `position` has (blank lines skipped first)."""
    rest = head[position:].lstrip("\n ")
    block = rest.split("\n\n", 1)[0] if "\n\n" in rest else ""
    if not block or regex.search(r"[.;]\s+\p{Lu}|[.;]\s*$", block):
        return 99  # sentences: body text, not a title
    return len(block.split("\n"))


_CONNECTOR_END = regex.compile(
    r"(?:\b(?:de|du|des|la|le|les|et|à|au|aux|pour|en|sur|avec|par|d'|l'|un|une|dans|entre)|[–,:/(-])$",
    regex.IGNORECASE,
)


def _continues(previous: str, line: str) -> bool:
    """Does `line` continue a title whose last line was `previous`?"""
    if previous.endswith((".", ";", "!", "?")):
        return False
    if line[0].islower() or line[0] in "(«\"'–—-":
        return True
    if _CONNECTOR_END.search(previous):
        return True
    letters = [c for c in previous + line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _title_before_report(text: str) -> Field | None:
    """Montpellier style: the object is the paragraph just before "M. X rapporte :"."""
    report = _RAPPORTE.search(text)
    if not report:
        return None
    before = text[:report.start()].rstrip()
    paragraph_start = max(before.rfind("\n\n") + 2, 0) if "\n\n" in before else before.rfind("\n") + 1
    paragraph = before[paragraph_start:]
    lines = [l.strip() for l in paragraph.split("\n") if l.strip()]
    if not lines or len(lines) > 4 or lines[-1].endswith(":") or _TITLE_STOP.match(lines[0]):
        return None
    title = " ".join(" ".join(lines).split())
    return Field(start=paragraph_start, end=paragraph_start + len(paragraph), text=paragraph, value=title)


def find_place(text: str) -> Field | None:
    """Where the séance was held, without its preposition; the letterhead's address is not it."""
    for meeting in _MEETING.finditer(text[:HEADER_CHARS * 2]):
        offset = meeting.start("clause")
        for piece in regex.split(r",", meeting["clause"]):
            raw = " ".join(piece.split())
            at = offset
            offset += len(piece) + 1
            stripped = _strip_leading_nonplace(raw)
            if not stripped:
                continue
            # "… au nombre prescrit par la loi dans la salle …": start at the place's preposition.
            word = _PLACE_WORDS.search(stripped)
            if word:
                lead = list(regex.finditer(r"(?:^|\s)(?:dans|en|à|au|aux)\s", stripped[:word.start()]))
                if lead and lead[-1].start() > 0:
                    stripped = stripped[lead[-1].start():].strip()
            place = _ARTICLE.sub("", _PREPOSITION.sub("", _PLACE_TAIL.sub("", stripped))).strip(" .")
            if len(place) >= 3 and (_PLACE_WORDS.search(place) or _PREPOSITION.match(stripped)):
                return Field(start=at, end=at + len(piece), text=piece, value=place)
    return None


def _strip_leading_nonplace(piece: str) -> str:
    """Drop "en session ordinaire", "le 3 mars à 20 h" … from the front of a piece."""
    while piece:
        if not _NOT_PLACE.match(piece):
            return piece
        # Keep what follows a non-place opening when it is itself a place ("en session ordinaire à la mairie").
        inner = regex.search(r"\s(?=(?:à\s+la|à\s+l'|au|en|dans)\s+\p{L})", piece[3:])
        if not inner:
            return ""
        piece = piece[3 + inner.end():].strip()
    return piece
