"""Operative clauses after "après en avoir délibéré"."""
from __future__ import annotations

import pytest

from extractors.decisions import find_decisions


def verbs_and_texts(text: str) -> list[tuple[str, str]]:
    return [(d.verb, d.clause) for d in find_decisions(text)]


def test_decisions_bullets_in_capitals():
    text = (
        "Il est proposé d'APPROUVE la chose.\nLe Comité syndical, après en avoir délibéré à l'unanimité\n\n"
        "- APPROUVE le programme d'actions ;\n- AUTORISE le Président à signer\nl'avenant ;\n"
        "- IMPUTE la dépense à l'article 6574.\n\nAinsi fait et délibéré."
    )
    assert verbs_and_texts(text) == [
        ("APPROUVE", "le programme d'actions"),
        ("AUTORISE", "le Président à signer l'avenant"),
        ("IMPUTE", "la dépense à l'article 6574"),
    ]


def test_decisions_unaccented_verbs_get_their_accents():
    text = "Après en avoir délibéré, le conseil :\nDECIDE d'attribuer une subvention ;\nDESIGNE M. X.\n"
    assert [v for v, _ in verbs_and_texts(text)] == ["DÉCIDE", "DÉSIGNE"]


def test_decisions_article_numbered_clauses():
    text = (
        "DÉLIBÈRE\nArticle 1 : APPROUVE le plan de financement.\n"
        "Article 2 : DIT QUE les crédits sont inscrits au budget.\nArticle 3 : PREND ACTE du rapport.\n"
    )
    assert verbs_and_texts(text) == [
        ("APPROUVE", "le plan de financement"),
        ("DIT QUE", "les crédits sont inscrits au budget"),
        ("PREND ACTE", "du rapport"),
    ]


def test_decisions_lower_case_verb_right_after_deliberation():
    text = "Le conseil municipal, après en avoir délibéré, à l'unanimité, décide de fixer le tarif à 3 €.\n"
    assert verbs_and_texts(text) == [("DÉCIDE", "de fixer le tarif à 3 €")]


def test_decisions_nothing_without_a_deliberation_marker():
    assert find_decisions("Il est proposé au conseil d'APPROUVER le projet.") == []


def test_decisions_ocr_specks_around_bullets_do_not_hide_a_verb():
    text = (
        "Le Comité, après en avoir délibéré à l'unanimité\n\n"
        "- APPROUVE le programme ; |\n- _ APPROUVE l'annexe ;\n._- CHARGE le Président de l'exécution.\n"
    )
    assert verbs_and_texts(text) == [
        ("APPROUVE", "le programme"),
        ("APPROUVE", "l'annexe"),
        ("CHARGE", "le Président de l'exécution"),
    ]


def test_decisions_last_clause_stops_at_the_transmission_stamp_even_without_a_blank_line():
    text = (
        "Après en avoir délibéré, le Bureau :\n- APPROUVE le programme ;\n"
        "- CHARGE le Directeur général des services de l'exécution de la présente délibération.\n"
        "Transmis au contrôle de légalité le 22 juin 2021\nPublié le 23 juin 2021\n"
    )
    assert verbs_and_texts(text)[-1] == (
        "CHARGE", "le Directeur général des services de l'exécution de la présente délibération")


def test_decisions_a_clause_about_transmission_is_not_cut():
    text = (
        "Après en avoir délibéré, le conseil :\nDIT que la présente délibération sera\n"
        "transmise en préfecture et publiée.\n"
    )
    assert verbs_and_texts(text) == [("DIT QUE", "la présente délibération sera transmise en préfecture et publiée")]


@pytest.mark.parametrize(
    ("clause", "verb", "rest"),
    [
        ("- DIT QUE les crédits sont inscrits au budget.", "DIT QUE", "les crédits sont inscrits au budget"),
        ("- DIT que les crédits sont inscrits.", "DIT QUE", "les crédits sont inscrits"),
        ("- DIT qu'il sera rendu compte.", "DIT QUE", "il sera rendu compte"),
        ("- PREND ACTE du rapport annuel.", "PREND ACTE", "du rapport annuel"),
        ("- DONNE ACTE au Maire de sa communication.", "DONNE ACTE", "au Maire de sa communication"),
        ("- S'ENGAGE à inscrire les crédits.", "S'ENGAGE", "à inscrire les crédits"),
        # The capitals mark the verb; the words that complete the keyword may be in lower case.
        ("- DONNE son accord sur la réintégration.", "DONNE SON ACCORD", "sur la réintégration"),
        ("- PREND acte du rapport annuel.", "PREND ACTE", "du rapport annuel"),
        ("- DONNE délégation au Maire.", "DONNE DÉLÉGATION", "au Maire"),
    ],
)
def test_decisions_multi_word_keywords_stay_whole(clause, verb, rest):
    assert verbs_and_texts("Après en avoir délibéré, le conseil :\n" + clause + "\n") == [(verb, rest)]


