"""The M14/M57 nomenclature table and its look-ups."""
from __future__ import annotations

import pytest

from models.nomenclature import all_accounts, is_known, label_for


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("6574", "Subventions de fonctionnement aux associations et autres personnes de droit privé"),
        ("611", "Contrats de prestations de services"),
        ("6232", "Fêtes et cérémonies"),
        ("2041582", "Autres groupements - Bâtiments et installations"),
        ("20422", "Privé - Bâtiments et installations"),
        ("2313", "Constructions"),
        ("011", "Charges à caractère général"),
        ("012", "Charges de personnel et frais assimilés"),
        ("65", "Autres charges de gestion courante"),
        ("023", "Virement à la section d'investissement"),
        ("1068", "Excédents de fonctionnement capitalisés"),
    ],
)
def test_nomenclature_gives_the_official_label(code: str, label: str) -> None:
    assert label_for(code) == label


@pytest.mark.parametrize(
    "code",
    ["2183", "2184", "2188", "6068", "60632", "6226", "6281", "6554", "65541", "6558", "739211",
     "7411", "7478", "74718", "752", "1641", "10222", "021", "014", "66", "67", "68", "20", "204",
     "21", "23", "16", "13", "70", "73", "74", "75", "77", "040", "041", "042", "043"],
)
def test_nomenclature_knows_the_accounts_deliberations_cite(code: str) -> None:
    assert is_known(code)
    assert label_for(code)


@pytest.mark.parametrize("code", ["65749999", "6579", "9999", "020153", ""])
def test_nomenclature_has_no_label_for_unknown_codes(code: str) -> None:
    assert label_for(code) is None
    assert not is_known(code)


def test_nomenclature_does_not_fall_back_to_the_parent_label() -> None:
    assert is_known("6574")
    assert label_for("65749") is None


def test_nomenclature_ignores_spaces_in_a_code() -> None:
    assert label_for(" 6574 ") == label_for("6574")


def test_nomenclature_lists_every_account_once_with_its_class() -> None:
    accounts = all_accounts()
    codes = [code for code, _label, _class in accounts]
    assert len(accounts) >= 300
    assert len(codes) == len(set(codes))
    assert all(code.isdigit() and 2 <= len(code) <= 7 for code in codes)
    assert all(klass == code[0] and label for code, label, klass in accounts)


def test_nomenclature_covers_classes_two_and_six() -> None:
    classes = {klass for _code, _label, klass in all_accounts()}
    assert {"0", "1", "2", "6", "7"} <= classes
