"""The records a running server shows: loaded once, then only the files whose size or time changed are read again.

A request asks :meth:`Workspace.current`; a scan of ``data/`` (one ``lstat`` per file) tells whether anything
changed since the last answer. Changed files are parsed again and their own rules run again, the others are
kept; the rules across records and the status report are then computed once for every request that follows,
from what is kept per file (each file's items with their bands, its measure texts in :class:`Copies`).
The rules are those of :func:`rectifykit.check.records`, split into what one file decides (:func:`own`,
cached per file) and what needs them all (:func:`across`); a test keeps the two equal to ``check.records``.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rectifykit import check
from rectifykit.check import facts, files, lints
from rectifykit.diagnostics import Diagnostic, Severity
from rectifykit.load.project import (
    FINDINGS,
    INSPECTION,
    Project,
    ProjectError,
    outside_link,
    read_record,
    scan_findings,
)
from rectifykit.load.records import Loaded, printable
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection
from rectifykit.track import status
from rectifykit.yamlio import Path_

DRAFT_CODES = frozenset({"RK246"})
"""Warnings that mean a record is not finished: its notice is shown as a draft (草稿)."""
Signature = tuple[int, int, int]
"""A file's (inode, size, modification time in ns): any change means it is read again."""


def _signature(path: Path) -> Signature | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class View:
    """One consistent state of a project: its records, diagnostics, status report and look-ups."""

    project: Project
    report: status.Report | None
    findings: dict[str, Loaded[Finding]] = field(default_factory=dict)
    """Problem id → its record (valid records only)."""
    items: dict[str, list[status.Item]] = field(default_factory=dict)
    """Problem id → its items with their bands (empty without a valid inspection record)."""
    by_file: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """Record file (as displayed) → its diagnostics."""

    @property
    def incomplete(self) -> bool:
        """Errors, or placeholder text (待补充) still in a record: the notice is a draft."""
        return any(d.severity == Severity.error or d.code in DRAFT_CODES for d in self.project.diagnostics)


def own(item: Loaded[Finding], inspection: Inspection | None, *, root: Path, today: dt.date) -> list[Diagnostic]:
    """The rules of :func:`rectifykit.check.records` that one problem file decides alone."""
    return files.own(item, files.Context.of(root, today=today, strict=False, parser="libyaml", inspection=inspection))


