"""A held-out set of single-deliberation extracts ("extrait du registre des délibérations") with
their ground truth, written blind to how delib parses them.

    python bench/varied_extracts.py OUT_DIR [--n 60] [--seed 11] [--scanned 20]
    python bench/score.py --set OUT_DIR --diff            # born digital
    python bench/score.py --set OUT_DIR/scanned --cache /work/wt/cache   # the scans (OCR)

Each OUT_DIR/NAME.pdf has NAME.expected.json beside it, in the per-item format of
tests/corpus_dev (MINUTES.md): `"family": "extract"`, the séance's facts under `"seance"`, one
entry in `"deliberations"`. The truth is what the generator printed, nothing more: a fact is only
claimed when the page states it, null when the page certainly does not, and left out when a
careful reader could hesitate (a séance held "au lieu habituel de ses séances" has no place).

The templates, wordings and layouts here are this file's own (not those of samples/ or
bench/corpus_gen.py): headers in one or two columns with a logo, the kinds of authority and
their bodies, number formats, OBJET labelled or not, dates in words or figures, counts in a
sentence, a column or a table, attendance lists with proxies in several wordings, recitals,
operative clauses in upper, title or lower case, numbered or dashed, votes, French amounts,
budget articles, references to earlier deliberations, transmission and publication lines,
fonts, sizes, margins and 1-3 pages. `--scanned K` also writes image-only scans of the first K
files (samples/make_scans.py: rotation, noise, blur, JPEG) into OUT_DIR/scanned/.

Deterministic: file i depends only on (seed, i); reportlab's invariant mode gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

ROOT = Path(__file__).resolve().parent.parent
VERSION = 1

# --------------------------------------------------------------------------- fonts

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# (regular, bold, italic); the base-14 faces are what many office exports embed by reference.
FACES = {
    "dejavu-sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
    "dejavu-serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
    "dejavu-condensed": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Oblique"),
    "helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "times": ("Times-Roman", "Times-Bold", "Times-Italic"),
}
BASE14 = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Times-Roman", "Times-Bold", "Times-Italic"}


def fonts(family: str) -> dict[str, str]:
    faces = FACES[family]
    for face in faces:
        if face in BASE14 or face in pdfmetrics.getRegisteredFontNames():
            continue
        path = _DEJAVU / f"{face}.ttf"
        if not path.exists():  # no DejaVu here: Helvetica has every character we print
            return fonts("helvetica")
        pdfmetrics.registerFont(TTFont(face, str(path)))
    return dict(zip("rbi", faces))


# --------------------------------------------------------------------------- French words

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
          "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}


def words(n: int) -> str:
    """Integer in French words (1990 spelling with hyphens only below a hundred)."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        if tens in (7, 9):
            return f"{_TENS[tens - 1]}{'-et-' if n == 71 else '-'}{_UNITS[10 + unit]}"
        if tens == 8:
            return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
        if unit == 0:
            return _TENS[tens]
        return f"{_TENS[tens]} et un" if unit == 1 else f"{_TENS[tens]}-{_UNITS[unit]}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent{'s' if rest == 0 else ''}"
        return head if rest == 0 else f"{head} {words(rest)}"
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        head = "mille" if thousands == 1 else f"{words(thousands).removesuffix('s') if thousands % 100 == 0 else words(thousands)} mille"
        return head if rest == 0 else f"{head} {words(rest)}"
    millions, rest = divmod(n, 1_000_000)
    head = f"{words(millions)} million{'s' if millions > 1 else ''}"
    return head if rest == 0 else f"{head} {words(rest)}"


def day_words(d: date) -> str:
    return "premier" if d.day == 1 else words(d.day)


def year_words(year: int, rng: random.Random) -> str:
    thousand = "mil" if rng.random() < 0.3 else "mille"
    return f"deux {thousand} {words(year - 2000)}" if year > 2000 else f"deux {thousand}"


def long_date(d: date, weekday: bool = False) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    text = f"{day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]} {text}" if weekday else text


def date_style(rng: random.Random):
    """One way of writing dates in figures, kept for a whole document."""
    style = rng.choice(("slash", "slash", "long", "dot", "long"))
    if style == "slash":
        return lambda d: d.strftime("%d/%m/%Y")
    if style == "dot":
        return lambda d: d.strftime("%d.%m.%Y")
    return long_date


# --------------------------------------------------------------------------- names and places

FIRST_M = ["Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe", "Daniel",
           "Bernard", "Éric", "Laurent", "Frédéric", "Pascal", "Thierry", "Gérard", "Olivier", "Stéphane",
           "Jean-Marc", "Jean-Luc", "Didier", "Sébastien", "Hervé", "Yves", "Guillaume", "Régis", "Joël",
           "Franck", "Bruno", "Gilles", "Raphaël", "Jérôme", "Lucien", "Marc", "Antoine", "Denis"]
FIRST_F = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Christine",
           "Sandrine", "Véronique", "Martine", "Nicole", "Brigitte", "Céline", "Hélène", "Anne-Marie",
           "Sophie", "Chantal", "Agnès", "Monique", "Élodie", "Laurence", "Corinne", "Émilie", "Odile",
           "Marie-Claude", "Josiane", "Annick", "Ghislaine", "Aurélie", "Mireille", "Danielle"]
SURNAMES = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY",
            "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX",
            "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRÉ", "MERCIER", "BLANC", "GUERIN", "BOYER",
            "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "PERRIN", "ROBIN", "CLÉMENT",
            "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "MASSON", "MARCHAND", "DUVAL", "DENIS",
            "DUMONT", "MARIE", "LEMAIRE", "NOËL", "MEYER", "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD",
            "GIRAUD", "JOLY", "RIVIÈRE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "MARTINEZ",
            "GERARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD",
            "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE",
            "BOURGEOIS", "PIERRE", "BENOIT", "REY", "LECLERC", "PAYET", "ROLLAND", "LECLERCQ", "GUILLAUME",
            "LECOMTE", "LOPEZ", "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER", "SANCHEZ",
            "DUPUIS", "MOULIN", "LOUIS", "DESCHAMPS", "HUET", "VASSEUR", "PEREZ", "BOUCHER", "FLEURY",
            "ROYER", "KLEIN", "JACQUET", "ADAM", "PARIS", "POIRIER", "MARTY", "AUBRY", "GUYOT", "CARRÉ",
            "CHARLES", "RENAULT", "CHARPENTIER", "MÉNARD", "MAILLARD", "BARON", "BERTIN", "BAILLY",
            "HERVÉ", "SCHNEIDER", "FERNANDEZ", "LE GALL", "COLLET", "LÉGER", "BOUVIER", "JULIEN", "PRÉVOST",
            "MILLET", "PERROT", "DANIEL", "LE ROUX", "COUSIN", "GERMAIN", "BRETON", "BESSON", "LANGLOIS",
            "RÉMY", "LE GOFF", "PELLETIER", "LEVEQUE", "PERRIER", "LEBLANC", "BARRÉ", "LEBRUN", "MARCHAL",
            "WEBER", "MALLET", "HAMON", "BOULANGER", "JACOB", "MONNIER", "MICHAUD", "RODRIGUEZ", "GUICHARD",
            "GILLET", "ETIENNE", "GRONDIN", "POULAIN", "TESSIER", "CHEVALLIER", "COLLIN", "CHAUVIN",
            "DA SILVA", "BOUCHET", "GAY", "LEMAÎTRE", "BENARD", "MARÉCHAL", "HUMBERT", "REYNAUD", "ANTOINE",
            "HOARAU", "PERRET", "BARTHÉLEMY", "CORDIER", "PICHON", "LEJEUNE", "GILBERT", "LAMY", "DELAUNAY",
            "PASQUIER", "CARLIER", "LAPORTE", "DE SOUSA", "VALLÉE", "BOUVET", "DELMAS", "FAURE-BRAC",
            "COMBES-LAFFITTE", "VAN DAMME", "N'DIAYE", "D'ALMEIDA"]

# département number, name, arrondissements; communes invented from regional name parts.
DEPARTEMENTS = [
    ("01", "Ain", ["Bourg-en-Bresse", "Belley", "Gex", "Nantua"]),
    ("07", "Ardèche", ["Privas", "Largentière", "Tournon-sur-Rhône"]),
    ("22", "Côtes-d'Armor", ["Saint-Brieuc", "Dinan", "Guingamp", "Lannion"]),
    ("24", "Dordogne", ["Périgueux", "Bergerac", "Nontron", "Sarlat-la-Canéda"]),
    ("29", "Finistère", ["Quimper", "Brest", "Châteaulin", "Morlaix"]),
    ("34", "Hérault", ["Montpellier", "Béziers", "Lodève"]),
    ("38", "Isère", ["Grenoble", "La Tour-du-Pin", "Vienne"]),
    ("44", "Loire-Atlantique", ["Nantes", "Châteaubriant-Ancenis", "Saint-Nazaire"]),
    ("51", "Marne", ["Châlons-en-Champagne", "Épernay", "Reims", "Vitry-le-François"]),
    ("60", "Oise", ["Beauvais", "Clermont", "Compiègne", "Senlis"]),
    ("63", "Puy-de-Dôme", ["Clermont-Ferrand", "Ambert", "Issoire", "Riom", "Thiers"]),
    ("69", "Rhône", ["Lyon", "Villefranche-sur-Saône"]),
    ("71", "Saône-et-Loire", ["Mâcon", "Autun", "Chalon-sur-Saône", "Charolles", "Louhans"]),
    ("74", "Haute-Savoie", ["Annecy", "Bonneville", "Saint-Julien-en-Genevois", "Thonon-les-Bains"]),
    ("79", "Deux-Sèvres", ["Niort", "Bressuire", "Parthenay"]),
    ("85", "Vendée", ["La Roche-sur-Yon", "Fontenay-le-Comte", "Les Sables-d'Olonne"]),
    ("88", "Vosges", ["Épinal", "Neufchâteau", "Saint-Dié-des-Vosges"]),
]
_TOWN_HEADS = ["Saint-Martin", "Sainte-Colombe", "Villeneuve", "Montfort", "Beaulieu", "Châtillon",
               "Fontaine", "Rochefort", "Bellecombe", "Saint-Didier", "Saint-Julien", "Neuville",
               "Champagnac", "Vaux", "Marcilly", "Sainte-Foy", "Ligny", "Bois-Guillaume", "Esery",
               "Plouzévet", "Kervignac", "Lanvallon", "Puyméras", "Serrières", "Ornex", "Thoissey",
               "Aubignac", "Chazelles", "Vernay", "Mirabel", "Laval", "Montaigu", "Roussillon", "Brézins"]
_TOWN_TAILS = ["", "", "", "-sur-Loire", "-en-Bresse", "-les-Bains", "-le-Château", "-sur-Saône", "-de-Vaulx",
               "-d'Azergues", "-la-Forêt", "-sous-Salève", "-du-Lac", "-en-Velay", "-le-Vieux", "-sur-Mer",
               " d'Ardèche", "-lès-Dijon", "-aux-Bois"]
