"""The deliberation's identity: authority and number as the header prints them, or nothing."""
from __future__ import annotations

import pytest

from extractors.header import find_authority, find_number, find_title


def authority(text: str) -> str | None:
    found = find_authority(text)
    return found.value if found else None


def number(text: str) -> str | None:
    found = find_number(text)
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Two columns sharing lines: the name stops where the right column starts.
        ("Commune de Péron EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\n01630 Péron DU CONSEIL MUNICIPAL\n",
         "Commune de Péron"),
        ("COMMUNE DE PÉRON Séance du 18 novembre 2021\nle conseil municipal de la commune de Péron\n",
         "Commune de Péron"),
        # … and a name cut by the column's width goes on with the next line's left part.
        ("COMMUNE DE EXTRAIT DU REGISTRE DES\nSAINT-JEAN-DE-GONVILLE DÉLIBÉRATIONS\n\n"
         "le Conseil municipal de la commune de Saint-Jean-de-Gonville s'est réuni",
         "Commune de Saint-Jean-de-Gonville"),
        ("Ville de Thoiry        Extrait du registre des délibérations\n", "Ville de Thoiry"),
    ],
)
def test_header_authority_is_the_left_column_of_a_two_column_header(text, expected):
    assert authority(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Half a sentence of the exposé that happens to open a line.
        "suite au\ncommune du fait d'une départ de l'un de ses chauffeurs à la retraite\n",
        "au sein de la\ncommunauté de communes. L'intégration de ce service représente un surcoût\n",
        # The département's letterhead over another body's deliberation.
        "DEPARTEMENT du GARD\nArrondissement de Nîmes\n\nCompte rendu de la réunion du 3 mars\n",
        # "Ville d'" whose name is a picture: the next line is not part of it.
        "Ville d'\nMembres en exercice : 29\n",
    ],
)
def test_header_authority_stays_empty_rather_than_junk(text):
    assert authority(text) is None


def test_header_a_departement_is_the_authority_of_its_own_council():
    text = "DÉPARTEMENT DE L'AIN\n\nDélibération de la Commission permanente du conseil départemental\n"
    assert authority(text) == "Département de l'Ain"


def test_header_mairie_opening_the_document_is_the_commune():
    text = (
        "MAIRIE DE VILLE\n\nCompte rendu de la réunion du Conseil Municipal du 16 novembre 2009\n\n"
        "Monsieur le maire fait état d'une délibération du conseil communautaire de la\n"
        "communauté de communes du pays Noyonnais ;\n"
    )
    assert authority(text) == "Commune de Ville"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Séance du 18 novembre 2021\nDélibération n° 2021-45\n", "2021-45"),
        ("convoqué le 10 novembre 2021, s'est réuni", None),
        ("Compte rendu du 7 NOVEMBRE 2019\n", None),
        ("Délibération no 2019-012\n", "2019-012"),  # OCR's "no"
        ("Acte n°DEL2020-071\n", "DEL2020-071"),
    ],
)
def test_header_the_no_of_novembre_is_not_a_number_sign(text, expected):
    assert number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PROCES-VERBAL DU CONSEIL MUNICIPAL DE TALUYERS\n\nLundi 12 décembre 2016\n", "Commune de Taluyers"),
        ("A l'attention des membres du Conseil municipal de COUTHENANS\n", "Commune de Couthenans"),
        ("le Conseil municipal de la commune, régulièrement convoqué,\n", None),
    ],
)
def test_header_a_municipal_council_names_its_commune(text, expected):
    assert authority(text) == expected


def test_header_a_council_cited_in_a_recital_is_not_the_authority():
    assert authority("Vu la délibération du conseil municipal de Thoiry, en date du 3 mai 2021 ;\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "L'an deux mille DIX NEUF, le 12 MARS, le Conseil Municipal de la commune de SAINT RESTITUT (Drôme), s'est réuni",
        "L'an deux mille seize, le Conseil Municipal de la commune de SAINT\nRESTITUT (Drôme), s'est réuni en session",
    ],
)
def test_header_authority_in_the_meeting_sentence_with_its_departement(text):
    # The département in brackets after the name, the name wrapped; a commune's name hyphenated.
    assert find_authority(text).value == "Commune de Saint-Restitut"


