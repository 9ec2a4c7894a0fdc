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


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("M. Jean DUPONT Commune de Péron Présent", ("present", None, None)),
        ("Mme Anne MARTIN Commune de Péron Excusée", ("excused", None, None)),
        ("M. Paul DURAND Commune de Thoiry Absent", ("absent", None, None)),
        ("Mme Lucie BON Commune de Thoiry Absente excusée", ("excused", None, None)),
        ("M. Marc PETIT Commune de Thoiry Pouvoir à M. Jean DUPONT", ("represented", None, "Jean DUPONT")),
        ("M. Marc PETIT Commune de Thoiry Excusé – pouvoir à M. Jean DUPONT", ("represented", None, "Jean DUPONT")),
        ("Mme Rose NOIR Commune de Thoiry Représentée par Mme Anne MARTIN", ("represented", None, "Anne MARTIN")),
    ],
)
def test_people_table_status_column_in_words(row, expected):
    found = statuses("Délégué Collectivité Présence\n" + row + "\n")
    name = next(iter(found))
    assert found[name][0] == expected[0] and found[name][2:] == expected[1:]


def test_people_table_row_suppleed_by_gives_the_substitute():
    found = statuses("Délégué Collectivité Présence\nM. Marius ZAMPA CC Évian Suppléé par M. Loris BLANCHET\n")
    assert found == {
        "Marius ZAMPA": ("excused", "M.", None, None),
        "Loris BLANCHET": ("present", "M.", "Marius ZAMPA", None),
    }


# A grid as a layout-keeping reader gives it: cells apart by runs of spaces, marks under the heading.
GRID = (
    "Conseiller              Présent   Excusé   Absent   Pouvoir à\n"
    "M. Jean DUPONT             X\n"
    "Mme Anne MARTIN                      X\n"
    "M. Paul DURAND                                X\n"
    "Mme Lucie BON                        X              M. Jean DUPONT\n"
    "\f"
    "Conseiller              Présent   Excusé   Absent   Pouvoir à\n"
    "M. Marc PETIT              X\n"
    "Mme Rose NOIR                                 X\n"
)


def test_people_grid_of_marks_with_columns_kept_and_a_repeated_heading():
    assert statuses(GRID) == {
        "Jean DUPONT": ("present", "M.", None, None),
        "Anne MARTIN": ("excused", "Mme", None, None),
        "Paul DURAND": ("absent", "M.", None, None),
        "Lucie BON": ("represented", "Mme", None, "Jean DUPONT"),
        "Marc PETIT": ("present", "M.", None, None),
        "Rose NOIR": ("absent", "Mme", None, None),
    }


def test_people_grid_read_single_spaced_keeps_only_what_the_text_says():
    # Single spaces: which column a lone "X" stands in is lost, so those rows are not guessed;
    # a name in the "Pouvoir à" column still says who holds the proxy.
    single = "\n".join(" ".join(line.split()) for line in GRID.split("\n"))
    assert statuses(single) == {"Lucie BON": ("represented", "Mme", None, "Jean DUPONT")}


def test_people_grid_with_one_column_of_marks():
    text = "Nom Présent Pouvoir à\nM. Jean DUPONT X\nMme Anne MARTIN M. Jean DUPONT\nM. Paul DURAND X\n"
    assert statuses(text) == {
        "Jean DUPONT": ("present", "M.", None, None),
        "Anne MARTIN": ("represented", "Mme", None, "Jean DUPONT"),
        "Paul DURAND": ("present", "M.", None, None),
    }


@pytest.mark.parametrize(
    "text",
    [
        "M. Jean VIDAL donne pouvoir à Mme Ana COSTA.",
        "M. Jean VIDAL a donné procuration à Mme Ana COSTA.",
        "Procuration de M. Jean VIDAL à Mme Ana COSTA.",
        "Pouvoirs : M. Jean VIDAL à Mme Ana COSTA",
        "Excusés : M. Jean VIDAL (pouvoir à Mme Ana COSTA)",
        "M. Jean VIDAL, représenté par Mme Ana COSTA.",
        "Ont donné pouvoir : M. Jean VIDAL à Mme Ana COSTA",
        "Absents ayant donné procuration à :\n\nM. Jean VIDAL donne procuration à Mme Ana COSTA,",
    ],
)
def test_people_proxies_in_every_usual_wording(text):
    assert statuses(text)["Jean VIDAL"] == ("represented", "M.", None, "Ana COSTA")