_COUNTRIES = ["Pays de Gâtine", "Pays du Mont-Blanc", "Val de Saône", "Deux Vallées", "Haut-Bugey",
              "Pays des Abers", "Cœur de Bresse", "Plateau d'Hauteville", "Pays de Lure", "Val d'Oise et Thève",
              "Monts du Lyonnais", "Pays Bellêmois", "Rives du Haut-Allier", "Pays de Fayence"]


def dept_phrase(name: str) -> str:
    if name[0] in "AEIOUÉ":
        return f"Département de l'{name}"
    if name in ("Deux-Sèvres", "Vosges", "Côtes-d'Armor"):
        return f"Département des {name}"
    if name in ("Marne", "Dordogne", "Haute-Savoie", "Vendée", "Loire-Atlantique", "Saône-et-Loire"):
        return f"Département de la {name}"
    return f"Département du {name}"


def town(rng: random.Random) -> str:
    return rng.choice(_TOWN_HEADS) + rng.choice(_TOWN_TAILS)


@dataclass
class Person:
    first: str
    last: str
    female: bool

    def civility(self, long: bool = False) -> str:
        if long:
            return "Madame" if self.female else "Monsieur"
        return "Mme" if self.female else "M."


def people(rng: random.Random, n: int) -> list[Person]:
    lasts = rng.sample(SURNAMES, n)
    out = []
    for last in lasts:
        female = rng.random() < 0.45
        out.append(Person(rng.choice(FIRST_F if female else FIRST_M), last, female))
    return out


@dataclass
class NameStyle:
    """How one document writes people: 'Prénom NOM', 'NOM Prénom', 'NOM' alone; civility or not."""
    order: str          # "first-last", "last-first", "last"
    civility: bool

    def name(self, p: Person) -> str:  # the truth: as printed, civility removed
        if self.order == "last-first":
            return f"{p.last} {p.first}"
        if self.order == "last":
            return p.last
        return f"{p.first} {p.last}"

    def printed(self, p: Person) -> str:
        return f"{p.civility()} {self.name(p)}" if self.civility or self.order == "last" else self.name(p)


# --------------------------------------------------------------------------- authorities

@dataclass
class Authority:
    kind: str
    name: str           # the truth, as printed in the header
    body: str           # "Conseil municipal"
    chair: str          # "Maire", "Président"
    members_word: str   # "conseillers municipaux", "délégués"
    town: str           # where the seat is
    members: int
    siren: str
    feminine: bool      # "la Commune" / "le Syndicat" (for "de la …" phrases)
    dept: tuple


def authority(rng: random.Random) -> Authority:
    dept = rng.choice(DEPARTEMENTS)
    seat = town(rng)
    siren = f"2{dept[0]}{rng.randint(100000, 999999)}"
    kind = rng.choices(["commune", "ville", "cc", "ca", "bureau", "syndicat", "sivom", "ccas", "metropole"],
                       weights=[30, 8, 12, 5, 6, 14, 5, 8, 4])[0]
    if kind in ("commune", "ville"):
        members = rng.choice((11, 15, 15, 19, 19, 23, 27, 29, 33))
        name = f"{'Commune' if kind == 'commune' else 'Ville'} de {seat}" if not seat.startswith(("A", "E", "É", "O", "I", "U")) \
            else f"{'Commune' if kind == 'commune' else 'Ville'} d'{seat}"
        return Authority(kind, name, "Conseil municipal", "Maire", "conseillers municipaux", seat, members,
                         siren, True, dept)
    if kind in ("cc", "bureau"):
        country = rng.choice(_COUNTRIES)
        article = "des" if country.startswith("Deux") else ("du" if country.split()[0] in ("Pays", "Val", "Haut-Bugey", "Plateau") else "")
        name = f"Communauté de communes {article + ' ' if article else ''}{country}"
        if kind == "bureau":
            return Authority(kind, name, "Bureau communautaire", "Président", "membres du bureau", seat,
                             rng.randint(8, 15), siren, True, dept)
        return Authority(kind, name, "Conseil communautaire", "Président", "conseillers communautaires", seat,
                         rng.randint(26, 58), siren, True, dept)
    if kind == "ca":
        name = rng.choice((f"Communauté d'agglomération de {seat}", f"{seat.split('-')[0]} Agglomération"))
        return Authority(kind, name, "Conseil communautaire", "Président", "conseillers communautaires", seat,
                         rng.randint(40, 75), siren, True, dept)
    if kind == "syndicat":
        what = rng.choice(("Syndicat intercommunal des eaux", "Syndicat intercommunal d'assainissement",
                           "Syndicat mixte de traitement des déchets", "Syndicat intercommunal d'électricité",
                           "Syndicat mixte du bassin versant", "Syndicat intercommunal scolaire"))
        name = f"{what} de la région de {seat}" if "bassin" not in what else f"{what} de la Vézère et de ses affluents"
        return Authority(kind, name, "Comité syndical", "Président", "délégués", seat, rng.randint(10, 40),
                         siren, False, dept)
    if kind == "sivom":
        return Authority(kind, f"SIVOM du canton de {seat}", "Comité syndical", "Président", "délégués", seat,
                         rng.randint(12, 30), siren, False, dept)
    if kind == "ccas":
        return Authority(kind, f"Centre communal d'action sociale de {seat}", "Conseil d'administration",
                         "Président", "administrateurs", seat, rng.choice((9, 11, 13, 17)), siren, False, dept)
    return Authority(kind, f"{seat.split('-')[0]} Métropole", "Conseil métropolitain", "Président",
                     "conseillers métropolitains", seat, rng.randint(60, 92), siren, True, dept)


def number_format(rng: random.Random, a: Authority):
    """The authority's numbering: (number for a date and a sequence)."""
    prefix = {"cc": "CC", "ca": "CC", "bureau": "B", "syndicat": "CS", "sivom": "CS", "ccas": "CA",
              "metropole": "DEL"}.get(a.kind, "DCM")
    formats = [
        lambda d, s: f"{d.year}-{s:03d}",
        lambda d, s: f"DEL_{d.year}_{s:02d}",
        lambda d, s: f"D{d.year}-{s:02d}",
        lambda d, s: f"{s}/{d.year}",
        lambda d, s: f"{d.year}.{s:02d}",
        lambda d, s: f"{prefix}-{d.year}-{s:03d}",
        lambda d, s: f"{prefix}{d.year}_{s:02d}",
        lambda d, s: f"{d:%Y%m%d}-{s:02d}",
        lambda d, s: f"{d:%y}-{s:03d}",
        lambda d, s: f"{d.year}/{s:03d}",
    ]
    return rng.choice(formats)


# --------------------------------------------------------------------------- truth tracking


@dataclass
class Truth:
    amounts: dict = field(default_factory=dict)      # value string -> None (ordered set)
    codes: dict = field(default_factory=dict)
    references: list = field(default_factory=list)

    def money(self, rng: random.Random, value: Decimal, style: int, suffix: str = "", words_too: bool = False) -> str:
        """A sum in one of the forms French local authorities print, recorded."""
        cents = value != value.to_integral_value() or style in (1, 2)
        whole = int(value)
        frac = f"{int((value - whole) * 100):02d}"
        sep = "." if style == 2 else ("\u00a0" if style == 5 else " ")
        grouped = f"{whole:,}".replace(",", sep) if style != 4 else str(whole)
        number = f"{grouped},{frac}" if cents else grouped
        unit = {0: "€", 1: "€", 2: "euros", 3: "euros", 4: "€", 5: "€", 6: "EUR"}[style]
        text = f"{number}{'' if style == 4 and rng.random() < 0.5 else ' '}{unit}{suffix}"
        if words_too and value == whole and whole >= 100:
            text += f" ({words(whole)} euros)"
        self.amounts[str(value.quantize(Decimal('0.01')) if cents else whole)] = None
        return text

    def code(self, code: str) -> str:
        self.codes[code] = None
        return code

    def reference(self, number: str, when: date | None) -> str:
        self.references.append({"number": number, "date": when.isoformat() if when else None})
        return number


