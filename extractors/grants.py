"""Who receives a sum: the beneficiary of a grant, where the text or a table row pairs them.

    "une subvention de 2 880 € à l'association Mont Blanc Industries"  -> "association Mont Blanc Industries"
    "DÉCIDE d'attribuer au CCAS une subvention de 10 000 €"           -> "CCAS"
    a row "5667 LE VOILE DE NEPTUNE P 500 €" under "Code Structure Nature Montant"
                                                                      -> "LE VOILE DE NEPTUNE"

Only a pairing the text states is taken: a sum after a grant word ("subvention", "aide",
"participation", "cotisation", "fonds de concours" ...) followed by "à", "au", "en faveur de",
"versée à" and a name; a verb of giving with its receiver before the sum; a table row under a
header naming a receiver column and an amount column. Everything doubtful stays unpaired: a
request ("sollicite une subvention de … auprès de la Région" names the giver), a total line, a
budget chapter, a generic plural ("aux associations"), a row whose name is wrapped over several
lines (the text no longer says which line belongs to which row), a table whose name column is
followed by another text column that plain text cannot separate from it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractors.amounts import AmountMention, find_amounts
from extractors.spans import Span, fold

__all__ = ["Beneficiary", "distinct_amounts", "find_beneficiaries"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Beneficiary(Span):
    """The receiver's name as printed (without its leading article), a span of the text."""

    name: str
    in_table: bool = False  # read off a table row (each row is a grant of its own)


_F = regex.IGNORECASE | regex.VERSION1
_MAX_NAME = 140  # characters: the longest association names in the corpus are about 90

# What is being given, before the sum in the same sentence.
_GRANT_WORD = regex.compile(
    r"\b(?:subventions?|aides?|participations?|cotisations?|contributions?|dotations?|fonds\s+de\s+concours"
    r"|versements?|verser|attribuer|allouer|accorder|octroyer|primes?|bourses?|dons?|avances?\s+remboursables?)\b",
    _F,
)
# A request names the giver after the sum ("sollicite … auprès de la Région"), not a receiver.
_REQUEST = regex.compile(r"\b(?:sollicit|demand|solicit|percevoir|per[çc]u|re[çc]u|obtenu)\w*", _F)
_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)|\n\s*\n|\n\s*[-•–]\s")

