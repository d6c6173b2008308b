"""What ``rectify set``, ``fmt`` and ``new`` do with a project's files: find the record, read it, edit its
text (:mod:`.record`, :mod:`.format`, :mod:`.new`) and write once at the end (:mod:`.write`).

The CLI parses its options, calls one function here and prints what it returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectifykit import yamlio
from rectifykit.diagnostics import Diagnostic
from rectifykit.edit.core import Context, Edit, EditError
from rectifykit.edit.format import format_text
from rectifykit.edit.new import new_finding, next_order
from rectifykit.edit.record import update_item, with_completion_date
from rectifykit.edit.write import Exists, create, locked, read_text, record_files, write
from rectifykit.i18n import _
from rectifykit.load.project import FINDINGS, INSPECTION, Project, finding_files, outside_link, read_file
from rectifykit.load.records import decode


def context_of(project: Project) -> Context:
    """What an edited record of ``project`` is checked with: the project's other records."""
    return Context(project.inspection, project.findings, project.root)


def _id_of(project: Project, path: Path, display: str) -> Any:
    """The ``id`` a finding file's YAML names (valid record or not), or None when it does not parse."""
    raw = read_file(path, display, root=project.root)
    text = decode(raw, display) if isinstance(raw, bytes) else raw
    if isinstance(text, Diagnostic):
        return None
    located = yamlio.compose(text)
    return located.data.get("id") if isinstance(located, yamlio.Located) and isinstance(located.data, dict) else None


def confined(root: Path) -> None:
    """EditError (exit 1) when data/ or data/findings/ is a link out of the project: nothing is edited or created
    there (the records it would touch are not the project's)."""
    for folder in (INSPECTION.parent, FINDINGS):
        if (refused := outside_link(root, folder)) is not None:
            raise EditError(refused.message, [refused])


def find_record(project: Project, problem_id: str) -> str:
    """The file (relative to the project) that holds problem ``problem_id``, whether it validates or not.

    EditError when no file does (exit 2), when several do (exit 2), or when the only file named for it
    is not YAML at all (exit 1, with its diagnostics: it cannot be edited safely).
    """
    confined(project.root)
    found = [f.path for f in project.findings if f.record.id == problem_id]
    loaded = {f.path for f in project.findings}
    broken = []
    for path in [] if found else finding_files(project.root):
        display = path.relative_to(project.root).as_posix()
        if display in loaded:
            continue
        pid = _id_of(project, path, display)
        if pid == problem_id:
            found.append(display)
        elif pid is None and path.stem == problem_id:
            broken.append(display)
    if len(found) > 1:
        raise EditError(_("problem {id!r} is in several files").format(id=problem_id))
    if found:
        return found[0]
    if broken:
        own = [d for d in project.errors if d.path == broken[0]]
        raise EditError(_("{file} is not a valid record; fix it first (rectify validate)").format(file=broken[0]), own)
    raise EditError(_("no problem {id!r} in {root}; check the id with rectify validate").format(
        id=problem_id, root=project.root))


@dataclass(frozen=True)
class Outcome:
    """An edit and whether it was written."""

    edit: Edit
    written: bool


def set_item(project: Project, item_key: str, changes: Mapping[str, Any], *, today: dt.date,
             dry_run: bool = False) -> Outcome:
    """``rectify set``: the item's file found, read, edited and written, under the record's lock from reading
    to writing (concurrent edits take turns, none is lost). Completing an item records ``today`` as its
    completion date unless one is given or there. Not written with ``dry_run``, nor when the edit would make
    a valid record invalid (``Edit.refused``); a record that does not validate yet is edited and written.
    """
    display = find_record(project, item_key.partition("#")[0])
    path = project.root / display
    with contextlib.nullcontext() if dry_run else locked(path, display):
        text = read_text(path, display)
        fields = with_completion_date(text, item_key, changes, today=today, display=display)
        result = update_item(text, item_key, fields, display=display, today=today, context=context_of(project))
        written = not dry_run and not result.refused and bool(write({path: result}))
    return Outcome(result, written)


def format_targets(root: Path, files: Sequence[Path] | None) -> list[Path]:
    """The files ``rectify fmt`` formats: those named (folders expanded), else the project's records.

    EditError (exit 1) when data/ or data/findings is a link out of the project.
    """
    if files:
        return list(record_files(files))
    confined(root)
    targets = [p for p in [root / INSPECTION] if p.exists() or p.is_symlink()]
    return targets + (finding_files(root) if (root / FINDINGS).is_dir() else [])


def reformat(path: Path, *, display: str, dry_run: bool = False) -> Edit:
    """``rectify fmt`` of one file: formatted and, unless ``dry_run``, written (read again, formatted and
    written under the lock). A file that needs no change is never locked (a read-only checkout stays fine)."""
    result = format_text(read_text(path, display), display=display)
    if not dry_run and result.changed:
        with locked(path, display):
            result = format_text(read_text(path, display), display=display)
            write({path: result})
    return result


NEW_TRIES = 50
"""Numbers ``new`` tries past the next free one when other commands create problems of the category at once."""


def new_problem(project: Project, *, category: str, title: str, problem_id: str | None = None,
                description: str | None = None, tracking: Mapping[str, Any] | None = None,
                today: dt.date | None = None) -> Path:
    """``rectify new``: the next problem of ``category`` written to data/findings/ID.yaml; its path.

    EditError when the file is there already (exit 2) or a value is wrong.
    """
    confined(project.root)
    first = next_order(project.findings, category)
    for order in range(first, first + NEW_TRIES):
        name = problem_id or f"{category}-{order}"
        path = project.root / FINDINGS / f"{name}.yaml"
        if path.exists() or path.is_symlink():  # a dangling link too: it is never written through
            if problem_id is None and not path.is_symlink():
                continue  # a problem created meanwhile: the next number
            raise EditError(_("{file} already exists").format(file=path))
        text = new_finding(id=name, category=category, order=order, title=title,
                           description=description, tracking=tracking, context=context_of(project),
                           today=today)
        try:
            create(path, text, display=path.as_posix())
        except Exists:
            if problem_id is not None:
                raise
            continue  # another `rectify new` took this number meanwhile: the next one
        return path
    raise EditError(_("{file} already exists").format(file=path), retry=True)
