"""The operative clauses: what the assembly decided, after "après en avoir délibéré"."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.spans import Span

# Printed form (accents optional) -> the verb as the contract spells it.
VERBS: dict[str, str] = {
    "PREND ACTE": "PREND ACTE", "PREND NOTE": "PREND NOTE", "DONNE MANDAT": "DONNE MANDAT",
    "DONNE DELEGATION": "DONNE DÉLÉGATION", "DONNE POUVOIR": "DONNE POUVOIR",
    "DONNE SON ACCORD": "DONNE SON ACCORD", "EMET UN AVIS": "ÉMET UN AVIS", "S'ENGAGE": "S'ENGAGE",
    "S'OPPOSE": "S'OPPOSE", "DONNE ACTE": "DONNE ACTE", "DIT": "DIT", "APPROUVE": "APPROUVE", "AUTORISE": "AUTORISE",
    "DECIDE": "DÉCIDE", "IMPUTE": "IMPUTE", "CHARGE": "CHARGE", "ACCEPTE": "ACCEPTE",
    "ADOPTE": "ADOPTE", "ATTRIBUE": "ATTRIBUE", "ACCORDE": "ACCORDE", "FIXE": "FIXE",
    "DESIGNE": "DÉSIGNE", "ELIT": "ÉLIT", "SOLLICITE": "SOLLICITE", "VALIDE": "VALIDE",
    "RETIENT": "RETIENT", "CONFIRME": "CONFIRME", "PRECISE": "PRÉCISE", "OPTE": "OPTE",
    "EMET": "ÉMET", "ABROGE": "ABROGE", "MODIFIE": "MODIFIE", "CREE": "CRÉE",
    "SUPPRIME": "SUPPRIME", "DELEGUE": "DÉLÈGUE", "RENOUVELLE": "RENOUVELLE",
    "INSCRIT": "INSCRIT", "CONSTATE": "CONSTATE", "ARRETE": "ARRÊTE", "AFFECTE": "AFFECTE",
    "PROCEDE": "PROCÈDE", "REITERE": "RÉITÈRE", "RAPPELLE": "RAPPELLE", "AUTORISENT": "AUTORISENT",
    "MANDATE": "MANDATE", "OCTROIE": "OCTROIE", "APPROUVENT": "APPROUVENT",
    "ENTEND": "ENTEND", "PREVOIT": "PRÉVOIT", "RECONDUIT": "RECONDUIT", "ACTE": "ACTE",
    "DECLARE": "DÉCLARE", "ANNULE": "ANNULE", "INDIQUE": "INDIQUE", "SOUTIENT": "SOUTIENT",
    "PRONONCE": "PRONONCE", "DEMANDE": "DEMANDE", "REFUSE": "REFUSE", "REJETTE": "REJETTE",
    "INSTAURE": "INSTAURE", "INSTITUE": "INSTITUE", "VOTE": "VOTE", "NOMME": "NOMME",
    "CONFIE": "CONFIE", "ALLOUE": "ALLOUE", "MAINTIENT": "MAINTIENT", "AUTORISE": "AUTORISE",
    "ETABLIT": "ÉTABLIT", "PROPOSE": "PROPOSE", "SOUHAITE": "SOUHAITE", "PREND L'ENGAGEMENT": "PREND L'ENGAGEMENT", "ADMET": "ADMET",
    # "DONNE tout pouvoir au Maire": the verb alone when no completion the contract lists follows.
    "DONNE": "DONNE",
}
# Verbs that keep their complementiser: the contract lists "DIT QUE", not "DIT" + "que …".
_WITH_QUE = {"DIT": "DIT QUE"}

DELIBERATION_START = regex.compile(
    r"apr[èe]s\s+(?:en\s+)?avoir\s+d[ée]lib[ée]r[ée]|\bD[ÉE]LIB[ÈE]RE\s*:?|\bARR[ÊE]TE\s*:|"
    # "Le conseil municipal après discussion et vote à l'unanimité : DECIDE …"
    r"apr[èe]s\s+(?:discussion|d[ée]bat)s?\s+et\s+vote\b|"
    r"le\s+(?:conseil|comit[ée]|bureau)[^.\n]{0,60}?,\s*(?:à\s+l'unanimit[ée][^,\n]*,\s*)?(?-i:(?=[A-ZÉÈ]{4,}\b))|"
    # "Le Conseil Municipal, / Après avoir adopté … ; / Constatant … / A l'unanimité :" then the clauses.
    r"^[ \t]*(?:à|a)\s+l['’]\s*unanimit[ée][^\n:.]{0,60}:[ \t]*$",
    regex.IGNORECASE | regex.MULTILINE,
)
DELIBERATION_END = regex.compile(
    r"ainsi\s+fait\s+et\s+d[ée]lib[ée]r[ée]|pour\s+extrait\s+(?:certifi[ée]\s+)?conforme|"
    r"fait\s+et\s+d[ée]lib[ée]r[ée]|d[ée]lib[ée]r[ée]\s+en\s+s[ée]ance|certifi[ée]e?\s+ex[ée]cutoire|"
    r"le\s+pr[ée]sident\s+certifie|pour\s+copie\s+conforme|"
    # The transmission stamp that follows the last clause, when no blank line separates them (OCR):
    # capitalised at a line start, unlike "DIT que la délibération sera\ntransmise en préfecture".
    r"^[ \t]*(?-i:Transmise?|Publiée?|Affichée?)\s+(?:au\s+contr[ôo]le|en\s+pr[ée]fecture|[àa]\s+la\s+pr[ée]fecture|le\s+\d|du\s+\d)",
    regex.IGNORECASE | regex.MULTILINE,
)

_ACCENTS = str.maketrans("ÉÈÊËÀÂÎÏÔÛÙÇ", "EEEEAAIIOUUC")


def _printed(key: str) -> str:
    """A keyword as printed in capitals; the words after the first may be in lower case ("DONNE
    son accord", "PREND acte"): the capitals mark the verb, the rest completes it."""
    first, _, rest = key.partition(" ")
    pattern = regex.escape(first).replace("E", "[EÉÈÊ]").replace("'", "['’]")
    if rest:
        pattern += r"\s+(?i:" + regex.escape(rest).replace("E", "[EÉÈÊ]").replace(r"\ ", r"\s+") + ")"
    return pattern


_VERB_ALTERNATIVES = "|".join(sorted({_printed(k) for k in VERBS}, key=len, reverse=True))
# Capital letters are the genre's mark of an operative verb; "Article 2 :" may precede it.
_VERB = regex.compile(
    rf"(?:^|(?<=[\s•\-–:;,.]))(?P<verb>{_VERB_ALTERNATIVES})(?![\p{{L}}'])(?P<colon>\s*:)?",
)
# Words that are also nouns opening a line ("Vote : pour à l'unanimité", "Acte rendu exécutoire").
_NOUNS_TOO = {"VOTE", "ACTE", "DEMANDE", "CHARGE", "ARRETE", "INDIQUE", "ENTEND", "EMET"}
# Title case ("Décide", "Approuve") or a past participle ("ont, à l'unanimité : - Approuvé la …")
# is an operative verb only at the start of a line, after a bullet or a number.
_TITLE_VERB = regex.compile(
    r"(?P<verb>"
    + "|".join(sorted(
        {("[EÉ]" if k[0] == "E" else k[0])
         + regex.escape(k[1:].lower()).replace("e", "[eéèê]").replace("'", "['’]").replace(r"\ ", r"\s+")
         + ("(?:[ée]e?s?)?" if k.endswith("E") and " " not in k else "")
         for k in VERBS if k not in _NOUNS_TOO},
        key=len, reverse=True))
    + r")(?![\p{L}'’])(?P<colon>\s*:)?",
)
# "Charge le Maire de notifier …": the noun ("Charge de la dette", "Charges de personnel") opens a
# line too, so title-case "Charge" is the verb only when someone is charged.
_TITLE_CHARGE = regex.compile(r"(?P<verb>Charge)(?=\s+(?:(?:le|la|l['’])\s*\p{Lu}|M\.|Mme\b|Monsieur|Madame))(?P<colon>)")
# Past participles the regular forms miss: "ont, à l'unanimité : - Pris acte du rapport", "- Admis en
# non-valeur", "- Chargé le Président" (the noun "Charge" is not a verb, "Chargé" at a clause start is).
_IRREGULAR = {"PRIS ACTE": "PREND ACTE", "ADMIS": "ADMET", "ADMISE": "ADMET", "ADMISES": "ADMET",
              "ENGAGE": "ENGAGE", "ENGAGES": "ENGAGE"}
_PARTICIPLE = regex.compile(r"(?P<verb>Pris\s+acte|Admise?s?|Charg(?:ée?s?|és)|Engag(?:ée?s?|és)|Donné\s+acte)(?![\p{L}'’])(?P<colon>\s*:)?")
# "Adopté par 6 voix pour et 1 abstention", "Adoptée à l'unanimité": a line giving the vote's
# result, not an operative clause.
_VOTE_RESULT = regex.compile(r"[ \t]{1,3}(?:par\s+\d{1,3}\s+voix|à\s+l['’]\s*unanimit|à\s+la\s+majorit)", regex.IGNORECASE)
# Verbs an assembly's sentence states its decision with, in lower case ("le conseil municipal, à
# l'unanimité, déclare soutenir cette pétition").
_ASSEMBLY_VERBS = (r"d[ée]cide|approuve|autorise|prend\s+acte|adopte|accepte|fixe|d[ée]signe|attribue|valide"
                   r"|sollicite|donne\s+son\s+accord|[ée]met|d[ée]clare|accorde|propose|refuse|s['’]engage")
_LOWER_VERB = regex.compile(
    rf"""\s{{0,3}},?\s{{0,3}}(?:et\s+)?                                     # après en avoir délibéré et à l'unanimité
    (?:(?:le|la|les)\s+(?:conseil|comit[ée]|bureau|assembl[ée]e|membres)[^,:\n]{{0,60}}?,?\s{{1,3}})?  # le conseil municipal,
    (?:(?:à|a)\s+l[a'’]\s*(?:unanimit[ée]|majorit[ée])[^,(\n]{{0,60}}?    # à l'unanimité, à la majorité
         (?:\([^)\n]{{0,80}}\))?[^,\n]{{0,20}}?,?\s{{0,3}}                   # (8 abstentions, 2 contre),
      |par\s+\d+\s+voix[^,\n]{{0,80}},\s{{0,3}})?
    (?:consid[ée]rant[^,;.:]{{0,160}},\s{{0,3}})?                            # considérant qu'il n'y a pas …,
    (?:(?:le|la|les)\s+(?:conseil|comit[ée]|bureau|assembl[ée]e)(?:\s+(?:municipal|communautaire|syndical))?\s{{1,3}})?  # à l'unanimité, le conseil municipal décide
    (?P<verb>{_ASSEMBLY_VERBS}|dit|vote(?=\s+(?:le|la|les)\s))\b(?P<colon>\s*:)?""",
    regex.IGNORECASE | regex.VERBOSE,
)
# "… décide :" then "Article 1 : D'apporter …", "- De ne plus verser …": each item is a clause.
_ITEM = regex.compile(
    r"""^[ \t]*(?:(?:article|art\.)\s*(?:\d+(?:er)?|[lI]er)\s*[:.\-–]|[-–•*▪]|\d{1,2}\s*°?\s*[).\-–])[ \t]*(?=\S)""",
    regex.IGNORECASE | regex.MULTILINE | regex.VERBOSE,
)
_CLAUSE_END = regex.compile(
    r";[\s|_]*\n|\.[\s|_]*\n|\n\s*\n|\n\s*[-–•*]\s|\n\s*(?:article|art\.)\s*(?:\d+(?:er)?|[lI]er)\s*[:.\-–]|[.;]\s+(?:article|art\.)\s*(?:\d+(?:er)?|[lI]er)\s*[:.\-–]|"
    r"[.;]\s*[-–•]\s+(?=\p{Lu}{3,})|\.\s*(?:Résultat\s+du\s+vote|Vote\s*:|Adopté|Pour\s*:)|"
    r"\n[ \t]*(?:\d{1,2}[ \t]*°?[ \t]*\)|\d{1,2}[ \t]*°|\d{1,2}\.[ \t])",  # "1°)", "2)", "3°", "4. "
    regex.IGNORECASE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionMention(Span):
    verb: str
    clause: str


def find_decisions(text: str) -> list[DecisionMention]:
    """Operative clauses in document order; verbs in the exposé before the decision are not taken."""
    start_match = DELIBERATION_START.search(text)
    if not start_match:
        return _assembly_decisions(text) or _after_recitals(text) or _capital_clauses(text)
    found = _operative(text, start_match.start(), start_match.end())
    # An item that decides in two parts, each after its own "Après en avoir délibéré, décide …"
    # (a régime's two indemnities): the second part is read as the first was.
    position = found[-1].end if found else start_match.end()
    while found and (again := _AGAIN.search(text, position)):
        more = [d for d in _operative(text, again.start(), again.end()) if d.start >= position]
        if not more:
            break
        found += more
        position = more[-1].end
    return found


_SOMEONE = regex.compile(r"\s+(?:(?:le|la|l['’])\s*\p{Lu}|M\.|Mme\b|Monsieur|Madame)")
_AGAIN = regex.compile(r"apr[èe]s\s+(?:en\s+)?avoir\s+d[ée]lib[ée]r[ée]", regex.IGNORECASE)


def _capital_clauses(text: str) -> list[DecisionMention]:
    """Minutes that print no opening formula at all ("Considérant …, Monsieur le maire propose …"
    then "CHARGE Monsieur le maire de …", "Accord du conseil à l'unanimité"): a verb in capitals
    opening a line and going on in lower case is the operative clause; a heading in capitals
    ("VOTE DU COMPTE ADMINISTRATIF") goes on in capitals."""
    end_match = DELIBERATION_END.search(text)
    end = end_match.start() if end_match else len(text)
    verbs = [m for m in _VERB.finditer(text, 0, end)
             if _at_line_start(text, m) and regex.match(r"\s*:|[ \t]+\p{Ll}|[ \t]+(?:M\.|Mme\b|Monsieur|Madame)", text[m.end():])
             and (" ".join(m["verb"].split()).translate(_ACCENTS) not in _NOUNS_TOO
                  or (m["verb"] == "CHARGE" and _SOMEONE.match(text, m.end())))]
    return _clauses(text, verbs, end)


# The recitals ("Vu …", "Considérant …") and the line after them that opens with a verb: "Décide, à
# l'unanimité, de modifier …" where no "après en avoir délibéré" is printed.
_RECITAL = regex.compile(r"^[ \t]*(?:[-–•*▪][ \t]*)?(?:vu|consid[ée]rant)\b[^\n]*(?:\n(?![ \t]*(?:[-–•*▪][ \t]*)?\p{Lu})[^\n]*)*",
                         regex.IGNORECASE | regex.MULTILINE)


def _after_recitals(text: str) -> list[DecisionMention]:
    recitals = list(_RECITAL.finditer(text))
    if not recitals:
        return []
    end = recitals[-1].end()
    line = regex.compile(r"\n[ \t]*(?=\S)").match(text, end)
    if not line:
        return []
    verb = _VERB.match(text, line.end()) or _TITLE_VERB.match(text, line.end())
    if not verb or not regex.match(r"\s*(?:[,:]|d['’e]\b|de\b|que\b|l[ea']\b|les\b)", text[verb.end():], regex.IGNORECASE):
        return []
    return _operative(text, end, line.end())


# Minutes that skip "après en avoir délibéré": "Le conseil municipal, à l'unanimité :" then the
# clauses, or "le conseil municipal décide d'octroyer …" inside a sentence.
_ASSEMBLY_DECIDES = regex.compile(
    rf"""\ble\s+(?:conseil|comit[ée]|bureau)(?:\s+(?:municipal|communautaire|syndical|d'administration))?
        (?:\s+de\s+(?-i:\p{{Lu}})[\p{{L}}'’-]+)?           # le conseil municipal de Ville sollicite …
        \s*,?\s*(?:(?:à|a)\s+l['’]\s*unanimit[ée]\s*,?\s*)?
        (?:consid[ée]rant[^,;.:]{{0,160}},\s*)?              # le conseil municipal, considérant que …, décide
        (?=(?P<colon>:)|(?:{_ASSEMBLY_VERBS}|vote\s+(?:le|la|les)\s)\b)""",
    regex.IGNORECASE | regex.VERBOSE,
)


def _assembly_decisions(text: str) -> list[DecisionMention]:
    found: list[DecisionMention] = []
    for match in _ASSEMBLY_DECIDES.finditer(text):
        if found and match.start() < found[-1].end:
            continue
        found.extend(_operative(text, match.start(), match.end()))
        if match["colon"]:  # the clauses listed after the colon are the whole operative part
            break
    return found


def _operative(text: str, marker: int, start: int) -> list[DecisionMention]:
    """The clauses after the marker of the operative part (`marker` .. `start`)."""
    end_match = DELIBERATION_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    verbs = [m for m in _VERB.finditer(text, start, end) if _is_verb_position(text, m) and not _is_label(m)]
    verbs += [m for m in _TITLE_VERB.finditer(text, start, end)
              if _at_line_start(text, m) and not _VOTE_RESULT.match(text, m.end())]
    verbs += [m for m in _PARTICIPLE.finditer(text, start, end) if _at_line_start(text, m)]
    verbs += [m for m in _TITLE_CHARGE.finditer(text, start, end) if _at_line_start(text, m)]
    verbs.sort(key=lambda m: m.start())
    if not verbs and (capital := _capital_in_sentence(text, start, end)):
        verbs = [capital]  # "après discussion et vote par : 4 ABSTENTIONS (…) et 10 POUR DECIDE la …"
    if not verbs and (lower := _LOWER_VERB.match(text, start)):
        decided = _decision(text, lower, end)
        if decided.clause or not lower["colon"]:
            # "approuve ce règlement …, et autorise le maire à signer": two clauses, one sentence.
            also = _AND_VERB.search(text, lower.end(), decided.end)
            if also and decided.clause:
                return [_decision(text, lower, also.start()), _decision(text, also, end)]
            return [decided] if decided.clause else []
        return _items_of(text, lower, end)
    if not verbs and (listed := [m for m in _LOWER_ITEM_VERB.finditer(text, start, end)]):
        # "à l'unanimité :" then "-approuve …", "-sollicite …": verbs in lower case after bullets.
        return [_decision(text, m, listed[i + 1].start() if i + 1 < len(listed) else end)
                for i, m in enumerate(listed)]
    if not verbs and (before := _verb_before(text, marker)):
        # "Le conseil municipal décide, après en avoir délibéré, de …": the verb came first.
        return [_decision(text, before, end, body_start=start)]
    return _clauses(text, verbs, end)


def _clauses(text: str, verbs: list[regex.Match], end: int) -> list[DecisionMention]:
    """One decision per verb found, its clause running to the next verb (or `end`)."""
    found = []
    for index, match in enumerate(verbs):
        limit = verbs[index + 1].start() if index + 1 < len(verbs) else end
        decided = _decision(text, match, limit)
        if not decided.clause and (match["colon"] or _ends_line(text, match.end())) and (
                listed := _listed(text, match.end(), limit)):
            # "DÉCIDE :" then "- de créer …", "- de préciser …": the verb announces its clauses.
            decided = _with_list(text, match, decided.verb, listed)
        found.append(decided)
    return [d for d in found if d.clause or d.verb in ("PREND ACTE",)]


def _capital_in_sentence(text: str, start: int, end: int) -> regex.Match | None:
    """The first verb in capitals of the sentence the marker opens, wherever it sits in it."""
    stop = regex.compile(r"\.(?:\s|$)|\n\s*\n").search(text, start, min(end, start + 300))
    for match in _VERB.finditer(text, start, stop.start() if stop else min(end, start + 300)):
        verb = " ".join(match["verb"].split()).translate(_ACCENTS)
        if verb not in _NOUNS_TOO and regex.match(r"\s*:|[ \t\n]+\p{Ll}", text[match.end():]):
            return match
    return None


def _ends_line(text: str, position: int) -> bool:
    """Nothing follows on the line: "1) DECIDE" then "- de donner un avis favorable …"."""
    return bool(regex.match(r"[ \t]*(?:\n|\Z)", text[position:position + 40]))


def _items_of(text: str, lower: regex.Match, end: int) -> list[DecisionMention]:
    """"décide :" and the clauses listed under it: one decision, as the verb is printed once."""
    verb = VERBS.get(" ".join(lower["verb"].split()).upper().translate(_ACCENTS), lower["verb"].upper())
    listed = _listed(text, lower.end(), end)
    return [_with_list(text, lower, verb, listed)] if listed else []


def _listed(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The items listed from `start` ("Article 1 : …", "- De …", "1°) …"): (start, end, clause)."""
    items = list(_ITEM.finditer(text, start, end))
    out = []
    for index, item in enumerate(items):
        limit = items[index + 1].start() if index + 1 < len(items) else end
        stop = _CLAUSE_END.search(text, item.end(), limit)
        body_end = stop.start() if stop else limit
        clause = " ".join(text[item.end():body_end].split()).strip(" ;.,:-–•|_")
        if clause:
            clause = clause[0].lower() + clause[1:] if clause[:2].istitle() or clause[:2] in ("D'", "D’") else clause
            out.append((item.start(), body_end, clause))
    return out


def _with_list(text: str, match: regex.Match, verb: str, listed: list[tuple[int, int, str]]) -> DecisionMention:
    end = listed[-1][1]
    return DecisionMention(start=match.start("verb"), end=end, text=text[match.start("verb"):end], verb=verb,
                           clause=" ; ".join(clause for _, _, clause in listed))


_AND_VERB = regex.compile(
    r",?[ \t\n]{1,3}et[ \t\n]{1,3}(?P<verb>d[ée]cide|approuve|autorise|adopte|accepte|fixe|d[ée]signe|attribue|valide|sollicite)\b")
# In lower case after a bullet, "indique", "entend", "émet" are verbs; "vote", "acte", "demande",
# "charge" may still be nouns ("- demande de subvention").
_LOWER_NOUNS = {"VOTE", "ACTE", "DEMANDE", "CHARGE", "ARRETE"}
_LOWER_ITEM_VERB = regex.compile(
    r"^[ \t]*[-–•*▪][ \t]*(?P<verb>"
    + "|".join(sorted({regex.escape(k.lower()).replace("e", "[eéèê]").replace("'", "['’]").replace(r"\ ", r"\s+")
                       for k in VERBS if k not in _LOWER_NOUNS}, key=len, reverse=True))
    + r")(?![\p{L}'’])(?P<colon>\s*:)?",
    regex.MULTILINE,
)


# A lower-case verb between the assembly and the marker, in the same sentence.
_VERB_BEFORE = regex.compile(
    r"(?:conseil|comit[ée]|bureau|assembl[ée]e)\b[^.;\n]{0,80}?\s(?P<verb>d[ée]cide|approuve|autorise|adopte|accepte|fixe|d[ée]signe|attribue)\b[ \t,]*$",
    regex.IGNORECASE,
)


def _is_label(match: regex.Match) -> bool:
    """"VOTE : Pour : 21 – Contre : 0" heads the vote; it decides nothing."""
    return bool(match["colon"]) and match["verb"].upper() == "VOTE"


def _verb_before(text: str, marker: int) -> regex.Match | None:
    return _VERB_BEFORE.search(text, max(0, marker - 120), marker)


def _is_verb_position(text: str, match: regex.Match) -> bool:
    """The verb opens a clause: start of a line, after a bullet, "Article N :", or a comma."""
    before = text[max(0, match.start() - 80):match.start()]
    return bool(
        _at_line_start(text, match)
        or regex.search(r"[,:]\s*$", before)
        # "le conseil municipal après vote à l'unanimité DECIDE :", "… à l'unanimité DECIDE"
        or regex.search(r"(?:conseil|comit[ée]|bureau|assembl[ée]e)[^,.\n]{0,60}\s$", before, regex.IGNORECASE)
        or regex.search(r"unanimit[ée](?:\s+des\s+(?:pr[ée]sents|votants|membres))?\s+$", before, regex.IGNORECASE)
        # "VALIDE le périmètre … et APPROUVE les statuts": a second verb in capitals joined by "et".
        or (match["verb"].isupper() and regex.search(r"\bet\s+$", before))
    )


# What may stand between a line start and the verb: OCR specks around bullets ("._- CHARGE",
# "- _ APPROUVE"), a bullet, a number ("1°)", "2)", "3.", "a)") or "Article 1er :".
_CLAUSE_OPENING = regex.compile(
    r"""
    (?:^|[\n\f])
    [\s._·,'"|]*(?:[-–•*▪][\s._·,'"|]*)?                      # bullet with specks
    (?:(?:article|art\.)\s*(?:\d+(?:er)?|[lI]er)\s*[:.\-–]\s*            # Article 1er :
      | \d{1,2}\s*°?\s*[).\-–]\s* | \d{1,2}\s*°\s* | [a-h]\)\s*)?   # 1°)  2)  3.  4°  a)
    $""",
    regex.IGNORECASE | regex.VERBOSE,
)


def _at_line_start(text: str, match: regex.Match) -> bool:
    return bool(_CLAUSE_OPENING.search(text[max(0, match.start() - 40):match.start()]))


def _decision(text: str, match: regex.Match, limit: int, body_start: int | None = None) -> DecisionMention:
    printed = " ".join(match["verb"].split()).upper().replace("’", "'")
    unaccented = printed.translate(_ACCENTS)
    if unaccented not in VERBS and unaccented.rstrip("S").endswith("EE"):
        unaccented = unaccented.rstrip("S")[:-1]  # "Approuvée" -> APPROUVE
    elif unaccented not in VERBS and unaccented.rstrip("S")[:-1] + "E" in VERBS:
        unaccented = unaccented.rstrip("S")[:-1] + "E"  # "Autorisé(s)" -> AUTORISE
    verb = VERBS.get(unaccented) or _IRREGULAR.get(" ".join(unaccented.split()), printed)
    body_start = match.end() if body_start is None else body_start
    stop = _CLAUSE_END.search(text, body_start, limit)
    body_end = stop.start() if stop else limit
    clause = " ".join(text[body_start:body_end].split()).strip(" ;.,:-–•|_")
    if verb in _WITH_QUE and (que := regex.match(r"(?i:que\b|qu['’])\s*", clause)):
        verb, clause = _WITH_QUE[verb], clause[que.end():]  # "DIT QUE les crédits …"
    return DecisionMention(
        start=match.start("verb"), end=body_end, text=text[match.start("verb"):body_end],
        verb=verb, clause=clause,
    )
