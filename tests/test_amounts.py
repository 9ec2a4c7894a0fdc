"""Sums of money: figure forms, multipliers, currencies, words, and what is never an amount."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.amounts import AmountMention, find_amounts, find_doubtful_amounts
from tests.conftest import CORPUS


def _only(text: str) -> AmountMention:
    mentions = find_amounts(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("à hauteur de 2 880 € et", "2880"),
        ("à hauteur de 42 000€ au titre", "42000"),
        ("une subvention de 42 000 € à", "42000"),
        ("1.250.000,00 euros", "1250000.00"),
        ("2.114,53 €", "2114.53"),
        ("1 250,5 €", "1250.5"),
        ("12,50 €", "12.50"),
        ("12.50 €", "12.50"),
        ("1.250 €", "1250"),
        ("1250 Euros", "1250"),
        ("300 EUROS", "300"),
        ("42\u00a0000\u00a0€", "42000"),
        ("1\u202f000 €", "1000"),
        ("1'250'000 €", "1250000"),
        ("150 000 EUR", "150000"),
    ],
)
def test_amounts_figure_then_currency(text: str, expected: str) -> None:
    mention = _only(text)
    assert (mention.value, mention.currency) == (Decimal(expected), "EUR")


@pytest.mark.parametrize(
    ("text", "expected", "currency"),
    [("€ 300", "300", "EUR"), ("EUR 1 000", "1000", "EUR"), ("CHF 5 000", "5000", "CHF"),
     ("FRF 1 500,50", "1500.50", "FRF")],
)
def test_amounts_currency_then_figure(text: str, expected: str, currency: str) -> None:
    mention = _only(text)
    assert (mention.value, mention.currency) == (Decimal(expected), currency)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3,5 millions d'euros", "3500000"),
        ("environ 420 millions d'euros", "420000000"),
        ("2 millions €", "2000000"),
        ("2,5 M€", "2500000"),
        ("12 k€", "12000"),
        ("12 K€", "12000"),
        ("1,2 Md€", "1200000000"),
        ("1,2 milliard d’euros", "1200000000"),
        ("3 milliards d'euros", "3000000000"),
        ("20 mille euros", "20000"),
    ],
)
def test_amounts_multiplier(text: str, expected: str) -> None:
    assert _only(text).value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("150 000 F.", "FRF"),
        ("150 000 F", "FRF"),
        ("150 000 francs", "FRF"),
        ("150 000 Francs,", "FRF"),
        ("150 000 FF", "FRF"),
        ("5 000 francs suisses", "CHF"),
        ("5'000 CHF", "CHF"),
        ("5 000 €", "EUR"),
    ],
)
def test_amounts_currency(text: str, currency: str) -> None:
    assert _only(text).currency == currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vingt mille euros", "20000"),
        ("un euro symbolique", "1"),
        ("deux millions d'euros", "2000000"),
        ("cent cinquante mille francs", "150000"),
        ("quatre-vingt-dix-neuf euros", "99"),
    ],
)
def test_amounts_words_form(text: str, expected: str) -> None:
    assert _only(text).value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("soit 20 000 € (vingt mille euros) pour", "20 000 € (vingt mille euros)"),
        ("soit vingt mille euros (20 000 €) pour", "vingt mille euros (20 000 €)"),
        ("20 000 € HT (vingt mille euros HT)", "20 000 € HT (vingt mille euros HT)"),
        ("3,5 M€ (trois millions cinq cent mille euros)", "3,5 M€ (trois millions cinq cent mille euros)"),
    ],
)
def test_amounts_figure_with_words_in_parentheses_is_one(text: str, span: str) -> None:
    assert _only(text).text == span


def test_amounts_parentheses_with_another_value_stay_out() -> None:
    assert _only("20 000 € (deux versements)").text == "20 000 €"


@pytest.mark.parametrize(("text", "span"), [("2 880 € HT", "2 880 €"), ("2 880 € TTC.", "2 880 €")])
def test_amounts_tax_suffix_outside_value_and_span(text: str, span: str) -> None:
    mention = _only(text)
    assert (mention.text, mention.value) == (span, Decimal("2880"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42 0O0 €", "42000"), ("1 5OO,00 €", "1500.00"), ("42 000  €", "42000"), ("42000 €", "42000")],
)
def test_amounts_ocr_noise(text: str, expected: str) -> None:
    assert _only(text).value == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Représentant 14% des activités",
        "10 % des emplois",
        "cinq pour cent",
        "employant environ 1 400 salariés",
        "66 sur le Genevois français parmi 315",
        "une surface de 500 m²",
        "au cours de l'année 2021",
        "la convention cadre 2018-2020",
        "à l'article 6574.",
        "article L.2121-29 du CGCT",
        "transmis le 30/04/21",
        "le 15 Février 2021",
        "le 15 F\u00e9vrier",
        "Tél. 04 50 12 34 56",
        "034-213401722-20140424-0000071248-DE",
        "délibération n° CS2021-15",
        "un logement T3 F",
        "3 Francs-Comtois",
        "AURAI 4.0",
        "9 entreprises issues du Genevois",
    ],
)
def test_amounts_negatives_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_amounts_value_is_exact_decimal() -> None:
    value = _only("2.114,53 €").value
    assert isinstance(value, Decimal) and value == Decimal("2114.53")


def test_amounts_seed_sentences_in_order() -> None:
    text = (
        "Représentant 14% des activités, 10% des emplois du territoire. "
        "9 entreprises issues du Genevois français ont été labellisées employant environ 1 400 "
        "salariés et pour un chiffre d'affaires d'environ 420 millions d'euros. "
        "une cotisation auprès de l'association Mont Blanc Industries pour l'année 2021 à hauteur de "
        "2 880 € et de financer le programme d'accompagnement à hauteur de 42 000€ au titre de "
        "l'année 2021. IMPUTE cette dépense au budget principal, à l'article 6574."
    )
    assert [(m.text, m.value) for m in find_amounts(text)] == [
        ("420 millions d'euros", Decimal("420000000")),
        ("2 880 €", Decimal("2880")),
        ("42 000€", Decimal("42000")),
    ]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("soit 20 000 € (vingt mille euros), puis € 300 et 3,5 millions d'euros ; 150 000 F.", 4),
        ("montant : 42 0O0 € HT, soit vingt mille euros ou CHF 5 000", 3),
    ],
)
def test_amounts_offsets_point_into_text(text: str, count: int) -> None:
    mentions = find_amounts(text)
    assert len(mentions) == count
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


# Issue 13: space for thousands with a decimal point, a budget code before a sum, table rows.

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un montant de 103 920.00 € HT", "103920.00"),
        ("soit 148 566.00 €", "148566.00"),
        ("subvention de 1 994.40 €.", "1994.40"),
        ("5 461 314.63 €", "5461314.63"),
        ("pour 170\n000.00 € TTC", "170000.00"),
        ("1 250.5 €", "1250.5"),
    ],
)
def test_amounts_space_thousands_with_decimal_point(text: str, expected: str) -> None:
    assert _only(text).value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("sur la ligne 11857, nature 6574, chapitre 925 217 800 €", "217 800 €", "217800"),
        ("imputés au compte 6574 1 500 €", "1 500 €", "1500"),
        ("fonction 020 12 000 €", "12 000 €", "12000"),
        ("chapitre 65 : 14 350 €", "14 350 €", "14350"),
        ("Nature 2313 241 883,00 €", "241 883,00 €", "241883.00"),
    ],
)
def test_amounts_budget_code_before_a_figure_is_not_its_first_group(text, span, expected) -> None:
    mention = _only(text)
    assert (mention.text, mention.value) == (span, Decimal(expected))


@pytest.mark.parametrize(
    "text",
    [
        "Total 125 000 250 000 375 000 €",
        "9999999999999999999999999999999999999999 €",
        "999999999999999999999999999999 milliards d'euros",
        "123 456 789 012 345,67 €",
    ],
)
def test_amounts_beyond_plausibility_are_left_out_with_a_reason(text: str) -> None:
    assert find_amounts(text) == []
    (doubt,) = find_doubtful_amounts(text)
    assert doubt.text.strip() in text and "left out" in doubt.reason


def test_amounts_plausible_sums_raise_no_doubt() -> None:
    text = "3 milliards d'euros, 1,2 Md€ et 99 999 999 999 €"
    assert [m.value for m in find_amounts(text)] == [
        Decimal("3000000000"), Decimal("1200000000"), Decimal("99999999999")]
    assert find_doubtful_amounts(text) == []


def _real_text(path) -> str:
    from models.records import DocumentText
    from pipeline.read.pdf import read_pages

    return DocumentText.from_pages(read_pages(path, path.read_bytes(), ocr="never")).text


@pytest.mark.skipif(not (CORPUS.parent / "real2").exists(), reason="../shared/corpus is not here")
def test_amounts_real_minutes_with_decimal_points_keep_their_thousands() -> None:
    values = {m.value for m in find_amounts(_real_text(CORPUS.parent / "real2" / "cclo_cc_pv_2025-03-13.pdf"))}
    assert {Decimal("5461314.63"), Decimal("2270000.00"), Decimal("77334.39")} <= values
    assert not values & {Decimal("314.63"), Decimal("334.39"), Decimal("84.11")}


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus/real is not here")
def test_amounts_real_chapter_code_is_not_read_into_the_sum() -> None:
    values = {m.value for m in find_amounts(_real_text(CORPUS / "mtp_2013-03-25-0000062241.pdf"))}
    assert Decimal("217800") in values and Decimal("925217800") not in values


@pytest.mark.parametrize(
    "text",
    [
        "Total 125 000 250 000 375 000 €",
        "9" * 200 + " €",
        "99 999 999 999 € et 1 234 567 890 123 456 789 €",
        "1.234.567.890.123.456,78 €",
        "12345678901234567890 milliards d'euros",
    ],
)
def test_amounts_every_value_fits_the_database_and_the_contract(text: str) -> None:
    """Issue 15: decimal.InvalidOperation and "Python int too large to convert to SQLite INTEGER"."""
    from pipeline.publish.serialize import decimal_text

    for mention in find_amounts(text):
        assert abs(mention.value * 100) < 2**63
        assert decimal_text(mention.value)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("756 AMICALE DES RETRAITES MUNICIPAUX F\n3 500 €ASSOCIATION FORCE OUVRIERE\n248 F\nCONSOMMATEURS - AFOC\n1 100 €",
         ["3500", "1100"]),
        ("pour un montant de 1500 F\nversé en 1997", ["1500"]),
        ("150 000 F\n", ["150000"]),
    ],
)
def test_amounts_a_row_code_with_its_column_letter_is_not_francs(text: str, values: list[str]) -> None:
    assert [m.value for m in find_amounts(text)] == [Decimal(v) for v in values]


@pytest.mark.parametrize(
    ("text", "span"),
    [("1005 ARTISANS DU MONDE F 200 €1073 FRANCE-ISRAEL F 500 €", "200 €"),
     ("F 3 500 €ASSOCIATION FORCE OUVRIERE", "3 500 €"),
     ("FIXE le montant de la subvention à 4 000 €HT.", "4 000 €")],
)
def test_amounts_euro_sign_glued_to_the_next_cell(text: str, span: str) -> None:
    assert find_amounts(text)[0].text == span


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Résultat de l'exercice 2016 INVESTISSEMENT -325.217.07 €", "-325217.07"),
        ("Total 1 982 086.20 € 1 644 354.43 € -337 731.77 €", "-337731.77"),
        ("Investissement 740 015.18 € 469 138.38 €** - 270 876.80 €", "-270876.80"),
        ("un résultat de la section d'investissement de – 24 322,93 € et un résultat antérieur", "-24322.93"),
        ("Solde : - 50 €", "-50"),
    ],
)
def test_amounts_a_printed_minus_sign_makes_the_sum_negative(text: str, value: str) -> None:
    assert find_amounts(text)[-1].value == Decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "- 23 600 € de l'Anah.",  # a bullet
        "-1 500 € du Département",  # a bullet touching the figure
        "Nettoyage des réfectoires ASR NETTOYAGE – 760,00 €",  # a separator between words and the sum
        "20/10/2022 – 760,00 €",
        "pour la période 2019-500 €",
    ],
)
def test_amounts_a_dash_that_is_no_minus_sign_leaves_the_sum_positive(text: str) -> None:
    assert all(m.value > 0 for m in find_amounts(text))


def values(text: str) -> list[str]:
    return [str(m.value) for m in find_amounts(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The sign may start the line after a preposition, and be printed as a long dash.
        ("l'avenant n°1 pour un montant de\n— 44,80 € HT.\nL'avenant n°2", ["-44.80"]),
        # A section's name heads a row of results.
        ("Résultat de clôture 2016 INVESTISSEMENT – 82.636.88 €", ["-82636.88"]),
        # A list after a preposition: the dashes are bullets.
        ("pour un montant unitaire de\n- 2,45 € HT par repas\n- 2,73 € HT par repas", ["2.45", "2.73"]),
        ("ASR NETTOYAGE – 760,00 €", ["760.00"]),
    ],
)
def test_amounts_minus_signs_in_minutes(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_amounts_ocr_euro_read_as_e_before_a_tax_word() -> None:
    assert values("l'avenant n°2 pour un montant de + 1 154,00 E HT.") == ["1154.00"]


def test_amounts_a_unit_touching_the_figure_after_a_stray_euro_sign() -> None:
    assert values("Adj.Tech.territorial € 35h x") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de 0,05 à 0,15 € selon les revenus", ["0.05", "0.15"]),
        ("entre 20 000 et 35 000 € par an", ["20000", "35000"]),
        ("de 2 à 3 000 €", ["3000"]),  # written unlike: 2 may be thousands or units
        ("les années 2019 et 2020 : 1 500 €", ["1500"]),
    ],
)
def test_amounts_a_range_shares_its_currency(text: str, expected: list[str]) -> None:
    assert values(text) == expected
