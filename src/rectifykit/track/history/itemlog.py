"""``rectify log``: the history of each item from git, and the back-dating lint."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from rectifykit import diagnostics
from rectifykit.check import lints
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.project import FINDINGS
from rectifykit.load.records import Loaded, printable
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, State
from rectifykit.track.history.changes import backdating
from rectifykit.track.history.git import FORMAT, LINK_MODE, Commit, Repo, is_finding_path, parse_commit
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
    refused: list[Diagnostic] = field(default_factory=list)
    """RK026 for each commit that put a symbolic link in place of a record file (never read)."""

    def by_item(self) -> dict[str, list[Event]]:
        """Events grouped by item, items in the notice's order."""
        groups: dict[str, list[Event]] = {}
        for event in self.events:
            groups.setdefault(event.ref.item, []).append(event)
        return dict(sorted(groups.items(), key=lambda kv: (
            kv[1][-1].ref.number or 10**9, kv[1][-1].ref.problem, item_order(kv[0]))))


@dataclass(frozen=True)
class Touched:
    """A record file a commit changed; ``old_link``/``new_link`` when that side is a symbolic link (never read)."""

    path: str
    old_link: bool
    new_link: bool


def _commits_touching(repo: Repo) -> list[tuple[Commit, list[Touched]]]:
    """Non-merge commits that changed a record file of data/findings, oldest first, with those files."""
    folder = repo.prefix + FINDINGS.as_posix()
    out = repo.git(
        "log", "--reverse", "--topo-order", "--no-merges", "--no-renames", f"--format=%x1e{FORMAT}",
        "--raw", "--no-abbrev", "--", folder + "/",
    ).decode("utf-8", "replace")
    commits = []
    for block in out.split("\x1e")[1:]:
        head, _sep, names = block.partition("\n")
        touched = []
        for line in names.splitlines():  # ":OLDMODE NEWMODE OLDSHA NEWSHA STATUS\tPATH"
            meta, tab, path = line.partition("\t")
            modes = meta.lstrip(":").split()
            if tab and len(modes) >= 2 and is_finding_path(path, folder):
                touched.append(Touched(path, modes[0] == LINK_MODE, modes[1] == LINK_MODE))
        if touched:
            commits.append((parse_commit(head), touched))
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
    for commit, touched in commits:
        for t in touched:
            # a link's blob is its target's path, not a record: "missing" stands in for it (never read)
            specs.append(f"{commit.sha}:{t.path}" if not t.new_link else "0" * 40)
            if commit.parents:
                specs.append(f"{commit.parents[0]}:{t.path}" if not t.old_link else "0" * 40)
    contents = iter(repo.blobs(specs))
    last_good: dict[str, Loaded[Finding]] = {}
    events: list[Event] = []
    flagged: list[Diagnostic] = []
    refused: list[Diagnostic] = []
    for commit, touched in commits:
        old_items: dict[str, tuple[Loaded[Finding], tally.Unit]] = {}
        new_items: dict[str, tuple[Loaded[Finding], tally.Unit]] = {}
        for t in touched:
            path = t.path
            if t.new_link:
                refused.append(diagnostics.make("RK026", printable(repo.display(path)), 1, 1, rev=commit.short))
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
    # data/ or data/findings committed as a link: `git log -- data/findings/` sees nothing behind it
    head = repo.commit("HEAD")
    refused += [diagnostics.make("RK026", printable(repo.display(p)), 1, 1, rev=head.short)
                for p in repo.record_paths(head.sha)[1] if not is_finding_path(p, repo.prefix + FINDINGS.as_posix())]
    return History(_renumber(repo, events), flagged, refused)


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