def across(
    inspection: Loaded[Inspection] | None, findings: list[Loaded[Finding]], *, root: Path,
    copied: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """The rules of :func:`rectifykit.check.records` over several records (and the inspection record's own);
    ``copied``: the copied-measures rule's findings when the caller keeps them (:class:`Copies`)."""
    known = {c.key for c in inspection.record.categories} if inspection is not None else None
    found = [files.facts(item, known) for item in findings]
    return check.across(inspection, found, facts.Places(root), copied=copied)


class Copies:
    """The copied-measures rule (RK245, :func:`rectifykit.check.lints.copied_measures`) kept file by file: which
    files hold each measure text, and which texts are in more than one item. Changing a file updates only its
    texts; the diagnostics are then made for the shared texts alone, as the rule makes them."""

    def __init__(self) -> None:
        self.where: dict[str, dict[Path, tuple[Loaded[Finding], list[tuple[int, Path_]]]]] = {}
        self.shared: set[str] = set()
        self.of: dict[Path, tuple[object, list[str]]] = {}
        """A file's texts, with what they were read for (the file's signature)."""

    def update(self, path: Path, version: object, item: Loaded[Finding] | None) -> None:
        """The file at ``path`` now holds ``item`` (None: no valid record); nothing done when ``version`` is the
        one seen last."""
        known = self.of.get(path)
        if known is not None and known[0] == version and item is not None:
            return
        for key in known[1] if known is not None else []:
            holders = self.where[key]
            holders.pop(path, None)
            if not holders:
                del self.where[key]
            self._classify(key)
        self.of.pop(path, None)
        if item is None:
            return
        mine: dict[str, list[tuple[int, Path_]]] = {}
        for key, r, where, _text in lints.measure_keys(item.record):
            mine.setdefault(key, []).append((r, where))
        for key, found in mine.items():
            self.where.setdefault(key, {})[path] = (item, found)
            self._classify(key)
        self.of[path] = (version, list(mine))

    def _classify(self, key: str) -> None:
        holders = self.where.get(key, {})
        if len(holders) > 1 or any(len({r for r, _w in found}) > 1 for _item, found in holders.values()):
            self.shared.add(key)
        else:
            self.shared.discard(key)

    def diagnostics(self) -> list[Diagnostic]:
        from rectifykit import diagnostics

        out = []
        for key in self.shared:
            first: tuple[Loaded[Finding], int, Path_] | None = None
            for item, found in sorted(self.where[key].values(), key=lambda h: h[0].path):
                for r, where in found:
                    if first is None:
                        first = (item, r, where)
                        continue
                    if (first[0].record.id, first[1]) == (item.record.id, r):
                        continue
                    line, _column = first[0].located.value_at(first[2])
                    other = f"{first[0].record.id}#{first[1] + 1} ({first[0].path}:{line})"
                    out.append(diagnostics.make("RK245", item.path, *item.located.value_at(where), other=other))
        return out


class Workspace:
    """One project folder served: the current :class:`View`, read again where the files changed."""

    def __init__(self, root: Path, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        if not (root / "data").is_dir():
            raise ProjectError(str(root))
        self.root = root
        self.today = today
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[Signature | None, Loaded[Finding] | list[Diagnostic]]] = {}
        self._units: dict[Path, tuple[tuple[Signature | None, dt.date], list[status.Banded]]] = {}
        """A file's items with their bands, with what they were computed for (its signature, today)."""
        self._copies = Copies()
        self._own: dict[Path, tuple[object, list[Diagnostic]]] = {}
        """A file's own rule diagnostics, with what they were computed for (its signature, the inspection, today)."""
        self._inspection: tuple[Signature | None, Loaded[Inspection] | list[Diagnostic]] | None = None
        self._key: tuple[object, ...] | None = None
        self._paths: dict[str, Path] = {}
        self._view: View | None = None

    def current(self) -> View:
        """The view of the files as they are now (computed again only when a file changed)."""
        with self._lock:
            key, findings_files, strays = self._scan()
            if self._view is None or key != self._key:
                sigs = dict(key[1]) if len(key) == 3 and isinstance(key[1], tuple) else {}
                self._view = self._build(findings_files, strays, sigs)
                self._key = key
                # What was loaded stays for many requests: later collections need not walk it again (a
                # full collection over a 10,000-problem project takes a second). Without cycles, the
                # objects of a view replaced later are still freed when their last reference goes.
                gc.freeze()
            return self._view

    def latest(self) -> View:
        """The last view made, without looking for changes (to find which file holds a problem before a save,
        which reads that file itself); the current one when none was made yet."""
        return self._view if self._view is not None else self.current()

    def _scan(self) -> tuple[tuple[object, ...], list[Path], list[Diagnostic]]:
        """What tells a change (each file's signature, and today), the record files, the file-set diagnostics
        (as :func:`rectifykit.load.project.load_project` makes them)."""
        from rectifykit import diagnostics

        for folder in (INSPECTION.parent, FINDINGS):
            if (refused := outside_link(self.root, folder)) is not None:  # nothing is read from outside
                return ("refused", self.today()), [], [refused]
        if not (self.root / FINDINGS).is_dir():
            files: list[Path] = []
            strays = [diagnostics.make("RK017", FINDINGS.as_posix(), 1, 1)]
        else:
            try:
                files, strays = scan_findings(self.root)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                files, strays = [], [diagnostics.make("RK001", FINDINGS.as_posix(), 1, 1, reason=reason)]
            if not files:
                strays.append(diagnostics.make("RK021", FINDINGS.as_posix(), 1, 1))
        # The same Path object for a file at every scan: the caches keyed by it then match by identity.
        files = [self._paths.setdefault(p.name, p) for p in files]
        sigs = tuple((p.name, _signature(p)) for p in files)
        return (_signature(self.root / INSPECTION), sigs, self.today()), files, strays

    def _read_inspection(self) -> Loaded[Inspection] | list[Diagnostic]:
        path = self.root / INSPECTION
        sig = _signature(path)
        if self._inspection is None or self._inspection[0] != sig:
            result: Loaded[Inspection] | list[Diagnostic]
            if sig is None:
                from rectifykit import diagnostics

                result = [diagnostics.make("RK016", INSPECTION.as_posix(), 1, 1)]
            else:
                result = read_record(path, INSPECTION.as_posix(), Inspection, root=self.root)
            self._inspection = (sig, result)
        return self._inspection[1]

    def _read(self, path: Path, sig: Signature | None) -> Loaded[Finding] | list[Diagnostic]:
        known = self._files.get(path)
        if known is None or known[0] != sig:
            display = printable(os.path.relpath(path, self.root).replace(os.sep, "/"))
            known = (sig, read_record(path, display, Finding, root=self.root))
            self._files[path] = known
        return known[1]

    def _bands_of(self, path: Path, item: Loaded[Finding], today: dt.date) -> list[status.Banded]:
        """A problem's items with their bands on ``today``, kept while its file is unchanged (and the day)."""
        key = (self._files[path][0], today)
        known = self._units.get(path)
        if known is None or known[0] != key:
            known = self._units[path] = (key, status.banded(tally.tracked(item.record), today))
        return known[1]

    def _build(self, files: list[Path], strays: list[Diagnostic], sigs: dict[str, Signature | None]) -> View:
        project = Project(root=self.root, diagnostics=list(strays))
        if strays and strays[0].code == "RK020":
            return View(project, None)
        inspection = self._read_inspection()
        if isinstance(inspection, Loaded):
            project.inspection = inspection
        else:
            project.diagnostics += inspection
        wanted = set(files)
        for gone in [p for p in self._files if p not in wanted]:
            del self._files[gone]
            self._own.pop(gone, None)
            self._units.pop(gone, None)
            self._copies.update(gone, None, None)
        today = self.today()
        record = project.inspection.record if project.inspection is not None else None
        found: list[Path] = []
        for path in files:
            result = self._read(path, sigs[path.name] if path.name in sigs else _signature(path))
            if isinstance(result, Loaded):
                project.findings.append(result)
                found.append(path)
                key = (self._files[path][0], self._inspection[0] if self._inspection else None, today)
                cached = self._own.get(path)
                if cached is None or cached[0] != key:
                    cached = self._own[path] = (key, own(result, record, root=self.root, today=today))
                project.diagnostics += cached[1]
                self._copies.update(path, self._files[path][0], result)
            else:
                project.diagnostics += result
                self._copies.update(path, None, None)
        project.files = len(files) + (project.inspection is not None)
        copied = self._copies.diagnostics()
        project.diagnostics = sorted([*project.diagnostics, *across(project.inspection, project.findings,
                                                                    root=self.root, copied=copied)])
        report = None
        if project.inspection is not None:
            bands = {id(f.record): self._bands_of(path, f, today) for path, f in zip(found, project.findings,
                                                                                      strict=True)}
            report = status.build(project.inspection.record, [f.record for f in project.findings],
                                  as_of=today, bands=lambda f: bands[id(f)])
        view = View(project, report, {f.record.id: f for f in project.findings})
        for item in report.items if report else []:
            view.items.setdefault(item.unit.finding.id, []).append(item)
        for d in project.diagnostics:
            view.by_file.setdefault(d.path, []).append(d)
        return view
