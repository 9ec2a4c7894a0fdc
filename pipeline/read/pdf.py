"""PDF -> cleaned page texts, with the page number kept.

Two engines sit behind `read_pages`: pdfplumber (layout analysis: margin columns) and pypdfium2
(much faster, plain reading order). Pages without a usable text layer go to OCR.
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
from dataclasses import dataclass
from collections import Counter
from pathlib import Path

import regex

from pipeline import errors
from pipeline.read.layout import Box, find_margin_column, join_paragraphs
from pipeline.read.normalize import clean_text
from models.records import PageText

log = logging.getLogger(__name__)

ENGINES = ("pdfplumber", "pdfium")
OCR_MODES = ("auto", "always", "never")

# Running lines that carry no fact: page numbers and the @ctes transmission identifier.
_PAGE_NUMBER_LINE = regex.compile(
    r"^\s*(?:-\s*\d{1,3}\s*-|(?:page|p\.)\s*\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?|\d{1,3}\s*/\s*\d{1,3})\s*$",
    regex.IGNORECASE | regex.MULTILINE,
)
# The page number at the end of a running footer; the rest of the footer may carry dates.
_PAGE_NUMBER_TAIL = regex.compile(
    r"\s*[–—-]\s*page\s*\d{1,3}\s*(?:/|sur)\s*\d{1,3}\s*$", regex.IGNORECASE | regex.MULTILINE
)
ACTE_ID = regex.compile(r"\b0?\s?\d{2,3}-\d{9}-\d{8}-[\w-]{1,40}?-(?:DE|AR|AI|CC|BF|AU)\b")
_MIN_LETTERS = 40  # fewer letters than this on a page: treat the text layer as absent
_STAMP_ONLY = regex.compile(
    r"(envoy|reçu|publi|affich|accus|préfecture|prefecture|ID\s*:|S2LOW|\d{2}/\d{2}/\d{4})",
    regex.IGNORECASE,
)


def sniff(path: Path, data: bytes) -> None:
    """Reject what is not a PDF before a parser does, with a message that says what it is."""
    if not data:
        raise errors.EmptyFile(str(path), "the file is empty (0 bytes)")
    head = data[:1024]
    if b"%PDF-" in head:
        if b"%%EOF" not in data[-2048:] and b"startxref" not in data[-4096:]:
            # pdfminer can often recover; flag it only if parsing later fails.
            log.debug("%s: no %%EOF marker", path)
        return
    kind = _guess_kind(head)
    raise errors.NotAPdf(str(path), f"this is not a PDF file ({kind})")


def _guess_kind(head: bytes) -> str:
    if head.startswith(b"\x89PNG"):
        return "it is a PNG image"
    if head.startswith(b"\xff\xd8"):
        return "it is a JPEG image"
    if head.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive or office document"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")) or b"<html" in head.lower():
        return "it is an HTML page"
    if head.startswith(b"{\\rtf"):
        return "it is an RTF document"
    return "no %PDF header"


def read_pages(
    path: Path,
    data: bytes,
    *,
    engine: str = "pdfium",
    ocr: str = "auto",
) -> list[PageText]:
    """Every page's cleaned text; pages without usable text are OCR'd unless `ocr='never'`.

    Running headers are left in: they mark where deliberations start (see `pipeline.segment`),
    and are stripped per deliberation by `strip_running_lines`.
    """
    sniff(path, data)
    if engine == "pdfplumber":
        raw = _read_pdfplumber(path, data)
    else:
        try:
            raw = _read_pdfium(path, data)
        except errors.CorruptPdf as exc:
            # pdfminer repairs some files pdfium refuses (no cross-reference table, a page tree
            # with a cycle, …): try it, and if it fails too, say what both found.
            log.info("%s: pdfium failed (%s), trying pdfplumber", path, exc.reason)
            try:
                raw = _read_pdfplumber(path, data)
            except errors.CorruptPdf as second:
                if second.reason == exc.reason:  # a truncated file says so once
                    raise exc from None
                raise errors.CorruptPdf(str(path), f"{exc.reason}; pdfplumber: {second.reason}") from None
    if not raw:
        raise errors.NoPages(str(path), "the PDF has no pages")
    pages = _apply_ocr(path, data, raw, ocr)
    if not any(p.text.strip() or p.margin.strip() for p in pages):
        raise errors.NoText(str(path), NO_TEXT)
    return pages


NO_TEXT = "no text: a scan while --ocr never, or an empty page"


def _apply_ocr(path: Path, data: bytes, pages: list[PageText], mode: str) -> list[PageText]:
    wanted = [p.number for p in pages if mode == "always" or (mode == "auto" and needs_ocr(p))]
    if not wanted:
        if mode == "never" and all(needs_ocr(p) for p in pages):
            raise errors.NeedsOcr(str(path), f"{NO_TEXT} (no page has a text layer and OCR is off)")
        return pages
    from pipeline.read import ocr as ocr_engine  # imported late: only scans pay for it

    read = ocr_engine.ocr_pages(path, data, wanted)
    return [read.get(p.number, p) for p in pages]


def needs_ocr(page: PageText) -> bool:
    """A page whose text layer is empty, garbage, or only a transmission stamp over a scan.

    A page with a few words and no picture (a signature page) is not a scan.
    """
    text = page.margin + page.text
    letters = _letters_up_to(text, _MIN_LETTERS)
    pictured = page.image_cover is None or page.image_cover > 0.3
    if letters == 0 or (letters < _MIN_LETTERS and pictured):
        return True
    words = _WORD.findall(text)
    if len(words) < 12 and pictured and _STAMP_ONLY.search(text):
        return True
    return _garbled(text, words)


# Compiled once: `regex.sub(pattern_string, …)` looks its pattern up again on every call, which
# costs more than the substitution on a short line (and _line_key runs on every line of a file).
_WORD = regex.compile(r"\p{L}{3,}")
_BLANK_LINES = regex.compile(r"\n{3,}")
_DIGITS = regex.compile(r"\d+")
_VOWEL = regex.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]", regex.IGNORECASE)
_ORDINARY = regex.compile(r"[\p{L}\p{N}\s.,;:!?'’\"«»()\[\]/%€$&@#*+=<>°–—_|•-]")
_NOT_ORDINARY = regex.compile(r"[^\p{L}\p{N}\s.,;:!?'’\"«»()\[\]/%€$&@#*+=<>°–—_|•-]")


def _letters_up_to(text: str, enough: int) -> int:
    """How many letters `text` holds, counting no further than `enough` (the loops over every
    character of every page were a fifth of the reading time)."""
    return sum(1 for _ in itertools.islice(filter(str.isalpha, text), enough))


def _garbled(text: str, words: list[str]) -> bool:
    """A text layer from a broken font encoding: words without vowels, or mostly odd symbols.

    (Lists of names have few common words but are not garbage: vowels and letters are what tell.)
    """
    if len(words) >= 12 and sum(1 for w in words if not _VOWEL.search(w)) > 0.5 * len(words):
        return True
    visible = len(text) - sum(map(str.isspace, text))
    odd = sum(1 for ch in _NOT_ORDINARY.findall(text) if not ch.isspace())
    bullets = text.count("•")  # what (cid:N) glyphs become
    return visible >= 80 and (odd + bullets) > 0.4 * visible


def _read_pdfplumber(path: Path, data: bytes) -> list[PageText]:
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise errors.EncryptedPdf(str(path), "the PDF is encrypted with a password") from None
    except Exception as exc:  # pdfminer raises many undocumented types on broken files
        if "password" in str(exc).lower() or type(exc).__name__.startswith("PDFEncrypt"):
            raise errors.EncryptedPdf(str(path), "the PDF is encrypted") from None
        raise _damaged(path, data, "it could not be opened", exc) from None
    try:
        try:
            pages = pdf.pages
        except Exception as exc:  # RecursionError too: a page tree deeper than Python's stack
            raise _damaged(path, data, "the page list is unreadable", exc) from None
        out = []
        for index, page in enumerate(pages, start=1):
            try:
                out.append(_plumber_page(page, index))
            except Exception as exc:
                raise _damaged(path, data, f"page {index} could not be read", exc) from None
            finally:
                page.close()  # pdfplumber caches layout objects per page: free them as we go
        return out
    finally:
        _close_quietly(pdf)


def _close_quietly(pdf) -> None:
    """pdfplumber's close() walks the page list again: on a file whose page list is what failed,
    it raises a second error that would replace the first (the one that says what is wrong)."""
    try:
        pdf.close()
    except Exception:  # noqa: BLE001 - the real error is already on its way
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            stream.close()


def _plumber_page(page, number: int) -> PageText:
    margin = ""
    body_page = page
    if number == 1:
        words = page.extract_words(x_tolerance=2, keep_blank_chars=False)
        boxes = [
            Box(w["x0"], w["x1"], w["top"], w["bottom"], sum(c.isalpha() for c in w["text"]))
            for w in words
        ]
        column = find_margin_column(boxes, float(page.width), float(page.height))
        if column is not None:
            def in_column(obj) -> bool:
                return (
                    obj.get("x1", 0) <= column.gutter
                    and column.top <= obj.get("top", -1) <= column.bottom
                )

            margin = clean_text(page.filter(in_column).extract_text() or "")
            body_page = page.filter(lambda obj: not in_column(obj))
    text = _text_with_paragraphs(body_page)
    return PageText(number=number, text=clean_text(text), margin=margin,
                    image_cover=_image_cover(page))


def _text_with_paragraphs(page) -> str:
    """Lines in reading order, with a blank line where the vertical gap says a paragraph ends.

    pdfplumber's extract_text drops paragraph breaks; lists and titles need them to end.
    """
    lines = page.extract_text_lines(strip=True, return_chars=False)
    return join_paragraphs([(line["top"], line["text"]) for line in lines])


def _image_cover(page) -> float:
    """Share of the page covered by images: near 1 for a scan."""
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for image in page.images:
        width = max(0.0, min(image["x1"], page.width) - max(image["x0"], 0))
        height = max(0.0, min(image["bottom"], page.height) - max(image["top"], 0))
        covered += width * height
    return min(1.0, covered / area)


def _read_pdfium(path: Path, data: bytes) -> list[PageText]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium's error code can be stale (left by the previous document in this process),
        # so a password error counts only if the file really declares encryption.
        if "password" in str(exc).lower() and b"/Encrypt" in data:
            raise errors.EncryptedPdf(str(path), "the PDF is encrypted with a password") from None
        raise _damaged(path, data, "it could not be opened", exc) from None
    try:
        out = []
        for index in range(len(pdf)):
            # Loading the page is where a damaged page tree fails (a cycle, a /Count larger than
            # the tree, a tree deeper than pdfium's limit): a damaged file, not a bug.
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise _damaged(path, data, f"page {index + 1} could not be loaded", exc) from None
            try:
                out.append(_pdfium_page(page, index + 1))
            except pdfium.PdfiumError as exc:
                raise _damaged(path, data, f"page {index + 1} could not be read", exc) from None
            finally:
                page.close()
        return out
    finally:
        pdf.close()


@dataclass(frozen=True, slots=True, eq=False)
class _Segment:
    """A run of text pdfium reports with its box, in top-down page coordinates."""

    x0: float
    x1: float
    top: float
    bottom: float


def _pdfium_page(page, number: int) -> PageText:
    """pdfium's text runs ("rects") give line pieces with boxes: enough for the same layout
    analysis as pdfplumber (margin column, paragraph gaps) at a fraction of the cost."""
    import pypdfium2.raw as pdfium_raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        segments = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            segments.append(_Segment(left, right, height - top, height - bottom))

        # pdfium gives every character whose box meets the rectangle asked. Where the page's low
        # lines are (top-down centres): only a line holding one is read a second way (below).
        lows = _low_line_centres(textpage, height)

        def text_in(x0: float, top: float, x1: float, bottom: float) -> str:
            # Inset vertically so tight leading does not pull in the neighbouring lines.
            # Not at the bottom: full stops sit on the baseline, just above the descenders.
            size = bottom - top
            inset = textpage.get_text_bounded(x0 - 1, height - bottom + size * 0.05, x1 + 1,
                                              height - top - size * 0.25)
            if not any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x, y in lows):
                return inset
            # A low line ("B2023_88") is a sliver below the baseline: when it is the line's lowest
            # mark, the bottom inset leaves all of it out (pdfium puts a space in its place). Read
            # without that inset, the line may only gain low lines: a neighbour's letters poking
            # in would show as other characters.
            whole = textpage.get_text_bounded(x0 - 1, height - bottom, x1 + 1, height - top - size * 0.25)
            return whole if _without_low_lines(whole) == _without_low_lines(inset) else inset

        margin = ""
        if number == 1 and segments:
            boxes = [Box(s.x0, s.x1, s.top, s.bottom, 3) for s in segments]
            column = find_margin_column(boxes, float(width), float(height))
            if column is not None:
                inside = [s for s in segments if s.x1 <= column.gutter and column.top <= s.top <= column.bottom]
                margin = _compose(inside, text_in)
                taken = {id(s) for s in inside}
                segments = [s for s in segments if id(s) not in taken]
        body = _compose(segments, text_in)
    finally:
        textpage.close()
    # Walking the page objects is slow on busy pages; only a nearly empty page needs to know.
    cover = None
    if _letters_up_to(body + margin, 200) < 200:
        covered = 0.0
        for image in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = image.get_bounds()
            covered += max(0.0, min(right, width) - max(left, 0)) * max(0.0, min(top, height) - max(bottom, 0))
        cover = min(1.0, covered / (width * height or 1.0))
    return PageText(number=number, text=body, margin=margin, image_cover=cover)


_LOW_LINES = frozenset("_\u2017\uff3f")  # low line, double low line, fullwidth low line


def _low_line_centres(textpage, height: float) -> list[tuple[float, float]]:
    """The centre (x, y from the top) of every low line on the page: pdfium finds them in C."""
    centres = []
    for mark in _LOW_LINES:
        searcher = textpage.search(mark, match_case=True)
        try:
            while found := searcher.get_next():
                for index in range(found[0], found[0] + found[1]):
                    left, bottom, right, top = textpage.get_charbox(index)
                    centres.append(((left + right) / 2, height - (bottom + top) / 2))
        finally:
            searcher.close()
    return centres


def _without_low_lines(text: str) -> str:
    return "".join(ch for ch in text if ch not in _LOW_LINES and not ch.isspace())


def _compose(segments: list[_Segment], text_in) -> str:
    """Segments -> lines (by vertical overlap) -> clean text, with a blank line at paragraph gaps.

    Each line's text is asked of pdfium over the line's box, so its own word spacing applies.
    Lines of a grid of marks keep their cells at their x positions (runs of spaces that the
    clean-up would otherwise fold).
    """
    lines: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        if lines:
            last = lines[-1]
            top, bottom = min(s.top for s in last), max(s.bottom for s in last)
            overlap = min(bottom, segment.bottom) - max(top, segment.top)
            if overlap > 0.5 * min(bottom - top, segment.bottom - segment.top):
                last.append(segment)
                continue
        lines.append([segment])
    cells: list[tuple[float, list[tuple[float, float, str]]]] = []  # (top, [(x0, x1, text)]) a line
    for line in lines:
        top, bottom = min(s.top for s in line), max(s.bottom for s in line)
        # Table cells: pdfium joins distant pieces without a space, so read each cluster apart.
        clusters: list[list[_Segment]] = []
        for segment in sorted(line, key=lambda s: s.x0):
            if clusters and segment.x0 - max(s.x1 for s in clusters[-1]) < 0.3 * (bottom - top):
                clusters[-1].append(segment)
            else:
                clusters.append([segment])
        row = []
        for c in clusters:
            x0, x1 = min(s.x0 for s in c), max(s.x1 for s in c)
            piece = " ".join(text_in(x0, top, x1, bottom).replace("\r", " ").replace("\n", " ").split())
            if piece:
                row.append((x0, x1, piece))
        if row:
            cells.append((top, row))
    grid = _grid_lines(cells)
    rendered: list[tuple[float, str]] = []
    for index, (top, row) in enumerate(cells):
        if index in grid:
            rendered.append((top, _at_columns(row, grid[index]).replace(" ", _KEPT_SPACE)))
        else:
            rendered.append((top, " ".join(piece for _, _, piece in row)))
    return clean_text(join_paragraphs(rendered)).replace(_KEPT_SPACE, " ")


_KEPT_SPACE = "\x00"  # a grid's padding, kept through the clean-up that folds runs of spaces


_MARK = frozenset("XxV✓✔×")
_MIN_GRID_LINES = 3


def _grid_lines(cells: list[tuple[float, list[tuple[float, float, str]]]]) -> dict[int, float]:
    """The lines of grids of marks (a lone "X" under Présent / Excusé / Absent) and, for each,
    the width of a character: those lines keep their cells at their x positions, since a single
    space between cells would lose which column a mark sits in. Other lines keep single spaces."""
    out: dict[int, float] = {}
    index = 0
    while index < len(cells):
        end = index
        while end < len(cells) and len(cells[end][1]) >= 2:
            end += 1
        block = cells[index:end]
        if len(block) >= _MIN_GRID_LINES and any(piece in _MARK for _, row in block for _, _, piece in row):
            width = sum(x1 - x0 for _, row in block for x0, x1, _ in row)
            letters = sum(len(piece) for _, row in block for _, _, piece in row)
            unit = width / letters if letters else 0.0
            if unit > 0:
                out.update({i: unit for i in range(index, end)})
        index = end + 1
    return out


def _at_columns(row: list[tuple[float, float, str]], unit: float) -> str:
    """A table row with each cell starting at the column its x position gives."""
    text = ""
    for x0, _, piece in row:
        column = round(x0 / unit)
        text += " " * max(1 if text else 0, column - len(text)) + piece
    return text.strip()


def strip_running_lines(pages: list[PageText]) -> list[PageText]:
    """Drop page numbers, @ctes identifiers, and header/footer lines repeated on several pages.

    A repeated header is kept once, where it first appears (a letterhead); a repeated footer
    once, where it last appears, since footers often carry the transmission and publication
    dates and the end of the deliberation is where a reader looks for them.
    """
    headers, footers = _repeated_edge_lines(pages) if len(pages) > 1 else (set(), set())
    keys = {p.number: _keys(p) for p in pages} if footers else {}
    last_page_of = {key: max(n for n, found in keys.items() if key in found) for key in footers}
    seen: set[str] = set()
    out = []
    for page in pages:
        kept = []
        for line in page.text.split("\n"):
            key = _line_key(line)
            if key in footers and page.number != last_page_of[key]:
                continue
            if key in headers and key not in footers:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(line)
        text = _PAGE_NUMBER_TAIL.sub("", _PAGE_NUMBER_LINE.sub("", "\n".join(kept)))
        text = ACTE_ID.sub("", text)
        margin = ACTE_ID.sub("", page.margin)
        out.append(dataclasses.replace(
            page, text=_BLANK_LINES.sub("\n\n", text).strip(), margin=margin))
    return out


def _keys(page: PageText) -> set[str]:
    return {_line_key(line) for line in page.text.split("\n")}


def _line_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def _repeated_edge_lines(pages: list[PageText]) -> tuple[set[str], set[str]]:
    """Keys of lines repeated at the top (headers) and at the bottom (footers) of pages."""
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for page in pages:
        lines = [l for l in page.text.split("\n") if l.strip()]
        tops.update({k for k in map(_line_key, lines[:3]) if len(k) > 3})
        bottoms.update({k for k in map(_line_key, lines[-3:]) if len(k) > 3})
    threshold = max(2, (len(pages) + 1) // 2)
    return ({k for k, n in tops.items() if n >= threshold},
            {k for k, n in bottoms.items() if n >= threshold})


def _damaged(path: Path, data: bytes, what: str, exc: BaseException) -> errors.DocumentError:
    """The most useful explanation of a parse failure: a cut-off file says so."""
    if b"%%EOF" not in data[-2048:]:
        return errors.CorruptPdf(
            str(path), f"the file is truncated: it ends before the PDF's end marker ({what})"
        )
    return errors.CorruptPdf(str(path), f"the PDF structure is damaged: {what} ({_short(exc)})")


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:160]
