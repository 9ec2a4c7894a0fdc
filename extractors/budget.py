"""Budget nomenclature codes (M14/M57 accounts and chapitres) cited in a budget context.

A code is only read right after a word that introduces one ("article", "compte", "c/",
"nature", "chapitre", "imputation", "imputé sur", "au 6574"); numbers elsewhere are years,
amounts, parcels or operations. Codes the nomenclature knows are trusted; an unknown code
after "article" is kept only when the sentence talks about budget, because "article" also
introduces legal and contractual articles.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum

import regex

from models.nomenclature import all_accounts, label_for
from extractors.spans import Span, fold


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetMention(Span):
    code: str
    label: str | None


class _Kind(Enum):
    ARTICLE = "article"  # ambiguous word: unknown codes need a budget sentence
    ACCOUNT = "account"  # unambiguous budget word: any plausible account code
    CHAPITRE = "chapitre"  # 2-3 digit chapitres
    BARE = "bare"  # "au 6574": known accounts in a budget sentence only


# A list of codes: "6574", "6574 et 6558", "011, 012 et 65", "65-6574", "65-025-6574".
_RUN = r"(?P<run>(?>\d{2,7}(?:\s*(?:,|\bet\b|\bou\b|&|/|[-–])\s*\d{2,7}(?!\d))*))(?!\d)"
_NUMBER_SIGN = r"(?:n[°º]|no\.?|num[ée]ro)\s*"

_TRIGGERS: tuple[tuple[str, _Kind, regex.Pattern[str]], ...] = tuple(
    (name, kind, regex.compile(pattern, regex.IGNORECASE | regex.VERSION1))
    for name, kind, pattern in (
        (
            "article",
            _Kind.ARTICLE,
            rf"\b(?:articles?|art\.)(?:\s+budg[ée]taires?)?\s*:?\s*(?:{_NUMBER_SIGN})?(?<!\d){_RUN}",
        ),
        (
            "compte",
            _Kind.ACCOUNT,
            # "au compte R001": the D / R of a dépense or a recette is not part of the code.
            rf"\b(?:comptes?|cptes?)(?:\s+budg[ée]taires?)?\s*:?\s*(?:{_NUMBER_SIGN})?(?:(?-i:[DR])[-–]?)?(?<!\d){_RUN}",
        ),
        ("c_slash", _Kind.ACCOUNT, rf"\bc\s?/\s*{_RUN}"),
        ("nature", _Kind.ACCOUNT, rf"\bnatures?\s*:?\s*(?:{_NUMBER_SIGN})?(?<!\d){_RUN}"),
        ("ligne", _Kind.ACCOUNT, rf"\blignes?\s+budg[ée]taires?\s*:?\s*(?:{_NUMBER_SIGN})?{_RUN}"),
        (
            "chapitre",
            _Kind.CHAPITRE,
            rf"\bchapitres?(?:\s+budg[ée]taires?)?\s*:?\s*(?:{_NUMBER_SIGN})?(?<!\d){_RUN}",
        ),
        (
            "imputation",
            _Kind.ACCOUNT,
            rf"\bimputations?(?:\s+budg[ée]taires?)?\s*:?\s*{_RUN}",
        ),
        (
            "impute",
            _Kind.ACCOUNT,
            r"\bimput[ée]e?s?\s+(?:sur|à|a|au|aux)\s+(?:l['’]\s*|le\s+|la\s+|les\s+)?"
            rf"(?:{_NUMBER_SIGN})?{_RUN}",
        ),
        ("au", _Kind.BARE, rf"\b(?:au|aux)\s+{_RUN}"),
    )
)

# What follows an article number of a law, code, convention or statute, never of a budget.
_LEGAL_FOLLOWER = regex.compile(
    # "article 106 III de la loi" (OCR: "Ill"): a paragraph's Roman numeral.
    r"\s*(?:bis|ter|quater|quinquies|sexies|septies|octies|nonies|decies|(?-i:[A-Z])\b|(?-i:[IVX][IVXl]{1,4})\b|alin[ée]a|§"
    r"|(?:du|de\s+la|de\s+l['’]|des)\s*(?:code|cgct|cgi|loi|d[ée]cret|ordonnance|arr[êe]t[ée]"
    r"|convention|contrat|march[ée]|r[èe]glement|statuts?|cahier|ccap|cctp|ccag|directive"
    r"|constitution|trait[ée]|pr[ée]sente?|avenant|accord|protocole|bail|annexe))",
    regex.IGNORECASE | regex.VERSION1,
)

# What follows a number that is an amount, a rank or a street number rather than a code.
_NOT_A_CODE_FOLLOWER = regex.compile(
    r"[.,]\d|\s?\d{3}\b|\s*(?:€|euros?\b|eur\b|%|k€|m€|er\b|re\b|e\b|ème|°"
    r"|(?:rue|avenue|bd|boulevard|chemin|route|place|all[ée]e|impasse|quai)\b)",
    regex.IGNORECASE | regex.VERSION1,
)

_BUDGET_WORDS = regex.compile(
    r"\b(?:budg[ée]t\w*|cr[ée]dits?|imput\w*|d[ée]penses?|recettes?|chapitres?|comptes?"
    r"|section\s+d['’]\s*(?:investissement|fonctionnement)|mandat\w*|bp|dm"
    r"|d[ée]cision\s+modificative|virements?|inscrit\w*)\b",
    regex.IGNORECASE | regex.VERSION1,
)

_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)|\n\s*\n")
_CHAIN_SEPARATOR = regex.compile(r"\s*[-–]\s*")
_ITEM = regex.compile(r"\d{2,7}")
_YEAR = regex.compile(r"(?:19|20)\d\d")
_MAX_SENTENCE = 1500


def find_budget_articles(text: str) -> list[BudgetMention]:
    """Budget codes in text order, each a span over the digits of the code."""
    found: dict[tuple[int, int], BudgetMention] = {}
    for _name, kind, pattern in _TRIGGERS:
        for match in pattern.finditer(text):
            for mention in _mentions_in_run(text, match, kind):
                found.setdefault((mention.start, mention.end), mention)
    for mention in _table_codes(text):
        found.setdefault((mention.start, mention.end), mention)
    for mention in _labelled_rows(text):
        found.setdefault((mention.start, mention.end), mention)
    return sorted(found.values(), key=lambda m: m.start)


# A row of a budget table that names its code: "011 Charges à caractère général 326 670,00",
# "D-6413 : Personnel non titulaire 0,00 € 5 000,00 €", "TOTAL D 012 : Charges de personnel …",
# "65 6531 INDEMNITES MAIRE/ADJOINTS +2 824.00€", "R 001 SOLDE D'EXECUTION POSITIF REPORTE".
# Before the code: a total's word, a D/R (dépense / recette) mark, OCR specks of the table's rules.
_LABELLED_ROW = regex.compile(
    r"""^[ \t]*+(?:(?:(?i:total|sous-total)|[^\w\s]|\p{Lu}{1,2})[ \t]*+){0,4}?
        (?:[DR][ \t]*[-–][ \t]*)?
        (?P<first>\d{2,6})(?:[ \t]*[-–][ \t]*\d{2,4}(?!\d))?           # D-2111-206: account, operation
        (?:[ \t]++(?P<second>\d{2,6}))?                              # chapitre then article
        (?:[ \t]*+:)?[ \t]*+
        (?P<label>\p{L}[^\d\n]{2,}+|$)""",
    regex.MULTILINE | regex.VERBOSE | regex.VERSION1,
)
# A figure of the row: "326 670,00", "8 000.00 €", "371.00 €", "223 221 €".
_ROW_FIGURE = regex.compile(r"\d(?:[\d \u00a0\u202f.]*[,.]\d{2}(?!\d)|[\d \u00a0\u202f]*\s?€)")
# Words of a label too common to tell two budget lines apart.
_COMMON_WORDS = frozenset(
    "autres autre dans pour avec sauf entre compris section sections total totaux depenses recettes "
    "budget article chapitre compte".split())
# A table has to show itself by rows whose printed label is the code's own before a code the
# nomenclature does not hold ("018 RSA", "40 Opérations d'ordre") is read from it.
_ROWS_FOR_A_TABLE = 3


def _labelled_rows(text: str) -> list[BudgetMention]:
    """Codes of budget table rows whose printed label is the nomenclature's label of the code.

    The label is what tells a row from a numbered line ("13 Subventions d'investissement 0,00"
    is chapitre 13, "13 conseillers présents" is not); a row carries a figure, on its line or,
    for a code printed alone between the two lines of its label, on the next one.
    """
    matched: list[BudgetMention] = []
    unknown: list[BudgetMention] = []
    for row in _LABELLED_ROW.finditer(text):
        line_end = text.find("\n", row.start())
        line_end = len(text) if line_end < 0 else line_end
        label = row["label"]
        figures_at = row.end("label")
        if not label:  # the code alone: its label is printed around it
            previous = text.rfind("\n", 0, max(0, row.start() - 1))
            following = text.find("\n", line_end + 1)
            following = len(text) if following < 0 else following
            label = text[previous + 1:row.start()] + " " + text[line_end + 1:following]
            figures_at, line_end = line_end + 1, following
        if not _ROW_FIGURE.search(text, figures_at, line_end):
            continue
        codes = [(row.start(name), row.end(name)) for name in ("first", "second") if row[name]]
        words = _label_words(label) | _acronyms(label)
        named = [offsets for offsets in codes if _label_matches(text[offsets[0]:offsets[1]], words)]
        if named:
            # "65 6531 INDEMNITES": the article's label is printed; the chapitre before it is its row's.
            named += [o for o in codes if o not in named and text[o[0]:o[1]] in _chapitres()]
            matched.extend(_mention(text, offsets) for offsets in sorted(named))
        elif len(codes) == 1 and len(text[codes[0][0]:codes[0][1]]) <= 3 and row["label"]:
            if label_for(text[codes[0][0]:codes[0][1]]) is None:
                unknown.append(_mention(text, codes[0]))
    if len(matched) >= _ROWS_FOR_A_TABLE:
        matched.extend(unknown)
    return matched


def _mention(text: str, offsets: tuple[int, int]) -> BudgetMention:
    code = text[offsets[0]:offsets[1]]
    return BudgetMention(start=offsets[0], end=offsets[1], text=code, code=code, label=label_for(code))


def _label_words(label: str) -> set[str]:
    """The label's telling words, cut to five letters: OCR and abbreviations change their ends
    ("Atténustions", "Prod. services", "Immobifisations")."""
    return {w[:5] for w in regex.findall(r"\p{L}{4,}", fold(label)) if w not in _COMMON_WORDS}


def _acronyms(label: str) -> set[str]:
    """Capitals standing for a label ("APA", "RSA"), as the label's initials would be written."""
    return {"#" + w.lower() for w in regex.findall(r"\b\p{Lu}{2,5}\b", label)}


