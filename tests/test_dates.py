"""Dates in deliberations: forms, times, roles, and what must never be read as a date."""
from __future__ import annotations

import datetime

import pytest

from extractors.dates import DateMention, find_dates, parse_date_words

D = datetime.date


def _only(text: str) -> DateMention:
    mentions = find_dates(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("transmis en Préfecture d'Annecy le 30/04/21", D(2021, 4, 30)),
        ("le 12/05/95", D(1995, 5, 12)),
        ("le 01/01/69", D(2069, 1, 1)),
        ("le 01/01/70", D(1970, 1, 1)),
        ("le 15/04/2021", D(2021, 4, 15)),
        ("le 15.04.2021.", D(2021, 4, 15)),
        ("le 15-04-2021", D(2021, 4, 15)),
        ("le 5/4/2021", D(2021, 4, 5)),
        ("date : 2021-04-15", D(2021, 4, 15)),
    ],
)
def test_dates_numeric_form(text: str, expected: datetime.date) -> None:
    assert _only(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Séance du 22 avril 2021", D(2021, 4, 22)),
        ("Convocation du : 15 avril 2021", D(2021, 4, 15)),
        ("le 1er juillet 2020", D(2020, 7, 1)),
        ("le 1 er juillet 2020", D(2020, 7, 1)),
        ("jeudi 24 avril 2014", D(2014, 4, 24)),
        ("24 AVRIL 2014", D(2014, 4, 24)),
        ("le 3 févr. 2020", D(2020, 2, 3)),
        ("le 3 fevrier 2020", D(2020, 2, 3)),
        ("le 15 aout 2020", D(2020, 8, 15)),
        ("le 15 août 2020", D(2020, 8, 15)),
        ("le 2 decembre 2019", D(2019, 12, 2)),
        ("le 7 sept. 2020", D(2020, 9, 7)),
        ("lors de sa séance du 28 septembre 2018 (délibération n° CS-2018-30)", D(2018, 9, 28)),
    ],
)
def test_dates_month_name_form(text: str, expected: datetime.date) -> None:
    assert _only(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'an deux mil vingt et un, le vingt-deux avril", D(2021, 4, 22)),
        ("L'an deux mille quatorze et le vingt-quatre avril", D(2014, 4, 24)),
        ("L’an deux mille vingt, le premier juillet", D(2020, 7, 1)),
        ("L'AN DEUX MILLE VINGT-ET-UN LE TRENTE ET UN MARS", D(2021, 3, 31)),
        ("L'an deux mil dix-neuf, le douze du mois de décembre", D(2019, 12, 12)),
        ("L'an 2021, le 22 avril", D(2021, 4, 22)),
        ("le premier juillet deux mille vingt", D(2020, 7, 1)),
        ("le vingt-deux avril de l'an deux mille vingt et un", D(2021, 4, 22)),
        ("le onze mai mille neuf cent quatre-vingt-quinze", D(1995, 5, 11)),
    ],
)
def test_dates_words_form(text: str, expected: datetime.date) -> None:
    assert _only(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected", "time"),
    [
        ("L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures le Comité syndical",
         D(2021, 4, 22), "18:00"),
        ("Le jeudi vingt-deux avril deux mille vingt et un à dix-huit heures trente",
         D(2021, 4, 22), "18:30"),
        ("le 3 mars 2020 à vingt heures et demie", D(2020, 3, 3), "20:30"),
        ("le 3 mars 2020 à neuf heures et quart", D(2020, 3, 3), "09:15"),
    ],
)
def test_dates_words_form_with_time(text: str, expected: datetime.date, time: str) -> None:
    mention = _only(text)
    assert (mention.value, mention.time) == (expected, time)


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Séance du 15/04/2021 à 18h30", "18:30"),
        ("Séance du 15/04/2021 à 20 h 00", "20:00"),
        ("Séance du 15 avril 2021 à 18 heures 30", "18:30"),
        ("Séance du 15 avril 2021, à 9h", "09:00"),
        ("Séance du 15 avril 2021 à 18:45", "18:45"),
        ("Séance du 15 avril 2021 à midi", "12:00"),
        ("Séance du 15 avril 2021", None),
        ("Séance du 15 avril 2021 à 18 habitants", None),
    ],
)
def test_dates_time_attached(text: str, time: str | None) -> None:
    assert _only(text).time == time


def test_dates_time_is_part_of_the_span() -> None:
    assert _only("Séance du 15/04/2021 à 18h30.").text == "15/04/2021 à 18h30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 3O/04/2021", D(2021, 4, 30)),
        ("le 30 /04/ 2021", D(2021, 4, 30)),
        ("le l5/04/2O21", D(2021, 4, 15)),
        ("le 1I/04/2021", D(2021, 4, 11)),
    ],
)
def test_dates_ocr_noise_in_numeric_form(text: str, expected: datetime.date) -> None:
    assert _only(text).value == expected


