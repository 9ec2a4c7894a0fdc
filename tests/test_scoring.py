"""bench/score.py's arithmetic: per-item expectations for séance minutes, matching expected items to
extracted ones, and macro-F1 over the field groups."""
from __future__ import annotations

import pytest

from pipeline.scoring import (
    Score, Tally, compare_partial, expected_items, f1, family_of, group_tallies, macro_f1, match_items,
)


def _record(number=None, title=None, **fields):
    return {"number": number, "title": title, "counts": {}, "vote": {}, "attendance": [], "decisions": [],
            "amounts": [], "budget_articles": [], "references": [], **fields}


def test_scoring_matches_items_by_number_then_title_then_position():
    expected = [{"index": 0, "number": "2019-01"}, {"index": 1, "title": "Tarifs de la cantine"},
                {"index": 2}, {"index": 3, "number": "2019-04"}]
    actual = [_record("2019-04", "Voirie"), _record(None, "Tarifs de la cantine scolaire"),
              _record("2019-01", "Budget"), _record(None, "Autre")]
    assert match_items(expected, actual) == [2, 1, None, 0]


def test_scoring_one_missing_item_does_not_shift_the_others():
    expected = [{"index": i, "title": t} for i, t in enumerate(["Budget primitif", "Tarifs de l'eau", "Voirie"])]
    actual = [_record(None, "Budget primitif"), _record(None, "Voirie")]
    assert match_items(expected, actual) == [0, None, 1]


def test_scoring_seance_facts_apply_to_every_item_and_movements_carry_on():
    expected = {
        "seance": {"session_date": "2019-03-14", "counts": {"present": 12},
                   "attendance_sample": [["Denis MOREL", "absent"], ["Luc Z", "present"]]},
        "deliberations": [{"index": 0, "title": "A"},
                          {"index": 1, "title": "B", "attendance_changes": [["Denis MOREL", "present"]],
                           "counts": {"present": 13}},
                          {"index": 2, "title": "C"}],
    }
    items = expected_items(expected)
    assert [i["session_date"] for i in items] == ["2019-03-14"] * 3
    assert [i["counts"]["present"] for i in items] == [12, 13, 12]
    assert [dict((n, s) for n, s, *_ in i["attendance_sample"])["Denis MOREL"] for i in items] == [
        "absent", "present", "present"]


def test_scoring_extra_records_cost_precision():
    expected = {"deliberation_count": 1, "seance": {}, "deliberations": [{"index": 0, "title": "Budget"}]}
    actual = {"deliberations": [_record(None, "Budget"), _record(None, "Questions diverses")]}
    score = compare_partial(expected, actual)
    assert (score.fields["title"].tp, score.fields["title"].fp) == (1, 1)
    assert score.fields["deliberation.count"].fn == 1


def test_scoring_macro_f1_is_the_mean_of_the_groups():
    score = Score()
    score.fields["title"] = Tally(tp=1)
    score.fields["vote.for"] = Tally(tp=1, fp=1, fn=1)
    assert set(group_tallies(score)) == {"header", "vote"}
    assert f1(group_tallies(score)["vote"]) == pytest.approx(0.5)
    assert macro_f1(score) == pytest.approx(0.75)


@pytest.mark.parametrize("expected, family", [
    ({"family": "list", "file": "x.pdf"}, "list"),
    ({"file": "couthenans_CR_2021-01-29.pdf"}, "minutes"),
    ({"file": "flaux_liste-delib_2025-05-16.pdf"}, "list"),
    ({"file": "mtp_2013-02-04-0000061115.pdf"}, "extract"),
])
def test_scoring_family_of_an_expectation(expected, family):
    assert family_of(expected) == family


def test_scoring_attendance_sample_checks_the_proxy_when_stated():
    expected = {"seance": {"attendance_sample": [["Marie X", "represented", {"proxy_to": "Paul Y"}]]},
                "deliberations": []}
    right = {"deliberations": [_record(attendance=[{"name": "Marie X", "status": "represented", "proxy_to": "Paul Y"}])]}
    wrong = {"deliberations": [_record(attendance=[{"name": "Marie X", "status": "represented", "proxy_to": "Luc Z"}])]}
    assert compare_partial(expected, right).fields["attendance_sample"].tp == 1
    assert compare_partial(expected, wrong).fields["attendance_sample"].fn == 1


def test_scoring_amounts_are_compared_as_numbers():
    # The expectations keep cents as printed ("250538.00"); the contract allows "250538".
    expected = {"seance": {}, "deliberations": [{"index": 0, "title": "DM", "amounts": [
        ["250538.00", "EUR"], ["0.8", "EUR"], ["130211", "EUR"]]}]}
    actual = {"deliberations": [_record(None, "DM", amounts=[
        {"value": "250538", "currency": "EUR"}, {"value": "0.80", "currency": "EUR"},
        {"value": "130.21", "currency": "EUR"}])]}
    tally = compare_partial(expected, actual).fields["amounts"]
    assert (tally.tp, tally.fp, tally.fn) == (2, 1, 1)


def _load(name: str):
    """A bench/ script as a module (bench/ is not a package)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_scoring_set_scores_every_expectation_beside_its_pdf(tmp_path):
    import json

    varied, score = _load("varied_extracts"), _load("score")
    varied.generate(tmp_path, n=2, seed=3)
    orphan = json.loads((tmp_path / "varied_000.expected.json").read_text(encoding="utf-8"))
    (tmp_path / "orphan.expected.json").write_text(json.dumps({**orphan, "file": "orphan.pdf"}), encoding="utf-8")

    scores = score.score_set(tmp_path, score.ExtractOptions(entities=False), None)

    assert list(scores) == [("extract", False)]  # born digital, from the expectations' "scanned"
    counted = scores[("extract", False)].fields["deliberation.count"]
    assert counted.tp + counted.fn == 2  # the orphan (no PDF beside it) is left out


def test_scoring_varied_extracts_are_the_same_from_run_to_run(tmp_path):
    varied = _load("varied_extracts")
    first, second = tmp_path / "a", tmp_path / "b"
    varied.generate(first, n=2, seed=5)
    varied.generate(second, n=2, seed=5)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    expected = __import__("json").loads((first / "varied_001.expected.json").read_text(encoding="utf-8"))
    assert expected["family"] == "extract" and len(expected["deliberations"]) == 1