@pytest.mark.parametrize(
    "opening",
    ["1°) ", "1) ", "1. ", "Article 1er : ", "- ", "• ", "▪ ", "a) "],
)
def test_decisions_numbered_and_bulleted_clauses(opening):
    second = opening.replace("1", "2").replace("er", "").replace("a)", "b)")
    text = (
        "Le Conseil municipal, après en avoir délibéré, à l'unanimité :\n"
        f"{opening}APPROUVE le plan de financement ;\n{second}AUTORISE le Maire à signer la convention.\n"
    )
    assert verbs_and_texts(text) == [
        ("APPROUVE", "le plan de financement"), ("AUTORISE", "le Maire à signer la convention"),
    ]


def test_decisions_title_case_verbs_at_a_clause_start():
    text = (
        "Le Conseil municipal, après en avoir délibéré, à l'unanimité :\n"
        "Décide de créer un poste d'adjoint technique ;\nApprouve le tableau des effectifs ;\n"
        "Impute la dépense au chapitre 012.\n"
    )
    assert verbs_and_texts(text) == [
        ("DÉCIDE", "de créer un poste d'adjoint technique"), ("APPROUVE", "le tableau des effectifs"),
        ("IMPUTE", "la dépense au chapitre 012"),
    ]


def test_decisions_past_participles_after_apres_avoir_delibere():
    text = (
        "Après avoir délibéré, les Membres du Conseil Communautaire ont, à l'unanimité :\n"
        "- Approuvé la décision modificative N°1 tel que présentée ci-dessus,\n"
        "- Autorisé Monsieur le Président à prendre toutes les mesures nécessaires.\n"
    )
    assert verbs_and_texts(text) == [
        ("APPROUVE", "la décision modificative N°1 tel que présentée ci-dessus"),
        ("AUTORISE", "Monsieur le Président à prendre toutes les mesures nécessaires"),
    ]


def test_decisions_verb_before_the_marker_in_the_same_sentence():
    text = "Le conseil municipal décide, après en avoir délibéré, de fixer le tarif à 3 €.\n"
    assert verbs_and_texts(text) == [("DÉCIDE", "de fixer le tarif à 3 €")]


def test_decisions_deliberere_in_capitals_anywhere_in_the_sentence():
    text = "LE CONSEIL MUNICIPAL, APRÈS EN AVOIR DÉLIBÉRÉ,\nVU la loi,\n\nAPPROUVE l'affectation d'une subvention.\n"
    assert verbs_and_texts(text) == [("APPROUVE", "l'affectation d'une subvention")]


def test_decisions_a_vote_line_in_title_case_is_not_a_verb():
    text = "Le conseil, après en avoir délibéré :\n- APPROUVE le budget.\nVote : Pour à l'unanimité\n"
    assert verbs_and_texts(text) == [("APPROUVE", "le budget")]


def test_decisions_lower_case_verb_after_a_majority_announces_listed_articles():
    text = (
        "Le conseil municipal, après en avoir délibéré, à la majorité (8 abstentions, 2 contre), décide :\n"
        "Article 1 : D'apporter les changements suivants au projet de plan local d'urbanisme ;\n"
        "Article 2 : D'approuver le plan local d'urbanisme tel qu'il est annexé.\n"
    )
    assert verbs_and_texts(text) == [
        ("DÉCIDE", "d'apporter les changements suivants au projet de plan local d'urbanisme ; "
                   "d'approuver le plan local d'urbanisme tel qu'il est annexé"),
    ]


def test_decisions_lower_case_verb_with_dash_items():
    text = (
        "Après en avoir délibéré, le conseil municipal, à l'unanimité décide :\n"
        "- De ne plus verser de subvention à l'association des Anciens Combattants\n"
        "- De prendre à la charge de la commune la gerbe du 8 mai.\n"
    )
    assert verbs_and_texts(text) == [
        ("DÉCIDE", "de ne plus verser de subvention à l'association des Anciens Combattants ; "
                   "de prendre à la charge de la commune la gerbe du 8 mai"),
    ]


def test_decisions_a_verb_in_capitals_announcing_a_list_is_one_decision_holding_the_list():
    text = (
        "Le Conseil communautaire, ouï l'exposé du président et après en avoir délibéré,\nDÉCIDE :\n"
        "- de créer un emploi permanent d'adjoint technique territorial,\n"
        "- de dire que les crédits nécessaires sont inscrits au budget, chapitre 012.\n"
        "Adopté à la majorité : 48 voix pour, 1 contre, 4 abstentions.\n"
    )
    assert verbs_and_texts(text) == [
        ("DÉCIDE", "de créer un emploi permanent d'adjoint technique territorial ; "
                   "de dire que les crédits nécessaires sont inscrits au budget, chapitre 012"),
    ]


