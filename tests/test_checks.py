"""Consistency checks: each rule raises a finding that names the figures, and stays silent when
the record is consistent or does not state what the rule needs."""
from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from extractors.checks import ORDINARY, Finding, check, legal_periods, regimes_for, warnings_for
from models.records import BudgetArticle, Counts, Deliberation, Person, Vote

ROOT = Path(__file__).resolve().parents[1]
ORDINARY_DAY = date(2019, 3, 12)


def delib(**fields) -> Deliberation:
    """A consistent deliberation of an ordinary day, changed by `fields`."""
    base = Deliberation(pages=(1,), session_date=ORDINARY_DAY)
    return replace(base, **fields)


def people(present: int = 0, represented: tuple[str, ...] = (), excused: int = 0) -> tuple[Person, ...]:
    """`present` members P1..Pn, members represented giving their proxy to the named holders."""
    out = [Person(f"Membre P{i}", "present") for i in range(1, present + 1)]
    out += [Person(f"Membre R{i}", "represented", proxy_to=holder) for i, holder in enumerate(represented, 1)]
    out += [Person(f"Membre E{i}", "excused") for i in range(1, excused + 1)]
    return tuple(out)


def rules(d: Deliberation) -> list[str]:
    return [f.rule for f in check(d)]


def only(d: Deliberation, rule: str) -> Finding:
    found = [f for f in check(d) if f.rule == rule]
    assert len(found) == 1, check(d)
    return found[0]


# -- a consistent record raises nothing -------------------------------------------------------

def test_checks_consistent_deliberation_has_no_finding():
    d = delib(
        convocation_date=date(2019, 3, 5), transmission_date=date(2019, 3, 14), publication_date=date(2019, 3, 15),
        counts=Counts(in_office=19, present=14, represented=3, voters=17),
        attendance=people(14, ("Membre P1", "Membre P2", "Membre P3"), excused=2),
        vote=Vote(unanimous=False, for_=14, against=2, abstentions=1),
        budget_articles=(BudgetArticle("6574"), BudgetArticle("65")),
    )
    assert check(d) == []


def test_checks_empty_record_has_no_finding():
    assert check(Deliberation(pages=(1,))) == []


def test_checks_hand_checked_samples_have_no_finding():
    """The samples are consistent documents: a finding on them would be false."""
    for path in sorted((ROOT / "samples").glob("*.expected.json")):
        for x in json.loads(path.read_text(encoding="utf-8"))["deliberations"]:
            d = _from_golden(x)
            assert check(d) == [], path.name


# -- counts against the lists ------------------------------------------------------------------

@pytest.mark.parametrize("stated, listed, message", [
    (31, 29, "31 present stated, 29 listed present"),
    (5, 6, "5 present stated, 6 listed present"),
])
def test_checks_present_count_against_list(stated, listed, message):
    d = delib(counts=Counts(present=stated), attendance=people(listed))
    assert only(d, "present_count") == Finding("present_count", message, "warning")


@pytest.mark.parametrize("attendance", [
    (),  # no list at all
    people(0, excused=3),  # only the absentees are named: says nothing of who was there
], ids=["no list", "absentees only"])
def test_checks_present_count_needs_a_list_of_present(attendance):
    assert rules(delib(counts=Counts(present=12), attendance=attendance)) == []


def test_checks_present_count_counts_a_name_written_twice_once():
    attendance = people(3) + (Person("MEMBRE p1", "present"),)
    assert rules(delib(counts=Counts(present=3), attendance=attendance)) == []


def test_checks_represented_against_proxies_listed():
    d = delib(counts=Counts(represented=3), attendance=people(2, ("Membre P1", "Membre P2")))
    assert only(d, "represented_count").message == "3 represented stated, 2 proxies listed"


@pytest.mark.parametrize("counts, vote, found", [
    (Counts(present=14, represented=3, voters=17), Vote(), False),
    (Counts(present=14, represented=3, voters=16), Vote(), True),
    (Counts(present=14, represented=3, voters=16), Vote(not_voting=1), False),  # one left the vote
    (Counts(present=14, voters=99), Vote(), False),  # represented not stated: nothing to add up
])
def test_checks_voters_are_present_plus_represented(counts, vote, found):
    d = delib(counts=counts, vote=vote)
    assert ("voters_count" in rules(d)) is found


def test_checks_voters_message_names_the_figures():
    d = delib(counts=Counts(present=14, represented=3, voters=18))
    assert only(d, "voters_count").message == "18 voters stated, but 14 present + 3 represented = 17"


