"""Field-by-field comparison of extracted deliberations with hand-checked expectations.

Used by the golden tests (exact agreement) and by `bench/score.py` (precision and
recall per field). A wrong value counts as both a false positive and a false negative: it costs
more than a missing one, as it does for the people who rely on the data.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

SCALARS = (
    "authority", "body", "number", "title", "session_date", "session_time", "convocation_date",
    "transmission_date", "publication_date", "place", "president", "secretary",
)


def _fold(value: Any) -> Any:
    """Whitespace folded, typographic apostrophes plain: delib normalises both on reading."""
    return " ".join(value.replace("’", "'").split()) if isinstance(value, str) else value


# Each list field: how one item is keyed for comparison (order-free sets, except decisions).
ITEM_KEYS: dict[str, Callable[[dict], tuple]] = {
    "attendance": lambda p: (
        _fold(p["name"]), p.get("civility"), p["status"], _fold(p.get("substitute_for")),
        _fold(p.get("proxy_to")),
    ),
    "decisions": lambda d: (d["verb"], _fold(d["text"])),
    "amounts": lambda a: (a["value"], a["currency"]),
    "budget_articles": lambda b: (b["code"],),
    "references": lambda r: (loose(r["number"]).replace(" ", ""), r.get("date")),
}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Score:
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    differences: list[str] = field(default_factory=list)

    def add_scalar(self, name: str, expected: Any, actual: Any, where: str) -> None:
        tally = self.fields[name]
        expected, actual = _fold(expected), _fold(actual)
        if expected == actual:
            tally.tp += expected is not None
            return
        tally.fp += actual is not None
        tally.fn += expected is not None
        self.differences.append(f"{where}{name}: expected {expected!r}, got {actual!r}")

    def add_items(self, name: str, expected: list, actual: list, where: str) -> None:
        tally = self.fields[name]
        key = ITEM_KEYS[name]
        exp, act = [key(i) for i in expected], [key(i) for i in actual]
        if name == "decisions":  # order matters: compare position by position
            for index in range(max(len(exp), len(act))):
                e = exp[index] if index < len(exp) else None
                a = act[index] if index < len(act) else None
                if e == a:
                    tally.tp += 1
                else:
                    tally.fp += a is not None
                    tally.fn += e is not None
                    self.differences.append(f"{where}decisions[{index}]: expected {e!r}, got {a!r}")
            return
        exp_set, act_set = set(exp), set(act)
        tally.tp += len(exp_set & act_set)
        tally.fp += len(act_set - exp_set)
        tally.fn += len(exp_set - act_set)
        for item in sorted(exp_set - act_set, key=repr):
            self.differences.append(f"{where}{name}: missing {item!r}")
        for item in sorted(act_set - exp_set, key=repr):
            self.differences.append(f"{where}{name}: unexpected {item!r}")


def compare(expected: dict, actual: dict, score: Score | None = None, label: str = "") -> Score:
    """Compare one document's contract output with its expected file."""
    score = score or Score()
    score.add_scalar("document.pages", expected.get("pages"), actual["source"]["pages"], label)
    if "ocr" in expected:
        score.add_scalar("document.ocr", expected["ocr"], actual["source"]["ocr"], label)
    exp_list, act_list = expected["deliberations"], actual["deliberations"]
    score.add_scalar("deliberation.count", len(exp_list), len(act_list), label)
    for index, exp in enumerate(exp_list):
        act = act_list[index] if index < len(act_list) else _EMPTY
        where = f"{label}[{index}] "
        score.add_scalar("pages", exp["pages"], act["pages"], where)
        for name in SCALARS:
            score.add_scalar(name, exp.get(name), act.get(name), where)
        for name in ("in_office", "present", "represented", "voters"):
            score.add_scalar(f"counts.{name}", exp["counts"].get(name), act["counts"].get(name), where)
        for name in ("unanimous", "for", "against", "abstentions", "not_voting"):
            score.add_scalar(f"vote.{name}", exp["vote"].get(name), act["vote"].get(name), where)
        for name in ITEM_KEYS:
            score.add_items(name, exp.get(name, []), act.get(name, []), where)
    return score


_EMPTY: dict = {
    "pages": None, "counts": {}, "vote": {}, **{name: None for name in SCALARS},
    **{name: [] for name in ITEM_KEYS},
}


def loose(value: Any) -> Any:
    """Case, accents, apostrophes and spacing around hyphens folded: how a reader compares."""
    import unicodedata

    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKD", value.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = " ".join(text.replace(" -", "-").replace("- ", "-").replace("–", "-").split())
    return text


def compare_partial(expected: dict, actual: dict, score: Score | None = None, label: str = "") -> Score:
    """Compare with a partial expectation (tests/corpus_dev): only the keys it states count.

    Lists there are samples (attendance) or possibly incomplete (amounts), so they are scored
    for recall only, except amounts marked complete.
    """
    score = score or Score()
    records = actual["deliberations"]
    for exp in expected["deliberations"]:
        index = exp.get("index", 0)
        act = records[index] if index < len(records) else _EMPTY
        where = f"{label}[{index}] "
        for name in SCALARS:
            if name in exp:
                score.add_scalar(name, loose(exp[name]), loose(act.get(name)), where)
        for group in ("counts", "vote"):
            for name, value in (exp.get(group) or {}).items():
                score.add_scalar(f"{group}.{name}", value, act[group].get(name), where)
        if "budget_articles" in exp:
            score.add_items("budget_articles", [{"code": c} for c in exp["budget_articles"]],
                            act["budget_articles"], where)
        if "amounts" in exp:
            wanted = [{"value": v, "currency": c} for v, c in exp["amounts"]]
            got = act["amounts"]
            if not exp.get("amounts_complete", True):
                keys = {(a["value"], a["currency"]) for a in wanted}
                got = [a for a in got if (a["value"], a["currency"]) in keys]
            score.add_items("amounts", wanted, got, where)
        if "references" in exp:
            score.add_items("references", exp["references"],
                            [{"number": r["number"], "date": r["date"]} for r in act["references"]]
                            if all("date" in r for r in exp["references"]) else
                            [{"number": r["number"]} for r in act["references"]], where)
        for sample in exp.get("attendance_sample", []):
            name, status = sample[0], sample[1]
            people = {loose(p["name"]): p for p in act["attendance"]}
            found = people.get(loose(name))
            tally = score.fields["attendance_sample"]
            if found and found["status"] == status:
                tally.tp += 1
            else:
                tally.fn += 1
                tally.fp += found is not None
                score.differences.append(
                    f"{where}attendance: {name} expected {status}, got {found['status'] if found else 'nothing'}")
    return score
