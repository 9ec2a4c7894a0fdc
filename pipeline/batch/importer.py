"""Batch import: files -> worker processes -> one writer -> the database.

Nothing is lost and nothing is doubled: each document is written in its own transaction, a
file already imported with the same path, size and mtime is skipped before it is even read,
and identical bytes are recognised by their SHA-256. A run killed at any moment resumes by
running the same command again.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline import errors
from pipeline.extract_options import EXTRACTOR_VERSION, ExtractOptions
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
    still_failing: int = 0  # failed before, unchanged since: not read again (see `delib retry`)
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
    max_memory: int | None = None  # megabytes per worker (RLIMIT_AS); None: no limit
    cluster: str | None = None  # a Dask scheduler's address, or "local"; None: this machine's pool


Progress = Callable[[ImportReport], None]


class AlreadyRunning(errors.DelibError):
    """Another import holds the lock on this database."""


class ImportLock:
    """An advisory lock beside the database, so two cron runs never overlap.

    flock is released by the kernel when the process dies, so a kill -9 leaves no stale lock.
    The caller names the lock file after the database's resolved path, so that one database
    has one lock whatever path or symbolic link names it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def __enter__(self) -> "ImportLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a+")
        except OSError as exc:
            raise storage_error(exc, f"cannot create the lock file {self.path}") from None
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "unknown"
            self._file.close()
            raise AlreadyRunning(f"an import is already running on this database (pid {holder})") from None
        try:  # the pid is for a person asking who holds it; a full disk must not stop the run here
            self._file.seek(0)
            self._file.truncate()
            self._file.write(str(os.getpid()))
            self._file.flush()
        except OSError:
            pass
        return self

    def __exit__(self, *exc) -> None:
        if self._file:
            try:
                self._file.truncate(0)
            except OSError:
                pass
            fcntl.flock(self._file, fcntl.LOCK_UN)
            try:
                self._file.close()
            except OSError:
                pass


class DatabaseLock:
    """The import lock of a PostgreSQL database: an advisory lock held by a connection of its own
    for the whole run, so two imports never overlap whichever machines they run on.

    The server releases it when that connection ends, so a killed importer leaves no stale lock.
    The connection is in autocommit: it holds the lock, never a transaction, so nothing waits on it.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = None
        self._conn = None

    def __enter__(self) -> "DatabaseLock":
        from sqlalchemy.exc import OperationalError

        from models import dialect

        self._engine = _lock_engine(self.url, f"delib import, pid {os.getpid()} on {socket.gethostname()}")
        try:
            try:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            except OperationalError as exc:  # no server, no such database, refused: configuration
                detail = str(exc.orig).strip().splitlines()[0]
                raise errors.ConfigurationError(
                    f"cannot open the database {dialect.display_url(self.url)}: {detail}") from None
            if not dialect.try_import_lock(self._conn):
                holder = dialect.import_lock_holder(self._conn) or "unknown"
                raise AlreadyRunning(f"an import is already running on this database ({holder})")
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        from models import dialect

        try:
            if self._conn is not None:
                dialect.release_import_lock(self._conn)
        except Exception as error:  # the connection is gone: so is the lock
            log.debug("could not release the import lock: %s", error)
        self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _lock_engine(url: str, name: str):
    """An engine of one connection, named so that `pg_stat_activity` (and a second import's
    message) says which process holds the lock."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from models import dialect

    return create_engine(dialect.engine_url(url), poolclass=NullPool,
                         connect_args={"application_name": name[:63]})


def import_lock(url: str):
    """The lock that keeps two imports of one database from overlapping: an advisory lock on a
    PostgreSQL server, a locked file beside a SQLite database."""
    from models.dialect import is_postgresql_url
    from pipeline.settings import lock_path

    return DatabaseLock(url) if is_postgresql_url(url) else ImportLock(lock_path(url))


_STORAGE_WORDS = ("disk is full", "database or disk is full", "readonly database", "read-only",
                  "disk i/o error", "unable to open database", "no space left", "file too large",
                  )


