"""Write scanned-looking variants of some samples into ``samples/scanned/`` (OCR tests).

Each chosen ``samples/NAME.pdf`` is rendered page by page with pypdfium2 in grey, then made to look
like an office scan: a slight rotation (0.5° to 1.5°, its sign and size fixed per file), a greyish
paper with less contrast, a little blur, sensor noise, dust specks, and JPEG compression. The pages
are saved as an IMAGE-ONLY PDF (no text layer at all): ``samples/scanned/NAME_scan.pdf``. Beside it,
``NAME_scan.expected.json`` is the digital original's expected file with ``"ocr": true``: scanning
does not change what a person reads on the page.

Deterministic: the noise is drawn from a generator seeded by the file name, and the PDF metadata is
fixed, so the same Pillow/libjpeg gives the same bytes on every run.

    python samples/make_scans.py            # every sample listed in SCANS
    python samples/make_scans.py NAME ...   # only these
    python samples/make_scans.py --all --dpi 300 --out DIR   # every sample, elsewhere (bench/)

The other samples, scanned with ``--all --out``, are a held-out set for bench/score.py and
bench/bench_ocr.py: nobody looked at their OCR while writing the extractors.
"""
from __future__ import annotations

import argparse
import json
import re
import time
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
OUT = HERE / "scanned"

DPI = 200
# Grey JPEG of a dense text page at 200 dpi costs 200-300 KB even at this quality (the glyph edges,
# not the noise, take most of it): 200 KB for one page, up to 870 KB for the 3-page seed.
JPEG_QUALITY = 45
# Dust specks per pixel. Tesseract is sensitive to them: at twice this density (about 460 specks
# a page) it garbles whole words next to a speck ("polyvalente" -> "OnNelanté") and field recall
# on these scans fell from 0.90 to 0.75.
SPECKS = 0.00006

# Chosen for variety: margin column and words-for-dates (seed), a 1997 text in francs with a date
# wholly in words, three deliberations in one file, tables and a long attendance list, dotted
# amounts, and an accusé-de-réception stamp block with a left column.
SCANS = (
    "seed_genevois_cs2021-15",
    "syndicat_eau_1997_francs",
    "multi_commune_cessy_2022-06-30",
    "commune_subventions_associations",
    "sivom_voirie_emprunt",
    "ville_montpellier_2014_accuse",
    "commune_pv_seance_numerotee",
    "syndicat_registre_deliberations_numerotees",
)

_FIXED_DATE = time.struct_time((2024, 1, 1, 0, 0, 0, 0, 1, 0))


def seed_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def skew_of(name: str) -> float:
    """The rotation in degrees for this file: ±0.5 to ±1.5, the same on every run."""
    rng = np.random.default_rng(seed_of(name))
    magnitude = float(rng.uniform(0.5, 1.5))
    return round(magnitude if rng.integers(0, 2) else -magnitude, 2)


def degrade(page: Image.Image, rng: np.random.Generator, angle: float) -> Image.Image:
    """A clean grey rendering -> what a cheap office scanner gives back."""
    paper = int(rng.integers(232, 244))
    ink = int(rng.integers(25, 45))
    # Less contrast: black ink becomes dark grey, white paper light grey.
    page = page.point(lambda v: ink + (paper - ink) * v // 255)
    page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=paper)
    # Sensor noise, then the optics' blur (which also softens the noise, as on a real scan).
    pixels = np.asarray(page, dtype=np.float32) + rng.normal(0.0, 5.0, (page.height, page.width))
    page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    pixels = np.asarray(page.filter(ImageFilter.GaussianBlur(radius=0.7)), dtype=np.float32)
    height, width = pixels.shape
    # Dust: dark specks of one to three pixels, about two hundred per page.
    count = int(height * width * SPECKS)
    ys = rng.integers(0, height - 3, count)
    xs = rng.integers(0, width - 3, count)
    sizes = rng.integers(1, 4, count)
    darkness = rng.uniform(30, 140, count)
    for y, x, s, d in zip(ys, xs, sizes, darkness):
        pixels[y:y + s, x:x + s] = np.minimum(pixels[y:y + s, x:x + s], d)
    # A faint shadow along the left edge, where the page lifted off the glass.
    shadow = np.clip(1.0 - np.arange(width) / (width * 0.03), 0.0, 1.0) * 60.0
    pixels = pixels - shadow[np.newaxis, :]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def make_scan(name: str, out: Path = OUT, dpi: int = DPI) -> Path:
    target = scan_pdf(HERE / f"{name}.pdf", out / f"{name}_scan.pdf", dpi, name)
    # The original's text with only its "ocr" flag changed, so the two files diff line by line.
    text = (HERE / f"{name}.expected.json").read_text(encoding="utf-8")
    text, changed = re.subn(r'^(\s*"ocr":\s*)false\b', r"\1true", text, count=1, flags=re.MULTILINE)
    if not changed or json.loads(text).get("ocr") is not True:
        raise SystemExit(f"{name}.expected.json: no top-level \"ocr\": false to turn into true")
    (out / f"{name}_scan.expected.json").write_text(text, encoding="utf-8")
    return target


def scan_pdf(source: Path, target: Path, dpi: int = DPI, name: str | None = None) -> Path:
    """An image-only PDF of `source` as a cheap scanner would give it back; rotation and noise
    are drawn from `name` (default: the file's stem), so a file always gets the same scan."""
    name = name or source.stem
    angle = skew_of(name)
    rng = np.random.default_rng(seed_of(name) + 1)
    pdf = pdfium.PdfDocument(source.read_bytes())
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            pages.append(degrade(bitmap.to_pil().convert("L"), rng, angle))
            page.close()
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(
        target, "PDF", save_all=True, append_images=pages[1:], resolution=dpi,
        quality=JPEG_QUALITY, optimize=True, title=f"{name} (scan)", author="delib samples",
        producer="delib samples/make_scans.py", creator="delib samples/make_scans.py",
        creationDate=_FIXED_DATE, modDate=_FIXED_DATE,
    )
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="sample names (default: those listed in SCANS)")
    parser.add_argument("--all", action="store_true", help="every sample that has an expected file")
    parser.add_argument("--dpi", type=int, default=DPI, help=f"scan resolution (default {DPI})")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default samples/scanned)")
    args = parser.parse_args(argv)
    names = args.names or SCANS
    if args.all:
        names = sorted(p.name.removesuffix(".expected.json") for p in HERE.glob("*.expected.json"))
    for name in names:
        target = make_scan(name, args.out, args.dpi)
        print(f"{target}  {skew_of(name):+.2f}°  {args.dpi} dpi  {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
