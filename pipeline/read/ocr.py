"""OCR of pages without a usable text layer: pypdfium2 renders, Tesseract reads.

Tesseract runs as a subprocess with OMP_THREAD_LIMIT=1: its own threads fight over the cores
and make it about 9x slower per page; we get parallelism by reading pages side by side instead.
"""
from __future__ import annotations

import csv
import io
import math
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline import errors
from pipeline.read.layout import join_paragraphs
from pipeline.read.normalize import clean_text
from models.records import PageText

LANGUAGE = "fra"
PAGE_TIMEOUT_S = 120
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-fra"

# 200 dpi whatever the scan's own resolution, then a 3x3 median. Chosen by field-level scores on
# scans made by samples/make_scans.py at 200 and 300 dpi, on the real Flaux scans (150 dpi) and on
# the digital samples OCR'd as images (bench/README.md, "Accuracy: resolution, cleaning"): the median
# removes the dust and sensor noise Tesseract reads as stray letters and punctuation; rendering
# at 300 dpi read fewer values than 200 dpi + median on every set, at 1.5x the Tesseract time;
# at 150 dpi the median eats thin strokes.
DPI = 200
MAX_SKEW_DEGREES = 4.0
# Tesseract follows slightly slanted lines by itself; below this angle straightening gains nothing.
MIN_ROTATION_DEGREES = 0.2


def run_tesseract(image: bytes, timeout: float | None = None) -> subprocess.CompletedProcess:
    """One page image read by Tesseract; TSV (words with positions and confidence) on stdout.

    The image goes through an unlinked temporary file, not stdin: Tesseract reads stdin a byte at
    a time, about 0.1 CPU-s for a 4 MB page (6 % of its reading time). Unlinked, the file cannot
    outlive a worker killed at its time limit; Tesseract opens it through /proc (Linux).
    """
    with tempfile.TemporaryFile(prefix="delib-ocr-", suffix=".bmp") as file:
        file.write(image)
        file.flush()
        return subprocess.run(
            ("tesseract", f"/proc/self/fd/{file.fileno()}", "stdout", "-l", LANGUAGE, "--psm", "3",
             "--dpi", str(DPI), "tsv"),
            pass_fds=(file.fileno(),), capture_output=True, timeout=timeout, check=False,
            # Its own threads fight over the cores: one each, and pages read side by side.
            env=dict(os.environ, OMP_THREAD_LIMIT="1"))


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_pages(path: Path, data: bytes, numbers: list[int], workers: int | None = None) -> dict[int, PageText]:
    """OCR the given 1-based pages; returns their new PageText by page number."""
    if not tesseract_available():
        raise errors.OcrUnavailable(
            str(path), f"pages {_list(numbers)} need OCR but Tesseract is not installed; {INSTALL_HINT}"
        )
    workers = max(1, min(len(numbers), workers or int(os.environ.get("DELIB_OCR_THREADS", "0")) or os.cpu_count() or 1))
    # pdfium is not thread-safe: pages are rendered here one by one, and each goes to a Tesseract
    # as soon as it is ready, so rendering overlaps with reading. At most one page per reader is
    # waiting, so a 300-page register does not sit in memory as 300 bitmaps.
    waiting = threading.BoundedSemaphore(workers + 1)

    def read(number: int, image: bytes) -> PageText:
        try:
            return _read(path, number, image)
        finally:
            waiting.release()

    import pypdfium2 as pdfium

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = []
        try:
            for number, image in render_pages(data, numbers, before_each=waiting.acquire):
                futures.append(pool.submit(read, number, image))
        except pdfium.PdfiumError as exc:
            # The text was read by pdfplumber (pdfium refused the page tree): nothing to render.
            raise errors.CorruptPdf(str(path), f"the PDF structure is damaged: a page to OCR cannot be rendered ({exc})") from None
        results = [future.result() for future in futures]
    return {page.number: page for page in results}


