"""Attendance lists, president and secretary, in the syndicats' and the communes' styles."""
from __future__ import annotations

import pytest

from extractors.names import clean_name, normalize_name, split_civility
from extractors.people import find_attendance, find_president, find_secretary


def statuses(text: str) -> dict[str, tuple]:
    return {a.name: (a.status, a.civility, a.substitute_for, a.proxy_to) for a in find_attendance(text)}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("M. Vincent SCATTOLIN", "Vincent SCATTOLIN"),
        ("Mme Pauline PLAGNAT-CANTOREGGI", "Pauline PLAGNAT-CANTOREGGI"),
        ("M Patrick ANTOINE", "Patrick ANTOINE"),
        ("Monsieur CHARRIER Jean-Paul, Maire", "CHARRIER Jean-Paul"),
        ("M.CHARRIER Jean-Paul Maire", "CHARRIER Jean-Paul"),
        ("Audrey DE LA GRANGE", "Audrey DE LA GRANGE"),
        ("Mme Sophie d'ORMESSON", "Sophie d'ORMESSON"),
        ("Denis MAIRE", "Denis MAIRE"),
        ("Jean-Pierre (Pr*)", "Jean-Pierre"),
        ("le Maire", None),
    ],
)
def test_people_clean_name_keeps_particles_and_drops_roles(text, name):
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("text", "civility", "plural"),
    [("M. A", "M.", False), ("Mme B", "Mme", False), ("MM. C", "M.", True), ("Mmes D", "Mme", True),
     ("Madame E", "Mme", False), ("MARTIN Paul", None, False)],
)
def test_people_civility_is_normalised(text, civility, plural):
    got, _, is_plural = split_civility(text)
    assert (got, is_plural) == (civility, plural)


def test_people_normalized_name_ignores_case_accents_and_hyphens():
    assert normalize_name("Jean-Claude GÉORGET") == normalize_name("jean claude georget")


def test_people_syndicat_style_lists():
    text = (
        "• Délégués titulaires :\n\nM. Vincent SCATTOLIN – Mme Claire CHUINARD – M. Cyril\nDEMOLIS\n\n"
        "• Délégués suppléants :\n\nMme Annick GROSROYAT, suppléante de M. Philippe NOUVELLE\n\n"
        "• Délégués représentés :\n\nM. François DEVILLE donne pouvoir à M. Cyril DEMOLIS\n\n"
        "• Délégués excusés :\n\nM. Philippe NOUVELLE – M. François DEVILLE – M. Yves CHEMINAL\n"
    )
    assert statuses(text) == {
        "Vincent SCATTOLIN": ("present", "M.", None, None),
        "Claire CHUINARD": ("present", "Mme", None, None),
        "Cyril DEMOLIS": ("present", "M.", None, None),
        "Annick GROSROYAT": ("present", "Mme", "Philippe NOUVELLE", None),
        "Philippe NOUVELLE": ("excused", "M.", None, None),
        "François DEVILLE": ("represented", "M.", None, "Cyril DEMOLIS"),
        "Yves CHEMINAL": ("excused", "M.", None, None),
    }


def test_people_municipal_style_with_plural_civilities():
    text = (
        "Étaient présents : Mmes Anne MARTIN, Lucie BON, MM. Paul DURAND, Marc PETIT.\n"
        "Absents ayant voté par procuration : Mme Julie ROUX (pouvoir à M. Paul DURAND).\n"
        "Absents excusés : M. Louis BLANC.\nAbsents : Mme Rose NOIR.\n\nLe Conseil municipal,"
    )
    assert statuses(text) == {
        "Anne MARTIN": ("present", "Mme", None, None),
        "Lucie BON": ("present", "Mme", None, None),
        "Paul DURAND": ("present", "M.", None, None),
        "Marc PETIT": ("present", "M.", None, None),
        "Julie ROUX": ("represented", "Mme", None, "Paul DURAND"),
        "Louis BLANC": ("excused", "M.", None, None),
        "Rose NOIR": ("absent", "Mme", None, None),
    }


def test_people_a_member_with_a_proxy_listed_as_excused_is_represented():
    text = "Excusés : M. Jean VIDAL, Mme Eve ROCHE\nPouvoirs : M. Jean VIDAL à Mme Ana COSTA\n"
    found = statuses(text)
    assert found["Jean VIDAL"] == ("represented", "M.", None, "Ana COSTA")
    assert found["Eve ROCHE"][0] == "excused"


def test_people_count_lines_are_not_lists():
    assert find_attendance("Membres présents : 31\nPouvoirs : 4\n") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("s'est réuni en visioconférence, sous la présidence de Christian DUPESSEY,", "Christian DUPESSEY"),
        ("sous la présidence de Monsieur le Maire, Philippe SAUREL.", "Philippe SAUREL"),
        ("sous la présidence de Monsieur CHARRIER Jean-Paul, Maire.", "CHARRIER Jean-Paul"),
        ("sous la présidence de Mme Anne DUBOIS, Vice-présidente,", "Anne DUBOIS"),
        ("Le conseil s'est réuni en mairie.", None),
    ],
)
def test_people_president(text, name):
    found = find_president(text)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Secrétaire de séance : Pierre-Jean CRASTES", "Pierre-Jean CRASTES"),
        ("Secrétaire de séance : Mme BOTTEMINE Charlotte.", "BOTTEMINE Charlotte"),
        ("Mme Claire ROUX a été désignée secrétaire de séance.", "Claire ROUX"),
        ("M. Paul NOËL est désigné comme secrétaire de séance.", "Paul NOËL"),
        ("Le secrétaire général assiste à la séance.", None),
    ],
)
def test_people_secretary(text, name):
    found = find_secretary(text)
    assert (found.name if found else None) == name
