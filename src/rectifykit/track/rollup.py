"""The inspection office's view: several units' records added up, by the definitions of ``rectify status``.

Each unit is a project folder (holding ``data/``); a folder that is not one
but whose sub-folders are stands for all of them. Per unit and in total:
problems, items by state, done, open, overdue, due for review and the
completion rate; the total's rate is computed from the summed counts, never
averaged. ``problems_done`` counts the problems all of whose items are done
(the "688 of 697 problems rectified" of an office's report). A sample of
closed items per unit for re-checking (回头看) is drawn reproducibly: the same
seed, unit and records give the same sample.

JSON (version 1; fields are only ever added)::

    {"version": 1, "as_of": "YYYY-MM-DD",
     "units": [{"unit", "path", "problems_done", "problems", "total", "by_status", "done", "open",
                "overdue", "due_for_review", "completion_rate"}],
     "total": {...the same counts...},
     "sample": {"seed", "per_unit", "items": [{"unit", "path", "id", "problem", "title", "status",
                                                "label", "completed_on", "evidence"}]}}
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.model.records import Finding, Inspection, State
from rectifykit.track.status import Band, Counts, Item, Thresholds, build


class RollupError(UsageError):
    """A folder given is neither a project nor a folder of projects."""


def discover(folders: Sequence[Path]) -> list[Path]:
    """The project folders named: each folder holding ``data/``, else its sub-folders that do (sorted)."""
    found: list[Path] = []
    for folder in folders:
        if (folder / "data").is_dir():
            found.append(folder)
            continue
        inner = sorted(p for p in folder.iterdir() if (p / "data").is_dir()) if folder.is_dir() else []
        for p in inner:  # a unit's folder that is a link out of the folder named would add up records from elsewhere
            if not p.resolve().is_relative_to(folder.resolve()):
                raise RollupError(
                    _("{folder}: a link to a folder outside {parent}; name the unit's folder itself").format(
                        folder=p, parent=folder
                    )
                )
        if not inner:
            raise RollupError(
                _("{folder}: not a rectifykit project and holds none (no data/ folder)").format(folder=folder)
            )
        found += inner
    seen: set[Path] = set()
    unique = []
    for path in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


@dataclass(frozen=True)
class SampleItem:
    unit: str
    path: str
    key: str
    number: int
    problem: str
    state: State
    label: str
    completed_on: dt.date | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Deadline:
    """An open item's deadline, or the review date of one due for review: a mark on the page's timeline."""

    day: dt.date
    text: str
    """The item's id and its state's label."""
    band: Band


@dataclass(frozen=True)
class UnitRollup:
    """One unit's share of the roll-up: the few facts every output needs, not its records (so that a unit
    summed up in a worker process sends back little)."""

    unit: str
    path: str
    counts: Counts
    problems_done: int
    bands: dict[Band, int]
    """Items by band."""
    sample: tuple[SampleItem, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    """Only when asked for (the HTML page's timeline)."""


@dataclass
class Rollup:
    as_of: dt.date
    units: list[UnitRollup]
    total: Counts
    sample: list[SampleItem] = field(default_factory=list)
    seed: int | None = None
    per_unit: int = 0

    @property
    def problems_done(self) -> int:
        return sum(u.problems_done for u in self.units)


def problems_done(items: Sequence[Item]) -> int:
    """Problems every item of which is done (completed, kept up or deemed completed)."""
    done: dict[str, bool] = {}
    for item in items:
        done[item.unit.finding.id] = done.get(item.unit.finding.id, True) and item.unit.done
    return sum(done.values())


def add(counts: Sequence[Counts]) -> Counts:
    """Counts summed; the completion rate follows from the sums."""
    return Counts(
        problems=sum(c.problems for c in counts),
        items=sum(c.items for c in counts),
        by_state={s: sum(c.by_state[s] for c in counts) for s in State},
        overdue=sum(c.overdue for c in counts),
        due_for_review=sum(c.due_for_review for c in counts),
    )


def draw(unit: str, path: str, items: Sequence[Item], k: int, seed: int) -> tuple[SampleItem, ...]:
    """``k`` closed items of a unit, at random but reproducibly (seed and unit name fix the draw)."""
    closed = [i for i in items if i.unit.done]
    chosen = random.Random(f"{seed}/{unit}").sample(closed, min(k, len(closed)))
    chosen.sort(key=lambda i: (i.number, i.unit.key))
    return tuple(
        SampleItem(unit, path, i.unit.key, i.number, f"{i.number}.{i.unit.finding.title}", i.unit.state,
                   i.unit.label, i.unit.tracking.completed_on, tuple(i.unit.tracking.evidence))
        for i in chosen
    )


def deadlines(items: Sequence[Item]) -> tuple[Deadline, ...]:
    """Each open item with a deadline, and each item due for review at its review date."""
    marks = []
    for i in items:
        if i.band is Band.done:
            continue
        t = i.unit.tracking
        day = t.next_review if i.band is Band.due_for_review else t.deadline
        if day is not None:
            marks.append(Deadline(day, f"{i.unit.key} {i.unit.label}", i.band))
    return tuple(marks)


@dataclass(frozen=True)
class Ask:
    """What the roll-up needs of each unit: the date, the sample, whether the deadlines."""

    as_of: dt.date
    thresholds: Thresholds = field(default_factory=Thresholds)
    sample: int = 0
    seed: int = 0
    deadlines: bool = True


def choose_seed(sample: int, seed: int | None) -> int | None:
    """The sample's seed: the one given, else a fresh one (to be printed, so the draw can be made again)."""
    if sample > 0 and seed is None:
        return random.SystemRandom().randrange(1_000_000)
    return seed


def summarise(path: str, inspection: Inspection, findings: Sequence[Finding], ask: Ask) -> UnitRollup:
    """One unit's records to its facts (by the definitions of ``rectify status``)."""
    report = build(inspection, findings, as_of=ask.as_of, thresholds=ask.thresholds)
    return UnitRollup(
        inspection.unit, path, report.overall, problems_done(report.items),
        dict(Counter(i.band for i in report.items)),
        draw(inspection.unit, path, report.items, ask.sample, ask.seed) if ask.sample > 0 else (),
        deadlines(report.items) if ask.deadlines else (),
    )


def assemble(units: Sequence[UnitRollup], *, as_of: dt.date, sample: int = 0, seed: int | None = None) -> Rollup:
    """The units added up, in the order given."""
    result = Rollup(as_of, list(units), add([u.counts for u in units]), seed=seed, per_unit=sample)
    result.sample = [s for u in units for s in u.sample]
    return result


def rollup(
    units: Sequence[tuple[str, Inspection, Sequence[Finding]]],
    *,
    as_of: dt.date,
    thresholds: Thresholds | None = None,
    sample: int = 0,
    seed: int | None = None,
) -> Rollup:
    """Add up the units given as (path, inspection, findings) (:mod:`rectifykit.track.gather` reads them from
    their folders, one at a time or in worker processes)."""
    seed = choose_seed(sample, seed)
    ask = Ask(as_of, thresholds or Thresholds(), sample, seed or 0)
    return assemble([summarise(path, i, f, ask) for path, i, f in units], as_of=as_of, sample=sample, seed=seed)
