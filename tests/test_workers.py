"""The worker pool: Tesseracts per worker, stopping a worker, starting none when idle."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.batch.workers import ocr_threads_per_worker


@pytest.mark.parametrize(("workers", "cores", "threads"), [
    (2, 2, 2),   # the default on this kind of machine: up to 4 Tesseracts on 2 cores
    (1, 2, 4),   # one worker alone still fills both cores, with room for its extractors
    (8, 8, 2),
    (16, 2, 1),  # more workers than cores: never fewer than one each
])
def test_workers_ocr_threads_are_about_twice_the_cores_over_the_pool(workers, cores, threads):
    assert ocr_threads_per_worker(workers, cores) == threads
    assert workers * threads <= max(2 * cores, workers)


def test_workers_a_stopped_worker_takes_its_tesseracts_with_it():
    """A document stopped mid-OCR (time limit, crash) does not leave its Tesseracts running."""
    import time

    from pipeline.api import ExtractOptions
    from pipeline.batch.workers import Job, WorkerPool
    from tests.conftest import SAMPLES

    scan = SAMPLES / "scanned" / "seed_genevois_cs2021-15_scan.pdf"  # three pages: seconds of OCR
    with WorkerPool(1, ExtractOptions(entities=False, ocr="always"), timeout=600) as pool:
        pool._workers = [pool._new_worker()]
        worker = pool._workers[0]
        while not worker.ready:
            worker.ready = worker.conn.recv() == "ready"
        worker.give(Job(1, scan))
        deadline = time.monotonic() + 60
        while not _tesseracts_of(worker.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _tesseracts_of(worker.process.pid), "the worker never started Tesseract"
        time.sleep(0.5)  # past reading its image: a page then takes Tesseract over a second
        worker.stop(kill=True)
        pool._workers = []
    time.sleep(0.2)  # SIGKILL is immediate; this only lets the kernel finish
    assert not _tesseracts_of(worker.process.pid)


def _tesseracts_of(group: int) -> list[int]:
    """Running Tesseracts (not zombies) in process group `group`: those a worker started."""
    return [p.pid for p in _processes() if p.name == "tesseract" and p.state != "Z" and p.group == group]


def test_workers_a_run_with_nothing_to_read_starts_no_process():
    """The nightly run over an unchanged archive must not pay for loading the models."""
    import os

    from pipeline.api import ExtractOptions
    from pipeline.batch.workers import WorkerPool

    before = _descendants(os.getpid())
    with WorkerPool(2, ExtractOptions(), timeout=60) as pool:
        assert list(pool.run(iter([]))) == []
        # Descendants, not children: workers are forked by the fork server, which an earlier
        # test may already have started.
        assert _descendants(os.getpid()) == before


def test_workers_a_worker_reads_its_next_document_while_the_last_one_is_written():
    """A result is handed over for writing once the worker has its next document: with one job
    at a time, it sat idle through every database write."""
    from pipeline.api import ExtractOptions
    from pipeline.batch.workers import Job, WorkerPool
    from tests.conftest import sample_pdfs

    jobs = [Job(n, path) for n, path in enumerate(sample_pdfs()[:3])]
    with WorkerPool(1, ExtractOptions(entities=False), timeout=120) as pool:
        seen = []
        for done in pool.run(iter(jobs)):
            worker = pool._workers[0]
            seen.append((done.job, done.extraction is not None, worker.job))
    assert [(job, read) for job, read, _ in seen] == [(job, True) for job in jobs]
    assert [reading for _, _, reading in seen] == [jobs[1], jobs[2], None]


def _descendants(pid: int) -> set[int]:
    processes = _processes()
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for process in processes:
            if process.parent == parent and process.pid not in found:
                found.add(process.pid)
                todo.append(process.pid)
    return found


@dataclass(frozen=True)
class _Process:
    pid: int
    name: str
    state: str
    parent: int
    group: int


def _processes() -> list[_Process]:
    """Every process, from /proc/<pid>/stat: "pid (name) state ppid pgrp ..."."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        name = text[text.index("(") + 1:text.rindex(")")]
        state, parent, group = text[text.rindex(")") + 2:].split()[:3]
        found.append(_Process(int(stat.parent.name), name, state, int(parent), int(group)))
    return found
