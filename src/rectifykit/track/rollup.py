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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.model.records import Finding, Inspection, State
from rectifykit.track.status import Counts, Item, Report, Thresholds, build


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
class UnitRollup:
    unit: str
    path: str
    report: Report

    @property
    def counts(self) -> Counts:
        return self.report.overall

    @property
    def problems_done(self) -> int:
        return problems_done(self.report.items)


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


def draw(unit: UnitRollup, k: int, seed: int) -> list[SampleItem]:
    """``k`` closed items of a unit, at random but reproducibly (seed and unit name fix the draw)."""
    closed = [i for i in unit.report.items if i.unit.done]
    chosen = random.Random(f"{seed}/{unit.unit}").sample(closed, min(k, len(closed)))
    chosen.sort(key=lambda i: (i.number, i.unit.key))
    return [
        SampleItem(unit.unit, unit.path, i.unit.key, i.number, f"{i.number}.{i.unit.finding.title}", i.unit.state,
                   i.unit.label, i.unit.tracking.completed_on, tuple(i.unit.tracking.evidence))
        for i in chosen
    ]


def rollup(
    units: Sequence[tuple[str, Inspection, Sequence[Finding]]],
    *,
    as_of: dt.date,
    thresholds: Thresholds | None = None,
    sample: int = 0,
    seed: int | None = None,
) -> Rollup:
    """Add up the units given as (path, inspection, findings)."""
    limits = thresholds or Thresholds()
    rolled = [UnitRollup(i.unit, path, build(i, f, as_of=as_of, thresholds=limits)) for path, i, f in units]
    result = Rollup(as_of, rolled, add([u.counts for u in rolled]), seed=seed, per_unit=sample)
    if sample > 0:
        if result.seed is None:
            result.seed = random.SystemRandom().randrange(1_000_000)
        result.sample = [s for u in rolled for s in draw(u, sample, result.seed)]
    return result
