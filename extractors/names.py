"""Person names as printed in French deliberations: civilities, particles, roles."""
from __future__ import annotations

import unicodedata

import regex

# Order matters: longer forms first so "Mme" is not read as "M".
CIVILITIES = {
    "messieurs": "M.", "mesdames": "Mme", "mesdemoiselles": "Mlle", "monsieur": "M.",
    "madame": "Mme", "mademoiselle": "Mlle", "mmes": "Mme", "mlles": "Mlle", "mme": "Mme",
    "mlle": "Mlle", "mm": "M.", "ms": "M.", "m": "M.", "mr": "M.",
}
CIVILITY = regex.compile(
    # "Mmes et Ms Philippe Barbillon – Denis Valck": the list's mixed civilities, neither one's own.
    r"\b(?P<civ>(?:Mesdames|Mmes|Messieurs|MM|Ms)\.?\s+et\s+(?:Mesdames|Mmes|Messieurs|MM|Ms)\b|Messieurs|Mesdames|Mesdemoiselles|Monsieur|Madame|Mademoiselle|Mmes|Mlles|Mme|Mlle|MM|Mr|Ms|M)"
    r"(?:\.|\b)\s*",
)
PLURAL_CIVILITIES = {"messieurs", "mesdames", "mesdemoiselles", "mmes", "mlles", "mm", "ms"}

_PARTICLE = r"(?:de\s+la|de\s+l'|du|des|de|d'|le|la|les|van\s+der|van|von|di|da|del|dos|ben|el|al)"
# An initial glued to the surname is part of it: "C.FOROT", "Y.ARMAND".
_CAP_WORD = r"(?:(?:\p{Lu}\.(?=\p{Lu}{2}))?\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*\.?)"
# A name: capitalised words, particles allowed between them ("Audrey DE LA GRANGE", "d'Ormesson").
NAME = regex.compile(
    rf"{_CAP_WORD}(?:[ ]+(?:{_PARTICLE}[ ]*)?{_CAP_WORD}|[ ]*{_PARTICLE}{_CAP_WORD})*",
)

# Case-sensitive on purpose: "Denis MAIRE" is a surname, "Denis Durand, Maire" a role.
ROLE_WORDS = regex.compile(
    r"(?:,\s*|\s+)(?:(?:le|la)\s+)?(?:[Mm]aire|[Aa]djointe?s?|\d+(?:er|ère|e|ème)\s+[Aa]djointe?|[Pp]r[ée]sidente?|"
    r"[Vv]ice-?\s?[Pp]r[ée]sidente?|[Cc]onseill[eè]re?s?(?:\s+municipale?s?|\s+communautaires?|\s+d[ée]l[ée]gu[ée]e?s?)?|"
    r"[Dd][ée]l[ée]gu[ée]e?s?(?:\s+titulaires?|\s+suppl[ée]ante?s?)?|[Ss]ecr[ée]taire|[Dd]oyen(?:ne)?(?:\s+d'[âa]ge)?)\b.*$",
)

_ROLE_ONLY = regex.compile(
    r"(?:Vice-?\s?)?[Pp]r[ée]sidente?s?|[Aa]djointe?s?|[Mm]aire|[Cc]onseill[eè]re?s?(?:\s+\p{Ll}+)?|"
    r"[Dd][ée]l[ée]gu[ée]e?s?(?:\s+\p{Ll}+)?|Vice-?[Pp]r[ée]sidente?s?|Membres?|Titulaires?|Suppl[ée]ante?s?",
)
_NOT_NAMES = frozenset(
    "le la les un une de du des et ou conseil commune ville président présidente maire "
    "monsieur madame excusé excusés excusée absent absents présents procuration pouvoir "
    "néant aucun sans objet".split()
)


# Words that head a table, a section or an operative clause: a "name" made only of these is not
# a person ("APPROUVE", "DIT QUE", "Ordre du jour", "Taux", "Détermination", "Présent Excusé").
_NOT_PERSON_WORDS = frozenset(
    """
    approuve accepte adopte attribue autorise charge decide designe dit que qu prend acte donne
    mandat pouvoir delegation engage fixe impute valide sollicite precise emet avis arrete abroge
    modifie cree supprime delegue renouvelle inscrit constate affecte procede reitere rappelle
    mandate octroie entend prevoit reconduit declare annule indique soutient prononce demande refuse
    rejette instaure institue vote nomme confie alloue maintient
    ordre jour taux determination attribution approbation budget budgets compte comptes rapport
    objet deliberation deliberations seance conseil question questions diverses divers information
    informations decision decisions subvention subventions tarif tarifs convention conventions
    modification creation election designation affaires finances personnel urbanisme travaux point
    points annexe total pour contre abstention abstentions unanimite present presente presents
    presentes excuse excusee excuses excusees absent absente absents absentes pouvoirs procuration
    procurations represente representee representes nom noms prenom qualite fonction signature
    emargement collectivite commune delegue delegues titulaire titulaires suppleant suppleants
    suppleante membres elus conseiller conseillers conseillere conseilleres municipaux
    communautaires votants exercice quorum secretaire president presidente maire adjoint adjointe
    adjoints vice et de du des la le les
    """.split()
)


# Nouns that open a remark about people, not a name: "Départ de Maryline", "Arrivée de M. X".
_NOT_NAME_START = frozenset("depart arrivee arrive sortie retour absence presence intervention".split())


# Patterns of the functions below, compiled once: they run for every name of every list.
_WORD = regex.compile(r"\p{L}+")
_M_BEFORE_A_NAME = regex.compile(r"M(?:\.\s*|\s+)\p{Lu}")
_PARENTHESES = regex.compile(r"\s*\(.*?\)\s*")
_NAME_PUNCTUATION = regex.compile(r"[-'.]")


def _is_not_a_person(name: str) -> bool:
    words = [_fold(w) for w in _WORD.findall(name)]
    return bool(words) and (all(w in _NOT_PERSON_WORDS for w in words) or words[0] in _NOT_NAME_START)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def split_civility(text: str) -> tuple[str | None, str, bool]:
    """('M.', 'Vincent SCATTOLIN', plural?) from 'M. Vincent SCATTOLIN'."""
    text = text.strip(" \t\n,;:.–—−-•·*▪◦●➢")
    match = CIVILITY.match(text)
    if not match or (match.group("civ") == "M" and not _M_BEFORE_A_NAME.match(text)):
        return None, text, False
    key = match.group("civ").lower()
    if key not in CIVILITIES:  # "Mmes et Ms": plural, no one civility
        return None, text[match.end():].strip(), True
    return CIVILITIES[key], text[match.end():].strip(), key in PLURAL_CIVILITIES


def clean_name(text: str) -> str | None:
    """The name alone: no civility, role or trailing punctuation; None if it is not a name."""
    _, text, _ = split_civility(text)
    text = ROLE_WORDS.sub("", text)
    text = _PARENTHESES.sub(" ", text)
    match = NAME.search(text)
    if not match or match.start() > 2:
        return None
    name = " ".join(match.group(0).split()).rstrip(".")
    if name.lower() in _NOT_NAMES or sum(ch.isalpha() for ch in name) < 2:
        return None
    if _ROLE_ONLY.fullmatch(name) or _is_not_a_person(name):
        return None
    return name


def normalize_name(name: str) -> str:
    """A key under which spellings of one person meet: case, accents and hyphens ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NAME_PUNCTUATION.sub(" ", stripped).casefold().split())