@pytest.mark.parametrize("word", ["Attribution", "Taux", "Ordre du jour", "Détermination"])
def test_people_an_empty_absents_line_does_not_make_the_next_word_a_member(word):
    text = f"Présents : M. Jean DUPONT, Mme Anne MARTIN\nAbsents :\n{word} des subventions aux associations\n"
    assert set(statuses(text)) == {"Jean DUPONT", "Anne MARTIN"}


@pytest.mark.parametrize("word", ["APPROUVE", "ACCEPTE", "DIT QUE", "Détermination", "Taux", "Présent Excusé"])
def test_people_headings_and_operative_verbs_are_not_people(word):
    assert clean_name(word) is None


def test_people_absents_and_excused_heading_of_the_cclo():
    text = "Absents et absent(s) excusé(s) :\n\nMme Michelle BEAUDEQUIN, M. Michel KMIEC (2)\n"
    assert statuses(text) == {
        "Michelle BEAUDEQUIN": ("excused", "Mme", None, None),
        "Michel KMIEC": ("excused", "M.", None, None),
    }


# An attendance grid over two pages, the heading repeated on the second, as a PDF: marks under
# Présent / Excusé / Absent and a "Pouvoir à" column.
GRID_MEMBERS = [
    (f"{civility} {first} {last}", status, proxy)
    for civility, first, last, status, proxy in [
        ("M.", "Jean", "DUPONT", "present", None), ("Mme", "Anne", "MARTIN", "excused", None),
        ("M.", "Paul", "DURAND", "absent", None), ("Mme", "Lucie", "BON", "represented", "M. Jean DUPONT"),
        ("M.", "Marc", "PETIT", "present", None), ("Mme", "Rose", "NOIR", "present", None),
        ("M.", "Louis", "BLANC", "excused", None), ("Mme", "Julie", "ROUX", "represented", "Mme Rose NOIR"),
        ("M.", "Hugo", "FABRE", "present", None), ("Mme", "Inès", "GARNIER", "absent", None),
    ] * 1
] + [
    (f"{civility} {first} {last}", "present", None)
    for civility, first in (("M.", "Yves"), ("Mme", "Odile"), ("M.", "Serge"), ("Mme", "Claire"))
    for last in ("ARNAUD", "BERTHET", "CHAPUIS", "DELORME", "ESTIVAL", "FAVRE", "GIROD", "HUGON",
                 "JACQUIER", "LAMBERT")
]