def _label_matches(code: str, words: set[str]) -> bool:
    label = label_for(code)
    if label is None:
        return False
    initials = "#" + "".join(w[0] for w in regex.findall(r"\p{L}{3,}", fold(label)))
    return bool(words & (_label_words(label) | {initials}))


# A budget table's heading row: column names only, one of them the code's ("Section Compte
# Libellé Diminution Augmentation", "Chapitre Article Désignation Montant").
_TABLE_HEADING = regex.compile(
    r"""^[ \t]*+(?:(?:section|sens|chapitres?|comptes?|articles?|natures?|imputations?|fonctions?|op[ée]rations?
        |libell[ée]s?|d[ée]signations?|intitul[ée]s?|objet|diminutions?|augmentations?|montants?|d[ée]penses?
        |recettes?|cr[ée]dits?|observations?|total|bp|dm|propos[ée]|vot[ée]|ouverts?|r[ée]duits?|en|€|\(€\)
        |de|des|à|a)\b[ \t]*+){3,12}$""",
    regex.IGNORECASE | regex.MULTILINE | regex.VERBOSE | regex.VERSION1,
)
_CODE_COLUMN = regex.compile(r"\b(?:comptes?|articles?|natures?|imputations?)\b", regex.IGNORECASE)
# A row's code: the first number of two to seven digits, not part of an amount ("7 875,31").
_ROW_CODE = regex.compile(r"^[ \t]*+(?:[\p{L}'’]{1,20}+[ \t]++){0,2}?(?P<code>\d{2,7})(?![\d,.]|[ \t]\d{3}\b)")


