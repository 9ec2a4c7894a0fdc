"""Séance minutes: one deliberation per deliberated agenda item, each with the séance's context.

Headings are found in every usual style, the agenda's repeat of them is not an item, opening
business and questions diverses are not deliberations, arrivals and departures change the
attendance of the items after them, and a list of a séance's deliberations gives one record a row.
"""
from __future__ import annotations

from functools import cache

import pytest

from extractors import minutes
from extractors.seance import assemble_minutes
from models.records import DocumentText, PageText
from pipeline.api import ExtractOptions, extract_document
from pipeline.publish.serialize import extraction_to_json
from tests.conftest import SAMPLES


@cache
def extracted(name: str) -> dict:
    return extraction_to_json(extract_document(SAMPLES / f"{name}.pdf", ExtractOptions(entities=False)))


def _body(title: str) -> str:
    return f"{title}\nLe Conseil municipal, après en avoir délibéré, à l'unanimité, APPROUVE la proposition.\n\n"


@pytest.mark.parametrize("heading, number, title", [
    ("1) Subvention au comité des fêtes", None, "Subvention au comité des fêtes"),
    ("3/ Motion ONF :", None, "Motion ONF"),
    ("Point 3 – Tarifs de la cantine", None, "Tarifs de la cantine"),
    ("2. Renouvellement du contrat enfance", None, "Renouvellement du contrat enfance"),
    ("Délibération n° 5 : Indemnité du receveur", "5", "Indemnité du receveur"),
    ("DEL2025-02 : Vote du compte financier unique", "DEL2025-02", "Vote du compte financier unique"),
    ("D2016-05 – Compte administratif 2015", "D2016-05", "Compte administratif 2015"),
])
def test_minutes_heading_styles_give_number_and_title(heading, number, title):
    second = heading.replace("1)", "2)").replace("3/", "4/").replace("Point 3", "Point 4").replace(
        "2.", "3.").replace("n° 5", "n° 6").replace("-02", "-03").replace("-05", "-06")
    items = minutes.find_items(_body(heading) + _body(second))
    assert [(i.number, i.title) for i in items][:1] == [(number, title)]
    assert len(items) == 2


def test_minutes_headings_garbled_by_ocr_still_cut_items_and_keep_no_broken_number():
    """OCR reads a scanned "Délibération n°20190312-02" as "Dél nn°20190312-" or "élibération
    n°2 312-": still a heading (the title on the next line), its number left empty unless whole."""
    text = (_body("Délibération n°20190312-01\n- Tarifs de la cantine")
            + _body("Dél nn°20190312-\n- Tableau des effectifs")
            + _body("élibération n°2 312-\n« Subvention au comité des fêtes")
            + _body("elibé nn°20190312-04\n* Vente d'un terrain"))
    items = minutes.find_items(text)
    assert [(i.number, i.title) for i in items] == [
        ("20190312-01", "Tarifs de la cantine"), (None, "Tableau des effectifs"),
        (None, "Subvention au comité des fêtes"), ("20190312-04", "Vente d'un terrain")]


def test_minutes_headings_that_ocr_stripped_of_their_n_or_broke_in_the_middle_still_cut_items():
    """"Délibérati °2025 -06", "élibération n° 1-07": still headings; a number is kept only when it
    has the shape of the numbers read whole around it."""
    text = (_body("Délibération n°20250331-05\n* Révision de l'AP/CP voirie")
            + _body("Délibérati °2025 -06\n* Révision de l'AP/CP mobilité douce")
            + _body("élibération n° 1-07\n* Création de l'AP/CP centrales photovoltaïques")
            + _body("Délibérati °20250331-08\n* Fongibilité des crédits"))
    items = minutes.find_items(text)
    assert [(i.number, i.title) for i in items] == [
        ("20250331-05", "Révision de l'AP/CP voirie"), (None, "Révision de l'AP/CP mobilité douce"),
        (None, "Création de l'AP/CP centrales photovoltaïques"), ("20250331-08", "Fongibilité des crédits")]


