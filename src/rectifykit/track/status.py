"""What is open, late or due for review, as of a date: pure functions, no I/O.

Bands of an item, as of a date D:

- ``done``: completed (or continuing with no review due);
- ``due_for_review``: completed-and-kept-up or deemed completed, and D is on or
  after its next review date;
- ``no_deadline``: open without a deadline (never overdue);
- ``overdue``: open and D is after the deadline;
- ``due_urgent``: open, at most ``urgent`` days left (default 10; the leader in charge is warned);
- ``due_soon``: open, at most ``soon`` days left (default 20; the person in charge is warned);
- ``on_track``: open with more time than that.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from rectifykit.model import items as tally
from rectifykit.model.ordering import numbered
from rectifykit.model.records import Finding, Inspection, State
from rectifykit.model.wording import STATE_LABEL

if TYPE_CHECKING:
    from rectifykit.check import Keeper
    from rectifykit.load.records import Loaded


class Band(StrEnum):
    overdue = "overdue"
    due_urgent = "due_urgent"
    due_soon = "due_soon"
    due_for_review = "due_for_review"
    no_deadline = "no_deadline"
    on_track = "on_track"
    done = "done"


ATTENTION = frozenset({Band.overdue, Band.due_urgent, Band.due_soon, Band.due_for_review, Band.no_deadline})


@dataclass(frozen=True)
class Thresholds:
    soon: int = 20
    urgent: int = 10


@dataclass(frozen=True, slots=True)
class Item:
    """A tracked item as of a date, ready to show."""

    unit: tally.Unit
    number: int
    category: str
    band: Band
    days_left: int | None
    """Days until the deadline (negative: overdue); None without a deadline or when done."""

    @property
    def overdue(self) -> bool:
        return self.band is Band.overdue

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def owner(self) -> str:
        t = self.unit.tracking
        return " / ".join(x for x in (t.leader, t.department, t.person) if x)


def as_it_was(unit: tally.Unit, as_of: dt.date) -> tally.Unit:
    """The item as it stood on ``as_of``: one completed after that day was still being worked on then."""
    done_on = unit.tracking.completed_on
    if unit.done and done_on is not None and done_on > as_of:
        return dataclasses.replace(unit, state=State.in_progress, label=STATE_LABEL[State.in_progress])
    return unit


def band_of(unit: tally.Unit, as_of: dt.date, thresholds: Thresholds = Thresholds()) -> tuple[Band, int | None]:
    """The band of one item and its days left, as of a date."""
    t = unit.tracking
    if unit.done:
        if unit.state.continuing and t.next_review is not None and as_of >= t.next_review:
            return Band.due_for_review, None
        return Band.done, None
    if t.deadline is None:
        return Band.no_deadline, None
    left = (t.deadline - as_of).days
    if left < 0:
        return Band.overdue, left
    if left <= thresholds.urgent:
        return Band.due_urgent, left
    if left <= thresholds.soon:
        return Band.due_soon, left
    return Band.on_track, left


@dataclass(frozen=True)
class Counts(tally.Summary):
    """Totals over some items (the one completion-rate formula is tally's), with the bands."""

    overdue: int = 0
    due_for_review: int = 0


def count(items: Sequence[Item]) -> Counts:
    by_state = {s: 0 for s in State}
    for item in items:
        by_state[item.unit.state] += 1
    return Counts(
        problems=len({i.unit.finding.id for i in items}),
        items=len(items),
        by_state=by_state,
        overdue=sum(1 for i in items if i.band is Band.overdue),
        due_for_review=sum(1 for i in items if i.band is Band.due_for_review),
    )


class MilestoneState(StrEnum):
    met = "met"
    late = "late"
    overdue = "overdue"
    pending = "pending"
    ended = "ended"


@dataclass(frozen=True)
class Milestone:
    key: str
    due: dt.date
    done: dt.date | None
    state: MilestoneState


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's end (1月31日 + 1 → 2月29日)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def milestones(inspection: Inspection, as_of: dt.date) -> list[Milestone]:
    """Plan due (feedback + 1 month), concentrated period end and progress report due
    (feedback + 2 months) unless the record sets them; whether each is met as of a date."""
    m, feedback = inspection.milestones, inspection.feedback_date
    plan_due = m.plan_due or add_months(feedback, 1)
    end = m.concentrated_end or add_months(feedback, 2)
    report_due = m.report_due or end

    def judged(key: str, due: dt.date, done: dt.date | None) -> Milestone:
        if done is not None:
            return Milestone(key, due, done, MilestoneState.met if done <= due else MilestoneState.late)
        return Milestone(key, due, None, MilestoneState.overdue if as_of > due else MilestoneState.pending)

    return [
        judged("plan_due", plan_due, m.plan_done),
        Milestone("concentrated_end", end, None, MilestoneState.ended if as_of > end else MilestoneState.pending),
        judged("report_due", report_due, m.report_done),
    ]


@dataclass
class Report:
    as_of: dt.date
    items: list[Item]
    """Every item, in notice order."""
    overall: Counts
    by_category: dict[str, Counts]
    milestones: list[Milestone]
    categories: dict[str, str] = field(default_factory=dict)
    """Category key → title, in order."""


Banded = tuple[tally.Unit, Band, int | None]
"""An item as it was on a day, its band and days left."""


def banded(units: Sequence[tally.Unit], as_of: dt.date, thresholds: Thresholds = Thresholds()) -> list[Banded]:
    """A problem's items as they were on ``as_of``, with their bands and days left."""
    out = []
    for unit in (as_it_was(u, as_of) for u in units):
        band, left = band_of(unit, as_of, thresholds)
        out.append((unit, band, left))
    return out


def build(
    inspection: Inspection,
    findings: Sequence[Finding],
    *,
    as_of: dt.date,
    thresholds: Thresholds = Thresholds(),
    units: Callable[[Finding], Sequence[tally.Unit]] = tally.tracked,
    bands: Callable[[Finding], Sequence[Banded]] | None = None,
) -> Report:
    """Every item with its band, the counts overall and per category, the milestones.

    ``units`` gives a problem's items (a long-running caller passes one that keeps them between builds);
    ``bands`` gives them with their bands as :func:`banded` makes them (such a caller keeps those per day)."""
    items = []
    for entry in numbered(inspection, findings):
        found = bands(entry.finding) if bands is not None else banded(units(entry.finding), as_of, thresholds)
        for unit, band, left in found:
            items.append(Item(unit, entry.number, entry.category.key, band, left))
    ordered = sorted(inspection.categories, key=lambda c: c.order)
    return Report(
        as_of=as_of,
        items=items,
        overall=count(items),
        by_category={c.key: count([i for i in items if i.category == c.key]) for c in ordered},
        milestones=milestones(inspection, as_of),
        categories={c.key: c.title for c in ordered},
    )


def taken(item: Loaded[Finding], _inspection: Inspection | None = None) -> tally.Packed:
    """What the status report needs of one record, taken where its file is read (``check.Keeper``): its items."""
    return tally.pack(item.record)


def keeper() -> Keeper:
    """How ``status`` loads a project: each record's tracked items, taken where its file is read (a worker
    process for a large set), not the record."""
    from rectifykit import check

    return check.Keeper(taken, tally.unpack)


def build_packed(
    inspection: Inspection, kept: Sequence[Sequence[tally.Unit]], *, as_of: dt.date,
    thresholds: Thresholds = Thresholds(),
) -> Report:
    """:func:`build` over each finding's items as :func:`rectifykit.model.items.unpack` gives them back."""
    table = {id(units[0].finding): units for units in kept}
    return build(inspection, [units[0].finding for units in kept], as_of=as_of, thresholds=thresholds,
                 units=lambda finding: table[id(finding)])


def select(
    items: Sequence[Item], *, everything: bool = False, category: str | None = None, owner: str | None = None
) -> list[Item]:
    """The items to show, filtered: everything in notice order, or what needs attention, most urgent first."""
    if everything:
        chosen = list(items)
    else:
        urgency = list(Band)
        chosen = sorted((i for i in items if i.band in ATTENTION), key=lambda i: (urgency.index(i.band), i.number))
    if category is not None:
        chosen = [i for i in chosen if i.category == category]
    if owner:
        chosen = [i for i in chosen if owner in i.owner]
    return chosen


def fails(items: Sequence[Item], fail_on: str) -> bool:
    """``--fail-on``: ``overdue`` when any item is overdue, ``open`` when any is not done."""
    if fail_on == "overdue":
        return any(i.band is Band.overdue for i in items)
    if fail_on == "open":
        return any(not i.unit.done for i in items)
    return False
