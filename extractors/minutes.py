"""The agenda items of séance minutes (procès-verbal, compte rendu, registre), and the members who
arrive or leave during the séance.

Minutes number their items with one heading style for the whole document ("1)", "3/", "Point 3 –",
"Délibération n° 5", "DEL2025-02 :"). The same headings are often listed first as the agenda, and
operative clauses inside an item restart their own "1)", "2)": the item headings are the run of one
style, counted up from its first number, whose headings carry text of their own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import regex

from extractors.decisions import DELIBERATION_START
from extractors.spans import Span

_TITLE = r"(?P<title>[^\n\f]{0,220})(?=[\n\f]|\Z)"
_BOL = r"(?:^|(?<=\f))"  # a line start, the first line of a page included
# One pattern per heading style; `n` is the item's number as printed (None: the style's own count).
_STYLES: dict[str, regex.Pattern] = {
    "point": regex.compile(
        rf"{_BOL}[ \t]*(?:point|question|affaire|dossier)[ \t]+(?:n[°o][ \t]*)?(?P<seq>\d{{1,2}})\b[ \t]*[-–—:.)]?[ \t]*{_TITLE}",
        regex.IGNORECASE | regex.MULTILINE),
    "deliberation": regex.compile(
        rf"{_BOL}[ \t]*d[ée]lib[ée]ration[ \t]+n[°o]?\.?[ \t]*(?P<n>[A-Z]{{0,4}}[-_ ]?\d{{1,8}}(?:[-_/.]\d{{1,4}}){{0,2}})\b"
        rf"[ \t]*[-–—:.)]?[ \t]*{_TITLE}", regex.IGNORECASE | regex.MULTILINE),
    "code": regex.compile(
        rf"{_BOL}[ \t]*(?:n[°o][ \t]*)?(?P<n>(?:DEL|DCM|DBC|DC|DE|CM|D)[-_ ]?\d{{2,4}}[-_/.][A-Z]{{0,4}}[-_]?\d{{1,4}}|(?:19|20)\d\d[-_/.]\d{{1,4}})"
        rf"[ \t]*[-–—:][ \t]*{_TITLE}", regex.MULTILINE),
    "slash": regex.compile(rf"{_BOL}[ \t]*(?P<seq>\d{{1,2}})[ \t]*/[ \t]*(?=[\p{{Lu}}«\"]){_TITLE}", regex.MULTILINE),
    "paren": regex.compile(rf"{_BOL}[ \t]*(?P<seq>\d{{1,2}})[ \t]*\)[ \t]*(?=[\p{{Lu}}«\"]){_TITLE}", regex.MULTILINE),
    # OCR loses the dot of "3. DOMMAGES …": a number before a title in capitals is enough.
    "dot": regex.compile(
        rf"{_BOL}[ \t]*(?P<seq>\d{{1,2}})[ \t]*(?:\.|[ \t](?=\p{{Lu}}{{3}}))[ \t]*(?=[\p{{Lu}}«\"]){_TITLE}", regex.MULTILINE),
    "dash": regex.compile(rf"{_BOL}[ \t]*(?P<seq>\d{{1,2}})[ \t]+[-–—][ \t]+(?=[\p{{Lu}}«\"]){_TITLE}", regex.MULTILINE),
}
# OCR garbles a scanned "Délibération n°20221128-02" standing on its own line into "Dél nn°20221128-"
# or "élibération n° 21128-": a line made only of a piece of the word, "n°" and (part of) a number.
# It heads an item like the clean heading; its number counts only when it was read whole.
# Worse still, "li °202 =" or "i °202 “2": a letter or two, "°", the number's first digits and specks;
# a piece of the word without its "l" or "b" must then be followed by three digits or more.
_GARBLED_DELIBERATION = regex.compile(
    rf"{_BOL}[ \t]*[^\w\s]?(?:\p{{L}}{{0,4}}[lb]\p{{L}}{{0,10}}|\p{{L}}{{1,3}}(?=[ \t]*°[ \t]*\d{{3}}))\.?(?:[ \t]+\p{{L}}{{1,8}}\.?)?"
    rf"[ \t]*(?:n{{1,2}}[ \t]*[°o]|°)[ \t]*"
    rf"(?P<n>\d(?:[\d ]{{0,10}}\d)?(?:[ \t]?[-_/.]\d{{0,4}})?)[ \t]*(?:[=“”\"'’*~_]{{1,2}}[ \t]*\d{{0,2}}[ \t]*)?(?P<title>)(?=[\n\f]|\Z)",
    regex.IGNORECASE | regex.MULTILINE)
_WHOLE_NUMBER = regex.compile(r"[A-Z]{0,4}[-_ ]?\d{1,8}(?:[-_/.]\d{1,4}){0,2}", regex.IGNORECASE)
# Operative clauses numbered like items are not items.
_OPERATIVE = regex.compile(
    r"^(?:d[ée]cide|approuve|autorise|dit|prend|donne|accepte|fixe|charge|impute|attribue|sollicite|"
    r"adopte|valide|[ée]met|d[ée]signe|s'engage|pr[ée]cise|abroge|confirme|mandate|inscrit|vu|consid[ée]rant)\b",
    regex.IGNORECASE)
# A numbered list of people ("1. Alain GALLU") is not a list of items.
_PERSON = regex.compile(r"^(?:M\.|Mme|Monsieur|Madame)?[ \t]*\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?[ \t]+\p{Lu}{2,}[\p{Lu}' -]*$")
_MIN_BODY = 60
_VOTE_CUE = regex.compile(r"unanimit|\bvoix\b|\bvotes?\b|adopt[ée]|d[ée]lib[ée]r[ée]|\bD[ÉE]CIDE\b", regex.IGNORECASE)  # characters after a heading line for it to head an item rather than an agenda line

NOT_DELIBERATED = regex.compile(
    r"secr[ée]taire\s+de\s+s[ée]ance|(?:nomination|d[ée]signation|[ée]lection|choix)\s+(?:du|d'un|de\s+la)\s+secr[ée]taire|\bdu\s+secr[ée]taire\s*$|appel\s+(?:nominal|des\s+(?:d[ée]l[ée]gu|conseill|membres))|"
    # "approbation procès-verbal de mise à disposition des biens" approves a transfer, not minutes.
    r"approbation\s+(?:(?:du|des|de\s+la)\s+)?(?:proc[èe]s(?![- ]verbal\s+de\s+(?:mise|transfert|remise|livraison|r[ée]ception|bornage|d[ée]limitation))|"
    r"comptes?[- ]rendus?|pv|p\.v|cr\b|s[ée]ance\s+pr[ée]c[ée]dente)|"
    r"(?:adoption|validation)\s+(?:du|des)\s+(?:proc[èe]s|compte[- ]rendu|pv)|"
    # "Questions diverses" as the item's title; a voted "Délibération sur les questions diverses" is one.
    r"^\W{0,3}(?:questions?\s+diverses|divers\b|informations?\b)|informations?\s+(?:diverses|du\s+(?:maire|pr[ée]sident)|g[ée]n[ée]rales)|"
    r"ordre\s+du\s+jour|(?:compte[- ]rendu|rapport)\s+des\s+d[ée]cisions|d[ée]cisions?\s+(?:prises?|du\s+(?:maire|pr[ée]sident))|"
    r"d[ée]l[ée]gations?\s+(?:du|au)\s+(?:maire|pr[ée]sident)|points?\s+divers|tour\s+de\s+table",
    regex.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Item(Span):
    """One agenda item: its heading (start .. body) and its text up to the next item (end)."""

    body: int  # where the text after the heading starts
    number: str | None  # as printed ("2019-012", "5"); None when the heading only counts items
    title: str
    style: str


def find_items(text: str) -> list[Item]:
    """The agenda items of minutes, in document order; [] when the text has no run of headings."""
    return next(iter(item_sets(text)), [])


def item_sets(text: str):
    """Ways of cutting the text into items, surest first: numbered headings; unnumbered headings
    that repeat the lines of the agenda ("Ordre du jour"); short lines standing alone before a
    paragraph, in documents that call themselves minutes. Each set holds two items or more."""
    numbered = _numbered(text)
    if numbered:
        yield numbered
    agenda = _from_agenda(text)
    if agenda:
        yield agenda
    marked = _glyph_headings(text)
    if marked:
        yield marked
    if _MINUTES_TITLE.search(text[:_TOP]) and not _EXTRACT_TITLE.search(text[:_TOP]):
        loose = _paragraph_headings(text)
        if loose:
            yield loose


def _agenda_ordinals(heads: list[regex.Match], run: list[regex.Match]) -> set[str]:
    """The ordinals of a run of counted headings ("1.", "Point 3 –") that the agenda lists too, each
    before the body's heading of the same number: minutes numbered so in the agenda and in the body
    give each item that number. An ordinal printed in the body alone only counts the headings
    (opening business included), it numbers no deliberation."""
    if not run or "seq" not in run[0].re.groupindex:
        return set()
    earlier = {m["seq"] for m in heads if m.start() < run[0].start()}
    listed = {m["seq"] for m in run if m["seq"] in earlier}
    return listed if len(listed) >= 2 else set()


def _shape(number: str) -> str:
    return regex.sub(r"\d+", lambda m: f"<{len(m[0])}>", number.strip())


def _numbered(text: str) -> list[Item]:
    best: list[tuple[regex.Match, str]] = []
    listed: set[str] = set()
    for style, pattern in _STYLES.items():
        heads = [m for m in pattern.finditer(text)
                 if not _OPERATIVE.match(m["title"] or "") and not _PERSON.match(m["title"] or "")]
        if style == "deliberation":
            # At the same place the garbled reading wins over a clean one whose "title" is the
            # rest of a broken number ("n°2 128-": number 2, title "128-").
            garbled = {m.start(): m for m in _GARBLED_DELIBERATION.finditer(text)}
            heads = [garbled.pop(m.start()) if m.start() in garbled and not regex.search(r"\p{L}", m["title"] or "")
                     else m for m in heads]
            taken = {h.start() for h in heads}
            heads = sorted(heads + [m for m in garbled.values() if m.start() not in taken], key=lambda m: m.start())
        run = _run(text, heads, style)
        if _weight(text, run) > _weight(text, best):
            best = [(m, style) for m in run]
            listed = _agenda_ordinals(heads, run)
    if len(best) < 2:
        return []
    # The usual shape of the numbers read whole ("20250331-02": 8 digits, dash, 2 digits): a garbled
    # heading's number is kept only in that shape ("1-07" is what OCR left of "20250331-07").
    whole = Counter(_shape(m["n"]) for m, _ in best
                    if m.groupdict().get("n") and _WHOLE_NUMBER.fullmatch(m["n"].strip()))
    usual = whole.most_common(1)[0][0] if sum(whole.values()) >= 2 else None
    items = []
    for index, (match, style) in enumerate(best):
        end = best[index + 1][0].start() if index + 1 < len(best) else len(text)
        title, body = _title(text, match)
        number = match.groupdict().get("n") or (match["seq"] if match["seq"] in listed else None)
        if number and match.re is _GARBLED_DELIBERATION and (
                not _WHOLE_NUMBER.fullmatch(number.strip()) or (usual and _shape(number) != usual)):
            number = None  # "20221128-": its end lost to OCR
        items.append(Item(start=match.start(), end=end, text=text[match.start():end], body=body,
                          number=number.strip() if number else None, title=title, style=style))
    return _with_unnumbered(text, items)


_PAIRED = 2 / 3  # of the numbered headings, at least so many print their title after the same glyph


def _with_unnumbered(text: str, items: list[Item]) -> list[Item]:
    """Minutes whose headings pair a printed number with a title marked by a bullet glyph
    ("Délibération n°20190708-03" / "▪ Règlement intérieur …") may print an item with its marked
    title only (no number): a title so marked further inside an item, once that item has
    deliberated, starts an item of its own, without a number."""
    marked = [m for m in _GLYPH_LINE.finditer(text) if m["glyph"] and _title_like(m["line"])]
    paired = [next((m for m in marked if item.start <= m.start() < item.body), None) for item in items]
    glyphs = Counter(m["glyph"] for m in paired if m)
    if not glyphs:
        return items
    glyph, count = glyphs.most_common(1)[0]
    if count < _PAIRED * len(items):
        return items
    out = []
    for item, pair in zip(items, paired):
        cuts = [m for m in marked if m["glyph"] == glyph and item.body <= m.start() < item.end]
        pieces, start = [], item.start
        for index, m in enumerate(cuts):
            stop = cuts[index + 1].start() if index + 1 < len(cuts) else item.end
            # Both sides deliberate: a list marked like the titles inside the exposé ("▪ Famille :
            # 10 €") or a marked heading inside the operative part ("▪ Moyens d'information utilisés")
            # starts nothing.
            if not (DELIBERATION_START.search(text, start, m.start()) and DELIBERATION_START.search(text, m.end(), stop)):
                continue
            pieces.append(m)
            start = m.start()
        if not pieces:
            out.append(item)
            continue
        bounds = [item.start, *(m.start() for m in pieces), item.end]
        for index, (a, b) in enumerate(zip(bounds, bounds[1:])):
            if index == 0:
                out.append(replace(item, end=b, text=text[a:b]))
                continue
            head = pieces[index - 1]
            title, body = _title(text, head, group="line")
            out.append(Item(start=a, end=b, text=text[a:b], body=body, number=None, title=title,
                            style=item.style))
    return out


def _title_like(line: str) -> bool:
    line = line.rstrip()
    return not (line.endswith((";", ",", ".")) or _OPERATIVE.match(line) or _PERSON.match(line)
                or _VOTE_LINE.match(line) or _FIGURES.search(line))


_TOP = 800
_MINUTES_TITLE = regex.compile(
    r"compte[- ]rendu|proc[èe]s[- ]verbal|\bC-?R\s+du\s+conseil|registre\s+des\s+d[ée]lib[ée]rations|"
    r"r[ée]union\s+du\s+conseil", regex.IGNORECASE)
_EXTRACT_TITLE = regex.compile(r"\bextrait\b", regex.IGNORECASE)
_AGENDA = regex.compile(r"ordre\s+du\s+jour[ \t]*:?[ \t]*(?=[\n\f])", regex.IGNORECASE)
# A heading's bullet: a symbol font's glyph the PDF maps to no character is read as a control
# character ("\x01 Révision des tarifs") or a private-use code point.
_GLYPH = r"[\x01-\x08\x0e-\x1f\uf000-\uf0ff▪■□►▶➢➤❖◆◊•]"
_ENTRY_MARK = regex.compile(
    rf"^[ \t]*(?:(?:[-*·+>o]|{_GLYPH})[ \t]+|\d{1,2}[ \t]*[-.)/°][ \t]*|\d{1,2}[ \t]+|[IVX]{1,4}[ \t]*[-.)/][ \t]*)?")
_LINE = regex.compile(r"[^\n\f]+")


def _fold(line: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", line.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(regex.sub(r"[^\w' ]+", " ", text).split())


def _from_agenda(text: str) -> list[Item]:
    """Headings found by the agenda: each line listed under "Ordre du jour", found again in the
    same order further down at the start of a line."""
    agenda = _AGENDA.search(text)
    if not agenda:
        return []
    entries, cursor = [], agenda.end()
    for line in _LINE.finditer(text, agenda.end(), min(len(text), agenda.end() + 3000)):
        gap = text[cursor:line.start()]
        if entries and (gap.count("\n") > 1 or "\f" in gap):
            break
        cursor = line.end()
        entry = _fold(line[0][_ENTRY_MARK.match(line[0]).end():])
        if len(entry) >= 4:
            entries.append(entry)
        if len(entries) >= 30:
            break
    if len(entries) < 2:
        return []
    heads = []
    lines = [(m.start(), m.end(), _fold(m[0][_ENTRY_MARK.match(m[0]).end():])) for m in _LINE.finditer(text, cursor)]
    at = 0
    for entry in entries:
        key = entry[:24]
        for index in range(at, len(lines)):
            start, end, folded = lines[index]
            # The body may shorten the entry ("PADD." for "PADD (Plan d'Aménagement …)") or add to it.
            if folded.startswith(key) or (len(folded) >= 4 and (entry == folded or entry.startswith(folded + " "))):
                heads.append((start, end))
                at = index + 1
                break
    if len(heads) < 2:
        return []
    return _items_at(text, heads, "agenda")


# A heading's second line in capitals ("Modification des statuts de la Communauté de Communes" /
# "Changement d'adresse du siège social"): short, not a sentence, not a paragraph's first line.
_SUBTITLE = regex.compile(r"\n[ \t]*(?P<more>\p{Lu}[^\n\f]{3,90}?)[ \t]*(?<![.,;:])(?=\n)")
_WRAPS = 30  # a heading at least this long may go on over a second line
_MAX_WRAPS = 3  # lines a heading goes on over
_LAST_WORDS = 40  # a heading's third line in capitals is its last words ("Noyonnais"), not a sentence


def _items_at(text: str, heads: list[tuple[int, int]], style: str) -> list[Item]:
    items = []
    printed = None  # how often each line is printed, read when a heading may wrap
    for index, (start, end) in enumerate(heads):
        stop = heads[index + 1][0] if index + 1 < len(heads) else len(text)
        line = text[start:end]
        title = _tidy_title(line[_ENTRY_MARK.match(line).end():])
        for wrapped in range(_MAX_WRAPS):
            more = _CONTINUATION.match(text, end)
            if not more and style != "agenda" and len(title) >= _WRAPS:
                more = _SUBTITLE.match(text, end)
                if more and printed is None:
                    printed = Counter(_fold(line) for line in _LINE.findall(text))
                # A line printed again elsewhere is a label ("Section de fonctionnement" above each
                # table of a budget), not the end of one title.
                if more and (_SENTENCE_START.match(more["more"]) or _FIGURES.search(more["more"])
                             or (wrapped and len(more["more"]) > _LAST_WORDS)
                             or printed[_fold(more["more"])] > 1):
                    more = None
            if not more or title.endswith((".", ":")) or more.end() >= stop:
                break
            title, end = f"{title} {more['more'].strip()}", more.end()
        title = _tidy_title(title)
        items.append(Item(start=start, end=stop, text=text[start:stop], body=end, number=None,
                          title=title, style=style))
    return items


# A heading standing alone: a short line after a blank line (or at a page's top), followed at once
# by text, that reads like a title rather than the start of a sentence.
_LOOSE_HEADING = regex.compile(
    r"(?:\n[ \t]*\n|\f)[ \t]*(?P<line>\p{Lu}[^\n\f]{4,150}?)[ \t]*(?=\n(?:[ \t]*\n)?[ \t]*\S)")
_SENTENCE_START = regex.compile(
    r"^(?:le|la|les|l'|un|une|il|elle|ils|on|nous|vu|consid[ée]rant|apr[èe]s|monsieur|madame|m\.|mme|mr|"
    r"pr[ée]sents?|absents?|excus[ée]s?|pouvoirs?|procurations?|secr[ée]taire|pour|contre|vote|article|"
    r"page|fait|s[ée]ance|d[ée]cide|approuve|autorise|dit|adopt[ée]|ce|cette|ces|en|au|aux|sur|dans|suite|"
    r"afin|conform[ée]ment|par|de|du|des|et|ou|si|mairie|r[ée]publique|d[ée]partement|commune|personne|"
    r"nombre|date|objet|ordre\s+du\s+jour)\b",
    regex.IGNORECASE)


_FIGURES = regex.compile(r"\d[ .]\d{3}\b|€|\beuros?\b|\d{1,2}/\d{1,2}/\d{2,4}|\d{5}", regex.IGNORECASE)
_LOWER_START = regex.compile(r"[ \t]*\p{Ll}")
_QUESTIONS = regex.compile(r"^\W{0,3}questions?\s+diverses", regex.IGNORECASE)


# OCR reads a bullet glyph as one to three specks ('*', '"', '“*', '»*', '“=.'): one kind of mark.
_SPECKS = r"[*\"“”«»=.'’]{1,3}"
_GLYPH_LINE = regex.compile(
    rf"(?:^|(?<=[\n\f]))[ \t]*(?:(?P<glyph>{_GLYPH})|(?P<specks>{_SPECKS}))[ \t]*(?P<line>\p{{Lu}}[^\n\f]{{2,200}})",
    regex.MULTILINE)
_MIN_MARKED = 3


def _glyph_headings(text: str) -> list[Item]:
    """Headings marked by a bullet glyph ("▪ Révision des tarifs"), when the minutes mark their
    items so: the glyph that starts the most title-like lines, if it starts three or more."""
    by_glyph: dict[str, list[tuple[int, int]]] = {}
    for m in _GLYPH_LINE.finditer(text):
        line = m["line"].rstrip()
        if line.endswith((";", ",")) or _OPERATIVE.match(line) or _PERSON.match(line) or _VOTE_LINE.match(line):
            continue
        if m["specks"] and line.endswith((".", ":")):
            continue
        by_glyph.setdefault(m["glyph"] or "specks", []).append((m.start("line"), m.start("line") + len(line)))
    heads = max(by_glyph.values(), key=len, default=[])
    return _items_at(text, heads, "glyph") if len(heads) >= _MIN_MARKED else []


_EDGE = 3  # lines at a page's top or foot where running titles and margin boxes sit


def _paragraph_headings(text: str) -> list[Item]:
    """Headings standing alone; a line printed again further on (a margin box or running title
    repeated on every page) is not one."""
    seen: dict[str, int] = {}
    edge: dict[str, int] = {}  # lines printed at a page's top or foot, and how often
    for page in text.split("\f"):
        lines = [_fold(line) for line in page.split("\n") if line.strip()]
        for index, key in enumerate(lines):
            seen[key] = seen.get(key, 0) + 1
            for side, at_edge in (("top", index < _EDGE), ("foot", index >= len(lines) - _EDGE)):
                if at_edge:
                    edge[key] = edge.get(key, 0) + 1
                    edge[(side, key)] = edge.get((side, key), 0) + 1
    heads = []
    capitals = {m.start("line"): m for m in _CAPITALS_LINE.finditer(text) if _is_capitals_heading(m["line"])}
    # A title in capitals wrapped over two lines is one heading; a line after "comme suit :" heads
    # the table it announces, not an item.
    capitals = {at: m for at, m in capitals.items()
                if not _LINE_ABOVE.search(text, max(0, at - 200), at)
                or not (_is_capitals_heading(_LINE_ABOVE.search(text, max(0, at - 200), at)["above"])
                        or _LINE_ABOVE.search(text, max(0, at - 200), at)["above"].rstrip().endswith(":"))}
    width = _text_width(text)
    # A line standing alone above a blank line may be long; one above a paragraph must be short.
    short = [m for m in _AFTER_SENTENCE.finditer(text)
             if (len(m["line"]) <= width * _SHORT_LINE or _BLANK_AFTER.match(text, m.end()))
             and not _SUB_PART.match(m["line"]) and len(m["line"].split()) >= _MIN_WORDS]
    # After the last line of a dash list, a title of any length when the exposé opens below it
    # ("- 1 délégué suppléant" / "Convention architecte … hangar communal" / "Monsieur le maire expose …").
    after_list = [m for m in _AFTER_LIST.finditer(text) if _EXPOSE_OPENING.match(text, m.end())
                  and len(m["line"].split()) >= _MIN_WORDS]
    found = {m.start("line"): m for m in (*_LOOSE_HEADING.finditer(text), *short, *after_list)}
    found.update(capitals)
    for m in sorted(found.values(), key=lambda m: m.start("line")):
        line = m["line"]
        # A line stating the vote's result ("DM adoptée par 2 abstentions et 12 voix pour") closes
        # an item; it heads none.
        if line.endswith((".", ";", ":")) or _FIGURES.search(line) or _RESULT.search(line):
            continue
        # A title in capitals is a title whatever its article ("LE BUDGET …"), but not a letterhead
        # ("MAIRIE DE VILLE") nor an article of a convention quoted in the exposé ("ARTICLE 5 : …").
        if (_NOT_A_TITLE if m.start("line") in capitals else _SENTENCE_START).match(line):
            continue
        # "… d'aménagement de sécurité," / "voirie, réseaux divers … du chapitre" / "Le contrat …"
        if line.endswith(",") and not (_LOWER_START.match(text, m.end() + 1) and _wrapped_title(text, m.end())):
            continue
        # A long line going on with another long one in lower case is a paragraph's first line; a
        # title wraps onto a short line ("… au domaine / des « Transports »").
        # A long title wraps too, but its last line ends without a full stop before the text
        # ("… d'urbanisme / en tenant lieu … du Pays / Noyonnais" then "Vu le Code …").
        more = _LOWER_START.match(text, m.end() + 1)
        if len(line) > 80 and more and text.find("\n", more.end()) - m.end() > 60 and not _wrapped_title(text, m.end()):
            continue
        # A running title repeats at pages' tops or feet, or on many pages; two items may share a
        # first line ("Modification des statuts de la Communauté" / their own second line).
        key = _fold(line)
        running = seen.get(key, 0) > 2 or (seen.get(key, 0) > 1 and key in edge)
        if m.start("line") in capitals:
            # Items may share a title in capitals ("AFFECTATION DES RESULTATS" under each budget):
            # a running title is printed at the top (or the foot) of several pages.
            running = edge.get(("top", key), 0) > 1 or edge.get(("foot", key), 0) > 1
        # The document's own title; "Approbation du compte rendu …" heads an item (not deliberated).
        if running or (_MINUTES_TITLE.search(line) and not NOT_DELIBERATED.search(line)):
            continue
        heads.append((m.start("line"), m.end("line")))
    # A line printed again elsewhere ("Section de fonctionnement" above each table of a budget) heads
    # an item only if its text is voted, as a title in capitals does.
    repeated = {start for start, end in heads if seen.get(_fold(text[start:end]), 0) > 1}
    heads = _voted_capitals(text, heads, set(capitals), repeated - set(capitals))
    if len(heads) < 2:
        return []
    return _with_sections(_items_at(text, heads, "paragraph"), set(capitals))


_RESULT = regex.compile(r"\b(?:approuv|adopt|rejet|accept)[ée]e?s?\b|unanimit|\b\d{1,3}\s+voix\b|"
                        r"r[ée]sultat\s+du\s+vote|\b(?:pour|contre|abstentions?|votants?)\s*:\s*\d", regex.IGNORECASE)
_OUTCOME = regex.compile(r"\b(?:approuv|adopt|rejet|accept)[ée]e?s?\b", regex.IGNORECASE)


def _voted_capitals(text: str, heads: list[tuple[int, int]], capitals: set[int],
                    labels: set[int] = frozenset()) -> list[tuple[int, int]]:
    """Titles in capitals that head an item: their text is voted, or they head a section (no text
    of their own). A line in capitals above text that is not voted (a table's column headings,
    "DEPENSES RECETTES") belongs to the item above it; so does a label printed more than once
    (`labels`), its text read up to the next heading of another kind."""
    kept = []
    for index, (start, end) in enumerate(heads):
        if start in labels:
            # Past the column headings in capitals of its own table ("DEPENSES RECETTES").
            stop = next((a for at, (a, b) in enumerate(heads[index + 1:], index + 1) if a not in labels and not (
                a in capitals and (heads[at + 1][0] if at + 1 < len(heads) else len(text)) - b < _MIN_BODY)),
                len(text))
            if kept and not (_VOTE_CUE.search(text, end, stop) or VOTED.search(text, end, stop)
                             or _OUTCOME.search(text, end, stop)):
                continue
        stop = heads[index + 1][0] if index + 1 < len(heads) else len(text)
        if start in capitals and kept and stop - end >= _MIN_BODY and not (
                _VOTE_CUE.search(text, end, stop) or VOTED.search(text, end, stop) or _OUTCOME.search(text, end, stop)):
            continue
        kept.append((start, end))
    return kept


# A line in capitals standing alone, an agenda number before it allowed ("3. INDEMNITES DU MAIRE").
_CAPITALS_LINE = regex.compile(
    r"(?:^|(?<=[\n\f]))[ \t]*(?:\d{1,2}[ \t]*[.)/-][ \t]*)?(?P<line>[^\n\f]{8,150}?)[ \t]*(?=\n(?:[ \t]*\n)?[ \t]*\S)")
_NOT_A_TITLE = regex.compile(
    r"^(?:mairie|commune|ville|r[ée]publique|d[ée]partement|pr[ée]fecture|article|art\.|page|pr[ée]sents?|absents?|"
    r"excus[ée]s?|pouvoirs?|procurations?|secr[ée]taire|nombre|date|objet|fait|pour|contre|total)\b",
    regex.IGNORECASE)
_LINE_ABOVE = regex.compile(r"(?P<above>[^\n\f]*\S[^\n\f]*)\n[ \t]*(?:\d{1,2}[ \t]*[.)/-][ \t]*)?\Z")
_FORMULA = regex.compile(r"^(?:le|la)\s+(?:conseil|comit[ée]|bureau|commission)\b|apr[èe]s\s+en\s+avoir|\bd[ée]lib[èe]re\b",
                         regex.IGNORECASE)
_CAPITAL_WORD = regex.compile(r"\p{Lu}{3,}")
_INITIAL_NAME = regex.compile(r"\b\p{Lu}\.[ \t]?\p{Lu}{2,}")  # "C.FOROT – N.VERDON": a list of members
_CAPITALS_SHARE = 0.9


def _is_capitals_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    # Not the operative formula nor a clause printed in capitals ("LE CONSEIL MUNICIPAL, APRES EN
    # AVOIR DELIBERE", "DECIDE …").
    if _OPERATIVE.match(line) or _FORMULA.search(line):
        return False
    if len(_CAPITAL_WORD.findall(line)) < 2 or sum(ch.isupper() for ch in letters) < _CAPITALS_SHARE * len(letters):
        return False
    return not (regex.search(r"[%€]", line) or len(_INITIAL_NAME.findall(line)) >= 2)


# A short line after a sentence's end, when OCR has lost the blank line before a heading
# ("… lors de leur location." / "Acceptation de recette" / "Le conseil municipal …").
_AFTER_SENTENCE = regex.compile(
    r"(?<=[.!?][ \t]*\n)[ \t]*(?P<line>\p{Lu}[^\n\f]{4,150}?)[ \t]*(?=\n(?:[ \t]*\n)?[ \t]*\S)")
_AFTER_LIST = regex.compile(
    r"(?<=(?:^|\n)[ \t]*[-–•][ \t]+[^\n]*\n)[ \t]*(?P<line>\p{Lu}[^\n\f]{4,150}?)[ \t]*(?=\n[ \t]*\S)")
_EXPOSE_OPENING = regex.compile(
    r"\n[ \t]*(?:(?:monsieur|madame|m\.|mme)\s+(?:le|la)\s+(?:maire|pr[ée]sident(?:e)?)|vu\b|consid[ée]rant\b)",
    regex.IGNORECASE)
# "II) Mise en place du complément …", "B- Les tarifs": a part of the item above, not an item.
_SUB_PART = regex.compile(r"[IVXLD]{1,4}[ \t]*[).\-–]|\p{L}[ \t]*[)\-–][ \t]")
_BLANK_AFTER = regex.compile(r"\n[ \t]*\n")
_MIN_WORDS = 3  # "Catégorie C" above a table is a label, "Acceptation de recette" a title
_SHORT_LINE = 0.6  # of the text's width: a paragraph's first line fills it, a heading does not


def _text_width(text: str) -> int:
    """The length of a full line of text (most lines of a paragraph are as long)."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _with_sections(items: list[Item], capitals: set[int]) -> list[Item]:
    """Titles in capitals under a section title of their own ("VOTE DES COMPTES DE GESTION 2016"
    then "BUDGET COMMUNE", "BUDGET EAU" …, each voted): the section's title joins each item's,
    "VOTE DES COMPTES DE GESTION 2016 – BUDGET COMMUNE", so that items that share a title
    ("AFFECTATION DES RESULTATS" under each budget) are told apart. A section ends at the next
    section title, or at an item whose title already says what the section's does ("VOTE DES
    BUDGETS PRIMITIFS" then "BUDGET PRIMITIF 2017 COMMUNE")."""
    out, section = [], None
    for item in items:
        if item.start in capitals:
            item = replace(item, title=_without_specks(item.title))
        own = item.text[item.body - item.start:].strip()
        if (item.start in capitals and len(regex.findall(r"\p{L}", own)) <= _SPECK_LETTERS
                and _is_capitals_heading(item.title) and not NOT_DELIBERATED.search(item.title)):
            section = item.title
            out.append(item)
            continue
        if section and item.start in capitals:
            if _says_again(section, item.title):
                section = None
            else:
                item = replace(item, title=f"{section} – {item.title}")
        else:  # a heading of another kind: the titles in capitals and their sections are over
            section = None
        out.append(item)
    return out


