"""Séance minutes whose agenda points hold several deliberations, each closed by its outcome
("Accord du conseil à l'unanimité. / Délibération prise en ce sens.") and opened by a heading of
its own; deliberation headings OCR has garbled beyond reading; lists of deliberations whose vote
column sits between the lines of a wrapped object.
"""
from __future__ import annotations

from extractors import minutes
from extractors.seance import assemble_list, assemble_minutes
from models.records import DocumentText, PageText

_TOP = ("COMPTE RENDU DU CONSEIL MUNICIPAL DU MARDI 10 DECEMBRE 2019 à 19H30\n\n"
        "Secrétaire de séance : S.MEARY\n\n")
_EXPOSE = "Monsieur le maire rappelle le contexte de ce dossier et les échanges tenus en commission.\n"


def _records(text: str):
    return assemble_minutes(DocumentText.from_pages([PageText(1, text)]), with_entities=False)


_POINTS = _TOP + f"""1. CDG 26 MISE A DISPOSITION D'UN AGENT D'INSPECTION
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.

C.BOURRETTE demande si cela est bien légal ? La dépense serait de 50.000 euros.

2. REGLEMENTS CANTINE ET GARDERIE PERISCOLAIRE
-règlement Cantine
Vu la délibération du 4/12/2018 approuvant le règlement intérieur de la cantine scolaire.
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.

-règlement garderie périscolaire
Vu la délibération du 4/12/2018 approuvant le règlement de la garderie périscolaire.
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.

3. DETR 2020 DEMANDE SUBVENTION TRAVAUX
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.

Point rajouté à l'ordre du Jour

CONVENTION ADHESION CONTRAT GROUPE RISQUE PREVOYANCE
{_EXPOSE}Accord du conseil à l'unanimité des présents :
-adhésion à la convention de participation à compter du 01/01/2020
-assiettes de cotisation : TIB+NBI+RI (100 %)
Délibération prise en ce sens.

ARRIVEE DE FRANCK RUSSO

REVISION GENERALE DU PLU : DEBAT SUR LE PROJET D'AMENAGEMENT ET DE DEVELOPPEMENT DURABLE
(PADD)
{_EXPOSE}Le conseil municipal prend acte du débat du projet de PADD.
Vote : unanimité.
Délibération prise en ce sens.
"""


def test_minutes_a_point_holding_several_closed_deliberations_gives_one_item_each():
    assert [r.title for r in _records(_POINTS)] == [
        "CDG 26 MISE A DISPOSITION D'UN AGENT D'INSPECTION",
        "règlement Cantine",
        "règlement garderie périscolaire",
        "DETR 2020 DEMANDE SUBVENTION TRAVAUX",
        "CONVENTION ADHESION CONTRAT GROUPE RISQUE PREVOYANCE",
        "REVISION GENERALE DU PLU : DEBAT SUR LE PROJET D'AMENAGEMENT ET DE DEVELOPPEMENT DURABLE (PADD)",
    ]


def test_minutes_words_said_after_a_vote_stay_with_its_item():
    first = _records(_POINTS)[0]
    assert [str(a.value) for a in first.amounts] == ["50000"]


def test_minutes_a_list_announced_by_the_vote_is_not_a_part():
    titles = [r.title for r in _records(_POINTS)]
    assert not any(title.startswith(("adhésion", "assiettes")) for title in titles)


def test_minutes_a_point_voted_once_is_not_split_by_the_discussion_after_it():
    text = _TOP + f"""1. ENGAGEMENT FLEURISSEMENT TOMBE
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.

C.BOURRETTE demande si cela est bien légal ?
Y.ARMAND répond que cela est bien légal si le conseil municipal est d'accord.

2. DON COMMUNE SINISTREE
{_EXPOSE}Accord du conseil à l'unanimité des présents.
Délibération prise en ce sens.
"""
    assert [r.title for r in _records(text)] == ["ENGAGEMENT FLEURISSEMENT TOMBE", "DON COMMUNE SINISTREE"]


def test_minutes_approving_a_transfer_report_is_deliberated_approving_the_minutes_is_not():
    assert not minutes.NOT_DELIBERATED.search("approbation procès-verbal de mise à disposition des biens du SIVOM")
    assert minutes.NOT_DELIBERATED.search("APPROBATION COMPTE RENDU PRECEDENT")
    assert minutes.NOT_DELIBERATED.search("Approbation du procès-verbal de la séance du 10 février 2025")


def test_minutes_garbled_deliberation_headings_beyond_the_word_still_head_items():
    body = ("Le Conseil Municipal, après en avoir délibéré, à l'unanimité,\n"
            "- APPROUVE le budget présenté ci-dessus par Monsieur le Maire et son adjoint.\n\n")
    text = _TOP.replace("COMPTE RENDU", "PROCES-VERBAL") + (
        "Délibération n°20250331-10\n* Budget principal — Adoption du budget primitif 2025\n" + body
        + "li °202 =\n* Budget Locaux commerciaux — Approbation du Compte Financier Unique 2024\n" + body
        + "Délibération n°20250331-12\n* Budget Locaux commerciaux — Affectation du résultat\n" + body
        + "i °202 “2\n\n* Budget Locaux commerciaux — Adoption du Budget primitif 2025\n" + body)
    assert [(r.number, r.title) for r in _records(text)] == [
        ("20250331-10", "Budget principal – Adoption du budget primitif 2025"),
        (None, "Budget Locaux commerciaux – Approbation du Compte Financier Unique 2024"),
        ("20250331-12", "Budget Locaux commerciaux – Affectation du résultat"),
        (None, "Budget Locaux commerciaux – Adoption du Budget primitif 2025"),
    ]


def test_list_rows_keep_the_object_wrapped_under_the_vote_column():
    text = """DELIBERATIONS EXAMINEES
EN SEANCE DU CONSEIL MUNICIPAL
Lundi 31 mars 2025
20250331-05 Révision de l'Autorisation de Programme — Fonds de Unanimité
} nn avec la COPAMO pour les travaux de voirie
20250331-06 Révision de l'Autorisation de Programme — Travaux de Unanimité
mobilité douce
2026_006 Conclusion d'un bail professionnel Anprouvee Local communal
Date affichage : 4 avril 2025
"""
    records = assemble_list(DocumentText.from_pages([PageText(1, text)]), with_entities=False)
    assert [r.title for r in records] == [
        "Révision de l'Autorisation de Programme – Fonds de nn avec la COPAMO pour les travaux de voirie",
        "Révision de l'Autorisation de Programme – Travaux de mobilité douce",
        "Conclusion d'un bail professionnel Local communal",
    ]
