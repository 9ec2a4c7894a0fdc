"""Common real wordings that an independent set of extracts (bench/varied_extracts.py) found
delib missing: one short French text each, and the value it must give."""
from __future__ import annotations

import pytest

from extractors.budget import find_budget_articles
from extractors.header import find_authority, find_body, find_number, find_title
from extractors.people import find_attendance, find_secretary


def statuses(text: str) -> dict[str, tuple]:
    return {a.name: (a.status, a.proxy_to) for a in find_attendance(text)}


# --- attendance -----------------------------------------------------------------------------

def test_attendance_civility_and_surname_alone_are_people():
    text = ("Étaient présents : Mme DE SOUSA, M. LECLERCQ, Mme FRANÇOIS, M. LE GOFF, M. HENRY\n"
            "Absents : M. BRUN\n")
    assert statuses(text) == {
        "DE SOUSA": ("present", None), "LECLERCQ": ("present", None), "FRANÇOIS": ("present", None),
        "LE GOFF": ("present", None), "HENRY": ("present", None), "BRUN": ("absent", None),
    }


@pytest.mark.parametrize(
    ("heading", "status"),
    [("Absent(s)", "absent"), ("Absente(s)", "absent"), ("Excusé(e)s", "excused"),
     ("Excusé(e)(s)", "excused"), ("Présent(e)s", "present")],
)
def test_attendance_inclusive_headings_open_their_own_list(heading, status):
    text = ("Pouvoirs : Mme Laurence BRUN à M. Joël BERGER\n"
            f"{heading} : M. Lucien GUICHARD, Mme Véronique BOUCHER\n"
            "Secrétaire de séance : Mme Marie HOARAU\n")
    assert statuses(text) == {
        "Laurence BRUN": ("represented", "Joël BERGER"),
        "Lucien GUICHARD": (status, None), "Véronique BOUCHER": (status, None),
    }


@pytest.mark.parametrize(
    ("sentence", "who", "to"),
    [
        ("COLIN Brigitte donne pouvoir à LANGLOIS Hervé.", "COLIN Brigitte", "LANGLOIS Hervé"),
        ("MORIN Agnès représentée par LE GOFF Didier.", "MORIN Agnès", "LE GOFF Didier"),
        ("Mme AUBERT a donné pouvoir à M. VINCENT.", "AUBERT", "VINCENT"),
        ("Pouvoirs : procuration de Mme DUMONT à M. GILBERT, procuration de Mme ROBERT à M. N'DIAYE",
         "DUMONT", "GILBERT"),
        ("procuration de M. VINCENT Christophe à Mme CHARLES Françoise", "VINCENT Christophe",
         "CHARLES Françoise"),
        ("Pouvoirs : LEMOINE Michel représenté par DESCHAMPS Sandrine", "LEMOINE Michel", "DESCHAMPS Sandrine"),
    ],
)
def test_attendance_proxies_stated_in_a_sentence(sentence, who, to):
    assert statuses("Étaient présents : Mme Anne ROY, M. Paul SIMON\n" + sentence + "\n")[who] == ("represented", to)


def test_attendance_list_ends_at_the_sentence_naming_the_secretary():
    text = ("Excusés : Isabelle ROY a donné pouvoir à Brigitte VASSEUR, Martine HUBERT a donné pouvoir à "
            "Nicole RODRIGUEZ\nNicole RODRIGUEZ a été désignée secrétaire de séance.\n")
    assert statuses(text)["Martine HUBERT"] == ("represented", "Nicole RODRIGUEZ")
    assert "Nicole RODRIGUEZ" not in statuses(text)



def test_attendance_scanned_forms_of_headings_and_verbs():
    # OCR reads "Excusé(e)s" as "Excusé(é)s" and "a été" as "à été".
    text = ("Pouvoirs : Alain PARIS représenté par Catherine KLEIN\n"
            "Excusé(é)s : Sophie HENRY\n"
            "Absents : Frédéric PERROT ; Annick LEMAIRE\n"
            "Christophe MEUNIER à été désigné secrétaire de séance.\n")
    assert statuses(text) == {
        "Alain PARIS": ("represented", "Catherine KLEIN"), "Sophie HENRY": ("excused", None),
        "Frédéric PERROT": ("absent", None), "Annick LEMAIRE": ("absent", None),
    }
    assert find_secretary(text).name == "Christophe MEUNIER"


