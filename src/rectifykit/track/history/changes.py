"""The semantic diff behind ``rectify diff``: what changed in meaning between two snapshots."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit import diagnostics
from rectifykit.check import lints
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.records import Loaded
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, State
from rectifykit.track.history.git import FORMAT, Commit, Repo, parse_commit
from rectifykit.track.history.snapshot import (
    ItemRef,
    Snapshot,
    item_order,
    items_of,
    numbers_of,
    parse_finding,
    read_revision,
    read_worktree,
)
from rectifykit.track.status import Band, band_of

TRACKED_FIELDS = ("leader", "department", "person", "reviewer", "completed_on", "next_review", "evidence", "notes")
"""Tracking fields reported as "other changes" (the deadline has its own list)."""



@dataclass(frozen=True)
class StatusChange:
    ref: ItemRef
    old_state: State
    old_label: str
    new_state: State
    new_label: str


@dataclass(frozen=True)
class DeadlineMove:
    ref: ItemRef
    old: dt.date | None
    new: dt.date | None


@dataclass(frozen=True)
class Overdue:
    ref: ItemRef
    deadline: dt.date
    days: int


@dataclass(frozen=True)
class MeasureChange:
    ref: ItemRef
    """The response (``id#2``): measures belong to a response, not to its parts."""
    change: str
    """``added``, ``edited`` or ``removed``."""
    old: str | None
    new: str | None


@dataclass(frozen=True)
class FieldChange:
    ref: ItemRef
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemState:
    ref: ItemRef
    state: State
    label: str


@dataclass
class Changes:
    """What changed in meaning between two snapshots."""

    base: Snapshot
    head: Snapshot
    base_as_of: dt.date
    head_as_of: dt.date
    problems_added: list[ItemRef] = field(default_factory=list)
    problems_removed: list[ItemRef] = field(default_factory=list)
    items_added: list[ItemState] = field(default_factory=list)
    items_removed: list[ItemState] = field(default_factory=list)
    status: list[StatusChange] = field(default_factory=list)
    deadlines: list[DeadlineMove] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    measures: list[MeasureChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    review: list[Diagnostic] = field(default_factory=list)
    """Review rules (RK242, RK243, RK244, RK248) for items that moved to a completed state."""

    @property
    def empty(self) -> bool:
        lists = (self.problems_added, self.problems_removed, self.items_added, self.items_removed, self.status,
                 self.deadlines, self.overdue, self.measures, self.fields, self.review)
        return not any(lists)


def measure_lines(record: Finding, response: int) -> list[str]:
    """A response's measures as a list of texts (a numbered item, an intro or an outro is one text)."""
    return [text for r, _path, text in lints.measure_texts(record) if r == response]


def diff_texts(old: list[str], new: list[str]) -> Iterator[tuple[str, str | None, str | None]]:
    """(change, old, new) for texts added, edited or removed, in order."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = min(len(olds), len(news)) if op == "replace" else 0
        for a, b in zip(olds[:paired], news[:paired], strict=True):
            yield "edited", a, b
        for a in olds[paired:]:
            yield "removed", a, None
        for b in news[paired:]:
            yield "added", None, b


def _value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def compare(
    base: Snapshot, head: Snapshot, *, base_as_of: dt.date, head_as_of: dt.date,
    backdate_days: int = lints.BACKDATE_DAYS,
    recorded_on: Callable[[Loaded[Finding], tally.Unit], tuple[dt.date, str]] | None = None,
) -> Changes:
    """The changes in meaning from ``base`` to ``head``; each side's overdue items are judged as of its own date.

    ``recorded_on`` says when (and in which commit) an item that moved to a completed state was first
    recorded so, for the back-dating lint; by default ``head_as_of`` and the head's label.
    """
    changes = Changes(base, head, base_as_of, head_as_of)
    numbers = numbers_of(head, base)
    # A file that cannot be read on one side takes no part: its problem is neither added nor removed.
    unreadable = {d.path for d in (*base.problems, *head.problems)}
    old_findings = {k: v for k, v in base.by_id().items() if v.path not in unreadable}
    new_findings = {k: v for k, v in head.by_id().items() if v.path not in unreadable}

    def ref(loaded: Loaded[Finding], item: str) -> ItemRef:
        return ItemRef(item, loaded.record.id, numbers.get(loaded.record.id), loaded.record.title)

    for pid, loaded in new_findings.items():
        if pid not in old_findings:
            changes.problems_added.append(ref(loaded, pid))
    for pid, loaded in old_findings.items():
        if pid not in new_findings:
            changes.problems_removed.append(ref(loaded, pid))

    old_items = {k: v for k, v in items_of(base).items() if v[0].path not in unreadable}
    new_items = {k: v for k, v in items_of(head).items() if v[0].path not in unreadable}
    for key, (loaded, unit) in new_items.items():
        here = ref(loaded, key)
        before = old_items.get(key)
        if before is None and loaded.record.id in old_findings:
            changes.items_added.append(ItemState(here, unit.state, unit.label))
        old_unit = before[1] if before else None
        if old_unit is not None:
            if (old_unit.state, old_unit.label) != (unit.state, unit.label):
                changes.status.append(StatusChange(here, old_unit.state, old_unit.label, unit.state, unit.label))
            if old_unit.tracking.deadline != unit.tracking.deadline:
                changes.deadlines.append(DeadlineMove(here, old_unit.tracking.deadline, unit.tracking.deadline))
            for name in TRACKED_FIELDS:
                old_value, new_value = getattr(old_unit.tracking, name), getattr(unit.tracking, name)
                if old_value != new_value:
                    changes.fields.append(FieldChange(here, name, _value(old_value), _value(new_value)))
        band, left = band_of(unit, head_as_of)
        was_overdue = old_unit is not None and band_of(old_unit, base_as_of)[0] is Band.overdue
        if band is Band.overdue and not was_overdue and unit.tracking.deadline is not None:
            changes.overdue.append(Overdue(here, unit.tracking.deadline, -(left or 0)))
        if unit.done and (old_unit is None or not old_unit.done):
            when, where = recorded_on(loaded, unit) if recorded_on else (head_as_of, head.label)
            changes.review += moved_to_done(loaded, unit, recorded=when, commit=where, days=backdate_days)
    for key, (loaded, unit) in old_items.items():
        if key not in new_items and loaded.record.id in new_findings:
            changes.items_removed.append(ItemState(ref(loaded, key), unit.state, unit.label))

    for pid, loaded in new_findings.items():
        old = old_findings.get(pid)
        if old is None:
            continue
        for r in range(len(loaded.record.responses)):
            old_lines = measure_lines(old.record, r) if r < len(old.record.responses) else []
            for change, a, b in diff_texts(old_lines, measure_lines(loaded.record, r)):
                changes.measures.append(MeasureChange(ref(loaded, f"{pid}#{r + 1}"), change, a, b))

    order = {pid: (numbers.get(pid, 10**9), pid) for pid in {*old_findings, *new_findings}}
    for name in ("problems_added", "problems_removed", "items_added", "items_removed", "status", "deadlines",
                 "overdue", "measures", "fields"):
        entries = getattr(changes, name)
        entries.sort(key=lambda e: (order[_ref_of(e).problem], item_order(_ref_of(e).item)))
    changes.review.sort()
    return changes


def diff(
    root: Path, base: str | None = None, head: str | None = None, *, as_of: dt.date | None = None,
    backdate_days: int = lints.BACKDATE_DAYS,
) -> Changes:
    """``rectify diff``: the changes from ``base`` (default: the merge-base of HEAD with the main branch) to
    ``head`` (default: the working tree).

    The base side is judged as of its commit date; the head side as of ``as_of``, else its commit date,
    else today (the working tree). A completion is checked for back-dating against the first commit
    after ``base`` that recorded it (today's date if no commit has yet).
    """
    repo = Repo(root)
    old = read_revision(repo, base or repo.default_base())
    new = read_revision(repo, head) if head else read_worktree(root)
    assert old.commit is not None
    if as_of is None:
        as_of = new.commit.committed.date() if new.commit is not None else dt.date.today()

    def recorded_on(loaded: Loaded[Finding], unit: tally.Unit) -> tuple[dt.date, str]:
        head_rev = new.commit.sha if new.commit else "HEAD"
        found = first_recorded(repo, old.commit.sha if old.commit else None, head_rev, repo.prefix + loaded.path, unit)
        return (found.authored.date(), found.short) if found else (as_of, new.label)

    return compare(old, new, base_as_of=old.commit.committed.date(), head_as_of=as_of,
                   backdate_days=backdate_days, recorded_on=recorded_on)


def first_recorded(repo: Repo, base: str | None, head: str, path: str, unit: tally.Unit) -> Commit | None:
    """The first commit after ``base`` up to ``head`` whose version of ``path`` has the item in its present
    completed state and completed date; None when no commit has it yet."""
    span = f"{base}..{head}" if base else head
    out = repo.git("log", "--reverse", "--no-merges", f"--format={FORMAT}", span, "--", path)
    commits = [parse_commit(line) for line in out.decode("utf-8", "replace").splitlines() if line]
    for commit, raw in zip(commits, repo.blobs([f"{c.sha}:{path}" for c in commits]), strict=True):
        loaded = parse_finding(repo.display(path), raw) if raw is not None else None
        if loaded is None:
            continue
        for other in tally.units(loaded.record):
            if other.key == unit.key and other.done and other.tracking.completed_on == unit.tracking.completed_on:
                return commit
    return None


def _ref_of(entry: Any) -> ItemRef:
    return entry if isinstance(entry, ItemRef) else entry.ref


def moved_to_done(
    loaded: Loaded[Finding], unit: tally.Unit, *, recorded: dt.date, commit: str, days: int = lints.BACKDATE_DAYS
) -> list[Diagnostic]:
    """The review an item needs when it moves to a completed state: evidence, a reviewer who is not in charge,
    and a completed date not far before the change that records it."""
    out = list(lints.review_unit(loaded, unit))
    out += lints.reviewer_conflicts(loaded, unit)
    out += backdating(loaded, unit, recorded=recorded, commit=commit, days=days)
    return out


def backdating(
    loaded: Loaded[Finding], unit: tally.Unit, *, recorded: dt.date, commit: str, days: int = lints.BACKDATE_DAYS
) -> list[Diagnostic]:
    """RK248 when the item's completed date lies more than ``days`` before ``recorded``."""
    completed = unit.tracking.completed_on
    if not unit.done or completed is None:
        return []
    late = lints.backdated(completed, recorded, days=days)
    if late is None:
        return []
    place = loaded.located.value_at(lints.field_path(unit, "completed_on"))
    return [diagnostics.make(
        "RK248", loaded.path, *place, days=late, date=completed.isoformat(), commit=commit,
        recorded=recorded.isoformat(),
    )]
