"""Page images of a PDF, and where on the page a value was printed.

    png = render_png(Path("a.pdf"), 1, width=900)                 # the page as a picture
    boxes = locate(Path("a.pdf"), [Mark("amount-1", "42 000 €", page=1)])
    boxes[0].left, boxes[0].top, boxes[0].width, boxes[0].height   # fractions of the page

The database keeps the page each value was read on, not its position: a value is found again by
searching its printed text in the page's text layer (pypdfium2, one character box per character),
spaces, line breaks and apostrophes being free, and digits never glued to other digits. Counts
and votes are bare numbers that a page prints many times: their mark names words that must stand
near them ("exercice", "votants"...), and the nearest match wins.

A scanned page (one the import read by OCR) has no text layer, and the import keeps no word
positions: Tesseract reads the page image again here, once per page while the server runs, and
each word's box stands for its characters (split evenly: a box is as exact as a word). Without
Tesseract, nothing is marked on such a page, and `PageChars.has_text` says so.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

OCR_DPI = 200  # as the import reads scans
OCR_LANGUAGE = "fra"
OCR_TIMEOUT = 120  # seconds for one page
NEAR_WINDOW = 60  # characters between a count and the word naming it ("Présents : 14")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " "})


@dataclass(frozen=True, slots=True)
class Mark:
    """A value to find on a page: `key` ties the box to the fact it shows."""

    key: str
    text: str
    page: int | None = None  # None: any page of the deliberation
    near: tuple[str, ...] = ()  # words of which one must be within NEAR_WINDOW characters


@dataclass(frozen=True, slots=True)
class Box:
    """One rectangle on a page, in fractions of the page's width and height, from its top left."""

    key: str
    page: int
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class PageChars:
    """The characters of one page and their boxes (PDF points, origin at the bottom left)."""

    text: str
    boxes: tuple[tuple[float, float, float, float], ...]
    width: float
    height: float

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())


# -- reading a page ---------------------------------------------------------------------------------

