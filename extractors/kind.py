"""What kind of document a PDF is, from its text: extract of a deliberation, séance minutes,
list of deliberations, arrêté, or something else.

    classify("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS ...")   # -> "extract"

Only an extract (one or several deliberations, each with its header) and séance minutes hold
deliberations; a list of deliberations only names them, and an arrêté is an act of an executive
(a mayor, a prefect), not of an assembly: the importer keeps those as documents, flagged, and makes
no deliberation rows of them.

The title at the top says most: "Extrait du registre des délibérations", "Procès-verbal",
"Compte rendu", "Liste des délibérations", "Arrêté n° …", "Recueil des actes administratifs".
Minutes without a title ("Conseil municipal du 4 juin 2021") are told from an extract by their
order of the day or by holding several deliberations.
"""
from __future__ import annotations

from typing import Literal

import regex

__all__ = ["KINDS", "DocumentKind", "classify", "gives_deliberations", "kind_warning"]

DocumentKind = Literal["extract", "minutes", "list", "arrete", "other"]
KINDS: tuple[DocumentKind, ...] = ("extract", "minutes", "list", "arrete", "other")

_TOP = 1500  # characters: the letterhead and title of the first page
_BODY = 60_000  # characters scanned for the weaker signals, so a 300-page file costs no more
_F = regex.IGNORECASE | regex.MULTILINE | regex.VERSION1

# A title line: what the line starts with, at most a few words of letterhead before it.
_ARRETE_TITLE = regex.compile(
    r"^[\W\d]{0,6}(?:recueil\s+(?:sp[ée]cial\s+)?des\s+actes\s+administratifs"
    r"|arr[êeé]t[ée]\s+(?:pr[ée]fectoral|municipal|du\s+maire|du\s+pr[ée]sident|inter-?pr[ée]fectoral"
    r"|portant|n\s?[°º]|no\s)"
    r"|arr[êeé]t[ée]\s*$)",
    _F,
)
# The operative verb of an arrêté, alone on its line: "ARRÊTE :" (a deliberation "DÉCIDE").
_ARRETE_VERB = regex.compile(r"^\s*(?-i:ARR[ÊE]TE|Arr[êe]te)\s*:?\s*$", _F)
_PREFET = regex.compile(r"\b(?:le\s+pr[ée]fet|la\s+pr[ée]f[èe]te|pr[ée]fecture\s+d[eu])\b", _F)
_LIST_TITLE = regex.compile(
    r"(?:liste|relev[ée]|tableau)\s+des\s+d[ée]lib[ée]rations"
    r"|^\W{0,6}d[ée]lib[ée]rations\s+(?:vot[ée]es|adopt[ée]es|prises|examin[ée]es)\b"
    r"|d[ée]lib[ée]rations\s+(?:vot[ée]es|adopt[ée]es|prises|examin[ée]es)\s+(?:le|lors|par|en\s+s[ée]ance)",
    _F,
)
_EXTRACT_TITLE = regex.compile(
    r"extrait\s+(?:du|des|de\s+la|de)\s+(?:registre|proc[èe]s[\s.-]*verbal|d[ée]lib[ée]ration)"
    r"|pour\s+extrait\s+(?:certifi[ée]\s+)?conforme"
    r"|^\W{0,6}registre\s+des\s+d[ée]lib[ée]rations"
    r"|^\W{0,6}d[ée]lib[ée]ration\s+(?:n\s?[°º]|du\s+(?:conseil|comit[ée]|bureau))",
    _F,
)
# Minutes say so at the start of a line ("PROCES VERBAL DU CONSEIL", "Compte-rendu de la séance",
# "CR du conseil municipal"); "annexée au procès-verbal de la séance" in an extract is no title.
_MINUTES_TITLE = regex.compile(
    r"^\W{0,6}(?:proc[èe]s[\s.-]*verbal|compte[\s-]*rendu|(?:PV|CR)\s+(?:du|de\s+la|de\s+l))\b",
    _F,
)
# "Registre des délibérations" heads an extract, or the register of a whole séance: several
# deliberations under one heading are the séance's minutes.
_REGISTER_TITLE = regex.compile(r"^\W{0,6}registre\s+des\s+d[ée]lib[ée]rations", _F)
_AGENDA = regex.compile(r"^\W{0,3}ordre\s+du\s+jour", _F)
# One deliberation's decision: each item of minutes has one, an extract one per deliberation.
_DELIBERATED = regex.compile(
    r"apr[èe]s\s+en\s+avoir\s+d[ée]lib[ée]r[ée]|(?:le\s+conseil|le\s+comit[ée]|le\s+bureau)[^\n.]{0,60}?"
    r"\b(?:d[ée]cide|approuve|adopte|autorise)\b",
    _F,
)
_DELIBERATION_HEADER = regex.compile(
    r"d[ée]lib[ée]ration\s+n\s?[°º]|^\s*objet\s*:|^\s*n\s?[°º]\s*\d"
    r"|^\W{0,3}d[ée]lib[ée]ration\s+(?:n\s?[°º]\s*)?[A-Z]{0,4}[-_ ]?\d[\w/.-]{0,20}\s*:",
    _F,
)
# The @ctes transmission stamp names the act's type: DE a deliberation, AR/AI an arrêté.
_ACTE_TYPE = regex.compile(r"\b\d{3}-\d{9}-\d{8}-[\w-]{1,40}?-(?P<type>DE|AR|AI)\b")
_MANY = 3  # decisions in minutes of a séance, where an extract has one