def test_minutes_a_line_with_a_number_sign_inside_a_paragraph_is_no_heading():
    text = (_body("Délibération n°20190312-01\n- Tarifs de la cantine")
            + "Le tableau n° 2019 est annexé à la présente.\n"
            + _body("Délibération n°20190312-02\n- Tableau des effectifs"))
    assert [i.title for i in minutes.find_items(text)] == ["Tarifs de la cantine", "Tableau des effectifs"]


def test_minutes_agenda_lines_are_not_items():
    text = ("Ordre du jour :\n1. Budget primitif\n2. Tarifs de l'eau\n3. Questions diverses\n\n"
            + _body("1. Budget primitif") + _body("2. Tarifs de l'eau") + "3. Questions diverses\nRien.\n")
    items = minutes.find_items(text)
    assert [i.title for i in items] == ["Budget primitif", "Tarifs de l'eau", "Questions diverses"]
    assert items[0].start > text.index("Questions diverses")


def test_minutes_numbered_operative_clauses_are_not_items():
    text = _body("1) Travaux de voirie") + "1) APPROUVE le devis ;\n2) AUTORISE le Maire.\n\n" + _body("2) Tarifs")
    assert [i.title for i in minutes.find_items(text)] == ["Travaux de voirie", "Tarifs"]


def test_minutes_unnumbered_headings_are_found_by_the_agenda():
    text = ("COMPTE RENDU du CONSEIL MUNICIPAL\n\nOrdre du jour\nContrat d'assurance statutaire\n"
            "Coupe de bois\nQuestions diverses\n\nContrat d'assurance statutaire\nLe conseil autorise le Maire.\n"
            "Vote : à l'unanimité\n\nCoupe de bois\nLes membres du conseil acceptent.\nVote : à l'unanimité\n\n"
            "Questions diverses\nNéant.\n")
    items = next(iter(minutes.item_sets(text)))
    assert [i.title for i in items] == ["Contrat d'assurance statutaire", "Coupe de bois", "Questions diverses"]


def test_minutes_headings_marked_by_a_bullet_glyph():
    # A symbol font's bullet the PDF maps to no character is read as a control character.
    text = ("COMPTE RENDU DU CONSEIL MUNICIPAL\nPrésents : M. Paul DURAND\n\n"
            + "".join(_body(f"\x01 {title}") for title in ("Révision des tarifs", "Convention de voirie",
                                                            "Modification du tableau des effectifs"))
            + "\x01 Tour de table\nRien.\n")
    titles = [i.title for i in next(s for s in minutes.item_sets(text) if s[0].style == "glyph")]
    assert titles == ["Révision des tarifs", "Convention de voirie", "Modification du tableau des effectifs",
                      "Tour de table"]


@pytest.mark.parametrize("title, deliberated", [
    ("Désignation du secrétaire de séance", False),
    ("Nomination du secrétaire", False),
    ("Approbation du procès-verbal de la séance du 24 janvier 2019", False),
    ("Approbation du compte rendu du conseil du 16 juin 2021", False),
    ("Questions diverses", False),
    ("Informations du Président", False),
    ("Compte rendu des décisions prises par le Maire", False),
    ("Subvention au comité des fêtes", True),
])
def test_minutes_opening_business_and_questions_are_not_deliberations(title, deliberated):
    item = minutes.Item(start=0, end=10, text=f"{title}\nAdopté à l'unanimité.", body=0, number=None,
                        title=title, style="dot")
    assert minutes.is_deliberated(item, has_vote=True, has_decision=False) is deliberated


def test_minutes_information_without_vote_nor_decision_is_not_a_deliberation():
    item = minutes.Item(start=0, end=10, text="Rapport annuel\nLe conseil en est informé.", body=0,
                        number=None, title="Rapport annuel", style="dot")
    assert not minutes.is_deliberated(item, has_vote=False, has_decision=False)


@pytest.mark.parametrize("phrase, name, status, proxy_to, point", [
    ("Arrivée de M. Denis MOREL à 21 heures.", "Denis MOREL", "present", None, None),
    ("Arrivée de Mme Anne ROUX à partir du point 4.", "Anne ROUX", "present", None, 4),
    ("M. Paul HENRY arrive en cours de séance.", "Paul HENRY", "present", None, None),
    ("Mme Cécile BARRE quitte la séance et donne pouvoir à Mme Élodie FOURNIER.", "Cécile BARRE",
     "represented", "Élodie FOURNIER", None),
    ("M. Luc GARNIER quitte la séance avant le point 6.", "Luc GARNIER", "absent", None, 6),
    ("Départ de M. Yann PETIT.", "Yann PETIT", "absent", None, None),
])
def test_minutes_arrivals_and_departures(phrase, name, status, proxy_to, point):
    [move] = minutes.find_movements(phrase)
    assert (move.name, move.status, move.proxy_to, move.from_item) == (name, status, proxy_to, point)


