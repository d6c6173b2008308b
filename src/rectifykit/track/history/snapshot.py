"""The records of a project at a revision or in the working tree, and its items by key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.i18n import _
from rectifykit.load.project import FINDINGS, INSPECTION, finding_files, outside_link, read_file
from rectifykit.load.records import Loaded, parse_bytes, printable
from rectifykit.model import items as tally
from rectifykit.model.ordering import numbered
from rectifykit.model.records import Finding, Inspection
from rectifykit.track.history.git import Commit, Repo


@dataclass
class Snapshot:
    """The records of a project at one revision (or in the working tree)."""

    rev: str | None
    """The revision as given; None for the working tree."""
    commit: Commit | None
    inspection: Loaded[Inspection] | None = None
    findings: list[Loaded[Finding]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Files that could not be read as records (they take no part in the comparison)."""

    @property
    def label(self) -> str:
        if self.commit is None:
            return _("working tree")
        return self.rev if self.rev and self.rev != self.commit.sha else self.commit.short

    def by_id(self) -> dict[str, Loaded[Finding]]:
        """Findings by id; where two files claim an id, the first by path."""
        out: dict[str, Loaded[Finding]] = {}
        for item in self.findings:
            out.setdefault(item.record.id, item)
        return out


def snapshot_from(files: Iterable[tuple[str, bytes]], *, rev: str | None, commit: Commit | None) -> Snapshot:
    """Parse record files (display path, bytes) into a snapshot."""
    snap = Snapshot(rev, commit)
    for display, raw in files:
        if display == INSPECTION.as_posix():
            inspection = parse_bytes(raw, display, Inspection)
            if isinstance(inspection, list):
                snap.problems += inspection
            else:
                snap.inspection = inspection
            continue
        finding = parse_bytes(raw, display, Finding)
        if isinstance(finding, list):
            snap.problems += finding
        else:
            snap.findings.append(finding)
    snap.findings.sort(key=lambda f: f.path)
    return snap


def read_worktree(root: Path) -> Snapshot:
    """The records as they are on disk, read as ``rectify validate`` reads them: nothing through a link out of
    the project, no FIFO or device opened (such files are among the snapshot's problems)."""
    for folder in (INSPECTION.parent, FINDINGS):
        if (refused := outside_link(root, folder)) is not None:
            snap = Snapshot(None, None)
            snap.problems.append(refused)
            return snap
    files: list[tuple[str, bytes]] = []
    problems: list[Diagnostic] = []
    candidates = [root / INSPECTION] + (finding_files(root) if (root / FINDINGS).is_dir() else [])
    for path in candidates:
        if not (path.exists() or path.is_symlink()):
            continue
        display = path.relative_to(root).as_posix()
        raw = read_file(path, display, root=root)
        if isinstance(raw, Diagnostic):
            problems.append(raw)
        else:
            files.append((display, raw))
    snap = snapshot_from(files, rev=None, commit=None)
    snap.problems += problems
    return snap


def read_revision(repo: Repo, rev: str) -> Snapshot:
    """The records at a revision, read with ``git ls-tree`` and ``git cat-file``; nothing is checked out.
    A symbolic link committed in place of a record, data/findings or data is a problem (RK026), never read."""
    commit = repo.commit(rev)
    paths, links = repo.record_paths(commit.sha)
    contents = repo.blobs(list(paths.values()))
    files = [(repo.display(p), raw) for p, raw in zip(paths, contents, strict=True) if raw is not None]
    snap = snapshot_from(files, rev=rev, commit=commit)
    snap.problems += [diagnostics.make("RK026", printable(repo.display(p)), 1, 1, rev=snap.label) for p in links]
    return snap


LINK_CODES = frozenset({"RK015", "RK020", "RK026"})
"""Problems that are a refused link: ``rectify diff`` fails on them."""


def refused_links(snap: Snapshot) -> list[Diagnostic]:
    return [d for d in snap.problems if d.code in LINK_CODES]


@dataclass(frozen=True)
class ItemRef:
    """An item (or a problem) as the reports name it."""

    item: str
    problem: str
    number: int | None
    """The problem's printed number (1.–N.) where the inspection record says it."""
    title: str


def items_of(snap: Snapshot) -> dict[str, tuple[Loaded[Finding], tally.Unit]]:
    out = {}
    for loaded in snap.by_id().values():
        for unit in tally.units(loaded.record):
            out[unit.key] = (loaded, unit)
    return out


def numbers_of(*snaps: Snapshot) -> dict[str, int]:
    for snap in snaps:
        if snap.inspection is not None:
            return {n.finding.id: n.number for n in numbered(snap.inspection.record, [f.record for f in snap.findings])}
    return {}




def item_order(key: str) -> tuple[int, ...]:
    """``id#2.1`` → (2, 1): items sort by response, then part."""
    suffix = key.partition("#")[2]
    return tuple(int(x) for x in suffix.split(".")) if suffix else ()


def parse_finding(display: str, raw: bytes) -> Loaded[Finding] | None:
    """A problem file's bytes as a record, or None when it does not read."""
    result = parse_bytes(raw, display, Finding)
    return None if isinstance(result, list) else result
