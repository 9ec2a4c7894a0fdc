"""Minutes whose items carry no number: titles in capitals standing alone (a section title above
items that share a title joins each of theirs), and headings OCR has run into the paragraph above.
Also the wordings of such minutes: "approuvé par 2 CONTRE … et 11 POUR", "après discussion et vote",
"le conseil municipal vote le BP", an earlier séance's minutes approved, sums like "99.769.60 €".
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import amounts, dates, decisions, minutes, votes
from extractors.seance import assemble_minutes
from models.records import DocumentText, PageText

_TOP = "COMPTE RENDU DU CONSEIL MUNICIPAL DU MARDI 11 AVRIL 2017\n\nSecrétaire de séance : S.MEARY\n\n"

_SECTIONS = _TOP + """VOTE DES COMPTES DE GESTION 2016

BUDGET COMMUNE
Dressé par le receveur, visé et certifié par l'ordonnateur, il n'appelle aucune observation.
VOTE du conseil municipal : 2 CONTRE et 11 POUR.
BUDGET EAU
Dressé par le receveur, visé et certifié par l'ordonnateur, il n'appelle aucune observation.
VOTE du conseil municipal : 12 POUR.

BUDGET COMMUNE

VOTE DU COMPTE ADMINISTRATIF 2016
Résultat de clôture 2016 FONCTIONNEMENT 189.890.58 €
Après débat, le CA 2016 est approuvé par 2 CONTRE et 11 POUR.

AFFECTATION DES RESULTATS
Il est proposé d'inscrire au compte 1068 : 136.872.33 € (excédent capitalisé).
Approuvé par 2 CONTRE et 12 POUR.

VOTE DES BUDGETS PRIMITIFS 2017

BUDGET PRIMITIF 2017 COMMUNE
Budget en équilibre pour un montant de 1.260.916.77 € en dépenses et en recettes.
Le conseil municipal vote le BP 2017 tel qu'il est présenté par 2 CONTRE et 12 POUR.

VOTE DES 4 TAXES
Le conseil municipal après discussion et vote à l'unanimité :
DECIDE de fixer les taux suivants pour 2017.
Délibération prise en ce sens.
"""


def _records(text: str):
    return assemble_minutes(DocumentText.from_pages([PageText(1, text)]), with_entities=False)


def test_minutes_titles_in_capitals_head_items_and_their_section_title_joins_theirs():
    assert [r.title for r in _records(_SECTIONS)] == [
        "VOTE DES COMPTES DE GESTION 2016 – BUDGET COMMUNE",
        "VOTE DES COMPTES DE GESTION 2016 – BUDGET EAU",
        "BUDGET COMMUNE – VOTE DU COMPTE ADMINISTRATIF 2016",
        "BUDGET COMMUNE – AFFECTATION DES RESULTATS",
        # The item's title already says what the section's does: the section is over.
        "BUDGET PRIMITIF 2017 COMMUNE",
        "VOTE DES 4 TAXES",
    ]


def test_minutes_items_under_capitals_keep_their_own_vote_decision_and_sums():
    records = _records(_SECTIONS)
    assert (records[2].vote.for_, records[2].vote.against) == (11, 2)
    assert [a.value for a in records[3].amounts] == [Decimal("136872.33")]
    assert [d.verb for d in records[4].decisions] == ["VOTE"]
    assert [d.verb for d in records[5].decisions] == ["DÉCIDE"]
    assert records[5].vote.unanimous is True


def test_minutes_a_table_heading_in_capitals_stays_with_the_item_above():
    text = _TOP + """COMPTE ADMINISTRATIF 2009
Le conseil municipal approuve à l'unanimité le compte administratif de l'exercice 2009 comme suit :
SECTION FONCTIONNEMENT INVESTISSEMENT TOTAL
DEPENSES 404 315.94 € 209 158.17 € 613 474.11 €
RECETTES 500 000.00 € 250 000.00 € 750 000.00 €

ACCEPTATION DE RECETTES
Le conseil municipal à l'unanimité, accepte les recettes ci-dessous : 100.08 € du Foyer Rural.
"""
    records = _records(text)
    assert [r.title for r in records] == ["COMPTE ADMINISTRATIF 2009", "ACCEPTATION DE RECETTES"]
    assert Decimal("613474.11") in [a.value for a in records[0].amounts]


def test_minutes_letterhead_and_quoted_articles_in_capitals_are_not_titles():
    text = "MAIRIE DE VILLE\n\n" + _TOP + """Convention de partage de services

