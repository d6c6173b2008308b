"""Discover, read, parse and validate a project's records; never raises on bad input."""

from __future__ import annotations

import datetime as dt
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from rectifykit import diagnostics, locate, rules
from rectifykit.diagnostics import Diagnostic
from rectifykit.model import Finding, Inspection
from rectifykit.yamlio import CONTROL, Located, Parser, YamlProblem, compose

MAX_BYTES = 8 * 1024 * 1024
INSPECTION = Path("data/inspection.yaml")
FINDINGS = Path("data/findings")
M = TypeVar("M", bound=BaseModel)


class ProjectError(Exception):
    """The folder is not a rectifykit project (a usage problem, exit 2)."""


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A valid record with the file it came from and where its values stand."""

    path: str
    record: M
    located: Located


@dataclass
class Project:
    """Everything loaded from a project folder, valid or not."""

    root: Path
    inspection: Loaded[Inspection] | None = None
    findings: list[Loaded[Finding]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == diagnostics.Severity.error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == diagnostics.Severity.warning]


def decode(raw: bytes, path: str) -> str | Diagnostic:
    """Bytes to text: UTF-8 (a BOM is dropped), else a diagnostic naming the encoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        return diagnostics.make("RK002", path, 1, 1, encoding="UTF-16")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        if b"\x00" not in raw:
            try:
                raw.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                return diagnostics.make("RK002", path, line, column, encoding="GB18030")
        return diagnostics.make("RK003", path, line, column, offset=exc.start)
    if control := CONTROL.search(text):
        offset = len(text[: control.start()].encode("utf-8"))
        return diagnostics.make("RK003", path, *_position(raw, offset), offset=offset)
    return text


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    last = before.rsplit(b"\n", 1)[-1]
    return line, len(last.decode("utf-8", errors="replace")) + 1


def read_record(
    file: Path, display: str, model: type[M], *, root: Path, parser: Parser = "libyaml"
) -> Loaded[M] | list[Diagnostic]:
    """One file to a validated record, or the diagnostics that say why not."""
    if file.is_dir():
        return [diagnostics.make("RK014", display, 1, 1)]
    if file.is_symlink():
        try:
            target = file.resolve()
        except (OSError, RuntimeError):  # a loop of links: RuntimeError before Python 3.13
            return [diagnostics.make("RK001", display, 1, 1, reason=os.strerror(errno.ELOOP))]
        if not target.is_relative_to(root.resolve()):
            return [diagnostics.make("RK015", display, 1, 1, target=str(target))]
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return [diagnostics.make("RK011", display, 1, 1, size=size, limit=MAX_BYTES)]
        raw = file.read_bytes()
    except OSError as exc:
        return [diagnostics.make("RK001", display, 1, 1, reason=exc.strerror or str(exc))]
    text = decode(raw, display)
    if isinstance(text, Diagnostic):
        return [text]
    if not text.strip():
        return [diagnostics.make("RK004", display, 1, 1)]
    located = compose(text, parser)
    if isinstance(located, YamlProblem):
        return [diagnostics.make(located.code, display, located.line, located.column, **located.args)]
    if not isinstance(located.data, dict):
        found = locate.type_name(located.data)
        return [diagnostics.make("RK012", display, 1, 1, found=found)]
    try:
        record = model.model_validate(located.data)
    except ValidationError as exc:
        return locate.diagnose(exc, located, model, display)
    return Loaded(display, record, located)


def finding_files(root: Path) -> list[Path]:
    """The record files of data/findings, sorted by name."""
    folder = root / FINDINGS
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_project(root: Path, *, today: dt.date, parser: Parser = "libyaml") -> Project:
    """Load and check a whole project folder: files, fields, then rules across records."""
    if not (root / "data").is_dir():
        raise ProjectError(str(root))
    project = Project(root=root)
    inspection_file = root / INSPECTION
    if inspection_file.exists() or inspection_file.is_symlink():
        project.files += 1
        result = read_record(inspection_file, INSPECTION.as_posix(), Inspection, root=root, parser=parser)
        if isinstance(result, Loaded):
            project.inspection = result
        else:
            project.diagnostics += result
    else:
        project.diagnostics.append(diagnostics.make("RK016", INSPECTION.as_posix(), 1, 1))
    if not (root / FINDINGS).is_dir():
        project.diagnostics.append(diagnostics.make("RK017", FINDINGS.as_posix(), 1, 1))
    else:
        for file in finding_files(root):
            project.files += 1
            display = os.path.relpath(file, root).replace(os.sep, "/")
            result = read_record(file, display, Finding, root=root, parser=parser)
            if isinstance(result, Loaded):
                project.findings.append(result)
            else:
                project.diagnostics += result
    project.diagnostics += rules.check(project.inspection, project.findings, today=today)
    project.diagnostics.sort()
    return project
