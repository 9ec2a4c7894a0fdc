"""Finding a value again where the page prints it (pipeline/publish/pages.py, marks.py): the
patterns are free about spaces and apostrophes, never glue digits, and a bare count is looked for
beside the word that names it."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.publish.marks import date_forms, deliberation_marks
from pipeline.publish.pages import Mark, PageChars, find_spans, span_boxes, tsv_chars, value_pattern


def page(text: str) -> PageChars:
    """A page of one line, each character 5 points wide and 10 high, from the top left."""
    boxes = tuple((5.0 * i, 790.0, 5.0 * i + 5, 800.0) for i in range(len(text)))
    return PageChars(text, boxes, 600.0, 800.0)


def printed(text: str, mark: Mark) -> list[str]:
    return [text[a:b] for a, b in find_spans(page(text), mark)]


@pytest.mark.parametrize("value, text, expected", [
    ("16 000 €", "s'élèvent à 16 000\r\n€ ;", ["16 000\r\n€"]),          # cut at the line's end
    ("16 000 €", "soit 16\u202f000 € par an", ["16\u202f000 €"]),          # a narrow no-break space
    ("2 880 €", "une subvention de 12 880 € et de 2 880 €", ["2 880 €"]),  # not inside 12 880
    ("L'Écho du Jura", "Harmonie « L\u2019Écho du Jura »", ["L\u2019Écho du Jura"]),
    ("6574", "compte 65748 puis article 6574.", ["6574"]),
    ("2021-027", "Délibération n° 2021-0271", []),
])
def test_pages_value_pattern_finds_the_value_as_printed(value, text, expected):
    assert printed(text, Mark("k", value)) == expected


@pytest.mark.parametrize("field, text, expected_at", [
    # The count is the number nearest to its word, wherever else the number is printed.
    ("present", "Membres en exercice : 14 – Présents : 14 – Votants : 17", 38),
    ("in_office", "Membres en exercice : 14 – Présents : 14 – Votants : 17", 22),
    ("voters", "Votants : 17 ; il est rappelé 17 dossiers", 10),
])
def test_pages_a_count_is_found_beside_its_word(field, text, expected_at):
    from pipeline.publish.marks import NEAR

    spans = find_spans(page(text), Mark(field, text[expected_at:expected_at + 2], near=NEAR[field]))
    assert spans == [(expected_at, expected_at + 2)]


def test_pages_a_count_far_from_its_word_is_not_marked():
    text = "Présents : voir la liste ci-dessous, établie par le secrétaire de séance désigné, " + "x" * 40 + " 14"
    assert find_spans(page(text), Mark("present", "14", near=("présents",))) == []


def test_pages_value_pattern_of_nothing_is_none():
    assert value_pattern("   ") is None


def test_pages_span_boxes_one_per_line_in_fractions_of_the_page():
    chars = PageChars("ab\ncd", ((0, 790, 5, 800), (5, 790, 10, 800), (0, 0, 0, 0), (0, 770, 5, 780), (5, 770, 10, 780)),
                      100.0, 800.0)
    boxes = span_boxes(chars, "k", 1, 0, 5)
    assert len(boxes) == 2
    first, second = boxes
    assert first.top < second.top  # the first line is above
    assert first.left == pytest.approx(-1.5 / 100) and first.width == pytest.approx(13 / 100)
    assert first.top == pytest.approx((800 - 800 - 1.5) / 800)


def test_pages_tsv_chars_reads_tesseract_words_into_lines():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = ["5\t1\t1\t1\t1\t1\t100\t50\t40\t20\t95\tPrésents", "5\t1\t1\t1\t1\t2\t150\t50\t10\t20\t95\t:",
            "5\t1\t1\t1\t1\t3\t170\t50\t20\t20\t95\t31", "5\t1\t1\t1\t2\t1\t100\t80\t40\t20\t95\tPouvoirs"]
    chars = tsv_chars(header + "\n".join(rows) + "\n", scale=2.0, width=300.0, height=400.0)
    assert chars.text == "Présents : 31\nPouvoirs"
    spans = find_spans(chars, Mark("present", "31", near=("présents",)))
    assert spans == [(11, 13)]
    (box,) = span_boxes(chars, "present", 1, *spans[0])
    # "31" is at 170..190 px, 50..70 px at 2 px a point: 85..95 pt from the left, 25..35 pt from the top.
    assert box.left * 300 == pytest.approx(85 - 1.5) and box.top * 400 == pytest.approx(25 - 1.5)


@pytest.mark.parametrize("value, forms", [
    (date(2021, 4, 15), ["15/04/2021", "15.04.2021", "15 avril 2021"]),
    (date(2020, 3, 1), ["01/03/2020", "1 mars 2020", "01 mars 2020", "1er mars 2020"]),
    ("2016-12-08", ["08/12/2016", "8 décembre 2016"]),
])
def test_marks_dates_in_their_printed_forms(value, forms):
    assert set(forms) <= set(date_forms(value))


def test_marks_every_fact_of_a_deliberation_has_a_mark():
    d = {"number": "2021-027", "title": "Attribution des subventions aux associations pour l'année 2021",
         "authority": "Commune de Thoiry", "first_page": 1, "session_date": "2021-04-15", "session_time": "20:30",
         "present": 14, "voters": 17, "unanimous": 0, "votes_for": 14}
    children = {"amounts": [{"text": "4 500 €", "page": 2, "beneficiary": "Football Club de Thoiry"}],
                "budget_articles": [{"code": "6574", "page": 2}],
                "decisions": [{"verb": "DÉCIDE", "text": "d'attribuer les subventions aux associations", "page": 2}],
                "references": [{"number": "2021-012", "page": 1}],
                "attendance": [{"name": "Hélène DUCRET", "page": 1}]}
    marks = deliberation_marks(d, children)
    keys = {m.key for m in marks}
    assert {"number", "title", "authority", "session_date", "session_time", "present", "voters", "votes_for",
            "amount-0", "budget-0", "decision-0", "reference-0", "attendance-0"} <= keys
    assert "unanimous" not in keys
    amount = [m.text for m in marks if m.key == "amount-0"]
    assert amount == ["4 500 €", "Football Club de Thoiry"]  # the beneficiary is boxed with its amount
    assert next(m for m in marks if m.key == "decision-0").text == "DÉCIDE d'attribuer les subventions aux associations"
    assert "20 h 30" in [m.text for m in marks if m.key == "session_time"]