@pytest.mark.parametrize("counts, message", [
    (Counts(in_office=19, present=20), "20 present, more than the 19 members in office"),
    (Counts(in_office=19, present=17, represented=3), "20 present or represented, more than the 19 members in office"),
    (Counts(in_office=19, voters=21), "21 voters, more than the 19 members in office"),
])
def test_checks_counts_against_members_in_office(counts, message):
    assert only(delib(counts=counts), "in_office") == Finding("in_office", message, "error")


# -- vote arithmetic ----------------------------------------------------------------------------

@pytest.mark.parametrize("vote, voters, message", [
    (Vote(for_=14, against=2, abstentions=2), 17, "14 for + 2 against + 2 abstentions = 18, but 17 voters stated"),
    (Vote(for_=14, against=2, abstentions=0), 17, "14 for + 2 against + 0 abstentions = 16, but 17 voters stated"),
    (Vote(for_=54, against=3), 50, "54 for + 3 against = 57, more than the 50 voters stated"),
    (Vote(unanimous=True, against=2), None, "unanimity stated, but 2 against"),
])
def test_checks_vote_arithmetic(vote, voters, message):
    d = delib(counts=Counts(voters=voters), vote=vote)
    assert only(d, "vote_arithmetic") == Finding("vote_arithmetic", message, "error")


@pytest.mark.parametrize("vote, counts", [
    (Vote(for_=14, against=2, abstentions=1), Counts(voters=17)),
    (Vote(for_=14, against=2, abstentions=1, not_voting=1), Counts(voters=18)),  # counted among voters
    (Vote(for_=54, against=3), Counts(voters=60)),  # abstentions not stated: may be 3
    (Vote(for_=54, against=3), Counts()),  # no voters stated
    (Vote(unanimous=True), Counts(voters=17)),
])
def test_checks_vote_arithmetic_silent_when_consistent_or_unstated(vote, counts):
    assert "vote_arithmetic" not in rules(delib(counts=counts, vote=vote))


def test_checks_votes_without_voters_cannot_exceed_members_present():
    d = delib(counts=Counts(present=10, represented=2), vote=Vote(for_=13))
    assert only(d, "vote_arithmetic").message == "13 for = 13, more than the 12 members present or represented"


# -- quorum ----------------------------------------------------------------------------------

@pytest.mark.parametrize("in_office, present, found", [
    (19, 10, False),  # 10 > 9.5
    (19, 9, True),
    (20, 11, False),
    (20, 10, True),  # exactly half is not a majority
])
def test_checks_quorum_is_a_majority_of_members_in_office(in_office, present, found):
    d = delib(counts=Counts(in_office=in_office, present=present))
    assert ("quorum" in rules(d)) is found


def test_checks_quorum_does_not_count_proxies_in_ordinary_times():
    d = delib(counts=Counts(in_office=19, present=9, represented=5))
    assert only(d, "quorum") == Finding(
        "quorum", "9 present of 19 in office: below the quorum of 10 (more than half: CGCT L2121-17); "
        "lawful only after a second convocation", "warning")


def test_checks_quorum_not_required_after_a_second_convocation():
    d = delib(counts=Counts(in_office=19, present=5),
              text="Le quorum n'ayant pas été atteint le 2 mars, le conseil a été réuni sur seconde convocation.")
    assert rules(d) == []


@pytest.mark.parametrize("day, present, represented, found", [
    (date(2020, 5, 14), 7, 0, False),  # a third of 19 is 6.33: 7 suffice
    (date(2020, 5, 14), 5, 2, False),  # proxies count in that period
    (date(2020, 5, 14), 5, 1, True),
    (date(2020, 3, 26), 5, 2, True),  # before ordonnance 2020-391: proxies not counted yet
    (date(2020, 10, 20), 7, 0, True),  # between the two periods: ordinary rule again
    (date(2021, 2, 4), 5, 2, False),  # loi 2020-1379
    (date(2021, 10, 14), 7, 0, True),  # common law from 1 October 2021
    (date(2022, 1, 20), 5, 2, False),  # loi 2021-1465
    (date(2022, 7, 31), 7, 0, False),  # last day
    (date(2022, 8, 1), 7, 0, True),
])
def test_checks_quorum_health_emergency_periods(day, present, represented, found):
    d = delib(session_date=day, counts=Counts(in_office=19, present=present, represented=represented))
    assert ("quorum" in rules(d)) is found


def test_checks_quorum_message_in_a_health_emergency_names_the_law():
    d = delib(session_date=date(2021, 2, 4), counts=Counts(in_office=30, present=6, represented=2))
    message = only(d, "quorum").message
    assert message.startswith("6 present + 2 represented of 30 in office: below the quorum of 10 (a third, counting proxies")
    assert "loi n° 2020-1379" in message


def test_checks_quorum_without_a_date_flags_only_what_no_law_allows():
    assert rules(delib(session_date=None, counts=Counts(in_office=19, present=7))) == []
    assert rules(delib(session_date=None, counts=Counts(in_office=19, present=4, represented=2))) == ["quorum"]


