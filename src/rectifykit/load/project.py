"""Discover, read, parse and validate a project's records; never raises on bad input."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectifykit import diagnostics, fsio
from rectifykit.diagnostics import Diagnostic, UsageError
from rectifykit.i18n import _
from rectifykit.load import pool
from rectifykit.load.records import MAX_BYTES, Loaded, M, parse_bytes, printable
from rectifykit.model.records import Finding, Inspection
from rectifykit.yamlio import Parser

if TYPE_CHECKING:
    from rectifykit.load.cache import RecordCache

INSPECTION = Path("data/inspection.yaml")
FINDINGS = Path("data/findings")
Progress = Callable[[int, int], None]


class ProjectError(UsageError):
    """The folder is not a rectifykit project (a usage problem, exit 2)."""

    def __str__(self) -> str:
        message = _("{root}: not a rectifykit project (no data/ folder); use --root to name the project folder")
        return message.format(root=self.args[0])


@dataclass
class Project:
    """Everything loaded from a project folder, valid or not."""

    root: Path
    inspection: Loaded[Inspection] | None = None
    findings: list[Loaded[Finding]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    kept: list[Any] | None = None
    """What was kept of each valid problem file when its tree was not: the record alone
    (``check.load(keep="records")``), or what a command keeps of it (``check.Keeper``)."""
    evidence: list[str] | None = None
    """The evidence entries that name files (None: the project was not checked, see ``check.load``)."""
    noted: list[Diagnostic] = field(default_factory=list)
    """What a command's own rules found in each valid record where it was read (``check.Keeper.notes``): not
    about validity, so not among the diagnostics (``render``: problems not ready for publication, RK271)."""

    @property
    def problems(self) -> list[Any]:
        """For each valid problem file, in order, what was kept of it (``check.Keeper``), else its record."""
        return self.kept if self.kept is not None else [f.record for f in self.findings]

    @property
    def records(self) -> list[Finding]:
        """The valid problem records, in the order of their files: :attr:`problems` of a project loaded with
        the records' trees or as records (``check.load(keep="records")``)."""
        return self.problems

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == diagnostics.Severity.error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == diagnostics.Severity.warning]


def read_record(
    file: Path | str, display: str, model: type[M], *, root: Path, parser: Parser = "libyaml",
    cache: RecordCache | None = None,
) -> Loaded[M] | list[Diagnostic]:
    """One file to a validated record, or the diagnostics that say why not; with a ``cache`` (see
    :mod:`rectifykit.load.cache`), a clean file read before with these bytes is not parsed again."""
    raw = read_file(file, display, root=root)
    if isinstance(raw, Diagnostic):
        return [raw]
    if cache is not None:
        return cache.read(raw, display, model, parser=parser)
    return parse_bytes(raw, display, model, parser=parser)


def read_file(file: Path | str, display: str, *, root: Path) -> bytes | Diagnostic:
    """A record file's bytes, or the diagnostic that says why it is not read: a folder, a link to a file
    outside the project (RK015), a FIFO, socket or device (never opened: it could block), too large."""
    try:
        info = os.lstat(file)
        link = stat.S_ISLNK(info.st_mode)
        if link:
            try:
                target = Path(file).resolve()
            except (OSError, RuntimeError):  # a loop of links: RuntimeError before Python 3.13
                return diagnostics.make("RK001", display, 1, 1, reason=os.strerror(errno.ELOOP))
            if not target.is_relative_to(root.resolve()):
                return diagnostics.make("RK015", display, 1, 1, target=printable(str(target)))
            info = os.stat(file)
        if stat.S_ISDIR(info.st_mode):
            return diagnostics.make("RK014", display, 1, 1)
        if not stat.S_ISREG(info.st_mode):
            return diagnostics.make("RK001", display, 1, 1, reason=_("not a regular file"))
        if info.st_size > MAX_BYTES:
            return diagnostics.make("RK011", display, 1, 1, size=info.st_size, limit=MAX_BYTES)
        # not following a link that was not one a moment ago: nothing swapped in is read
        return fsio.read_regular(file, follow=link, checked=True)
    except OSError as exc:
        return diagnostics.make("RK001", display, 1, 1, reason=exc.strerror or str(exc))


RECORD_SUFFIXES = (".yaml", ".yml")
FILE_SET_CODES = frozenset({"RK021", "RK023", "RK024"})
"""Warnings about which files were read, which status and render print too."""


def ignored(name: str) -> bool:
    """The ignore rule of data/findings: hidden names (``.gitkeep``, ``.DS_Store``, editor swap files,
    ``.draft.yaml``) and README files are left out without a word; anything else that is not a record
    is named (RK023, RK024)."""
    return name.startswith(".") or name.split(".", 1)[0].upper() == "README"


