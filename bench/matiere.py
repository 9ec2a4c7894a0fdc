"""Accuracy of the ACTES matière classifier on hand-labelled deliberations (a benchmark, not a test).

    python bench/matiere.py                  # dev, test and all: accuracy, coverage, confusion
    python bench/matiere.py --split test     # one half only
    python bench/matiere.py --errors         # every wrong or abstained title, to read
    python bench/matiere.py --json
    python bench/matiere.py --operative      # also: title alone vs title + operative part

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

`--operative` compares, on the labelled titles whose operative part is at hand, the title alone
with the title plus the operative clauses (what the SCDL export passes): the samples' golden
decisions, and the decisions delib reads in the single-deliberation Montpellier extracts of
../shared/corpus/real (skipped when absent; these are extracted, so they take a few seconds).
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
SAMPLES = ROOT / "samples"
REAL = ROOT.parent.parent / "shared" / "corpus" / "real"


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


def operative_texts(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(source, item) -> operative clauses joined, where they are at hand."""
    out: dict[tuple[str, str], str] = {}
    for row in rows:
        golden = SAMPLES / f"{row['source']}.expected.json"
        if golden.exists():
            delib = json.loads(golden.read_text(encoding="utf-8"))["deliberations"][int(row["item"])]
            out[(row["source"], row["item"])] = " ".join(f"{d['verb']} {d['text']}" for d in delib["decisions"])
    pdfs = {row["source"]: row for row in rows if row["source"].startswith("mtp_2") and (REAL / f"{row['source']}.pdf").exists()}
    if pdfs:
        from pipeline.api import ExtractOptions, extract_document

        for source, row in sorted(pdfs.items()):
            extraction = extract_document(REAL / f"{source}.pdf", ExtractOptions(entities=False))
            if len(extraction.deliberations) == 1:
                decisions = extraction.deliberations[0].decisions
                out[(source, row["item"])] = " ".join(f"{d.verb} {d.text}" for d in decisions)
    return out


def compare_operative(rows: list[dict[str, str]]) -> None:
    texts = operative_texts(rows)
    picked = [row for row in rows if (row["source"], row["item"]) in texts]
    title_right = both_right = title_answered = both_answered = 0
    for row in picked:
        alone = classify(row["title"])
        both = classify(row["title"], texts[(row["source"], row["item"])])
        title_answered += alone is not None
        both_answered += both is not None
        title_right += bool(alone and alone.code == row["code"])
        both_right += bool(both and both.code == row["code"])
        if (alone and alone.code) != (both and both.code):
            print(f"      {row['code']:>4}: title alone {alone.code if alone else '-':>4}, with operative "
                  f"{both.code if both else '-':>4}  {row['title'][:80]}")
    print(f"operative part at hand for {len(picked)} labelled titles:"
          f" title alone {title_right}/{title_answered} right of {len(picked)},"
          f" title + operative {both_right}/{both_answered} right of {len(picked)}")


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
    parser.add_argument("--operative", action="store_true",
                        help="also compare title alone with title + operative part where it is at hand")
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
    if args.operative:
        print()
        compare_operative(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
