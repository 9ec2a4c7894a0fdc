"""A pool of extraction processes that a bad file cannot take down.

Each worker reads one document at a time, under a memory limit the kernel enforces (RLIMIT_AS)
and a time limit the parent enforces. The parent kills a worker that exceeds the time limit or
replaces one that died, records that document as failed with the reason, and goes on. Workers
are recycled after a number of documents because pdfplumber's memory grows on big files, and
they die with the parent: a kill -9 of the import leaves no worker reading on alone.
"""
from __future__ import annotations

import ctypes
import itertools
import logging
import multiprocessing
import os
import resource
import signal
import time
import warnings
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterator

from pipeline import errors
from pipeline.settings import MEGABYTE
from pipeline.extract_options import ExtractOptions
from models.records import Extraction

_PR_SET_PDEATHSIG = 1
# A worker that has not said "ready" by then is stuck: replaced like one that died.
_START_TIMEOUT = 120.0
# Start failures in a row, per worker slot, before the fork server is given up for plain spawn,
# and then before the run stops (nothing can read any file: that is not a file's problem).
_FAILED_STARTS_BEFORE_SPAWN = 2
_FAILED_STARTS_BEFORE_GIVING_UP = 5


@dataclass(frozen=True, slots=True)
class Job:
    key: int
    path: Path


@dataclass(frozen=True, slots=True)
class Done:
    job: Job
    extraction: Extraction | None = None
    error: str | None = None  # a reason for a person, when extraction is None


def _die_with_parent(lifeline: Connection) -> None:
    """Stop this worker, and the Tesseracts it started, the moment the import is gone.

    The import keeps the write end of `lifeline` and never writes: the read end becomes
    readable (end of file) only when the import's process dies, however it dies (kill -9, the
    OOM killer). PR_SET_PDEATHSIG alone would not do: the parent of a worker is the fork server,
    which outlives the import while workers hold its lifeline open.
    """
    import threading

    def watch() -> None:
        try:
            lifeline.poll(None)
        except (OSError, EOFError):
            pass
        try:
            os.killpg(os.getpgid(0), signal.SIGKILL)  # this worker's group: itself and its Tesseracts
        finally:
            os._exit(1)

    threading.Thread(target=watch, name="delib-lifeline", daemon=True).start()
    try:  # belt and braces on Linux: die with the fork server too
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    limit = megabytes * MEGABYTE
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _silence_libraries() -> None:
    """pdfminer and friends log warnings about every odd file; what matters reaches the parent
    as the document's reason, so nothing a library says goes to the terminal (cron mails it)."""
    root = logging.getLogger()
    root.handlers[:] = [logging.NullHandler()]
    root.setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")


def _worker_main(conn: Connection, lifeline: Connection, options: ExtractOptions, ocr_threads: int,
                 max_memory: int | None) -> None:
    # Its own process group, so that stopping a worker also stops the Tesseracts it started
    # (a timed-out page would otherwise go on burning a core for up to two minutes).
    os.setpgrp()
    _die_with_parent(lifeline)
    import pipeline.batch.warm  # noqa: F401  (already done when forked from the fork server)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C is its to handle
    _silence_libraries()
    os.environ.setdefault("DELIB_OCR_THREADS", str(ocr_threads))
    _limit_memory(max_memory)
    try:
        # Say so once the imports are done: a document's time limit must not count our start-up.
        conn.send(_READY)
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            key, path = message
            conn.send((key, *_extract(path, options, max_memory)))
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the parent has gone: nobody to tell


def _extract(path: Path, options: ExtractOptions, max_memory: int | None) -> tuple[Extraction | None, str | None]:
    from pipeline.api import extract_document  # loaded by the fork server; the parent never needs it

    try:
        return extract_document(path, options), None
    except errors.DocumentError as exc:
        return None, exc.reason
    except MemoryError:
        return None, memory_reason(max_memory)
    except RecursionError:
        return None, "the PDF structure is damaged: it nests deeper than can be read"
    except OSError as exc:
        return None, f"cannot read the file ({exc.strerror or exc})"
    except Exception as exc:  # a bug or an unforeseen file: the batch goes on
        return None, f"unexpected error: {type(exc).__name__}: {exc}"[:300]


