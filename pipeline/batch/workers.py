"""A pool of extraction processes that a bad file cannot take down.

Each worker reads one document at a time. The parent kills a worker that exceeds the time
limit or replaces one that died, records that document as failed, and goes on. Workers are
recycled after a number of documents because pdfplumber's memory grows on big files.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterator

from pipeline import errors
from pipeline.api import ExtractOptions, extract_document
from models.records import Extraction


@dataclass(frozen=True, slots=True)
class Job:
    key: int
    path: Path


@dataclass(frozen=True, slots=True)
class Done:
    job: Job
    extraction: Extraction | None = None
    error: str | None = None  # a reason for a person, when extraction is None


def _worker_main(conn: Connection, options: ExtractOptions, ocr_threads: int) -> None:
    import pipeline.batch.warm  # noqa: F401  (already done when forked from the fork server)

    # Its own process group, so that stopping a worker also stops the Tesseracts it started
    # (a timed-out page would otherwise go on burning a core for up to two minutes).
    os.setpgrp()
    os.environ.setdefault("DELIB_OCR_THREADS", str(ocr_threads))
    # Say so once the imports are done: a document's time limit must not count our start-up.
    conn.send(_READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        key, path = message
        try:
            conn.send((key, extract_document(path, options), None))
        except errors.DocumentError as exc:
            conn.send((key, None, exc.reason))
        except MemoryError:
            conn.send((key, None, "ran out of memory while reading this file"))
        except OSError as exc:
            conn.send((key, None, f"cannot read the file ({exc.strerror or exc})"))
        except Exception as exc:  # a bug or an unforeseen file: the batch goes on
            conn.send((key, None, f"unexpected error: {type(exc).__name__}: {exc}"[:300]))


_READY = "ready"


def ocr_threads_per_worker(workers: int, cores: int) -> int:
    """Tesseracts each worker may run at once: together up to twice the cores.

    More than one per worker, so that the last long scan of a batch still uses every core, and a
    core left idle while a worker runs its extractors is taken by another worker's Tesseract; at
    most twice the cores, so that memory stays bounded (about 100 MB per Tesseract).
    """
    return max(1, -(-2 * cores // max(1, workers)))


class _Worker:
    def __init__(self, context, options: ExtractOptions, ocr_threads: int) -> None:
        self.ready = False
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, options, ocr_threads), daemon=True)
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0
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

    def _kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # already gone, or not yet its own group leader
        self.process.kill()


def _context():
    """Fork server where there is one: workers forked from a process that has loaded the model
    (`pipeline.batch.warm`) start in a tenth of a second; spawn elsewhere. Never plain fork: the parent
    may hold threads and open database connections."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.batch.warm"])
    return context


class WorkerPool:
    """Runs jobs on `size` processes; yields a `Done` per job, in completion order."""

    def __init__(self, size: int, options: ExtractOptions, *, timeout: float, recycle_after: int = 200):
        self.size = max(1, size)
        self.options = options
        self.timeout = timeout
        self.recycle_after = recycle_after
        self._context = _context()
        self._ocr_threads = ocr_threads_per_worker(self.size, os.cpu_count() or 1)
        self._workers: list[_Worker] = []

    def _new_worker(self) -> _Worker:
        return _Worker(self._context, self.options, self._ocr_threads)

    def __enter__(self) -> "WorkerPool":
        return self  # the workers start with the first job: a run with nothing new starts none

    def __exit__(self, *exc) -> None:
        interrupted = exc[0] is not None
        for worker in self._workers:
            worker.stop(kill=interrupted)
        self._workers = []

    def run(self, jobs: Iterator[Job]) -> Iterator[Done]:
        pending = iter(jobs)
        first = next(pending, None)
        if first is None:
            return
        if not self._workers:
            self._workers = [self._new_worker() for _ in range(self.size)]
        pending = itertools.chain([first], pending)
        exhausted = False
        while True:
            for worker in self._workers:
                if worker.ready and worker.job is None and not exhausted:
                    job = next(pending, None)
                    if job is None:
                        exhausted = True
                    else:
                        worker.give(job)
            busy = [w for w in self._workers if w.job is not None]
            starting = [w for w in self._workers if not w.ready]
            if not busy and (exhausted or not starting):
                return
            watched = busy + starting
            ready = wait([w.conn for w in watched] + [w.process.sentinel for w in watched], timeout=1.0)
            now = time.monotonic()
            for index, worker in enumerate(self._workers):
                if not worker.ready:
                    self._check_start(index, ready)
                    continue
                if worker.job is None:
                    continue
                if worker.conn in ready:
                    try:
                        key, extraction, error = worker.conn.recv()
                    except (EOFError, OSError):
                        yield self._replace(index, "the reading process crashed (killed or out of memory)")
                        continue
                    job, worker.job = worker.job, None
                    worker.done += 1
                    yield Done(job, extraction, error)
                    if worker.done >= self.recycle_after:
                        worker.stop()
                        self._workers[index] = self._new_worker()
                elif worker.process.sentinel in ready or not worker.process.is_alive():
                    yield self._replace(index, "the reading process crashed (killed or out of memory)")
                elif now - worker.started > self.timeout:
                    yield self._replace(index, f"took more than {self.timeout:g} s and was stopped (a page may hang the parser)")

    def _check_start(self, index: int, ready: list) -> None:
        worker = self._workers[index]
        if worker.conn in ready:
            try:
                worker.ready = worker.conn.recv() == _READY
            except (EOFError, OSError):
                ready = [worker.process.sentinel]
        if worker.process.sentinel in ready and not worker.process.is_alive():
            raise errors.DelibError(
                f"an extraction process could not start (exit code {worker.process.exitcode})"
            )

    def _replace(self, index: int, reason: str) -> Done:
        worker = self._workers[index]
        job = worker.job
        worker.stop(kill=True)
        self._workers[index] = self._new_worker()
        return Done(job, None, reason)
