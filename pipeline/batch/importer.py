"""Batch import: files -> worker processes -> one writer -> the database.

Nothing is lost and nothing is doubled: each document is written in its own transaction, a
file already imported with the same path, size and mtime is skipped before it is even read,
and identical bytes are recognised by their SHA-256. A run killed at any moment resumes by
running the same command again.
"""
from __future__ import annotations

import fcntl
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline import errors
from pipeline.api import EXTRACTOR_VERSION, ExtractOptions
from pipeline.batch.files import Found, display_path, iter_pdfs
from pipeline.batch.workers import Done, Job, WorkerPool

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    run_id: int | None = None
    files_seen: int = 0
    imported: int = 0
    new_paths: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    deliberations: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class ImportSettings:
    workers: int = os.cpu_count() or 1
    timeout: float = 120.0
    recycle_after: int = 200
    options: ExtractOptions = ExtractOptions()
    cluster: str | None = None  # a Dask scheduler's address, or "local"; None: this machine's pool


Progress = Callable[[ImportReport], None]


class AlreadyRunning(errors.DelibError):
    """Another import holds the lock on this database."""


class ImportLock:
    """An advisory lock beside the database, so two cron runs never overlap.

    flock is released by the kernel when the process dies, so a kill -9 leaves no stale lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def __enter__(self) -> "ImportLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "unknown"
            self._file.close()
            raise AlreadyRunning(f"an import is already running on this database (pid {holder})") from None
        self._file.seek(0)
        self._file.truncate()
        self._file.write(str(os.getpid()))
        self._file.flush()
        return self

    def __exit__(self, *exc) -> None:
        if self._file:
            self._file.truncate(0)
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()


def import_paths(
    store,
    paths: Iterable[Path],
    settings: ImportSettings = ImportSettings(),
    *,
    command: str = "delib import",
    progress: Progress | None = None,
) -> ImportReport:
    """Import every PDF under `paths` into `store`; never raises for a bad document."""
    report = ImportReport(run_id=store.start_run(command))
    started = time.monotonic()
    stats: dict[int, os.stat_result] = {}
    status = "ok"
    try:
        with _executor(settings) as pool:
            for done in pool.run(_jobs(store, iter_pdfs(paths), report, stats, progress)):
                _write(store, done, stats.pop(done.job.key), report)
                if progress:
                    report.seconds = time.monotonic() - started
                    progress(report)
    except KeyboardInterrupt:
        report.interrupted = True
        status = "interrupted"
        raise
    finally:
        report.seconds = time.monotonic() - started
        if status == "ok" and report.failed:
            status = "failures"
        store.finish_run(report.run_id, files_seen=report.files_seen, imported=report.imported,
                         skipped=report.skipped, failed=report.failed, status=status)
    return report


def _executor(settings: ImportSettings):
    """The local worker pool, or a Dask cluster behind the same interface."""
    if settings.cluster:
        from pipeline.batch.cluster import ClusterPool

        return ClusterPool(settings.cluster, settings.options, timeout=settings.timeout)
    return WorkerPool(settings.workers, settings.options, timeout=settings.timeout,
                      recycle_after=settings.recycle_after)


def _jobs(store, found: Iterator[Found], report: ImportReport, stats: dict, progress) -> Iterator[Job]:
    """Files that need reading; the rest is counted (skipped) or recorded (failed) here."""
    for key, item in enumerate(found):
        report.files_seen += 1
        shown = display_path(item.path)
        if item.problem:
            _fail(store, report, shown, item.problem)
            continue
        try:
            info = item.path.stat()
        except OSError as exc:
            _fail(store, report, shown, f"cannot read the file ({exc.strerror})")
            continue
        if store.lookup_path(shown, info.st_size, info.st_mtime):
            report.skipped += 1
            if progress and report.skipped % 500 == 0:
                progress(report)
            continue
        stats[key] = info
        yield Job(key, item.path)


def _write(store, done: Done, info: os.stat_result, report: ImportReport) -> None:
    shown = display_path(done.job.path)
    if done.extraction is None:
        _fail(store, report, shown, done.error or "unknown error")
        return
    extraction = done.extraction
    try:
        outcome = store.save(extraction, path=shown, size_bytes=info.st_size, mtime=info.st_mtime,
                             extractor_version=EXTRACTOR_VERSION)
    except Exception as exc:  # the database refused this document; the others go on
        log.exception("could not store %s", shown)
        _fail(store, report, shown, f"could not be stored: {exc}"[:300])
        return
    if outcome.status == "imported":
        report.imported += 1
        report.pages += extraction.source.pages
        report.deliberations += len(extraction.deliberations)
    elif outcome.status == "new_path":
        report.new_paths += 1
    else:
        report.skipped += 1


def _fail(store, report: ImportReport, path: str, reason: str) -> None:
    report.failed += 1
    report.failures.append((path, reason))
    log.info("%s: %s", path, reason)
    store.record_failure(path, reason, run_id=report.run_id)


def reextract(store, settings: ImportSettings = ImportSettings(), *, everything: bool = False,
              progress: Progress | None = None) -> ImportReport:
    """Re-read documents extracted by an older rule set and replace their rows, one transaction each."""
    from pipeline.api import extract_document

    report = ImportReport()
    started = time.monotonic()
    version = "" if everything else EXTRACTOR_VERSION
    for _, path in list(store.documents_needing_reextract(version)):
        report.files_seen += 1
        try:
            extraction = extract_document(Path(os.fsdecode(path.encode("utf-8", "surrogateescape"))),
                                          settings.options)
            store.replace_extraction(extraction, EXTRACTOR_VERSION)
            report.imported += 1
        except (errors.DocumentError, OSError, Exception) as exc:  # noqa: BLE001 - reported per file
            report.failed += 1
            report.failures.append((path, getattr(exc, "reason", None) or str(exc)))
        if progress:
            report.seconds = time.monotonic() - started
            progress(report)
    report.seconds = time.monotonic() - started
    return report
