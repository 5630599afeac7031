"""Where chunks are evaluated: in this process, in a process pool, or on a Dask cluster.

Every executor runs the same function, :func:`microlink.sweep.engine.evaluate_chunk`, on the same chunk
indices; only the place differs, so a fixed seed gives identical results on every executor. Each keeps at
most ``2 x workers`` chunks in flight, so the results waiting to be stored are bounded by the chunk size,
not by the sweep size. ``run`` yields :class:`~microlink.sweep.engine.ChunkResult` objects in completion
order and checks ``should_stop`` between chunks (Ctrl-C: stop taking new chunks, keep what finished).

* ``serial``: this process, one chunk at a time.
* ``processes``: :class:`concurrent.futures.ProcessPoolExecutor` (spawned workers ignore SIGINT; the
  plan is sent once per worker).
* ``dask``: :mod:`dask.distributed` (imported lazily). Without ``scheduler`` a
  :class:`~dask.distributed.LocalCluster` of ``workers`` single-threaded worker processes is started and
  closed afterwards; with ``scheduler="tcp://host:8786"`` the sweep joins an existing cluster, whose
  workers must have the same microlink version installed (checked before anything is submitted).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

from microlink.errors import ConfigError, MicrolinkError

__all__ = ["EXECUTORS", "DaskExecutor", "ProcessExecutor", "SerialExecutor", "make_executor"]

EXECUTORS = ("serial", "processes", "dask")
#: Seconds between checks of ``should_stop`` while waiting for a chunk.
POLL_SECONDS = 0.2


class SweepWorkerError(MicrolinkError):
    """A worker process or the cluster failed (not an error of the model)."""


@contextlib.contextmanager
def _children_ignore_sigint():
    """Processes started inside inherit an ignored SIGINT, so Ctrl-C reaches only this process.

    The command line stops a sweep cleanly on the first Ctrl-C; worker processes that got the signal too
    would die (or print tracebacks) in the middle of a chunk. Acts only in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _never() -> bool:
    return False


def default_workers() -> int:
    from microlink.kernels import usable_cpus

    return usable_cpus()


class SerialExecutor:
    """Evaluate chunks one after another in this process."""

    name = "serial"

    def __init__(self):
        self.workers = 1

    def run(self, plan, chunk_ids: Iterable[int], should_stop: Callable[[], bool] = _never) -> Iterator:
        from microlink.sweep.engine import evaluate_chunk

        for c in chunk_ids:
            if should_stop():
                return
            yield evaluate_chunk(plan, c)

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return "serial (1 process)"


# ------------------------------------------------------------------------------------------------ processes

_WORKER_PLAN = None  # set once per pool worker by _init_worker


def _init_worker(plan) -> None:
    global _WORKER_PLAN
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent, which stops cleanly
    _WORKER_PLAN = plan


def _worker_chunk(chunk_id: int):
    from microlink.sweep.engine import evaluate_chunk

    return evaluate_chunk(_WORKER_PLAN, chunk_id)


