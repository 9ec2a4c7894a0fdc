"""A pool of extraction processes that a bad file cannot take down.

Each worker reads one document at a time. The parent kills a worker that exceeds the time
limit or replaces one that died, records that document as failed, and goes on. Workers are
recycled after a number of documents because pdfplumber's memory grows on big files.
"""
from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterator

from pipeline import errors
from pipeline.api import ExtractOptions, extract_document
from pipeline.records import Extraction


@dataclass(frozen=True, slots=True)
class Job:
    key: int
    path: Path


@dataclass(frozen=True, slots=True)
class Done:
    job: Job
    extraction: Extraction | None = None
    error: str | None = None  # a reason for a person, when extraction is None


def _worker_main(conn: Connection, options: ExtractOptions) -> None:
    import os

    # The pool is the parallelism: one thread each for Tesseract, OCR and the BLAS under spaCy
    # (set before numpy is first imported, which happens lazily with the model).
    for name in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                 "DELIB_OCR_THREADS"):
        os.environ.setdefault(name, "1")
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


class _Worker:
    def __init__(self, context, options: ExtractOptions) -> None:
        self.ready = False
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, options), daemon=True)
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
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class WorkerPool:
    """Runs jobs on `size` processes; yields a `Done` per job, in completion order."""

    def __init__(self, size: int, options: ExtractOptions, *, timeout: float, recycle_after: int = 200):
        self.size = max(1, size)
        self.options = options
        self.timeout = timeout
        self.recycle_after = recycle_after
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        self._workers = [_Worker(self._context, self.options) for _ in range(self.size)]
        return self

    def __exit__(self, *exc) -> None:
        interrupted = exc[0] is not None
        for worker in self._workers:
            worker.stop(kill=interrupted)
        self._workers = []

    def run(self, jobs: Iterator[Job]) -> Iterator[Done]:
        pending = iter(jobs)
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
                        self._workers[index] = _Worker(self._context, self.options)
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
        self._workers[index] = _Worker(self._context, self.options)
        return Done(job, None, reason)