# After the sum: tax words, a restatement in parentheses, a participle, then the receiver.
_AFTER_SUM = regex.compile(
    r"""\s*(?:(?:HT|TTC|H\.T\.|T\.T\.C\.)\s*)?(?:\([^()\n]{0,80}\)\s*)?,?\s*
        (?:(?:qui\s+)?(?:sera|seront|est|sont)\s+)?
        (?:(?:vers[ée]e?s?|attribu[ée]e?s?|allou[ée]e?s?|accord[ée]e?s?|octroy[ée]e?s?|destin[ée]e?s?)\s+)?
        (?P<prep>à|au|aux|en\s+faveur\s+(?:de|du|des|d['’])|au\s+profit\s+(?:de|du|des|d['’])
           |auprès\s+(?:de|du|des|d['’])|pour)
        (?=[\s'’])[\s]*""",
    _F | regex.VERBOSE,
)
# A verb of giving with its receiver before the sum: "attribue à l'association X une subvention de".
_GIVE_BEFORE = regex.compile(
    r"""\b(?:attribu|accord|vers|allou|octroi|octroy)\w{0,4}\s+(?P<prep>à|au|aux)(?=[\s'’])\s*
        (?P<name>[^\n;:]{2,140}?)\s*,?\s+(?:une?|la|le|sa|leur)\s+
        (?:subvention|aide|participation|cotisation|contribution|dotation|somme|prime|bourse|fonds\s+de\s+concours)\b
        [^.;\n]{0,60}?\Z""",
    _F | regex.VERBOSE,
)
# Where a name stops: punctuation, another sum, or the words that start a complement.
_NAME_END = regex.compile(
    r"""\s*(?:[,;:()\[\]]|\.(?:\s|$)|\n\s*\n|\s[-–—]\s
        |\s(?:pour|dans|au\s+titre|afin|selon|conform[ée]ment|sur|en\s+vue|qui|dont|à\s+titre|au\s+budget
            |relati(?:f|ve)|destin[ée]e?|concernant|correspondant|soit|au\s+lieu|à\s+compter|à\s+partir
            |en\s+(?:20|19)\d\d|pour\s+l['’]ann[ée]e|versée?s?|sous\s+r[ée]serve|tel|telle
            |le\s+(?:\d|1er)|lors|par|suite|apr[èe]s|avant|une?\s+(?:subvention|aide|somme|participation))\b
        |,?\s+et\s+(?:de\s+|d['’]\s*)?\d|\s+et\s+(?:à|au|aux)\s|\d[\d\s]*[€]
        |\s(?:afin|ainsi))""",
    _F | regex.VERBOSE,
)
_GUILLEMETS = regex.compile(r"«[^«»\n]{1,120}»")
_LEADING_ARTICLE = regex.compile(r"^(?:l['’]\s*|la\s+|le\s+|les\s+)", _F)
# A receiver is named: an organisation word or a capital letter; these are not receivers.
_ORGANISATION = regex.compile(
    r"^(?:association|amicale|comit[ée]|club|union|f[ée]d[ée]ration|soci[ée]t[ée]|syndicat|office|centre"
    r"|coop[ée]rative|foyer|sou\s+des\s+[ée]coles|caisse|coll[èe]ge|lyc[ée]e|[ée]cole|fondation|ligue"
    r"|maison|mutuelle|groupement|entreprise|compagnie|chambre|conservatoire|th[ée][âa]tre|mus[ée]e"
    r"|biblioth[èe]que|cr[èe]che|harmonie|fanfare|chorale|commune|ville|d[ée]partement|r[ée]gion"
    r"|communaut[ée]|[ée]tablissement|institut|universit[ée]|banque\s+alimentaire|restos?\s+du\s+c)\b",
    _F,
)
_NOT_A_RECEIVER = regex.compile(
    r"^(?:budget|chapitre|article|compte|titre|taux|hauteur|raison|compter|partir|charge|montant|total"
    r"|ce|cet|cette|ces|chaque|ann[ée]e|date|exercice|occasion|ordre|pr[ée]sente?|signature|unanimit[ée]"
    r"|titre|plus|moins|maximum|minimum|mois|jour|hauteur|nom|ensemble|fin|d[ée]but|vote|travers|cause"
    r"|l['’]?unanimit[ée]|m[êe]me|cours|l['’]?article|propos|pr[ée]voir|financer|verser|attribuer|payer"
    r"|r[ée]aliser|acqu[ée]rir|savoir|l['’]?ann[ée]e|l['’]?exercice|lui|leur|eux|elle|elles|celle|celui"
    r"|une?|des|d[ée]penses?|recettes?|fonctionnement|investissement|op[ée]ration|projet|programme"
    r"|associations|communes|structures|b[ée]n[ée]ficiaires|familles|propri[ée]taires|agents|[ée]l[èe]ves"
    r"|habitants|particuliers|entreprises|clubs|[ée]coles|personnes|organismes|partenaires)\b",
    _F,
)

# A table: a header naming a receiver column and an amount column, then one row per line.
_HEADER = regex.compile(
    r"""(?P<code>\bcode\s+)?
        (?P<who>structure|association|b[ée]n[ée]ficiaire|organisme|tiers|nom\s+de\s+l['’]association
           |nom\s+du\s+b[ée]n[ée]ficiaire|club|raison\s+sociale|d[ée]nomination)s?\b
        (?P<between>[^\n]{0,60}?)\s*
        \b(?:montants?|subventions?|sommes?\s+allou[ée]es?|attributions?|propositions?)
        (?:\s+(?:allou[ée]e?s?|accord[ée]e?s?|propos[ée]e?s?|vot[ée]e?s?|attribu[ée]e?s?|20\d\d|\(?(?:en\s+)?(?:€|euros)\)?)){0,3}
        \s*$""",
    _F | regex.VERBOSE,
)
_MARKER_COLUMN = regex.compile(r"^\s*(?:nature|type|cat[ée]gorie|f\s*/\s*p)\s*$", _F)
_PROJECT_AFTER_MARKER = regex.compile(
    r"^\s*(?:nature|type|cat[ée]gorie)\s+(?:nom\s+du\s+projet|projet|objet|action|intitul[ée])\s*$", _F
)
_TOTAL_LINE = regex.compile(r"^\s*(?:sous[\s-]?)?total\b|^\s*(?:montant\s+)?total\b", _F)
# A line of running text (four lower-case words) ends a table; table cells are mostly capitals.
_LOWER_WORD = regex.compile(r"(?<![\w'’-])[a-zàâçéèêëîïôûù'’-]{3,}(?![\w'’-])")
_SENTENCE_WORDS = 4
_ROW_CODE = regex.compile(r"^\s*(?P<code>\d{1,6})\s+")
# Montpellier's nature column: F (fonctionnement), P (projet), I (investissement).
_MARKER = regex.compile(r"\s(?P<marker>[FPI])\s")
_TABLE_LINES = 400