class _Cache:
    """A small LRU of pages read, keyed by file, its modification time and the page number."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple, make):  # type: ignore[no-untyped-def]
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


_CHARS = _Cache()
_OCR = _Cache(32)
_IMAGES = _Cache(32)
# pdfium is not thread-safe: one page at a time.
_PDFIUM = threading.Lock()


def _key(path: Path, *rest: object) -> tuple:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size, *rest)


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()


def page_chars(path: Path, number: int) -> PageChars:
    """The text layer of page `number` (1-based), one box per character."""
    return _CHARS.get(_key(path, number), lambda: _read_chars(path, number))


def _read_chars(path: Path, number: int) -> PageChars:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            width, height = page.get_size()
            left, bottom, _, _ = page.get_cropbox()
            textpage = page.get_textpage()
            count = textpage.count_chars()
            # One code point per character index (get_text_range may drop or add characters),
            # so that an offset in the text is an index into the boxes.
            chars = [chr(raw.FPDFText_GetUnicode(textpage, i) or 32) for i in range(count)]
            boxes = []
            for i in range(count):
                l, b, r, t = textpage.get_charbox(i)
                boxes.append((l - left, b - bottom, r - left, t - bottom))
            textpage.close()
            page.close()
        finally:
            pdf.close()
    return PageChars("".join(chars).translate(_APOSTROPHES), tuple(boxes), width, height)


def ocr_chars(path: Path, number: int) -> PageChars:
    """The words Tesseract reads on the image of page `number`, one box per character."""
    return _OCR.get(_key(path, number, "ocr"), lambda: _read_ocr(path, number))


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def _read_ocr(path: Path, number: int) -> PageChars:
    import pypdfium2 as pdfium

    scale = OCR_DPI / 72
    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            width, height = page.get_size()
            image = page.render(scale=scale, grayscale=True).to_pil()
            page.close()
        finally:
            pdf.close()
    with tempfile.NamedTemporaryFile(prefix="delib-serve-", suffix=".png") as file:
        image.save(file, format="PNG")
        file.flush()
        done = subprocess.run(("tesseract", file.name, "stdout", "-l", OCR_LANGUAGE, "--psm", "3",
                               "--dpi", str(OCR_DPI), "tsv"), capture_output=True, timeout=OCR_TIMEOUT,
                              check=False, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    if done.returncode != 0:
        return PageChars("", (), width, height)
    return tsv_chars(done.stdout.decode("utf-8", errors="replace"), scale, width, height)


def tsv_chars(tsv: str, scale: float, width: float, height: float) -> PageChars:
    """Tesseract's TSV (words with pixel boxes) as a page of characters with boxes in PDF points:
    words of a line joined by a space, lines by a line break; a word's box split evenly among its
    characters."""
    text: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    line = None
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        if text:
            separator = " " if key == line else "\n"
            text.append(separator)
            boxes.append((0.0, 0.0, 0.0, 0.0))  # a space has no box
        line = key
        left, top = int(row["left"]) / scale, int(row["top"]) / scale
        w, h = int(row["width"]) / scale, int(row["height"]) / scale
        step = w / len(word)
        for i, char in enumerate(word):
            text.append(char)
            boxes.append((left + i * step, height - top - h, left + (i + 1) * step, height - top))
    return PageChars("".join(text).translate(_APOSTROPHES), tuple(boxes), width, height)


def render_png(path: Path, number: int, width: int = 900) -> bytes:
    """Page `number` as a PNG `width` pixels wide."""
    return _IMAGES.get(_key(path, number, width), lambda: _render(path, number, width))


def _render(path: Path, number: int, width: int) -> bytes:
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[number - 1]
            scale = width / page.get_size()[0]
            image = page.render(scale=scale, draw_annots=True).to_pil()
            page.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()


# -- finding values ---------------------------------------------------------------------------------

def value_pattern(text: str) -> re.Pattern[str] | None:
    """A pattern for `text` as printed: any spacing (or none) between its words, apostrophes alike,
    no letter case, and a number not part of a longer one."""
    words = text.translate(_APOSTROPHES).split()
    if not words:
        return None
    # bounded: a title is not a chapter; any apostrophe stands for any other
    body = r"\s*".join(re.escape(w).replace("'", "['\u2019\u2018\u02bc]") for w in words[:40])
    head = r"(?<![\d\w])" if words[0][0].isalnum() else ""
    tail = r"(?![\d\w])" if words[-1][-1].isalnum() else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def find_spans(chars: PageChars, mark: Mark) -> list[tuple[int, int]]:
    """Where `mark` is printed in the page's text: every match, or with `near`, the one match
    closest to one of the words (none when no word stands within NEAR_WINDOW characters)."""
    pattern = value_pattern(mark.text)
    if pattern is None:
        return []
    spans = [m.span() for m in pattern.finditer(chars.text)]
    if not mark.near or not spans:
        return spans
    lowered = chars.text.lower()
    anchors = [m.span() for word in mark.near for m in re.finditer(re.escape(word.lower()), lowered)]
    best: tuple[float, tuple[int, int]] | None = None
    for start, end in spans:
        for a_start, a_end in anchors:
            # "Présents : 14" is the usual order: at equal distance, the number after its word wins.
            distance = start - a_end if a_end <= start else a_start - end + 0.5
            if -0.5 <= distance <= NEAR_WINDOW and (best is None or distance < best[0]):
                best = (distance, (start, end))
    return [best[1]] if best else []


def span_boxes(chars: PageChars, key: str, page: int, start: int, end: int) -> list[Box]:
    """The rectangles covering characters start..end, one per printed line."""
    lines: list[list[float]] = []  # [left, bottom, right, top]
    for i in range(start, min(end, len(chars.boxes))):
        if chars.text[i].isspace():
            continue
        l, b, r, t = chars.boxes[i]
        if r <= l or t <= b:
            continue
        last = lines[-1] if lines else None
        if last and min(t, last[3]) - max(b, last[1]) > 0.3 * (t - b) and l >= last[0] - 1:
            last[0], last[1], last[2], last[3] = min(last[0], l), min(last[1], b), max(last[2], r), max(last[3], t)
        else:
            lines.append([l, b, r, t])
    pad = 1.5  # points: a box that touches the glyphs hides them
    return [Box(key, page, (l - pad) / chars.width, (chars.height - t - pad) / chars.height,
                (r - l + 2 * pad) / chars.width, (t - b + 2 * pad) / chars.height) for l, b, r, t in lines]


def locate(path: Path, marks: list[Mark], pages: tuple[int, ...],
           scanned: frozenset[int] = frozenset()) -> tuple[list[Box], dict[int, bool]]:
    """Boxes for every mark found on `pages`, and for each page whether words were found on it.

    Pages in `scanned` (read by OCR at import) are read by Tesseract again, when it is installed.
    A mark with a page is looked for on that page only; without one, on every page given. A mark
    without `near` that is printed several times is boxed each time (a reader sees them all)."""
    boxes: list[Box] = []
    has_text: dict[int, bool] = {}
    for number in pages:
        if number in scanned:
            chars = ocr_chars(path, number) if tesseract_available() else PageChars("", (), 1.0, 1.0)
        else:
            chars = page_chars(path, number)
        has_text[number] = chars.has_text
        if not chars.has_text:
            continue
        for mark in marks:
            if mark.page is not None and mark.page != number:
                continue
            for start, end in find_spans(chars, mark):
                boxes.extend(span_boxes(chars, mark.key, number, start, end))
    return boxes, has_text


__all__ = ["Box", "Mark", "PageChars", "find_spans", "locate", "ocr_chars", "page_chars", "page_count",
           "render_png", "span_boxes", "tesseract_available", "tsv_chars", "value_pattern"]
