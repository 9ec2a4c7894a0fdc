"""Accuracy of the ACTES matière classifier on hand-labelled deliberations (a benchmark, not a test).

    python bench/matiere.py                  # dev, test and all: accuracy, coverage, confusion
    python bench/matiere.py --split test     # one half only
    python bench/matiere.py --errors         # every wrong or abstained title, to read
    python bench/matiere.py --json

The labels are `tests/data/matiere_labels.csv`: deliberation titles from samples/, the per-item
expectation files of tests/corpus_dev/, titles read in the real corpus PDFs and the Montpellier
open-data list of 2013-11/12, each given its level-2 ACTES code by a person reading the title
before the classifier existed. `split` halves them by a hash of source and item: the rules were
tuned on `dev` only, `test` measures how they do on titles they were not tuned on.

Figures, per split:
  coverage  share of titles given a code (the rest abstain: DELIB_MATIERE_* left empty);
  accuracy  share of the titles given a code whose code is right (precision of what is published);
  overall   share of all titles given the right code (= coverage x accuracy);
  level 1   share of the titles given a code whose matière (first digit) is right.
The confusion table counts, per labelled matière (level 1), what the classifier said.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.matiere import classify  # noqa: E402

LABELS = ROOT / "tests" / "data" / "matiere_labels.csv"


def load(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def measure(rows: list[dict[str, str]]) -> dict:
    n = len(rows)
    answered = right = right_level1 = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for row in rows:
        guess = classify(row["title"])
        said = guess.code if guess else "-"
        confusion[row["code"].split(".")[0]][said.split(".")[0]] += 1
        if guess:
            answered += 1
            right += said == row["code"]
            right_level1 += said.split(".")[0] == row["code"].split(".")[0]
        if said != row["code"]:
            errors.append({"source": row["source"], "item": row["item"], "label": row["code"],
                           "said": said, "title": row["title"]})
    return {
        "n": n,
        "answered": answered,
        "right": right,
        "coverage": answered / n if n else 0.0,
        "accuracy": right / answered if answered else 0.0,
        "overall": right / n if n else 0.0,
        "level1_accuracy": right_level1 / answered if answered else 0.0,
        "confusion": {k: dict(v) for k, v in sorted(confusion.items())},
        "errors": errors,
    }


def _print(name: str, m: dict, show_errors: bool) -> None:
    print(f"{name:5} n={m['n']:3}  coverage {m['coverage']:6.1%}  accuracy {m['accuracy']:6.1%}"
          f"  overall {m['overall']:6.1%}  level-1 accuracy {m['level1_accuracy']:6.1%}"
          f"  ({m['right']}/{m['answered']} right)")
    if show_errors:
        for e in m["errors"]:
            print(f"      {e['label']:>4} said {e['said']:>4}  {e['title'][:110]}")


def _print_confusion(m: dict) -> None:
    columns = [str(i) for i in range(1, 10)] + ["-"]
    print("\nconfusion (all), labelled matière -> said (level 1; '-' = abstained)")
    print("label " + " ".join(f"{c:>4}" for c in columns) + "   n")
    for label, said in m["confusion"].items():
        print(f"{label:>5} " + " ".join(f"{said.get(c, 0) or '.':>4}" for c in columns) + f" {sum(said.values()):3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), help="only this half (default: all three)")
    parser.add_argument("--errors", action="store_true", help="list every wrong or abstained title")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    rows = load()
    splits = {"dev": [r for r in rows if r["split"] == "dev"],
              "test": [r for r in rows if r["split"] == "test"], "all": rows}
    names = [args.split] if args.split else ["dev", "test", "all"]
    results = {name: measure(splits[name]) for name in names}
    if args.json:
        for m in results.values():
            if not args.errors:
                m.pop("errors")
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for name in names:
        _print(name, results[name], args.errors)
    _print_confusion(results[names[-1]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