def scan_findings(root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The record files of data/findings sorted by name, and a warning for each other entry that the
    ignore rule does not name (a file with another ending, a backup, a folder)."""
    names, strays = _scan(root)
    folder = root / FINDINGS
    return [folder / name for name in names], strays


def _scan(root: Path) -> tuple[list[str], list[Diagnostic]]:
    """:func:`scan_findings` with the files' names (sorted) for paths."""
    names, strays = [], []
    with os.scandir(root / FINDINGS) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(RECORD_SUFFIXES) and not name.startswith("."):
                names.append(name)
            elif not ignored(name):
                display = printable(f"{FINDINGS.as_posix()}/{name}")
                code = "RK024" if entry.is_dir() else "RK023"
                strays.append(diagnostics.make(code, display, 1, 1))
    names.sort()
    return names, strays


def finding_files(root: Path) -> list[Path]:
    """The record files of data/findings, sorted by name."""
    return scan_findings(root)[0]


def outside_link(root: Path, folder: Path) -> Diagnostic | None:
    """RK020 when ``root/folder`` (data, data/findings, templates) resolves to a place outside the project."""
    try:
        target = (root / folder).resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return diagnostics.make("RK001", folder.as_posix(), 1, 1, reason=os.strerror(errno.ELOOP))
    if inside:
        return None
    return diagnostics.make("RK020", folder.as_posix(), 1, 1, target=printable(str(target)))


def _scan_or_problem(root: Path) -> tuple[list[str], list[Diagnostic]]:
    try:
        return _scan(root)
    except OSError as exc:
        return [], [diagnostics.make("RK001", FINDINGS.as_posix(), 1, 1, reason=exc.strerror or str(exc))]


def load_project(
    root: Path, *, parser: Parser = "libyaml", progress: Progress | None = None, cache: bool = False
) -> Project:
    """Read a whole project folder: every file, each record's fields; no rule across records
    (:func:`rectifykit.check.project` runs those).

    ``progress(done, total)`` is called as the finding files are read (for a progress bar).
    ``cache``: keep what clean files read to in the user's cache folder, and read it back for
    unchanged files (:mod:`rectifykit.load.cache`); the result is the same either way.
    """
    if not (root / "data").is_dir():
        raise ProjectError(str(root))
    store = None
    if cache:
        from rectifykit.load.cache import RecordCache

        store = RecordCache(root, parser=parser)
    with collector_paused():
        project = _load_project(root, parser=parser, progress=progress, cache=store)
    if store is not None:
        store.save()
    return project


# --- reading many files: in worker processes for a large set (see load.pool) ------------------


def _read_chunk(jobs: Jobs, root: Path, parser: Parser) -> list[Loaded[Finding] | list[Diagnostic]]:
    """A worker's task (a module-level function, so that it can be sent to a process)."""
    return [read_record(file, display, Finding, root=root, parser=parser) for file, display in jobs]


def _read_findings(
    jobs: Jobs, *, root: Path, parser: Parser, cache: RecordCache | None = None
) -> Iterator[Loaded[Finding] | list[Diagnostic]]:
    """Each file's record or diagnostics, in the order of ``jobs``; in workers for a large set when
    ``RECTIFY_WORKERS`` asks for them (records are large to send back: see :func:`pool.workers`)."""
    if cache is None and pool.wanted() > 1 and (n := pool.workers(len(jobs))) > 1:
        results = pool.run(_read_chunk, pool.chunks(jobs), n, args=(root, parser))
        if results is not None:
            for chunk in results:
                yield from chunk
            return
    for file, display in jobs:
        yield read_record(file, display, Finding, root=root, parser=parser, cache=cache)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes millions of small objects and no garbage cycles; Python's cyclic collector
    would walk all of them again and again (~30% of a large validation). Paused meanwhile.
    (Not ``gc.freeze``: in a long-lived process, such as a test run, frozen objects that later
    form garbage cycles would never be freed.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Jobs = list[tuple[str, str]]
"""Finding files still to read: (the file's path, as diagnostics name it). Text, not :class:`Path`: 10,000 Paths
take ~35 ms to make and ~50 ms to unpickle in the worker processes."""


def start(root: Path, *, parser: Parser = "libyaml", cache: RecordCache | None = None) -> tuple[Project, Jobs]:
    """A project with its inspection record read and the diagnostics about which files are there, and the
    finding files still to read (none when a folder leads out of the project: nothing is read from outside)."""
    project = Project(root=root)
    for folder in (INSPECTION.parent, FINDINGS):
        if (refused := outside_link(root, folder)) is not None:  # nothing is read from outside the project
            project.diagnostics.append(refused)
            return project, []
    inspection_file = root / INSPECTION
    if inspection_file.exists() or inspection_file.is_symlink():
        project.files += 1
        inspection = read_record(inspection_file, INSPECTION.as_posix(), Inspection, root=root, parser=parser,
                                 cache=cache)
        if isinstance(inspection, Loaded):
            project.inspection = inspection
        else:
            project.diagnostics += inspection
    else:
        project.diagnostics.append(diagnostics.make("RK016", INSPECTION.as_posix(), 1, 1))
    if not (root / FINDINGS).is_dir():
        project.diagnostics.append(diagnostics.make("RK017", FINDINGS.as_posix(), 1, 1))
        return project, []
    names, strays = _scan_or_problem(root)
    project.diagnostics += strays
    if not names:
        project.diagnostics.append(diagnostics.make("RK021", FINDINGS.as_posix(), 1, 1))
    base, where = os.fspath(root / FINDINGS), FINDINGS.as_posix()
    return project, [(f"{base}/{name}", printable(f"{where}/{name}")) for name in names]  # all in one folder


def _load_project(root: Path, *, parser: Parser, progress: Progress | None, cache: RecordCache | None) -> Project:
    project, jobs = start(root, parser=parser, cache=cache)
    for done, result in enumerate(_read_findings(jobs, root=root, parser=parser, cache=cache), 1):
        project.files += 1
        if isinstance(result, Loaded):
            project.findings.append(result)
        else:
            project.diagnostics += result
        if progress is not None:
            progress(done, len(jobs))
    project.diagnostics.sort()
    return project