def test_minutes_list_rows_carry_number_title_and_vote():
    text = ("Commune de Vernoux\nLISTE DES DÉLIBÉRATIONS EXAMINÉES EN SÉANCE DU 27 JANVIER 2026\n"
            "N° 2026-01 – Budget primitif 2026 : adopté à l'unanimité\n"
            "N° 2026-02 – Tarifs de la cantine scolaire et du\nrestaurant municipal : Pour : 12 – Contre : 2\n"
            "Affichée le 29 janvier 2026\n")
    rows = minutes.find_list_rows(text)
    assert [(r.number, r.title) for r in rows] == [
        ("2026-01", "Budget primitif 2026"),
        ("2026-02", "Tarifs de la cantine scolaire et du restaurant municipal"),
    ]


def test_minutes_scanned_list_rows_read_through_ocr_specks():
    # OCR of a table: specks before a code, a border glued to it, a thin "_" lost, an object
    # centred beside its number (its first line read above the number's line).
    text = ("LISTE DES DÉLIBÉRATIONS\nSÉANCE DU CONSEIL MUNICIPAL DU 27 JANVIER 2026\n"
            "Numéro OBJET Approuvée/\n"
            "Débat sur le Projet d'Aménagement Stratégique (PAS) de la\n2026 _001 : Actée\n"
            "2026 002 Révision des statuts du Syndicat d'Énergie de l'Oise Approuvée\n"
            "E 2026_003 Adhésion 2026 au CAUE60 Approuvée\n"
            "Autorisation d'engager, liquider et mandater les dépenses\n"
            "12026_004 d'investissement avant le vote du budget 2026 Approuvée\n"
            "Affichage : 28/01/2026\n")
    rows = minutes.find_list_rows(text)
    assert [(r.number, r.title) for r in rows] == [
        ("2026_001", "Débat sur le Projet d'Aménagement Stratégique (PAS) de la"),
        ("2026_002", "Révision des statuts du Syndicat d'Énergie de l'Oise"),
        ("2026_003", "Adhésion 2026 au CAUE60"),
        ("2026_004", "Autorisation d'engager, liquider et mandater les dépenses d'investissement avant le vote "
                     "du budget 2026"),
    ]


def test_seance_minutes_give_one_record_per_deliberated_item_with_the_seance_context():
    records = extracted("commune_pv_seance_numerotee")["deliberations"]
    assert [r["title"] for r in records] == [
        "Subvention au comité des fêtes", "Tarifs de location de la salle des fêtes",
        "Travaux de voirie – rue des Écoles"]
    for r in records:
        assert (r["authority"], r["session_date"], r["session_time"], r["president"], r["secretary"]) == (
            "Commune de Saint-Aubin-des-Prés", "2019-03-14", "20:30", "Claire VASSEUR", "Sylvie CARON")
        assert r["transmission_date"] == "2019-03-20"  # printed once, at the end
    assert records[0]["vote"] == {"unanimous": False, "for": 13, "against": 0, "abstentions": 1, "not_voting": None}
    assert [a["value"] for a in records[0]["amounts"]] == ["1500"]
    assert [a["value"] for a in records[2]["amounts"]] == ["38400"]


def test_seance_arrival_changes_the_attendance_of_later_items_only():
    records = extracted("commune_pv_seance_numerotee")["deliberations"]
    status = [{p["name"]: p["status"] for p in r["attendance"]}["Denis MOREL"] for r in records]
    assert status == ["absent", "present", "present"]
    assert [(r["counts"]["present"], r["counts"]["voters"]) for r in records] == [(12, 14), (13, 15), (13, 15)]


