"""Generate N varied, realistic *digital* deliberation PDFs for the import benchmark.

    python bench/corpus_gen.py OUT_DIR [--n 1000] [--seed 7]

Deterministic: document i depends only on (seed, i), so `--n 200` is the prefix of `--n 1000`
and the bytes are the same from run to run (reportlab `invariant=1`). Each document is laid out
directly on a reportlab canvas (no platypus), a few milliseconds per PDF.

What varies: kind of authority (commune, communauté de communes / d'agglomération, syndicat,
SIVOM, métropole, CCAS) and its deliberating body, département, deliberation number format,
séance / convocation / transmission dates, attendance (members in office, présents, pouvoirs,
absents, secrétaire: random names), subject (a dozen parametrised subjects: subsidies, sale of
land, loan, works, tariffs, fonds de concours, staff, ...), amounts and their format
(`14 350 €`, `1.250.000,00 euros`), budget chapters/articles, vote (unanimity, split, no vote),
1 to 4 pages (long documents get background paragraphs recombined from `samples/src/*.txt`),
about 1 in 10 files holding 2 or 3 deliberations of the same séance, sans or serif font, running
header, footer "Page n/N", transmission footnote with an @ctes identifier, a reception stamp.

A `corpus.json` manifest is written beside the PDFs (seed, n, pages and deliberations per file).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SRC = ROOT / "samples" / "src"
GENERATOR_VERSION = 3

# --------------------------------------------------------------------------- fonts (as samples/make_samples.py)

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
]
FAMILIES = {
    "sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
    "serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
}
# Base-14 fallback if DejaVu is missing (WinAnsi covers French accents, « », – and €).
FALLBACK = {"sans": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
            "serif": ("Times-Roman", "Times-Bold", "Times-Italic")}
_FONTS: dict[str, tuple[str, str, str]] = {}


def register_fonts() -> dict[str, tuple[str, str, str]]:
    if _FONTS:
        return _FONTS
    for family, faces in FAMILIES.items():
        files = []
        for face in faces:
            found = next((d / f"{face}.ttf" for d in FONT_DIRS if (d / f"{face}.ttf").exists()), None)
            files.append(found)
        if all(files):
            for face, path in zip(faces, files):
                if face not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(face, str(path)))
            _FONTS[family] = faces
        else:
            _FONTS[family] = FALLBACK[family]
    return _FONTS


# --------------------------------------------------------------------------- vocabulary

FIRST_M = ("Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe", "Daniel",
           "Bernard", "Éric", "Thierry", "Gérard", "Stéphane", "Olivier", "François", "Laurent", "Sébastien",
           "Julien", "Christian", "Frédéric", "Pascal", "Jean-Marc", "Jean-Luc", "Yves", "Hervé", "Gilles",
           "Didier", "Lucas", "Hugo", "Mathieu", "Rémi", "Noël", "Kévin", "Gaëtan", "André", "Serge",
           "Jean-François", "Marc", "Fabrice", "Joël", "Loïc", "Cédric", "Bruno", "Denis", "Raphaël")
FIRST_F = ("Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Valérie",
           "Sandrine", "Sophie", "Martine", "Céline", "Véronique", "Anne", "Hélène", "Chantal", "Nadège",
           "Claire", "Aurélie", "Agnès", "Odile", "Zoé", "Inès", "Louise", "Ghislaine", "Rose-Marie",
           "Fanny", "Élodie", "Josiane", "Laure", "Amélie", "Mireille", "Annick", "Brigitte", "Estelle",
           "Marie-Claude", "Corinne", "Géraldine", "Muriel", "Pascale", "Noémie", "Léa", "Émilie")
SURNAMES = ("MARTIN", "BERNARD", "DUBOIS", "DUPRAZ", "FAVRE", "GIROD", "MAGNIN", "DUNAND", "PERRET",
            "BOUVIER", "DUCRET", "MOREL", "ROSSET", "VIOLLET", "BLANC", "PACCARD", "GAVARD", "TISSOT",
            "MÉTRAL", "CONTAT", "DUPARC", "LACOMBE", "RIGAUD", "FONTAINE", "DELOCHE", "GRILLET",
            "PERNOUD", "MERMILLOD-BLONDIN", "JACQUIER", "CHATEL", "BURGAT", "VERNIER", "DELÉTRAZ",
            "BOUVIER-GAUTHIER", "GUILLERMIN", "ZANETTI", "N'GUYEN", "d'ORMESSON", "de LA TOUR",
            "LE GALL", "BEN SALAH", "DA SILVA", "ROSSET-BRESSAND", "CHARDON", "LE ROUX", "VIBERT",
            "QUÉTAND", "ROGUET", "BARRAL", "PUGIN", "SALLAZ", "JOLY", "FERRAND", "MONTANT", "PERROUD",
            "CHAPPUIS", "BLONDEL", "GIRAUD", "RENAUD", "BARRAS", "OUATTARA", "VERNAY", "COLLOMB",
            "BOCHATON", "MUGNIER", "DUVERNAY", "SAVOY", "BAUD", "CURDY", "PASQUIER", "GRANGER",
            "LINGLIN", "LAPLACE", "OBRECHT", "CATTENOZ", "VAILLANT", "ZANNI", "SCHERRER", "KASTLER",
            "RAPHOZ", "BERTRAND", "DUMONT", "MASSON", "BOSSON", "TOCHON", "NOVEL", "GAY", "CHAMOT")
PLACES = {
    "Haute-Savoie": ("Reignier-Ésery", "Frangy", "Sallanches", "Thônes", "Rumilly", "Cluses", "Sciez",
                     "Douvaine", "Marignier", "Bonneville", "Seynod", "Cruseilles", "Alby-sur-Chéran"),
    "Ain": ("Thoiry", "Cessy", "Gex", "Divonne-les-Bains", "Ferney-Voltaire", "Ornex", "Péron",
            "Collonges", "Saint-Genis-Pouilly", "Prévessin-Moëns", "Échenevex", "Chevry"),
    "Savoie": ("Albertville", "Ugine", "Aix-les-Bains", "Montmélian", "La Motte-Servolex", "Modane"),
    "Isère": ("Voiron", "Crolles", "Vizille", "Le Pont-de-Claix", "Pontcharra", "Tullins"),
    "Doubs": ("Couthenans", "Pontarlier", "Ornans", "Baume-les-Dames", "Morteau", "Valdahon"),
    "Jura": ("Saint-Claude", "Morez", "Poligny", "Arbois", "Champagnole", "Moirans-en-Montagne"),
    "Hérault": ("Lodève", "Pézenas", "Lunel", "Ganges", "Frontignan", "Mèze"),
}
DEPT_OF = {"Haute-Savoie": "de la ", "Ain": "de l'", "Savoie": "de la ", "Isère": "de l'", "Doubs": "du ",
           "Jura": "du ", "Hérault": "de l'"}
DEPT_NUMBER = {"Haute-Savoie": "074", "Ain": "001", "Savoie": "073", "Isère": "038", "Doubs": "025",
               "Jura": "039", "Hérault": "034"}
STREETS = ("rue de la Mairie", "place de l'Église", "route de Genève", "avenue de la Gare",
           "chemin des Écoliers", "rue du Lac", "route des Bossons", "impasse des Tilleuls",
           "rue des Vertes Campagnes", "allée des Érables", "rue du Stade", "chemin du Moulin")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
COMPANIES = ("SARL Menuiserie Bétemps", "Eiffage Route Centre-Est", "Colas France", "SAS Alp'Élec",
             "Excelsior Propreté", "Bureau d'études Nicot", "Spie Batignolles Sud-Est", "Guintoli",
             "Caisse d'Épargne Rhône-Alpes", "Crédit Agricole des Savoie", "Banque des Territoires",
             "Société Gé-Espaces Verts", "SAS Chablais Bâtiment", "Transdev Rhône-Alpes")
ASSOCIATIONS = ("Football Club", "Tennis Club", "Sou des écoles", "Harmonie municipale",
                "Association des donneurs de sang", "Club des aînés « Les Tilleuls »", "Comité des fêtes",
                "Ski Club", "Bibliothèque pour tous", "Amicale des sapeurs-pompiers", "Judo Club",
                "Association des parents d'élèves", "Chorale « La Clé des Chants »", "Gym volontaire")


@dataclass
class Authority:
    kind: str
    name: str           # as written in the header
    short: str          # for footers
    body: str           # "CONSEIL MUNICIPAL"
    body_text: str      # "le Conseil municipal"
    chair: str          # "Maire" / "Président"
    dept: str
    town: str
    members: int
    siren: str


def authority(rng: random.Random) -> Authority:
    dept = rng.choice(list(PLACES))
    town = rng.choice(PLACES[dept])
    siren = f"2{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
    kind = rng.choices(["commune", "cc", "ca", "syndicat", "sivom", "metropole", "ccas", "bureau"],
                       weights=[45, 12, 6, 12, 6, 5, 6, 8])[0]
    if kind == "commune":
        return Authority(kind, f"Commune de {town}", f"Commune de {town}", "CONSEIL MUNICIPAL",
                         "le Conseil municipal", "Maire", dept, town, rng.choice((11, 15, 19, 23, 27, 29, 33)), siren)
    if kind in ("cc", "bureau"):
        name = f"Communauté de communes {rng.choice(('du Pays de', 'des Vallées de', 'de la Région de', 'du Genevois et de'))} {town}"
        body = "BUREAU COMMUNAUTAIRE" if kind == "bureau" else "CONSEIL COMMUNAUTAIRE"
        text = "le Bureau communautaire" if kind == "bureau" else "le Conseil communautaire"
        return Authority(kind, name, f"CC {town}", body, text, "Président", dept, town,
                         rng.randint(8, 14) if kind == "bureau" else rng.randint(28, 60), siren)
    if kind == "ca":
        return Authority(kind, f"Communauté d'agglomération {town} Agglomération", f"{town} Agglomération",
                         "CONSEIL COMMUNAUTAIRE", "le Conseil communautaire", "Président", dept, town,
                         rng.randint(45, 80), siren)
    if kind == "syndicat":
        what = rng.choice(("des eaux", "de traitement des déchets", "d'énergie et de e-communication",
                           "d'assainissement", "des transports scolaires"))
        return Authority(kind, f"Syndicat intercommunal {what} de la région de {town}", f"Syndicat {what}",
                         "COMITÉ SYNDICAL", "le Comité syndical", "Président", dept, town, rng.randint(12, 40), siren)
    if kind == "sivom":
        return Authority(kind, f"SIVOM du canton de {town}", f"SIVOM de {town}", "COMITÉ SYNDICAL",
                         "le Comité syndical", "Président", dept, town, rng.randint(14, 30), siren)
    if kind == "metropole":
        return Authority(kind, f"{town} Métropole", f"{town} Métropole", "CONSEIL MÉTROPOLITAIN",
                         "le Conseil métropolitain", "Président", dept, town, rng.randint(80, 120), siren)
    return Authority(kind, f"Centre communal d'action sociale de {town}", f"CCAS de {town}",
                     "CONSEIL D'ADMINISTRATION", "le Conseil d'administration", "Président", dept, town,
                     rng.randint(9, 17), siren)


def person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"M. {rng.choice(FIRST_M)} {rng.choice(SURNAMES)}"
    return f"Mme {rng.choice(FIRST_F)} {rng.choice(SURNAMES)}"


def people(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        p = person(rng)
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def euros(rng: random.Random, value: float, style: int) -> str:
    """French amounts in the forms found in real deliberations."""
    whole, cents = int(value), int(round((value - int(value)) * 100)) % 100
    grouped = f"{whole:,}"
    if style == 0:
        return f"{grouped.replace(',', ' ')} €"
    if style == 1:
        return f"{grouped.replace(',', ' ')},{cents:02d} €"
    if style == 2:
        return f"{grouped.replace(',', '.')},{cents:02d} euros"
    return f"{grouped.replace(',', ' ')} euros"


def amount(rng: random.Random, low: int, high: int) -> float:
    value = rng.uniform(low, high)
    return round(value, 2) if rng.random() < 0.4 else float(round(value, -2 if value > 5000 else 0))


def long_date(d: date, weekday: bool = False) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    text = f"{day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]} {text}" if weekday else text


def short_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- background paragraphs

_BACKGROUND: list[str] = []


def background() -> list[str]:
    """Exposé paragraphs of the hand-written samples, markup removed: realistic filler prose."""
    if _BACKGROUND or not SAMPLE_SRC.is_dir():
        return _BACKGROUND
    for path in sorted(SAMPLE_SRC.glob("*.txt")):
        block: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.strip():
                block.append(line.strip())
                continue
            text, block = " ".join(block), []
            if (len(text) < 250 or text.startswith(("[", "@", "|", "-", "**", "M. ", "Mme ", "Vu "))
                    or re.match(r"(Étaient |Membres )?(présents|absents|excusés|pouvoirs)", text, re.IGNORECASE)
                    or "délibéré" in text or "présidence" in text):
                continue
            text = text.replace("{hy}", "").replace("{nbsp}", " ").replace("**", "")
            _BACKGROUND.append(re.sub(r"(?<!\w)\*(.+?)\*(?!\w)", r"\1", text))
    return _BACKGROUND


# --------------------------------------------------------------------------- subjects

@dataclass
class Subject:
    title: str
    vus: list[str]
    expose: list[str]
    decisions: list[str]
    table: list[tuple[str, str]] | None = None
    vote: bool = True


def subject(rng: random.Random, a: Authority, when: date, num_prev: str) -> Subject:
    st = rng.randrange(4)
    year = when.year
    cgct = rng.choice(("L.2121-29", "L.2311-7", "L.5211-10", "L.2241-1", "L.1612-1", "L.5214-16"))
    vus = [f"Vu le Code général des collectivités territoriales, et notamment son article {cgct} ;"]
    prev_date = when - timedelta(days=rng.randint(30, 400))
    if rng.random() < 0.7:
        vus.append(f"Vu la délibération n° {num_prev} du {long_date(prev_date)} portant adoption du budget primitif {year} ;")
    if rng.random() < 0.5:
        vus.append(f"Vu l'avis de la commission {rng.choice(('des finances', 'travaux', 'vie associative', 'urbanisme', 'environnement'))} du {long_date(when - timedelta(days=rng.randint(5, 20)))} ;")
    chap, art = rng.choice((("65", "6574"), ("011", "615231"), ("21", "2151"), ("204", "2041582"),
                            ("23", "2315"), ("16", "1641"), ("012", "64111"), ("70", "70878"),
                            ("011", "6232"), ("77", "775"), ("20", "2031")))
    budget = rng.choice((f"chapitre {chap}, article {art}", f"compte {art}", f"article {art} du budget principal",
                         f"chapitre {chap} – article {art} du budget {year}"))
    kind = rng.randrange(10)
    place = rng.choice(STREETS)
    if kind == 0:
        total = 0
        rows = []
        for name in rng.sample(ASSOCIATIONS, rng.randint(4, 9)):
            v = rng.randrange(2, 60) * 50
            total += v
            rows.append((f"{name} de {a.town}" if rng.random() < 0.4 else name, euros(rng, v, 0)))
        rows.append(("TOTAL", euros(rng, total, 0)))
        return Subject(
            f"Attribution des subventions aux associations pour l'année {year}", vus,
            [f"Considérant les demandes de subvention déposées par les associations avant le {long_date(when - timedelta(days=rng.randint(40, 90)))}, "
             f"examinées par la commission vie associative, qui a étudié {len(rows) + rng.randint(2, 8)} dossiers ;",
             "Il est proposé d'approuver la répartition suivante :"],
            [f"DÉCIDE d'attribuer les subventions aux associations pour l'année {year} conformément au tableau ci-dessus, pour un montant total de {euros(rng, total, st)} ;",
             f"DIT QUE les crédits nécessaires sont inscrits au budget primitif {year}, {budget} ;",
             f"AUTORISE le {a.chair} à signer tout document relatif à l'exécution de la présente délibération."],
            rows)
    if kind == 1:
        area = rng.randint(40, 2500)
        price = amount(rng, 5000, 250000)
        buyer = person(rng)
        parcel = f"{rng.choice('ABCDEFGHK')}{rng.choice('ABCDEFGHK')} n° {rng.randint(10, 999)}"
        return Subject(
            f"Cession d'un terrain communal – {place} – parcelle {parcel}", vus,
            [f"Le {a.chair} expose que la parcelle cadastrée section {parcel}, d'une contenance de {area} m², située {place}, "
             f"n'est plus utile au service public. {buyer} a proposé de l'acquérir.",
             f"Le service des Domaines, consulté le {long_date(when - timedelta(days=rng.randint(20, 120)))}, a estimé la valeur vénale du bien à "
             f"{euros(rng, price * rng.uniform(0.9, 1.0), st)}. Un accord est intervenu au prix de {euros(rng, price, st)}."],
            [f"APPROUVE la cession à {buyer} de la parcelle cadastrée section {parcel}, d'une contenance de {area} m², au prix de {euros(rng, price, st)} ;",
             "DIT QUE les frais d'acte notarié sont à la charge de l'acquéreur ;",
             f"DIT QUE la recette sera imputée au {budget} ;",
             f"AUTORISE le {a.chair} à signer l'acte de vente et toutes pièces s'y rapportant."])
    if kind == 2:
        capital = amount(rng, 100000, 3000000)
        years = rng.choice((10, 15, 20, 25, 30))
        rate = rng.uniform(0.5, 4.2)
        bank = rng.choice(COMPANIES[8:11])
        return Subject(
            f"Financement des investissements {year} – Contrat de prêt de {euros(rng, capital, 0)}", vus,
            [f"Le {a.chair} rappelle que le budget primitif {year} prévoit le financement par l'emprunt du programme d'investissement, "
             f"pour un montant de {euros(rng, capital * rng.uniform(1.2, 1.8), st)} TTC.",
             f"Trois établissements bancaires ont été consultés. La proposition la plus avantageuse est celle de la {bank} : "
             f"montant de {euros(rng, capital, st)}, durée de {years} ans, taux fixe de {rate:.2f} %".replace(".", ",", 1) +
             f", échéances trimestrielles constantes de {euros(rng, capital / years / 4 * (1 + rate / 100 * years / 2), st)}."],
            [f"DÉCIDE de contracter auprès de la {bank} un emprunt de {euros(rng, capital, st)} aux conditions ci-dessus ;",
             f"AUTORISE le {a.chair} à signer le contrat de prêt ;",
             f"DIT que le remboursement du capital sera imputé au compte 1641 et les intérêts au compte 66111."])
    if kind == 3:
        cost = amount(rng, 20000, 900000)
        share = rng.choice((20, 25, 30, 40, 50))
        company = rng.choice(COMPANIES[:8])
        return Subject(
            f"Travaux de réfection de la voirie – {place} – attribution du marché", vus,
            [f"Des travaux de réfection de la chaussée {place}, endommagée par les intempéries du {long_date(when - timedelta(days=rng.randint(20, 200)))}, "
             f"doivent être réalisés. La consultation a recueilli {rng.randint(2, 7)} offres.",
             f"L'offre économiquement la plus avantageuse est celle de {company}, pour un montant de {euros(rng, cost, st)} HT. "
             f"Une subvention du Département est sollicitée à hauteur de {share} %, soit {euros(rng, cost * share / 100, st)}."],
            [f"ATTRIBUE le marché de travaux à {company} pour un montant de {euros(rng, cost, st)} HT ;",
             f"SOLLICITE l'aide du Département de {a.dept} au taux le plus élevé possible ;",
             f"DIT QUE les crédits sont inscrits au {budget}."])
    if kind == 4:
        rows = []
        for label in rng.sample(("Ordures ménagères (la tonne)", "Déchets verts (la tonne)", "Encombrants (la tonne)",
                                 "Abonnement eau potable (par an)", "Mètre cube d'eau", "Redevance assainissement (m³)",
                                 "Location salle des fêtes (week-end)", "Cantine scolaire (repas)", "Garderie (heure)"), 5):
            rows.append((label, euros(rng, rng.uniform(1, 250), 1)))
        return Subject(
            f"Tarifs applicables au 1er janvier {year + 1}", vus,
            [f"Le {a.chair} présente l'évolution des coûts du service au cours de l'année {year}. "
             f"Il est proposé une revalorisation de {rng.uniform(0.5, 6):.1f} % des tarifs.".replace(".", ",", 1),
             "Les tarifs proposés sont les suivants :"],
            [f"FIXE les tarifs applicables au 1er janvier {year + 1} conformément au tableau ci-dessus ;",
             f"DIT QUE les recettes seront imputées au {budget}."],
            rows)
    if kind == 5:
        cost = amount(rng, 10000, 400000)
        pct = rng.choice((25, 30, 50))
        return Subject(
            f"Éclairage public – {place} – fonds de concours", vus,
            [f"Le projet consiste à remplacer {rng.randint(8, 80)} points lumineux vétustes {place} par des luminaires à LED, "
             f"ce qui permettra une économie d'énergie de {rng.randint(40, 75)} %.",
             f"Le montant des travaux s'élève à {euros(rng, cost, st)} TTC. La participation de la collectivité, sous forme de fonds de concours, "
             f"est fixée à {pct} %, soit {euros(rng, cost * pct / 100, st)}."],
            [f"APPROUVE le versement d'un fonds de concours de {euros(rng, cost * pct / 100, st)} ;",
             f"DIT QUE la dépense sera imputée au {budget} ;",
             f"AUTORISE le {a.chair} à signer la convention correspondante."])
    if kind == 6:
        grade = rng.choice(("adjoint technique territorial", "rédacteur territorial", "adjoint administratif principal de 2e classe",
                            "agent spécialisé principal des écoles maternelles", "technicien territorial"))
        return Subject(
            f"Personnel – création d'un poste d'{grade}" if grade[0] in "aeiou" else f"Personnel – création d'un poste de {grade}", vus,
            [f"Le {a.chair} expose que l'évolution des besoins du service nécessite la création d'un emploi permanent à temps "
             f"{rng.choice(('complet', 'non complet (28/35e)', 'non complet (17,5/35e)'))} à compter du {long_date(when + timedelta(days=rng.randint(15, 90)))}."],
            [f"DÉCIDE la création d'un poste d'{grade} ;" if grade[0] in "aeiou" else f"DÉCIDE la création d'un poste de {grade} ;",
             "MODIFIE en conséquence le tableau des effectifs ;",
             f"DIT QUE les crédits sont inscrits au {budget}."])
    if kind == 7:
        return Subject(
            f"Rapport annuel sur le prix et la qualité du service public d'eau potable – exercice {year - 1}", vus,
            [f"Le rapport fait apparaître {rng.randint(800, 40000)} habitants desservis, {rng.randint(300, 15000)} abonnés, "
             f"{rng.randint(20, 400)} km de réseau et un rendement de {rng.randint(62, 92)} %. "
             f"Le prix du mètre cube s'établit à {rng.uniform(1.5, 4.5):.2f} € TTC pour une facture de 120 m³.".replace(".", ",", 2)],
            [f"PREND ACTE du rapport annuel {year - 1} sur le prix et la qualité du service public d'eau potable."],
            vote=False)
    if kind == 8:
        montant = amount(rng, 2000, 60000)
        company = rng.choice(COMPANIES[:8])
        return Subject(
            f"Aide à l'immobilier d'entreprise – {company}", vus,
            [f"{company} projette l'extension de ses locaux de {rng.randint(100, 2000)} m² afin d'accueillir une nouvelle activité "
             f"et de créer {rng.randint(2, 25)} emplois. Le coût du projet est estimé à {euros(rng, montant * rng.uniform(8, 15), st)} HT.",
             f"Il est proposé d'accorder une aide de {euros(rng, montant, st)}, dans le respect du règlement d'intervention."],
            [f"ATTRIBUE à {company} une aide à l'immobilier d'entreprise de {euros(rng, montant, st)} ;",
             f"DIT QUE la dépense sera imputée au {budget} ;",
             f"AUTORISE le {a.chair} à signer la convention d'aide."])
    members = rng.randint(4, 12)
    price = rng.uniform(15, 45)
    return Subject(
        f"Repas des aînés {year} – participation des convives", vus,
        [f"Le {a.chair} rappelle que la collectivité offre chaque année un repas aux habitants âgés de {rng.choice((65, 70, 75))} ans et plus. "
         f"{members * 10} personnes y ont participé l'an dernier ; le coût du repas est de {euros(rng, price, 1)} par convive."],
        [f"FIXE à {euros(rng, price / 2, 1)} la participation des accompagnants de moins de 70 ans ;",
         f"DIT QUE la recette sera encaissée au {budget}."])


# --------------------------------------------------------------------------- layout on a canvas

_NO_BREAK_BEFORE = re.compile(r" ([;:?!»])")


@dataclass
class Block:
    text: str | list[str]
    face: int = 0           # 0 regular, 1 bold, 2 italic
    size: float = 10
    align: str = "l"        # l c r
    after: float = 4        # points after
    indent: float = 0
    lines_kept: bool = False
    box: bool = False
    table: list[tuple[str, str]] | None = None
    page_break: bool = False
    _cache: tuple | None = field(default=None, repr=False)

    def lines(self, fonts, width: float) -> list[str]:
        key = (fonts, width)
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        font = fonts[self.face]
        parts = self.text if isinstance(self.text, list) else [self.text]
        out: list[str] = []
        for part in parts:
            if self.lines_kept:
                out.append(part)
            else:
                # French typography: no line break before ; : ? ! (str.split() would cut at U+00A0)
                part = _NO_BREAK_BEFORE.sub("\x01\\1", part)
                out.extend(line.replace("\x01", "\u00a0")
                           for line in simpleSplit(part, font, self.size, width - self.indent) or [""])
        self._cache = (key, out)
        return out


@dataclass
class Doc:
    blocks: list[Block]
    header: str | None
    footer: str
    footnote: str | None
    stamp: list[str] | None
    font: str
    leading: float
    margin: float


def paginate(doc: Doc, fonts) -> list[list[tuple[Block, list[str]]]]:
    """Blocks -> pages of (block, its lines on that page); a block may be split across pages."""
    width = A4[0] - 2 * doc.margin
    top = A4[1] - doc.margin - (2.2 * cm if doc.stamp else 0)
    later_top = A4[1] - max(doc.margin, 2.0 * cm)
    bottom = 2.2 * cm
    pages: list[list] = [[]]
    y = top
    for block in doc.blocks:
        if block.page_break:
            if pages[-1]:
                pages.append([(block, [])])  # marks a page that starts a new deliberation
                y = later_top
            continue
        step = block.size * doc.leading
        rows = [f"{a}\t{b}" for a, b in block.table] if block.table else block.lines(fonts, width)
        chunk: list[str] = []
        for line in rows:
            if y - step < bottom:
                if chunk:
                    pages[-1].append((block, chunk))
                pages.append([])
                chunk, y = [], later_top
            chunk.append(line)
            y -= step
        if chunk:
            pages[-1].append((block, chunk))
        y -= block.after
    return pages


def draw(doc: Doc, fonts, out: Path, title: str) -> int:
    pages = paginate(doc, fonts)
    width = A4[0] - 2 * doc.margin
    c = rl_canvas.Canvas(str(out), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("delib bench corpus")
    c.setCreator("bench/corpus_gen.py")
    total = len(pages)
    top = A4[1] - doc.margin - (2.2 * cm if doc.stamp else 0)
    later_top = A4[1] - max(doc.margin, 2.0 * cm)
    for number, page in enumerate(pages, start=1):
        small = 8
        if doc.stamp and number == 1:
            w, lead = 7.6 * cm, small * 1.3
            x, y0 = A4[0] - doc.margin - w, A4[1] - 1.0 * cm
            h = lead * len(doc.stamp) + 6
            c.setLineWidth(0.8)
            c.rect(x, y0 - h, w, h)
            c.setFont(fonts[0], small)
            for i, line in enumerate(doc.stamp):
                c.drawString(x + 4, y0 - 3 - lead * (i + 1) + 2, line)
        if doc.header and number > 1 and not (page and page[0][0].page_break):
            c.setFont(fonts[0], small)
            c.drawString(doc.margin, A4[1] - 1.2 * cm, doc.header)
            c.setLineWidth(0.4)
            c.line(doc.margin, A4[1] - 1.35 * cm, A4[0] - doc.margin, A4[1] - 1.35 * cm)
        y = top if number == 1 else later_top
        for block, lines in page:
            step = block.size * doc.leading
            font = fonts[block.face]
            if block.box:
                c.setLineWidth(0.8)
                c.rect(doc.margin - 4, y - step * len(lines) - 2, width + 8, step * len(lines) + 4)
            for line in lines:
                y -= step
                if block.table:
                    label, value = line.split("\t")
                    f = fonts[1] if label == "TOTAL" else font
                    c.setFont(f, block.size)
                    c.drawString(doc.margin + 6, y + 2, label)
                    c.drawRightString(doc.margin + width - 6, y + 2, value)
                    c.setLineWidth(0.5)
                    c.line(doc.margin, y - step * 0.25, doc.margin + width, y - step * 0.25)
                    continue
                c.setFont(font, block.size)
                if block.align == "c":
                    c.drawCentredString(A4[0] / 2, y, line)
                elif block.align == "r":
                    c.drawRightString(A4[0] - doc.margin, y, line)
                else:
                    c.drawString(doc.margin + block.indent, y, line)
            y -= block.after
        c.setFont(fonts[0], small)
        c.drawCentredString(A4[0] / 2, 1.2 * cm, doc.footer.format(page=number, pages=total))
        if doc.footnote:
            c.setFont(fonts[0], small - 1)
            c.drawString(doc.margin, 0.7 * cm, doc.footnote)
        c.showPage()
    c.save()
    return total


# --------------------------------------------------------------------------- one document


def number_format(rng: random.Random) -> callable:
    style = rng.randrange(6)
    prefix = rng.choice(("D", "DEL", "DCM", "CS", "CC"))
    return lambda year, n: (f"{year}-{n:03d}", f"{prefix}-{year}-{n:03d}", f"{year}.{n:05d}",
                            f"{prefix}{year}_{n:03d}", f"{year}/{n:03d}", f"{prefix}{year}-{n}")[style]


def deliberation_blocks(rng, a: Authority, session: dict, number: str, size: float, first_doc: bool) -> tuple[list[Block], Subject]:
    when: date = session["date"]
    sub = subject(rng, a, when, session["num_fmt"](when.year - (1 if when.month < 4 else 0), rng.randint(1, 40)))
    b: list[Block] = []
    b.append(Block(["RÉPUBLIQUE FRANÇAISE", f"Département {DEPT_OF[a.dept]}{a.dept}"],
                   size=size - 2, align="c", lines_kept=True, after=6))
    s = session
    b.append(Block(s["letterhead"], face=1, size=size + 3, align=s["letterhead_align"], after=2))
    b.append(Block(s["address"], size=size - 2, align="l", after=10))
    b.append(Block(s["extract"] + a.body, face=1, size=size + 1, align="c", after=4))
    b.append(Block([s["seance"], f"Délibération n° {number}"], align="c", lines_kept=True, after=8, size=size))
    counts = (f"{'Conseillers' if a.kind == 'commune' else 'Membres'} en exercice : {a.members} – Présents : {len(s['present'])} – "
              f"{rng.choice(('Représentés', 'Pouvoirs', 'Procurations'))} : {len(s['proxies'])} – Votants : {s['voters']}")
    b.append(Block(counts, size=size, after=4))
    b.append(Block(f"Date de convocation : {short_date(s['convocation']) if rng.random() < 0.5 else long_date(s['convocation'])}",
                   size=size, after=6))
    b.append(Block(f"Le {long_date(when, weekday=True)} à {rng.choice(('18 h 00', '18 h 30', '19 heures', '20 h 30', '20 heures'))}, "
                   f"{a.body_text}, régulièrement convoqué, s'est réuni {rng.choice(('salle du conseil', 'en mairie', 'à la salle des fêtes', 'au siège'))} "
                   f"de {a.town}, sous la présidence de {s['chair']}, {a.chair}.", size=size, after=6))
    b.append(Block(f"Présents : {', '.join(s['present'])}.", size=size, after=4))
    if s["proxies"]:
        b.append(Block(f"{rng.choice(('Pouvoirs', 'Procurations', 'Absents ayant donné pouvoir'))} : "
                       + ", ".join(f"{x} (pouvoir à {y})" for x, y in s["proxies"]) + ".", size=size, after=4))
    if s["absent"]:
        b.append(Block(f"{'Absents excusés' if len(s['absent']) > 1 else 'Absent excusé'} : {', '.join(s['absent'])}.", size=size, after=4))
    b.append(Block(f"{s['secretary']} {rng.choice(('est désigné(e) secrétaire de séance.', 'a été désigné(e) secrétaire de séance.'))}",
                   size=size, after=8))
    b.append(Block(f"{rng.choice(('Objet', 'OBJET'))} : {sub.title}", face=1, size=size, after=6, box=rng.random() < 0.25))
    if rng.random() < 0.4:
        b.append(Block(f"Rapporteur : {rng.choice(s['present'])}", face=2, size=size, after=6))
    for vu in sub.vus:
        b.append(Block(vu, size=size, after=3))
    b.append(Block("", size=1, after=0))  # insertion point of background paragraphs (see build)
    for para in sub.expose:
        b.append(Block(para, size=size, after=5))
    if sub.table:
        b.append(Block("", table=sub.table, size=size - 0.5, after=8))
    voters = s["voters"]
    if not sub.vote:
        b.append(Block(f"{a.body_text[0].upper()}{a.body_text[1:]}, après en avoir pris connaissance,", size=size, after=4))
    elif rng.random() < 0.55:
        b.append(Block(f"{a.body_text[0].upper()}{a.body_text[1:]}, après en avoir délibéré, à l'unanimité des {voters} votants,", size=size, after=4))
    else:
        against = rng.randint(1, max(1, voters // 5))
        abst = rng.randint(0, max(0, voters // 6))
        pour = voters - against - abst
        b.append(Block(f"{a.body_text[0].upper()}{a.body_text[1:]}, après en avoir délibéré, par {pour} voix pour, {against} contre"
                       + (f" et {abst} abstention{'s' if abst > 1 else ''}" if abst else "") + ",", size=size, after=4))
    for d in sub.decisions:
        b.append(Block(f"– {d}", size=size, after=3, indent=12))
    b.append(Block(["Fait et délibéré les jour, mois et an susdits.", "Pour extrait certifié conforme."],
                   lines_kept=True, size=size, after=8))
    b.append(Block([f"Transmis en préfecture le {short_date(s['sent'])}", f"Affiché le {short_date(s['sent'] + timedelta(days=1))}"],
                   lines_kept=True, size=size - 1, after=6))
    b.append(Block([f"Le {a.chair},", s["chair"].split(" ", 1)[1]], lines_kept=True, align="r", size=size, after=0))
    return b, sub


def build(index: int, seed: int, out_dir: Path, fonts_by_family=None) -> dict:
    rng = random.Random(f"{seed}:{index}")
    fonts_by_family = fonts_by_family or register_fonts()
    family = rng.choice(("sans", "serif"))
    fonts = fonts_by_family[family]
    a = authority(rng)
    when = date(2008, 1, 1) + timedelta(days=rng.randint(0, 16 * 365))
    num_fmt = number_format(rng)
    members = people(rng, a.members + 2)
    chair, roster = members[0], members[1:a.members]
    absent_n = rng.randint(0, max(1, a.members // 4))
    proxies_n = rng.randint(0, absent_n)
    absentees = roster[len(roster) - absent_n:] if absent_n else []
    present = [chair] + roster[:len(roster) - absent_n]
    proxies = [(absentees[i], rng.choice(present)) for i in range(proxies_n)]
    session = dict(date=when, num_fmt=num_fmt, chair=chair, present=present, proxies=proxies,
                   absent=absentees[proxies_n:], voters=len(present) + proxies_n,
                   secretary=rng.choice(present[1:] or present), convocation=when - timedelta(days=rng.randint(3, 10)),
                   sent=when + timedelta(days=rng.randint(2, 12)),
                   letterhead=a.name.upper() if rng.random() < 0.5 else a.name, letterhead_align=rng.choice("lc"),
                   address=f"{rng.randint(1, 40)} {rng.choice(STREETS)} – {DEPT_NUMBER[a.dept][1:]}{rng.randint(100, 990)} {a.town.upper()}",
                   extract=rng.choice(("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU ", "EXTRAIT DU PROCÈS-VERBAL DES DÉLIBÉRATIONS DU ")),
                   seance=(f"Séance {rng.choice(('', 'ordinaire ', 'publique '))}du {long_date(when, weekday=rng.random() < 0.6)}"
                           if rng.random() < 0.7 else f"Séance du {short_date(when)}"))
    size = rng.choice((9.5, 10, 10, 10.5, 11))
    n_delib = 1 if rng.random() < 0.9 or a.members > 40 else rng.choice((2, 3))
    target = rng.choices((1, 2, 3, 4), weights=(30, 40, 20, 10))[0] if n_delib == 1 else n_delib + (rng.random() < 0.3)
    target = min(target, 4)
    first_number = rng.randint(1, 180)
    numbers = [num_fmt(when.year, first_number + k) for k in range(n_delib)]
    blocks: list[Block] = []
    inserts: list[int] = []
    titles = []
    for k, number in enumerate(numbers):
        if k:
            blocks.append(Block("", page_break=True))
        part, sub = deliberation_blocks(rng, a, session, number, size, k == 0)
        inserts.append(len(blocks) + next(i for i, blk in enumerate(part) if blk.size == 1 and not blk.text))
        blocks.extend(part)
        titles.append(sub.title)
    st_id = f"{DEPT_NUMBER[a.dept]}-{a.siren}-{session['sent'].strftime('%Y%m%d')}-{re.sub(r'[^0-9A-Za-z]', '_', numbers[0])}-DE"
    doc = Doc(
        blocks=blocks,
        header=(f"{a.short} – {a.body.capitalize()} du {long_date(when)}" if rng.random() < 0.5 else None),
        footer=rng.choice(("Page {page}/{pages}", "{page}/{pages}", f"{a.short} – Délibération n° {numbers[0]} – page {{page}}/{{pages}}",
                           "- {page} -")),
        footnote=(f"Accusé de réception en préfecture : {st_id} – Reçu le {short_date(session['sent'])}" if rng.random() < 0.5 else None),
        stamp=([f"Envoyé en préfecture le {short_date(session['sent'])}", f"Reçu en préfecture le {short_date(session['sent'])}",
                f"ID : {st_id}"] if rng.random() < 0.3 else None),
        font=family, leading=rng.choice((1.2, 1.25, 1.3, 1.4)), margin=rng.choice((1.8, 2.0, 2.2, 2.5)) * cm,
    )
    # Long documents: background paragraphs (recombined from samples/src) until the target is reached.
    pool = background()
    unused = rng.sample(pool, len(pool))  # no paragraph twice in a document
    per_delib = max(1, target // n_delib)
    for k, at in reversed(list(enumerate(inserts))):
        if not pool:
            break
        added = 0
        while added < 40 and unused:
            pages = paginate(_only(doc, blocks, k), fonts)
            if len(pages) >= per_delib:
                break
            blocks.insert(at + 1, Block(unused.pop(), size=size, after=5))
            added += 1
    # Keep to 1-4 pages: drop background paragraphs while the document is longer.
    while len(paginate(doc, fonts)) > 4:
        extra = [i for i, blk in enumerate(blocks) if blk.text in pool and isinstance(blk.text, str)]
        if not extra:
            break
        del blocks[extra[-1]]
    path = out_dir / f"bench_{index:05d}.pdf"
    pages = draw(doc, fonts, path, f"{a.short} - {numbers[0]}")
    return {"file": path.name, "pages": pages, "deliberations": n_delib, "authority": a.name,
            "numbers": numbers, "date": when.isoformat(), "titles": titles}


def _only(doc: Doc, blocks: list[Block], k: int) -> Doc:
    """The k-th deliberation alone (blocks between the k-th and k+1-th page breaks)."""
    breaks = [i for i, b in enumerate(blocks) if b.page_break]
    start = breaks[k - 1] + 1 if k else 0
    end = breaks[k] if k < len(breaks) else len(blocks)
    return Doc(blocks[start:end], doc.header, doc.footer, doc.footnote, doc.stamp if k == 0 else None,
               doc.font, doc.leading, doc.margin)


def generate(out_dir: Path, n: int = 1000, seed: int = 7, *, quiet: bool = True) -> dict:
    """Write n PDFs and corpus.json into out_dir; reuse them if the manifest already matches."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "corpus.json"
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
            if (old.get("seed"), old.get("n"), old.get("version")) == (seed, n, GENERATOR_VERSION) and all(
                    (out_dir / f["file"]).exists() for f in old["files"]):
                old["reused"] = True
                return old
        except (ValueError, KeyError):
            pass
    fonts = register_fonts()
    started = time.perf_counter()
    files = []
    for i in range(n):
        files.append(build(i, seed, out_dir, fonts))
        if not quiet and (i + 1) % 100 == 0:
            print(f"  generated {i + 1}/{n}", file=sys.stderr)
    seconds = time.perf_counter() - started
    manifest = {"version": GENERATOR_VERSION, "seed": seed, "n": n, "seconds": round(seconds, 2),
                "pages": sum(f["pages"] for f in files), "deliberations": sum(f["deliberations"] for f in files),
                "bytes": sum((out_dir / f["file"]).stat().st_size for f in files), "files": files}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    manifest["reused"] = False
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the PDFs into")
    parser.add_argument("--n", type=int, default=1000, help="number of PDFs (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    m = generate(args.out, args.n, args.seed, quiet=False)
    pages = [f["pages"] for f in m["files"]]
    hist = {p: pages.count(p) for p in sorted(set(pages))}
    print(f"{'reused' if m['reused'] else 'wrote'} {m['n']} PDFs in {args.out} ({m['seconds']} s to generate): "
          f"{m['pages']} pages {hist}, {m['deliberations']} deliberations, {m['bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
