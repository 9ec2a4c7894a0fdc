"""Born-digital séance minutes: how items are cut and numbered (issue #11, held-out born-digital
minutes): ordinals listed in the agenda, a symbol font's dash, a title marked without its number,
budget tables, labels printed twice, lower-case operative verbs."""
from extractors import decisions, minutes

_VOTED = "Le Conseil Municipal, après en avoir délibéré, à l'unanimité,\n- APPROUVE la proposition.\n\n"


def test_ordinals_listed_in_the_agenda_and_the_body_number_the_items():
    agenda = "Ordre du jour :\n1. Tarifs de la cantine\n2. Contrat enfance jeunesse\n\n"
    body = "".join(f"{n}. {title}\nMadame le maire présente le dossier aux conseillers.\n{_VOTED}"
                   for n, title in ((1, "Tarifs de la cantine"), (2, "Contrat enfance jeunesse")))
    assert [(i.number, i.title) for i in minutes.find_items(agenda + body)] == [
        ("1", "Tarifs de la cantine"), ("2", "Contrat enfance jeunesse")]


def test_ordinals_printed_in_the_body_only_number_nothing():
    body = "".join(f"{n}) {title}\n{_VOTED}" for n, title in ((1, "Tarifs de la cantine"), (2, "Contrat enfance")))
    assert [i.number for i in minutes.find_items(body)] == [None, None]


def test_a_symbol_fonts_dash_marks_a_voted_part_as_the_printed_dash_does():
    text = ("1. Budget – Commune :\n- Approbation du compte de gestion\nVote : pour à l'unanimité\n"
            "\uf02d Vote du taux des taxes communales\nVote : pour à l'unanimité\n"
            "- Budget primitif 2021\nVote :\n- Pour : 15\n")
    item = minutes.Item(start=0, end=len(text), text=text, body=text.index("\n") + 1, number="1",
                        title="Budget – Commune", style="dot")
    assert [p.title for p in minutes.split_item(item)] == [
        "Approbation du compte de gestion", "Vote du taux des taxes communales", "Budget primitif 2021"]


def test_a_marked_title_without_its_number_after_an_items_decision_starts_an_item():
    def numbered(n, title):
        return f"Délibération n°20190708-0{n}\n\n\x01 {title}\n\nExposé du dossier par le maire.\n\n{_VOTED}"
    text = (numbered(1, "Remboursement de frais") + "\x01 Modification du tableau des effectifs\n\n"
            "Exposé du dossier par le maire.\n\n" + _VOTED + numbered(3, "Vente d'un terrain"))
    assert [(i.number, i.title) for i in minutes.find_items(text)] == [
        ("20190708-01", "Remboursement de frais"), (None, "Modification du tableau des effectifs"),
        ("20190708-03", "Vente d'un terrain")]


def test_a_marked_line_inside_the_exposé_or_the_operative_part_starts_no_item():
    text = ("Délibération n°20150706-01\n\n\x01 Tarifs de la bibliothèque\n\nLes tarifs étaient :\n"
            "\x01 Famille : 10 €, Moins de 16 ans : gratuit\n\n" + _VOTED
            + "Délibération n°20150706-02\n\n\x01 Arrêt du PLU\n\n" + _VOTED + "\x01 Moyens d'information utilisés\n\n"
            "Affichage en mairie et articles dans le bulletin municipal.\n\n")
    assert [i.title for i in minutes.find_items(text)] == ["Tarifs de la bibliothèque", "Arrêt du PLU"]


def test_a_budget_printed_as_tables_only_is_deliberated():
    text = ("SERVICE ASSAINISSEMENT – BUDGET PRIMITIF 2010\nSection de fonctionnement\nDEPENSES RECETTES\n"
            "Crédits votés au titre du budget 2010 50 533 € 54 177 €\nTOTAL 54 177 € 54 177 €\n")
    item = minutes.Item(start=0, end=len(text), text=text, body=text.index("\n"), number=None,
                        title="SERVICE ASSAINISSEMENT – BUDGET PRIMITIF 2010", style="paragraph")
    assert minutes.is_deliberated(item, has_vote=False, has_decision=False)
    info = minutes.Item(start=0, end=20, text="Festival de Folklore\nUn spectacle aura lieu le 4 juillet.",
                        body=20, number=None, title="Festival de Folklore", style="paragraph")
    assert not minutes.is_deliberated(info, has_vote=False, has_decision=False)


def test_an_item_that_calls_itself_the_present_deliberation_is_deliberated():
    text = ("Travaux sur le réseau d'eaux pluviales\nUn drain sera posé jusqu'à la rivière.\n"
            "Monsieur le maire est chargé de l'exécution de la présente délibération.")
    item = minutes.Item(start=0, end=len(text), text=text, body=38, number=None,
                        title="Travaux sur le réseau d'eaux pluviales", style="paragraph")
    assert minutes.is_deliberated(item, has_vote=False, has_decision=False)


def _verbs(text):
    return [d.verb for d in decisions.find_decisions(text)]


def test_lower_case_verbs_of_the_assembly_are_operative():
    assert _verbs("Le conseil municipal, à l'unanimité, déclare soutenir cette pétition.") == ["DÉCLARE"]
    assert _verbs("Le conseil municipal de Ville sollicite une subvention de 20 000 €.") == ["SOLLICITE"]
    assert _verbs("Après en avoir délibéré, le conseil municipal, à l'unanimité, considérant qu'il n'y a "
                  "pas de besoins, décide de ne pas donner suite.") == ["DÉCIDE"]
    assert _verbs("Le Conseil Municipal, après en avoir délibéré :\n• propose de choisir la répartition.\n"
                  "• indique qu'une information sera faite.\n") == ["PROPOSE", "INDIQUE"]


def test_a_verb_opening_the_line_after_the_recitals_is_operative():
    text = ("- Vu l'arrêté constitutif de la régie ;\n- Vu l'arrêté du 24 décembre 2012 ;\n"
            "Décide, à l'unanimité, de modifier l'article 4 de l'arrêté constitutif.\n")
    assert _verbs(text) == ["DÉCIDE"]
