"""Hand-built extractions for the store, search and schema-doc tests (no PDF, no extractor).

Three documents:
- CLUSES_MARCH_2020: Commune de Cluses, séance of 5 March 2020, two deliberations (subsidies on
  6574; roadworks on 2151 citing DEL-2019/042). Marie Dupont gives her proxy to Georget.
- CLUSES_DEC_2019: the cited deliberation 'DEL 2019-042' (arrives after the one citing it).
- POLE_2021: another authority, scanned (OCR), citing '2020-015' which is Cluses' number:
  it must not be linked across authorities.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

from models.records import (
    Amount,
    BudgetArticle,
    Counts,
    Decision,
    Deliberation,
    Entity,
    Extraction,
    PageText,
    Person,
    Reference,
    Source,
    Vote,
)

CLUSES = "Commune de Cluses"
POLE = "Pôle métropolitain du Genevois français"

NOMENCLATURE = [
    ("6574", "Subventions de fonctionnement aux associations et autres personnes de droit privé", "6"),
    ("65748", "Autres personnes de droit privé", "6"),
    ("2151", "Réseaux de voirie", "2"),
    ("65", "Autres charges de gestion courante", "6"),
]


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def source(name: str, pages: int, ocr: bool = False) -> Source:
    return Source(path=f"/archive/{name}.pdf", sha256=sha(name), pages=pages, ocr=ocr)


_MARCH_ATTENDANCE = (
    Person("Jean-Claude GEORGET", "present", "M.", page=1),
    Person("Marie Dupont", "represented", "Mme", proxy_to="Jean-Claude Georget", page=1),
    Person("Paul Martin", "excused", "M.", page=1),
    Person("Anne Leroy", "absent", "Mme", page=1),
    Person("Luc Bernard", "present", "M.", substitute_for="Paul Martin", page=1),
)

SUBSIDIES = Deliberation(
    pages=(1, 2),
    authority=CLUSES,
    body="Conseil municipal",
    number="2020-015",
    title="Attribution des SUBVENTIONS aux associations pour l'année 2020",
    session_date=date(2020, 3, 5),
    session_time="19:00",
    convocation_date=date(2020, 2, 27),
    transmission_date=date(2020, 3, 9),
    publication_date=date(2020, 3, 10),
    place="salle du conseil municipal",
    president="Jean-Claude Georget",
    secretary="Anne Leroy",
    counts=Counts(in_office=5, present=3, represented=1, voters=4),
    attendance=_MARCH_ATTENDANCE,
    vote=Vote(unanimous=True),
    decisions=(
        Decision("APPROUVE", "l'attribution des subventions ci-dessous", 2),
        Decision("AUTORISE", "le Maire à signer les conventions", 2),
    ),
    amounts=(
        Amount(Decimal("1500"), "EUR", "1 500 €", 1, beneficiary="Football Club de Cluses"),
        Amount(Decimal("2880.50"), "EUR", "2 880,50 €", 2, beneficiary="Association des parents d'élèves"),
    ),
    budget_articles=(BudgetArticle("6574", None, 2),),
    entities=(
        Entity("Football Club de Cluses", "ORG", 1),
        Entity("Association des parents d'élèves", "ORG", 2),
    ),
    text=(
        "Le conseil municipal, après en avoir délibéré, approuve l'attribution des subventions "
        "au Football Club de Cluses (1 500 €) et à l'Association des parents d'élèves (2 880,50 €), "
        "imputées à l'article 6574. La présente délibération sera transmise au préfet."
    ),
)

ROADWORKS = Deliberation(
    pages=(3,),
    authority=CLUSES,
    body="Conseil municipal",
    number="2020-016",
    title="Travaux de voirie rue du Pont",
    session_date=date(2020, 3, 5),
    attendance=_MARCH_ATTENDANCE,
    vote=Vote(unanimous=False, for_=3, against=1, abstentions=0),
    decisions=(Decision("AUTORISE", "le Maire à signer le marché de travaux", 3),),
    amounts=(Amount(Decimal("42000"), "EUR", "42 000 € HT", 3), Amount(Decimal("0.10"), "EUR", "0,10 €", 3)),
    budget_articles=(BudgetArticle("2151", "Réseaux de voirie", 3),),
    references=(Reference("DEL-2019/042", date(2019, 12, 12), 3),),
    text="Vu la délibération n° DEL-2019/042 du 12 décembre 2019 approuvant le programme de voirie.",
)

CLUSES_MARCH_2020 = Extraction(
    source=source("cluses-2020-03-05", 3),
    deliberations=(SUBSIDIES, ROADWORKS),
    page_texts=(PageText(1, "Séance du 5 mars 2020"), PageText(2, "Subventions"), PageText(3, "Voirie")),
)

BUDGET_2019 = Deliberation(
    pages=(1,),
    authority=CLUSES,
    body="Conseil municipal",
    number="DEL 2019-042",
    title="Programme de voirie 2020",
    session_date=date(2019, 12, 12),
    attendance=(
        Person("Jean-Claude Georget", "present", "M."),
        Person("Marie DUPONT", "present", "Mme"),
        Person("Paul Martin", "absent", "M."),
    ),
    vote=Vote(unanimous=True),
    decisions=(Decision("DÉCIDE", "d'engager le programme de voirie", 1),),
    amounts=(Amount(Decimal("120000"), "EUR", "120 000 €", 1),),
    budget_articles=(BudgetArticle("2151", None, 1),),
    text="Le conseil décide d'engager le programme de voirie pour 2020.",
)

CLUSES_DEC_2019 = Extraction(
    source=source("cluses-2019-12-12", 1),
    deliberations=(BUDGET_2019,),
    page_texts=(PageText(1, "Séance du 12 décembre 2019"),),
)

POLE_2021 = Extraction(
    source=Source(path="/archive/pole-2021.pdf", sha256=sha("pole-2021"), pages=1, ocr=True,
                  warnings=("page 1: OCR confidence below 60",)),
    deliberations=(
        Deliberation(
            pages=(1,),
            authority=POLE,
            body="Comité syndical",
            number="CS2021-15",
            title="Adhésion au dispositif de mobilité",
            session_date=date(2021, 4, 22),
            attendance=(Person("Jean-Claude Georget", "present", "M."),),
            vote=Vote(),
            decisions=(Decision("PREND ACTE", "du rapport", 1),),
            amounts=(Amount(Decimal("420000000"), "EUR", "420 millions d'euros", 1),),
            budget_articles=(BudgetArticle("65748", None, 1),),
            references=(Reference("2020-015", None, 1),),
            text="Le comité syndical prend acte du rapport sur la mobilité. Subvention exceptionnelle.",
        ),
    ),
    page_texts=(PageText(1, "Comité syndical du 22 avril 2021", ocr=True, ocr_confidence=58.5),),
)

ALL = (CLUSES_MARCH_2020, CLUSES_DEC_2019, POLE_2021)


def changed(extraction: Extraction, suffix: str) -> Extraction:
    """The same file after an edit: new bytes (sha256), same path."""
    return replace(extraction, source=replace(extraction.source, sha256=sha(extraction.source.path + suffix)))


def fill(store, extractions=ALL, version: str = "1.0") -> None:  # type: ignore[no-untyped-def]
    """Import `extractions` at their own path, after loading the test nomenclature."""
    store.load_nomenclature(NOMENCLATURE)
    for extraction in extractions:
        store.save(extraction, path=extraction.source.path, size_bytes=1000, mtime=1_600_000_000.5,
                   extractor_version=version)
