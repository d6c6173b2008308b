"""The units of a roll-up read from their folders: each loaded, checked and summed up on its own, in worker
processes when there are enough of them (both cores), else here; the same facts in the same order either way.

A unit is the natural piece of parallel work: a worker loads and checks one unit's records
(:func:`rectifykit.check.load`, as every command does) and sends back only its :class:`Unit`: the counts,
the few sampled items, the deadlines when the HTML page asks for them, the warnings about its file set, and
for a unit whose records are invalid its diagnostics. Workers pay only when they send back little: the
records never leave the worker, and this process never holds more than one unit's records.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rectifykit import check  # check imported here, once: forked workers start with it
from rectifykit.diagnostics import Diagnostic
from rectifykit.load import pool
from rectifykit.load.pool import WORKERS_ENV
from rectifykit.load.project import FILE_SET_CODES, FINDINGS, outside_link
from rectifykit.track.rollup import Ask, UnitRollup, summarise

PARALLEL_MIN_FILES = 1000
"""Fewest record files, in two units or more, worth worker processes (by measurement: see :func:`workers`)."""
CHUNK_FILES = 200
"""Units are sent to a worker in runs of about this many record files: a task costs ~1 ms of passing
messages, a file ~0.35 ms of work (1,000 units of 10 files: 1,000 tasks would add ~20% of work)."""


@dataclass(frozen=True)
class Unit:
    """One unit's outcome: its facts, or None when its records are invalid (then ``diagnostics`` says why)."""

    folder: Path
    rolled: UnitRollup | None
    diagnostics: tuple[Diagnostic, ...]
    """Invalid records: every diagnostic; else only the warnings about which files were read."""
    files: int


@dataclass(frozen=True)
class Load:
    """How each unit is read: the real today the records are checked against, the record cache."""

    today: dt.date
    cache: bool = True


def one(folder: Path, ask: Ask, how: Load) -> Unit:
    """Load, check and sum up one unit; its records are dropped before this returns.

    The cyclic collector is paused meanwhile (loading and summing up make no garbage cycles): resumed
    between the load and the sum, it would walk every object of the unit's records once more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _one(folder, ask, how)
    finally:  # the unit's records are gone by now
        if enabled:
            gc.enable()


def _one(folder: Path, ask: Ask, how: Load) -> Unit:
    project = check.load(folder, today=how.today, cache=how.cache, keep="records")
    if project.errors or project.inspection is None:
        return Unit(folder, None, tuple(project.diagnostics), project.files)
    rolled = summarise(folder.as_posix(), project.inspection.record, project.records, ask)
    warnings = tuple(d for d in project.diagnostics if d.code in FILE_SET_CODES)
    return Unit(folder, rolled, warnings, project.files)


def workers(folders: Sequence[Path], *, env: Mapping[str, str] | None = None, sizes: Sequence[int] = ()) -> int:
    """How many processes sum up the units in ``folders``: ``RECTIFY_WORKERS`` when set (1: this process
    alone), else one per core when two units or more hold :data:`PARALLEL_MIN_FILES` record files
    (``sizes``: each unit's, counted here when not given).

    By measurement (the note of issue 17): a unit's result is a few hundred bytes, so the workers' cost is
    starting them and passing the tasks (~0.05–0.1 s of CPU time); a file is read and checked in ~0.35 ms,
    so it pays from a few hundred files on two free cores, and never for a few units of the embedded
    example's size."""
    wanted = (os.environ if env is None else env).get(WORKERS_ENV, "").strip()
    if wanted.isdigit():
        return max(1, min(int(wanted), len(folders)))
    if len(folders) < 2 or sum(sizes or map(_record_files, folders)) < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(pool.cores(), len(folders)))


def runs(folders: Sequence[Path], sizes: Sequence[int], files: int | None = None) -> list[list[Path]]:
    """The units in order, in runs of at least ``files`` (:data:`CHUNK_FILES`) record files (the last may
    hold fewer)."""
    files = CHUNK_FILES if files is None else files
    out: list[list[Path]] = [[]]
    held = 0
    for folder, size in zip(folders, sizes, strict=True):
        if held >= files:
            out.append([])
            held = 0
        out[-1].append(folder)
        held += size
    return [run for run in out if run]


def _record_files(folder: Path) -> int:
    """About how many record files a unit holds (the entries of data/findings: no file is read, and no folder
    outside the unit is listed)."""
    if any(outside_link(folder, f) is not None for f in (FINDINGS.parent, FINDINGS)):
        return 0
    try:
        with os.scandir(folder / FINDINGS) as entries:
            return sum(1 for _ in entries)
    except OSError:
        return 0


def gather(
    folders: Sequence[Path], ask: Ask, how: Load, *, progress: Callable[[int, int], None] | None = None
) -> Generator[Unit, None, None]:
    """Each unit's outcome, in the order of ``folders``, as soon as it and those before it are done.

    If worker processes cannot be started (no ``fork``, no semaphores in a sandbox), the units are summed
    up here; the result is the same. A caller that stops early (an invalid unit) stops the workers."""
    sizes = [_record_files(f) for f in folders] if len(folders) > 1 else [0] * len(folders)
    n = workers(folders, sizes=sizes)
    results: Iterator[Unit] | None = None
    if n > 1:
        try:
            results = _in_workers(runs(folders, sizes), n, ask, how)
            first = next(results, None)
        except (OSError, ImportError, NotImplementedError):
            results = None
        else:
            results = _chain(first, results)
    if results is None:
        results = (one(folder, ask, how) for folder in folders)
    for done, unit in enumerate(results, 1):
        if progress is not None:
            progress(done, len(folders))
        yield unit


def _chain(first: Unit | None, rest: Iterator[Unit]) -> Iterator[Unit]:
    if first is not None:
        yield first
    yield from rest


def _in_workers(chunks: list[list[Path]], n: int, ask: Ask, how: Load) -> Iterator[Unit]:
    done = pool.run(_run, chunks, n, args=(ask, how), initializer=_worker)
    if done is None:
        raise OSError("no worker processes here")  # summed up in this process instead (see gather)
    for units in done:
        yield from units


def _run(folders: list[Path], ask: Ask, how: Load) -> list[Unit]:
    """A worker's task: a run of units, up to the first with invalid records (the roll-up stops there)."""
    out = []
    for folder in folders:
        out.append(one(folder, ask, how))
        if out[-1].rolled is None:
            break
    return out


def _worker() -> None:
    """A worker reads its unit's files itself: no workers of its own (the rest of a worker's start is
    :func:`rectifykit.load.pool.run`'s)."""
    os.environ[WORKERS_ENV] = "1"