def _table_codes(text: str) -> list[BudgetMention]:
    """Codes in the code column of a budget table, read row by row under its heading; a row's
    label wrapped on the next line ("associations") is skipped, a blank line ends the table."""
    mentions = []
    for heading in _TABLE_HEADING.finditer(text):
        if not _CODE_COLUMN.search(heading.group(0)):
            continue
        position = heading.end() + 1
        for _ in range(40):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            line = text[position:line_end]
            if not line.strip():
                break
            row = _ROW_CODE.match(line)
            if row:
                offsets = (position + row.start("code"), position + row.end("code"))
                code = row["code"]
                if _is_account(text, offsets, _Kind.ACCOUNT, True, True) or _is_chapitre(text, offsets):
                    mentions.append(BudgetMention(start=offsets[0], end=offsets[1], text=code, code=code,
                                                  label=label_for(code)))
            elif len(line.strip()) > 40:
                break  # a sentence: the table has ended
            position = line_end + 1
    return mentions


def _mentions_in_run(text: str, match: regex.Match[str], kind: _Kind) -> list[BudgetMention]:
    if _LEGAL_FOLLOWER.match(text, match.end("run")):
        return []
    budget_sentence = _in_budget_sentence(text, match)
    mentions: list[BudgetMention] = []
    for position, chain in enumerate(_chains(match)):
        for start, end in _codes_of_chain(text, chain, kind, budget_sentence, position == 0):
            code = text[start:end]
            mentions.append(BudgetMention(start=start, end=end, text=code, code=code, label=label_for(code)))
    return mentions


