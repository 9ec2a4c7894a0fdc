"""Field-by-field comparison of extracted deliberations with hand-checked expectations.

Used by the golden tests (exact agreement) and by `bench/score_samples.py` (precision and
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
    return " ".join(value.split()) if isinstance(value, str) else value


# Each list field: how one item is keyed for comparison (order-free sets, except decisions).
ITEM_KEYS: dict[str, Callable[[dict], tuple]] = {
    "attendance": lambda p: (
        _fold(p["name"]), p.get("civility"), p["status"], _fold(p.get("substitute_for")),
        _fold(p.get("proxy_to")),
    ),
    "decisions": lambda d: (d["verb"], _fold(d["text"])),
    "amounts": lambda a: (a["value"], a["currency"]),
    "budget_articles": lambda b: (b["code"],),
    "references": lambda r: (r["number"], r.get("date")),
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
