"""Write the sample deliberation PDFs of ``samples/`` from the text sources in ``samples/src``.

Each ``samples/src/NAME.txt`` holds one document: a few ``@`` settings, then blocks of text
separated by blank lines.  The script lays them out with reportlab and writes ``samples/NAME.pdf``.
The output is byte-for-byte reproducible (``invariant=1``, fixed metadata).

    python samples/make_samples.py            # every source
    python samples/make_samples.py NAME ...   # only these

Source syntax (kept deliberately small)
---------------------------------------
Settings, at the top of the file, one per line::

    @font sans|serif          body font (DejaVu Sans / DejaVu Serif)
    @size 10                  body font size in points
    @leading 1.3              line height, as a multiple of the font size
    @margin 2                 page margins in cm
    @leftcol 4.5              width in cm of an empty left margin column: the body runs to its right
    @header TEXT              running header, drawn on every page of a deliberation but its first
    @footer TEXT              footer on every page; {page} and {pages} are replaced
    @footnote TEXT            a second small footer line on every page (e.g. an accusé de réception)
    @stamp L1|L2|L3           a boxed stamp in the top right corner of page 1
    @title TEXT               PDF metadata title

Blocks.  A block may start with flags in brackets, e.g. ``[c b]``:
``c``/``r``/``l``/``j`` centre / right / left / justify (default ``j``), ``b`` bold, ``i`` italic,
``lines`` keep the line breaks, ``s`` small, ``L``/``XL`` large, ``box`` framed, ``full`` ignore
the left column, ``tight`` no space after.  Flags apply to a whole block: start a new block (blank
line) to change them.  Inline ``**bold**`` and ``*italic*``.  Inside a block a
line starting with ``- ``, ``• `` or ``– `` starts a bullet item.  ``{hy}`` is a word cut by a
hyphen at the end of a line ("subven{hy}tion"), ``{nbsp}`` a non-breaking space.  In a margin
column a line holding only ``~`` is an empty line.

Special blocks::

    @pagebreak
    @newdelib HEADER TEXT     new page, and a new running header for the pages that follow
    @row [flags]              a line of the margin column beside a body paragraph:
    left line 1               the left lines (line breaks kept) ...
    left line 2
    @@ [flags]                ... then one or more right-hand paragraphs, each after "@@"
    right text
    | a | b | c |             consecutive lines starting with "|" make a table; a first line
                              "[grid head cw=6,4,3]" sets borders, bold first row, widths in cm
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
]
FAMILIES = {
    "sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    "serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
}


def _font_file(name: str) -> Path:
    for folder in FONT_DIRS:
        path = folder / f"{name}.ttf"
        if path.exists():
            return path
    raise SystemExit(
        f"font {name}.ttf not found (looked in {', '.join(map(str, FONT_DIRS))}); "
        "install the DejaVu fonts (Debian: fonts-dejavu-core)"
    )


def register_fonts() -> None:
    for family, (regular, bold, italic, bold_italic) in FAMILIES.items():
        for face in (regular, bold, italic, bold_italic):
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face, str(_font_file(face))))
        pdfmetrics.registerFontFamily(
            regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
        )


# --------------------------------------------------------------------------- parsing

SETTING = re.compile(r"^@(font|size|leading|margin|leftcol|header|footer|footnote|stamp|title)\s*(.*)$")
FLAGS = re.compile(r"^\[([^\]]*)\]\s*")
BULLET = re.compile(r"^(- |• |– )")


def parse_flags(line: str) -> tuple[set[str], dict[str, str], str]:
    """Split leading "[a b k=v]" flags from a line."""
    match = FLAGS.match(line)
    if not match:
        return set(), {}, line
    flags, options = set(), {}
    for token in match.group(1).split():
        if "=" in token:
            key, value = token.split("=", 1)
            options[key] = value
        else:
            flags.add(token)
    return flags, options, line[match.end():]


def read_source(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    settings: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = 0
    for i, line in enumerate(lines):
        match = SETTING.match(line)
        if match:
            settings[match.group(1)] = match.group(2).strip()
            body_start = i + 1
        elif line.strip():
            break
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[body_start:]:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return settings, blocks


def inline(text: str) -> str:
    """Escape XML and turn **bold** / *italic* / {hy} / {nbsp} into reportlab markup.

    Spaces before ; : ? ! » and after « become non-breaking, as French word processors do;
    pdfplumber reads them back as plain spaces.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    # French typography: no line break before ; : ? ! » nor after «
    text = re.sub(r" ([;:?!»])", "\u00a0\\1", text).replace("« ", "«\u00a0")
    text = text.replace("{hy}", "-<br/>")
    return text.replace("{nbsp}", "\u00a0")


# --------------------------------------------------------------------------- layout