_SPECK_LETTERS = 3  # a section title has no text of its own: at most a speck OCR read as letters


def _without_specks(title: str) -> str:
    """A title in capitals without the specks OCR reads beside it ("[ VOTE DES …", "… COMMUNE _",
    "… PIEUX Il ]"): marks without a letter at either end, a short word in lower case at its end."""
    words = title.split()
    # A speck read as a short word in lower case ("Lh SDED …" for "1. SDED …").
    while len(words) > 1 and (not regex.search(r"[\p{L}\d]", words[0])
                              or (len(words[0]) <= 2 and words[0].isalpha() and not words[0].isupper())):
        words.pop(0)
    if words and regex.fullmatch(r"\d{1,2}[.:)/-]", words[0]) and len(words) > 1:
        words.pop(0)  # the point's number OCR read with a colon ("7: LOCATION …")
    while len(words) > 1 and (not regex.search(r"[\p{L}\d]", words[-1])
                              or (len(words[-1]) <= 2 and not words[-1].isupper() and not words[-1].isdigit())):
        words.pop()
    return " ".join(words)


def _words(title: str) -> set[str]:
    return {word.rstrip("sx") for word in _fold(title).split() if len(word) >= 4}


def _says_again(section: str, title: str) -> bool:
    words = _words(section)
    return bool(words) and len(words & _words(title)) * 2 >= len(words)