@pytest.mark.parametrize(
    ("line", "status"),
    [("Était excusée : Mme Annick LECLERC.", "excused"), ("Était absent : M. Gilles GAUTHIER.", "absent"),
     ("Étaient excusés : Mme Annick LECLERC ; M. Gilles GAUTHIER.", "excused")],
)
def test_attendance_headings_in_the_singular_past(line, status):
    text = "Étaient présents : Mme Anne ROY, M. Paul SIMON.\n" + line + "\nLe Conseil a choisi pour secrétaire Mme ROY.\n"
    found = statuses(text)
    assert found["Annick LECLERC" if "LECLERC" in line else "Gilles GAUTHIER"] == (status, None)
    assert found["Anne ROY"] == ("present", None)

# --- secretary -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Le Conseil municipal a choisi pour secrétaire Mme Françoise RICHARD.", "Françoise RICHARD"),
        ("Le Comité syndical a choisi pour secrétaire M. Guillaume LE ROUX.", "Guillaume LE ROUX"),
        ("Le Conseil municipal a choisi pour secrétaire M. GAILLARD Thierry.", "GAILLARD Thierry"),
        ("Le Conseil municipal a choisi pour secrétaire Mme DA SILVA.", "DA SILVA"),
        ("L'assemblée a élu comme secrétaire de séance Hervé DURAND.", "Hervé DURAND"),
        ("Mme Odile LEBRUN a été choisie pour secrétaire.", "Odile LEBRUN"),
    ],
)
def test_secretary_chosen_by_the_council(text, name):
    assert find_secretary("Étaient présents : tous les membres.\n" + text).name == name


# --- title -----------------------------------------------------------------------------------

def title(text: str) -> str | None:
    found = find_title(text)
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The label in full.
        ("Séance du 21/04/2015\nObjet de la délibération : Attribution des subventions aux associations pour\n"
         "l'année 2015\nDÉLIBÉRATION N°33/2015\n", "Attribution des subventions aux associations pour l'année 2015"),
        # The next line is the number, or who presided: not the title's.
        ("Objet : Contrat de prêt – financement des investissements 2015\nDÉLIBÉRATION N°D2015-61\n\n"
         "Le Conseil communautaire, dûment convoqué",
         "Contrat de prêt – financement des investissements 2015"),
        ("OBJET : Désignation des représentants au conseil d'école\nPrésidence : Mme Brigitte MOREAU, Maire\n",
         "Désignation des représentants au conseil d'école"),
        # A wrapped last word stays.
        ("OBJET : Rapport sur le prix et la qualité du service public d'assainissement collectif – exercice\n2011\n"
         "DÉLIBÉRATION N°4/2012\nConvocation du 17 juin 2012\nPrésidence : Mme Annick MEUNIER, Maire. Présents : tous.\n",
         "Rapport sur le prix et la qualité du service public d'assainissement collectif – exercice 2011"),
    ],
)
def test_title_after_its_label(text, expected):
    assert title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Just above the number.
        ("Département des Côtes-d'Armor\nCOMMUNAUTÉ DE COMMUNES DU PAYS DES ABERS\n\n"
         "Admission en non-valeur de créances irrécouvrables\nDélibération n° CC2014_86\nConvocation du 08/09/2014\n",
         "Admission en non-valeur de créances irrécouvrables"),
        ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nRéunion du 21 mars 2021\n"
         "Modification des statuts du Syndicat intercommunal d'énergie\nDélibération n°D2021-42\n",
         "Modification des statuts du Syndicat intercommunal d'énergie"),
        # Just below it, in capitals, after a blank line.
        ("Communauté d'agglomération de\nLanvallon\n2 avenue du Général de Gaulle – 38829 LANVALLON\n\nN°125/2023\n\n"
         "FONDS DE CONCOURS À LA COMMUNE DE SAINTE-COLOMBE-LE-CHÂTEAU\n\nNombre de conseillers en exercice : 51\n",
         "FONDS DE CONCOURS À LA COMMUNE DE SAINTE-COLOMBE-LE-CHÂTEAU"),
        # Wrapped over two lines.
        ("SOCIALE DE MARCILLY-LA-FORÊT\n\nN°2020-029\n\nApprobation d'une convention avec le Centre de gestion de "
         "la fonction publique\nterritoriale\n\nLe Conseil d'administration, dûment convoqué le 08/12/2020,",
         "Approbation d'une convention avec le Centre de gestion de la fonction publique territoriale"),
    ],
)
def test_title_without_a_label_beside_the_number(text, expected):
    assert title(text) == expected


