"""Small hostile PDFs, written object by object: each reproduces one defect found by mutating
real documents (page-tree cycles, a huge /Count, a very deep page tree, a stream that inflates
to far more than the file, a huge MediaBox). Built here rather than copied, so a reader sees
exactly what is wrong with each.

    python -m tests.make_hostile_pdfs FOLDER     # writes every one of them into FOLDER
"""
from __future__ import annotations

import sys
import zlib
from pathlib import Path

_TEXT = (b"BT /F1 11 Tf 72 760 Td (EXTRAIT DU REGISTRE DES DELIBERATIONS) Tj 0 -16 Td "
         b"(Seance du 12 mars 2019 - Deliberation n 2019-012) Tj 0 -16 Td "
         b"(OBJET : Tarifs de la cantine scolaire) Tj 0 -16 Td "
         b"(Le conseil municipal, apres en avoir delibere, approuve les tarifs.) Tj ET")
_FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"


def build(objects: list[bytes], *, root: int = 1) -> bytes:
    """A well-formed file around the given objects (numbered from 1), cross-reference and all."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<</Length %d/Filter/FlateDecode>>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<</Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def one_page(media_box: bytes = b"[0 0 595 842]", content: bytes = _TEXT, *, compress: bool = False) -> bytes:
    """An ordinary one-page deliberation: the control for the hostile ones."""
    return build([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox %s/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>" % media_box,
        _stream(content, compress=compress),
        _FONT,
    ])


def page_tree_cycle() -> bytes:
    """A /Pages node whose kids include itself: a walker that trusts the tree never ends."""
    return build([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R 2 0 R]/Count 2>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        _stream(_TEXT),
        _FONT,
    ])


def huge_count() -> bytes:
    """One real page, but the tree claims two billion: pdfium believes the count, then fails on page 2."""
    return build([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 2000000000>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        _stream(_TEXT),
        _FONT,
    ])


def deep_page_tree(depth: int = 2000) -> bytes:
    """One page under `depth` nested /Pages nodes: deeper than pdfium (and Python's recursion) allow."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>"]
    for level in range(depth):
        number = len(objects) + 1
        objects.append(b"<</Type/Pages/Kids[%d 0 R]/Count 1/Parent %d 0 R>>" % (number + 1, max(number - 1, 1)))
    page = len(objects) + 1
    objects.append(b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 595 842]/Contents %d 0 R/Resources<</Font<</F1 %d 0 R>>>>>>"
                   % (page - 1, page + 1, page + 2))
    objects.append(_stream(_TEXT))
    objects.append(_FONT)
    return build(objects)


def inflating_stream(megabytes: int = 1024) -> bytes:
    """A content stream of a few hundred kB that inflates to `megabytes` MB of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    content = b"<</Length %d/Filter/FlateDecode>>\nstream\n" % len(packed) + packed + b"\nendstream"
    return build([
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents[6 0 R 4 0 R]/Resources<</Font<</F1 5 0 R>>>>>>",
        content,
        _FONT,
        _stream(_TEXT),
    ])


def huge_media_box() -> bytes:
    """A page ten million points wide with a few lines of text on it: margin detection used to
    try a gutter every 3 points across it (minutes)."""
    lines = b" ".join(b"BT /F1 11 Tf %d %d Td (Ligne %d du texte de la deliberation) Tj ET" % (72 + 400 * (i % 2), 760 - 14 * i, i)
                      for i in range(40))
    return one_page(media_box=b"[0 0 10000000 842]", content=lines)


def empty_page() -> bytes:
    """A well-formed page with nothing on it: no text, no picture."""
    return one_page(content=b"")


HOSTILE = {
    "page_tree_cycle.pdf": page_tree_cycle,
    "huge_count.pdf": huge_count,
    "deep_page_tree.pdf": deep_page_tree,
    "huge_media_box.pdf": huge_media_box,
    "empty_page.pdf": empty_page,
}


def write_all(folder: Path, *, with_bomb: bool = False) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    makers = dict(HOSTILE, **({"inflating_stream.pdf": inflating_stream} if with_bomb else {}))
    written = {}
    for name, make in makers.items():
        (folder / name).write_bytes(make())
        written[name] = folder / name
    return written


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1]), with_bomb=True).items():
        print(path, path.stat().st_size)