_TITLE_GOES_ON = regex.compile(r"\n[ \t]*(?P<line>[^\n\f]{1,160})")


def _wrapped_title(text: str, end: int) -> bool:
    """Do the lines after a heading's first line, up to the one that opens the text, end without
    punctuation (a wrapped title) rather than with a full stop (a paragraph)?"""
    last = None
    for _ in range(3):
        nxt = _TITLE_GOES_ON.match(text, end)
        if not nxt:
            return False
        line = nxt["line"].strip()
        if last is not None and (_SENTENCE_START.match(line) or not line[:1].islower()):
            return not last.endswith((".", ";", ":", ","))
        last, end = line, nxt.end()
    return False


def _run(text: str, heads: list[regex.Match], style: str) -> list[regex.Match]:
    """The headings of one style that head items: numbers counted up (1, 2, 3 …, a gap of one
    allowed), starting at each "1" in turn and keeping the run whose headings carry the most text;
    printed numbers (codes) are taken as they come, an agenda line's repeat left out."""
    if not heads:
        return []
    if "seq" not in heads[0].re.groupindex:
        by_number: dict[object, regex.Match] = {}
        for index, m in enumerate(heads):
            end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
            # A number cut short by OCR ("21128-") says nothing of which item it is: by place.
            # A garbled heading's digits without their separator ("li °202 =") are a start, not a number.
            whole = _WHOLE_NUMBER.fullmatch(m["n"].strip()) and (
                m.re is not _GARBLED_DELIBERATION or regex.search(r"\d[-_/.]\d", m["n"]))
            key = m["n"] if whole else m.start()
            if end - m.end() >= _MIN_BODY or key not in by_number:
                by_number[key] = m
        return sorted(by_number.values(), key=lambda m: m.start())
    runs = []
    lowest = min(int(m["seq"]) for m in heads)
    for first, head in enumerate(heads):
        if int(head["seq"]) > lowest + 1:  # OCR may have lost the first heading's number
            continue
        run = [head]
        for m in heads[first + 1:]:
            if 1 <= int(m["seq"]) - int(run[-1]["seq"]) <= 2:
                run.append(m)
        runs.append(run)
    return max(runs, key=lambda run: (_weight(text, run), -run[0].start()), default=[])


