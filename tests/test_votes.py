"""Stated counts and the vote."""
from __future__ import annotations

import pytest

from extractors.votes import find_counts, find_vote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nombre de délégués titulaires en Exercice : 44\nNombre de délégués Présents : 31\nPouvoirs : 4",
         {"in_office": 44, "present": 31, "represented": 4}),
        ("Membres en exercice : 29 – Présents : 23 – Représentés : 4 – Votants : 27",
         {"in_office": 29, "present": 23, "represented": 4, "voters": 27}),
        ("Nombre de Conseillers en exercice : 15- Présents 14 - Votants 14-Le quorum",
         {"in_office": 15, "present": 14, "voters": 14}),
        ("En exercice : 19\nPrésents : 15\nProcurations : 2\nVotants : 17",
         {"in_office": 19, "present": 15, "represented": 2, "voters": 17}),
        ("Présents :\nM. Paul DURAND, Mme Anne MARTIN", {}),
        ("La séance est ouverte à 20 h 30, 12 présents.", {"present": 12}),
        # A list's figure in brackets at its end is the list's count.
        ("Etaient présents :\nTitulaires :\nMme Agnès BACHELART, M. Laurent BARGADA,\nM. Franck SUPERBI, (27)\n\n"
         "Absent(s) ayant donné procuration à :\nM. Renaud BOURGEOIS donne procuration à Mme Peggy LEWANDOWSKI, (1)\n",
         {"present": 27, "represented": 1}),
        # OCR garbles a letter of the label.
        ("Nombre de membres\nen exercice\nqui ont délibéré\ndont 3 procuritions\n", {"represented": 3}),
        # A bracket inside the list is not its count.
        ("Présents : M. Paul DURAND (pouvoir de M. René PETIT), Mme Anne MARTIN (2)\n", {}),
    ],
)
def test_votes_counts_as_stated(text, expected):
    assert {k: v.value for k, v in find_counts(text).items()} == expected


@pytest.mark.parametrize(
    ("text", "unanimous", "for_", "against", "abstentions"),
    [
        ("après en avoir délibéré à l'unanimité", True, None, None, None),
        ("ADOPTÉ à l'unanimité des suffrages exprimés (2 abstentions)", True, None, None, 2),
        ("par 25 voix pour, 2 contre, 1 abstention", False, 25, 2, 1),
        ("Pour : 30 – Contre : 3", False, 30, 3, None),
        ("Votes pour : 18 ; contre : 0 ; abstentions : 1", False, 18, 0, 1),
        ("adopte à la majorité (3 voix contre)", False, None, 3, None),
        ("par 12 voix pour et une abstention", False, 12, None, 1),
        ("Le conseil prend acte de ce rapport.", None, None, None, None),
    ],
)
def test_votes_vote_forms(text, unanimous, for_, against, abstentions):
    vote = find_vote(text)
    got = (vote.unanimous, vote.for_, vote.against, vote.abstentions) if vote else (None,) * 4
    assert got == (unanimous, for_, against, abstentions)


def test_votes_not_voting():
    vote = find_vote("Pour : 20 – Contre : 0 – 1 conseiller ne prend pas part au vote")
    assert vote.not_voting == 1


@pytest.mark.parametrize("text", ["environ 14 pour cent des emplois", "il est contre la proposition"])
def test_votes_ordinary_words_are_not_votes(text):
    assert find_vote(text) is None


@pytest.mark.parametrize(
    ("text", "unanimous", "for_", "against", "abstentions"),
    [
        ("Pour : 13 – Contre : 0 – Abstention : 1", False, 13, 0, 1),
        ("Adopté à l'unanimité.", True, None, None, None),
        ("Le conseil adopte par 13 voix pour.", False, 13, None, None),
        ("Adopté à la majorité.", False, None, None, None),
        ("Résultat du vote : 12 pour, 3 contre, 2 abstentions.", False, 12, 3, 2),
        # Couthenans' minutes count votes, not voices
        ("Le conseil municipal approuve : 14 votes pour.", False, 14, None, None),
        ("Vote : 12 votes pour / 2 abstentions", False, 12, None, 2),
    ],
)
def test_votes_every_usual_wording(text, unanimous, for_, against, abstentions):
    vote = find_vote(text)
    assert (vote.unanimous, vote.for_, vote.against, vote.abstentions) == (unanimous, for_, against, abstentions)


