"""``rectify log``: the history of each item from git, and the back-dating lint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from rectifykit.check import lints
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.project import FINDINGS, Loaded
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, State
from rectifykit.track.history.changes import backdating
from rectifykit.track.history.git import FORMAT, Commit, Repo, is_finding_path, parse_commit
from rectifykit.track.history.snapshot import ItemRef, item_order, numbers_of, parse_finding, read_worktree


@dataclass(frozen=True)
class Event:
    """One change of an item, as a commit made it."""

    ref: ItemRef
    kind: str
    """``recorded`` (the item appears), ``status``, ``deadline`` or ``removed``."""
    commit: Commit
    old_state: State | None = None
    new_state: State | None = None
    old_label: str | None = None
    new_label: str | None = None
    old_deadline: dt.date | None = None
    new_deadline: dt.date | None = None
    completed_on: dt.date | None = None


@dataclass
class History:
    events: list[Event]
    """Chronological (parents before children)."""
    backdated: list[Diagnostic]
    """RK248 for completions recorded long after their completed date."""

    def by_item(self) -> dict[str, list[Event]]:
        """Events grouped by item, items in the notice's order."""
        groups: dict[str, list[Event]] = {}
        for event in self.events:
            groups.setdefault(event.ref.item, []).append(event)
        return dict(sorted(groups.items(), key=lambda kv: (
            kv[1][-1].ref.number or 10**9, kv[1][-1].ref.problem, item_order(kv[0]))))


def _commits_touching(repo: Repo) -> list[tuple[Commit, list[str]]]:
    """Non-merge commits that changed a record file of data/findings, oldest first, with those files."""
    folder = repo.prefix + FINDINGS.as_posix()
    out = repo.git(
        "log", "--reverse", "--topo-order", "--no-merges", "--no-renames", f"--format=%x1e{FORMAT}",
        "--name-only", "--", folder + "/",
    ).decode("utf-8", "replace")
    commits = []
    for block in out.split("\x1e")[1:]:
        head, _sep, names = block.partition("\n")
        paths = [p for p in names.splitlines() if p and is_finding_path(p, folder)]
        if paths:
            commits.append((parse_commit(head), paths))
    return commits


def item_log(
    repo: Repo, *, only: str | None = None, backdate_days: int = lints.BACKDATE_DAYS
) -> History:
    """The history of each item: when its status or deadline changed, in which commit, by whom.

    ``only`` keeps one problem (its id) or one item (``id#2``, with its parts). A completion whose
    completed date lies more than ``backdate_days`` before the commit that first recorded it is
    reported as RK248, placed in the file as that commit wrote it.
    """
    commits = _commits_touching(repo)
    specs: list[str] = []
    for commit, paths in commits:
        for path in paths:
            specs.append(f"{commit.sha}:{path}")
            if commit.parents:
                specs.append(f"{commit.parents[0]}:{path}")
    contents = iter(repo.blobs(specs))
    last_good: dict[str, Loaded[Finding]] = {}
    events: list[Event] = []
    flagged: list[Diagnostic] = []
    for commit, paths in commits:
        old_items: dict[str, tuple[Loaded[Finding], tally.Unit]] = {}
        new_items: dict[str, tuple[Loaded[Finding], tally.Unit]] = {}
        for path in paths:
            new_raw = next(contents)
            old_raw = next(contents) if commit.parents else None
            old = parse_finding(repo.display(path), old_raw) if old_raw is not None else None
            old = old or last_good.get(path)
            if old is not None:
                old_items.update((u.key, (old, u)) for u in tally.units(old.record))
            if new_raw is None:
                last_good.pop(path, None)
                continue
            new = parse_finding(repo.display(path), new_raw)
            if new is None:  # broken in this commit: no events until it reads again
                new_items.update({k: v for k, v in old_items.items() if v[0] is old})
                continue
            last_good[path] = new
            new_items.update((u.key, (new, u)) for u in tally.units(new.record))
        for key, (loaded, unit) in new_items.items():
            ref = ItemRef(key, loaded.record.id, None, loaded.record.title)
            before = old_items.get(key)
            if before is None:
                events.append(Event(ref, "recorded", commit, new_state=unit.state, new_label=unit.label,
                                    new_deadline=unit.tracking.deadline, completed_on=unit.tracking.completed_on))
            else:
                was = before[1]
                if (was.state, was.label) != (unit.state, unit.label):
                    events.append(Event(ref, "status", commit, was.state, unit.state, was.label, unit.label,
                                        completed_on=unit.tracking.completed_on))
                if was.tracking.deadline != unit.tracking.deadline:
                    events.append(Event(ref, "deadline", commit, old_deadline=was.tracking.deadline,
                                        new_deadline=unit.tracking.deadline))
            newly_done = unit.done and (before is None or not before[1].done
                                        or before[1].tracking.completed_on != unit.tracking.completed_on)
            if newly_done and _wanted(key, loaded.record.id, only):
                flagged += backdating(loaded, unit, recorded=commit.authored.date(), commit=commit.short,
                                      days=backdate_days)
        for key, (loaded, unit) in old_items.items():
            if key not in new_items:
                ref = ItemRef(key, loaded.record.id, None, loaded.record.title)
                events.append(Event(ref, "removed", commit, old_state=unit.state, old_label=unit.label))
    events = [e for e in events if _wanted(e.ref.item, e.ref.problem, only)]
    return History(_renumber(repo, events), flagged)


def _renumber(repo: Repo, events: list[Event]) -> list[Event]:
    """Give each event the problem number of the working tree's records (the number a reader knows)."""
    snap = read_worktree(repo.root)
    numbers = numbers_of(snap)
    if not numbers:
        return events
    return [replace(e, ref=replace(e.ref, number=numbers.get(e.ref.problem))) for e in events]


def _wanted(item: str, problem: str, only: str | None) -> bool:
    if only is None:
        return True
    if "#" in only:
        return item == only or item.startswith(only + ".")
    return problem == only