def test_title_not_taken_from_the_letterhead():
    text = ("RÉPUBLIQUE FRANÇAISE\nCOMMUNE DE SAINTE-FOY\nEXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\n"
            "Délibération n° 2015-12\nSéance du 21 avril 2015\nLe Conseil municipal, légalement convoqué, s'est réuni.\n")
    assert title(text) is None


# --- number ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("OBJET : Acquisition de la parcelle cadastrée section BD n° 434\nN° D2019-45\n", "D2019-45"),
        ("ACQUISITION DE LA PARCELLE CADASTRÉE SECTION DD N° 493\n\nN° 2021-002\n", "2021-002"),
        ("Objet de la délibération : Décision modificative n° 1 – budget principal 2012\nN°CS-2012-035\n",
         "CS-2012-035"),
        ("OBJET : Délibération n° 2021-12 portant budget\n", "2021-12"),
    ],
)
def test_number_is_not_a_parcel_or_a_modification_number(text, number):
    assert find_number(text).value == number


# --- authority -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The name wraps inside the left column.
        ("RÉPUBLIQUE FRANÇAISE REGISTRE DES DÉLIBÉRATIONS\nDépartement de l'Ain DU CONSEIL MUNICIPAL\n"
         "Séance du samedi 15 août 2020\nCOMMUNE DE\nPLOUZÉVET-SUR-LOIRE\n\nn° 20-006\n",
         "Commune de Plouzévet-sur-Loire"),
        ("Syndicat intercommunal EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nd'assainissement de la région de DU COMITÉ "
         "SYNDICAL\nBellecombe-aux-Bois\nSéance publique du 26 novembre 2023\n",
         "Syndicat intercommunal d'assainissement de la région de Bellecombe-aux-Bois"),
        ("RÉPUBLIQUE FRANÇAISE\nSyndicat mixte du bassin\nversant de la Vézère et de\nses affluents\n\nEn exercice\n",
         "Syndicat mixte du bassin versant de la Vézère et de ses affluents"),
        ("Communauté de communes\nCœur de Bresse\n24 place de la Mairie – 69292 LIGNY\n",
         "Communauté de communes Cœur de Bresse"),
        # The right column's "DU CONSEIL MUNICIPAL" is not the name's.
        ("Département de l'Oise EXTRAIT DU REGISTRE DES\nCOMMUNE DE DÉLIBÉRATIONS\n"
         "ROUSSILLON-SUR-LOIRE DU CONSEIL MUNICIPAL\n25 avenue du Général de Gaulle – 60634\n",
         "Commune de Roussillon-sur-Loire"),
        # The kind last, beside the other column.
        ("RÉPUBLIQUE FRANÇAISE DÉLIBÉRATION\nMIRABEL MÉTROPOLE DU CONSEIL MÉTROPOLITAIN\nSéance du 16/12/2025\n",
         "Mirabel Métropole"),
        ("RÉPUBLIQUE FRANÇAISE EXTRAIT DU REGISTRE DES\nBrézins Agglomération DÉLIBÉRATIONS\nDU CONSEIL COMMUNAUTAIRE\n",
         "Brézins Agglomération"),
        # A centre communal d'action sociale, its name over two lines.
        ("RÉPUBLIQUE FRANÇAISE REGISTRE DES DÉLIBÉRATIONS\nCentre communal d'action DU CONSEIL D'ADMINISTRATION\n"
         "sociale de Châtillon-aux-Bois\nSéance publique du 21.04.2012\n",
         "Centre communal d'action sociale de Châtillon-aux-Bois"),
        ("Séance du samedi 17 octobre 2015\nCENTRE COMMUNAL D'ACTION\nSOCIALE DE AUBIGNAC-LE-CHÂTEAU\n\nN°15-106\n",
         "Centre communal d'action sociale de Aubignac-le-Château"),
    ],
)
def test_authority_in_a_two_column_letterhead(text, expected):
    # Which words make the name; a name printed in capitals has its case guessed (see test_header).
    assert find_authority(text).value.casefold() == expected.casefold()


