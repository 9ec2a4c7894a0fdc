"""The command line's shared options say the same as the library they configure."""
from __future__ import annotations

from pipeline.cli import options
from pipeline.read import pdf


def test_cli_options_offer_exactly_the_engines_and_ocr_modes_of_the_reader():
    # The parser keeps its own copy so that `delib --help` need not import the PDF engines.
    assert options.ENGINES == pdf.ENGINES
    assert options.OCR_MODES == pdf.OCR_MODES