def euros_value(rng: random.Random, low: int, high: int, round_to: int = 100) -> Decimal:
    value = rng.randint(low, high)
    if rng.random() < 0.25:
        return Decimal(value) + Decimal(rng.randint(1, 99)) / 100
    return Decimal(max(round_to, value // round_to * round_to))


# --------------------------------------------------------------------------- subjects

INFINITIVE = {
    "APPROUVE": "d'approuver", "AUTORISE": "d'autoriser", "DIT QUE": "de dire que", "SOLLICITE": "de solliciter",
    "FIXE": "de fixer", "CHARGE": "de charger", "PRÉCISE": "de préciser", "ATTRIBUE": "d'attribuer",
    "DÉSIGNE": "de désigner", "ACCORDE": "d'accorder", "S'ENGAGE": "de s'engager", "ACCEPTE": "d'accepter",
    "ADOPTE": "d'adopter", "DONNE": "de donner", "VALIDE": "de valider", "OPTE": "d'opter",
}


@dataclass
class Subject:
    title: str
    expose: list            # paragraphs (str) or ("table", rows, widths, right-aligned columns)
    vus: list[str]
    considerants: list[str]
    clauses: list[tuple[str, str]]   # (VERB, complement)
    no_vote: bool = False


def _ref_number(rng, fmt, when: date) -> str:
    return fmt(when, rng.randint(1, 140))


SUBJECTS = {
    "commune": ["subvention", "subventions", "travaux", "foncier", "emprunt", "tarifs", "dm", "poste", "rapport",
                "convention", "designation", "marche", "non_valeur", "statuts", "garantie"],
    "epci": ["subvention", "subventions", "travaux", "foncier", "emprunt", "dm", "poste", "rapport", "convention",
             "designation", "marche", "non_valeur", "garantie", "fonds_concours", "fonds_concours"],
    "syndicat": ["travaux", "travaux", "emprunt", "dm", "poste", "rapport", "convention", "designation", "marche",
                 "non_valeur", "statuts"],
    "ccas": ["aide_sociale", "aide_sociale", "repas", "dm", "poste", "convention", "non_valeur"],
}


def subject(rng: random.Random, a: Authority, t: Truth, when: date, fmt, style: int, ds, chair: str) -> Subject:
    """One of the subjects such an authority deliberates on, with its figures recorded in t."""
    group = {"commune": "commune", "ville": "commune", "syndicat": "syndicat", "sivom": "syndicat",
             "ccas": "ccas"}.get(a.kind, "epci")
    kinds = SUBJECTS[group]
    kind = rng.choice(kinds)
    year = when.year
    m = lambda v, suffix="", words_too=False: t.money(rng, v, style, suffix, words_too)  # noqa: E731
    vus = ["Vu le Code général des collectivités territoriales, et notamment son article L. "
           f"{rng.choice(('2121-29', '5211-1', '2122-21', '5211-10', '2241-1'))},"]
    considerants: list[str] = []
    budget_word = rng.choice(("à l'article", "au compte", "à l'imputation", "à la nature", "au c/"))

    def budget(code: str, chapter: str | None = None) -> str:
        """'au chapitre 65, article 6574', 'au compte 2313', 'au c/6574' (with its preposition)."""
        if chapter and rng.random() < 0.5:
            word = budget_word.split()[-1].removeprefix("l'")
            return f"au chapitre {t.code(chapter)}, {word}{'' if word == 'c/' else ' '}{t.code(code)}"
        return f"{budget_word}{'' if budget_word.endswith('/') else ' '}{t.code(code)}"

    def earlier(what: str, days: tuple = (60, 900)) -> str:
        prev = when - timedelta(days=rng.randint(*days))
        number = _ref_number(rng, fmt, prev)
        t.reference(number, prev)
        return rng.choice((f"Vu la délibération n° {number} du {long_date(prev)} {what},",
                           f"Vu la délibération n°{number} en date du {ds(prev)} {what},",
                           f"Vu la délibération du {a.body.lower()} n° {number} du {ds(prev)} {what},"))

    if kind == "subvention":
        assoc = rng.choice(("Comité des fêtes", "Association sportive", "Amicale des sapeurs-pompiers",
                            "Association des parents d'élèves", "Club des aînés", "Union musicale",
                            "Association « Les Amis du patrimoine »", "Football Club", "Banque alimentaire"))
        assoc = f"{assoc} de {a.town}" if "«" not in assoc and assoc != "Banque alimentaire" else assoc
        value = euros_value(rng, 300, 12000, 50)
        budget_total = euros_value(rng, 20000, 90000, 1000)
        title = rng.choice((f"Attribution d'une subvention exceptionnelle à l'association {assoc}",
                            f"Subvention {year} – {assoc}", f"Versement d'une subvention à l'{assoc}"
                            if assoc.startswith("A") else f"Versement d'une subvention au {assoc}"))
        event = rng.choice(("l'organisation de sa manifestation annuelle", "l'achat de matériel",
                            "le déplacement de ses équipes", "la célébration de son cinquantenaire"))
        expose = [f"{chair.capitalize()} informe l'assemblée que l'association {assoc} a sollicité une aide "
                  f"financière pour {event}. Le budget prévisionnel de l'opération s'élève à {m(euros_value(rng, 2000, 30000))}.",
                  f"Il est rappelé que l'enveloppe consacrée aux subventions aux associations a été fixée à "
                  f"{m(budget_total)} lors du vote du budget primitif {year}."]
        if rng.random() < 0.5:
            vus.append(earlier(f"portant adoption du budget primitif {year}", (10, 80)))
        vus.append(f"Vu la demande présentée par l'association le {long_date(when - timedelta(days=rng.randint(20, 90)))},")
        considerants.append("Considérant l'intérêt local de cette manifestation pour les habitants,")
        clauses = [("DÉCIDE", f"d'attribuer une subvention de {m(value, words_too=rng.random() < 0.3)} à l'association {assoc},"),
                   ("DIT QUE", f"la dépense sera imputée {budget('6574', '65')} du budget {year},"),
                   ("AUTORISE", f"{chair} à signer toute pièce relative à ce dossier.")]
    elif kind == "subventions":
        names = rng.sample(["Comité des fêtes", "Tennis club", "Association des donneurs de sang",
                            "Gym volontaire", "Anciens combattants (UNC)", "Club de l'amitié", "Chorale La Clé des Chants",
                            "Bibliothèque pour tous", "Judo club", "Coopérative scolaire", "Restos du cœur",
                            "Société de chasse"], rng.randint(4, 8))
        rows = [["Association", "Montant"]]
        total = Decimal(0)
        for n in names:
            v = euros_value(rng, 100, 3500, 50)
            total += v
            rows.append([n, m(v)])
        rows.append(["TOTAL", m(total)])
        title = rng.choice((f"Subventions aux associations – exercice {year}",
                            f"Attribution des subventions de fonctionnement aux associations pour l'année {year}"))
        expose = [f"Après examen des dossiers de demande par la commission vie associative réunie le "
                  f"{long_date(when - timedelta(days=rng.randint(7, 30)))}, il est proposé de répartir les subventions "
                  "de la manière suivante :", ("table", rows, (0.7, 0.3), (1,))]
        clauses = [("APPROUVE", "la répartition des subventions telle que présentée ci-dessus,"),
                   ("DIT QUE", f"les crédits nécessaires sont inscrits au budget primitif {year}, {budget('6574', '65')},"),
                   ("PRÉCISE", "que les élus membres du bureau d'une association bénéficiaire n'ont pas pris part au vote.")]
    elif kind == "travaux":
        project = rng.choice(("la réfection de la toiture de l'école élémentaire", "l'aménagement de sécurité de la traversée du bourg",
                              "la rénovation énergétique de la salle polyvalente", "l'extension du réseau d'assainissement",
                              "la mise en accessibilité de la mairie", "la création d'un city-stade"))
        cost = euros_value(rng, 40000, 900000, 100)
        rate1, rate2 = rng.choice((30, 35, 40)), rng.choice((10, 15, 20))
        s1 = (cost * rate1 / 100).quantize(Decimal("1"))
        s2 = (cost * rate2 / 100).quantize(Decimal("1"))
        auto = cost - s1 - s2
        fund = rng.choice(("DETR", "DSIL"))
        title = rng.choice((f"Demande de subvention au titre de la {fund} {year} pour {project}",
                            f"{project[0].upper() + project[1:]} – plan de financement et demande de subvention"))
        rows = [["Financeur", "Taux", "Montant HT"], [f"État – {fund}", f"{rate1} %", m(s1)],
                ["Conseil départemental", f"{rate2} %", m(s2)], ["Autofinancement", f"{100 - rate1 - rate2} %", m(auto)],
                ["Total", "100 %", m(cost)]]
        ttc = (cost * Decimal("1.2")).quantize(Decimal("0.01"))
        expose = [f"{chair.capitalize()} présente le projet relatif à {project}. "
                  f"Le coût prévisionnel des travaux est estimé à {m(cost, ' HT')}, soit {m(ttc, ' TTC')}.",
                  "Le plan de financement prévisionnel s'établit comme suit :", ("table", rows, (0.5, 0.2, 0.3), (1, 2))]
        considerants.append(f"Considérant que ce projet est éligible à la {fund},")
        op = rng.randint(11, 299)
        clauses = [("APPROUVE", f"le projet relatif à {project} et son plan de financement prévisionnel,"),
                   ("SOLLICITE", f"l'attribution d'une subvention au titre de la {fund} {year} d'un montant de {m(s1)},"),
                   ("DIT QUE", f"les crédits sont inscrits au budget {year}, opération n° {op}, {budget('2313', '23')},"),
                   ("AUTORISE", f"{chair} à signer tous les documents nécessaires.")]
    elif kind == "foncier":
        sell = rng.random() < 0.5
        section, parcel = rng.choice("ABCDEHK") + rng.choice(("", "B", "C", "D")), rng.randint(12, 1450)
        area = rng.randint(120, 9000)
        per = Decimal(rng.choice((8, 12, 15, 25, 40, 65, 90, 120)))
        price = per * area
        buyer = rng.choice(("la SCI Les Tilleuls", "M. et Mme " + rng.choice(SURNAMES), "la société Immo Alpes",
                            "l'EPF local", "le Département"))
        what = "cession" if sell else "acquisition"
        title = f"{what.capitalize()} de la parcelle cadastrée section {section} n° {parcel}"
        domaine = (price * Decimal(rng.choice(("0.9", "1", "1.1")))).quantize(Decimal("1"))
        expose = [f"{chair.capitalize()} expose que {'la collectivité est propriétaire' if sell else buyer + ' est propriétaire'} "
                  f"d'un terrain cadastré section {section} n° {parcel}, d'une superficie de {area:,} m², situé ".replace(",", " ") +
                  f"{rng.choice(('route de la Gare', 'lieu-dit Les Combes', 'rue des Écoles', 'chemin du Moulin'))}.",
                  f"Le service du Domaine, consulté, a estimé la valeur vénale du bien à {m(domaine)} dans son avis du "
                  f"{long_date(when - timedelta(days=rng.randint(30, 200)))}."]
        vus.append("Vu le Code général de la propriété des personnes publiques,")
        clauses = [("DÉCIDE", f"{'de céder' if sell else 'd’acquérir'.replace('’', chr(39))} {'à ' + buyer + ' ' if sell else 'auprès de ' + buyer + ' '}"
                    f"la parcelle cadastrée section {section} n° {parcel} au prix de {m(per)} le m², soit un total de {m(price)},"),
                   ("DIT QUE", f"les frais d'acte seront à la charge {'de l’acquéreur' if sell else 'de la collectivité'},".replace("’", "'")),
                   ("AUTORISE", f"{chair} à signer l'acte authentique à intervenir ainsi que toutes pièces s'y rapportant.")]
        if not sell:
            clauses.insert(2, ("PRÉCISE", f"que la dépense sera imputée {budget('2111', '21')}."))
    elif kind == "emprunt":
        bank = rng.choice(("la Caisse d'Épargne", "le Crédit Agricole", "la Banque des Territoires", "La Banque Postale",
                           "le Crédit Mutuel"))
        value = euros_value(rng, 80000, 2500000, 10000)
        years = rng.choice((10, 15, 20, 25, 30))
        rate = f"{rng.randint(80, 420) / 100:.2f}".replace(".", ",")
        fees = Decimal(rng.choice((150, 250, 300, 500, 800, 1000)))
        title = rng.choice((f"Réalisation d'un emprunt de {m(value)} auprès de {bank}",
                            f"Contrat de prêt – financement des investissements {year}"))
        expose = [f"Pour financer les investissements inscrits au budget {year}, il est nécessaire de recourir à "
                  f"l'emprunt. Après consultation de plusieurs établissements, l'offre de {bank} est la mieux disante.",
                  f"Caractéristiques du prêt : montant {m(value)} ; durée {years} ans ; taux fixe de {rate} % ; "
                  f"échéances {rng.choice(('trimestrielles', 'annuelles', 'mensuelles'))} ; frais de dossier : {m(fees)}."]
        clauses = [("DÉCIDE", f"de contracter auprès de {bank} un emprunt de {m(value)} aux conditions ci-dessus,"),
                   ("S'ENGAGE", "pendant toute la durée du prêt à créer et mettre en recouvrement les ressources nécessaires au paiement des échéances,"),
                   ("AUTORISE", f"{chair} à signer le contrat de prêt,"),
                   ("DIT QUE", f"la recette sera inscrite {budget('1641', '16')}.")]
    elif kind == "tarifs":
        items = rng.sample([("Repas cantine – enfant", 2, 5), ("Repas cantine – adulte", 5, 9), ("Garderie – la demi-heure", 1, 2),
                            ("Location salle des fêtes – habitants", 120, 400), ("Location salle des fêtes – extérieurs", 250, 800),
                            ("Concession cimetière 30 ans", 150, 600), ("Droit de place – le mètre linéaire", 1, 3),
                            ("Photocopie A4", 0, 1), ("Caution salle", 300, 1000)], rng.randint(4, 7))
        rows = [["Prestation", f"Tarif {year + 1}"]]
        for label, low, high in items:
            v = Decimal(rng.randint(low * 100 + 10, high * 100 + 90)) / 100 if high < 20 else Decimal(rng.randint(low, high) // 5 * 5)
            v = v.quantize(Decimal("0.10")) if v < 20 else v
            rows.append([label, m(v)])
        title = rng.choice((f"Tarifs des services municipaux au 1er janvier {year + 1}", f"Fixation des tarifs communaux {year + 1}"))
        expose = ["Il est proposé de fixer les tarifs des services publics locaux comme suit :", ("table", rows, (0.65, 0.35), (1,))]
        clauses = [("FIXE", f"les tarifs tels que présentés ci-dessus à compter du 1er janvier {year + 1},"),
                   ("DIT QUE", f"les recettes seront encaissées {budget(rng.choice(('7067', '752', '70311')))}.")]
    elif kind == "dm":
        n = rng.randint(1, 4)
        rows = [["Section", "Compte", "Libellé", "Diminution", "Augmentation"]]
        labels = {"6574": "Subventions aux associations", "615221": "Entretien bâtiments", "60632": "Fournitures de petit équipement",
                  "2313": "Constructions en cours", "2183": "Matériel de bureau et informatique", "022": "Dépenses imprévues",
                  "21571": "Matériel roulant", "6232": "Fêtes et cérémonies", "2152": "Installations de voirie"}
        codes = rng.sample(list(labels), rng.choice((2, 4)))
        for k, c in enumerate(codes):
            if k % 2 == 0:  # a transfer: what one account loses, the next gains
                v = euros_value(rng, 500, 25000, 100)
            section = "Investissement" if c.startswith("2") else "Fonctionnement"
            rows.append([section, t.code(c), labels[c], m(v) if k % 2 == 0 else "", "" if k % 2 == 0 else m(v)])
        title = f"Décision modificative n° {n} – budget {'principal' if rng.random() < 0.7 else 'annexe de l’eau'.replace('’', chr(39))} {year}"
        expose = ["Afin d'ajuster les crédits ouverts au budget, il convient de procéder aux virements suivants :",
                  ("table", rows, (0.2, 0.12, 0.32, 0.18, 0.18), (3, 4))]
        clauses = [("APPROUVE", f"la décision modificative n° {n} telle que détaillée ci-dessus,"),
                   ("CHARGE", f"{chair} de son exécution.")]
    elif kind == "poste":
        grade = rng.choice(("adjoint technique territorial", "adjoint administratif principal de 2e classe",
                            "agent spécialisé principal de 2e classe des écoles maternelles", "rédacteur territorial",
                            "technicien territorial"))
        hours = rng.choice(("35/35e", "28/35e", "17,5/35e", "24/35e"))
        of_grade = f"d'{grade}" if grade[0] in "aeiou" else f"de {grade}"
        title = rng.choice((f"Création d'un poste {of_grade}",
                            "Modification du tableau des effectifs"))
        expose = [f"{chair.capitalize()} rappelle que les emplois de la collectivité sont créés par l'organe délibérant. "
                  f"Compte tenu de l'évolution des besoins du service, il est proposé de créer un emploi permanent "
                  f"{of_grade} à temps {'complet' if hours == '35/35e' else 'non complet'} ({hours}).",
                  f"L'effectif de la collectivité passera ainsi à {rng.randint(6, 60)} agents."]
        vus.append("Vu la loi n° 84-53 du 26 janvier 1984 portant dispositions statutaires relatives à la fonction publique territoriale,")
        if rng.random() < 0.6:
            vus.append(earlier("fixant le tableau des effectifs"))
        vus.append(f"Vu l'avis du comité social territorial du {long_date(when - timedelta(days=rng.randint(10, 40)))},")
        clauses = [("DÉCIDE", f"de créer un emploi permanent {of_grade} à compter du {long_date(when + timedelta(days=rng.randint(15, 60)))},"),
                   ("PRÉCISE", "que le tableau des effectifs est modifié en conséquence,"),
                   ("DIT QUE", f"les crédits nécessaires sont inscrits au budget, chapitre {t.code('012')}.")]
    elif kind == "rapport":
        what = rng.choice(("sur le prix et la qualité du service public d'eau potable", "d'activité",
                           "sur le prix et la qualité du service public d'assainissement collectif",
                           "annuel du délégataire"))
        title = f"Rapport {what} – exercice {year - 1}"
        price = Decimal(rng.randint(180, 480)) / 100
        expose = [f"Conformément à l'article L. 2224-5 du Code général des collectivités territoriales, le rapport {what} "
                  f"pour l'exercice {year - 1} est présenté à l'assemblée.",
                  f"Il en ressort notamment que le prix du service s'établit à {m(price)} TTC par m³ pour une consommation "
                  f"de référence de 120 m³, et que {rng.randint(1200, 9000)} abonnés sont desservis."]
        clauses = [("PREND ACTE", f"de la présentation du rapport {what} pour l'exercice {year - 1},")]
        if rng.random() < 0.5:
            clauses.append(("DIT QUE", "ce rapport sera mis à la disposition du public."))
        return Subject(title, expose, vus, considerants, clauses, no_vote=True)
    elif kind == "convention":
        partner = rng.choice(("le Service départemental d'incendie et de secours", "l'association Familles rurales",
                              "la commune voisine", "le Centre de gestion de la fonction publique territoriale",
                              "la Caisse d'allocations familiales"))
        value = euros_value(rng, 800, 40000, 100)
        title = rng.choice((f"Convention de partenariat avec {partner}", f"Approbation d'une convention avec {partner}"))
        duration = rng.choice(("d'un an", "de trois ans", "de cinq ans"))
        expose = [f"Une convention est proposée avec {partner} pour une durée {duration}. "
                  f"La participation annuelle de la collectivité est fixée à {m(value)}."]
        clauses = [("APPROUVE", f"les termes de la convention à intervenir avec {partner},"),
                   ("AUTORISE", f"{chair} à la signer ainsi que ses éventuels avenants,"),
                   ("DIT QUE", f"les crédits sont prévus {budget(rng.choice(('6281', '65548', '6558')), '65')}.")]
    elif kind == "designation":
        org = rng.choice(("au Syndicat départemental d'énergie", "à la commission locale d'évaluation des charges transférées",
                          "au conseil d'école", "au comité national d'action sociale (CNAS)"))
        d1, d2 = people(rng, 2)
        title = f"Désignation des représentants {org}"
        expose = [f"Il convient de désigner un délégué titulaire et un délégué suppléant pour représenter la collectivité {org}.",
                  f"Se portent candidats : {d1.civility()} {d1.first} {d1.last} (titulaire) et {d2.civility()} {d2.first} {d2.last} (suppléant{'e' if d2.female else ''})."]
        considerants.append("Considérant que l'assemblée a décidé à l'unanimité de ne pas procéder au scrutin secret,"
                            if rng.random() < 0.5 else "Considérant qu'une seule candidature a été déposée pour chaque poste,")
        clauses = [("DÉSIGNE", f"{d1.civility()} {d1.first} {d1.last}, délégué{'e' if d1.female else ''} titulaire, et {d2.civility()} {d2.first} {d2.last}, délégué{'e' if d2.female else ''} suppléant{'e' if d2.female else ''},"),
                   ("CHARGE", f"{chair} de notifier cette décision à l'organisme concerné.")]
    elif kind == "marche":
        lot = rng.choice(("gros œuvre", "charpente – couverture", "voirie et réseaux divers", "menuiseries extérieures",
                          "électricité", "fourniture de repas en liaison froide"))
        company = rng.choice(("SARL Bâti-Centre", "Eiffage Route Centre-Est", "Entreprise Colas", "SAS Martin et Fils",
                              "Établissements Roux", "Société Alpes Travaux"))
        ht = euros_value(rng, 20000, 1500000, 1)
        ttc = (ht * Decimal("1.2")).quantize(Decimal("0.01"))
        title = f"Attribution du marché – lot « {lot} »"
        expose = [f"Une consultation a été lancée selon la procédure adaptée. {rng.randint(3, 9)} offres ont été reçues. "
                  f"La commission d'appel d'offres, réunie le {long_date(when - timedelta(days=rng.randint(5, 20)))}, propose de "
                  f"retenir l'offre économiquement la plus avantageuse, celle de l'entreprise {company}."]
        clauses = [("ATTRIBUE", f"le marché à l'entreprise {company} pour un montant de {m(ht, ' HT')}, soit {m(ttc, ' TTC')},"),
                   ("AUTORISE", f"{chair} à signer le marché et toutes les pièces s'y rapportant,"),
                   ("DIT QUE", f"la dépense sera imputée {budget(rng.choice(('2313', '2315', '2151')), '23')}.")]
    elif kind == "non_valeur":
        total = Decimal(rng.randint(5000, 900000)) / 100
        title = "Admission en non-valeur de créances irrécouvrables"
        expose = [f"Le comptable public a transmis un état de produits irrécouvrables pour un montant total de {m(total)}, "
                  f"correspondant à {rng.randint(3, 40)} titres émis entre {year - 6} et {year - 2}."]
        clauses = [("DÉCIDE", f"d'admettre en non-valeur les créances présentées pour un montant de {m(total)},"),
                   ("DIT QUE", f"la dépense sera imputée {budget('6541', '65')}.")]
    elif kind == "statuts":
        org = rng.choice(("du Syndicat intercommunal d'énergie", "de la communauté de communes", "du syndicat mixte des rivières"))
        title = f"Modification des statuts {org}"
        expose = [f"Par délibération, le comité compétent a approuvé une modification des statuts {org} portant sur la "
                  f"{rng.choice(('représentation des membres', 'prise de compétence mobilité', 'adhésion de nouvelles communes'))}. "
                  "Chaque membre dispose d'un délai de trois mois pour se prononcer."]
        vus.append(earlier(f"approuvant les statuts {org}"))
        if rng.random() < 0.5:
            vus.append(earlier("relative à la précédente modification statutaire"))
        vus.append(f"Vu l'arrêté préfectoral n° {when.year - 1}-{rng.randint(100, 999)} du {long_date(when - timedelta(days=rng.randint(200, 600)))},")
        clauses = [("APPROUVE", f"la modification des statuts {org} telle qu'annexée à la présente délibération,"),
                   ("CHARGE", f"{chair} de notifier la présente délibération.")]
    elif kind == "garantie":
        lender = rng.choice(("Habitat 74", "l'OPH départemental", "la SA HLM Le Foyer", "Logivie"))
        value = euros_value(rng, 300000, 4000000, 1000)
        share = rng.choice((30, 50, 100))
        title = f"Garantie d'emprunt accordée à {lender}"
        expose = [f"{lender[0].upper() + lender[1:]} sollicite la garantie de la collectivité pour un prêt de {m(value)} "
                  f"destiné à la construction de {rng.randint(6, 40)} logements locatifs sociaux."]
        vus.append("Vu les articles L. 2252-1 et L. 2252-2 du Code général des collectivités territoriales,")
        vus.append("Vu l'article 2298 du Code civil,")
        clauses = [("ACCORDE", f"sa garantie à hauteur de {share} % pour le remboursement d'un prêt d'un montant total de {m(value)},"),
                   ("S'ENGAGE", "pendant toute la durée du prêt à libérer, en cas de besoin, des ressources suffisantes,"),
                   ("AUTORISE", f"{chair} à intervenir au contrat de prêt.")]
    elif kind == "fonds_concours":
        commune = town(rng)
        value = euros_value(rng, 5000, 150000, 500)
        cost = value * rng.choice((3, 4, 5))
        title = f"Fonds de concours à la commune de {commune}"
        expose = [f"La commune de {commune} a sollicité un fonds de concours pour des travaux d'un montant de {m(cost, ' HT')}. "
                  "Le fonds de concours ne peut excéder la part du financement assurée par la commune bénéficiaire."]
        if rng.random() < 0.6:
            vus.append(earlier("fixant le règlement d'attribution des fonds de concours"))
        clauses = [("ATTRIBUE", f"un fonds de concours de {m(value)} à la commune de {commune},"),
                   ("DIT QUE", f"la dépense sera imputée {budget('2041412', '204')},"),
                   ("AUTORISE", f"{chair} à signer la convention correspondante.")]
    elif kind == "aide_sociale":
        n = rng.randint(2, 5)
        value = euros_value(rng, 80, 600, 10)
        title = "Attribution d'aides facultatives – secours d'urgence"
        expose = [f"La commission permanente a examiné {n} demandes d'aide. Il est proposé d'accorder à chaque foyer une aide "
                  f"de {m(value)}, dans la limite de l'enveloppe annuelle de {m(euros_value(rng, 3000, 15000, 500))}."]
        clauses = [("ACCORDE", f"{n} aides d'urgence d'un montant unitaire de {m(value)},"),
                   ("DIT QUE", f"la dépense sera imputée {budget('6562', '65')}.")]
    else:  # repas
        value = Decimal(rng.choice((12, 15, 18, 20, 25)))
        title = f"Repas des aînés {year} – participation des accompagnants"
        expose = [f"Le repas annuel des aînés aura lieu le {long_date(when + timedelta(days=rng.randint(20, 60)))}. "
                  f"Il est proposé de fixer la participation des accompagnants de moins de 70 ans à {m(value)} par personne."]
        clauses = [("FIXE", f"la participation des accompagnants à {m(value)} par personne,"),
                   ("DIT QUE", f"la recette sera encaissée {budget('7478')}.")]
    if rng.random() < 0.4 and kind not in ("statuts",):
        considerants.append(rng.choice(("Considérant l'avis favorable de la commission des finances,",
                                        "Considérant qu'il y a lieu de délibérer,",
                                        "Considérant que les crédits sont disponibles,")))
    return Subject(title, expose, vus, considerants, clauses)


# --------------------------------------------------------------------------- layout

@dataclass
class Para:
    runs: list               # [(text, face)], face in "rbi"
    size: float
    align: str = "left"
    indent: float = 0.0
    before: float = 0.0
    after: float = 3.0


@dataclass
class Table:
    rows: list
    widths: tuple            # fractions of the text width
    size: float
    right: tuple = ()        # right-aligned columns
    header: bool = True
    before: float = 4.0
    after: float = 6.0


@dataclass
class Columns:
    left: list               # [Para]
    right: list
    split: float = 0.45
    rule: bool = False
    before: float = 0.0
    after: float = 8.0


@dataclass
class Box:
    lines: list              # [str]
    size: float
    width: float             # points
    align: str = "right"
    before: float = 6.0
    after: float = 6.0


def _tokens(runs):
    out, trailing = [], False
    for text, face in runs:
        for match in re.finditer(r"[^ ]+", text):  # a no-break space (as before €) holds words together
            start = match.start()
            space = text[start - 1] == " " if start else trailing
            out.append((match.group(), face, space))
        trailing = text.endswith(" ")
    return out


def wrap(para: Para, fonts: dict, width: float) -> list:
    """Lines of [(text, fontname)], words wrapped at spaces."""
    lines, line, used = [], [], 0.0
    space_w = pdfmetrics.stringWidth(" ", fonts["r"], para.size)
    for word, face, space in _tokens(para.runs):
        font = fonts[face]
        w = pdfmetrics.stringWidth(word, font, para.size)
        gap = space_w if (space and line) else 0.0
        if line and used + gap + w > width:
            lines.append(line)
            line, used, gap = [], 0.0, 0.0
        line.append(((" " if gap else "") + word, font))
        used += gap + w
    if line:
        lines.append(line)
    return lines


class Page:
    def __init__(self):
        self.ops = []


class Layout:
    """Blocks flowed onto A4 pages; draws once the page count is known (for 'Page n/N')."""

    def __init__(self, fonts, margins, leading, footer):
        self.fonts, self.leading, self.footer = fonts, leading, footer
        self.left, self.right, self.top, self.bottom = margins
        self.width = A4[0] - self.left - self.right
        self.pages = [Page()]
        self.y = A4[1] - self.top

    def _room(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.pages.append(Page())
            self.y = A4[1] - self.top

    def _para_lines(self, para: Para, x: float, width: float, ops: list, y: float) -> float:
        for line in wrap(para, self.fonts, width - para.indent):
            y -= para.size * self.leading
            ops.append(("line", x + para.indent, y, width - para.indent, para.align, para.size, line))
        return y

    def add(self, block) -> None:
        if isinstance(block, Para):
            self.y -= block.before
            for line in wrap(block, self.fonts, self.width - block.indent):
                step = block.size * self.leading
                self._room(step)
                self.y -= step
                self.pages[-1].ops.append(("line", self.left + block.indent, self.y, self.width - block.indent,
                                           block.align, block.size, line))
            self.y -= block.after
        elif isinstance(block, Columns):
            gap = 14
            lw = self.width * block.split - gap / 2
            rw = self.width - lw - gap
            heights, sides = [], []
            for paras, x, w in ((block.left, self.left, lw), (block.right, self.left + lw + gap, rw)):
                ops, y = [], 0.0
                for p in paras:
                    y -= p.before
                    y = self._para_lines(p, x, w, ops, y)
                    y -= p.after
                heights.append(-y)
                sides.append(ops)
            height = max(heights)
            self.y -= block.before
            self._room(height)
            for ops in sides:
                for op in ops:
                    self.pages[-1].ops.append(op[:2] + (self.y + op[2],) + op[3:])
            if block.rule:
                self.pages[-1].ops.append(("rule", self.left + lw + gap / 2, self.y, self.left + lw + gap / 2, self.y - height))
            self.y -= height + block.after
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Box):
            lines = [ln for text in block.lines for ln in simpleSplit(text, self.fonts["r"], block.size, block.width - 10)]
            height = len(lines) * block.size * 1.3 + 10
            self.y -= block.before
            self._room(height)
            x = self.left + self.width - block.width if block.align == "right" else self.left
            self.pages[-1].ops.append(("rect", x, self.y - height, block.width, height))
            y = self.y - 5
            for ln in lines:
                y -= block.size * 1.3
                self.pages[-1].ops.append(("line", x + 5, y, block.width - 10, "left", block.size, [(ln, self.fonts["r"])]))
            self.y -= height + block.after

    def _table(self, table: Table) -> None:
        self.y -= table.before
        widths = [self.width * w for w in table.widths]
        for r, row in enumerate(table.rows):
            font = self.fonts["b"] if (r == 0 and table.header) or row[0] in ("TOTAL", "Total") else self.fonts["r"]
            cells = [simpleSplit(str(c), font, table.size, w - 6) or [""] for c, w in zip(row, widths)]
            height = max(len(c) for c in cells) * table.size * 1.25 + 5
            self._room(height)
            x = self.left
            page = self.pages[-1]
            for c, (lines, w) in enumerate(zip(cells, widths)):
                page.ops.append(("rect", x, self.y - height, w, height))
                y = self.y - 2
                for ln in lines:
                    y -= table.size * 1.25
                    align = "right" if c in table.right and r > 0 else "left"
                    page.ops.append(("line", x + 3, y, w - 6, align, table.size, [(ln, font)]))
                x += w
            self.y -= height
        self.y -= table.after

    def draw(self, path: Path, title: str) -> int:
        c = rl_canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        c.setTitle(title)
        c.setAuthor("")
        total = len(self.pages)
        for n, page in enumerate(self.pages, 1):
            for op in page.ops:
                if op[0] == "line":
                    _, x, y, width, align, size, parts = op
                    used = sum(pdfmetrics.stringWidth(t, f, size) for t, f in parts)
                    x0 = x + (width - used if align == "right" else (width - used) / 2 if align == "center" else 0)
                    text = c.beginText(x0, y)
                    for t, f in parts:
                        text.setFont(f, size)
                        text.textOut(t)
                    c.drawText(text)
                elif op[0] == "rect":
                    c.setLineWidth(0.6)
                    c.rect(*op[1:])
                elif op[0] == "rule":
                    c.setLineWidth(0.5)
                    c.line(*op[1:])
                elif op[0] == "logo":
                    _, x, y, shape = op
                    c.setLineWidth(1.2)
                    if shape == 0:
                        c.circle(x + 18, y + 18, 17)
                        c.circle(x + 18, y + 18, 11)
                    else:
                        c.roundRect(x, y, 38, 38, 6)
                        c.line(x + 6, y + 10, x + 32, y + 28)
            if self.footer:
                c.setFont(self.fonts["r"], 8)
                text = self.footer.format(n=n, total=total)
                c.drawCentredString(A4[0] / 2, self.bottom - 22, text)
            c.showPage()
        c.save()
        return total


# --------------------------------------------------------------------------- one document

def _verb(verb: str, case: str) -> str:
    if case == "upper":
        return verb
    if case == "upper-plain":  # capitals printed without accents, as many word processors do
        return verb.replace("É", "E").replace("È", "E")
    if case == "upper-que":
        return verb.replace(" QUE", " que")
    text = verb.capitalize() if " " not in verb else verb[0] + verb[1:].lower()
    return text.lower() if case == "lower" else text


def _join_names(names: list[str], rng: random.Random) -> str:
    sep = rng.choice((", ", ", ", " – ", " ; "))
    return sep.join(names)


def build(index: int, seed: int, out_dir: Path, name: str | None = None) -> Path:
    rng = random.Random(seed * 100_003 + index)
    a = authority(rng)
    t = Truth()
    family = rng.choice(list(FACES))
    f = fonts(family)
    size = rng.choice((9.5, 10, 10, 10.5, 11, 11, 11.5, 12)) - (0.5 if family == "dejavu-sans" else 0)
    margins = tuple(rng.uniform(1.5, 2.6) * cm for _ in range(2)) + (rng.uniform(1.4, 2.2) * cm, rng.uniform(1.8, 2.6) * cm)
    leading = rng.uniform(1.15, 1.4)
    ds = date_style(rng)
    names = NameStyle(rng.choice(("first-last", "first-last", "first-last", "last-first", "last")), rng.random() < 0.55)

    when = date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28))
    hour, minute = rng.choice((18, 18, 19, 20, 20, 9, 14, 17)), rng.choice((0, 0, 0, 30, 30, 15, 45))
    convocation = when - timedelta(days=rng.randint(3, 12))
    seq = rng.randint(1, 130)
    fmt = number_format(rng, a)
    number = fmt(when, seq)
    body_low = a.body[0] + a.body[1:]          # "Conseil municipal"
    body_the = f"le {body_low}"

    # members and attendance
    members = people(rng, min(a.members, 60))
    in_office = a.members
    listed = a.members <= 60
    absent_n = rng.randint(0, max(1, in_office // 4))
    absents = members[len(members) - absent_n:] if absent_n else []
    present_people = members[:len(members) - absent_n]
    president = present_people[0]
    rep_n = rng.randint(0, len(absents))
    represented = absents[:rep_n]
    holders = rng.sample(present_people[1:] or present_people, min(rep_n, len(present_people[1:] or present_people)))
    excused_n = rng.randint(0, len(absents) - rep_n)
    excused = absents[rep_n:rep_n + excused_n]
    plain_absent = absents[rep_n + excused_n:]
    present = in_office - absent_n
    voters = present + rep_n
    secretary = rng.choice(present_people[1:] or present_people)
    attendance = []

    def pr(p: Person) -> str:
        return names.printed(p)

    # vote
    no_vote = False
    chair_the = "le Maire" if a.chair == "Maire" else ("la Présidente" if president.female else "le Président")
    sub = subject(rng, a, t, when, fmt, rng.choice((0, 0, 1, 1, 2, 3, 4, 5, 6)), ds, chair_the)
    if sub.no_vote:
        no_vote = True
        vote = {"unanimous": None, "for": None, "against": None, "abstentions": None}
        vote_in, vote_after = "", ""
    else:
        split = rng.random() < 0.35
        if not split:
            vote = {"unanimous": True, "for": None, "against": None, "abstentions": None}
            vote_in = rng.choice(("à l'unanimité", "à l'unanimité des membres présents et représentés",
                                  "à l'unanimité des suffrages exprimés", "à l'unanimité de ses membres", ""))
            vote_after = rng.choice(("Adopté à l'unanimité.", "Adoptée à l'unanimité des membres présents.",
                                     "VOTE : unanimité", "Résultat du vote : adopté à l'unanimité",
                                     "Délibération adoptée à l'unanimité des membres présents et représentés."))
        else:
            against = rng.randint(0, max(1, voters // 5))
            abst = rng.randint(0 if against else 1, max(1, voters // 6))
            pour = voters - against - abst
            form = rng.randrange(5)
            if form == 0:
                vote = {"unanimous": False, "for": pour, "against": against or None, "abstentions": abst or None}
                bits = [f"{pour} voix pour"] + ([f"{against} voix contre" if rng.random() < 0.5 else f"{against} contre"] if against else []) \
                    + ([f"{abst} abstention{'s' if abst > 1 else ''}"] if abst else [])
                vote_in = "par " + (", ".join(bits[:-1]) + " et " + bits[-1] if len(bits) > 1 else bits[0])
                vote_after = f"Adopté {vote_in}."
            elif form == 1:
                vote = {"unanimous": False, "for": pour, "against": against, "abstentions": abst}
                vote_in = ""
                vote_after = rng.choice((f"Pour : {pour} – Contre : {against} – Abstentions : {abst}",
                                         f"Votants : {voters}   Pour : {pour}   Contre : {against}   Abstention{'s' if abst > 1 else ''} : {abst}",
                                         "table"))
            elif form == 2 and against:
                vote = {"unanimous": False, "for": None, "against": against, "abstentions": abst or None}
                opp = rng.sample(present_people[1:], min(against, len(present_people) - 1, 3)) if against <= 3 else []
                who = f" : {', '.join(pr(p) for p in opp)}" if opp and len(opp) == against else ""
                vote_in = f"à la majorité ({against} voix contre{who}{', ' + str(abst) + ' abstention' + ('s' if abst > 1 else '') if abst else ''})"
                vote_after = f"Adopté {vote_in}."
            else:
                vote = {"unanimous": False, "for": pour, "against": against or None, "abstentions": abst or None}
                vote_in = ""
                tail = (f", {against} contre" if against else "") + (f", {abst} abstention{'s' if abst > 1 else ''}" if abst else "")
                vote_after = f"Adopté à la majorité : {pour} voix pour{tail}."
            if not vote_in and rng.random() < 0.3 and form != 1:
                vote_in = ""

    # ---- blocks
    blocks = []
    header_kind = rng.choice(("two-col", "two-col", "stack", "letterhead"))
    title_word = rng.choice(("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS", "Extrait du registre des délibérations",
                             "EXTRAIT DU REGISTRE DES DELIBERATIONS", "DÉLIBÉRATION", "REGISTRE DES DÉLIBÉRATIONS"))
    of_body = f"du {a.body}" if not a.body.startswith("Bureau") or True else a.body
    of_body = f"du {a.body}"
    seance_words = rng.random() < 0.45
    seance_line = rng.choice((f"Séance du {ds(when)}", f"Séance du {long_date(when, weekday=True)}",
                              f"Réunion du {long_date(when)}", f"Séance {rng.choice(('ordinaire', 'publique'))} du {ds(when)}"))
    time_printed = True
    number_label = rng.choice(("N° ", "n° ", "Délibération n° ", "DÉLIBÉRATION N°", "Délibération n°", "N°"))
    number_line = f"{number_label}{number}"
    title_style = rng.choice(("Objet : ", "OBJET : ", "Objet de la délibération : ", "", "N° – "))
    auth_upper = a.name.upper() if rng.random() < 0.6 else a.name

    # counts
    counts_style = rng.choice(("sentence", "column", "table", "list", "none", "sentence"))
    counts_truth = {"in_office": None, "present": None, "represented": None, "voters": None}
    count_lines: list[str] = []
    show_rep = rng.random() < 0.6
    if counts_style != "none":
        counts_truth.update(in_office=in_office, present=present, voters=voters)
        if show_rep:
            counts_truth["represented"] = rep_n
        if counts_style == "sentence":
            word = rng.choice(("conseillers", "membres", "délégués" if a.kind in ("syndicat", "sivom") else "conseillers"))
            text = f"Nombre de {word} en exercice : {in_office} – présents : {present}" + \
                   (f" – pouvoirs : {rep_n}" if show_rep else "") + f" – votants : {voters}"
            count_lines = [text]
        else:
            count_lines = [f"En exercice : {in_office}", f"Présents : {present}"] + \
                          ([f"{rng.choice(('Pouvoirs', 'Représentés', 'Procurations'))} : {rep_n}"] if show_rep else []) + \
                          [f"Votants : {voters}"]
            if counts_style == "list":
                count_lines = [f"Membres {ln[0].lower()}{ln[1:]}" if not ln.startswith(("Pouvoirs", "Procurations")) else ln for ln in count_lines]

    # header
    small = size - 1.5
    left_col = [Para([("RÉPUBLIQUE FRANÇAISE", "b")], small + 0.5, after=2)] if rng.random() < 0.6 else []
    if rng.random() < 0.8:
        left_col.append(Para([(dept_phrase(a.dept[1]), "r")], small, after=1))
        if rng.random() < 0.6:
            left_col.append(Para([(f"Arrondissement de {rng.choice(a.dept[2])}", "r")], small, after=1))
    left_col.append(Para([(auth_upper, "b")], small + 1, before=3, after=3))
    if rng.random() < 0.4:
        left_col.append(Para([(f"{rng.randint(1, 40)} {rng.choice(('place de la Mairie', 'rue de la République', 'avenue du Général de Gaulle', 'Grande Rue'))} – {a.dept[0]}{rng.randint(100, 999)} {a.town.upper()}", "r")], small - 1, after=1))
    right_col = [Para([(title_word, "b")], size + 1, align="center", after=2),
                 Para([(of_body.upper() if title_word.isupper() else of_body, "b" if title_word.isupper() else "r")], size, align="center", after=4)]
    if not seance_words:
        right_col.append(Para([(seance_line, "b")], size, align="center", after=2))
    if header_kind == "two-col":
        if counts_style == "column":
            left_col += [Para([("Nombre de membres", "b")], small, before=6, after=1)] + [Para([(ln, "r")], small, after=0.5) for ln in count_lines]
        blocks.append(Columns(left_col, right_col, split=rng.uniform(0.36, 0.46), rule=rng.random() < 0.3))
    elif header_kind == "stack":
        blocks.append(("logo", rng.randrange(2)))
        blocks.append(Para([(a.name, "b")], size + 4, align="center", after=2))
        if rng.random() < 0.5:
            blocks.append(Para([(f"{a.dept[1]}", "i")], small, align="center", after=8))
        for p in right_col:
            blocks.append(p)
    else:
        blocks.append(("logo", rng.randrange(2)))
        for p in left_col:
            p.indent = 46
            blocks.append(p)
        blocks.append(Para([(title_word + " " + (of_body.upper() if title_word.isupper() else of_body), "b")], size + 1, before=10, after=3))
        if not seance_words:
            blocks.append(Para([(seance_line, "r")], size, after=4))
    if counts_style == "column" and header_kind != "two-col":
        counts_style = "table"
    if counts_style == "table":
        blocks.append(Table([[ln.split(" : ")[0] for ln in count_lines], [ln.split(" : ")[1] for ln in count_lines]],
                            tuple([1 / len(count_lines) * rng.uniform(0.6, 0.9)] * len(count_lines)), small, (), True))

    # number and title
    title = sub.title
    conv_in_opening = False
    if title_style == "N° – ":
        blocks.append(Para([(f"{number_line} – {title}", "b")], size + 0.5, before=6, after=6))
    else:
        if rng.random() < 0.5:
            blocks.append(Para([(number_line, "b")], size + 0.5, before=6, after=4))
            number_after = False
        else:
            number_after = True
        if rng.random() < 0.25 and title_style == "":
            title = title.upper()
        label = title_style
        blocks.append(Para(([(label, "b")] if label else []) + [(title, "b" if not label or rng.random() < 0.6 else "r")],
                           size + (0.5 if not label else 0), before=4, after=6,
                           align="center" if not label and rng.random() < 0.4 else "left"))
        if number_after:
            blocks.append(Para([(number_line, "r")], size, after=6))

    # convocation
    conv_style = rng.choice(("line", "line", "opening", "none", "words"))
    conv_truth = convocation if conv_style != "none" else None
    if conv_style == "line":
        blocks.append(Para([(rng.choice(("Date de convocation : ", "Date de la convocation : ", "Convocation du ",
                                         "Date d'envoi de la convocation : ")) + ds(convocation), "r")], size, after=4))
    if counts_style == "sentence":
        blocks.append(Para([(count_lines[0], "r")], size, after=6))

    # opening sentence
    place_kind = rng.random()
    place_truth: str | None | bool
    if a.kind in ("commune", "ville"):
        places = [("dans la salle du conseil municipal", "salle du conseil municipal"), ("à la salle des fêtes", "salle des fêtes"),
                  ("en Mairie", "Mairie"), ("à la salle polyvalente", "salle polyvalente"),
                  ("dans la salle des mariages de l'Hôtel de Ville", "salle des mariages de l'Hôtel de Ville")]
    elif a.kind in ("syndicat", "sivom"):
        places = [(f"au siège du syndicat à {a.town}", f"siège du syndicat à {a.town}"),
                  (f"à la mairie de {a.town}", f"mairie de {a.town}"), ("dans la salle de réunion du syndicat", "salle de réunion du syndicat")]
    elif a.kind == "ccas":
        places = [("dans la salle de réunion du CCAS", "salle de réunion du CCAS"), ("en Mairie", "Mairie"),
                  ("dans la salle du conseil municipal", "salle du conseil municipal")]
    else:
        places = [("dans la salle du conseil communautaire", "salle du conseil communautaire"),
                  (f"à la salle des fêtes de {town(rng)}", None), ("au siège de la communauté", "siège de la communauté")]
        places[1] = (places[1][0], places[1][0].removeprefix("à la "))
    place_phrase, place_truth = rng.choice(places)
    if place_kind < 0.12:
        place_phrase, place_truth = "au lieu habituel de ses séances", False   # not asserted
    elif place_kind < 0.2:
        place_phrase, place_truth = "en visioconférence", "visioconférence"
    chair_title = {"Maire": "Maire"}.get(a.chair, a.chair)
    if president.female:
        chair_title = {"Maire": "Maire", "Président": "Présidente"}[a.chair]
        if a.kind in ("commune", "ville") and rng.random() < 0.3:
            chair_title = "Maire"
    pres_name = names.name(president) if rng.random() < 0.5 else f"{president.first} {president.last}"
    pres_phrase = rng.choice((f"{president.civility()} {pres_name}, {chair_title}",
                              f"{president.civility(True)} {pres_name}, {chair_title}",
                              f"{president.civility(True)} le {chair_title}, {pres_name}" if not president.female
                              else f"Madame la {chair_title if chair_title != 'Maire' else 'Maire'}, {pres_name}"))
    president_truth = pres_name
    time_w = f"{words(hour)} heure{'s' if hour > 1 else ''}" + ({0: "", 30: " trente", 15: " quinze", 45: " quarante-cinq"}[minute])
    time_f = rng.choice((f"{hour}h{minute:02d}", f"{hour} h {minute:02d}", f"{hour}h{minute:02d}", f"{hour} heures" if not minute else f"{hour}h{minute}"))
    session = "ordinaire" if rng.random() < 0.8 else "extraordinaire"
    conv_clause = ""
    if conv_style == "opening":
        conv_clause = f"dûment convoqué le {ds(convocation)}, "
    elif conv_style == "words":
        conv_clause = f"légalement convoqué le {day_words(convocation)} {MONTHS[convocation.month - 1]} {year_words(convocation.year, rng)}, "
    if a.name.startswith(("Centre", "Syndicat", "SIVOM")):
        auth_phrase = f"du {a.name}"
    elif a.name.startswith(("Commune", "Ville", "Communauté")):
        auth_phrase = f"de la {a.name}"
    else:  # "Montfort Agglomération", "Vaux Métropole"
        auth_phrase = f"de {a.name}"
    if seance_words:
        opening = (f"L'an {year_words(when.year, rng)}, le {day_words(when)} {MONTHS[when.month - 1]} à {time_w}, "
                   f"{body_the} {auth_phrase}{', ' + conv_clause if conv_clause else ' '}s'est réuni en session {session}, {place_phrase}, "
                   f"sous la présidence de {pres_phrase}.")
        if rng.random() < 0.3:
            opening = (f"Le {day_words(when)} {MONTHS[when.month - 1]} {year_words(when.year, rng)}, à {time_w}, "
                       f"{body_the} {auth_phrase}{', ' + conv_clause if conv_clause else ' '}s'est réuni {place_phrase}, sous la présidence de {pres_phrase}.")
    else:
        if rng.random() < 0.25:
            opening = None
            time_printed = False
        else:
            opening = (f"{body_the[0].upper()}{body_the[1:]}{', ' + conv_clause if conv_clause else ' '}s'est réuni le {long_date(when, weekday=rng.random() < 0.5)} "
                       f"à {time_f}, {place_phrase}, sous la présidence de {pres_phrase}.")
    if opening is None:
        # "Présidence : …" line, no place, no time
        place_truth = None
        blocks.append(Para([("Présidence : ", "b"), (f"{president.civility()} {pres_name}, {chair_title}", "r")], size, after=4))
        if conv_style in ("opening", "words"):
            conv_truth = None
    else:
        blocks.append(Para([(opening, "r")], size, before=2, after=5))

    # attendance
    att_style = rng.choice(("labels", "labels", "labels", "lines", "sentences"))
    proxy_style = rng.randrange(6)
    for p in present_people:
        attendance.append([names.name(p), "present"])
    for p, h in zip(represented, holders):
        attendance.append([names.name(p), "represented", {"proxy_to": names.name(h)}])
    for p in excused:
        attendance.append([names.name(p), "excused"])
    for p in plain_absent:
        attendance.append([names.name(p), "absent"])

    def proxy_text(p: Person, h: Person) -> str:
        return [f"{pr(p)} donne pouvoir à {pr(h)}", f"{pr(p)} (pouvoir à {pr(h)})", f"procuration de {pr(p)} à {pr(h)}",
                f"{pr(p)} représenté{'e' if p.female else ''} par {pr(h)}", f"{pr(p)} à {pr(h)}",
                f"{pr(p)} a donné pouvoir à {pr(h)}"][proxy_style]

    label_present = rng.choice(("Présents : ", "Étaient présents : ", "PRÉSENTS : ", "Membres présents : ", "Etaient présents : "))
    label_proxy = {4: rng.choice(("Absents ayant donné procuration : ", "Pouvoirs : ", "Excusés ayant donné pouvoir : ")),
                   0: rng.choice(("Pouvoirs : ", "Absents représentés : ", "Procurations : ")),
                   2: rng.choice(("Procurations : ", "Pouvoirs : "))}.get(proxy_style, rng.choice(("Absents représentés : ", "Pouvoirs : ", "Excusés : ")))
    label_excused = rng.choice(("Excusés : ", "Absents excusés : ", "Excusé(e)s : "))
    if label_proxy == "Excusés : " and excused:
        label_excused = "Absents excusés : "
    label_absent = rng.choice(("Absents : ", "Absent(s) : ", "Absents non excusés : "))
    att_size = size - rng.choice((0, 0.5, 1))
    if not listed:
        # too many members to print: only the absences are named (the truth lists those)
        attendance = [a_ for a_ in attendance if a_[1] != "present"]
        blocks.append(Para([("Présents : ", "b"), (f"{present} membres (liste annexée au registre)", "r")], att_size, after=2))
        counts_truth["present"] = present  # a figure printed, whatever the counts block says
        present_people_printed = []
    else:
        present_people_printed = present_people
    if att_style == "sentences" and listed:
        blocks.append(Para([(f"Étaient présents : {_join_names([pr(p) for p in present_people_printed], rng)}.", "r")], att_size, after=2))
        if represented:
            blocks.append(Para([("; ".join(proxy_text(p, h) for p, h in zip(represented, holders)) + ".", "r")], att_size, after=2))
        if excused:
            blocks.append(Para([(f"{'Était excusé' if len(excused) == 1 and not excused[0].female else 'Était excusée' if len(excused) == 1 else 'Étaient excusés'} : "
                                 f"{_join_names([pr(p) for p in excused], rng)}.", "r")], att_size, after=2))
        if plain_absent:
            blocks.append(Para([(f"{'Était absent' if len(plain_absent) == 1 and not plain_absent[0].female else 'Était absente' if len(plain_absent) == 1 else 'Étaient absents'} : "
                                 f"{_join_names([pr(p) for p in plain_absent], rng)}.", "r")], att_size, after=2))
    elif att_style == "lines" and listed:
        blocks.append(Para([(label_present.strip(), "b")], att_size, after=1))
        for p in present_people_printed:
            blocks.append(Para([(pr(p), "r")], att_size, indent=14, after=0))
        for lab, group in ((label_proxy, list(zip(represented, holders))), (label_excused, excused), (label_absent, plain_absent)):
            if group:
                blocks.append(Para([(lab.strip(), "b")], att_size, before=3, after=1))
                for g in group:
                    blocks.append(Para([(proxy_text(*g) if isinstance(g, tuple) else pr(g), "r")], att_size, indent=14, after=0))
        blocks[-1].after = 4
    else:
        if listed:
            blocks.append(Para([(label_present, "b"), (_join_names([pr(p) for p in present_people_printed], rng), "r")], att_size, after=2))
        if represented:
            blocks.append(Para([(label_proxy, "b"), (", ".join(proxy_text(p, h) for p, h in zip(represented, holders)), "r")], att_size, after=2))
        if excused:
            blocks.append(Para([(label_excused, "b"), (_join_names([pr(p) for p in excused], rng), "r")], att_size, after=2))
        if plain_absent:
            blocks.append(Para([(label_absent, "b"), (_join_names([pr(p) for p in plain_absent], rng), "r")], att_size, after=2))
    sec_form = rng.randrange(3)
    sec_name = names.name(secretary)
    blocks.append(Para([("Secrétaire de séance : ", "b"), (pr(secretary), "r")] if sec_form == 0 else
                       [(f"{pr(secretary)} a été désigné{'e' if secretary.female else ''} secrétaire de séance.", "r")] if sec_form == 1 else
                       [(f"{body_the[0].upper()}{body_the[1:]} a choisi pour secrétaire {pr(secretary)}.", "r")], att_size, before=2, after=8))
    if counts_style == "list":
        for ln in count_lines:
            blocks.append(Para([(ln, "r")], small, after=0.5))
        blocks[-1].after = 8
    if rng.random() < 0.3:
        blocks.append(Para([("Le quorum étant atteint, le " + a.chair.lower() + " ouvre la séance.", "i")], size, after=6))

    # exposé
    rapporteur = rng.random() < 0.35
    if rapporteur:
        rap = rng.choice(present_people[1:] or present_people)
        blocks.append(Para([(f"Rapporteur : {pr(rap)}", "i")], size, after=4))
    if rng.random() < 0.4:
        blocks.append(Para([(rng.choice(("EXPOSÉ", "Exposé des motifs", "EXPOSE :")), "b")], size, before=2, after=3))
    filler = [
        "Cette proposition a été présentée au bureau, qui l'a examinée lors de sa dernière réunion et a souhaité qu'elle soit "
        "soumise à l'assemblée dans les meilleurs délais, compte tenu du calendrier des opérations.",
        "Le détail de l'opération figure dans le dossier annexé à la présente délibération, consultable au secrétariat aux heures "
        "d'ouverture au public.",
        "Ce dossier a été examiné en commission, qui a émis un avis favorable à l'unanimité de ses membres présents.",
        "Les documents correspondants ont été adressés aux membres de l'assemblée avec la note de synthèse jointe à la convocation.",
        "Il est rappelé que cette opération s'inscrit dans les orientations budgétaires débattues en début d'exercice et dans le "
        "programme pluriannuel d'investissement de la collectivité, qui vise à maintenir un niveau d'équipement de qualité tout en "
        "maîtrisant l'endettement.",
        "Les services ont procédé à une analyse détaillée des besoins, en lien avec les usagers et les partenaires institutionnels, "
        "afin de proposer une solution adaptée aux contraintes techniques et financières.",
    ]
    expose = list(sub.expose)
    for para in rng.sample(filler, rng.choice((0, 0, 1, 2, 3, len(filler)))):
        # never between "… comme suit :" and its table
        spots = [k for k in range(1, len(expose) + 1) if not (isinstance(expose[k - 1], str) and expose[k - 1].endswith(":"))]
        expose.insert(rng.choice(spots), para)
    for part in expose:
        if isinstance(part, tuple):
            blocks.append(Table(part[1], part[2], size - 1, part[3]))
        else:
            blocks.append(Para([(part, "r")], size, after=4))

    # recitals and operative part
    op_style = rng.choice(("A", "B", "C", "D", "E"))
    body_up = body_the.upper()
    vus = [v for v in sub.vus]
    rng.shuffle(vus[1:]) if len(vus) > 2 else None
    clauses = sub.clauses
    case = rng.choice(("upper", "upper", "upper-plain", "upper-que", "title"))
    decisions = [v for v, _ in clauses]
    put_vote_in = bool(vote_in) and not no_vote and rng.random() < 0.6
    lead_vote = f", {vote_in}" if put_vote_in else ""
    if op_style == "C":
        blocks.append(Para([(f"{body_up},", "b")], size, before=4, after=3))
    vu_indent = rng.choice((0, 0, 10))
    for v in vus:
        blocks.append(Para([(v, "r")], size, after=1.5, indent=vu_indent))
    for c_ in sub.considerants:
        blocks.append(Para([(c_, "r")], size, after=1.5))
    if op_style == "C":
        blocks.append(Para([(rng.choice(("DÉLIBÈRE", "Après en avoir délibéré,", "DELIBERE :")), "b")], size, before=4, after=4,
                           align=rng.choice(("left", "center"))))
        if put_vote_in:
            blocks.append(Para([(vote_in[0].upper() + vote_in[1:] + ",", "r")], size, after=3))
        for k, (v, rest) in enumerate(clauses, 1):
            art = "Article 1er" if k == 1 and rng.random() < 0.7 else f"Article {k}"
            verb = _verb(v, "title" if case.startswith("upper") and rng.random() < 0.5 else case)
            blocks.append(Para([(f"{art} : ", "b"), (f"{verb} {rest}", "r")], size, after=3))
    elif op_style == "D":
        blocks.append(Para([(f"{body_the[0].upper()}{body_the[1:]}, {rng.choice(('ouï l’exposé', 'après avoir entendu l’exposé')).replace('’', chr(39))} "
                             f"du {a.chair.lower()} et après en avoir délibéré{lead_vote},", "r"), (" " + _verb("DÉCIDE", case) + " :", "b")],
                           size, before=4, after=3))
        decisions = ["DÉCIDE"]
        for v, rest in clauses:
            if v == "DÉCIDE":
                inf = rest
            elif v == "PREND ACTE":
                inf = f"de prendre acte {rest}"
            elif v == "S'ENGAGE":
                inf = f"de s'engager {rest}"
            elif v == "DIT QUE":
                inf = f"de dire que {rest}"
            else:
                inf = f"{INFINITIVE[v]} {rest}"
            blocks.append(Para([(f"- {inf}", "r")], size, indent=12, after=2))
    else:
        intro = rng.choice((f"{body_the[0].upper()}{body_the[1:]}, après en avoir délibéré{lead_vote} :",
                            f"Après en avoir délibéré, {body_the}{lead_vote} :",
                            f"{body_up}, ENTENDU L'EXPOSÉ ET APRÈS EN AVOIR DÉLIBÉRÉ{lead_vote.upper()},"))
        blocks.append(Para([(intro, "r" if not intro.isupper() else "b")], size, before=4, after=3))
        for k, (v, rest) in enumerate(clauses, 1):
            if op_style == "A":
                blocks.append(Para([(_verb(v, case), "b"), (f" {rest}", "r")], size, after=3))
            elif op_style == "B":
                blocks.append(Para([("- ", "r"), (_verb(v, "lower" if case == "title" else case), "r" if case == "title" else "b"),
                                    (f" {rest}", "r")], size, indent=10, after=2))
            else:
                blocks.append(Para([(f"{k}°) ", "r"), (_verb(v, case), "b"), (f" {rest}", "r")], size, after=3))
    if not no_vote and not put_vote_in:
        if vote_after == "table" or vote_after.startswith("Votants"):
            counts_truth["voters"] = voters  # a votants figure printed with the vote is one all the same
        if vote_after == "table":
            blocks.append(Table([["Votants", "Pour", "Contre", "Abstentions"],
                                 [str(voters), str(vote["for"]), str(vote["against"]), str(vote["abstentions"])]],
                                (0.18, 0.18, 0.18, 0.2), size - 1))
        else:
            blocks.append(Para([(vote_after, "b")], size, before=4, after=4))

    # closing: signature, transmission, publication
    transmission = when + timedelta(days=rng.randint(1, 12))
    publication = when + timedelta(days=rng.randint(1, 12))
    signed = when + timedelta(days=rng.randint(0, 3))
    close_style = rng.choice(("lines", "certifie", "actes", "none", "lines", "actes-pub"))
    trans_truth, pub_truth = None, None
    blocks.append(Para([(rng.choice(("Fait et délibéré les jour, mois et an que dessus.", "Pour extrait conforme,",
                                     "Pour extrait certifié conforme au registre,", f"Fait à {a.town}, le {ds(signed)}")), "r")],
                       size, before=8, after=2, align="right" if rng.random() < 0.5 else "left"))
    signer = f"{'Le ' + a.chair if not president.female else 'La ' + chair_title if chair_title != 'Maire' else 'Le Maire'},"
    blocks.append(Para([(signer, "r")], size, align="right", after=1))
    blocks.append(Para([(f"{president.first} {president.last}", "b")], size, align="right", after=10))
    ident = f"0{a.dept[0]}-{a.siren}-{transmission:%Y%m%d}-{re.sub(r'[^A-Za-z0-9]', '_', number)}-DE"
    if close_style == "lines":
        bits = []
        if rng.random() < 0.8:
            trans_truth = transmission
            bits.append(rng.choice(("Transmis en préfecture le ", "Transmise au contrôle de légalité le ", "Reçu en sous-préfecture le ",
                                    "Date de transmission en préfecture : ")) + ds(transmission))
        if rng.random() < 0.8 or not bits:
            pub_truth = publication
            bits.append(rng.choice(("Publié le ", "Affiché le ", "Date d'affichage : ", "Mise en ligne le ", "Publiée sur le site internet le ")) + ds(publication))
        for b in bits:
            blocks.append(Para([(b, "r")], small, after=1))
    elif close_style == "certifie":
        trans_truth, pub_truth = transmission, publication
        blocks.append(Para([(f"Certifié exécutoire compte tenu de la transmission en préfecture le {ds(transmission)} "
                             f"et de la publication le {ds(publication)}.", "i")], small, after=2))
    elif close_style in ("actes", "actes-pub"):
        trans_truth = transmission
        lines = ["Accusé de réception en préfecture", ident, f"Date de télétransmission : {ds(transmission)}",
                 f"Date de réception préfecture : {ds(transmission)}"]
        blocks.append(Box(lines, small - 0.5, 215, align=rng.choice(("left", "right"))))
        if close_style == "actes-pub":
            pub_truth = publication
            blocks.append(Para([(f"Publiée le {ds(publication)}", "r")], small, after=1))
    if rng.random() < 0.35:
        blocks.append(Para([("La présente délibération peut faire l'objet d'un recours devant le tribunal administratif "
                             "dans un délai de deux mois à compter de sa publication.", "i")], small - 0.5, before=8))

    # draw
    footer = rng.choice((None, "Page {n}/{total}", "{n}/{total}", f"{a.body} du {ds(when)} – page {{n}}", None))
    layout = Layout(f, margins, leading, footer)
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "logo":
            layout._room(44)
            layout.pages[-1].ops.append(("logo", layout.left, layout.y - 40, block[1]))
            if header_kind == "stack":
                layout.y -= 46
            continue
        layout.add(block)
    name = name or f"varied_{index:03d}"
    pdf = out_dir / f"{name}.pdf"
    pages = layout.draw(pdf, f"Délibération {number}")

    seance = {
        "authority": a.name, "body": a.body,
        "session_date": when.isoformat(),
        "session_time": f"{hour:02d}:{minute:02d}" if time_printed and opening else None,
        "president": president_truth, "secretary": sec_name,
        "convocation_date": conv_truth.isoformat() if conv_truth else None,
        "transmission_date": trans_truth.isoformat() if trans_truth else None,
        "publication_date": pub_truth.isoformat() if pub_truth else None,
        "counts": counts_truth,
        "attendance_sample": attendance,
    }
    if place_truth is not False:
        seance["place"] = place_truth
    expected = {
        "file": pdf.name, "family": "extract", "scanned": False, "pages": pages,
        "generator": {"script": "bench/varied_extracts.py", "version": VERSION, "seed": seed, "index": index},
        "seance": seance,
        "deliberation_count": 1,
        "deliberations": [{
            "index": 0, "number": number, "title": " ".join(title.split()),
            "vote": vote, "decisions": decisions,
            "amounts": [[v, "EUR"] for v in t.amounts], "amounts_complete": True,
            "budget_articles": list(t.codes), "references": t.references,
        }],
        "notes": f"{a.kind}; header {header_kind}; counts {counts_style}; attendance {att_style}/proxy {proxy_style}; "
                 f"operative {op_style}/{case}; close {close_style}; font {family} {size}",
    }
    pdf.with_name(f"{name}.expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf


def scan(pdf: Path, out_dir: Path, index: int) -> Path:
    """An image-only scan of `pdf` (samples/make_scans.py) with its expectation marked scanned."""
    sys.path.insert(0, str(ROOT / "samples"))
    import make_scans

    dpi = (200, 250, 300)[index % 3]
    target = make_scans.scan_pdf(pdf, out_dir / f"{pdf.stem}_scan.pdf", dpi)
    expected = json.loads(pdf.with_name(f"{pdf.stem}.expected.json").read_text(encoding="utf-8"))
    expected.update(file=target.name, scanned=True, scan_dpi=dpi)
    target.with_name(f"{target.stem}.expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                                                  encoding="utf-8")
    return target


def generate(out_dir: Path, n: int = 60, seed: int = 11, scanned: int = 0) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = [build(i, seed, out_dir) for i in range(n)]
    for i, pdf in enumerate(pdfs[:scanned]):
        scan(pdf, out_dir / "scanned", i)
    return pdfs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--scanned", type=int, default=0, metavar="K", help="also scan the first K files into OUT/scanned")
    args = parser.parse_args(argv)
    pdfs = generate(args.out, args.n, args.seed, args.scanned)
    print(f"{len(pdfs)} extracts in {args.out}" + (f", {min(args.scanned, len(pdfs))} scans in {args.out / 'scanned'}" if args.scanned else ""))


if __name__ == "__main__":
    main()
