"""OCR of scanned deliberations, with the real Tesseract (French model): no mocks.

The scans in samples/scanned/ are made by samples/make_scans.py from digital samples (rendered
in grey, rotated 0.5°-1.5°, noise, dust, blur, JPEG, image-only PDF); each has the digital
original's expected file with "ocr": true, since scanning does not change what a person reads.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.api import ExtractOptions, extract_document
from pipeline.scoring import Score, compare
from pipeline.publish.serialize import extraction_to_json
from tests.conftest import CORPUS, SAMPLES

SCANNED = SAMPLES / "scanned"
SCANS = sorted(SCANNED.glob("*_scan.pdf"))
SEED_SCAN = SCANNED / "seed_genevois_cs2021-15_scan.pdf"
DIGITAL = SAMPLES / "commune_cession_terrain.pdf"
OPTIONS = ExtractOptions(entities=False)

# Field-level agreement of the scans with their expected files (Tesseract 5.3.0, fra, 200 dpi, a
# 3x3 median, `tidy`): recall 0.976, precision 0.983 over 6 documents, 13 pages. The digital
# originals score 1.00. A drop of more than 0.05 means OCR or its tolerance got worse.
RECALL_FLOOR = 0.92
PRECISION_FLOOR = 0.93

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fra)",
)
pytestmark = needs_tesseract


@functools.lru_cache(maxsize=None)
def extracted(path: Path):
    """Each scan is OCR'd once per test session: a page costs about a second."""
    return extract_document(path, OPTIONS)


def expected_for(scan: Path) -> dict:
    return json.loads(scan.with_name(scan.stem + ".expected.json").read_text(encoding="utf-8"))


def test_scanned_samples_exist():
    assert len(SCANS) >= 6, "run: python samples/make_scans.py"
    for scan in SCANS:
        assert scan.with_name(scan.stem + ".expected.json").exists()


@pytest.mark.parametrize("scan", SCANS, ids=lambda p: p.stem)
def test_scan_is_ocr_page_by_page_with_confidence(scan):
    extraction = extracted(scan)
    assert extraction.source.ocr is True
    assert extraction.source.pages == expected_for(scan)["pages"]
    assert [p.number for p in extraction.page_texts] == list(range(1, extraction.source.pages + 1))
    for page in extraction.page_texts:
        assert page.ocr, f"page {page.number} was not OCR'd"
        assert page.ocr_confidence is not None and 0 < page.ocr_confidence <= 100
        assert page.ocr_confidence >= 80, f"page {page.number}: confidence {page.ocr_confidence}"
        assert len(page.text) > 200, f"page {page.number}: almost no text read"


# --- the seed, scanned: the fields a reader looks for first -------------------------------------

def seed():
    return extracted(SEED_SCAN).deliberations[0]


def test_seed_scan_number():
    assert seed().number == "CS2021-15"


def test_seed_scan_session_date():
    assert seed().session_date == date(2021, 4, 22)


def test_seed_scan_counts():
    counts = seed().counts
    assert (counts.in_office, counts.present, counts.represented) == (44, 31, 4)


def test_seed_scan_president():
    assert seed().president == "Christian DUPESSEY"


def test_seed_scan_amounts():
    amounts = {(a.value, a.currency) for a in seed().amounts}
    assert {(Decimal("2880"), "EUR"), (Decimal("42000"), "EUR")} <= amounts


def test_seed_scan_budget_article():
    assert "6574" in {b.code for b in seed().budget_articles}


def test_seed_scan_vote_and_decision_verbs():
    record = seed()
    assert record.vote.unanimous is True
    assert [d.verb for d in record.decisions][:6] == [
        "APPROUVE", "APPROUVE", "AUTORISE", "AUTORISE", "AUTORISE", "AUTORISE"]


def test_seed_scan_authority():
    assert seed().authority == "Pôle métropolitain du Genevois français"


def test_seed_scan_amount_beside_a_dust_speck():
    """The speck once read as " ." after "420 millions" is taken back by `tidy`."""
    assert (Decimal("420000000"), "EUR") in {(a.value, a.currency) for a in seed().amounts}