def _weight(text: str, run) -> int:
    """How many headings of a run carry text of their own (agenda lines do not)."""
    heads = [h[0] if isinstance(h, tuple) else h for h in run]
    if len(heads) < 2:
        return 0
    count = 0
    for index, m in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        if end - m.end() >= _MIN_BODY:  # an item's own text; one that reads as voted counts double
            count += 1 + bool(_VOTE_CUE.search(text, m.end(), end))
    return count


# A line in lower case goes on with the heading, unless it starts with a bullet OCR read as a
# letter ("e Vu la convention …", "o Réviser …").
_CONTINUATION = regex.compile(r"\n[ \t]*(?![eo][ \t]+\p{Lu})(?P<more>\p{Ll}[^\n]{0,160})")
_DANGLING = regex.compile(r"\b(?:au|aux|du|de|des|la|le|les|à|et|pour|en|sur|avec|d'|l')$", regex.IGNORECASE)
# A long heading's last words on a line of their own, in capitals or not, a blank line (or the page's
# end) after them: "… entre la commune de Taluyers et l'Agence Locale de la" / "Transition Energétique du Rhône".
_LAST_LINE = regex.compile(r"\n[ \t]*(?P<more>[^\n\f]{2,120}?)[ \t]*(?=\n[ \t]*\n|\f|\Z)")
_LABEL = regex.compile(r"[ \t]*\p{L}[\p{L}' ]{1,30}?[ \t]*:")  # "Rapporteur : Sylvain GOUPIL" under a heading
_NEXT_LINE = regex.compile(r"\n\s{0,8}(?:objet[ \t]*[:.\-–][ \t]*)?(?P<more>[^\n]{3,220})", regex.IGNORECASE)


