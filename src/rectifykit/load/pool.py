"""Work on many files spread over worker processes, with this process as the fallback.

Workers pay only when they send back little (measured, BENCHMARKS.md): a file is parsed in ~0.2 ms, and
sending its validated record back costs about half of that again. So the check of a project sends each
worker the files' names and gets back each file's diagnostics and a few facts (:mod:`rectifykit.check.facts`);
reading whole records in workers is left to those who ask (``RECTIFY_WORKERS``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from rectifykit import i18n

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "RECTIFY_WORKERS"
"""Environment variable: how many processes do the work (1: this process alone)."""
PARALLEL_MIN = 1500
"""Fewest files worth worker processes (starting them and sending results back costs ~0.1 s)."""
CHUNK = 250
"""Files per task sent to a worker."""
MAX_WORKERS = 8


def wanted() -> int:
    """The number of processes ``RECTIFY_WORKERS`` asks for, 0 when it is not set (or not a number)."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    return int(value) if value.isdigit() else 0


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def workers(count: int) -> int:
    """How many processes check ``count`` files: ``RECTIFY_WORKERS`` when set, else one per core (at most
    :data:`MAX_WORKERS`); 1 below :data:`PARALLEL_MIN` files."""
    if count < PARALLEL_MIN:
        return 1
    n = wanted() or min(cores(), MAX_WORKERS)
    return max(1, min(n, count // CHUNK))


def chunks(jobs: Sequence[T]) -> list[list[T]]:
    return [list(jobs[i : i + CHUNK]) for i in range(0, len(jobs), CHUNK)]


def run(
    func: Callable[..., R], tasks: list[Any], n: int, *, args: tuple[Any, ...] = (),
    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
) -> Iterator[R] | None:
    """``func(task, *args)`` for each task in ``n`` worker processes, the results in the order of the tasks;
    None when worker processes cannot be started here (no ``fork`` or no semaphores, as in some sandboxes):
    the caller then does the work itself, with the same result."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with everything imported and the language chosen (~0 s);
    # spawn would import rectifykit again in each (~0.3 s) but works everywhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    try:
        executor = ProcessPoolExecutor(
            max_workers=n, mp_context=multiprocessing.get_context(method),
            initializer=_started, initargs=(i18n.language(), initializer, initargs),
        )
        results = executor.map(func, tasks, *([a] * len(tasks) for a in args))
    except (OSError, ImportError, NotImplementedError, PermissionError):
        return None
    return _drained(executor, results)


def _drained(executor: Any, results: Iterator[R]) -> Iterator[R]:
    try:
        yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _started(language: str, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """Every worker: it speaks this process's language (one started afresh, without fork, would speak the
    environment's), leaves Ctrl-C to this process (which stops the work without a traceback from each worker)
    and makes no garbage cycles (its objects die with it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    i18n.set_language(language)
    gc.disable()
    if initializer is not None:
        initializer(*initargs)