def memory_reason(max_memory: int | None) -> str:
    limit = f" of {max_memory} MB (--max-memory)" if max_memory else ""
    return f"needed more than the memory limit{limit} and was stopped"


_READY = "ready"


def ocr_threads_per_worker(workers: int, cores: int) -> int:
    """Tesseracts each worker may run at once: together up to twice the cores.

    More than one per worker, so that the last long scan of a batch still uses every core, and a
    core left idle while a worker runs its extractors is taken by another worker's Tesseract; at
    most twice the cores, so that memory stays bounded (about 100 MB per Tesseract).
    """
    return max(1, -(-2 * cores // max(1, workers)))


class _Worker:
    def __init__(self, context, options: ExtractOptions, ocr_threads: int, max_memory: int | None) -> None:
        self.ready = False
        self.conn, child = context.Pipe()
        lifeline, self._lifeline = context.Pipe(duplex=False)  # the worker reads, we never write
        self.process = context.Process(target=_worker_main,
                                       args=(child, lifeline, options, ocr_threads, max_memory), daemon=True)
        try:
            self.process.start()
        finally:
            child.close()
            lifeline.close()
        self.job: Job | None = None
        self.started = time.monotonic()  # of the start-up, then of the current job
        self.done = 0

    def give(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send((job.key, job.path))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self._kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self._kill()
            self.process.join()
        self.conn.close()
        self._lifeline.close()

    def _kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # already gone, or not yet its own group leader
        self.process.kill()


def _context(method: str | None = None):
    """Fork server where there is one: workers forked from a process that has loaded the model
    (`pipeline.batch.warm`) start in a tenth of a second; spawn elsewhere, or when the fork server
    keeps failing. Never plain fork: the parent may hold threads and open database connections."""
    if method == "spawn" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.batch.warm"])
    return context


def start_fork_server() -> None:
    """Start the fork server now rather than with the first job. It loads the extractors and the
    model (a few seconds) in its own process: started before the database is opened, it loads
    them while the parent imports SQLAlchemy and makes the schema. For a run where everything is
    new (a new database); otherwise a run with nothing new would pay that load for nothing."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    _context()  # sets the preload
    try:
        forkserver.ensure_running()
    except OSError:
        pass  # the pool starts it with its first worker, or falls back to spawn


class CannotStartWorkers(errors.DelibError):
    """No extraction process can start at all: the run stops (no file is to blame)."""


class WorkerPool:
    """Runs jobs on `size` processes; yields a `Done` per job, in completion order."""

    def __init__(self, size: int, options: ExtractOptions, *, timeout: float, recycle_after: int = 200,
                 max_memory: int | None = None):
        self.size = max(1, size)
        self.options = options
        self.timeout = timeout
        self.recycle_after = recycle_after
        self.max_memory = max_memory
        self._context = _context()
        self._ocr_threads = ocr_threads_per_worker(self.size, os.cpu_count() or 1)
        self._workers: list[_Worker | None] = []
        self._pending: Iterator[Job] = iter(())
        self._exhausted = False
        self._failed_starts = 0  # in a row, over the whole pool
        self.start_problems: list[str] = []  # what went wrong starting workers, for the log

    def _new_worker(self) -> _Worker | None:
        """A new worker, or None when it could not even be started (a dead fork server)."""
        try:
            return _Worker(self._context, self.options, self._ocr_threads, self.max_memory)
        except (OSError, EOFError, ValueError) as exc:  # the fork server's socket, fork itself
            self._start_failed(f"could not start an extraction process: {type(exc).__name__}: {exc}")
            return None

    def _start_failed(self, problem: str) -> None:
        self.start_problems.append(problem)
        self._failed_starts += 1
        if self._failed_starts >= self.size * _FAILED_STARTS_BEFORE_GIVING_UP:
            raise CannotStartWorkers(f"no extraction process can start ({problem})")
        if self._failed_starts == self.size * _FAILED_STARTS_BEFORE_SPAWN:
            self._context = _context("spawn")  # slower starts, but no fork server to depend on

    def __enter__(self) -> "WorkerPool":
        return self  # the workers start with the first job: a run with nothing new starts none

    def __exit__(self, *exc) -> None:
        interrupted = exc[0] is not None
        for worker in self._workers:
            if worker is not None:
                worker.stop(kill=interrupted)
        self._workers = []

    def run(self, jobs: Iterator[Job]) -> Iterator[Done]:
        self._pending = iter(jobs)
        first = next(self._pending, None)
        if first is None:
            return
        if not self._workers:
            self._workers = [self._new_worker() for _ in range(self.size)]
        self._pending = itertools.chain([first], self._pending)
        self._exhausted = False
        while True:
            for index in range(len(self._workers)):
                self._feed(index)
            live = [w for w in self._workers if w is not None]
            busy = [w for w in live if w.job is not None]
            starting = [w for w in live if not w.ready]
            if not busy and self._exhausted:
                return
            if not live:
                time.sleep(0.2)  # every start failed just now: try again, a bounded number of times
                continue
            watched = busy + starting
            ready = wait([w.conn for w in watched] + [w.process.sentinel for w in watched], timeout=1.0)
            now = time.monotonic()
            for index, worker in enumerate(self._workers):
                if worker is None:
                    continue
                if not worker.ready:
                    self._check_start(index, ready, now)
                    continue
                if worker.job is None:
                    continue
                if worker.conn in ready:
                    try:
                        key, extraction, error = worker.conn.recv()
                    except (EOFError, OSError):
                        yield self._replace(index, self._crash_reason(worker))
                        continue
                    job, worker.job = worker.job, None
                    worker.done += 1
                    self._failed_starts = 0
                    if worker.done >= self.recycle_after:
                        worker.stop()
                        self._workers[index] = self._new_worker()
                    # The next job goes out before this result is written: the worker reads while
                    # the database writes (with one job at a time it waited for every write).
                    self._feed(index)
                    yield Done(job, extraction, error)
                elif worker.process.sentinel in ready or not worker.process.is_alive():
                    yield self._replace(index, self._crash_reason(worker))
                elif now - worker.started > self.timeout:
                    yield self._replace(index, f"took more than {self.timeout:g} s and was stopped (a page may hang the parser)")

    def _feed(self, index: int) -> None:
        """Give the worker in slot `index` the next job if it is ready and idle; start a worker
        in an empty slot."""
        worker = self._workers[index]
        if worker is None:
            self._workers[index] = worker = self._new_worker()
        if worker is None or not worker.ready or worker.job is not None or self._exhausted:
            return
        job = next(self._pending, None)
        if job is None:
            self._exhausted = True
            return
        try:
            worker.give(job)
        except OSError:  # it died while idle: the job goes to its replacement
            worker.job = None
            worker.stop(kill=True)
            self._workers[index] = self._new_worker()
            self._pending = itertools.chain([job], self._pending)

    def _crash_reason(self, worker: _Worker) -> str:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 and -code in signal.valid_signals() else f"exit code {code}"
        if self.max_memory:
            return (f"the reading process crashed ({how}): the file is damaged or needed more than "
                    f"the memory limit of {self.max_memory} MB (--max-memory)")
        return f"the reading process crashed ({how}; killed or out of memory)"

    def _check_start(self, index: int, ready: list, now: float) -> None:
        """A starting worker says "ready"; one that dies or hangs first is replaced, not fatal."""
        worker = self._workers[index]
        if worker.conn in ready:
            try:
                worker.ready = worker.conn.recv() == _READY
            except (EOFError, OSError):
                ready = [worker.process.sentinel]
            if worker.ready:
                return
        died = worker.process.sentinel in ready and not worker.process.is_alive()
        if died or now - worker.started > _START_TIMEOUT:
            worker.stop(kill=True)
            self._workers[index] = None
            self._start_failed("an extraction process " + (
                f"died while starting (exit code {worker.process.exitcode})" if died
                else f"did not start within {_START_TIMEOUT:g} s"))

    def _replace(self, index: int, reason: str) -> Done:
        worker = self._workers[index]
        job = worker.job
        worker.stop(kill=True)
        self._workers[index] = self._new_worker()
        return Done(job, None, reason)
