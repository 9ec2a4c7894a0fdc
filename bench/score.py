"""Field-level precision and recall of delib against hand-checked expectations.

    python bench/score.py              # samples/ (the golden files)
    python bench/score.py --corpus-dev # ../shared/corpus/real DEV files vs tests/corpus_dev
    python bench/score.py --scanned    # samples/scanned/ (OCR) next to their digital originals
    python bench/score.py --scanned DIR  # scans made by `samples/make_scans.py --all --out DIR`
    python bench/score.py --corpus-dev-scanned 200  # the DEV files born digital, scanned at 200 dpi,
                                                    # next to themselves in digital form
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.api import ExtractOptions, extract_document  # noqa: E402
from pipeline.scoring import Score, compare, compare_partial  # noqa: E402
from pipeline.publish.serialize import extraction_to_json  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def score_samples(folder: Path, options: ExtractOptions) -> Score:
    score = Score()
    for expected_path in sorted(folder.glob("*.expected.json")):
        pdf = expected_path.with_name(expected_path.name.replace(".expected.json", ".pdf"))
        if not pdf.exists():
            continue
        actual = extraction_to_json(extract_document(pdf, options))
        compare(json.loads(expected_path.read_text(encoding="utf-8")), actual, score, pdf.stem)
    return score


def score_corpus_dev(options: ExtractOptions) -> Score:
    score = Score()
    for expected_path in sorted((ROOT / "tests" / "corpus_dev").glob("*.expected.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        pdf = CORPUS / expected["file"]
        actual = extraction_to_json(extract_document(pdf, options))
        compare_partial(expected, actual, score, pdf.stem)
    return score


def score_corpus_dev_scanned(options: ExtractOptions, dpi: int) -> tuple[Score, Score]:
    """(digital, scanned): the DEV files born digital, as they are and scanned by make_scans.py.

    Scans of documents whose layouts no OCR rule was written on: the closest we have to scans
    nobody here has seen. Files that are already scans are left out of both scores.
    """
    sys.path.insert(0, str(ROOT / "samples"))
    import make_scans

    digital, scanned = Score(), Score()
    with tempfile.TemporaryDirectory(prefix="delib-score-") as tmp:
        for expected_path in sorted((ROOT / "tests" / "corpus_dev").glob("*.expected.json")):
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            pdf = CORPUS / expected["file"]
            actual = extraction_to_json(extract_document(pdf, options))
            if actual["source"]["ocr"]:
                continue
            compare_partial(expected, actual, digital, pdf.stem)
            scan = make_scans.scan_pdf(pdf, Path(tmp) / pdf.name, dpi)
            compare_partial(expected, extraction_to_json(extract_document(scan, options)), scanned, pdf.stem)
    return digital, scanned


def report(title: str, score: Score) -> None:
    print(f"\n{title}")
    print(f"{'field':<24}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    total_tp = total_fp = total_fn = 0
    for name, tally in sorted(score.fields.items()):
        p = f"{tally.precision:.2f}" if tally.precision is not None else "—"
        r = f"{tally.recall:.2f}" if tally.recall is not None else "—"
        print(f"{name:<24}{tally.tp:>5}{tally.fp:>5}{tally.fn:>5}{p:>11}{r:>8}")
        total_tp, total_fp, total_fn = total_tp + tally.tp, total_fp + tally.fp, total_fn + tally.fn
    precision = total_tp / (total_tp + total_fp) if total_tp + total_fp else 0
    recall = total_tp / (total_tp + total_fn) if total_tp + total_fn else 0
    print(f"{'ALL':<24}{total_tp:>5}{total_fp:>5}{total_fn:>5}{precision:>11.2f}{recall:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus-dev", action="store_true")
    parser.add_argument("--scanned", nargs="?", const=ROOT / "samples" / "scanned", type=Path, metavar="DIR",
                        help="scans (default samples/scanned) next to their digital originals in samples/")
    parser.add_argument("--corpus-dev-scanned", type=int, metavar="DPI",
                        help="the DEV files born digital, scanned at DPI, next to their digital form")
    parser.add_argument("--diff", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    options = ExtractOptions(entities=False)
    if args.corpus_dev:
        score = score_corpus_dev(options)
        report("DEV real files vs tests/corpus_dev (partial, by-eye expectations)", score)
    elif args.corpus_dev_scanned:
        digital, score = score_corpus_dev_scanned(options, args.corpus_dev_scanned)
        report("DEV files born digital, as they are", digital)
        report(f"the same, scanned at {args.corpus_dev_scanned} dpi by samples/make_scans.py (OCR)", score)
    elif args.scanned:
        scanned = args.scanned
        report("digital originals of the scanned samples", score_samples_for(scanned, options, digital=True))
        score = score_samples(scanned, options)
        report("scanned samples (OCR)", score)
    else:
        score = score_samples(ROOT / "samples", options)
        report("samples/ vs their hand-checked expected files", score)
    if args.diff:
        print("\n".join(score.differences))


def score_samples_for(scanned: Path, options: ExtractOptions, digital: bool) -> Score:
    """The digital originals of the scanned samples, scored against the same expectations."""
    score = Score()
    for expected_path in sorted(scanned.glob("*.expected.json")):
        original = ROOT / "samples" / expected_path.name.replace("_scan.expected.json", ".pdf")
        if original.exists():
            actual = extraction_to_json(extract_document(original, options))
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            expected.pop("ocr", None)  # the digital original is, rightly, not OCR'd
            compare(expected, actual, score, original.stem)
    return score


if __name__ == "__main__":
    main()
