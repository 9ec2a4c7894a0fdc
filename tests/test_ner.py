"""Named entities: the model reads the exposé and the decisions, not the letterhead, the attendance
list, the recitals or the closing block (real spaCy model)."""
from __future__ import annotations

import pytest

from extractors.ner import find_entities, find_entities_many, zones

TEXT = """Communauté de communes Faucigny-Glières
Siège : 1 place de l'Hôtel de Ville – 74130 Bonneville
Réunion du 11 février 2021
Présents : M. Stéphane VALLIER (Président), Mme Fabienne MARIN, M. Lionel TOCHON, Mme
Christiane PELLARIN, M. Rémy GERVAIS, Mme Nadia EL AMRANI.
Excusés : Mme Pascale BOISIER, M. Michel RAVIER.
Objet : Aide à l'immobilier d'entreprise – SARL Menuiserie Bétemps
Vu le Code général des collectivités territoriales, et notamment son article L.1511-3 ;
Vu la délibération n° DEL2020-071 du 16 juillet 2020 portant délégation d'attributions du
Conseil communautaire au Bureau ;
La SARL Menuiserie Bétemps, installée à Ayze, projette l'extension de son atelier. La Région
Auvergne-Rhône-Alpes a été sollicitée pour une aide de 30 000 €.
Le Bureau communautaire, après en avoir délibéré, à l'unanimité :
- ATTRIBUE une aide de 15 000 € à la SARL Menuiserie Bétemps ;
Transmis en sous-préfecture de Bonneville le 16/02/2021
Le Président,
Stéphane VALLIER
"""


def read(start: int, end: int) -> str:
    return TEXT[start:end]


def test_ner_zones_leave_out_letterhead_attendance_recitals_and_closing():
    read_by_model = " ".join(read(s, e) for s, e in zones(TEXT))
    for left_out in ("Faucigny-Glières", "Fabienne MARIN", "Pascale BOISIER", "Code général",
                     "DEL2020-071", "Conseil communautaire au Bureau", "sous-préfecture", "Stéphane VALLIER"):
        assert left_out not in read_by_model
    for kept in ("Menuiserie Bétemps", "installée à Ayze", "Auvergne-Rhône-Alpes", "ATTRIBUE une aide"):
        assert kept in read_by_model


@pytest.mark.parametrize("text", ["", "\n\n", "Objet :", "Vu le code ;\nVu la loi ;"])
def test_ner_zones_of_text_without_an_exposé(text):
    assert all(text[s:e].strip() for s, e in zones(text))


def test_ner_entities_of_the_exposé_with_offsets_into_the_text():
    found = find_entities(TEXT)
    assert "Région Auvergne-Rhône-Alpes" in {e.text for e in found if e.label in ("ORG", "LOC")}
    for entity in found:
        assert " ".join(read(entity.start, entity.end).split()).strip(" ,.;:-–") == entity.text
    assert not any(e.text in ("Pascale BOISIER", "Excusés", "Bonneville") for e in found)


def test_ner_zones_a_reception_stamp_at_the_top_does_not_end_the_text():
    stamped = "Accusé de réception – Ministère de l'intérieur\n034-213401722-20140217\n" + TEXT
    read_by_model = " ".join(stamped[s:e] for s, e in zones(stamped))
    assert "Accusé de réception" not in read_by_model
    assert "Menuiserie Bétemps" in read_by_model and "ATTRIBUE une aide" in read_by_model


def test_ner_many_texts_at_once_is_each_text_alone():
    other = TEXT.replace("Menuiserie Bétemps", "Boulangerie Dupuis").replace("Ayze", "Cluses")
    assert find_entities_many([TEXT, "", other]) == [find_entities(TEXT), [], find_entities(other)]


def test_ner_zones_leave_out_sentences_that_name_nothing():
    text = ("Objet : Voirie\n\n"
            "Il est proposé d'approuver la convention jointe et d'autoriser la signature.\n"
            "La commune de Marignier sollicite une aide. Après en avoir délibéré, le conseil décide.\n")
    read_by_model = " ".join(text[s:e] for s, e in zones(text))
    assert "commune de Marignier" in read_by_model
    for left_out in ("convention jointe", "Après en avoir délibéré"):
        assert left_out not in read_by_model


@pytest.mark.parametrize("sentence", [
    "Bonneville accueille le salon.",  # a place opening the sentence, alone capitalised
    "la subvention de l'État est versée.",  # a capital after an elision
    "- ATTRIBUE une aide à la SARL Menuiserie Bétemps ;",
])
def test_ner_zones_keep_a_sentence_that_may_name_something(sentence):
    text = "Objet : Aide\n" + sentence + "\n"
    assert any(sentence.strip("- ;.") in text[s:e] for s, e in zones(text))


def test_ner_zones_of_a_long_sentence_are_the_words_around_its_names():
    text = ("Objet : Toiture\n\nIl est rappelé que, conformément aux dispositions en vigueur depuis de "
            "nombreuses années et après consultation des services compétents, la commune de Marignier "
            "sollicite une aide pour la réfection complète de la toiture de l'école maternelle et des "
            "locaux annexes du groupe scolaire.\n")
    read_by_model = " ".join(text[s:e] for s, e in zones(text))
    assert "la commune de Marignier sollicite une aide" in read_by_model
    for left_out in ("conformément aux dispositions", "locaux annexes"):
        assert left_out not in read_by_model
