"""Typed errors with messages a person understands.

The batch importer catches `DocumentError` per document and records `reason`; it never lets one
file end the batch.
"""
from __future__ import annotations


class DelibError(Exception):
    """Base of every error delib raises on purpose."""


class DocumentError(DelibError):
    """A document could not be read. `reason` is short and specific; `str()` names the file."""

    code = "unreadable"

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class EmptyFile(DocumentError):
    code = "empty"


class NotAPdf(DocumentError):
    code = "not_pdf"


class EncryptedPdf(DocumentError):
    code = "encrypted"


class CorruptPdf(DocumentError):
    code = "corrupt"


class NoPages(DocumentError):
    code = "no_pages"


class NoText(DocumentError):
    """Not one letter on any page, OCR included: nothing to import."""

    code = "no_text"


class NeedsOcr(NoText):
    code = "needs_ocr"


class OverMemory(DocumentError):
    code = "memory"


class OcrUnavailable(DocumentError):
    code = "ocr_unavailable"


class Timeout(DocumentError):
    code = "timeout"


class WorkerCrashed(DocumentError):
    code = "crashed"


class ConfigurationError(DelibError):
    """A bad option, database URL or environment: exit code 2."""


class StorageError(DelibError):
    """The database or its folder cannot be written (disk full, read-only, I/O error): the run
    stops with one line and exit code 2; every document already written stays written."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the run is marked interrupted and a re-run resumes."""
