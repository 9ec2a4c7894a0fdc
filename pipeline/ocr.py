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
    images = render_pages(data, numbers)
    workers = workers or min(len(numbers), int(os.environ.get("DELIB_OCR_THREADS", "0")) or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda item: _read(path, *item), images.items()))
    return {page.number: page for page in results}


def render_pages(data: bytes, numbers: list[int]) -> dict[int, bytes]:
    """PNG bytes of each page at 300 dpi, grey, deskewed."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = {}
        for number in numbers:
            page = pdf[number - 1]
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            image = deskew(bitmap.to_pil().convert("L"))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            out[number] = buffer.getvalue()
            page.close()
        return out
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
    best_angle, best_score = 0.0, -1.0
    angle = -MAX_SKEW_DEGREES
    while angle <= MAX_SKEW_DEGREES + 1e-9:
        rotated = small.rotate(angle, resample=Image.NEAREST, fillcolor=255)
        column = rotated.resize((1, rotated.height), Image.BOX)
        rows = list(column.get_flattened_data() if hasattr(column, "get_flattened_data") else column.getdata())
        mean = sum(rows) / len(rows)
        score = sum((r - mean) ** 2 for r in rows)
        if score > best_score:
            best_angle, best_score = angle, score
        angle += 0.25
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
    return PageText(number=number, text=clean_text(text), ocr=True, ocr_confidence=confidence)


def tsv_to_text(tsv: str) -> tuple[str, float | None]:
    """Tesseract's TSV -> (text with its line and paragraph breaks, mean word confidence)."""
    lines: list[str] = []
    current: list[str] = []
    key = None
    paragraph = None
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = row.get("text") or ""
        if not word.strip():
            continue
        line_key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        if line_key != key:
            if current:
                lines.append(" ".join(current))
            if paragraph is not None and line_key[:3] != paragraph:
                lines.append("")
            current, key, paragraph = [], line_key, line_key[:3]
        current.append(word)
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confidences.append(conf)
    if current:
        lines.append(" ".join(current))
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(lines), mean


def _list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