def find_beneficiaries(text: str, amounts: Sequence[AmountMention]) -> list[Beneficiary | None]:
    """The receiver of each of `amounts` (found in `text`), or None where nothing pairs them."""
    rows = _table_rows(text)
    return [rows.get(a.start) or _in_sentence(text, a) for a in amounts]


def distinct_amounts(text: str) -> list[tuple[AmountMention, Beneficiary | None]]:
    """The sums of `text` with their receivers, each once: a sum repeated in the text (the exposé,
    then the decision) once per value, currency and receiver; every row of a table, since each
    is a grant of its own. An unpaired mention is dropped when the same sum is paired elsewhere
    ("42 000 € au titre de 2021", then "une subvention de 42 000 € à X")."""
    found = find_amounts(text)
    paired = find_beneficiaries(text, found)
    named: set[tuple] = {(a.value, a.currency) for a, b in zip(found, paired) if b is not None}
    seen: set[tuple] = set()
    out = []
    for amount, beneficiary in zip(found, paired):
        if beneficiary is None and (amount.value, amount.currency) in named:
            continue
        key = (amount.value, amount.currency, fold(beneficiary.name) if beneficiary else None)
        if key not in seen or (beneficiary is not None and beneficiary.in_table):
            seen.add(key)
            out.append((amount, beneficiary))
    return out


def _in_sentence(text: str, amount: AmountMention) -> Beneficiary | None:
    start = _sentence_start(text, amount.start)
    before = text[start:amount.start]
    if not _GRANT_WORD.search(before) or _TOTAL_LINE.search(_line_before(text, amount.start)):
        return None
    if _REQUEST.search(before):
        # "sollicite une subvention de 5 000 € auprès du Département", "demander une participation
        # de 50 € au lycée": what follows a request is who is asked to pay.
        return None
    give = _GIVE_BEFORE.search(before)
    if give is not None:
        return _name_at(text, start + give.start("name"), give.group("prep"), limit=start + give.end("name"))
    after = _AFTER_SUM.match(text, amount.end)
    if after is None or after.end() - amount.end > 80:
        return None
    return _name_at(text, after.end(), after.group("prep"))


def _name_at(text: str, start: int, prep: str, limit: int | None = None) -> Beneficiary | None:
    """The receiver's name starting at `start` (and ending by `limit`), or None when what follows
    names no receiver."""
    window = text[start:min(start + _MAX_NAME + 40, limit if limit is not None else len(text))]
    end = _name_end(window)
    raw = window[:end]
    article = _LEADING_ARTICLE.match(raw)
    name_start = start + (article.end() if article else 0)
    name = " ".join(text[name_start:start + end].split()).strip(" '’\"-–")
    folded = fold(prep)
    if not name or len(name) > _MAX_NAME or _NOT_A_RECEIVER.match(name):
        return None
    if folded.startswith("aux") and not _ORGANISATION.match(name) and not name[:1].isupper():
        return None
    if folded == "pour" and not _ORGANISATION.match(name):
        return None  # "pour l'association X" names a receiver; "pour l'achat de" does not
    if not (_ORGANISATION.match(name) or _has_proper_noun(name)):
        return None
    if " " not in name and not _has_proper_noun(name):
        return None  # "la commune", "l'association": which one is not said
    return Beneficiary(start=name_start, end=name_start + len(text[name_start:start + end].rstrip()),
                       text=text[name_start:start + end].rstrip(), name=name)


def _name_end(window: str) -> int:
    """Where the name in `window` stops; text inside «guillemets» never stops it."""
    protected = [m.span() for m in _GUILLEMETS.finditer(window)]
    for match in _NAME_END.finditer(window):
        if match.start() == 0:
            continue
        if any(a < match.start() < b for a, b in protected):
            continue
        return match.start()
    return min(len(window), _MAX_NAME + 1)


def _has_proper_noun(name: str) -> bool:
    return any(word[:1].isupper() or word.startswith("«") for word in name.split())


def _sentence_start(text: str, position: int) -> int:
    start = max(0, position - 400)
    for boundary in _SENTENCE_END.finditer(text, start, position):
        start = boundary.end()
    return start


def _line_before(text: str, position: int) -> str:
    return text[text.rfind("\n", 0, position) + 1:position]


# --- Tables -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Table:
    code: bool  # rows start with a code column
    marker: bool  # a one-letter column (F/P: fonctionnement/projet) follows the name
    project: bool  # a project column follows the marker