class SectionMark(Flowable):
    """Zero-size marker: a new deliberation starts on this page, with this running header."""

    def __init__(self, header: str):
        super().__init__()
        self.header = header
        self.width = self.height = 0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        doc.section_header = self.header
        doc.section_start = self.canv.getPageNumber()


class Builder:
    def __init__(self, settings: dict[str, str]):
        self.settings = settings
        self.font = FAMILIES[settings.get("font", "sans")][0]
        self.size = float(settings.get("size", "10"))
        self.leading = float(settings.get("leading", "1.3"))
        self.leftcol = float(settings.get("leftcol", "0")) * cm
        self.margin = float(settings.get("margin", "2")) * cm
        self.width = A4[0] - 2 * self.margin

    def style(self, flags: set[str], indent: float = 0) -> ParagraphStyle:
        size = self.size
        if "s" in flags:
            size -= 2
        if "L" in flags:
            size += 2
        if "XL" in flags:
            size += 4
        align = TA_JUSTIFY
        for flag, value in (("c", TA_CENTER), ("r", TA_RIGHT), ("l", TA_LEFT)):
            if flag in flags:
                align = value
        font = self.font
        if "b" in flags or "i" in flags:
            font = self._face(bold="b" in flags, italic="i" in flags)
        left = 0 if "full" in flags else self.leftcol
        if "ind" in flags:
            left += 1 * cm
        return ParagraphStyle(
            "p",
            fontName=font,
            fontSize=size,
            leading=size * self.leading,
            alignment=align,
            leftIndent=left + indent,
            spaceAfter=0 if "tight" in flags else size * (self.leading - 0.7),
            embeddedHyphenation=0,
            uriWasteReduce=0,
            splitLongWords=0,
            borderWidth=0.8 if "box" in flags else 0,
            borderColor=colors.black if "box" in flags else None,
            borderPadding=4 if "box" in flags else 0,
        )

    def _face(self, bold: bool = False, italic: bool = False) -> str:
        family = FAMILIES[self.settings.get("font", "sans")]
        return family[(1 if bold else 0) + (2 if italic else 0)]

    def paragraphs(self, lines: list[str], flags: set[str], indent: float = 0) -> list[Flowable]:
        """One block of text lines -> paragraphs (plain, or bullet items)."""
        if "lines" in flags:
            text = "<br/>".join(inline(line) for line in lines)
            return [Paragraph(text, self.style(flags, indent))]
        items: list[tuple[str | None, list[str]]] = []
        for line in lines:
            match = BULLET.match(line)
            if match:
                items.append((match.group(1).strip(), [line[match.end():]]))
            elif items:
                items[-1][1].append(line.strip())
            else:
                items.append((None, [line.strip()]))
        out: list[Flowable] = []
        for n, (bullet, parts) in enumerate(items):
            text = inline(" ".join(parts))
            item_flags = set(flags)
            if n < len(items) - 1:
                item_flags.add("tight")
            if bullet is None:
                out.append(Paragraph(text, self.style(item_flags, indent)))
            else:
                style = self.style(item_flags, indent + 0.9 * cm)
                style.bulletIndent = style.leftIndent - 0.5 * cm
                style.bulletFontName = self.font
                style.bulletFontSize = style.fontSize
                out.append(Paragraph(text, style, bulletText=bullet))
        return out

    def table(self, lines: list[str]) -> Flowable:
        flags, options, first = parse_flags(lines[0])
        rows = [line for line in ([first] if first.startswith("|") else []) + lines[1:]]
        data = []
        cell_flags = {"l", "tight"} | ({"s"} if "s" in flags else set())
        for r, line in enumerate(rows):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            row_flags = cell_flags | ({"b"} if ("head" in flags and r == 0) else set())
            data.append([
                Paragraph(inline(c), self._cell_style(row_flags, right=c.endswith(("€", "F", "CHF")) and "num" in flags))
                for c in cells
            ])
        widths = None
        if "cw" in options:
            widths = [float(w) * cm for w in options["cw"].split(",")]
        table = Table(data, colWidths=widths, hAlign="LEFT" if self.leftcol == 0 else "RIGHT")
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if "grid" in flags:
            commands.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
        table.setStyle(TableStyle(commands))
        table.spaceAfter = self.size * 0.8
        return KeepTogether(table) if len(data) < 20 else table

    def _cell_style(self, flags: set[str], right: bool = False) -> ParagraphStyle:
        style = self.style(flags | {"full"})
        if right:
            style.alignment = TA_RIGHT
        return style

    def row(self, lines: list[str]) -> Flowable:
        """A margin-column line: left cell beside one or more right-hand paragraphs."""
        left_flags, _, _ = parse_flags(lines[0][len("@row"):].strip())
        left_lines: list[str] = []
        rights: list[tuple[set[str], list[str]]] = []
        for line in lines[1:]:
            if line.startswith("@@"):
                flags, _, rest = parse_flags(line[2:].strip())
                rights.append((flags, [rest] if rest else []))
            elif rights:
                rights[-1][1].append(line)
            else:
                left_lines.append(line)
        left = Paragraph(
            "<br/>".join("" if x.strip() == "~" else inline(x) for x in left_lines),
            self.style(left_flags | {"l", "full", "tight"}),
        )
        right: list[Flowable] = []
        for flags, text in rights:
            right.extend(self.paragraphs(text, flags | {"full"}))
        table = Table(
            [[left, right]],
            colWidths=[self.leftcol, self.width - self.leftcol],
            hAlign="LEFT",
        )
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return table

    def story(self, blocks: list[list[str]]) -> list[Flowable]:
        story: list[Flowable] = [SectionMark(self.settings.get("header", ""))]
        for block in blocks:
            head = block[0]
            if head == "@pagebreak":
                story.append(PageBreak())
            elif head.startswith("@newdelib"):
                if len(story) > 1:
                    story.append(PageBreak())
                story.append(SectionMark(head[len("@newdelib"):].strip()))
            elif head.startswith("@row"):
                story.append(self.row(block))
                story.append(Spacer(1, self.size * 0.6))
            elif head.startswith("@space"):
                story.append(Spacer(1, float(head.split()[1]) * cm))
            elif head.startswith("|") or (head.startswith("[") and len(block) > 1 and block[1].startswith("|")):
                story.append(self.table(block))
            else:
                flags, _, first = parse_flags(head)
                lines = ([first] if first else []) + block[1:]
                story.extend(self.paragraphs(lines, flags))
        return story