# -- proxies -----------------------------------------------------------------------------------

def test_checks_one_proxy_per_member():
    d = delib(attendance=people(5, ("M. Membre P1", "Membre P1", "Membre P2")))
    assert only(d, "proxies_per_member") == Finding(
        "proxies_per_member", "M. Membre P1 holds 2 proxies (Membre R1, Membre R2); at most 1 per member "
        "(CGCT L2121-20)", "error")


@pytest.mark.parametrize("day, holders, found", [
    (date(2021, 2, 4), ("Membre P1", "Membre P1"), False),  # two proxies allowed
    (date(2021, 2, 4), ("Membre P1", "Membre P1", "Membre P1"), True),
    (date(2019, 2, 4), ("Membre P1", "Membre P1"), True),
])
def test_checks_two_proxies_per_member_in_health_emergency(day, holders, found):
    d = delib(session_date=day, attendance=people(5, holders))
    assert ("proxies_per_member" in rules(d)) is found


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, message", [
    ({"convocation_date": date(2019, 3, 13)}, "séance dated 2019-03-12, before the convocation of 2019-03-13"),
    ({"transmission_date": date(2019, 3, 11)},
     "transmission to the préfecture dated 2019-03-11, before the séance of 2019-03-12"),
    ({"publication_date": date(2018, 3, 18)}, "publication dated 2018-03-18, before the séance of 2019-03-12"),
])
def test_checks_dates_in_order(fields, message):
    assert only(delib(**fields), "dates_order") == Finding("dates_order", message, "error")


def test_checks_same_day_dates_are_in_order():
    d = delib(convocation_date=ORDINARY_DAY, transmission_date=ORDINARY_DAY, publication_date=ORDINARY_DAY)
    assert rules(d) == []


# -- budget codes ------------------------------------------------------------------------------

def test_checks_budget_code_unknown_to_the_nomenclature():
    d = delib(budget_articles=(BudgetArticle("6574"), BudgetArticle("99999", page=2), BudgetArticle("99999")))
    assert only(d, "budget_code") == Finding(
        "budget_code", "budget code 99999 (page 2) is not in the M14/M57 nomenclature", "warning")


# -- the periods are data ------------------------------------------------------------------------

def test_checks_legal_periods_are_ordered_sourced_and_in_force_2020_2022():
    periods = legal_periods()
    assert [(p.start.isoformat(), p.end.isoformat()) for p in periods] == [
        ("2020-03-24", "2020-04-01"), ("2020-04-02", "2020-08-30"),
        ("2020-11-15", "2021-09-30"), ("2021-11-10", "2022-07-31")]
    assert all(p.regime.max_proxies == 2 and p.comment for p in periods)
    rows = list(csv.DictReader((ROOT / "extractors" / "data" / "legal_periods.csv").open(encoding="utf-8")))
    assert all(row["legal_basis"].startswith("loi") for row in rows)


def test_checks_regime_of_an_ordinary_day_is_the_cgct():
    assert regimes_for(ORDINARY_DAY, legal_periods()) == (ORDINARY,)


# -- a finding never drops data; warnings for `delib extract` --------------------------------

def test_checks_do_not_change_the_record():
    d = delib(counts=Counts(in_office=19, present=30))
    before = repr(d)
    check(d)
    assert repr(d) == before


def test_checks_warnings_for_name_the_deliberation_rule_and_severity():
    ok = delib()
    bad = delib(publication_date=date(2018, 3, 18))
    assert warnings_for([ok, bad]) == [
        "deliberation 2: dates_order (error): publication dated 2018-03-18, before the séance of 2019-03-12"]


def _from_golden(x: dict) -> Deliberation:
    day = {k: date.fromisoformat(x[k]) if x.get(k) else None
           for k in ("session_date", "convocation_date", "transmission_date", "publication_date")}
    vote = x["vote"]
    return Deliberation(
        pages=tuple(x["pages"]), **day, counts=Counts(**x["counts"]),
        attendance=tuple(Person(a["name"], a["status"], a.get("civility"), a.get("substitute_for"), a.get("proxy_to"))
                         for a in x["attendance"]),
        vote=Vote(vote["unanimous"], vote["for"], vote["against"], vote["abstentions"], vote.get("not_voting")),
        budget_articles=tuple(BudgetArticle(b["code"]) for b in x["budget_articles"]),
    )


# -- stored findings (`delib check`) -----------------------------------------------------------

@pytest.fixture()
def filled_store(tmp_path):
    from models.store import open_store
    from tests.store_fixtures import fill

    with open_store(f"sqlite:///{tmp_path / 'delib.db'}") as store:
        fill(store)
        yield store