@pytest.mark.parametrize(
    "text",
    [
        "la parcelle cadastrée TC 146 pour l'entretien du chemin",
        "une subvention de 2 000 € versée pour 3 pour cent des frais",
        "les 12 pour lesquels la commune a opté",
    ],
)
def test_votes_a_figure_is_a_vote_only_in_a_vote_context(text):
    vote = find_vote(text)
    assert vote is None or vote.for_ is None


def test_votes_a_parcel_figure_does_not_shadow_the_real_vote():
    text = "la parcelle cadastrée TC 146 pour l'entretien du chemin.\n\nAdopté par 14 voix pour et 1 contre."
    vote = find_vote(text)
    assert (vote.for_, vote.against) == (14, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nombre de membres\nen exercice : 11\nqui ont pris part à la\ndélibération : il\ndont 2 procurations\n\n11\n",
         {"in_office": 11, "represented": 2}),
        ("la commune qui compte 100 000 habitants, Riorges en représente10 % et le reste", {}),
        ("Pouvoirs :\n3\nVotants :\n17", {"represented": 3, "voters": 17}),
    ],
)
def test_votes_counts_need_their_label_close_and_are_never_percentages(text, expected):
    assert {k: v.value for k, v in find_counts(text).items()} == expected


def test_vote_figures_after_labels_belong_to_their_label():
    """"Votants : 12 Pour : 8": the 12 is the votants', not "12 pour"."""
    vote = find_vote("Votants : 12 Pour : 8 Contre : 2 Abstentions : 2\nFait et délibéré")
    assert (vote.unanimous, vote.for_, vote.against, vote.abstentions) == (False, 8, 2, 2)


def test_vote_a_unanimity_on_how_to_vote_is_not_the_vote():
    text = ("Considérant que l'assemblée a décidé à l'unanimité de ne pas procéder au scrutin secret,\n"
            "DÉSIGNE M. Jean DUPONT.\nAdopté à la majorité (4 voix contre).")
    vote = find_vote(text)
    assert (vote.unanimous, vote.against) == (False, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A cell's border read into its figure, a speck read as a mark between cells.
        ("En exercice Présents Votants\n[79° 70 71", {"in_office": 79, "present": 70, "voters": 71}),
        ("En exercice Présents Votants\n27 : 25 26", {"in_office": 27, "present": 25, "voters": 26}),
        # One cell OCR could not read: the others keep their columns.
        ("En exercice Présents Représentés Votants\n77 th) 1 76", {"in_office": 77, "represented": 1, "voters": 76}),
    ],
)
def test_votes_counts_table_row_as_ocr_reads_it(text, expected):
    assert {field: m.value for field, m in find_counts(text).items()} == expected


@pytest.mark.parametrize("text", [
    "En exercice Présents Procurations Votants\nai 34 2 a] 36",  # two cells unread: columns unsure
    "En exercice Présents Votants\nPour : 17 Contre : 2",          # a vote, not a row of figures
])
def test_votes_counts_table_row_too_garbled_is_not_read(text):
    assert find_counts(text) == {}


def test_votes_a_label_s_figure_is_not_the_next_word_s():
    # "Contre : 0 Abstentions : 2": the 0 is Contre's, the abstentions are 2.
    vote = find_vote("Votants : 15 Pour : 13 Contre : 0 Abstentions : 2\nFait à Esery-aux-Bois, le 17.06.2012")
    assert (vote.for_, vote.against, vote.abstentions) == (13, 0, 2)


def test_vote_printed_as_a_table_of_labels_over_figures():
    text = "Vu le code,\nVotants Pour Contre Abstentions\n26 20 2 4\nFait et délibéré les jour, mois et an."
    vote = find_vote(text)
    assert (vote.unanimous, vote.for_, vote.against, vote.abstentions) == (False, 20, 2, 4)
    assert find_counts(text)["voters"].value == 26


def test_vote_a_commission_s_unanimous_opinion_is_not_the_vote():
    text = ("Ce dossier a été examiné en commission, qui a émis un avis favorable à l'unanimité de ses "
            "membres présents.\nAdopté par 12 voix pour et 2 contre.")
    vote = find_vote(text)
    assert (vote.unanimous, vote.for_, vote.against) == (False, 12, 2)
