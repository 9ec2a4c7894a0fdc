"""Hostile PDFs (tests/make_hostile_pdfs.py): each fails alone with its reason, or is read."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline import errors
from pipeline.api import ExtractOptions, extract_document
from pipeline.cli import main
from pipeline.read import layout
from tests import make_hostile_pdfs as hostile
from tests.conftest import SAMPLES

FAST = ExtractOptions(entities=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return hostile.write_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_hostile_page_tree_cycle_is_read_by_the_engine_that_copes(files, engine):
    # pdfium refuses to load the page: the reader falls back to pdfplumber, which reads it.
    extraction = extract_document(files["page_tree_cycle.pdf"], ExtractOptions(engine=engine, entities=False))
    assert extraction.deliberations[0].number == "2019-012"


def test_hostile_huge_count_reads_the_one_real_page(files):
    extraction = extract_document(files["huge_count.pdf"], FAST)
    assert extraction.source.pages == 1
    assert extraction.deliberations[0].number == "2019-012"


def test_hostile_deep_page_tree_fails_with_what_both_engines_found(files):
    with pytest.raises(errors.CorruptPdf) as caught:
        extract_document(files["deep_page_tree.pdf"], FAST)
    reason = caught.value.reason
    # The real errors, not pdfplumber's close() raising "PdfminerException" over them.
    assert "could not be loaded" in reason and "pdfplumber" in reason and "recursion" in reason


def test_hostile_empty_page_is_a_failure_with_its_reason(files):
    with pytest.raises(errors.NoText) as caught:
        extract_document(files["empty_page.pdf"], FAST)
    assert caught.value.reason.startswith("no text: a scan while --ocr never, or an empty page")


def test_hostile_huge_media_box_tries_a_bounded_number_of_gutters(files, monkeypatch):
    tried = []
    real = layout._best_run
    monkeypatch.setattr(layout, "_best_run", lambda lines, gutter: tried.append(gutter) or real(lines, gutter))
    extraction = extract_document(files["huge_media_box.pdf"], FAST)
    assert extraction.source.pages == 1
    assert 0 < len(tried) <= layout._MAX_GUTTERS + 1


def test_hostile_a4_page_still_tries_a_gutter_every_3_points():
    boxes = [layout.Box(72, 150, 100 + 14 * i, 110 + 14 * i, 5) for i in range(5)]
    tried = []
    real = layout._best_run
    layout._best_run, saved = (lambda lines, gutter: tried.append(gutter) or real(lines, gutter)), real
    try:
        layout.find_margin_column(boxes, 595, 842)
    finally:
        layout._best_run = saved
    assert tried[1] - tried[0] == 3


def test_hostile_extract_of_several_files_one_line_per_failure_the_others_printed(files, capsys):
    good = SAMPLES / "seed_genevois_cs2021-15.pdf"
    code = main(["extract", str(files["deep_page_tree.pdf"]), str(good), str(files["empty_page.pdf"]),
                 "--jsonl", "--no-entities"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    failures = captured.err.strip().splitlines()
    assert len(failures) == 2 and all(line.startswith("delib: ") for line in failures)
    assert len(captured.out.strip().splitlines()) == 1 and good.name in captured.out


def test_hostile_stream_inflating_past_the_memory_limit_fails_alone(tmp_path):
    bomb = tmp_path / "inflating_stream.pdf"
    bomb.write_bytes(hostile.inflating_stream(1024))  # 1 MB on disk, 1 GiB inflated, ~2 GB to read
    good = SAMPLES / "seed_genevois_cs2021-15.pdf"
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(bomb), str(good), "--jsonl",
                          "--no-entities", "--max-memory", "1024"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "memory limit of 1024 MB" in run.stderr
    assert good.name in run.stdout
