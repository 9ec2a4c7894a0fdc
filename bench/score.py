"""Field-level precision, recall and F1 of delib against hand-checked expectations, per document
family (extract, minutes, list) and per field group, with macro-F1 (mean of the groups' F1).

    python bench/score.py              # samples/ (the golden files)
    python bench/score.py --corpus-dev # real files (../shared/corpus/real, real2) vs tests/corpus_dev
    python bench/score.py --scanned    # samples/scanned/ (OCR) next to their digital originals
    python bench/score.py --scanned DIR  # scans made by `samples/make_scans.py --all --out DIR`
    python bench/score.py --corpus-dev-scanned 200  # the DEV files born digital, scanned at 200 dpi,
                                                    # next to themselves in digital form
    python bench/score.py --set DIR    # DIR/*.expected.json (per-item format) with the PDF beside each,
                                       # e.g. bench/varied_extracts.py's held-out extracts; scans are
                                       # told apart by the file's "scanned" (else by OCR having run)
    --cache DIR   keep the OCR'd pages in DIR between runs: scans are read once (text layers are read
                  again each run, so a change to the reader shows)
    --diff        print every disagreement
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.api import ExtractOptions, extract_pages  # noqa: E402
from pipeline.read.pdf import read_pages  # noqa: E402
from pipeline.scoring import (  # noqa: E402
    FAMILIES, Score, compare, compare_partial, f1, family_of, group_tallies, macro_f1,
)
from pipeline.publish.serialize import extraction_to_json  # noqa: E402

# ../shared beside the checkout (a git worktree one level deeper looks one level up again).
SHARED = next((d / "shared" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()),
              ROOT.parent / "shared")
CORPORA = {"real": SHARED / "corpus" / "real", "real2": SHARED / "corpus" / "real2"}
EXPECTATIONS = ROOT / "tests" / "corpus_dev"


class Scores(dict):
    """One Score per (family, born digital or scanned)."""

    def of(self, family: str, scanned: bool) -> Score:
        return self.setdefault((family, scanned), Score())


def extract(pdf: Path, options: ExtractOptions, cache: Path | None) -> dict:
    data = pdf.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    stored = cache / f"{sha256}.pkl" if cache else None
    pages = pickle.loads(stored.read_bytes()) if stored and stored.exists() else None
    # Only OCR is worth keeping: a text layer is read again, so that a change to the reader shows
    # (the cache is keyed by the file alone).
    if pages is None or not any(page.ocr for page in pages):
        pages = read_pages(pdf, data, engine=options.engine, ocr=options.ocr)
        if stored and any(page.ocr for page in pages):
            stored.write_bytes(pickle.dumps(pages))
    return extraction_to_json(extract_pages(pdf, sha256, pages, options))


def score_samples(folder: Path, options: ExtractOptions, cache: Path | None, scores: Scores | None = None,
                  scanned: bool = False) -> Scores:
    scores = Scores() if scores is None else scores
    for expected_path in sorted(folder.glob("*.expected.json")):
        pdf = expected_path.with_name(expected_path.name.replace(".expected.json", ".pdf"))
        if not pdf.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        compare(expected, extract(pdf, options, cache), scores.of(family_of(expected), scanned), pdf.stem)
    return scores


def corpus_expectations():
    for expected_path in sorted(EXPECTATIONS.glob("*.expected.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        pdf = CORPORA[expected.get("corpus", "real")] / expected["file"]
        if pdf.exists():
            yield expected, pdf
        else:
            print(f"{pdf}: not found, left out", file=sys.stderr)


def score_corpus_dev(options: ExtractOptions, cache: Path | None) -> Scores:
    scores = Scores()
    for expected, pdf in corpus_expectations():
        actual = extract(pdf, options, cache)
        scanned = expected.get("scanned", actual["source"]["ocr"])
        compare_partial(expected, actual, scores.of(family_of(expected), scanned), pdf.stem)
    return scores


def score_set(folder: Path, options: ExtractOptions, cache: Path | None) -> Scores:
    """Every FOLDER/NAME.expected.json (the per-item format of tests/corpus_dev) against NAME.pdf
    beside it; an expectation without its PDF is left out, and said so."""
    scores = Scores()
    for expected_path in sorted(folder.glob("*.expected.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        pdf = expected_path.with_name(expected.get("file") or expected_path.name.replace(".expected.json", ".pdf"))
        if not pdf.exists():
            print(f"{pdf}: not found, left out", file=sys.stderr)
            continue
        actual = extract(pdf, options, cache)
        scanned = expected.get("scanned", actual["source"]["ocr"])
        compare_partial(expected, actual, scores.of(family_of(expected), scanned), pdf.stem)
    return scores


def score_corpus_dev_scanned(options: ExtractOptions, dpi: int, cache: Path | None) -> tuple[Scores, Scores]:
    """(digital, scanned): the DEV files born digital, as they are and scanned by make_scans.py.

    Scans of documents whose layouts no OCR rule was written on: the closest we have to scans
    nobody here has seen. Files that are already scans are left out of both scores.
    """
    sys.path.insert(0, str(ROOT / "samples"))
    import make_scans

    digital, scanned = Scores(), Scores()
    with tempfile.TemporaryDirectory(prefix="delib-score-") as tmp:
        for expected, pdf in corpus_expectations():
            actual = extract(pdf, options, cache)
            if actual["source"]["ocr"]:
                continue
            family = family_of(expected)
            compare_partial(expected, actual, digital.of(family, False), pdf.stem)
            scan = make_scans.scan_pdf(pdf, Path(tmp) / pdf.name, dpi)
            compare_partial(expected, extract(scan, options, cache), scanned.of(family, True), pdf.stem)
    return digital, scanned


def _cell(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def report(title: str, scores: Scores, detail: bool = False) -> None:
    """Per family and text kind: the field groups' precision/recall/F1 and their macro-F1."""
    print(f"\n## {title}")
    for (family, scanned), score in sorted(scores.items(), key=lambda kv: (FAMILIES.index(kv[0][0]), kv[0][1])):
        groups = group_tallies(score)
        count = score.fields.get("deliberation.count")
        counted = f", record count right in {count.tp}/{count.tp + count.fn} files" if count else ""
        print(f"\n{family}, {'scanned' if scanned else 'born digital'}: macro-F1 {_cell(macro_f1(score))}{counted}")
        print(f"  {'group':<12}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>7}{'recall':>8}{'F1':>6}")
        for name, tally in groups.items():
            print(f"  {name:<12}{tally.tp:>5}{tally.fp:>5}{tally.fn:>5}{_cell(tally.precision):>7}"
                  f"{_cell(tally.recall):>8}{_cell(f1(tally)):>6}")
        if detail:
            for name, tally in sorted(score.fields.items()):
                print(f"    {name:<22}{tally.tp:>5}{tally.fp:>5}{tally.fn:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus-dev", action="store_true")
    parser.add_argument("--scanned", nargs="?", const=ROOT / "samples" / "scanned", type=Path, metavar="DIR",
                        help="scans (default samples/scanned) next to their digital originals in samples/")
    parser.add_argument("--corpus-dev-scanned", type=int, metavar="DPI",
                        help="the DEV files born digital, scanned at DPI, next to their digital form")
    parser.add_argument("--set", type=Path, metavar="DIR",
                        help="score DIR/*.expected.json against the PDFs beside them (per-item expectations)")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="keep the pages read (and OCR'd) there")
    parser.add_argument("--fields", action="store_true", help="also print every field's tally")
    parser.add_argument("--diff", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    options = ExtractOptions(entities=False)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    if args.set:
        scores = score_set(args.set, options, args.cache)
        report(f"{args.set} vs the expectations beside its PDFs", scores, args.fields)
    elif args.corpus_dev:
        scores = score_corpus_dev(options, args.cache)
        report("real files vs tests/corpus_dev (partial, by-eye expectations)", scores, args.fields)
    elif args.corpus_dev_scanned:
        digital, scores = score_corpus_dev_scanned(options, args.corpus_dev_scanned, args.cache)
        report("DEV files born digital, as they are", digital, args.fields)
        report(f"the same, scanned at {args.corpus_dev_scanned} dpi by samples/make_scans.py (OCR)",
               scores, args.fields)
    elif args.scanned:
        report("digital originals of the scanned samples", score_samples_for(args.scanned, options, args.cache),
               args.fields)
        scores = score_samples(args.scanned, options, args.cache, scanned=True)
        report("scanned samples (OCR)", scores, args.fields)
    else:
        scores = score_samples(ROOT / "samples", options, args.cache)
        report("samples/ vs their hand-checked expected files", scores, args.fields)
    if args.diff:
        for score in scores.values():
            print("\n".join(score.differences))


def score_samples_for(scanned: Path, options: ExtractOptions, cache: Path | None) -> Scores:
    """The digital originals of the scanned samples, scored against the same expectations."""
    scores = Scores()
    for expected_path in sorted(scanned.glob("*.expected.json")):
        original = ROOT / "samples" / expected_path.name.replace("_scan.expected.json", ".pdf")
        if original.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            expected.pop("ocr", None)  # the digital original is, rightly, not OCR'd
            compare(expected, extract(original, options, cache), scores.of(family_of(expected), False),
                    original.stem)
    return scores


if __name__ == "__main__":
    main()
