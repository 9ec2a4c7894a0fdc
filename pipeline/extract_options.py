"""What an extraction is asked to do, and which rule set did it.

Apart from `pipeline.api` so that the process that only writes to the database (the importer's
parent, `delib runs`) need not import the extractors: their patterns are a second of start-up.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline import __version__

# Bumped whenever extraction rules change, so `delib reextract` knows what is stale.
EXTRACTOR_VERSION = f"{__version__}+rules.1"


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    engine: str = "pdfium"
    ocr: str = "auto"
    entities: bool = True