def _title(text: str, match: regex.Match, group: str = "title") -> tuple[str, int]:
    """The heading's title without its number, a wrapped second line joined; a number alone on
    its line takes the next line (often "Objet : …")."""
    title, end = (match[group] or "").strip(), match.end()
    if not title:
        more = _NEXT_LINE.match(text, end)
        if more:
            title, end = more["more"].strip(), more.end()
    if title and not title.endswith((".", ":", ";")):
        more = (_CONTINUATION.match(text, end) or (_DANGLING.search(title) and _NEXT_LINE.match(text, end))
                or (len(title) >= _WRAPS and _LAST_LINE.match(text, end)))
        # The item's vote printed under its heading ("2 abstentions 10 votes pour") is no title.
        if more and not (more.re is _LAST_LINE and (_SENTENCE_START.match(more["more"])
                                                     or more["more"].rstrip().endswith((".", ":", ";"))
                                                     or _VOTE_LINE.match(more["more"]) or _RESULT.search(more["more"])
                                                     or _VOTE_CUE.search(more["more"]) or _LABEL.match(more["more"]))):
            title, end = f"{title} {more['more'].strip()}", more.end()
    title = regex.sub(r"^[^\p{L}\d«\"]+", "", title)  # a bullet glyph read as a control character
    if title.startswith("«") and "»" not in title:  # an opening quote that closes nothing: a bullet
        title = title[1:].lstrip()
    title = regex.sub(r"^(?:objet|point)[ \t]*[:.\-–][ \t]*", "", title, flags=regex.IGNORECASE)
    return _tidy_title(title), end


def _tidy_title(title: str) -> str:
    """Without the heading's closing colon, dash or full stop (an abbreviation's dot is kept)."""
    title = title.strip(" \t:–—-")
    # An em dash between words of a heading is the en dash headings print (OCR cannot tell them
    # apart): one spelling, so that titles compare and search alike.
    title = title.replace(" — ", " – ")
    if title.endswith(".") and not regex.search(r"(?:\b\p{Lu}|\betc)\.$", title):
        title = title[:-1].rstrip(" \t:–—-")
    return title


# Words that say an item was put to the vote, whatever the breakdown's wording.
VOTED = regex.compile(
    r"\b\d{1,3}[ \t]+(?:voix|votes?|vote)[ \t]+(?:pour|contre)|\b(?:adopt|approuv|rejet)[ée]e?s?[ \t]+(?:[àa][ \t]+l'unanimit|"
    r"par[ \t]+\d|[àa][ \t]+la[ \t]+majorit)|\bvote[ \t]*:|\b(?:ADOPT|APPROUV|REJET)[ÉE]E?S?\b|"
    r"(?i:d[ée]lib[ée]ration[ \t]+prise|accord[ \t]+du[ \t]+conseil|le[ \t]+conseil(?:[ \t]+(?:municipal|communautaire|syndical|d'administration))?"
    # "Le conseil municipal de Ville sollicite …": the assembly named with its commune.
    r"(?:[ \t]+de[ \t]+(?-i:\p{Lu})[\p{L}'’-]+)?[ \t]*,?[ \t]*"
    r"(?:[àa][ \t]+l'unanimit[ée][ \t]*,?[ \t]*)?(?:accepte|approuve|d[ée]cide|autorise|adopte|fixe|donne[ \t]+son[ \t]+accord|"
    r"sollicite|d[ée]signe|[ée]met|d[ée]clare)\b)")


# An item voted in parts: "1. Budget – Commune :" then "- Approbation du compte de gestion 2020 …
# Vote : …", "- Approbation du compte administratif 2020 … Vote : …" (a dash line of the vote's own
# breakdown, "- Pour : 15", is not a part).
# A symbol font's dash or bullet the PDF maps to a private-use code point ("\uf02d Budget primitif")
# marks a part as the printed dash does, often in the same list.
_PART = regex.compile(rf"(?:^|(?<=[\n\f]))[ \t]*(?:[-–•]|{_GLYPH})[ \t]+(?P<title>\p{{Lu}}[^\n\f]{{3,150}})(?=[\n\f]|\Z)")
_VOTE_LINE = regex.compile(r"^(?:(?:pour|contre|abstentions?|votants?|vote)\s*:|\d|ne\s+prend|unanimit)", regex.IGNORECASE)
_PART_VOTED = regex.compile(r"\bvote[ \t]*:|\b\d{1,3}[ \t]+(?:voix|votes?)\b|\badopt[ée]e?s?\b", regex.IGNORECASE)


def split_item(item: Item) -> list[Item]:
    """The parts of an item voted part by part, each a deliberation of its own; the item itself
    when its parts are not each voted."""
    parts = _dash_parts(item)
    return parts if len(parts) > 1 else _closed_parts(item)


def _dash_parts(item: Item) -> list[Item]:
    text = item.text
    heads = [m for m in _PART.finditer(text, item.body - item.start)
             if not (_OPERATIVE.match(m["title"]) or _VOTE_LINE.match(m["title"]) or _PERSON.match(m["title"])
                     or m["title"].rstrip().endswith((";", ",")))]
    if len(heads) < 2:
        return [item]
    ends = [h.start() for h in heads[1:]] + [len(text)]
    voted = [h for h, end in zip(heads, ends) if _PART_VOTED.search(text, h.end(), end)]
    if len(voted) < 2:
        return [item]
    parts = []
    for index, head in enumerate(voted):
        start = 0 if index == 0 else head.start()
        end = voted[index + 1].start() if index + 1 < len(voted) else len(text)
        parts.append(Item(start=item.start + start, end=item.start + end, text=text[start:end],
                          body=item.start + head.end(), number=None,
                          title=head["title"].strip(" \t:–—-"), style=item.style))
    return parts


