"""Common real wordings that an independent set of extracts (bench/varied_extracts.py) found
delib missing: one short French text each, and the value it must give."""
from __future__ import annotations

import pytest

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