def test_seance_departure_with_proxy_changes_later_items():
    records = extracted("cc_compte_rendu_points")["deliberations"]
    barre = [next(p for p in r["attendance"] if p["name"] == "Cécile BARRE") for r in records]
    assert [(p["status"], p["proxy_to"]) for p in barre] == [("present", None), ("represented", "Élodie FOURNIER")]


def test_seance_items_keep_their_printed_numbers():
    records = extracted("syndicat_registre_deliberations_numerotees")["deliberations"]
    assert [r["number"] for r in records] == ["D2016-05", "D2016-06", "D2016-07"]
    assert [r["vote"]["unanimous"] for r in records] == [True, False, True]


def test_seance_list_gives_one_record_per_row():
    records = extracted("commune_liste_deliberations")["deliberations"]
    assert [r["number"] for r in records] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert {r["session_date"] for r in records} == {"2026-01-27"}
    assert {r["publication_date"] for r in records} == {"2026-01-29"}
    assert records[3]["references"] == [{"number": "2025-31", "date": None, "page": 1}]


def test_seance_single_extract_stays_one_record():
    assert len(extracted("commune_cession_terrain")["deliberations"]) == 1


def test_seance_next_deliberation_starting_on_the_same_page_is_its_own_record():
    records = extracted("commune_deux_deliberations_meme_page")["deliberations"]
    assert [(r["number"], r["pages"]) for r in records] == [("2023-014", [1]), ("2023-015", [1])]
    assert [r["vote"]["unanimous"] for r in records] == [True, False]


def test_seance_items_are_rows_grouped_by_v_seances(tmp_path):
    import sqlite3

    from models.store import open_store

    pdf = SAMPLES / "commune_pv_seance_numerotee.pdf"
    with open_store(f"sqlite:///{tmp_path / 'delib.db'}") as store:
        store.save(extract_document(pdf, ExtractOptions(entities=False)), path=str(pdf),
                   size_bytes=pdf.stat().st_size, mtime=pdf.stat().st_mtime, extractor_version="test")
    db = sqlite3.connect(tmp_path / "delib.db")
    [(seance, deliberations, documents, unanimous, divided)] = db.execute(
        "SELECT seance, deliberations, documents, unanimous, divided FROM v_seances").fetchall()
    assert (deliberations, documents, unanimous, divided) == (3, 1, 2, 1)
    votes = db.execute("SELECT title, votes_for, abstentions FROM v_deliberations WHERE seance = ? "
                       "ORDER BY deliberation_id", (seance,)).fetchall()
    assert votes[0] == ("Subvention au comité des fêtes", 13, 1)
    assert len(votes) == 3


def test_seance_extract_with_numbered_paragraphs_is_not_minutes():
    text = ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nObjet : Tarifs\n\n1. Contexte\nLe tarif voté à l'unanimité "
            "en 2019 n'a pas changé depuis lors, malgré la hausse des coûts.\n\n2. Proposition\nLe Conseil, après en "
            "avoir délibéré, à l'unanimité, FIXE le tarif à 3 € et DIT QUE la recette sera inscrite au budget.\n")
    assert minutes.is_single_extract(text)


def test_minutes_departure_of_several_members_named_without_civility():
    moves = minutes.find_movements("Départ de Maryline et Nelly à 20H50.")
    assert [(m.name, m.status) for m in moves] == [("Maryline", "absent"), ("Nelly", "absent")]


def test_minutes_item_voted_part_by_part_gives_one_deliberation_per_part():
    text = ("1. Budget – Commune :\n- Approbation du compte de gestion 2020\nLe compte est conforme.\n"
            "Vote : pour à l'unanimité\n\n- Approbation du compte administratif 2020\nLe maire quitte la séance.\n"
            "Vote :\n- Pour : 15\n- Abstentions : 3\n\n2. Tarifs\nAdopté à l'unanimité, le conseil fixe les tarifs.\n")
    items = [part for item in minutes.find_items(text) for part in minutes.split_item(item)]
    assert [i.title for i in items] == [
        "Approbation du compte de gestion 2020", "Approbation du compte administratif 2020", "Tarifs"]