# A line that closes a deliberation by stating its outcome ("Accord du conseil à l'unanimité.",
# "Délibération prise en ce sens.", "Décision modificative adoptée à l'unanimité des présents.",
# "Vote du conseil : 2 voix CONTRE … et 11 voix POUR."); one ending with a colon announces a list.
_CLOSING = regex.compile(
    r"^[ \t]*(?:accord\s+(?:du|de\s+l['’])\s*(?:conseil|assembl[ée]e)|d[ée]lib[ée]rations?\s+(?:prises?|adopt[ée]es?)|"
    r"vote\s+du\s+conseil|vote\s*:|r[ée]sultat\s+du\s+vote|adopt[ée]e?s?\s+(?:[àa]\s+l|par)\b|"
    r"[\p{L}' ]{2,50}?\s(?:adopt|approuv|rejet)[ée]e?s?\s+(?:[àa]\s+l['’]\s*unanimit|[àa]\s+la\s+majorit|par\s+\d))"
    r"[^\n\f]{0,140}(?<![:])[ \t]*(?=[\n\f]|\Z)",
    regex.IGNORECASE | regex.MULTILINE)
# A block of lines between blank lines (or page breaks).
_BLOCK = regex.compile(r"(?:^|(?<=\n[ \t]*\n|\f))[ \t]*(?P<block>\S[^\f]*?)(?=\n[ \t]*\n|\f|\Z)", regex.MULTILINE)
# A part's heading marked by a dash, a bullet or its own number glued or not ("-règlement Cantine",
# "2.approbation procès-verbal …", "• Tarifs").
_MARKED_HEADING = regex.compile(r"^(?:[-–•*▪][ \t]*|\d{1,2}[ \t]*[.:)/-][ \t]*)(?P<title>\p{L}[^\n]{2,200})$")
# A title in capitals goes on over a short line in capitals or in parentheses ("… DURABLE" / "(PADD)").
_CAPITALS_MORE = regex.compile(r"^\(?[^\p{Ll}\n]{2,60}\)?$")
# "C.BOURRETTE demande …", "YA : nous sommes …", "T.BUSIN donne …": a speaker, not a heading.
_SPEAKER = regex.compile(r"^(?:\p{Lu}\.[ \t]?\p{Lu}{2,}|\p{Lu}{1,4}[ \t]*:|(?:M\.|Mme|Monsieur|Madame)\b)")
_MOVE_LINE = regex.compile(r"^\W*(?:arriv[ée]e|d[ée]part|sortie|retour)\b", regex.IGNORECASE)
_TITLE_LINES = 3  # a heading standing alone wraps over at most so many lines


def _closed_parts(item: Item) -> list[Item]:
    """An agenda point that holds several deliberations, each closed by its outcome ("Accord du
    conseil à l'unanimité. / Délibération prise en ce sens.") and each opened by a heading of its
    own after the previous one's close ("-règlement garderie périscolaire", "Approbation Règlement
    Intérieur", a title in capitals): one part per deliberation, titled by that heading. Words said
    after a vote and before the next heading (a member's question) stay with the vote's part."""
    text, body = item.text, item.body - item.start
    closings = _closing_groups(text, body)
    if len(closings) < 2:
        return [item]
    heads = []  # (where the part starts, its title)
    for before, after in zip(closings, closings[1:]):
        head = _part_heading(text, before[1], after[0])
        if head:
            heads.append(head)
    if not heads:
        return [item]
    first = _part_heading(text, body, closings[0][0], first=True)
    bounds = [0] + [at for at, _ in heads] + [len(text)]
    titles = [first[1] if first else item.title] + [title for _, title in heads]
    return [Item(start=item.start + a, end=item.start + b, text=text[a:b],
                 body=item.start + (body if index == 0 else a), number=item.number if index == 0 else None,
                 title=title, style=item.style)
            for index, (a, b, title) in enumerate(zip(bounds, bounds[1:], titles))]


def _closing_groups(text: str, start: int) -> list[tuple[int, int]]:
    """Where each closing starts and ends: consecutive closing lines make one closing."""
    groups: list[list[int]] = []
    for m in _CLOSING.finditer(text, start):
        if groups and not text[groups[-1][1]:m.start()].strip():
            groups[-1][1] = m.end()
        else:
            groups.append([m.start(), m.end()])
    return [(a, b) for a, b in groups]


def _part_heading(text: str, start: int, end: int, first: bool = False) -> tuple[int, str] | None:
    """The first block between `start` and `end` that heads a part: a block of at most three lines
    without a closing full stop (a title standing alone), or a block whose first line is a marked
    heading or a title in capitals; opening business, arrivals and speakers are none."""
    for m in _BLOCK.finditer(text, start, end):
        lines = [line.strip() for line in m["block"].split("\n") if line.strip()]
        if not lines or len(regex.findall(r"\p{L}", lines[0])) < 4 or _SPEAKER.match(lines[0]) \
                or _MOVE_LINE.match(lines[0]) or NOT_DELIBERATED.search(lines[0]) or _CLOSING.match(lines[0]) \
                or _RESULT.search(lines[0]) or end - m.start("block") < _MIN_BODY:
            if first:
                return None
            continue
        marked = _MARKED_HEADING.match(lines[0])
        if marked and not _OPERATIVE.match(marked["title"]):
            return m.start("block"), _tidy_title(marked["title"])
        if _is_capitals_heading(lines[0]) and not _NOT_A_TITLE.match(lines[0]):
            title = lines[0]
            for line in lines[1:_TITLE_LINES]:
                if not _CAPITALS_MORE.match(line) or not regex.search(r"\p{Lu}{2}", line):
                    break
                title += " " + line
            return m.start("block"), _tidy_title(_without_specks(title))
        if (len(lines) <= _TITLE_LINES and not lines[-1].endswith((".", ":", ";", "?", "!"))
                and lines[0][:1].isupper() and not _SENTENCE_START.match(lines[0])):
            return m.start("block"), _tidy_title(" ".join(lines))
        if first:
            return None
    return None


def is_single_extract(text: str) -> bool:
    """An extract of one deliberation: it says so at the top and deliberates once; its numbered
    paragraphs are not agenda items."""
    if len(_DELIBERATES.findall(text)) > 1:
        return False
    # "REGISTRE DES DÉLIBÉRATIONS" then "Délibération n° CC-2024-045" as the only such heading: one
    # deliberation, whose "Article 1 :", "Article 2 :" are not items.
    return bool(_EXTRACT_TITLE.search(text[:_TOP])) or len(_NUMBERED_HEADING.findall(text)) == 1 == len(
        _NUMBERED_HEADING.findall(text[:_TOP]))


_DELIBERATES = regex.compile(r"apr[èe]s\s+en\s+avoir\s+d[ée]lib[ée]r[ée]|\bD[ÉE]LIB[ÈE]RE\b", regex.IGNORECASE)
_NUMBERED_HEADING = regex.compile(r"^[ \t]*d[ée]lib[ée]ration[ \t]+n[°o]", regex.IGNORECASE | regex.MULTILINE)


def is_deliberated(item: Item, has_vote: bool, has_decision: bool) -> bool:
    """An item is deliberated when it carries a vote or a decision and is not opening business,
    the approval of earlier minutes, questions diverses or an information. A budget or an account
    is adopted only by a deliberation: its item is one even when the minutes print only its tables;
    so is an item that calls itself "la présente délibération"."""
    if NOT_DELIBERATED.search(item.title):
        return False
    own = item.text[item.body - item.start:]
    return (has_vote or has_decision or bool(VOTED.search(item.text)) or bool(_SELF_NAMED.search(item.text))
            or bool(_BUDGET_ACT.search(item.title) and len(own.strip()) >= _MIN_BODY and _FIGURES.search(own)))