def render_pages(data: bytes, numbers: list[int], before_each=lambda: None):
    """(page number, BMP bytes) of each page, grey, straightened and cleaned, one at a time.

    BMP, not PNG: Tesseract reads both equally well and PNG compression of a noisy scan costs
    about 0.7 s a page.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            before_each()
            page = pdf[number - 1]
            image = render_grey(page)
            page.close()
            image = median3(deskew(image))
            buffer = io.BytesIO()
            image.save(buffer, format="BMP")
            yield number, buffer.getvalue()
    finally:
        pdf.close()


def render_grey(page):
    """The page at DPI in shades of grey, as a PIL image.

    A page made only of grey pictures (the commonest scan) renders twice as fast in colour and
    then converted as straight to grey, with the same pixels. Anything else goes straight to grey:
    text and 1-bit pictures come out differently in colour, and no faster.
    """
    if _grey_pictures_only(page):
        return page.render(scale=DPI / 72, prefer_bgrx=True).to_pil().convert("L")
    return page.render(scale=DPI / 72, grayscale=True).to_pil()


def _grey_pictures_only(page) -> bool:
    import pypdfium2.raw as pdfium_c

    for item in page.get_objects():
        if item.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return False
        metadata = item.get_metadata()
        if metadata.colorspace != pdfium_c.FPDF_COLORSPACE_DEVICEGRAY or metadata.bits_per_pixel != 8:
            return False
    return True


def deskew(image):
    """Straighten a slightly rotated scan (see `skew_angle`)."""
    from PIL import Image

    angle = skew_angle(image)
    if abs(angle) < MIN_ROTATION_DEGREES:
        return image
    # Nearest neighbour: the median that follows smooths its jagged edges, and Tesseract then read
    # as many field values as after a bilinear or bicubic rotation (a few more, in fact: see
    # bench/README.md) for 0.01 s a page at 200 dpi instead of 0.05 s or 0.10 s.
    return image.rotate(angle, resample=Image.NEAREST, fillcolor=255, expand=False)


def skew_angle(image) -> float:
    """The rotation, in degrees counter-clockwise, that makes the text lines horizontal.

    Text lines are dark bands: projected onto the right axis, the dark pixels pile up in few rows.
    The ink of a reduced copy is projected at each candidate angle (coarse, then fine around the
    best) and the angle with the most concentrated profile wins.
    """
    import numpy as np

    step = max(1, round(max(image.size) / 1100))
    pixels = np.asarray(image)[::step, ::step]
    ys, xs = np.nonzero(pixels < 140)
    if len(ys) < 500:
        return 0.0  # a blank page
    if len(ys) > 80_000:
        keep = np.random.default_rng(0).choice(len(ys), 80_000, replace=False)
        ys, xs = ys[keep], xs[keep]
    ys = ys - pixels.shape[0] / 2
    xs = xs - pixels.shape[1] / 2

    def concentration(angle: float) -> float:
        radians = math.radians(angle)
        rows = ys * math.cos(radians) - xs * math.sin(radians)
        counts = np.bincount(np.rint(rows - rows.min()).astype(np.intp))
        return float(np.dot(counts, counts))

    coarse = [a / 2 for a in range(int(-MAX_SKEW_DEGREES * 2), int(MAX_SKEW_DEGREES * 2) + 1)]
    best = max(coarse, key=concentration)
    fine = [best + a / 10 for a in range(-4, 5)]
    return round(max(fine, key=concentration), 1)


def median3(image):
    """3x3 median filter (the same pixels as PIL's MedianFilter(3), ten times faster).

    The median of 9 values laid out as 3 sorted columns is the median of three numbers: the
    largest column minimum, the median of the column medians and the smallest column maximum.
    Each vertical triple is sorted once, for the whole image at once, and shared by the three
    windows that contain it: 18 whole-image min/max operations in all.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image)
    width = pixels.shape[1]
    padded = np.pad(pixels, 1, mode="edge")
    # Sort each vertical triple (above, centre, below) into low, middle, high, reusing arrays
    # where possible: allocating a whole-image array costs as much as computing it.
    above, centre, below = padded[:-2], padded[1:-1], padded[2:]
    low, high = np.minimum(above, centre), np.maximum(above, centre)
    rest = np.maximum(low, below)
    np.minimum(low, below, out=low)
    middle = np.minimum(high, rest)
    np.maximum(high, rest, out=high)
    return Image.fromarray(_median_of_three(_across(np.maximum, low, width), _median_across(middle, width),
                                            _across(np.minimum, high, width)))