def test_minutes_two_items_may_share_a_heading_first_line():
    # A line printed twice is a running title only at pages' tops or feet, or on many pages.
    text = ("MAIRIE DE VILLE\nCOMPTE RENDU DE LA RÉUNION DU CONSEIL MUNICIPAL\nPrésents : M. Paul DURAND\n"
            "Secrétaire de séance : M. Lejop\n\nCompte rendu de la réunion du 28 juin adopté.\n\n"
            "Modification des statuts de la Communauté de Communes\nChangement d'adresse du siège social\n"
            "Le conseil municipal, à l'unanimité, approuve la modification de l'article 2.\n\n"
            "Modification des statuts de la Communauté de Communes\nService d'instruction des actes d'urbanisme\n"
            "Le conseil municipal, à l'unanimité, approuve la création du service.\n\n"
            "Adhésion au service mutualisé du Droit des Sols\n\n"
            "Le conseil municipal, à l'unanimité, approuve la convention d'adhésion.\n\nLa séance est levée.\n"
            "Le secrétaire,\nLe maire,\n")
    items = next(s for s in minutes.item_sets(text) if s[0].style == "paragraph")
    assert [i.title for i in items] == [
        "Modification des statuts de la Communauté de Communes Changement d'adresse du siège social",
        "Modification des statuts de la Communauté de Communes Service d'instruction des actes d'urbanisme",
        "Adhésion au service mutualisé du Droit des Sols",
    ]


def test_minutes_a_long_wrapped_heading_and_items_after_questions_diverses():
    # A heading over three lines ends without a full stop, unlike a paragraph; items printed under
    # "Questions diverses" that the council decides are deliberations too.
    text = ("COMPTE RENDU DE LA RÉUNION DU CONSEIL MUNICIPAL\nPrésents : M. Paul DURAND\n"
            "Secrétaire de séance : M. Lejop\n\nCompte rendu de la réunion du 16 décembre adopté.\n\n"
            "Opposition au transfert de la compétence en matière de PLU, de document d'urbanisme\n"
            "en tenant lieu et de carte communale à la Communauté de Communes du Pays\nNoyonnais\n"
            "Vu le Code Général des Collectivités Territoriales,\nLe conseil municipal décide :\n"
            "Article unique : de s'opposer au transfert.\n\n"
            "Acquisition de terrain – Parcelle C 762\nLe Conseil Municipal décide, à l'unanimité, d'autoriser "
            "Monsieur le Maire à acheter.\n\nQuestions diverses\n\nDemandes de subvention – Budget 2017\n"
            "Pour l'association, le conseil municipal décide d'octroyer une subvention de 100€.\n\n"
            "La séance est levée.\nLe maire,\n")
    document = DocumentText.from_pages([PageText(1, text)])
    record_titles = [r.title for r in assemble_minutes(document, with_entities=False)]
    assert record_titles == [
        "Opposition au transfert de la compétence en matière de PLU, de document d'urbanisme en tenant lieu "
        "et de carte communale à la Communauté de Communes du Pays Noyonnais",
        "Acquisition de terrain – Parcelle C 762",
        "Demandes de subvention – Budget 2017",
    ]


def test_minutes_a_heading_wrapped_after_a_comma():
    text = ("COMPTE RENDU DE LA RÉUNION DU CONSEIL MUNICIPAL\nPrésents : M. Paul DURAND\n"
            "Secrétaire de séance : M. Lejop\n\nCompte rendu de la réunion du 28 juin adopté.\n\n"
            "Avenant n°1 au marché de maîtrise d'œuvre pour une opération d'aménagement de sécurité,\n"
            "voirie, réseaux divers et d'embellissement rue du moulin du chapitre\n"
            "Le contrat initial propose une rémunération de 4.40 pour le maître d'œuvre.\n"
            "Après en avoir délibéré, le conseil municipal à l'unanimité approuve l'avenant.\n\n"
            "Acceptation de recette\nLe conseil municipal à l'unanimité accepte la somme de 37.20 €.\n\n"
            "La séance est levée.\nLe maire,\n")
    items = next(s for s in minutes.item_sets(text) if s[0].style == "paragraph")
    assert [i.title for i in items][:1] == [
        "Avenant n°1 au marché de maîtrise d'œuvre pour une opération d'aménagement de sécurité, voirie, "
        "réseaux divers et d'embellissement rue du moulin du chapitre"]


