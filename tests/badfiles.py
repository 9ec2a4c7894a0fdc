"""Real broken inputs, made on the spot: every kind of bad file an archive holds."""
from __future__ import annotations

import io
import os
from pathlib import Path

from tests.conftest import SAMPLES

GOOD = ["seed_genevois_cs2021-15.pdf"]


def variant(source: Path, target: Path, tag: str) -> Path:
    """A distinct document (other bytes, same content): a comment after %%EOF."""
    target.write_bytes(source.read_bytes() + f"\n% variant {tag}\n".encode())
    return target


def encrypted_pdf(path: Path, user_password: str) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption(user_password, ownerPassword="owner"))
    pdf.drawString(72, 720, "EXTRAIT DU REGISTRE DES DELIBERATIONS DU CONSEIL MUNICIPAL")
    pdf.drawString(72, 700, "Séance du 12 mars 2019 - Délibération n° 2019-012 - OBJET : Tarifs")
    pdf.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scan': one page holding only a picture of text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for row in range(20):
        draw.text((100, 100 + row * 60), "Le conseil municipal approuve le budget primitif", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(buffer), 0, 0, width=595, height=842)
    pdf.save()
    return path


def _no_pages_pdf() -> bytes:
    """A well-formed PDF (cross-reference table and all) whose page tree is empty."""
    from tests.make_hostile_pdfs import build

    return build([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"])


NO_PAGES_PDF = _no_pages_pdf()


def make_bad_folder(folder: Path) -> dict[str, str]:
    """Write every kind of bad file; returns {file name: a word its failure reason must contain}."""
    seed = SAMPLES / GOOD[0]
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(seed.read_bytes()[: seed.stat().st_size // 3])
    encrypted_pdf(folder / "encrypted.pdf", "secret")
    (folder / "image.PDF").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / "page.pdf").write_bytes(b"<!DOCTYPE html><html><body>404</body></html>")
    (folder / "nopages.pdf").write_bytes(NO_PAGES_PDF)
    image_only_pdf(folder / "scan.pdf")
    loop = folder / "loop"
    loop.mkdir()
    os.symlink("..", loop / "back")
    return {
        "empty.pdf": "empty",
        "truncated.pdf": "truncated",
        "encrypted.pdf": "encrypted",
        "image.PDF": "PNG",
        "page.pdf": "HTML",
        "nopages.pdf": "no pages",
        "scan.pdf": "OCR",
        "back": "loop",
    }