# --- body ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        # A CCAS's board meets in the municipal council's room.
        ("N°2020-029\n\nApprobation d'une convention avec le Centre de gestion de la fonction publique\nterritoriale\n\n"
         "Le Conseil d'administration, dûment convoqué le 08/12/2020, s'est réuni le samedi 19\n"
         "décembre 2020 à 9h00, dans la salle du conseil municipal, sous la présidence de M. Jean CHARPENTIER."),
        ("RÉPUBLIQUE FRANÇAISE DÉLIBÉRATION\nDépartement de l'Ain DU CONSEIL D'ADMINISTRATION\n"
         "CENTRE COMMUNAL D'ACTION\nSOCIALE DE AUBIGNAC-LE-CHÂTEAU\n"),
    ],
)
def test_body_of_a_ccas_is_its_board(text):
    assert find_body(text).value == "Conseil d'administration"


# --- budget articles -------------------------------------------------------------------------

def test_budget_codes_in_the_account_column_of_a_modification_table():
    text = ("Il convient de procéder aux virements suivants :\n"
            "Section Compte Libellé Diminution Augmentation\n"
            "Fonctionnement 6574 Subventions aux 23 600 euros\n"
            "associations\n"
            "Fonctionnement 022 Dépenses imprévues 23 600 euros\n"
            "Investissement 2183 Matériel de bureau et informatique 7 875,31 EUR\n"
            "\n"
            "Vu le Code général des collectivités territoriales, et notamment son article L. 5211-1,\n")
    assert [m.code for m in find_budget_articles(text)] == ["6574", "022", "2183"]


def test_budget_table_ends_where_prose_starts():
    text = ("Section Compte Libellé Diminution Augmentation\n"
            "Fonctionnement 6232 Fêtes et cérémonies 17 600,00 €\n"
            "Le Conseil municipal, ouï l'exposé du maire et après en avoir délibéré, décide 2024 mesures.\n"
            "2151 voies nouvelles\n")
    assert [m.code for m in find_budget_articles(text)] == ["6232"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A scanned stamp's letters beside the letterhead are not the name's.
        ("Arrondissement de Neufchâteau\nSYNDICAT MIXTE DU BASSIN se LE Po\nVERSANT DE LA VÉZÈRE ET DE\n"
         "SES AFFLUENTS\n29 Grande Rue — 88283 LIGNY\n",
         "Syndicat mixte du bassin versant de la Vézère et de ses affluents"),
        ("Département de la Haute-Savoie\nCOMMUNE DE LANVALLON-LA-FORÊT RE TE\n32 rue de la République – 74681\n",
         "Commune de Lanvallon-la-Forêt"),
        ("EXTRAIT DU REGISTRE DES\nCommunauté de communes du DÉLIBÉRATIONS\nVal d'Oise et Thève DU CONSEIL COMMUNAUTAIRE\n"
         "org PTE Séance ordinaire du 26/09/2015\n", "Communauté de communes du Val d'Oise et Thève"),
        # The letterhead lost its end among the other column's lines; the meeting sentence has it.
        ("Département des Vosges\nSYNDICAT INTERCOMMUNAL\n\nEXTRAIT DU REGISTRE DES\nDELIBERATIONS\n"
         "D'ÉLECTRICITÉ DE LA\nRÉGION DE LIGNY\n\nLe Comité syndical du Syndicat intercommunal d'électricité de la "
         "région de Ligny s'est réuni à la mairie.\n",
         "Syndicat intercommunal d'électricité de la région de Ligny"),
    ],
)
def test_authority_of_a_scanned_letterhead(text, expected):
    assert find_authority(text).value.casefold() == expected.casefold()