@pytest.mark.parametrize(("text", "title"), [
    ("Délibération n° 2021-060\nApprobation du plan local d'urbanisme\nVu le code de l'urbanisme ;\n",
     "Approbation du plan local d'urbanisme"),
    ("Nombre de Conseillers en exercice : 39\nN° 2016.02.16 - Subvention à l'association Énergie Coopération - "
     "Projet BAN DOÏ\n2016\nPrésents :\n", "Subvention à l'association Énergie Coopération - Projet BAN DOÏ 2016"),
])
def test_header_title_after_a_number_without_objet(text: str, title: str) -> None:
    assert find_title(text).value == title


def test_header_a_number_line_followed_by_a_label_has_no_title_there() -> None:
    assert find_title("Délibération n° 2021-060\nVu le code de l'urbanisme ;\n") is None


def test_header_title_em_dash_between_words_is_the_en_dash_objects_print() -> None:
    # OCR reads the en dash of "Attribution du marché – lot …" as an em dash.
    text = "N° 2024-12\nObjet : Attribution du marché — lot « Voirie et réseaux divers »\n\nLe Conseil municipal,"
    assert find_title(text).value == "Attribution du marché – lot « Voirie et réseaux divers »"


def test_header_title_after_the_number_and_a_colon_wrapped_to_the_next_line() -> None:
    text = ("Secrétaire de séance : M. Didier LOAS\n\n"
            "Délibération n° 2024-110 : Modification n°2 PLU : Information sur les points soumis à la modification et\n"
            "calendrier de la procédure\nRapporteur : Mme Véronique MADEC\n\nMonsieur le maire expose :")
    assert find_title(text).value == ("Modification n°2 PLU : Information sur les points soumis à la modification "
                                      "et calendrier de la procédure")


def test_header_authority_from_the_running_footer_when_the_head_names_none() -> None:
    # The footer repeated on every page is kept once, at the end of the text.
    text = ("DELIBERATION du CONSEIL MUNICIPAL\n\nSéance du lundi 1 février 2016\n"
            "Nombre de Conseillers en exercice : 39\n\n" + "Le conseil municipal délibère.\n" * 120
            + "\nVille de BOURG-EN-BRESSE - Conseil Municipal du lundi 1er Février 2016\n")
    assert find_authority(text).value == "Ville de Bourg-en-Bresse"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The town's name read from its logo's lettering, the municipal council's list under it.
        ("Pierrefonds\nSA\n\nLISTE DES DÉLIBÉRATIONS\nSÉANCE DU CONSEIL MUNICIPAL\nDU 27 JANVIER 2026\n",
         "Commune de Pierrefonds"),
        ("Saint-Restitut\n\nCompte rendu du conseil municipal du 3 mars 2020\n", "Commune de Saint-Restitut"),
    ],
)
def test_header_authority_from_a_wordmark_over_a_municipal_council(text, expected):
    assert authority(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pierrefonds\n\nLISTE DES DÉLIBÉRATIONS DU COMITÉ SYNDICAL\n",  # no commune's council
        "République Française\n\nSÉANCE DU CONSEIL MUNICIPAL\n",  # a heading, not a name
        "Accusé de réception\n\nSÉANCE DU CONSEIL MUNICIPAL\n",
        "PIERREFONDS\n\nSÉANCE DU CONSEIL MUNICIPAL\n",  # a line in capitals heads the page
        "Le conseil municipal\nde Pierrefonds s'est réuni\n",
    ],
)
def test_header_authority_no_wordmark_where_the_first_line_is_no_name(text):
    assert authority(text) is None