@pytest.mark.parametrize("opening", ["Article 2 : ", "2°) ", "- "])
def test_decisions_title_case_charge_with_someone_charged_is_the_verb(opening):
    text = (f"Après en avoir délibéré,\nArticle 1 : Approuve la décision modificative n° 1,\n"
            f"{opening}Charge le Maire de son exécution.\n")
    assert [verb for verb, _ in verbs_and_texts(text)] == ["APPROUVE", "CHARGE"]


def test_decisions_the_noun_charge_at_a_line_start_is_no_verb():
    text = "Après en avoir délibéré,\nAPPROUVE le budget :\nCharge de la dette : 12 000 €\n"
    assert [verb for verb, _ in verbs_and_texts(text)] == ["APPROUVE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Minutes that skip "après en avoir délibéré": the assembly decides in the sentence.
        ("Le conseil municipal, à l'unanimité, approuve ce règlement qui entrera en vigueur\nau 1er janvier, "
         "et autorise Monsieur le maire à signer l'arrêté.", ["APPROUVE", "AUTORISE"]),
        ("Le conseil municipal décide :\nArticle unique : de s'opposer au transfert de la compétence.\n",
         ["DÉCIDE"]),
        ("-L'association « Histoire » pour laquelle le conseil municipal décide d'octroyer une subvention de 100€.\n"
         "-L'association « Vie Libre » pour laquelle le conseil municipal décide d'octroyer une subvention de 30€.\n",
         ["DÉCIDE", "DÉCIDE"]),
        ("Après avoir entendu Monsieur le Maire, le Conseil Municipal, à l'unanimité :\n"
         "Article 1: ADOPTE la nouvelle rédaction des statuts.\nArticle 2 : PRECISE que les autres articles demeurent.\n",
         ["ADOPTE", "PRÉCISE"]),
        # Verbs in lower case after bullets.
        ("Après en avoir délibéré, le conseil municipal, à l'unanimité :\n-approuve la contexture du projet.\n"
         "-sollicite une subvention du Conseil Départemental.\n-prend l'engagement de réaliser les travaux.\n"
         "-établit le plan de financement comme suit :\n", ["APPROUVE", "SOLLICITE", "PREND L'ENGAGEMENT", "ÉTABLIT"]),
        # Without the assembly deciding, an exposé decides nothing.
        ("Monsieur le Maire informe le conseil municipal que le conseil communautaire a approuvé les statuts.", []),
    ],
)
def test_decisions_minutes_without_the_deliberation_marker(text, expected):
    assert [d.verb for d in find_decisions(text)] == expected


def test_decisions_irregular_past_participles_after_ont_a_l_unanimite():
    text = ("Après avoir délibéré, les Membres du Conseil Communautaire ont, à l'unanimité :\n"
            "- Admis en non-valeur les montants suivants :\n- Engagé la collectivité dans un travail de réflexion ;\n"
            "- Chargé le Président d'accomplir les formalités.\n- Pris acte du rapport d'activités 2024.\n")
    assert [d.verb for d in find_decisions(text)] == ["ADMET", "ENGAGE", "CHARGE", "PREND ACTE"]


def test_decisions_a_noun_charges_at_a_line_start_is_not_a_verb():
    text = "Après en avoir délibéré, le conseil :\n- APPROUVE le budget.\n- Charges de personnel : 3 000 €\n"
    assert [d.verb for d in find_decisions(text)] == ["APPROUVE"]


def test_decisions_the_unanimity_does_not_swallow_the_first_lower_case_verb():
    text = ("Après en avoir délibéré, le conseil municipal à l'unanimité approuve l'avenant ci-dessus énoncé et\n"
            "autorise le maire à le signer.\n")
    assert [d.verb for d in find_decisions(text)] == ["APPROUVE", "AUTORISE"]


def test_decisions_a_vote_line_standing_alone_opens_the_clauses():
    text = (
        "Le Conseil Municipal,\nAprès avoir adopté le Compte Financier Unique (CFU) de l'exercice 2024 ;\n"
        "Constatant que le document ci-dessus présente :\n- un résultat cumulé excédentaire de + 457 096,62 € ;\n"
        "A l'unanimité :\n- DECIDE d'affecter le résultat de fonctionnement au compte 1068 : 457 096,62 €.\n"
        "- DECIDE d'affecter le résultat d'investissement au compte R001 : 246 096,20 €.\n"
    )
    assert [v for v, _ in verbs_and_texts(text)] == ["DÉCIDE", "DÉCIDE"]