class ProcessExecutor:
    """Evaluate chunks in a pool of ``workers`` spawned processes."""

    name = "processes"

    def __init__(self, workers: int | None = None):
        self.workers = int(workers or default_workers())
        if self.workers < 1:
            raise ConfigError(f"--workers: got {workers!r}; allowed: >= 1")
        self._pool = None

    def run(self, plan, chunk_ids: Iterable[int], should_stop: Callable[[], bool] = _never) -> Iterator:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker, initargs=(plan,))
        todo = iter(chunk_ids)
        pending = {}

        def fill():
            while len(pending) < 2 * self.workers and not should_stop():
                c = next(todo, None)
                if c is None:
                    return
                pending[self._pool.submit(_worker_chunk, c)] = c

        try:
            with _children_ignore_sigint():  # the first submissions start the workers
                fill()
            while pending:
                done, _ = wait(list(pending), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for f in done:
                    pending.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        if should_stop():
                            return
                        raise SweepWorkerError(
                            "executor processes: a worker process died; if this is a script, guard its entry "
                            "point with `if __name__ == '__main__':` (workers are spawned and import it)") from None
                    yield result
                if should_stop():
                    break
                fill()
        finally:
            for f in pending:
                f.cancel()
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def describe(self) -> str:
        return f"processes ({self.workers} workers)"


# ------------------------------------------------------------------------------------------------ dask


def _dask_chunk(plan, chunk_id: int):
    from microlink.sweep.engine import evaluate_chunk

    return evaluate_chunk(plan, chunk_id)


def _worker_version() -> str:
    import microlink

    return microlink.__version__


class DaskExecutor:
    """Evaluate chunks on a Dask cluster: a new LocalCluster, an existing scheduler, or a given Client."""

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None, client=None,
                 processes: bool = True):
        try:
            import distributed  # noqa: F401
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError("--executor dask needs dask[distributed]; install it with "
                              "pip install 'microlink[sweep]'") from None
        self._requested_workers = workers
        self.scheduler = scheduler
        self.processes = processes
        self._client = client
        self._own_client = client is None
        self._cluster = None
        self.workers = int(workers or 0)

    def _connect(self):
        from distributed import Client, LocalCluster

        if self._client is not None:
            return self._client
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"--scheduler: cannot reach {self.scheduler}: {exc}") from None
        else:
            import logging

            n = int(self._requested_workers or default_workers())
            with _children_ignore_sigint():
                self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=self.processes,
                                             dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        return self._client

    def run(self, plan, chunk_ids: Iterable[int], should_stop: Callable[[], bool] = _never) -> Iterator:
        from distributed import wait

        import microlink

        client = self._connect()
        workers = client.scheduler_info().get("workers", {})
        if not workers:
            client.wait_for_workers(1, timeout=60)
            workers = client.scheduler_info().get("workers", {})
        self.workers = max(1, len(workers))
        versions = set(client.run(_worker_version).values())
        if versions != {microlink.__version__}:
            raise ConfigError(f"--scheduler: workers run microlink {', '.join(sorted(versions))}; this client runs "
                              f"{microlink.__version__}; install the same version on every worker")
        [plan_future] = client.scatter([plan], broadcast=True, hash=False)
        todo = iter(chunk_ids)
        pending = {}
        token = f"{plan.spec.spec_hash}-{plan.seed}"

        def fill():
            while len(pending) < 2 * self.workers and not should_stop():
                c = next(todo, None)
                if c is None:
                    return
                f = client.submit(_dask_chunk, plan_future, c, key=f"microlink-chunk-{token}-{c}", pure=False,
                                  retries=2)
                pending[f] = c

        try:
            fill()
            while pending:
                try:
                    done, _ = wait(list(pending), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    done = ()
                for f in done:
                    pending.pop(f)
                    try:
                        result = f.result()
                    except Exception:
                        if should_stop():  # Ctrl-C also reaches LocalCluster workers: drop what was in flight
                            return
                        raise
                    f.release()
                    yield result
                if should_stop():
                    break
                fill()
        finally:
            for f in pending:
                f.cancel()
            plan_future.release()
            self.close()

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def describe(self) -> str:
        where = self.scheduler or "LocalCluster"
        return f"dask ({where}, {self.workers or self._requested_workers or default_workers()} workers)"


def make_executor(name: str = "serial", *, workers: int | None = None, scheduler: str | None = None):
    """An executor by name (``serial``, ``processes``, ``dask``)."""
    if scheduler and name != "dask":
        raise ConfigError(f"--scheduler: only with --executor dask (got --executor {name})")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers: got {workers}; allowed: >= 1")
    if name == "serial":
        return SerialExecutor()
    if name == "processes":
        return ProcessExecutor(workers)
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    raise ConfigError(f"--executor: got {name!r}; allowed: {' | '.join(EXECUTORS)}")