def _grid_pdf(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    rows = [["Conseiller", "Présent", "Excusé", "Absent", "Pouvoir à"]]
    for name, status, proxy in GRID_MEMBERS:
        marks = ["X" if status == kind else "" for kind in ("present", "excused", "absent")]
        rows.append([name, *marks, proxy or ""])
    table = Table(rows, repeatRows=1, colWidths=[170, 55, 55, 55, 140])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([table])


def test_people_grid_pdf_over_two_pages_read_with_its_layout(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    path = tmp_path / "grille.pdf"
    _grid_pdf(path)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        text = "\f".join(page.extract_text(layout=True) for page in pdf.pages)
    expected = {
        name.split(" ", 1)[1]: (status, name.split(" ", 1)[0], None, proxy and proxy.split(" ", 1)[1])
        for name, status, proxy in GRID_MEMBERS
    }
    assert statuses(text) == expected


def test_people_grid_pdf_read_by_delib_keeps_the_column_of_each_mark(tmp_path):
    # delib's reader keeps a grid's cells at their x positions, so a lone "X" still says its
    # column (Présent, Excusé or Absent), across the page break under the repeated heading.
    from pipeline.read.pdf import read_pages

    path = tmp_path / "grille.pdf"
    _grid_pdf(path)
    pages = read_pages(path, path.read_bytes(), engine="pdfium", ocr="never")
    expected = {
        name.split(" ", 1)[1]: (status, name.split(" ", 1)[0], None, proxy and proxy.split(" ", 1)[1])
        for name, status, proxy in GRID_MEMBERS
    }
    assert statuses("\f".join(page.text for page in pages)) == expected


def test_people_a_single_spaced_grid_guesses_nothing():
    # Read as single-spaced text, a lone "X" no longer says its column: only what the row still
    # states is kept (who holds a proxy); no status is made up.
    text = ("Conseiller Présent Excusé Absent Pouvoir à\nM. Jean DUPONT X\nMme Anne MARTIN X\n"
            "Mme Lucie BON M. Jean DUPONT\nM. Paul DURAND X\n")
    assert statuses(text) == {"Lucie BON": ("represented", "Mme", None, "Jean DUPONT")}


def test_people_proxies_listed_without_civilities_and_apart_by_full_stops():
    text = "Procurations : Hervé Brunel à Denis Valck. Rémi Lejop à Christophe Carton. Christian Loir à Gilles\nTrouillet.\n\nSecrétaire de séance : M. Cresson"
    assert statuses(text) == {
        "Hervé Brunel": ("represented", None, None, "Denis Valck"),
        "Rémi Lejop": ("represented", None, None, "Christophe Carton"),
        "Christian Loir": ("represented", None, None, "Gilles Trouillet"),
    }


def test_people_a_list_of_first_names_ends_at_the_next_sentence():
    text = (
        "Présents : Jean-Pierre, Yves, Jacques, Hélène,\nMarc, Adeline\n"
        "Le secrétaire de mairie Eddy était présent également. Départ de Maryline à 20H50.\n"
    )
    assert set(statuses(text)) == {"Jean-Pierre", "Yves", "Jacques", "Hélène", "Marc", "Adeline"}


def test_people_a_heading_of_proxies_with_a_list_under_it_and_the_next_heading_after_a_gap():
    text = (
        "Absent(s) ayant donné procuration à :\n\nM. Laurent BARGADA donne procuration à M. Jean-Jacques LECAT,\n"
        "M. Michel POTIER donne procuration à M. Eric BEGUIN (2)\n"
        "Absent(s) et absent(s) excusé(s) :\n\nMme Jocelyne BRASSEUR, M. Michel KMIEC (2)\n\n"
        "- Approbation à l'unanimité du compte-rendu de la séance du 13 mars 2025 ;\n"
    )
    assert statuses(text) == {
        "Laurent BARGADA": ("represented", "M.", None, "Jean-Jacques LECAT"),
        "Michel POTIER": ("represented", "M.", None, "Eric BEGUIN"),
        "Jocelyne BRASSEUR": ("excused", "Mme", None, None),
        "Michel KMIEC": ("excused", "M.", None, None),
    }


def test_people_grid_of_absents_in_title_case_with_substitute_and_proxy_columns():
    # Roannais Agglomération's layout: the members' column is headed "Absents"; the holder of a
    # proxy or the substitute is a member listed as present, which tells where one name ends.
    text = (
        "Etaient présents :\n\nMuriel Marcellin - Yves Meunier (Suppléant Laurence Boyer) - "
        "Jean-Luc Mardeuil - Edmond Bourgeon.\n\n"
        "Ni pouvoir\nAbsents Suppléant Pouvoir donné à…\nNi suppléant\n"
        "Jean-Marc Ambroise X\nLaurence Boyer Yves Meunier\nMarie-France Catheland Muriel Marcellin\n"
        "Marie-Laure Dana Burnichon Edmond Bourgeon\nIsabelle Valcourt Jean-Luc Mardeuil\n\n"
        "Secrétaire de séance : Muriel Marcellin\n"
    )
    found = statuses(text)
    assert found["Jean-Marc Ambroise"] == ("absent", None, None, None)
    assert found["Laurence Boyer"] == ("excused", None, None, None)
    assert found["Yves Meunier"] == ("present", None, "Laurence Boyer", None)
    assert found["Marie-France Catheland"] == ("represented", None, None, "Muriel Marcellin")
    assert found["Marie-Laure Dana Burnichon"] == ("represented", None, None, "Edmond Bourgeon")
    assert found["Isabelle Valcourt"] == ("represented", None, None, "Jean-Luc Mardeuil")


def test_people_proxies_paired_by_marks():
    text = (
        "+ Présents : Jean-Pierre (Pr*), Anne-Marie, Agnès (Pr**), Jacques, Mario.\n"
        "+ Absents excusés : Marielle (Pr**), Marc, David (Pr*).\n"
    )
    found = statuses(text)
    assert found["David"] == ("represented", None, None, "Jean-Pierre")
    assert found["Marielle"] == ("represented", None, None, "Agnès")
    assert found["Marc"] == ("excused", None, None, None)
    assert found["Jean-Pierre"] == ("present", None, None, None)


def test_people_an_empty_proxies_line_before_the_secretary_sentence():
    text = (
        "Présents : Denis JUVIN – Catherine MARTEL – Patricia MICHOT\nAbsent: Michel VAILLIES\n"
        "Absentes excusées :\nProcuration :\nPatricia MICHOT a été nommé secrétaire de séance\n"
    )
    assert statuses(text) == {
        "Denis JUVIN": ("present", None, None, None),
        "Catherine MARTEL": ("present", None, None, None),
        "Patricia MICHOT": ("present", None, None, None),
        "Michel VAILLIES": ("absent", None, None, None),
    }


def test_people_proxies_under_a_heading_without_colon_or_civility():
    text = (
        "Absents excusés : Catherine VINAS – Muriel NIGGEL\n\n"
        "Procurations Catherine VINAS donne procuration à Denis JUVIN\n"
        "Muriel NIGGEL donne procuration à UPPHOFF Valérie\n\nOrdre du jour\n"
    )
    found = statuses(text)
    assert found["Catherine VINAS"] == ("represented", None, None, "Denis JUVIN")
    assert found["Muriel NIGGEL"] == ("represented", None, None, "UPPHOFF Valérie")
    assert "Procurations Catherine VINAS" not in found


def test_people_a_spaced_hyphen_inside_a_surname_is_not_a_separator():
    text = (
        "Présents : Denis JUVIN – Muriel NIGGEL\n\nAbsents : Valérie UPPHOFF – PLUS Jean-Pierre\n\n"
        "Absentes excusées : Philippe ROUVIER – COROUGE – Catherine MARTEL\n\n"
        "Procurations :\nPhilippe ROUVIER – COROUGE donne procuration à Denis JUVIN\n"
    )
    found = statuses(text)
    assert found["Philippe ROUVIER-COROUGE"] == ("represented", None, None, "Denis JUVIN")
    assert found["PLUS Jean-Pierre"][0] == "absent"
    assert "COROUGE" not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Présents :\nJean-Pierre, Yves, David &\nAdeline (procuration à Mario)\n\nAbsent\nHélène\n\nOrdre du jour :\n",
         {"Jean-Pierre": "present", "Yves": "present", "David": "present", "Adeline": "represented", "Hélène": "absent"}),
        ("Présents : Jean-Pierre, Agnès.\nExcusés : Anne-Marie (pouvoir donné à Yves) / Marielle (pouvoir donné à Agnès)\n"
         "Maryline : absente non excusée\n",
         {"Jean-Pierre": "present", "Agnès": "present", "Anne-Marie": "represented", "Marielle": "represented",
          "Maryline": "absent"}),
        ("Présents : Denis JUVIN --- Patricia MICHOT – Muriel NIGGEL\n",
         {"Denis JUVIN": "present", "Patricia MICHOT": "present", "Muriel NIGGEL": "present"}),
    ],
)
def test_people_small_communes_minutes(text, expected):
    assert {name: value[0] for name, value in statuses(text).items()} == expected


