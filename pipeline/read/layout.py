"""Finding a narrow margin column beside the body, from word boxes.

Registry extracts often print a left column ("OBJET :", the number, "Nombre de délégués…") next
to the body. Read line by line, the two columns interleave into nonsense; so we look for a
vertical gutter that no word crosses over a band of lines holding text on both sides, and read
the column as its own block.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    x1: float
    top: float
    bottom: float
    letters: int = 1  # how many letters the word holds: bullets and dashes hold none


@dataclass(frozen=True, slots=True)
class MarginColumn:
    gutter: float  # x of the gap between the column and the body
    top: float
    bottom: float


_LINE_TOLERANCE = 3.0
_MIN_COLUMN_LINES = 3
_CORRIDOR = 6.0  # half-width of the empty band between column and body, in points
# Gutters tried across a page: every 3 points on any real paper size (A3 landscape: 139), but a
# damaged or hostile MediaBox ten million points wide must not mean millions of passes.
_MAX_GUTTERS = 300


def _lines(words: Sequence[Box]) -> list[list[Box]]:
    lines: list[list[Box]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def find_margin_column(words: Sequence[Box], page_width: float, page_height: float) -> MarginColumn | None:
    """The best left column of the page, or None when the page is a single column."""
    lines = _lines(words)
    if len(lines) < _MIN_COLUMN_LINES:
        return None
    best: tuple[int, float, int, int] | None = None  # (score, gutter, first line, last line)
    start = int(page_width * 0.10)
    stop = int(page_width * 0.45)
    step = max(3, -(-(stop - start) // _MAX_GUTTERS))
    grid = _Grid.of(lines, range(start, stop, step))
    for gutter in grid.gutters:
        run = _best_run(grid, float(gutter))
        if run and (best is None or run[0] > best[0]):
            best = (run[0], float(gutter), run[1], run[2])
    if best is None:
        return None
    _, gutter, first, last = best
    if lines[first][0].top > page_height * 0.3:
        return None  # a margin column starts with the page; lower down, two columns are a table
    band = lines[first : last + 1]
    if _row_aligned(band, gutter):
        return None
    gutter = _widest_gap(band, gutter)
    return MarginColumn(gutter, lines[first][0].top - 1, max(w.bottom for w in lines[last]) + 1)


@dataclass(frozen=True, slots=True)
class _Grid:
    """For each line and each gutter tried: whether the line bars the gutter (a word within the
    corridor, or a table row's gap), and whether it holds words on the left, on the right.

    Made once per page from each line's sorted word edges: asked gutter by gutter by walking every
    word of every line, it was a quarter of the time of reading a digital page.
    """
    gutters: range
    barred: list[bytearray]
    left: list[bytearray]
    right: list[bytearray]

    @classmethod
    def of(cls, lines: list[list[Box]], gutters: range) -> "_Grid":
        barred, left, right = zip(*(_line_marks(line, gutters) for line in lines))
        return cls(gutters, list(barred), list(left), list(right))


def _line_marks(line: list[Box], gutters: range) -> tuple[bytearray, bytearray, bytearray]:
    count, start, step = len(gutters), gutters.start, gutters.step
    barred = bytearray(count)
    for word in line:  # the gutters strictly inside (x0 - corridor, x1 + corridor)
        low = max(0, math.floor((word.x0 - _CORRIDOR - start) / step) + 1)
        high = min(count - 1, math.ceil((word.x1 + _CORRIDOR - start) / step) - 1)
        if high >= low:
            barred[low : high + 1] = b"\x01" * (high - low + 1)
    if len(line) >= 4:  # a table row's gap can only part four words or more
        for index, gutter in enumerate(gutters):
            if not barred[index] and _table_row(line, float(gutter)):
                barred[index] = 1
    # A bullet or a dash left of the gap is a list, not a column: demand words. Figures alone on
    # the right are a small table of counts, not a body beside a column.
    left, right = bytearray(count), bytearray(count)
    ends = sorted((w.x1, w.letters) for w in line)
    starts = sorted((w.x0, w.letters) for w in line)
    total = sum(w.letters for w in line)
    e = s = 0
    before_end = before_start = 0  # letters of the words ending at or before / starting before
    for index, gutter in enumerate(gutters):
        while e < len(ends) and ends[e][0] <= gutter:
            before_end += ends[e][1]
            e += 1
        while s < len(starts) and starts[s][0] < gutter:
            before_start += starts[s][1]
            s += 1
        left[index] = before_end >= 3
        right[index] = total - before_start >= 3
    return barred, left, right


def _best_run(grid: _Grid, gutter: float) -> tuple[int, int, int] | None:
    """The run of lines that no word crosses at `gutter` with the most text on both sides.

    Scored by min(lines with words left, lines with words right): a column and a body both.
    At least two lines must hold both sides, or the "column" is just a short heading.
    """
    at = grid.gutters.index(int(gutter))
    best = None
    first = None
    left = right = shared = 0

    def close(last: int) -> None:
        nonlocal best
        score = min(left, right)
        if first is not None and shared >= 2 and score >= _MIN_COLUMN_LINES:
            if best is None or score > best[0]:
                best = (score, first, last)

    for index, barred in enumerate(grid.barred):
        # An empty corridor, not just a gap between two words: inter-word spaces are ~3 pt.
        if barred[at]:
            if first is not None:  # most lines of a page bar most gutters: nothing open to close
                close(index - 1)
                first = None
                left = right = shared = 0
            continue
        has_left, has_right = grid.left[index][at], grid.right[index][at]
        if first is None:
            first = index
        left += has_left
        right += has_right
        shared += has_left and has_right
    close(len(grid.barred) - 1)
    return best


def _table_row(line: list[Box], gutter: float) -> bool:
    """A row of evenly spread cells ("En exercice  Présents  Représentés  Votants") that the gap
    happens to fall between: the gap is one of several as wide, so it parts cells, not a column
    from a body. Beside a margin column the gap to the body is the line's one wide gap."""
    if len(line) < 4:  # the gap at the gutter and two more wide ones part four words at least
        return False
    words = sorted(line, key=lambda w: w.x0)
    gaps = [(b.x0 - a.x1, a.x1 <= gutter <= b.x0) for a, b in zip(words, words[1:])]
    across = max((width for width, at_gutter in gaps if at_gutter), default=0.0)
    if across <= 0:
        return False
    height = max(w.bottom for w in line) - min(w.top for w in line)
    others = [width for width, at_gutter in gaps if not at_gutter and width >= max(across / 2, 2 * height)]
    return len(others) >= 2


def _row_aligned(lines: list[list[Box]], gutter: float) -> bool:
    """A table, not a column: nearly every line has words on both sides of the gap.

    Beside a margin column the body runs on with many more lines (measured: at most 18 % of
    lines hold both sides in margin layouts, 86 % in an attendance table).
    """
    left = sum(1 for line in lines if sum(w.letters for w in line if w.x1 <= gutter) >= 3)
    right = sum(1 for line in lines if sum(w.letters for w in line if w.x0 >= gutter) >= 3)
    both = sum(
        1 for line in lines
        if sum(w.letters for w in line if w.x1 <= gutter) >= 3 and sum(w.letters for w in line if w.x0 >= gutter) >= 3
    )
    return both > 0.6 * max(left, right, 1)


def _widest_gap(lines: list[list[Box]], gutter: float) -> float:
    """Move the gutter to the middle of the empty gap, so slightly longer lines still fit."""
    left_edge = max((w.x1 for line in lines for w in line if w.x1 <= gutter), default=gutter)
    right_edge = min((w.x0 for line in lines for w in line if w.x0 >= gutter), default=gutter)
    return (left_edge + right_edge) / 2


def join_paragraphs(lines: list[tuple[float, str]], gap: float = 1.35, break_on_rise: bool = False) -> str:
    """(top, text) lines in reading order -> text, with a blank line where a paragraph ends.

    A paragraph ends where the step down to the next line is larger than `gap` times the usual
    (median) step. Text engines and Tesseract all lose blank lines; lists and titles need them.
    With `break_on_rise`, going back up the page (a new block or column) also ends a paragraph.
    """
    steps = sorted(b[0] - a[0] for a, b in zip(lines, lines[1:]) if b[0] > a[0])
    usual = steps[len(steps) // 2] if steps else 0
    out = [lines[0][1]] if lines else []
    for (previous_top, _), (top, text) in zip(lines, lines[1:]):
        step = top - previous_top
        if usual and (step > usual * gap or (break_on_rise and step < 0)):
            out.append("")
        out.append(text)
    return "\n".join(out)