_SELF_NAMED = regex.compile(r"(?:ex[ée]cution|ampliation)\s+de\s+la\s+pr[ée]sente\s+d[ée]lib[ée]ration", regex.IGNORECASE)
_BUDGET_ACT = regex.compile(
    r"\bbudgets?\s+(?:primitifs?|suppl[ée]mentaires?)|\bcomptes?\s+administratifs?|d[ée]cisions?\s+modificatives?",
    regex.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Movement(Span):
    """A member arriving or leaving during the séance."""

    name: str
    status: str  # present (arrives) | absent (leaves) | represented (leaves, gives a proxy)
    proxy_to: str | None = None
    from_item: int | None = None  # "à partir du point 4": the item number it applies from


_WHO = r"(?P<who>(?:M\.|Mme|Mlle|MM\.|Monsieur|Madame)[ \t]*\p{Lu}[\p{L}'’\-]*(?:[ \t]+\p{Lu}[\p{L}'’\-]*){0,3})"
_TO = r"(?:[ \t,]+(?:et[ \t]+)?(?:qui[ \t]+)?donne[ \t]+(?:pouvoir|procuration)[ \t]+[àa][ \t]+(?P<to>(?:M\.|Mme|Monsieur|Madame)?[ \t]*\p{Lu}[\p{L}'’\-]*(?:[ \t]+\p{Lu}[\p{L}'’\-]*){0,3}))?"
_POINT = r"(?:[^.\n]{0,40}?(?:à[ \t]+partir[ \t]+du|avant[ \t]+le|au|pour[ \t]+le)[ \t]+(?:point|dossier)[ \t]+(?:n[°o][ \t]*)?(?P<point>\d{1,2}))?"
# "Départ de Maryline et Nelly à 20H50", "Arrivée de M. X": the civility may be left out there.
_NAME = r"(?:(?:M\.|Mme|Mlle|Monsieur|Madame)[ \t]*)?\p{Lu}[\p{L}'’\-]+(?:[ \t]+\p{Lu}[\p{L}'’\-]*){0,3}"
_SOME = rf"(?P<who>{_NAME}(?:[ \t]*(?:,|\bet\b)[ \t]*{_NAME}){{0,4}})"
_MOVES = (
    ("present", regex.compile(rf"\b(?i:arriv[ée]e)[ \t]+de[ \t]+{_SOME}{_POINT}")),
    ("present", regex.compile(rf"{_WHO}[ \t]+(?:arrive|rejoint[ \t]+(?:la[ \t]+s[ée]ance|l'assembl[ée]e)|entre[ \t]+en[ \t]+s[ée]ance){_POINT}")),
    ("absent", regex.compile(rf"\b(?i:d[ée]part)[ \t]+de[ \t]+{_SOME}{_TO}{_POINT}")),
    ("absent", regex.compile(
        rf"{_WHO}[ \t]+(?:quitte[ \t]+(?:la[ \t]+s[ée]ance|la[ \t]+salle|l'assembl[ée]e)|se[ \t]+retire|sort[ \t]+de[ \t]+la[ \t]+salle){_TO}{_POINT}")),
)


def find_movements(text: str) -> list[Movement]:
    """Arrivals and departures, in text order ("arrivée de M. X à partir du point 4",
    "Mme Y quitte la séance et donne pouvoir à M. Z")."""
    found = []
    for status, pattern in _MOVES:
        for m in pattern.finditer(text):
            to = m.groupdict().get("to")
            point = m["point"]
            for who in regex.split(r"[ \t]*(?:,|\bet\b)[ \t]*", m["who"]):
                found.append(Movement(
                    start=m.start(), end=m.end(), text=m[0], name=_bare(who),
                    status="represented" if status == "absent" and to else status,
                    proxy_to=_bare(to) if to else None, from_item=int(point) if point else None,
                ))
    return sorted(found, key=lambda mv: mv.start)


def _bare(name: str) -> str:
    return regex.sub(r"^(?:M\.|Mme|Mlle|MM\.|Monsieur|Madame)[ \t]*", "", name.strip()).strip()


# A one-page list of a séance's deliberations: "Liste des délibérations votées", "Délibérations
# examinées", "Relevé des délibérations".
_LIST_TITLE = regex.compile(
    r"liste\s+des\s+d[ée]lib[ée]rations|d[ée]lib[ée]rations\s+(?:examin[ée]es|vot[ée]es|adopt[ée]es|prises)|"
    r"relev[ée]\s+des\s+d[ée]lib[ée]rations|(?:liste|tableau)\s+des\s+(?:actes|objets)\s+d[ée]lib[ée]r[ée]s",
    regex.IGNORECASE)
_LIST_TOP = 600  # the list's title is printed at the top
_ROW_NUMBER = regex.compile(
    r"^[ \t]*(?:[-•*▪·][ \t]*)?(?:[Nn][°o][ \t]*)?(?P<n>(?:[A-Z]{1,4}[-_ ]?)?\d{2,8}[ \t]?[-_/.][ \t]?\d{1,4}|\d{4}[ \t]_?[ \t]?\d{3}|\d{1,3}(?=[ \t]*[-–—.):/]|[ \t]+\p{Lu}))"
    r"[ \t]*[-–—.):/]?[ \t]*", regex.MULTILINE)
# The closing block under the rows: stamps and signature.
_LIST_END = regex.compile(
    r"^[ \t]*(?:affich[ée]e?|publi[ée]e?|transmise?|certifi[ée]|fait\s+[àa]|pour\s+extrait|le\s+(?:maire|pr[ée]sident)\b|"
    r"date\s+(?:d['’]\s*)?affichage|affichage\s*:)",
    regex.IGNORECASE)
_BULLET = regex.compile(r"^[ \t]*[-•*▪·][ \t]*")
_COLUMN_HEADING = regex.compile(r"^\s*(?:n[°o]|num[ée]ro|objet|intitul[ée]|vote|r[ée]sultat|d[ée]cision)s?\b[^\n]{0,60}$",
                                regex.IGNORECASE)
_ROW_START = regex.compile(r"^[ \t]*(?:[-•*▪·][ \t]*)?[\p{Lu}«\"]")
_DANGLING_END = regex.compile(r"(?:\b(?:au|aux|du|de|des|la|le|les|à|et|pour|en|sur|avec|par|d'|l')|[,(–-])[ \t]*$",
                              regex.IGNORECASE)


def is_list(text: str) -> bool:
    return bool(_LIST_TITLE.search(text[:_LIST_TOP]))


def find_list_rows(text: str) -> list[Item]:
    """The rows of a list of deliberations (number, object, vote as the row states them), each row
    made of its first line and the lines that carry on its object."""
    title = _LIST_TITLE.search(text[:_LIST_TOP])
    if not title:
        return []
    line_end = text.find("\n", title.end())
    start = len(text) if line_end < 0 else line_end + 1
    # [start, end, where its numbered line starts, where its number ends, its code] of each row
    rows: list[list] = []
    previous = ""
    carried: tuple[int, int] | None = None  # the last line read as carrying on the row above
    lines = list(regex.finditer(r"[^\n\f]+", text[start:]))
    # Rows that print a number start with it: other lines carry on the row above (a cell's
    # wrapped object, a vote read on its own line), and lines above the first row are headings.
    found = [m["n"] for line in lines if (m := _ROW_NUMBER.match(line[0]))]
    numbered = len(found) >= 2
    # When most rows print a code (2025-03, D2016-05), a bare figure at a line's start is noise.
    codes = sum(1 for n in found if not n.isdigit()) * 2 > len(found)
    row_number = _row_numbers(found) if codes else _ROW_NUMBER.match
    for line in lines:
        raw = line[0]
        at, end = start + line.start(), start + line.end()
        if not raw.strip() or _COLUMN_HEADING.match(raw):
            continue
        if _LIST_END.match(raw):
            break
        number = row_number(raw)
        if number and codes and number["n"].isdigit():
            number = None
        code = _list_number(number["n"], found) if number and not number["n"].isdigit() else None
        if codes and rows and rows[-1][4] and not number:
            # A code OCR garbled past reading ("0250331-19", "2028911" for "2026_011") where the
            # list's count expects the next one: that row, numbered as the count goes.
            number = _garbled_code(raw, _next_code(rows[-1][4]))
            code = _next_code(rows[-1][4]) if number else None
        if numbered and not rows and not number:
            carried = (at, end) if not _is_header_line(raw) else None
            continue
        if numbered:
            carries_on = bool(rows) and not number
        else:
            carries_on = rows and (not _ROW_START.match(raw) or _DANGLING_END.search(previous)) and not _ROW_NUMBER.match(raw)
        if carries_on:
            rows[-1][1] = end
            carried = (at, end)
        else:
            head = at
            # A cell's object centred beside its number: its first line is read above the
            # number's line, which holds only the rest of the object ("de l'investissement …")
            # or only the vote ("2026 _001 : Actée").
            if numbered and number and carried and _starts_inside(raw[number.end():]) and _just_before(text, carried, at):
                head = carried[0]
                if rows and rows[-1][1] >= carried[0]:
                    rows[-1][1] = text.rfind("\n", rows[-1][0], carried[0])
            rows.append([head, end, at, at + number.end() if number else None, code])
            carried = None
        previous = raw
    _in_sequence(rows)
    items = []
    for at, end, numbered_at, number_end, code in rows:
        row = text[at:end]
        if number_end is not None:
            before = text[at:numbered_at]
            body = number_end - at
            row_text = before + " " + text[number_end:end]
        else:
            bullet = _BULLET.match(row)
            body = bullet.end() if bullet else 0
            row_text = row[body:]
        # The vote column, at the row's end or read between two lines of a wrapped object.
        # Line by line: the vote printed at the end of a cell's first line is not followed by the
        # rest of the object on the next ("… Travaux de  Unanimité" / "mobilité douce").
        title_text = _VOTE_TAIL.sub("", _object_lines(row_text, code))
        title_text = _VOTE_INSIDE.sub("", " ".join(title_text.split())).replace(" — ", " – ")
        title_text = " ".join(_SPECK_WORD.sub(" ", title_text).split())
        title_text = _ELISION_GAP.sub(r"\1", title_text).replace("''", "'")
        if not regex.search(r"\p{L}{3}", title_text) or _is_header_line(title_text):
            continue
        items.append(Item(start=at, end=end, text=row, body=at + body, number=code, title=title_text, style="list"))
    return items


def _next_code(code: str) -> str:
    """The code after `code` in the list's count: its last figure plus one, as wide ("2026_010" →
    "2026_011")."""
    last = regex.search(r"\d+(?=\D*$)", code)
    return code[:last.start()] + str(int(last[0]) + 1).zfill(len(last[0])) + code[last.end():]


# A row's code as OCR may leave it: a few specks, then figures with at most one separator.
_CODE_READ = regex.compile(r"[^\n\w]{0,6}?(?:\p{L}[ \t]+)?(?P<n>\d{2,8}(?:[ \t]?[-_/.][ \t]?|[ \t])?\d{1,4})(?=[ \t]|$)")
_CODE_MIN_DIGITS = 5  # shorter codes are too easily one another


def _garbled_code(line: str, expected: str) -> regex.Match | None:
    """The line's leading code when it is the expected code misread: its figures within one
    misread figure of it (two for codes of eight figures or more)."""
    match = _CODE_READ.match(line)
    return match if match and _near(match["n"], expected) else None


def _near(read: str, expected: str) -> bool:
    want = regex.sub(r"\D", "", expected)
    got = regex.sub(r"\D", "", read)
    if len(want) < _CODE_MIN_DIGITS:
        return False
    errors = 2 if len(want) >= 7 else 1
    return bool(regex.fullmatch(rf"(?:{want}){{e<={errors}}}", got))


_GAP_ALLOWED = 3  # codes skipped by the count (a withdrawn item) are still read as printed


def _in_sequence(rows: list[list]) -> None:
    """Codes the list's count contradicts, read from the count: a code out of the usual shape
    ("20250331-0" among "20250331-02" …) or out of order ("2026_909" after "2026_008") that is
    the expected one misread."""
    shapes = Counter(_shape(row[4]) for row in rows if row[4])
    if not shapes:
        return
    usual = shapes.most_common(1)[0][0]
    for previous, row in zip(rows, rows[1:]):
        if not (previous[4] and row[4]) or row[4] == previous[4]:
            continue
        expected = _next_code(previous[4])
        if row[4] != expected and not _follows(row[4], previous[4], usual) and _near(row[4], expected):
            row[4] = expected


def _follows(code: str, previous: str, usual: str) -> bool:
    """`code` is a well-formed code a few steps after `previous` (an item withdrawn between)."""
    if _shape(code) != usual or _shape(previous) != usual:
        return False
    head, last = regex.match(r"(.*?)(\d+)\D*$", code).groups()
    head_before, last_before = regex.match(r"(.*?)(\d+)\D*$", previous).groups()
    return head == head_before and 0 < int(last) - int(last_before) <= _GAP_ALLOWED


# "d' Aménagement": OCR's gap after an elision.
_ELISION_GAP = regex.compile(r"\b((?i:[dljnsmtc]|qu|jusqu|lorsqu|puisqu)['’])[ \t]+(?=\p{L})")
# A line of specks only ("re : : :", "= Ja"): no word of three letters, no figure.
_SPECK_LINE = regex.compile(r"^[^\n\d]*$")
# The vote column's "Approuvée" split by OCR: its "A" at the end of one line, the rest
# ("pprouvée", "RPHOUVES") at the end of another.
_LONE_A = regex.compile(r"[ \t]A[ \t]*$")
_HEADLESS_VOTE = regex.compile(r"(?:pprouv[ée]es?){e<=3}", regex.IGNORECASE)


def _object_lines(row_text: str, code: str | None) -> str:
    """The row's lines without what OCR adds to a table: lines of specks, a piece of the row's own
    code read again ("-002 (PADD)"), the vote column split over two lines."""
    lines = [line for line in row_text.split("\n")
             if not (_SPECK_LINE.match(line) and line.strip() and not regex.search(r"\p{L}{3}", line))]
    if code and (last := regex.search(r"0\d{1,3}(?=\D*$)", code)):
        lines = [regex.sub(rf"(?:^|(?<=[ \t]))[-_.]?{last[0]}(?=[ \t]|$)", "", line) for line in lines]
    ends = [line.split()[-1] if line.split() else "" for line in lines]
    headless = [i for i, word in enumerate(ends) if len(word) >= 6 and not word[0] in "Aa"
                and (word[0].islower() or word.isupper()) and _HEADLESS_VOTE.fullmatch(word)]
    if headless and any(_LONE_A.search(line) for line in lines):
        lines = [_LONE_A.sub("", line) for line in lines]
        for i in headless:
            lines[i] = lines[i][:lines[i].rstrip().rfind(" ") + 1].rstrip() if " " in lines[i].strip() else ""
    return "\n".join(lines)


def _row_numbers(found: list[str]):
    """How a row's number is read when the list's codes share a first group ("20250331-01",
    "-02" …): at the line's start, or found by that group behind a few OCR specks ("1 °20250331-06",
    "E 20250331-15", a table border read as "1" in "120250331-08")."""
    groups = [m[0] for n in found if (m := regex.search(r"\d{4,8}", n))]
    lead = max(groups, key=groups.count) if groups else None  # ties: the first printed
    if not lead or groups.count(lead) * 2 < len(found):
        return _ROW_NUMBER.match
    behind = regex.compile(
        rf"[^\n\f]{{0,6}}?(?P<n>{lead}[ \t]?[-_/.]?[ \t]?\d{{1,4}})\b[ \t]*[-–—.):/]?[ \t]*")

    def match(line: str, pos: int = 0, endpos: int | None = None):
        endpos = len(line) if endpos is None else endpos
        found = _ROW_NUMBER.match(line, pos, endpos)
        if found and regex.match(rf"\D{{0,4}}{lead}", found["n"]):
            return found
        return behind.match(line, pos, endpos) or found

    return match


_ONLY_VOTE = regex.compile(r"^[\W_]{0,6}(?:(?:adopt|approuv|vot|rejet|act)[ée]e?s?|unanimit[ée])?[\W_]{0,6}$", regex.IGNORECASE)


def _starts_inside(rest: str) -> bool:
    """What follows a row's number is the middle of an object (lower case) or only its vote."""
    rest = rest.strip(" \t:–—-=_")
    return not rest or rest[0].islower() or bool(_ONLY_VOTE.match(rest))


def _just_before(text: str, line: tuple[int, int], at: int) -> bool:
    return not text[line[1]:at].strip()


def _list_number(number: str, found: list[str]) -> str:
    """The row's code with the separator the list prints: OCR drops a thin "_" ("2026 002",
    "2026 _ 005" beside "2026_007") far more often than it makes one up."""
    groups = regex.findall(r"[A-Za-z]*\d+", number)
    marks = [m for n in found for m in regex.findall(r"[-_/.]", n)]
    if len(groups) < 2 or not marks:
        return number.strip()
    mark = max(marks, key=marks.count)  # ties: the first printed, not a set's order
    return mark.join(groups)


# The row's vote column, read on the same line as its object.
# Line by line (a vote read at the end of a cell's first line is not followed by the rest of the
# object on the next), its words wrapped over a line end allowed ("adopté à" / "l'unanimité").
_VOTE_TAIL = regex.compile(
    r"[ \t]*[-–—:]?[ \t]*(?:(?:adopt|approuv|vot|rejet)[ée]e?s?\s*)?(?:(?:[àa]\s+l'|par\s+)?unanimit[ée]|"
    r"[àa]\s+la\s+majorit[ée]|pour[ \t]*:?[ \t]*\d|\d{1,3}[ \t]+(?:voix|votes?)\b)[^\n]{0,80}$|"
    r"[ \t]+(?:approuv|adopt|rejet|act)[ée]e?s?[ \t]*$",
    regex.IGNORECASE | regex.MULTILINE)
_VOTE_INSIDE = regex.compile(
    r"[ \t]+(?:(?-i:Approuv|Adopt|Rejet|Act)[ée]e?s?(?=[ \t]+\p{Lu})|"
    # The vote column misread by OCR between two words of the object ("Anprouvee", "pprouvée").
    r"(?:Approuv[ée]e){e<=2}(?=[ \t]|$))")
# A table's border or a speck read as a word of its own ("= CCLO", "} nn avec").
_SPECK_WORD = regex.compile(r"(?<=^|[ \t])[=}{|_?~^*\[\]]+(?=[ \t]|$)")
_HEADER_LINE = regex.compile(
    r"^(?:le\s+|du\s+|s[ée]ance\s+du\s+)?(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)?\s*\d{1,2}(?:er)?\s+\p{L}+\s+\d{4}\s*$|"
    r"^(?:commune|mairie|ville|conseil\s+municipal|d[ée]partement|r[ée]publique)\b[^\n]{0,60}$", regex.IGNORECASE)


def _is_header_line(line: str) -> bool:
    return bool(_HEADER_LINE.match(line))