def classify(text: str) -> DocumentKind:
    """The kind of the document whose whole text (pages joined) is `text`."""
    top = text[:_TOP]
    body = text[:_BODY]
    if _ARRETE_TITLE.search(top) or (_ARRETE_VERB.search(body) and _PREFET.search(body)
                                     and not _DELIBERATED.search(body)):
        return "arrete"
    if _LIST_TITLE.search(top):
        return "list"
    extract = _EXTRACT_TITLE.search(top)
    minutes = _MINUTES_TITLE.search(top)
    if extract and not (minutes and minutes.start() < extract.start()):
        if _REGISTER_TITLE.match(extract.group()) and len(_DELIBERATED.findall(body)) >= _MANY:
            return "minutes"
        return "extract"
    if minutes or _AGENDA.search(body[:6000]):
        return "minutes"
    decisions = len(_DELIBERATED.findall(body))
    if _EXTRACT_TITLE.search(body):
        return "extract"  # the title is lower down (after a letterhead) or in a closing formula
    if decisions >= _MANY:
        return "minutes"
    if decisions or _DELIBERATION_HEADER.search(body):
        return "extract"
    stamp = _ACTE_TYPE.search(body)
    if stamp is not None:
        return "extract" if stamp.group("type") == "DE" else "arrete"
    return "other"


def gives_deliberations(kind: DocumentKind) -> bool:
    """Whether deliberation records are made of a document of this kind: all but an arrêté.

    A list of deliberations is read too (its items name the deliberations of a séance); a
    document of no known kind is still read (a damaged scan of an extract looks like nothing);
    both carry a warning (`kind_warning`).
    """
    return kind != "arrete"


_WARNINGS: dict[str, str] = {
    "arrete": "document kind: an arrêté (an act of a mayor or a prefect), not a deliberation: "
              "kept as a document, no deliberation read from it",
    "list": "document kind: a list of deliberations (their titles and results), not their text: "
            "attendance, amounts and decisions are not in it",
    "other": "document kind: not recognised as an extract, minutes or a list of deliberations: "
             "check what was read from it",
}


def kind_warning(kind: DocumentKind) -> str | None:
    """The warning a document of this kind carries, or None for an extract or minutes."""
    return _WARNINGS.get(kind)

