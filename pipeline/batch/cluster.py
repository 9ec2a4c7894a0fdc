"""Extraction on a Dask cluster, behind the same interface as the local `WorkerPool`.

    with ClusterPool("tcp://scheduler:8786", options, timeout=120) as pool:
        for done in pool.run(jobs):      # a `Done` per job, in completion order
            ...                          # the one writer: the importer, on this machine

What stays local: the file list (streamed), the skip of unchanged files (before any task is
sent), identity by SHA-256, the database writes, the lock, the run log. What goes to the
cluster: reading one PDF, on a worker that sees the same path on a shared filesystem.

Isolation is the local pool's, on each worker: a task hands its file to a `WorkerPool` of one
process kept by that worker thread, so the per-document time limit is enforced where the file is
read, and a file that crashes its reading process costs one child process, not the Dask worker.
A Dask worker that dies (killed, machine gone) has its in-flight tasks rerun elsewhere by the
scheduler; a file that kills workers again and again ends as `KilledWorker` after the
scheduler's `allowed-failures` and is recorded as failed, never retried forever.

The local pool starts its extraction processes with multiprocessing, which a daemonic process
may not do: Dask workers run under a nanny must be started with the worker's daemon setting off
(`DASK_DISTRIBUTED__WORKER__DAEMON=False`, README "On a Dask cluster").
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

from pipeline import errors
from pipeline.extract_options import ExtractOptions
from pipeline.batch.workers import Done, Job, WorkerPool

LOCAL = "local"

# Tasks in flight per worker thread: enough that a worker never waits for the client, few
# enough that memory on the client stays bounded whatever the number of files.
IN_FLIGHT_PER_THREAD = 2

_local = threading.local()


def extract_on_worker(path: str, options: ExtractOptions, timeout: float,
                      max_memory: int | None = None) -> tuple[object, str | None]:
    """The task: read one file on this worker, isolated; returns (extraction or None, reason)."""
    if multiprocessing.current_process().daemon:
        raise errors.ConfigurationError(
            "this Dask worker is a daemonic process and cannot start delib's reading processes: "
            "start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False"
        )
    pool = getattr(_local, "pool", None)
    if pool is None or (pool.options, pool.timeout, pool.max_memory) != (options, timeout, max_memory):
        if pool is not None:
            pool.__exit__(None, None, None)
        pool = WorkerPool(1, options, timeout=timeout, max_memory=max_memory)
        _local.pool = pool
    for done in pool.run(iter([Job(0, Path(path))])):
        return done.extraction, done.error
    return None, "the reading process returned nothing"


class ClusterPool:
    """Runs jobs on a Dask cluster; yields a `Done` per job, in completion order."""

    def __init__(self, address: str, options: ExtractOptions, *, timeout: float,
                 max_memory: int | None = None, connect_timeout: float = 30.0) -> None:
        self.address = address
        self.max_memory = max_memory
        self.connect_timeout = connect_timeout
        self.options = options
        self.timeout = timeout
        self._client = None
        self._cluster = None

    def __enter__(self) -> "ClusterPool":
        try:
            import dask
            from distributed import Client, LocalCluster
        except ModuleNotFoundError:
            raise errors.ConfigurationError(
                "--cluster needs Dask: pip install 'delib[cluster]' (or ./scripts/setup.sh)") from None

        try:
            if self.address == LOCAL:
                # Workers as processes, one thread each: the same isolation as a remote worker.
                with dask.config.set({"distributed.worker.daemon": False}):
                    self._cluster = LocalCluster(
                        n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                        dashboard_address=None,
                    )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.address, timeout=f"{self.connect_timeout:g}s")
        except OSError as exc:
            self.__exit__(None, None, None)
            raise errors.ConfigurationError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from exc
        return self

    def __exit__(self, *exc) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _threads(self) -> int:
        return max(1, sum(self._client.nthreads().values()))

    def run(self, jobs: Iterator[Job]) -> Iterator[Done]:
        from distributed import as_completed

        pending = iter(jobs)
        in_flight: dict[str, Job] = {}
        completed = as_completed()
        run_id = uuid.uuid4().hex[:12]

        def submit_next() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            # Workers do not share the client's working folder: send the absolute path.
            future = self._client.submit(
                extract_on_worker, str(Path(job.path).absolute()), self.options, self.timeout, self.max_memory,
                key=f"delib-extract-{run_id}-{job.key}", pure=False,
            )
            in_flight[future.key] = job
            completed.add(future)
            return True

        for _ in range(IN_FLIGHT_PER_THREAD * self._threads()):
            if not submit_next():
                break
        try:
            for future in completed:
                job = in_flight.pop(future.key)
                yield _done(job, future)
                future.release()
                submit_next()
        finally:  # interrupted: the futures released, nothing left running for us on the cluster
            in_flight.clear()
            completed.clear()


def _done(job: Job, future) -> Done:
    from distributed import KilledWorker

    try:
        extraction, error = future.result()
    except KilledWorker:
        return Done(job, None, "it stopped cluster workers again and again (killed or out of memory); "
                               "not retried")
    except errors.ConfigurationError:
        raise
    except Exception as exc:  # an error of the cluster, not of the file: recorded, the run goes on
        return Done(job, None, f"unexpected error on the cluster: {type(exc).__name__}: {exc}"[:300])
    return Done(job, extraction, error)