@pytest.mark.parametrize(
    "text",
    [
        "le 31/02/2021",
        "le 30 février 2021",
        "le 32 mars 2021",
        "le 15/13/2021",
        "034-213401722-20140424-0000071248-DE",
        "délibération n° CS2021-15",
        "délibération n° 2021-04-15",
        "article L.2121-29 du CGCT",
        "article 6574",
        "à hauteur de 2 880 €",
        "1.250.000,00 euros",
        "2.114,53 €",
        "Tél. 04.50.12.34.56",
        "Tél. 04 50 12 34 56",
        "la convention cadre 2018-2020",
        "version 4.0.1",
        "le 15 Février",
        "15/04-2021",
        "au cours de l'année 2021",
        "le 12 mai 1234",
    ],
)
def test_dates_negatives_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Séance du 22 avril 2021", "session"),
        ("L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures", "session"),
        ("le conseil municipal s'est réuni le 22 avril 2021", "session"),
        ("régulièrement convoqué, s'est réuni le 22/04/2021 sous la présidence", "session"),
        ("Convocation du : 15 avril 2021", "convocation"),
        ("Date de convocation : 15/04/2021", "convocation"),
        ("Date de convocation :\n15/04/2021", "convocation"),
        ("dûment convoqué le 15 avril 2021", "convocation"),
        ("transmis en Préfecture d'Annecy le 30/04/21", "transmission"),
        ("Reçu en préfecture le 30/04/2021", "transmission"),
        ("Envoyé en préfecture le 30/04/2021", "transmission"),
        ("Accusé de réception - Ministère de l'Intérieur 30/04/2021", "transmission"),
        ("Réception en préfecture : 30/04/2021", "transmission"),
        ("Envoi Préfecture : 30/04/2021", "transmission"),
        ("transmis au contrôle de légalité le 30/04/2021", "transmission"),
        ("Télétransmis le 30/04/2021", "transmission"),
        ("reçu à la sous-préfecture de Gex le 30/04/2021", "transmission"),
        ("Publié ou notifié le 30/04/21", "publication"),
        ("Affiché le 2 mai 2021", "publication"),
        ("Date d'affichage : 02/05/2021", "publication"),
        ("Notifié le 02/05/2021", "publication"),
        ("mis en ligne le 02/05/2021", "publication"),
        ("Publication : 02/05/2021", "publication"),
        ("Vu le budget primitif adopté le 02/05/2021", None),
    ],
)
def test_dates_role_from_preceding_cue(text: str, role: str | None) -> None:
    assert _only(text).role == role


@pytest.mark.parametrize("text", [
    "Le vingt-neuf juin deux mille vingt et un à vingt heures, le conseil municipal s'est réuni en séance",
    "Le 12 mars 2019, à 20 h 30, les membres du conseil municipal se sont réunis à la mairie",
])
def test_dates_role_from_the_meeting_verb_after_the_date(text: str) -> None:
    assert find_dates(text)[0].role == "session"


def test_dates_role_meeting_verb_in_another_sentence_is_ignored() -> None:
    assert _only("Vu le budget adopté le 02/05/2021. Le conseil s'est réuni ensuite").role is None


def test_dates_role_nearest_cue_wins() -> None:
    text = "convoqué le 15/04/2021, le conseil s'est réuni le 22/04/2021"
    assert [m.role for m in find_dates(text)] == ["convocation", "session"]


def test_dates_role_cue_in_another_clause_is_ignored() -> None:
    assert _only("Publié sur le site. Le budget a été voté le 02/05/2021").role is None


def test_dates_role_cue_too_far_is_ignored() -> None:
    assert _only("Séance" + " x" * 50 + " 22/04/2021").role is None


def test_dates_seed_page_in_order_with_roles() -> None:
    text = (
        "Séance du 22 avril 2021\n\n"
        "L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures le Comité syndical, "
        "dûment convoqué, s'est réuni en visioconférence,\n\n"
        "Convocation du : 15 avril 2021\n\n"
        "Le Président certifie le caractère exécutoire du présent acte "
        "transmis en Préfecture d'Annecy le 30/04/21\n\n"
        "Publié ou notifié le 30/04/21\n"
    )
    found = [(m.value, m.time, m.role) for m in find_dates(text)]
    assert found == [
        (D(2021, 4, 22), None, "session"),
        (D(2021, 4, 22), "18:00", "session"),
        (D(2021, 4, 15), None, "convocation"),
        (D(2021, 4, 30), None, "transmission"),
        (D(2021, 4, 30), None, "publication"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Séance du 22 avril 2021, convocation du 15/04/2021, publié le 2021-04-30.",
        "L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures ; reçu le 3O /04/ 2021",
    ],
)
def test_dates_offsets_point_into_text(text: str) -> None:
    mentions = find_dates(text)
    assert mentions
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text


