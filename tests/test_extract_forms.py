"""Common real wordings that an independent set of extracts (bench/varied_extracts.py) found
delib missing: one short French text each, and the value it must give."""
from __future__ import annotations

import pytest

from extractors.people import find_attendance


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
