"""The records a running server shows: loaded once, then only the files whose size or time changed are read again.

A request asks :meth:`Workspace.current`; a scan of ``data/`` (one ``lstat`` per file) tells whether anything
changed since the last answer. Changed files are parsed again, the others are kept; the rules over all
records (:func:`rectifykit.check.records`) and the status report are then computed once for every request
that follows.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rectifykit import check
from rectifykit.diagnostics import Diagnostic, Severity
from rectifykit.load.project import (
    FINDINGS,
    INSPECTION,
    Loaded,
    Project,
    ProjectError,
    outside_link,
    printable,
    read_record,
    scan_findings,
)
from rectifykit.model.records import Finding, Inspection
from rectifykit.track import status

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


class Workspace:
    """One project folder served: the current :class:`View`, read again where the files changed."""

    def __init__(self, root: Path, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        if not (root / "data").is_dir():
            raise ProjectError(str(root))
        self.root = root
        self.today = today
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[Signature | None, Loaded[Finding] | list[Diagnostic]]] = {}
        self._inspection: tuple[Signature | None, Loaded[Inspection] | list[Diagnostic]] | None = None
        self._key: tuple[object, ...] | None = None
        self._view: View | None = None

    def current(self) -> View:
        """The view of the files as they are now (computed again only when a file changed)."""
        with self._lock:
            key, findings_files, strays = self._scan()
            if self._view is None or key != self._key:
                self._view = self._build(findings_files, strays)
                self._key = key
            return self._view

    def _scan(self) -> tuple[tuple[object, ...], list[Path], list[Diagnostic]]:
        refused = [d for d in (outside_link(self.root, f) for f in (INSPECTION.parent, FINDINGS)) if d is not None]
        if refused:
            return (("refused",),), [], refused
        try:
            files, strays = scan_findings(self.root) if (self.root / FINDINGS).is_dir() else ([], [])
        except OSError:
            files, strays = [], []
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

    def _read(self, path: Path) -> Loaded[Finding] | list[Diagnostic]:
        sig = _signature(path)
        known = self._files.get(path)
        if known is None or known[0] != sig:
            display = printable(os.path.relpath(path, self.root).replace(os.sep, "/"))
            known = (sig, read_record(path, display, Finding, root=self.root))
            self._files[path] = known
        return known[1]

    def _build(self, files: list[Path], strays: list[Diagnostic]) -> View:
        project = Project(root=self.root, diagnostics=list(strays))
        inspection = self._read_inspection()
        if isinstance(inspection, Loaded):
            project.inspection = inspection
        else:
            project.diagnostics += inspection
        wanted = set(files)
        for gone in [p for p in self._files if p not in wanted]:
            del self._files[gone]
        for path in files:
            result = self._read(path)
            if isinstance(result, Loaded):
                project.findings.append(result)
            else:
                project.diagnostics += result
        project.files = len(files) + (project.inspection is not None)
        check.project(project, today=self.today())
        report = None
        if project.inspection is not None:
            report = status.build(project.inspection.record, [f.record for f in project.findings],
                                  as_of=self.today())
        view = View(project, report, {f.record.id: f for f in project.findings})
        for item in report.items if report else []:
            view.items.setdefault(item.unit.finding.id, []).append(item)
        for d in project.diagnostics:
            view.by_file.setdefault(d.path, []).append(d)
        return view