def is_storage_problem(exc: BaseException) -> bool:
    """The database cannot be written at all (full, read-only, I/O error): not one file's fault."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG,
                                                  errno.EACCES, errno.EPERM, errno.EIO):
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(word in text for word in _STORAGE_WORDS)


def storage_error(exc: BaseException, what: str = "cannot write the database") -> errors.StorageError:
    detail = getattr(exc, "orig", None) or exc
    detail = getattr(detail, "strerror", None) or str(detail).split("\n")[0]
    return errors.StorageError(f"{what}: {detail}; what was imported before is kept")


def import_paths(
    store,
    paths: Iterable[Path],
    settings: ImportSettings = ImportSettings(),
    *,
    command: str = "delib import",
    progress: Progress | None = None,
    retry: bool = False,
) -> ImportReport:
    """Import every PDF under `paths` into `store`; never raises for a bad document.

    Raises `errors.StorageError` when the database cannot be written (disk full, read-only):
    the run stops there, each document written so far stays whole. With `retry`, files that
    failed before and are unchanged are read again; otherwise they are counted as still failing.
    """
    from models.runs import still_failing

    report = _start_run(store, command)
    with _storage_errors():
        failing = {} if retry else still_failing(store)
    started = time.monotonic()
    stats: dict[int, os.stat_result] = {}
    with _recorded(store, report, started):
        with _executor(settings) as pool:
            for done in pool.run(_jobs(store, iter_pdfs(paths), report, stats, progress, failing)):
                _write(store, done, stats.pop(done.job.key), report)
                if progress:
                    report.seconds = time.monotonic() - started
                    progress(report)
    return report


@contextmanager
def _storage_errors() -> Iterator[None]:
    """A database that cannot be written (disk full, read-only) as one `StorageError`."""
    try:
        yield
    except Exception as exc:
        if is_storage_problem(exc):
            raise storage_error(exc) from None
        raise


def _start_run(store, command: str) -> ImportReport:
    """A new row in `import_runs`, after marking the runs a killed process left 'running'."""
    from models.runs import interrupt_stale_runs

    with _storage_errors():
        interrupt_stale_runs(store)
        return ImportReport(run_id=store.start_run(command))


@contextmanager
def _recorded(store, report: ImportReport, started: float) -> Iterator[None]:
    """The run's row in `import_runs` is closed whatever happens: ok, failures, interrupted
    (Ctrl-C, SIGTERM) or failed; a storage problem becomes one `StorageError`."""
    status = "failed"
    try:
        yield
        status = "failures" if report.failed else "ok"
    except KeyboardInterrupt:
        report.interrupted = True
        status = "interrupted"
        raise
    except Exception as exc:
        if is_storage_problem(exc):
            raise storage_error(exc) from None
        raise
    finally:
        report.seconds = time.monotonic() - started
        try:
            store.finish_run(report.run_id, files_seen=report.files_seen, imported=report.imported,
                             skipped=report.skipped, failed=report.failed, status=status)
        except Exception as exc:  # the disk is full or gone: the next run marks this one interrupted
            log.debug("could not close run %s: %s", report.run_id, exc)


def _executor(settings: ImportSettings):
    """The local worker pool, or a Dask cluster behind the same interface."""
    if settings.cluster:
        from pipeline.batch.cluster import ClusterPool

        return ClusterPool(settings.cluster, settings.options, timeout=settings.timeout,
                           max_memory=settings.max_memory)
    return WorkerPool(settings.workers, settings.options, timeout=settings.timeout,
                      recycle_after=settings.recycle_after, max_memory=settings.max_memory)


def _jobs(store, found: Iterator[Found], report: ImportReport, stats: dict, progress,
          failing: dict[str, tuple[datetime, str]]) -> Iterator[Job]:
    """Files that need reading; the rest is counted (skipped, known bytes at a new place,
    still failing) or recorded (failed) here."""
    for key, item in enumerate(found):
        report.files_seen += 1
        shown = display_path(item.path)
        if item.problem:
            if failing.get(shown, (None, None))[1] == item.problem:
                report.still_failing += 1
            else:
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
        if shown in failing and _unchanged_since(info, failing[shown][0]):
            report.still_failing += 1
            continue
        # Hash before reading: a moved or renamed archive is recognised at disk speed, without
        # extracting (or OCR-ing) anything again.
        try:
            digest = sha256_of(item.path)
        except OSError as exc:
            _fail(store, report, shown, f"cannot read the file ({exc.strerror})")
            continue
        outcome = store.add_location(digest, path=shown, size_bytes=info.st_size, mtime=info.st_mtime)
        if outcome is not None:
            _count(report, outcome.status)
            continue
        stats[key] = info
        yield Job(key, item.path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unchanged_since(info: os.stat_result, failed_at: datetime) -> bool:
    """Neither written nor replaced since it failed: ctime moves on any change to the file,
    and cannot be set back by copying with the old mtime."""
    changed = datetime.fromtimestamp(max(info.st_mtime, info.st_ctime), timezone.utc).replace(tzinfo=None)
    return changed < failed_at


def _count(report: ImportReport, status: str) -> None:
    if status == "new_path":
        report.new_paths += 1
    else:
        report.skipped += 1


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
        if is_storage_problem(exc):
            raise
        log.debug("could not store %s", shown, exc_info=True)
        _fail(store, report, shown, f"could not be stored: {_first_line(exc)}"[:300])
        return
    if outcome.status == "imported":
        report.imported += 1
        report.pages += extraction.source.pages
        report.deliberations += len(extraction.deliberations)
    else:
        _count(report, outcome.status)


def _first_line(exc: BaseException) -> str:
    """The database's own words, without SQLAlchemy's statement dump and "Background" link."""
    inner = getattr(exc, "orig", None)
    text = str(inner if inner is not None else exc)
    return text.split("\n")[0].split(" [SQL:")[0].split("(Background on this error")[0].strip()


def _fail(store, report: ImportReport, path: str, reason: str) -> None:
    report.failed += 1
    report.failures.append((path, reason))
    log.info("%s: %s", path, reason)
    store.record_failure(path, reason, run_id=report.run_id)


def reextract(store, settings: ImportSettings = ImportSettings(), *, everything: bool = False,
              command: str = "delib reextract", progress: Progress | None = None) -> ImportReport:
    """Re-read documents extracted by an older rule set and replace their rows in place (the
    deliberation ids stay), one transaction each, through the same worker pool, limits and run
    log as an import."""
    version = "" if everything else EXTRACTOR_VERSION
    report = _start_run(store, command)
    todo = list(store.documents_needing_reextract(version))
    started = time.monotonic()
    jobs = (Job(doc_id, Path(os.fsdecode(path.encode("utf-8", "surrogateescape")))) for doc_id, path in todo)
    shown = {doc_id: path for doc_id, path in todo}
    with _recorded(store, report, started):
        with _executor(settings) as pool:
            for done in pool.run(_counted(jobs, report)):
                path = shown[done.job.key]
                if done.extraction is None:
                    _fail(store, report, path, done.error or "unknown error")
                else:
                    try:
                        store.replace_extraction(done.extraction, EXTRACTOR_VERSION)
                        report.imported += 1
                        report.pages += done.extraction.source.pages
                        report.deliberations += len(done.extraction.deliberations)
                    except Exception as exc:  # noqa: BLE001 - reported per file
                        if is_storage_problem(exc):
                            raise
                        _fail(store, report, path, f"could not be stored: {_first_line(exc)}"[:300])
                if progress:
                    report.seconds = time.monotonic() - started
                    progress(report)
    return report


def _counted(jobs: Iterator[Job], report: ImportReport) -> Iterator[Job]:
    for job in jobs:
        report.files_seen += 1
        yield job