def decorate(canvas, doc) -> None:
    """Running header, footers and page-1 stamp, drawn when a page is finished."""
    settings, builder = doc.sample_settings, doc.sample_builder
    page = canvas.getPageNumber()
    canvas.saveState()
    small = builder.size - 2
    if doc.section_header and page > doc.section_start:
        canvas.setFont(builder.font, small)
        canvas.drawString(builder.margin, A4[1] - 1.2 * cm, doc.section_header)
        canvas.setLineWidth(0.4)
        canvas.line(builder.margin, A4[1] - 1.35 * cm, A4[0] - builder.margin, A4[1] - 1.35 * cm)
    if "footer" in settings:
        canvas.setFont(builder.font, small)
        text = settings["footer"].format(page=page, pages=doc.total_pages or "?")
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, text)
    if "footnote" in settings:
        canvas.setFont(builder.font, small - 1)
        canvas.drawString(builder.margin, 0.7 * cm, settings["footnote"])
    if "stamp" in settings and page == 1:
        lines = settings["stamp"].split("|")
        width, lead = 7.6 * cm, small * 1.3
        x, top = A4[0] - builder.margin - width, A4[1] - 1.0 * cm
        height = lead * len(lines) + 6
        canvas.setLineWidth(0.8)
        canvas.rect(x, top - height, width, height)
        canvas.setFont(builder.font, small)
        for i, line in enumerate(lines):
            canvas.drawString(x + 4, top - 3 - lead * (i + 1) + 2, line)
    canvas.restoreState()


def build(name: str) -> Path:
    settings, blocks = read_source(SRC / f"{name}.txt")
    builder = Builder(settings)
    top = max(float(settings.get("margin", "2")) * cm, 1.5 * cm) + (2.0 * cm if "stamp" in settings else 0)
    out = HERE / f"{name}.pdf"
    total = None
    for _ in range(2):  # first pass counts the pages for "Page n/N"
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=builder.margin,
            rightMargin=builder.margin,
            topMargin=2.0 * cm,
            bottomMargin=2.0 * cm,
            invariant=1,
            title=settings.get("title", name),
            author="delib samples",
            creator="samples/make_samples.py",
            producer="reportlab",
            subject="",
        )
        bottom = max(builder.margin, 1.8 * cm)
        later_top = max(builder.margin, 1.9 * cm)
        first = Frame(builder.margin, bottom, builder.width, A4[1] - bottom - top, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(builder.margin, bottom, builder.width, A4[1] - bottom - later_top, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([
            PageTemplate(id="First", frames=[first], onPageEnd=decorate, autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later], onPageEnd=decorate),
        ])
        doc.sample_settings, doc.sample_builder = settings, builder
        doc.section_header, doc.section_start, doc.total_pages = "", 1, total
        doc.build(builder.story(blocks))
        total = doc.page
    out.write_bytes(buffer.getvalue())
    return out


def main(argv: list[str]) -> None:
    register_fonts()
    names = argv or sorted(p.stem for p in SRC.glob("*.txt"))
    for name in names:
        path = build(name)
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
