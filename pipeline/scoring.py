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


# The field groups an analyst cares about; macro-F1 is the mean of their F1 so that the many
# attendance names of one file do not outweigh its one vote.
GROUPS: dict[str, tuple[str, ...]] = {
    "header": ("authority", "body", "number", "title", "place"),
    "dates": ("session_date", "session_time", "convocation_date", "transmission_date",
              "publication_date"),
    "people": ("president", "secretary", "attendance", "attendance_sample"),
    "counts": ("counts.in_office", "counts.present", "counts.represented", "counts.voters"),
    "vote": ("vote.unanimous", "vote.for", "vote.against", "vote.abstentions", "vote.not_voting"),
    "decisions": ("decisions",),
    "money": ("amounts", "budget_articles"),
    "references": ("references",),
}
GROUP_OF = {name: group for group, names in GROUPS.items() for name in names}
FAMILIES = ("extract", "minutes", "list")


def f1(tally: Tally) -> float | None:
    if not tally.tp + tally.fp + tally.fn:
        return None
    return 2 * tally.tp / (2 * tally.tp + tally.fp + tally.fn)


def group_tallies(score: Score) -> dict[str, Tally]:
    """Field tallies summed per group (fields outside the groups, like page lists, are left out)."""
    out: dict[str, Tally] = {}
    for name, tally in score.fields.items():
        group = GROUP_OF.get(name)
        if group:
            total = out.setdefault(group, Tally())
            total.tp, total.fp, total.fn = total.tp + tally.tp, total.fp + tally.fp, total.fn + tally.fn
    return {group: out[group] for group in GROUPS if group in out}


def macro_f1(score: Score) -> float | None:
    values = [v for v in (f1(t) for t in group_tallies(score).values()) if v is not None]
    return sum(values) / len(values) if values else None


def family_of(expected: dict) -> str:
    """The document family an expectation declares; files written before families existed hold
    either one extract or, at index 0, a whole séance's facts."""
    if expected.get("family") in FAMILIES:
        return expected["family"]
    name = expected.get("file", "")
    if "liste" in name:
        return "list"
    if any(mark in name for mark in ("_CR_", "_PV_", "_pv", "_cr_")):
        return "minutes"
    return "extract"


def expected_items(expected: dict) -> list[dict]:
    """The expected items with the séance's facts applied: every item carries what is stated for
    the séance, its own values win, and arrivals/departures carry on to the later items."""
    seance = dict(expected.get("seance") or {})
    items = sorted(expected["deliberations"], key=lambda e: e.get("index", 0))
    if not seance:
        return items
    attendance = {loose(s[0]): list(s) for s in seance.pop("attendance_sample", [])}
    out = []
    for item in items:
        for change in item.get("attendance_changes", []):
            attendance[loose(change[0])] = list(change)
        merged = {**seance, **{k: v for k, v in item.items() if k != "attendance_changes"}}
        if "counts" in seance and "counts" in item:
            merged["counts"] = {**seance["counts"], **item["counts"]}
        if attendance:
            merged["attendance_sample"] = list(attendance.values())
        out.append(merged)
    if not out:  # only séance facts were checked: they are scored on the first record
        out.append({"index": 0, **seance, "attendance_sample": list(attendance.values())})
    return out


def match_items(expected: list[dict], actual: list[dict]) -> list[int | None]:
    """For each expected item, the index of its extracted record (None: not found).

    By printed number first, then by title similarity, then by position between the neighbours
    already matched, so that one item missed or split does not shift all the others.
    """
    from difflib import SequenceMatcher

    chosen: list[int | None] = [None] * len(expected)
    taken: set[int] = set()
    numbers = {}
    for j, act in enumerate(actual):
        if act.get("number"):
            numbers.setdefault(_bare_number(act["number"]), j)
    for i, exp in enumerate(expected):
        number = exp.get("number")
        j = numbers.get(_bare_number(number)) if number else None
        if j is not None and j not in taken:
            chosen[i] = j
            taken.add(j)
    for i, exp in enumerate(expected):
        if chosen[i] is not None or not exp.get("title"):
            continue
        want = loose(exp["title"])
        best, best_j = 0.0, None
        for j, act in enumerate(actual):
            if j in taken or not act.get("title"):
                continue
            got = loose(act["title"])
            ratio = SequenceMatcher(None, want[:160], got[:160]).ratio()
            if want[:40] and (got.startswith(want[:40]) or want.startswith(got[:40])):
                ratio = max(ratio, 0.9)
            if ratio > best:
                best, best_j = ratio, j
        if best_j is not None and best >= 0.6:
            chosen[i] = best_j
            taken.add(best_j)
    for i, exp in enumerate(expected):
        if chosen[i] is not None:
            continue
        before = max((k for k in range(i) if chosen[k] is not None), default=None)
        after = min((k for k in range(i + 1, len(expected)) if chosen[k] is not None), default=None)
        index = exp.get("index", i)
        if before is not None:
            guess = chosen[before] + (index - expected[before].get("index", before))
        else:
            guess = index
        upper = chosen[after] if after is not None else len(actual)
        lower = chosen[before] if before is not None else -1
        if lower < guess < upper and guess < len(actual) and guess not in taken:
            chosen[i] = guess
            taken.add(guess)
    return chosen