def test_seed_scan_title():
    assert seed().title == (
        "ADOPTION DE LA CONVENTION ANNUELLE DE PARTENARIAT ET DE FINANCEMENT AVEC MONT BLANC INDUSTRIES")


# --- all scans against their expected files ------------------------------------------------------

def test_scans_field_level_agreement_stays_above_the_measured_floor():
    score = Score()
    for scan in SCANS:
        compare(expected_for(scan), extraction_to_json(extracted(scan)), score, scan.stem)
    tp = sum(t.tp for t in score.fields.values())
    fp = sum(t.fp for t in score.fields.values())
    fn = sum(t.fn for t in score.fields.values())
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    print(f"\nscans vs expected: TP {tp} FP {fp} FN {fn} precision {precision:.3f} recall {recall:.3f}")
    for name, tally in sorted(score.fields.items()):
        if tally.fp or tally.fn:
            print(f"  {name:<22} TP {tally.tp:>3} FP {tally.fp:>3} FN {tally.fn:>3}")
    assert recall >= RECALL_FLOOR, "\n".join(score.differences)
    assert precision >= PRECISION_FLOOR, "\n".join(score.differences)


def test_scans_are_never_silently_empty():
    """Every deliberation of every scan has its number and session date."""
    for scan in SCANS:
        expected = expected_for(scan)["deliberations"]
        records = extracted(scan).deliberations
        assert len(records) == len(expected), scan.name
        for exp, record in zip(expected, records):
            assert record.number == exp["number"], scan.name
            assert record.session_date and record.session_date.isoformat() == exp["session_date"], scan.name


# --- the image handed to Tesseract ---------------------------------------------------------------