def test_decisions_the_assembly_named_after_the_vote():
    text = (
        "Après en avoir délibéré, à l'unanimité, le conseil municipal décide :\n\n"
        "1 – d'engager une procédure de modification n°1 du PLU ;\n"
        "2 – de donner autorisation au Maire pour signer tout contrat.\n\nConformément à l'article L153-40 …"
    )
    assert [v for v, _ in verbs_and_texts(text)] == ["DÉCIDE"]


def test_decisions_donne_without_a_listed_completion_is_donne():
    text = ("Le Conseil Municipal, après en avoir délibéré, à l'unanimité,\n- VOTE les taux comme suit :\n"
            "Taxe foncière (bâti) 27,99 %\n\n- DONNE tout pouvoir au Maire pour la mise en œuvre.\n")
    assert verbs_and_texts(text)[-1] == ("DONNE", "tout pouvoir au Maire pour la mise en œuvre")


def test_decisions_article_1er_as_ocr_reads_it():
    """OCR reads "Article 1er :" as "Article ler :" or "Article Ier :"."""
    text = ("Après en avoir délibéré,\nÀ l'unanimité des membres présents et représentés,\n"
            "Article ler : Approuve la répartition des subventions,\nArticle 2 : DIT que les crédits sont inscrits.\n")
    assert [verb for verb, _ in verbs_and_texts(text)] == ["APPROUVE", "DIT QUE"]


def test_decisions_a_verb_alone_on_its_line_announces_its_list():
    text = (
        "Le conseil municipal à l'unanimité :\n1) DECIDE\n- de donner un avis favorable sur le circuit\n"
        "2) DECIDE\n- De donner son accord sur l'inscription au plan\n"
        "3) S'ENGAGE à conserver le caractère public des chemins.\n"
    )
    assert [v for v, _ in verbs_and_texts(text)] == ["DÉCIDE", "DÉCIDE", "S'ENGAGE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Après en avoir délibéré, le conseil municipal après vote à l'unanimité DECIDE :\n"
         "-D'APPROUVER la modification N°2 du plan local d'urbanisme,\n", ["DÉCIDE"]),
        ("Le conseil municipal après discussion et vote par : 4 ABSTENTIONS (S.MEARY – C.BOURRETTE) "
         "et 10 POUR DECIDE la répartition suivante pour 2018 :\nAMICALE LAIQUE 1.200 €\n", ["DÉCIDE"]),
        ("Après en avoir délibéré, le conseil :\nArticle 1er : VALIDE le périmètre du syndicat et APPROUVE "
         "les statuts dudit syndicat.\nArticle 2 : APPROUVE l'adhésion.\n", ["VALIDE", "APPROUVE", "APPROUVE"]),
    ],
)
def test_decisions_capital_verbs_wherever_they_sit_after_the_opening(text, expected):
    assert [v for v, _ in verbs_and_texts(text)] == expected


def test_decisions_capital_verbs_without_any_opening_formula():
    text = (
        "3. CREATION DE POSTES\nMonsieur le maire propose au conseil la création :\n"
        "-d'un poste d'ATSEM PRINCIPAL 2ème classe.\n"
        "CHARGE Monsieur le maire de prendre les arrêtés correspondants,\n"
        "CHARGE Monsieur le maire d'effectuer la déclaration de vacance d'emploi.\n"
        "Accord du conseil à l'unanimité.\n"
    )
    assert [v for v, _ in verbs_and_texts(text)] == ["CHARGE", "CHARGE"]


def test_decisions_a_heading_in_capitals_is_no_clause():
    assert verbs_and_texts("VOTE DU COMPTE ADMINISTRATIF 2016\nAPPROUVE LE BUDGET\nLe CA est approuvé.\n") == []


def test_decisions_an_item_deciding_in_two_parts():
    text = (
        "Après en avoir délibéré, décide à l'unanimité d'instituer l'IFSE aux agents titulaires.\n"
        "II) Mise en place du complément indemnitaire annuel\n"
        "Après en avoir délibéré, décide à l'unanimité d'instituer le CIA aux agents titulaires.\n"
    )
    assert [v for v, _ in verbs_and_texts(text)] == ["DÉCIDE", "DÉCIDE"]


def test_decisions_souhaite_is_an_operative_verb():
    text = ("Le Conseil Municipal, après en avoir délibéré, à l'unanimité,\n"
            "- SOUHAITE s'engager dans une démarche de protection sociale ;\n- MANDATE le cdg69.\n")
    assert [v for v, _ in verbs_and_texts(text)] == ["SOUHAITE", "MANDATE"]