def _chains(match: regex.Match[str]) -> list[list[tuple[int, int]]]:
    """The run's numbers as offsets, grouped into dash-joined chains ("65-025-6574")."""
    run_start = match.start("run")
    run = match.group("run")
    chains: list[list[tuple[int, int]]] = []
    previous_end: int | None = None
    for item in _ITEM.finditer(run):
        between = run[previous_end : item.start()] if previous_end is not None else ""
        joined_by_dash = previous_end is not None and _CHAIN_SEPARATOR.fullmatch(between)
        offsets = (run_start + item.start(), run_start + item.end())
        if joined_by_dash:
            chains[-1].append(offsets)
        else:
            chains.append([offsets])
        previous_end = item.end()
    return chains


def _codes_of_chain(
    text: str,
    chain: list[tuple[int, int]],
    kind: _Kind,
    budget_sentence: bool,
    first_in_run: bool,
) -> list[tuple[int, int]]:
    head, tail = chain[0], chain[-1]
    starts_with_chapitre = text[head[0] : head[1]] in _chapitres()
    if len(chain) > 1 and starts_with_chapitre and _is_account(text, tail, kind, budget_sentence, True):
        # "imputation 65-6574" or "65-025-6574": chapitre, then (fonction,) then account.
        if _looks_like_code(text, head):
            return [head, tail]
        return [tail]
    if len(chain) > 1 and kind is _Kind.ARTICLE and not budget_sentence:
        return []  # "article 2121-29": numbering of a code, not a budget line
    if kind is _Kind.CHAPITRE and _is_chapitre(text, head):
        return [head]
    if _is_account(text, head, kind, budget_sentence, first_in_run):
        return [head]  # a trailing "-025" or "-153" is a fonction or an operation
    return []


def _is_chapitre(text: str, offsets: tuple[int, int]) -> bool:
    return text[offsets[0] : offsets[1]] in _chapitres() and _looks_like_code(text, offsets)


def _is_account(
    text: str, offsets: tuple[int, int], kind: _Kind, budget_sentence: bool, first_in_run: bool
) -> bool:
    code = text[offsets[0] : offsets[1]]
    if len(code) < 3 or not _looks_like_code(text, offsets):
        return False
    if label_for(code) is not None:
        return kind is not _Kind.BARE or budget_sentence
    if not first_in_run or kind is _Kind.BARE or code[0] not in "1234567" or _YEAR.fullmatch(code):
        return False
    return kind is not _Kind.ARTICLE or budget_sentence


def _looks_like_code(text: str, offsets: tuple[int, int]) -> bool:
    return not _NOT_A_CODE_FOLLOWER.match(text, offsets[1])


def _in_budget_sentence(text: str, match: regex.Match[str]) -> bool:
    start = _sentence_start(text, match.start())
    # Bounded like the look back: an unbounded look ahead made text without a full stop quadratic.
    limit = min(len(text), match.end() + _MAX_SENTENCE)
    end_match = _SENTENCE_END.search(text, match.end(), limit)
    end = end_match.start() if end_match else limit
    return bool(_BUDGET_WORDS.search(text, start, end))


def _sentence_start(text: str, position: int) -> int:
    # Sentences in deliberations are rarely longer than this; it keeps the scan linear.
    start = max(0, position - _MAX_SENTENCE)
    for boundary in _SENTENCE_END.finditer(text, start, position):
        start = boundary.end()
    return start


@functools.cache
def _chapitres() -> frozenset[str]:
    """Codes a budget votes by chapitre: 2-digit accounts, 0xx chapitres, 204, and the M14
    functional chapitres 90x / 92x that large communes vote by."""
    return frozenset(
        code for code, _label, _class in all_accounts()
        if len(code) == 2 or code.startswith("0") or code == "204" or (len(code) == 3 and code[0] == "9")
    )
