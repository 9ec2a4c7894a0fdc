"""OCR of pages without a usable text layer: pypdfium2 renders, Tesseract reads.

Tesseract runs as a subprocess with OMP_THREAD_LIMIT=1: its own threads fight over the cores
and make it about 9x slower per page; we get parallelism by reading pages side by side instead.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline import errors
from pipeline.layout import join_paragraphs
from pipeline.normalize import clean_text
from pipeline.records import PageText

DPI = 300
LANGUAGE = "fra"
PAGE_TIMEOUT_S = 120
MAX_SKEW_DEGREES = 4.0
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-fra"


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_pages(path: Path, data: bytes, numbers: list[int], workers: int | None = None) -> dict[int, PageText]:
    """OCR the given 1-based pages; returns their new PageText by page number."""
    if not tesseract_available():
        raise errors.OcrUnavailable(
            str(path), f"pages {_list(numbers)} need OCR but Tesseract is not installed; {INSTALL_HINT}"
        )
    workers = workers or min(len(numbers), int(os.environ.get("DELIB_OCR_THREADS", "0")) or os.cpu_count() or 1)
    # pdfium is not thread-safe: pages are rendered here one by one, and each goes to a
    # Tesseract process as soon as it is ready, so rendering overlaps with reading.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_read, path, number, image) for number, image in render_pages(data, numbers)]
        results = [future.result() for future in futures]
    return {page.number: page for page in results}


def render_pages(data: bytes, numbers: list[int]):
    """(page number, image bytes) of each page at 300 dpi, grey, deskewed, one at a time.

    BMP, not PNG: Tesseract reads both equally well and PNG compression of a noisy scan costs
    about 0.7 s a page.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            image = deskew(bitmap.to_pil().convert("L"))
            page.close()
            buffer = io.BytesIO()
            image.save(buffer, format="BMP")
            yield number, buffer.getvalue()
    finally:
        pdf.close()


def deskew(image):
    """Straighten a slightly rotated scan: the angle whose rows are most contrasted wins.

    Text lines are dark bands; when the page is straight, the mean darkness per row varies most.
    A small copy is enough to measure the angle.
    """
    from PIL import Image

    small = image.copy()
    small.thumbnail((800, 800))
    small = small.point(lambda v: 0 if v < 160 else 255)

    def contrast(angle: float) -> float:
        rotated = small.rotate(angle, resample=Image.NEAREST, fillcolor=255)
        column = rotated.resize((1, rotated.height), Image.BOX)
        rows = list(column.get_flattened_data() if hasattr(column, "get_flattened_data") else column.getdata())
        mean = sum(rows) / len(rows)
        return sum((r - mean) ** 2 for r in rows)

    # Coarse, then fine around the best: 17 rotations of a small copy instead of 33.
    coarse = [a / 2 for a in range(int(-MAX_SKEW_DEGREES * 2), int(MAX_SKEW_DEGREES * 2) + 1)]
    best_angle = max(coarse, key=contrast)
    best_angle = max((best_angle - 0.25, best_angle, best_angle + 0.25), key=contrast)
    if abs(best_angle) < 0.2:
        return image
    return image.rotate(best_angle, resample=Image.BICUBIC, fillcolor=255, expand=False)


def _read(path: Path, number: int, png: bytes) -> PageText:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "--dpi", str(DPI), "tsv"],
            input=png, capture_output=True, timeout=PAGE_TIMEOUT_S, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        raise errors.Timeout(str(path), f"OCR of page {number} took more than {PAGE_TIMEOUT_S} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = f"; {INSTALL_HINT}" if "fra" in " ".join(message) else ""
        raise errors.OcrUnavailable(
            str(path), f"Tesseract failed on page {number}: {message[-1] if message else done.returncode}{hint}"
        )
    text, confidence = tsv_to_text(done.stdout.decode("utf-8", "replace"))
    # Tesseract reads the French spaced dash "–" as "-"; between spaces it is a dash, never a
    # hyphen, so give it back its printed form.
    text = text.replace(" - ", " – ")
    return PageText(number=number, text=clean_text(text), ocr=True, ocr_confidence=confidence)


def tsv_to_text(tsv: str) -> tuple[str, float | None]:
    """Tesseract's TSV -> (text, mean word confidence).

    Lines are ordered as Tesseract read them; a blank line marks a paragraph only where the
    vertical gap says so (Tesseract's own paragraph numbers often split a sentence).
    """
    lines: dict[tuple, dict] = {}
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        line = lines.setdefault(key, {"words": [], "top": int(row["top"]), "height": int(row["height"])})
        line["words"].append(row["text"])
        line["top"] = min(line["top"], int(row["top"]))
        line["height"] = max(line["height"], int(row["height"]))
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confidences.append(conf)
    text = join_paragraphs([(line["top"], " ".join(line["words"])) for line in lines.values()],
                           gap=1.45, break_on_rise=True)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return text, mean


def _list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