def _table_rows(text: str) -> dict[int, Beneficiary]:
    """Receivers of the sums in table rows, keyed by the sum's start offset."""
    found: dict[int, Beneficiary] = {}
    lines = _lines(text)
    for index, (line_start, line) in enumerate(lines):
        header = _HEADER.search(line)
        if header is None:
            continue
        table = _table(header)
        if table is None:
            continue  # another text column sits between the name and the sum: not separable
        found.update(_rows(text, lines, index + 1, table))
    return found


def _table(header: regex.Match[str]) -> _Table | None:
    between = header.group("between")
    code = header.group("code") is not None
    if not between.strip():
        return _Table(code, marker=False, project=False)
    if _MARKER_COLUMN.match(between):
        return _Table(code, marker=True, project=False)
    if _PROJECT_AFTER_MARKER.match(between):
        return _Table(code, marker=True, project=True)
    return None


def _rows(text: str, lines: list[tuple[int, str]], first: int, table: _Table) -> dict[int, Beneficiary]:
    """Rows after a header, until a total or a sentence; a row counts only when it stands on its
    own line, between blank lines, other rows or the header, so that no wrapped name is cut."""
    rows: dict[int, tuple[int, int, str]] = {}  # line index -> (name start, name end, amount start)
    kinds: dict[int, str] = {}
    last = min(len(lines), first + _TABLE_LINES)
    index = first
    while index < last:
        line_start, line = lines[index]
        if _TOTAL_LINE.match(line):
            kinds[index] = "total"
            break
        if not line.strip():
            kinds[index] = "blank"
        elif (row := _row(line_start, line, table)) is not None:
            kinds[index] = "row"
            rows[index] = row
        elif _is_sentence(line) or _HEADER.search(line):
            kinds[index] = "end"
            break
        elif ":" in line:
            kinds[index] = "note"  # a note between rows ("Vote : pour à l'unanimité"), not a wrapped cell
        else:
            kinds[index] = "text"
        index += 1
    found: dict[int, Beneficiary] = {}
    for index, (name_start, name_end, amount_start) in rows.items():
        # Cells' lines may be set apart by blank lines: the nearest lines with text decide.
        if _nearest(kinds, index, -1, first) == "text" or _nearest(kinds, index, 1, first) == "text":
            continue  # a wrapped cell: the name may run over the lines around it
        name = " ".join(text[name_start:name_end].split())
        if not name or _TOTAL_LINE.match(name) or _NOT_A_RECEIVER.match(name):
            continue
        found[amount_start] = Beneficiary(start=name_start, end=name_end, text=text[name_start:name_end],
                                          name=name, in_table=True)
    return found


def _is_sentence(line: str) -> bool:
    return sum(1 for _ in zip(range(_SENTENCE_WORDS), _LOWER_WORD.finditer(line))) >= _SENTENCE_WORDS


def _nearest(kinds: dict[int, str], index: int, step: int, first: int) -> str:
    index += step
    while kinds.get(index) == "blank":
        index += step
    return "header" if index < first else kinds.get(index, "end")


def _row(line_start: int, line: str, table: _Table) -> tuple[int, int, int] | None:
    """(name start, name end, sum start) of a row line ending with a sum, else None."""
    sums = find_amounts(line)
    if not sums or line[sums[-1].end:].strip():
        return None
    amount = sums[-1]
    if len(sums) > 1 and not table.project:
        return None  # two sums on one row: which one is the grant is not said
    position = 0
    if table.code:
        code = _ROW_CODE.match(line)
        if code is None:
            return None
        position = code.end()
    end = amount.start
    if table.marker:
        padded = " " + line[position:amount.start] + " "
        markers = list(_MARKER.finditer(padded, overlapped=True))
        if table.project:
            # The project's name may hold any letter; the name's last word rarely is F or P.
            markers = [m for m in markers if m["marker"] in "FP"] or markers
            marker = markers[0] if markers else None
        else:
            marker = markers[-1] if markers and not padded[markers[-1].end():].strip() else None
        if marker is None:
            return None
        end = position + marker.start("marker") - 1
    name = line[position:end]
    stripped = name.strip()
    if not stripped or not any(ch.isalpha() for ch in stripped):
        return None
    left = position + (len(name) - len(name.lstrip()))
    return line_start + left, line_start + left + len(stripped), line_start + amount.start


_GLUED_ROWS = regex.compile(r"€(?=\d)")


def _lines(text: str) -> list[tuple[int, str]]:
    """Lines with their start offsets; two rows run together ("200 €1073 FRANCE") are split."""
    out: list[tuple[int, str]] = []
    position = 0
    for raw in text.split("\n"):
        start = 0
        for glued in _GLUED_ROWS.finditer(raw):
            out.append((position + start, raw[start:glued.end()]))
            start = glued.end()
        out.append((position + start, raw[start:]))
        position += len(raw) + 1
    return out