def _bare_number(value: str) -> str:
    return loose(value).replace(" ", "").lstrip("n°").lstrip("0") or "0"


def compare_partial(expected: dict, actual: dict, score: Score | None = None, label: str = "") -> Score:
    """Compare with a partial expectation (tests/corpus_dev): only the keys it states count.

    Lists there are samples (attendance) or possibly incomplete (amounts), so they are scored
    for recall only, except amounts marked complete. Expected items are matched to extracted
    records by number, title, then position (`match_items`); records beyond the stated number
    of deliberations count as one wrong title each.
    """
    score = score or Score()
    records = actual["deliberations"]
    items = expected_items(expected)
    if "seance" in expected or "deliberation_count" in expected:
        matches = match_items(items, records)
    else:  # the first format: items by position
        matches = [e.get("index", 0) if e.get("index", 0) < len(records) else None for e in items]
    for exp, j in zip(items, matches):
        _compare_item(exp, records[j] if j is not None else _EMPTY, score, f"{label}[{exp.get('index', 0)}] ")
    count = expected.get("deliberation_count")
    if count is not None:
        score.add_scalar("deliberation.count", count, len(records), label)
        score.fields["title"].fp += max(0, len(records) - count)
    return score


def _number(value: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return value
    return format(number.normalize(), "f")


def _compare_item(exp: dict, act: dict, score: Score, where: str) -> None:
    for name in SCALARS:
        if name in exp:
            score.add_scalar(name, loose(exp[name]), loose(act.get(name)), where)
    for group in ("counts", "vote"):
        for name, value in (exp.get(group) or {}).items():
            score.add_scalar(f"{group}.{name}", value, act[group].get(name), where)
    if "decisions" in exp:
        score.add_items("decisions", [{"verb": v, "text": ""} for v in exp["decisions"]],
                        [{"verb": d["verb"], "text": ""} for d in act["decisions"]], where)
    if "budget_articles" in exp:
        score.add_items("budget_articles", [{"code": c} for c in exp["budget_articles"]],
                        act["budget_articles"], where)
    if "amounts" in exp:
        # Compared as numbers (the expectations keep cents as printed, "250538.00"; the contract
        # allows "250538"): a value is right whatever its trailing zeros.
        wanted = [{"value": _number(v), "currency": c} for v, c in exp["amounts"]]
        got = [{**a, "value": _number(a["value"])} for a in act["amounts"]]
        if not exp.get("amounts_complete", True):
            keys = {(a["value"], a["currency"]) for a in wanted}
            got = [a for a in got if (a["value"], a["currency"]) in keys]
        score.add_items("amounts", wanted, got, where)
    if "references" in exp:
        score.add_items("references", exp["references"],
                        [{"number": r["number"], "date": r["date"]} for r in act["references"]]
                        if all("date" in r for r in exp["references"]) else
                        [{"number": r["number"]} for r in act["references"]], where)
    people = {loose(p["name"]): p for p in act["attendance"]}
    for sample in exp.get("attendance_sample", []):
        name, status = sample[0], sample[1]
        link = sample[2] if len(sample) > 2 and isinstance(sample[2], dict) else {}
        found = people.get(loose(name))
        tally = score.fields["attendance_sample"]
        same_link = all(loose(found.get(k)) == loose(v) for k, v in link.items()) if found else False
        if found and found["status"] == status and same_link:
            tally.tp += 1
        else:
            tally.fn += 1
            tally.fp += found is not None
            score.differences.append(
                f"{where}attendance: {name} expected {status} {link or ''}, "
                f"got {(found['status'], found.get('proxy_to'), found.get('substitute_for')) if found else 'nothing'}")