def test_people_secretary_proposed_with_a_spaced_hyphen_in_the_surname():
    text = "Monsieur le Maire propose la candidature de Philippe ROUVIER – COROUGE, en\nqualité de secrétaire pour la présente séance"
    assert find_secretary(text).name == "Philippe ROUVIER-COROUGE"


def test_people_pouvoir_donne_a_in_parentheses():
    text = (
        "Présents : Jean-Pierre, Agnès, Mario.\n"
        "Excusés : David (pouvoir donné à Jean-Pierre) / Marc (pouvoir donné à Mario).\n"
        "Non excusé : Mathieu (pas de pouvoir donné).\n"
    )
    found = statuses(text)
    assert found["David"] == ("represented", None, None, "Jean-Pierre")
    assert found["Marc"] == ("represented", None, None, "Mario")
    assert found["Mathieu"][0] == "absent"


def test_people_grid_of_absents_with_substitute_and_proxy_cells_in_capitals():
    text = (
        "Etaient présents : M. Pierre-Jean CRASTES, Mme Sylvie BEN HADJ (suppléante de M. Guy ROLLAND).\n\n"
        "Etaient absents :\nAbsents Ni pouvoir ni Suppléant Pouvoir donné à\nsuppléant\n"
        "M. Guy ROLLAND Mme Sylvie BEN HADJ\nMme Odile MONTANT M. Pierre-Jean CRASTES\nM. Éric PONCET X\n"
        "\fAbsents Ni pouvoir ni Suppléant Pouvoir donné à\nsuppléant\nMme Agathe ROUX X\n"
        "Secrétaire de séance : M. Pierre-Jean CRASTES\n"
    )
    assert statuses(text) == {
        "Pierre-Jean CRASTES": ("present", "M.", None, None),
        "Sylvie BEN HADJ": ("present", "Mme", "Guy ROLLAND", None),
        "Guy ROLLAND": ("excused", "M.", None, None),
        "Odile MONTANT": ("represented", "Mme", None, "Pierre-Jean CRASTES"),
        "Éric PONCET": ("absent", "M.", None, None),
        "Agathe ROUX": ("absent", "Mme", None, None),
    }


