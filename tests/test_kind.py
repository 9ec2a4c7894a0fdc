"""What kind of document a PDF is: extract, séance minutes, list of deliberations, arrêté, other.

Checked on short phrases, on every sample, and on every real file of ../shared/corpus (real and
real2) against the kind their MANIFEST.tsv gives. Scans go through real Tesseract, first page only:
the title a reader goes by is there, and OCR of whole scans would cost minutes.
"""
from __future__ import annotations

import json

import csv
import io
from functools import cache
from pathlib import Path

import pytest

from extractors.kind import KINDS, classify, gives_deliberations, kind_warning
from models.records import DocumentText
from pipeline.errors import NeedsOcr
from pipeline.read.pdf import needs_ocr, read_pages
from tests.conftest import CORPUS, sample_pdfs

REAL2 = CORPUS.parent / "real2"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("COMMUNE DE THOIRY\nEXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL\nSéance du 15/04/2021", "extract"),
        ("Extrait du procès-verbal des délibérations du comité syndical", "extract"),
        ("REGISTRE DES DÉLIBÉRATIONS DU CONSEIL COMMUNAUTAIRE\nSéance du 25 mars 2021\n"
         "La liste des présents est annexée au procès-verbal de la séance.", "extract"),
        ("DELIBERATION du CONSEIL MUNICIPAL\nSéance du lundi 1 février 2016", "extract"),
        ("Délibération 022-141: modification du PLU\nLe conseil municipal, après en avoir délibéré, approuve",
         "extract"),
        ("PROCES VERBAL DU CONSEIL MUNICIPAL\nDE LA COMMUNE DE PREUILLY SUR CLAISE", "minutes"),
        ("Compte-rendu de la séance\nDu Conseil Communautaire\n25 septembre 2025", "minutes"),
        ("CR du conseil municipal 09 avril 2021\nPrésents : Jean-Pierre, Yves", "minutes"),
        ("PROCES.VERBAL\nDE L'ÉLECTION DU MAIRE", "minutes"),
        ("Commune de Pierrefonds\nConseil Municipal du 15 octobre 2015\nOrdre du jour :\n1. Budget", "minutes"),
        ("Liste des délibérations votées\nLe 16 MAI 2025", "list"),
        ("DELIBERATIONS EXAMINEES\nEN SEANCE DU CONSEIL MUNICIPAL", "list"),
        ("LISTE DES DÉLIBÉRATIONS\nSÉANCE DU CONSEIL MUNICIPAL DU 27 JANVIER 2026", "list"),
        ("PRÉFET DE LA HAUTE-SAÔNE\nArrêté préfectoral n° 70-2023-03-23-00010 portant limitation", "arrete"),
        ("RECUEIL DES ACTES ADMINISTRATIFS\nSPÉCIAL N°30-2020-146", "arrete"),
        ("Le Préfet de la Haute-Saône\nVu le code de l'environnement ;\nARRÊTE :\nArticle 1er", "arrete"),
        ("Facture n° 1234\nMontant dû : 42 €", "other"),
        ("", "other"),
    ],
)
def test_kind_classifies_short_documents(text: str, kind: str) -> None:
    assert classify(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nVu l'arrêté préfectoral du 3 mars 2020 ;\n"
        "Le conseil municipal, après en avoir délibéré, DÉCIDE",
        "Délibération n° 2021-12\nObjet : arrêté du périmètre du SCOT\nLe conseil, après en avoir délibéré, approuve",
    ],
)
def test_kind_an_arrete_cited_in_a_deliberation_does_not_make_it_one(text: str) -> None:
    assert classify(text) == "extract"


def test_kind_only_an_arrete_gives_no_deliberations_and_every_other_kind_but_extract_and_minutes_warns() -> None:
    assert [k for k in KINDS if not gives_deliberations(k)] == ["arrete"]
    assert [k for k in KINDS if kind_warning(k) is None] == ["extract", "minutes"]


def _sample_family(pdf: Path) -> str:
    """The family the sample's hand-written expected file states (an extract when it says none)."""
    expected = json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8"))
    return expected.get("family", "extract")


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_kind_every_sample_is_of_the_family_its_expected_file_states(pdf: Path) -> None:
    assert classify(_text(pdf)) == _sample_family(pdf)


def _manifest_kinds() -> list[tuple[Path, str]]:
    """(file, kind) for every PDF of the real corpus, the kind read off its MANIFEST.tsv."""
    out: list[tuple[Path, str]] = []
    if (CORPUS / "MANIFEST.tsv").exists():
        for row in _rows(CORPUS / "MANIFEST.tsv"):
            if row["file_name"].endswith(".pdf"):
                out.append((CORPUS / row["file_name"], _kind_of_description(row["description"])))
    if (REAL2 / "MANIFEST.tsv").exists():
        for row in _rows(REAL2 / "MANIFEST.tsv"):
            out.append((REAL2 / row["file"], _kind_of_real2(row["file"], row["kind"])))
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))


def _kind_of_description(description: str) -> str:
    lowered = description.lower()
    if lowered.startswith("liste des délibérations"):
        return "list"
    if lowered.startswith(("arrêté", "recueil des actes administratifs")):
        return "arrete"
    if lowered.startswith("extrait"):
        return "extract"
    if lowered.startswith(("compte rendu", "cr du", "procès-verbal")):
        return "minutes"
    raise AssertionError(f"no kind in the description {description!r}")


def _kind_of_real2(name: str, kind: str) -> str:
    if kind == "pv" or (kind == "scan" and "_pv" in name):
        return "minutes"
    if "extrait" in name:
        return "extract"
    if "liste-delib" in name:
        return "list"
    raise AssertionError(f"no kind for {name} ({kind})")


REAL = _manifest_kinds()


@pytest.mark.skipif(not REAL, reason="../shared/corpus is not here")
@pytest.mark.parametrize(("pdf", "kind"), REAL, ids=lambda value: value.stem if isinstance(value, Path) else value)
def test_kind_every_real_file_is_of_its_manifest_kind(pdf: Path, kind: str) -> None:
    assert classify(_text(pdf)) == kind


@cache
def _text(pdf: Path) -> str:
    """The whole text layer; a scan's first page through OCR."""
    data = pdf.read_bytes()
    try:
        pages = read_pages(pdf, data, ocr="never")
    except NeedsOcr:
        pages = []
    if not pages or needs_ocr(pages[0]):
        pages = read_pages(pdf, _first_page(data), ocr="auto")
    return DocumentText.from_pages(pages).text


def _first_page(data: bytes) -> bytes:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    first = pdfium.PdfDocument.new()
    first.import_pages(source, [0])
    buffer = io.BytesIO()
    first.save(buffer)
    return buffer.getvalue()