def test_dates_in_text_order_without_overlap() -> None:
    mentions = find_dates("le 30/04/21 puis le 1er mai 2021 et le 2021-05-02")
    assert [m.value for m in mentions] == [D(2021, 4, 30), D(2021, 5, 1), D(2021, 5, 2)]
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'an deux mil vingt et un, le vingt-deux avril à dix-huit heures", (D(2021, 4, 22), "18:00")),
        ("L'an deux mille quatorze et le vingt-quatre avril", (D(2014, 4, 24), None)),
        ("le premier juillet deux mille vingt", (D(2020, 7, 1), None)),
        ("Le jeudi vingt-deux avril deux mille vingt et un à dix-huit heures trente",
         (D(2021, 4, 22), "18:30")),
        ("le trente février deux mille vingt", None),
        ("sans date", None),
    ],
)
def test_dates_parse_date_words(text: str, expected: tuple[datetime.date, str | None] | None) -> None:
    assert parse_date_words(text) == expected


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Un avis d'appel public à la concurrence a été publié au BOAMP le 21 novembre 2013.", None),
        ("L'avis a été publié dans la presse le 3 mai 2021.", None),
        ("Acte publié le 21 novembre 2013.", "publication"),
    ],
)
def test_dates_a_notice_published_elsewhere_is_not_the_acts_publication(text, role):
    assert [d.role for d in find_dates(text)] == [role]


def test_dates_role_cue_names_only_the_first_date_after_it() -> None:
    text = ("Date de convocation : 15/05/2017\n"
            "Le vingt-cinq mai deux mille dix-sept, à vingt heures quarante-cinq, le Comité syndical du\n"
            "SIVOM du canton de Saint-Martin-sur-Mer s'est réuni en visioconférence")
    assert [(m.value, m.time, m.role) for m in find_dates(text)] == [
        (D(2017, 5, 15), None, "convocation"), (D(2017, 5, 25), "20:45", "session")]


@pytest.mark.parametrize("text", [
    "Le premier avril deux mille vingt-quatre, à dix-huit heures trente, le Conseil municipal\n"
    "de la Commune de Roussillon-sur-Loire, dûment convoqué le 25/03/2024, s'est réuni au lieu habituel",
    "Le vingt-trois février deux mille treize, à dix-sept heures trente, le Conseil métropolitain de Montaigu\n"
    "Métropole, légalement convoqué le dix-neuf février deux mille treize, s'est réuni dans la salle",
])
def test_dates_role_a_date_opening_the_meeting_sentence_reaches_its_verb(text: str) -> None:
    assert [m.role for m in find_dates(text)] == ["session", "convocation"]


def test_dates_role_a_date_inside_a_sentence_does_not_reach_a_far_verb() -> None:
    text = ("Vu la délibération du 12 mars 2021 portant création du service commun, modifiée par "
            "avenant et complétée par une convention de mise à disposition, le conseil s'est réuni")
    assert find_dates(text)[0].role is None


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Convoéation du 22/02/2025", "convocation"),          # OCR: a letter misread
        ("Reçu en prétecture le 19/06/2023", "transmission"),
        ("Reçu on préfecture le 16/06/2022", "transmission"),
    ],
)
def test_dates_role_cue_as_ocr_reads_it(text, role):
    assert _only(text).role == role


def test_dates_another_acts_publication_is_not_the_acts() -> None:
    text = "La convention a été signée en juillet 2022 et l'arrêté portant sa publication date\ndu 5 août 2022."
    assert _only(text).role is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The year left out and the date broken over a line: the séance's year.
        ("L'an deux mille vingt-deux, le 28 juin, à 19h, le Conseil Municipal, dûment convoqué le 21\njuin, "
         "s'est réuni", D(2022, 6, 21)),
        ("Séance du 12 mars 2019\nConvocation du 5 mars", D(2019, 3, 5)),
        ("Séance du 12 mars 2019\nDate de convocation : 05/03", D(2019, 3, 5)),
        # The séance's year would put the convocation after the séance: the year before.
        ("Séance du 4 janvier 2021. Convocation du 28 décembre.", D(2020, 12, 28)),
    ],
)
def test_dates_convocation_without_year_takes_the_seance_year(text: str, expected: datetime.date) -> None:
    convocations = [m for m in find_dates(text) if m.role == "convocation"]
    assert [m.value for m in convocations] == [expected]
    assert all(text[m.start:m.end] == m.text for m in convocations)


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil municipal, dûment convoqué le 21 juin, s'est réuni.",  # no séance date: none made up
        "Séance du 4 janvier 2021, le conseil convoqué le 21 juin",  # months away: not its convocation
    ],
)
def test_dates_convocation_without_year_needs_a_near_seance(text: str) -> None:
    assert not [m for m in find_dates(text) if m.role == "convocation"]


def test_dates_convocation_with_its_year_is_read_once() -> None:
    text = "Séance du 28 juin 2022, dûment convoqué le 21 juin 2022"
    assert [(m.value, m.role) for m in find_dates(text)] == [
        (D(2022, 6, 28), "session"), (D(2022, 6, 21), "convocation")]


def test_dates_role_of_a_label_whose_value_stands_after_a_blank_line() -> None:
    text = "Nombre de membres en exercice : 11\n\nDate de la convocation :\n\n21 avril 2022\n\nCompte rendu"
    assert [(m.value, m.role) for m in find_dates(text)] == [(D(2022, 4, 21), "convocation")]


def test_dates_role_ends_with_a_paragraph_that_is_no_label() -> None:
    assert _only("Date de la convocation fixée par le maire.\n\n21 avril 2022").role is None