def test_minutes_headings_marked_by_bullets_that_ocr_read_as_specks():
    # The same bullet read as '*', '"', '“*' or '»*' on different lines: one kind of mark.
    text = ("COMPTE RENDU DU CONSEIL MUNICIPAL\nPrésents : M. Paul DURAND\n\n"
            + "".join(_body(f"{mark} {title}") for mark, title in (
                ("*", "Révision des tarifs"), ("“*", "Convention de voirie"),
                ('"', "Modification du tableau des effectifs"), ("»*", "Révision des droits de place"))))
    items = next(s for s in minutes.item_sets(text) if s[0].style == "glyph")
    assert [i.title for i in items] == ["Révision des tarifs", "Convention de voirie",
                                        "Modification du tableau des effectifs", "Révision des droits de place"]


def test_minutes_scanned_list_codes_misread_by_ocr_follow_the_lists_count():
    # A code that lost its first figure ("0250331-19") still starts its row, not the row above's
    # next line; a code out of shape ("20250331- 0") or out of order ("2026.909") that is the
    # expected one misread is numbered as the count goes.
    text = ("DELIBERATIONS EXAMINEES\nEN SEANCE DU CONSEIL MUNICIPAL\n\nLundi 31 mars 2025\n\n"
            "20250331-01 Budget principal – Approbation du Compte Financier Unique 2024 Unanimité\n"
            " 202$ 20250331- 0 Budget principal — Affectation du résultat\nUnanimité 1\n"
            "20250331-03 Attribution d'une aide aux travaux d'adaptation dans le cadre du PLH à Unanimité\n"
            "Monsieur Mohamed SIOUANE\n"
            " ? 0250331-04 Création d'un emploi non-permanent pour accroissement temporaire d'activité Unanimité\n"
            "Date affichage : 4 avril 2025\n")
    rows = minutes.find_list_rows(text)
    assert [(r.number, r.title) for r in rows] == [
        ("20250331-01", "Budget principal – Approbation du Compte Financier Unique 2024"),
        ("20250331-02", "Budget principal – Affectation du résultat"),
        ("20250331-03", "Attribution d'une aide aux travaux d'adaptation dans le cadre du PLH à Monsieur Mohamed SIOUANE"),
        ("20250331-04", "Création d'un emploi non-permanent pour accroissement temporaire d'activité"),
    ]


def test_minutes_scanned_list_vote_split_by_ocr_and_a_garbled_code():
    text = ("LISTE DES DÉLIBÉRATIONS\nSÉANCE DU CONSEIL MUNICIPAL DU 27 JANVIER 2026\n"
            "2026_008 Convention sur la gestion des hydrants Approuvée\n"
            "Autorisation d'engager, liquider et mandater les dépenses A\n"
            "2026.909 d'investissement avant le vote du budget 2026 pprouvée\n\n"
            "2026 010 Subvention Parking Sabatier II Approuvée\n\n"
            "Création et recrutement de contrats d'engagement éducatif (CEE) A\n"
            "2028911 pour les accueils de loisirs 2026 RPHOUVES\nre : : :\n\n"
            "Affichage : 28/01/2026\n")
    rows = minutes.find_list_rows(text)
    assert [(r.number, r.title) for r in rows] == [
        ("2026_008", "Convention sur la gestion des hydrants"),
        ("2026_009", "Autorisation d'engager, liquider et mandater les dépenses d'investissement avant le vote "
                     "du budget 2026"),
        ("2026_010", "Subvention Parking Sabatier II"),
        ("2026_011", "Création et recrutement de contrats d'engagement éducatif (CEE) pour les accueils de loisirs 2026"),
    ]


def test_minutes_list_codes_skipping_a_withdrawn_item_are_kept_as_printed():
    text = ("LISTE DES DÉLIBÉRATIONS\nSÉANCE DU CONSEIL MUNICIPAL DU 27 JANVIER 2026\n"
            "2026_008 Convention sur la gestion des hydrants Approuvée\n"
            "2026_010 Subvention Parking Sabatier II Approuvée\n"
            "Affichage : 28/01/2026\n")
    assert [r.number for r in minutes.find_list_rows(text)] == ["2026_008", "2026_010"]
