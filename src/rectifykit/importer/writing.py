"""The records as YAML text (through rectifykit.yamlio) and their atomic writing into a project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rectifykit import fsio, yamlio
from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.importer.assemble import Assembled, Record

INSPECTION = "data/inspection.yaml"
FINDINGS = "data/findings"


class Conflict(UsageError):
    """The folder already holds records; ``files`` lists them (relative paths)."""

    def __init__(self, into: Path, files: list[str]) -> None:
        super().__init__(into, files)
        self.into, self.files = into, files

    def __str__(self) -> str:
        message = _("{into} already holds records ({files}); use --force to replace them")
        listed = ", ".join(self.files[:3]) + (" …" if len(self.files) > 3 else "")
        return message.format(into=self.into, files=listed)


@dataclass(frozen=True)
class Written:
    written: list[str]
    removed: list[str]
    """Finding files of an earlier import that --force replaced and the new import does not hold."""


def text_of(record: Record) -> str:
    return yamlio.dump(record.data, comments=record.comments, flow=record.flow, header=record.header)


def texts(assembled: Assembled) -> dict[str, str]:
    """Relative path → YAML text, the inspection first, then the findings in the notice's order."""
    return {r.path: text_of(r) for r in [assembled.inspection, *assembled.findings]}


def existing(into: Path) -> list[str]:
    """The record files already in the folder."""
    found = []
    if (into / INSPECTION).exists():
        found.append(INSPECTION)
    folder = into / FINDINGS
    if folder.is_dir():
        found += sorted(
            f"{FINDINGS}/{p.name}" for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
        )
    return found


def write(files: dict[str, str], into: Path, *, force: bool) -> Written:
    """Write every file atomically; existing records are replaced only with ``force`` (else Conflict).

    A link at ``data`` or ``data/findings`` (or at a record file) raises :class:`fsio.LinkRefused`: nothing is
    written through it."""
    for folder in (Path(FINDINGS).parent, Path(FINDINGS)):
        fsio.refuse_link(into / folder)
    before = existing(into)
    if before and not force:
        raise Conflict(into, before)
    (into / FINDINGS).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        fsio.write_atomic(into / path, text)
    stale = [path for path in before if path.startswith(FINDINGS + "/") and path not in files]
    for path in stale:
        (into / path).unlink()
    return Written(written=list(files), removed=stale)