Monsieur le maire présente la convention, dans les termes ci-dessous.
ARTICLE 1 : OBJET
Le service est chargé d'une mission d'assistance générale à la commune, à caractère administratif.
ARTICLE 2 : REMUNERATION
Le montant est estimé à 2545.00 € pour la durée de la mission, hors suivi du marché de travaux.
Le conseil municipal, après en avoir délibéré, et à l'unanimité :
- ACCEPTE les termes de la convention.

Acceptation de recette
Le conseil municipal, à l'unanimité, accepte la somme de 46.30 € provenant d'un remboursement.
"""
    assert [r.title for r in _records(text)] == ["Convention de partage de services", "Acceptation de recette"]


def test_minutes_a_heading_run_into_the_paragraph_above_by_ocr_still_heads_an_item():
    text = _TOP + """Remboursement frais électricité Salle polyvalente

Il propose d'appliquer un forfait de 30.00 €, ce qui correspond à la consommation moyenne d'un week-end
de location de la salle polyvalente, faute de relevé du compteur lors de la location.
Après en avoir délibéré, le conseil municipal, à l'unanimité décide de faire payer la somme de 30.00 €.
Acceptation de recette
Le conseil municipal, à l'unanimité, accepte la somme de 46.30 € provenant d'un remboursement de la SER
à la commune, concernant un trop versé sur la consommation d'électricité du logement communal.
Catégorie C
Groupes Plafonds annuels
"""
    assert [r.title for r in _records(text)] == [
        "Remboursement frais électricité Salle polyvalente", "Acceptation de recette"]


@pytest.mark.parametrize("line", [
    "DM adoptée par 2 ABSTENTIONS et 12 voix POUR",
    "Résultat du vote : Pour : 54 – Contre : 3",
    "LE CONSEIL MUNICIPAL, APRES EN AVOIR DELIBERE, A L'UNANIMITE",
])
def test_minutes_a_vote_or_the_operative_formula_standing_alone_heads_no_item(line):
    text = _TOP + f"""PREMIER POINT DU JOUR

Le conseil municipal approuve à l'unanimité le premier point présenté par le maire ce soir.

{line}
Le conseil municipal approuve à l'unanimité le point suivant, présenté par l'adjoint aux finances.

SECOND POINT DU JOUR

Le conseil municipal approuve à l'unanimité le second point présenté par le maire ce soir.
"""
    assert [r.title for r in _records(text)] == ["PREMIER POINT DU JOUR", "SECOND POINT DU JOUR"]


@pytest.mark.parametrize("text, for_, against, abstentions, unanimous", [
    ("le CA 2016 est approuvé par 2 CONTRE (M.DENISE-C.BOURRETTE) et 11\nPOUR.", 11, 2, None, False),
    ("A L'UNANIMITE des votants (31 voix), 8 abstentions", 31, None, 8, True),
])
def test_votes_breakdowns_of_minutes(text, for_, against, abstentions, unanimous):
    vote = votes.find_vote(text)
    assert (vote.for_, vote.against, vote.abstentions, vote.unanimous) == (for_, against, abstentions, unanimous)


def test_decisions_after_discussion_and_vote_and_the_budget_voted():
    found = decisions.find_decisions(
        "Le conseil municipal après discussion et vote à l'unanimité :\n.DECIDE d'incorporer la parcelle,\n"
        ".DIT que le maire constatera cette incorporation par un arrêté")
    assert [d.verb for d in found] == ["DÉCIDE", "DIT QUE"]
    assert [d.verb for d in decisions.find_decisions("Le conseil municipal vote le BP 2017 tel qu'il est présenté.")] == ["VOTE"]


@pytest.mark.parametrize("text, role", [
    ("Approbation du procès-verbal de la séance du Conseil municipal du 3 octobre 2022.", None),
    ("Le PV de la séance du Conseil municipal du 3 octobre 2022 est approuvé à l'unanimité.", None),
    ("PROCÈS-VERBAL DE LA SÉANCE DU CONSEIL MUNICIPAL DU 3 OCTOBRE 2022", "session"),
])
def test_dates_the_seance_of_minutes_approved_is_an_earlier_one(text, role):
    assert [d.role for d in dates.find_dates(text)] == [role]


@pytest.mark.parametrize("text, value", [
    ("99.769.60 €", "99769.60"), ("1.260.916.77 €", "1260916.77"), ("1.250 €", "1250"), ("12.50 €", "12.50"),
])
def test_amounts_dots_for_thousands_and_cents(text, value):
    assert [m.value for m in amounts.find_amounts(text)] == [Decimal(value)]


def test_minutes_em_dash_in_a_heading_reads_as_the_en_dash():
    assert minutes._tidy_title("Budget principal 2022 — Décision Modificative n°3") == \
        "Budget principal 2022 – Décision Modificative n°3"