def _across(extreme, columns, width):
    """max or min of each pixel's column value with its left and right neighbours'."""
    result = extreme(columns[:, 0:width], columns[:, 1:width + 1])
    return extreme(result, columns[:, 2:width + 2], out=result)


def _median_across(columns, width):
    return _median_of_three(columns[:, 0:width], columns[:, 1:width + 1], columns[:, 2:width + 2])


def _median_of_three(a, b, c):
    import numpy as np

    low, high = np.minimum(a, b), np.maximum(a, b)
    np.minimum(high, c, out=high)
    return np.maximum(low, high, out=low)


def _read(path: Path, number: int, image: bytes) -> PageText:
    try:
        done = run_tesseract(image, timeout=PAGE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise errors.Timeout(str(path), f"OCR of page {number} took more than {PAGE_TIMEOUT_S} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = f"; {INSTALL_HINT}" if "fra" in " ".join(message) else ""
        raise errors.OcrUnavailable(
            str(path), f"Tesseract failed on page {number}: {message[-1] if message else done.returncode}{hint}"
        )
    text, confidence = tsv_to_text(done.stdout.decode("utf-8", "replace"))
    return PageText(number=number, text=clean_text(tidy(text)), ocr=True, ocr_confidence=confidence)


def tidy(text: str) -> str:
    """Undo what Tesseract adds to a printed page: stray marks from dust and table borders, and
    the few characters it reads as others in a way no French text can mean."""
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return text


_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_TIDY = tuple((regex.compile(p, regex.MULTILINE), r) for p, r in (
    # Table borders and dust read as "|": never in a deliberation's prose.
    (r"[ \t]*\|[ \t]*", " "),
    # A mark alone at a line start (": RIVOIRE-DUMONT"), or a full stop or comma after a space at a
    # line end ("119 88 21 109 ."): French puts no space before those two.
    (r"^[ \t]*[:;.,'’_·]+[ \t]+(?=\S)", ""),
    (r"(?<=\S)[ \t]+[.,](?=[ \t]*$)", ""),
    # A mark after a civility ("MM. :"): a speck; and "le" read as "je" after an operative verb
    # in capitals ("AUTORISE je Président"), where no "je" can stand.
    (r"(?<=\b(?:MM|Mmes|Mme|Mlle|M)\.)[ \t]+[:;,.](?=\s)", ""),
    (r"(?<=\b\p{Lu}{4,}[ \t])je(?=[ \t]\p{L})", "le"),
    # A first name's capital read small after a civility ("M. jean-Yves PERROUD", "Mme inès").
    (r"(?<=\b(?:M|Mme|Mlle|MM|Mmes)\.?[ \t]+)(?!(?:de|du|des|le|la|les)\b)\p{Ll}(?=\p{Ll}*(?:-\p{Lu}\p{Ll}+)?[ \t]+\p{Lu}{2,})",
     lambda match: match.group(0).upper()),
    # A list of names whose commas were read as full stops ("Perla COUVERT.Michael DELAFOSSE",
    # "Hervé MARTIN. Nadia MIRAOUI"): a surname in capitals never ends a sentence before a
    # first name and another surname in capitals.
    (r"(?<=\b\p{Lu}{2,})\.(?=\p{Lu}\p{Ll})", ", "),
    (r"(?<=\b\p{Lu}{2,})\.(?=[ \t]+\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?[ \t]+\p{Lu}{2,}\b)", ","),
    # The spaced dash "–" read as "-": after a space it is a dash, never a hyphen (a bullet "- "
    # starts its line).
    (r"(?<=\S[ \t])-(?=[ \t\n]\S)", "–"),
    # "1er janvier" read as "ler janvier"; "m²" read as "m?".
    (rf"\bler(?=\s+(?:{_MONTHS})\b)", "1er"),
    (r"(?<=\d[ \t]?m)\?", "²"),
    (r"[ \t]{2,}", " "),
))


def tsv_to_text(tsv: str) -> tuple[str, float | None]:
    """Tesseract's TSV -> (text, mean word confidence).

    Lines are ordered as Tesseract read them; a blank line marks a paragraph only where the
    vertical gap says so (Tesseract's own paragraph numbers often split a sentence). Where
    Tesseract ran a margin column into the body on the same lines, the two are read one after
    the other (see `_columns`).
    """
    # (block, paragraph) -> line number -> words, in Tesseract's order.
    paragraphs: dict[tuple[int, int], dict[int, list[_Word]]] = {}
    confidences: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        line = paragraphs.setdefault((int(row["block_num"]), int(row["par_num"])), {}).setdefault(
            int(row["line_num"]), [])
        line.append(_Word(int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]), row["text"]))
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confidences.append(conf)
    heights = sorted(word.height for lines in paragraphs.values() for line in lines.values() for word in line)
    gutter = 4 * heights[len(heights) // 2] if heights else 0
    ordered = [piece for lines in paragraphs.values() for piece in _columns(list(lines.values()), gutter)]
    text = join_paragraphs([(min(w.top for w in piece), " ".join(w.text for w in piece)) for piece in ordered],
                           gap=1.45, break_on_rise=True)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return text, mean


@dataclass(frozen=True, slots=True)
class _Word:
    left: int
    top: int
    width: int
    height: int
    text: str

    @property
    def right(self) -> int:
        return self.left + self.width


def _columns(paragraph: list[list[_Word]], gutter: float) -> list[list[_Word]]:
    """A paragraph's lines, or, when it is a margin column run into a body, the column's pieces
    of line then the body's.

    That is: some lines have one gap wider than `gutter` (four times the usual word height), at
    the same place, no line crosses it, and the pieces after it are the longer ones. Tables,
    whose rows have several wide gaps or a short last cell, are left as Tesseract read them: a
    row holds its values together.
    """
    gaps = []
    for line in paragraph:
        wide = [(a.right, b.left) for a, b in zip(line, line[1:]) if b.left - a.right > gutter]
        if len(wide) > 1:
            return paragraph
        gaps += wide
    if not gaps:
        return paragraph
    shared_start, shared_end = max(gap[0] for gap in gaps), min(gap[1] for gap in gaps)
    if shared_start >= shared_end:
        return paragraph  # the gaps do not line up
    middle = (shared_start + shared_end) / 2
    words = [w for line in paragraph for w in line]
    if any(w.left < middle < w.right for w in words):
        return paragraph  # a line runs across
    # The gutter is what every line leaves free, narrower lines included.
    start = max(w.right for w in words if w.right <= middle)
    end = min(w.left for w in words if w.left >= middle)
    if end - start < gutter / 2:
        return paragraph
    left = [[w for w in line if w.right <= start] for line in paragraph]
    right = [[w for w in line if w.left >= end] for line in paragraph]
    if _median_width(right) <= _median_width(left):
        return paragraph  # the right-hand pieces are the short ones: a table's column, not a body
    return [line for line in left if line] + [line for line in right if line]


def _median_width(pieces: list[list[_Word]]) -> int:
    widths = sorted(piece[-1].right - piece[0].left for piece in pieces if piece)
    return widths[len(widths) // 2]


def _list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")