def test_people_names_written_initial_dot_surname():
    # "C.FOROT – T.BUSIN – W.AUGUSTE : adjoints", names wrapped without a separator, and the
    # absents' heading after "Etaient".
    text = ("Etaient présents : C.FOROT – T.BUSIN – W.AUGUSTE : adjoints\nS.MEARY – F.RUSSO\nP.SOLIER\n\n"
            "Etaient absents excusés :\nN.GALIANA : procuration à H.CHARANCON\n\nSecrétaire de séance: S.MEARY\n")
    people = {p.name: (p.status, p.proxy_to) for p in find_attendance(text)}
    assert people == {
        "C.FOROT": ("present", None), "T.BUSIN": ("present", None), "W.AUGUSTE": ("present", None),
        "S.MEARY": ("present", None), "F.RUSSO": ("present", None), "P.SOLIER": ("present", None),
        "N.GALIANA": ("represented", "H.CHARANCON"),
    }
    assert find_secretary(text).name == "S.MEARY"


def test_people_a_status_after_a_colon_is_not_a_role():
    # "Maryline : absente non excusée" inside the excused list: her own line says absent.
    text = "Excusés : Anne-Marie (pouvoir donné à Yves) / Marc\nMaryline : absente non excusée\n"
    assert {p.name: p.status for p in find_attendance(text)}["Maryline"] == "absent"


def test_people_mixed_plural_civilities_and_a_proxy_after_a_comma():
    text = ("Présents : Mmes et Ms Barbillon – Hallu - Valck\nformant la majorité des membres en exercice.\n"
            "Absents : M. Talon – M. Brunel, procuration à M. Valck – Mme Colinet,\nprocuration à Mme Hallu.\n")
    people = {p.name: (p.status, p.proxy_to, p.civility) for p in find_attendance(text)}
    assert people["Barbillon"] == ("present", None, None)  # "Mmes et Ms": neither civility is hers
    assert people["Talon"] == ("absent", None, "M.")
    assert people["Brunel"] == ("represented", "Valck", "M.")
    assert people["Colinet"] == ("represented", "Hallu", "Mme")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Secrétaire : Madame Karine DUTEIL\n", "Karine DUTEIL"),
        ("- Désignation d'un secrétaire de séance (article L.2121-15 du CGCT applicable en vertu de l'article L.\n\n"
         "5211-1 du CGCT) : Mme Anne-Marie DEFRANCE a été désignée ;\n", "Anne-Marie DEFRANCE"),
    ],
)
def test_people_secretary_after_a_bare_label_or_a_long_bracket(text, name):
    assert find_secretary(text).name == name


def test_people_secretary_is_not_the_secretaire_generale():
    assert find_secretary("Madame le Maire passe la parole à la secrétaire générale qui annonce son départ.") is None


def test_people_excused_after_a_comma_in_a_list_of_absents():
    text = "Absents :\nMonsieur Antonio MENDES\nMonsieur Jean-Marc GOSSOT, excusé\nMadame Dolorès HUDO\n"
    assert {p.name: p.status for p in find_attendance(text)} == {
        "Antonio MENDES": "absent", "Jean-Marc GOSSOT": "excused", "Dolorès HUDO": "absent"}