def test_skew_angle_finds_the_rotation_of_a_rendered_page():
    import pypdfium2 as pdfium
    from PIL import Image

    from pipeline.read.ocr import skew_angle

    pdf = pdfium.PdfDocument(str(SAMPLES / "commune_cession_terrain.pdf"))
    page = pdf[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    assert abs(skew_angle(page)) <= 0.1
    for angle in (1.3, -2.4):
        tilted = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        assert skew_angle(tilted) == pytest.approx(-angle, abs=0.15)


def test_median3_is_a_3x3_median_filter():
    import numpy as np
    from PIL import Image, ImageFilter

    from pipeline.read.ocr import median3

    for shape in [(61, 47), (1, 9), (9, 1), (2, 2)]:
        noise = np.random.default_rng(3).integers(0, 256, shape, dtype=np.uint8)
        image = Image.fromarray(noise, mode="L")
        assert np.array_equal(np.asarray(median3(image)), np.asarray(image.filter(ImageFilter.MedianFilter(3))))


@pytest.mark.parametrize(("path", "fast"), [(SEED_SCAN, True), (DIGITAL, False)], ids=["grey scan", "digital"])
def test_the_fast_grey_rendering_gives_the_pixels_of_pdfiums_grey_rendering(path, fast):
    import numpy as np
    import pypdfium2 as pdfium

    from pipeline.read.ocr import DPI, _grey_pictures_only, render_grey

    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            assert _grey_pictures_only(page) is fast
            straight = page.render(scale=DPI / 72, grayscale=True).to_pil()
            assert np.array_equal(np.asarray(render_grey(page)), np.asarray(straight))
    finally:
        pdf.close()


# --- OCR modes ------------------------------------------------------------------------------------

def test_ocr_never_on_a_scan_raises_needs_ocr_with_a_clear_message():
    with pytest.raises(errors.NeedsOcr) as caught:
        extract_document(SEED_SCAN, ExtractOptions(entities=False, ocr="never"))
    message = str(caught.value)
    assert SEED_SCAN.name in message
    assert "OCR" in message and "--ocr never" in message


@pytest.mark.parametrize("name", ["seed_genevois_cs2021-15", "syndicat_eau_1997_francs",
                                  "multi_commune_cessy_2022-06-30"])
def test_digital_sample_never_triggers_ocr(name):
    extraction = extract_document(SAMPLES / f"{name}.pdf", OPTIONS)
    assert extraction.source.ocr is False
    assert not any(page.ocr or page.ocr_confidence is not None for page in extraction.page_texts)


# --- Tesseract missing ----------------------------------------------------------------------------

def _delib_command() -> Path:
    beside = Path(sys.executable).parent / "delib"
    if beside.exists():
        return beside
    found = shutil.which("delib")
    if found is None:
        pytest.skip("the delib command is not installed")
    return Path(found)


def test_without_tesseract_a_scan_fails_with_how_to_install_and_digital_files_still_succeed(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = dict(os.environ, PATH=str(empty_bin))
    done = subprocess.run(
        [str(_delib_command()), "extract", "--jsonl", "--no-entities", str(SEED_SCAN), str(DIGITAL)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 1, done.stderr
    error = next((line for line in done.stderr.splitlines() if SEED_SCAN.name in line), "")
    assert "Tesseract" in error and "not installed" in error, done.stderr
    assert "apt-get install tesseract-ocr tesseract-ocr-fra" in error, done.stderr
    documents = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(documents) == 1
    assert documents[0]["source"]["path"].endswith(DIGITAL.name)
    assert documents[0]["source"]["ocr"] is False
    assert documents[0]["deliberations"]


# --- the real Flaux scans (../shared/corpus/real), when present ------------------------------------

FLAUX = sorted(CORPUS.glob("flaux_*.pdf")) if CORPUS.exists() else []
FLAUX_SCANS = [p for p in FLAUX if "liste-delib" not in p.name]  # the delib list is born digital


@pytest.mark.skipif(not FLAUX_SCANS, reason="../shared/corpus/real/flaux_*.pdf not present")
@pytest.mark.parametrize("path", FLAUX_SCANS, ids=lambda p: p.stem)
def test_flaux_scan_every_page_ocr_with_confidence(path):
    extraction = extracted(path)
    assert extraction.source.ocr is True
    assert len(extraction.page_texts) == extraction.source.pages
    for page in extraction.page_texts:
        assert page.ocr, f"{path.name} page {page.number} was not OCR'd"
        assert page.ocr_confidence is not None and 0 < page.ocr_confidence <= 100
        assert len(page.text) > 100, f"{path.name} page {page.number}: almost no text read"


@pytest.mark.skipif(not (CORPUS / "flaux_CR_2021-09-24.pdf").exists(),
                    reason="../shared/corpus/real/flaux_CR_2021-09-24.pdf not present")
def test_flaux_2021_09_24_session_date():
    extraction = extracted(CORPUS / "flaux_CR_2021-09-24.pdf")
    assert date(2021, 9, 24) in {d.session_date for d in extraction.deliberations}


# --- what Tesseract adds to a page, taken back (pure text, no OCR needed) --------------------------

@pytest.mark.parametrize(("read", "meant"), [
    ("Membres en Présents Procurations |Votants", "Membres en Présents Procurations Votants"),
    ("119 88 21 109 .", "119 88 21 109"),
    ("présidence de Mme Élisabeth\n: RIVOIRE-DUMONT, 1re", "présidence de Mme Élisabeth\nRIVOIRE-DUMONT, 1re"),
    ("rénovation - Fonds de concours", "rénovation – Fonds de concours"),
    ("des Écoliers -\nFonds de concours", "des Écoliers –\nFonds de concours"),
    ("les tarifs applicables au ler janvier 2021", "les tarifs applicables au 1er janvier 2021"),
    ("une contenance de 86 m?, au prix", "une contenance de 86 m², au prix"),
    ("Justine LAMBERT, MM. :\nBernard MERCIER", "Justine LAMBERT, MM.\nBernard MERCIER"),
    ("- AUTORISE je Président à signer", "- AUTORISE le Président à signer"),
    ("sous la présidence de\nM. jean-Yves PERROUD, Maire", "sous la présidence de\nM. Jean-Yves PERROUD, Maire"),
    ("Mme inès BEN SALAH, M.", "Mme Inès BEN SALAH, M."),
    ("Perla COUVERT.Michael DELAFOSSE", "Perla COUVERT, Michael DELAFOSSE"),
    ("Hervé MARTIN. Nadia MIRAOUI, Louis POUGET", "Hervé MARTIN, Nadia MIRAOUI, Louis POUGET"),
    ("Marc DUFOUR. Marie-Josée AUGE", "Marc DUFOUR, Marie-Josée AUGE"),
])
def test_tidy_takes_back_what_ocr_adds(read, meant):
    from pipeline.read.ocr import tidy

    assert tidy(read) == meant


@pytest.mark.parametrize("text", [
    "- APPROUVE le plan ;\n- AUTORISE le Président",   # bullets stay hyphens
    "• APPROUVE le plan ;\n• AUTORISE le Président",   # and round bullets stay
    "Thonon-Genève, Mont-Blanc, 2018-2020",            # hyphens inside words and ranges
    "Étaient présents :\nM. DUPONT, Mme MARTIN.",      # French space before a colon; a final stop
    "le lerot des jardins",                              # "ler" only before a month
    "Combien ? Pourquoi m ?",
    "Je vous propose d'APPROUVER ce projet : je vous remercie.",
    "M. de MONTFORT, Mme la Présidente, M. le Maire",
    "adopté par le SIVOM. Le Président",                # a sentence after an acronym
    "Vu la délibération n° 2021.Le conseil",            # no capitals before the stop
])
def test_tidy_leaves_ordinary_text_alone(text):
    from pipeline.read.ocr import tidy

    assert tidy(text) == text


# --- reading order of Tesseract's lines (pure, no OCR needed) ---------------------------------------

def _tsv(lines: list[tuple[int, list[tuple[int, str]]]], block: int = 1) -> str:
    """Tesseract TSV for one paragraph: (top, [(left, word), ...]) per line, words 20 px high."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for number, (top, words) in enumerate(lines, start=1):
        for index, (left, word) in enumerate(words, start=1):
            rows.append(f"5\t1\t{block}\t1\t{number}\t{index}\t{left}\t{top}\t{10 * len(word)}\t20\t95\t{word}")
    return "\n".join(rows) + "\n"


def test_a_margin_column_run_into_the_body_is_read_before_it():
    from pipeline.read.ocr import tsv_to_text

    tsv = _tsv([
        (100, [(50, "Extrait"), (130, "du"), (160, "registre"),
               (400, "Le"), (430, "conseil"), (510, "municipal"), (610, "s'est"), (670, "réuni")]),
        (130, [(50, "Ville"), (110, "de"), (140, "Gex"),
               (400, "en"), (430, "mairie"), (500, "le"), (530, "4"), (550, "mai"), (590, "2021"), (640, "sous")]),
        (160, [(400, "la"), (430, "présidence"), (540, "du"), (570, "Maire")]),
    ])
    text, _ = tsv_to_text(tsv)
    assert text.splitlines() == ["Extrait du registre", "Ville de Gex", "",
                                 "Le conseil municipal s'est réuni", "en mairie le 4 mai 2021 sous",
                                 "la présidence du Maire"]


def test_a_table_keeps_its_rows_together():
    from pipeline.read.ocr import tsv_to_text

    rows = [(100 + 30 * i, [(50, "4031"), (100, "ETAT"), (150, "DES"), (190, "LIEUX"), (600, "500"), (640, "€")])
            for i in range(4)]
    text, _ = tsv_to_text(_tsv(rows))
    assert text.splitlines() == ["4031 ETAT DES LIEUX 500 €"] * 4


def test_a_line_running_across_the_gap_keeps_the_paragraph_as_read():
    from pipeline.read.ocr import tsv_to_text

    tsv = _tsv([
        (100, [(50, "Vu"), (80, "le"), (400, "code")]),
        (130, [(50, "Considérant"), (170, "que"), (210, "la"), (240, "commune"), (330, "souhaite"), (420, "vendre")]),
    ])
    text, _ = tsv_to_text(tsv)
    assert text.splitlines() == ["Vu le code", "Considérant que la commune souhaite vendre"]
