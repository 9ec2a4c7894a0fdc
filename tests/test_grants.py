"""Who receives a sum: pairs the text states (a sentence or a table row), and nothing else."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import cache

import pytest

from extractors.amounts import find_amounts
from extractors.grants import distinct_amounts, find_beneficiaries
from models.records import DocumentText
from pipeline.publish.serialize import decimal_text
from pipeline.read.pdf import read_pages
from tests.conftest import CORPUS, SAMPLES, sample_pdfs


def pairs(text: str) -> list[tuple[str, str | None]]:
    """(sum as written, receiver) for every sum of `text`, in order."""
    found = find_amounts(text)
    return [(a.text, b.name if b else None) for a, b in zip(found, find_beneficiaries(text, found))]


# -- sentences ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "beneficiary"),
    [
        ("DÉCIDE de verser une subvention de 2 880 € à l'association Mont Blanc Industries.",
         "association Mont Blanc Industries"),
        ("AUTORISE le versement d'une subvention de 42 000 € à Mont Blanc Industries, pour le soutien au label",
         "Mont Blanc Industries"),
        ("Il est proposé de verser une subvention de 400 € à l'Association Saint Louis Poissy.",
         "Association Saint Louis Poissy"),
        ("d'une subvention de fonctionnement de 10 000 € au CCAS.", "CCAS"),
        ("- attribue une subvention de 5 500 € à l'association « Vignobles Forez Roannais, Aux Racines de la "
         "Loire », dans le cadre de", "association « Vignobles Forez Roannais, Aux Racines de la Loire »"),
        ("Approuvé l'attribution d'une aide de 1 257,00 € à la SASU Eric MARCHAND, sous réserve de",
         "SASU Eric MARCHAND"),
        ("une participation de 1 500 € versée à la Commune de Cessy pour les travaux", "Commune de Cessy"),
        ("une subvention de 600 € en faveur du Comité des fêtes de Thoiry ;", "Comité des fêtes de Thoiry"),
        ("- DÉCIDE de verser au SIEA un fonds de concours de 37 830,00 € ;", "SIEA"),
        ("DÉCIDE d'attribuer à l'association Les Amis du Salève une subvention de 1 500 € pour 2021",
         "association Les Amis du Salève"),
        ("le don de 50 € au CCAS.", "CCAS"),
        ("une cotisation annuelle pour l'année 2021 à hauteur de 2 880 € auprès de Mont Blanc Industries ;",
         "Mont Blanc Industries"),
        ("accepte de verser une dotation exceptionnelle de\n2500 euros à l'USYP.", "USYP"),
    ],
)
def test_grants_sentence_pairs_a_sum_with_its_receiver(text: str, beneficiary: str) -> None:
    assert [b for _, b in pairs(text)] == [beneficiary]


@pytest.mark.parametrize(
    "text",
    [
        # a request names who is asked to pay
        "La commune sollicite une subvention de 5 000 € auprès du Département.",
        "Il propose de demander une participation de 50 € au lycée horticole pour les frais.",
        "l'association a sollicité une subvention de 44 000 euros à la Ville.",
        # no grant, or no receiver
        "Le coût du projet est estimé à 385 000 € HT à la charge de la commune.",
        "d'attribuer une subvention d'un montant de 20 000 € pour le festival « Les boutographies »",
        "une subvention de 3 000 € au titre de l'année 2021",
        "une subvention de 3 000 € au budget annexe de l'eau",
        "une subvention de 3 000 € à compter du 1er janvier",
        "une subvention de 3 000 € à l'article 6574",
        "une subvention totale de 12 000 € aux associations sportives",
        "verser une subvention de 800 € à l'association.",
        # a price is paid by the buyer to the commune
        "vend à la SCI Les Pins la parcelle AB 123 au prix de 150 000 €.",
        "Total des subventions : 14 350 € à répartir",
    ],
)
def test_grants_no_receiver_where_the_text_names_none(text: str) -> None:
    assert all(b is None for _, b in pairs(text)), pairs(text)


def test_grants_the_receiver_stops_before_the_next_sum() -> None:
    text = "verse une subvention de 400 € à l'Amicale des pompiers et de 300 € au Club de foot de Thoiry."
    assert pairs(text) == [("400 €", "Amicale des pompiers"), ("300 €", "Club de foot de Thoiry")]


def test_grants_span_points_at_the_name() -> None:
    text = "une subvention de 2 880 € à l'association Mont Blanc Industries."
    found = find_amounts(text)
    (beneficiary,) = find_beneficiaries(text, found)
    assert text[beneficiary.start:beneficiary.end] == "association Mont Blanc Industries"


# -- tables ---------------------------------------------------------------------------------------

MONTPELLIER_2013 = """Les sommes allouées se répartissent comme suit :
CODE STRUCTURE Nature Montant
5417 ASSOCIATION DU SALON DES METIERS ET DES PROFESSIONNELS DE L'ECOLOGIE P 500 €
3620 UNIVERSITE MONTPELLIER I P 1 500 €
425 FRANCE ALGERIE MEDITERRANEE P 300 €
425 FRANCE ALGERIE MEDITERRANEE P 300 €
1005 ARTISANS DU MONDE F 200 €1073 FRANCE-ISRAEL - ALLIANCE GENERAL KOENIG F 500 €
COUP DE SOLEIL LANGUEDOC-ROUSSILLON ASSOCIATION CULTURELLE FRANCE
2984 P 700 €
MAGHREB
3342 MONTPELLIER HERAULT QUEBEC P 900 €
Total 4 900 €
Les crédits seront prélevés sur la ligne 2375, nature 6574, chapitre 928.
"""


def test_grants_table_rows_with_a_code_and_a_nature_column() -> None:
    assert pairs(MONTPELLIER_2013) == [
        ("500 €", "ASSOCIATION DU SALON DES METIERS ET DES PROFESSIONNELS DE L'ECOLOGIE"),
        ("1 500 €", "UNIVERSITE MONTPELLIER I"),
        ("300 €", "FRANCE ALGERIE MEDITERRANEE"),
        ("300 €", "FRANCE ALGERIE MEDITERRANEE"),
        ("200 €", "ARTISANS DU MONDE"),  # two rows run together on one line
        # next to a wrapped name: the line below might be the end of this row's name
        ("500 €", None),
        # a name wrapped around its row: which line belongs to which row is no longer said
        ("700 €", None),
        ("900 €", None),
        ("4 900 €", None),  # a total is never a grant
    ]


def test_grants_every_table_row_is_a_grant_of_its_own() -> None:
    kept = [(str(a.value), b.name if b else None) for a, b in distinct_amounts(MONTPELLIER_2013)]
    assert kept.count(("300", "FRANCE ALGERIE MEDITERRANEE")) == 2
    assert ("4900", None) in kept


MONTPELLIER_2014 = """1) Attributions de subventions dans le cadre de la qualité de l'espace public :Code Structure Nature Nom du projet Montant