def _stored(store) -> list[tuple]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return conn.execute(text(
            "SELECT d.number, f.rule, f.severity, f.message FROM findings f "
            "JOIN deliberations d ON d.id = f.deliberation_id ORDER BY f.id")).all()


def test_checks_run_checks_stores_findings_of_the_database(filled_store):
    from pipeline.checks import run_checks

    # The fixture's séance lists 2 members present (and a substitute sitting in) but states 3.
    assert run_checks(filled_store) == 1
    assert _stored(filled_store) == [("2020-015", "present_count", "warning", "3 present stated, 2 listed present")]


def test_checks_run_checks_recomputes_rather_than_adds(filled_store):
    from pipeline.checks import run_checks

    run_checks(filled_store)
    first = _stored(filled_store)
    assert run_checks(filled_store) == len(first)
    assert _stored(filled_store) == first


def test_checks_run_checks_creates_the_table_in_an_older_database(filled_store):
    from sqlalchemy import text

    from models.findings import summary
    from pipeline.checks import run_checks

    with filled_store.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS findings"))
    assert run_checks(filled_store) == 1
    assert [(r.severity, r.rule, r.count) for r in summary(filled_store)] == [("warning", "present_count", 1)]


def test_checks_findings_go_with_their_deliberation(filled_store):
    from sqlalchemy import text

    from pipeline.checks import run_checks

    run_checks(filled_store)
    with filled_store.engine.begin() as conn:
        conn.execute(text("DELETE FROM deliberations WHERE number = '2020-015'"))
    assert _stored(filled_store) == []


def test_checks_to_review_gives_what_opens_the_document(filled_store):
    from models.findings import to_review
    from pipeline.checks import run_checks

    run_checks(filled_store)
    [view] = to_review(filled_store, severity="warning")
    assert (view.authority, view.number, view.pages, view.path) == (
        "Commune de Cluses", "2020-015", "1,2", "/archive/cluses-2020-03-05.pdf")
    assert to_review(filled_store, severity="error") == []


def test_checks_cli_check_exits_0_and_prints_a_summary(filled_store, tmp_path, capsys):
    import argparse

    from pipeline.cli import check as check_command

    parser = argparse.ArgumentParser(prog="delib")
    check_command.add_commands(parser.add_subparsers())
    args = parser.parse_args(["check", "--db", str(tmp_path / "delib.db")])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 finding(s).\n  warning  present_count        1\n")
    assert "/archive/cluses-2020-03-05.pdf, page(s) 1,2" in out


def test_checks_update_reads_only_what_was_not_checked(tmp_path):
    from models.store import open_store
    from pipeline.checks import update_checks
    from tests.store_fixtures import CLUSES_DEC_2019, CLUSES_MARCH_2020, POLE_2021, fill

    with open_store(f"sqlite:///{tmp_path / 'delib.db'}") as store:
        fill(store, (CLUSES_MARCH_2020, CLUSES_DEC_2019))
        first = update_checks(store)
        assert (first.checked, first.total, first.everything) == (3, 1, True)
        again = update_checks(store)
        assert (again.checked, again.total, again.everything) == (0, 1, False)
        fill(store, (POLE_2021,))  # a new import: only its deliberation is read
        assert update_checks(store).checked == 1
        # Re-extracting a document replaces its deliberations: they are checked again, alone.
        store.replace_extraction(CLUSES_MARCH_2020, extractor_version="2.0")
        after = update_checks(store)
        assert (after.checked, after.total) == (2, 1)
        assert _stored(store) == [("2020-015", "present_count", "warning", "3 present stated, 2 listed present")]
        assert update_checks(store, everything=True).checked == 4


def test_checks_update_checks_everything_again_when_the_rules_change(filled_store):
    from models.findings import update
    from pipeline.checks import update_checks

    update_checks(filled_store)
    assert update(filled_store, lambda record: [], "other rules").checked == 4
    assert _stored(filled_store) == []
    assert update_checks(filled_store).checked == 4
    assert len(_stored(filled_store)) == 1


def test_checks_cli_check_json(filled_store, tmp_path, capsys):
    import json

    from pipeline.cli import main

    assert main(["check", "--json", "--db", str(tmp_path / "delib.db")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["checked"], report["all"], report["findings"]) == (4, True, 1)
    assert report["counts"] == [{"severity": "warning", "rule": "present_count", "count": 1}]
    [listed] = report["listed"]
    assert (listed["number"], listed["path"], listed["pages"]) == ("2020-015", "/archive/cluses-2020-03-05.pdf", "1,2")
    assert main(["check", "--json", "--db", str(tmp_path / "delib.db")]) == 0
    assert json.loads(capsys.readouterr().out)["checked"] == 0