4031 ETAT DES LIEUX F 500 €

5667 LE VOILE DE NEPTUNE P FETE DE LA BIODIVERSITE 500 €

344 TERRE NOURRICIERE F 1 500 €

ASSOCIATION CULTURELLE JUDEO

1907 MUSULMANE DU LANGUEDOC F 500 €

ROUSSILLON

Total 3 000 €
"""


def test_grants_table_with_a_project_column_after_the_nature() -> None:
    assert pairs(MONTPELLIER_2014) == [
        ("500 €", "ETAT DES LIEUX"),
        ("500 €", "LE VOILE DE NEPTUNE"),
        ("1 500 €", None),  # the next line may be the first line of this row's name
        ("500 €", None),  # the middle line of a three-line name
        ("3 000 €", None),
    ]


def test_grants_two_column_table_with_notes_between_rows() -> None:
    text = ("ASSOCIATIONS Subventions 2021\n\nUnion nationale des combattants (U.N.C.) 320 €\n\n"
            "Vote : pour à l'unanimité\n\nBols d'air 400 €\n\nVote : pour à l'unanimité\n")
    assert pairs(text) == [("320 €", "Union nationale des combattants (U.N.C.)"), ("400 €", "Bols d'air")]


def test_grants_no_pairs_where_another_text_column_sits_between_name_and_sum() -> None:
    text = ("Association Objet Montant\nFootball Club de Thoiry Fonctionnement – école de 4 500 €\nfootball\n"
            "Tennis Club Thoiry-Saint-Genis Fonctionnement 1 800 €\nTOTAL 6 300 €\n")
    assert [b for _, b in pairs(text)] == [None, None, None]


# -- samples and real documents ---------------------------------------------------------------------

@cache
def text_of(path) -> str:
    return DocumentText.from_pages(read_pages(path, path.read_bytes(), ocr="never")).text


def expected_beneficiaries(sample: str) -> set[tuple[str, str]]:
    """(value, beneficiary) pairs the hand-checked expected file of a sample states."""
    expected = json.loads((SAMPLES / f"{sample}.expected.json").read_text(encoding="utf-8"))
    return {(a["value"], a["beneficiary"]) for d in expected["deliberations"] for a in d["amounts"]
            if a.get("beneficiary")}


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_grants_every_sample_gives_the_pairs_its_expected_file_states(pdf) -> None:
    found = distinct_amounts(text_of(pdf))
    assert {(decimal_text(a.value), b.name) for a, b in found if b} == expected_beneficiaries(pdf.stem)


def test_grants_samples_state_the_pairs_of_sentences_not_of_the_three_column_table() -> None:
    assert expected_beneficiaries("seed_genevois_cs2021-15") == {
        ("2880", "Mont Blanc Industries"), ("42000", "Mont Blanc Industries")}
    # "Association | Objet | Montant": plain text cannot tell where the name ends and the object starts
    assert expected_beneficiaries("commune_subventions_associations") == set()


def real(name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus/real is not here")
    return {(str(a.value), b.name if b else None) for a, b in distinct_amounts(text_of(path))}


def test_grants_real_montpellier_2013_subsidy_tables() -> None:
    found = real("mtp_2013-02-04-0000061123.pdf")
    assert {("700", "UNICEF"), ("100000", "MAISON DE MONTPELLIER A CHENGDU"), ("35000", "ASPTT MONTPELLIER"),
            ("1500", "UNIVERSITE MONTPELLIER I")} <= found
    named = [b for _, b in found if b]
    assert len(named) > 250
    assert not [b for b in named if b.lower().startswith(("total", "les crédits", "chapitre"))]


def test_grants_real_montpellier_2014_wrapped_names_stay_unpaired() -> None:
    found = real("mtp_2014-02-17_AttribSub_0000069468.pdf")
    assert {("500", "LE VOILE DE NEPTUNE"), ("70000", "MONTPELLIER HANDBALL"), ("86000", "MUC OMNISPORTS")} <= found
    beneficiaries = {b for _, b in found}
    assert not beneficiaries & {"FONTCOUVERTE ET RUES", "MUSULMANE DU LANGUEDOC", "CULTURELLE CROIX D'ARGENT"}


def test_grants_real_roannais_minutes_sentences() -> None:
    found = real("roannais-agglo_PV_2021-10-28.pdf")
    assert {("5500", "association « Vignobles Forez Roannais, Aux Racines de la Loire »"),
            ("16540", "association « Les Tables Roannaises »")} <= found


def test_grants_real_chapter_figure_is_never_a_grant() -> None:
    found = real("mtp_2013-03-25-0000062241.pdf")
    assert not any(value == str(Decimal("925217800")) for value, _ in found)
    assert ("217800", None) in found


@pytest.mark.parametrize(
    "text",
    [
        "une subvention de 1 000 € à " * 4000,  # a 100 kB line of pairs
        "ASSOCIATION DES AMIS " * 5000,  # capitals without a line end
        "Association Montant\n" + "".join(f"CLUB {i} {i} €\n" for i in range(3000)),
        "".join(chr(33 + (i * 7919) % 90) for i in range(100_000)),  # OCR garbage
        "verse à " * 12_000,
    ],
    ids=["pairs", "capitals", "long-table", "garbage", "prepositions"],
)
def test_grants_cost_stays_linear_on_hostile_text(text: str) -> None:
    import time

    start = time.perf_counter()
    distinct_amounts(text)
    assert time.perf_counter() - start < 15  # seconds, on a loaded machine; quadratic would be minutes
