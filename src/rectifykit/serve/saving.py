"""Every write of the server, through the same edit API as ``rectify set``: the one module that calls edit/.

A form sends each field twice: the value shown when the page was made (``orig_<field>``) and the value
now. Only fields that differ are changed, so that a save never puts back what another browser changed
in a field this one did not touch; a field both changed is refused with the value it has now. The record
is read, edited, checked and written under its lock (:func:`rectifykit.edit.locked`), and written only
if it is still what was read: two saves of the same record take turns and neither is lost.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit import edit, fsio
from rectifykit.i18n import _
from rectifykit.load.records import parse_bytes
from rectifykit.model import items as tally
from rectifykit.model.records import DONE_STATES, Finding
from rectifykit.serve.gitcommit import commit_file

FIELDS = ("status", "label", "leader", "department", "person", "reviewer", "deadline", "completed_on",
          "next_review", "notes")
"""The tracking fields a form edits (keys of :data:`rectifykit.edit.CHANGE_KEYS`)."""
EVIDENCE_DIR = Path("evidence")
"""Where uploaded evidence is stored, one folder per problem: ``evidence/<problem-id>/<name>``."""
MAX_UPLOAD = 20 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\-]+")
_WRITING = threading.Lock()
"""The server's request threads write one at a time: the folder lock of :func:`rectifykit.fsio.locked` is
re-entrant for the whole process, so it keeps other processes out but lets a second thread of this one in."""


@dataclass
class Outcome:
    """What a save did: written or not, the problems per field and overall, the diff written."""

    saved: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    diff: str = ""
    notice: str = ""


def current_values(path: Path, display: str, key: str) -> dict[str, str] | None:
    """The item's tracking fields as the form shows them (``""`` for a missing one); None when not found."""
    loaded = parse_bytes(fsio.read_regular(path, follow=False), display, Finding, parser="ruamel")
    if isinstance(loaded, list):
        return None
    for unit in tally.tracked(loaded.record):
        if unit.key == key:
            return form_values(unit)
    return None


def form_values(unit: tally.Unit) -> dict[str, str]:
    """An item's fields as text for a form."""
    t = unit.tracking
    values = {name: getattr(t, name) for name in FIELDS if name not in ("status", "label")}
    shown = {k: "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in values.items()}
    return {"status": unit.state.value, "label": unit.label, **shown}


def _messages(exc: edit.EditError) -> list[str]:
    if exc.diagnostics:
        return [f"{d.code} {d.message}" + (f"（{d.hint}）" if d.hint else "") for d in exc.diagnostics]
    return [exc.message]


def _errors(result: edit.Edit) -> list[str]:
    return [f"{d.code} {d.message}" + (f"（{d.hint}）" if d.hint else "") for d in result.errors]


def changes_of(submitted: Mapping[str, str], original: Mapping[str, str]) -> dict[str, Any]:
    """The fields the user changed: new text, or None to remove a field that was emptied."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        new, old = submitted.get(name, "").strip(), original.get(name, "").strip()
        if name in submitted and new != old:
            out[name] = new or None
    return out


def save_item(
    root: Path, display: str, key: str, submitted: Mapping[str, str], original: Mapping[str, str], *,
    today: dt.date, author: str | None = None,
) -> Outcome:
    """Check and write the changed fields of one item; nothing is written when any check fails."""
    path = root / display
    changes = changes_of(submitted, original)
    if not changes:
        return Outcome(notice=_("nothing changed"))
    try:
        with _WRITING, edit.locked(path, display):
            return _save_locked(root, path, display, key, changes, original, today=today, author=author)
    except edit.EditError as exc:
        return Outcome(general=_messages(exc))


def _save_locked(
    root: Path, path: Path, display: str, key: str, changes: dict[str, Any], original: Mapping[str, str], *,
    today: dt.date, author: str | None,
) -> Outcome:
    out = Outcome()
    current = current_values(path, display, key)
    if current is None:
        out.general.append(_("{file} is not a valid record or has no item {key}; reload the page").format(
            file=display, key=key))
        return out
    for name in changes:
        if current[name] != original.get(name, "").strip():
            out.fields.setdefault(name, []).append(
                _("changed by someone else since this page was opened (now: {value}); reload the page").format(
                    value=current[name] or "—"))
    new_state = changes.get("status")
    completing = new_state in {s.value for s in DONE_STATES}  # as `rectify set`: completing dates it today
    if completing and "completed_on" not in changes and not current["completed_on"]:
        changes["completed_on"] = today
    if out.fields:
        return out
    text = edit.read_text(path, display)
    try:
        result = edit.update_item(text, key, changes, display=display, today=today)
    except edit.EditError as exc:
        result = None
        general = _messages(exc)
    if result is None or result.errors:  # say which field: each one alone (only when something is wrong)
        general = _errors(result) if result is not None else general
        for name, value in changes.items():
            try:
                trial = edit.update_item(text, key, {name: value}, display=display, today=today)
            except edit.EditError as exc:
                out.fields.setdefault(name, []).extend(_messages(exc))
                continue
            out.fields.setdefault(name, []).extend(_errors(trial))
        out.fields = {k: v for k, v in out.fields.items() if v}
        if not out.fields:
            out.general += general
        return out
    try:
        out.saved = bool(edit.write({path: result}))
    except edit.EditError as exc:
        out.general += _messages(exc)
        return out
    out.diff = result.diff()
    out.notice = _("saved {file}").format(file=display)
    if out.saved and author is not None:
        summary = "; ".join(f"{name}: {original.get(name) or '—'} → {value or '—'}" for name, value in changes.items())
        out.general += commit_file(root, path, f"rectify serve: {key}: {summary}", author=author)
    return out


def measures_text(measures: Any) -> str | None:
    """A response's measures as the form shows them; None when they cannot be edited as text safely."""
    return edit.measures_text(measures)


def _same_text(a: str, b: str) -> bool:
    """Equal as measures text: browsers send line ends as CR LF, and spaces around lines do not count."""
    def norm(text: str) -> list[str]:
        return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")]
    return norm(a) == norm(b)


def save_measures(
    root: Path, display: str, key: str, submitted: str, original: str, *, today: dt.date, author: str | None = None,
) -> Outcome:
    """Check and write a response's measures edited as text (see :mod:`rectifykit.edit.measures`)."""
    if _same_text(submitted, original):
        return Outcome(notice=_("nothing changed"))
    path = root / display
    try:
        with _WRITING, edit.locked(path, display):
            return _save_measures_locked(root, path, display, key, submitted, original, today=today, author=author)
    except edit.EditError as exc:
        return Outcome(fields={"measures": _messages(exc)})


def _save_measures_locked(
    root: Path, path: Path, display: str, key: str, submitted: str, original: str, *, today: dt.date,
    author: str | None,
) -> Outcome:
    loaded = parse_bytes(fsio.read_regular(path, follow=False), display, Finding, parser="ruamel")
    _pid, r, part = edit.parse_item_key(key)
    if isinstance(loaded, list) or part is not None or not 0 <= r < len(loaded.record.responses):
        return Outcome(general=[_("{file} is not a valid record or has no item {key}; reload the page").format(
            file=display, key=key)])
    current = measures_text(loaded.record.responses[r].measures)
    if current is None or not _same_text(current, original):
        return Outcome(fields={"measures": [_("changed by someone else since this page was opened; reload the page")]})
    values = edit.measures_from_text(submitted)  # EditError: shown at the field
    text = edit.read_text(path, display)
    result = edit.update_item(text, key, {"measures": values}, display=display, today=today)
    if result.errors:
        return Outcome(fields={"measures": _errors(result)})
    out = Outcome(saved=bool(edit.write({path: result})), diff=result.diff(),
                  notice=_("saved {file}").format(file=display))
    if out.saved and author is not None:
        out.general += commit_file(root, path, f"rectify serve: {key}: measures", author=author)
    return out


def safe_name(name: str) -> str:
    """An uploaded file's name reduced to letters, digits, ``.``, ``-`` and ``_`` (no folder, no leading dot)."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = _UNSAFE.sub("-", base).strip(".-")[:100]
    return cleaned


def store_evidence(
    root: Path, display: str, key: str, filename: str, data: bytes, *, today: dt.date, author: str | None = None,
) -> Outcome:
    """Store an uploaded file under ``evidence/<problem-id>/`` and add its path to the item's evidence."""
    name = safe_name(filename)
    if not name:
        return Outcome(general=[_("the file has no usable name; rename it and upload again")])
    if len(data) > MAX_UPLOAD:
        return Outcome(general=[_("the file is larger than {n} MB; nothing was stored").format(
            n=MAX_UPLOAD // 1024 // 1024)])
    folder = root / EVIDENCE_DIR / safe_name(key.partition("#")[0])
    for step in (root / EVIDENCE_DIR, folder):
        if step.is_symlink() or (step.exists() and not step.is_dir()):
            return Outcome(general=[_("{folder} is a link or not a folder; uploads are refused").format(
                folder=step.relative_to(root).as_posix())])
    if not folder.resolve().is_relative_to(root.resolve()):
        return Outcome(general=[_("uploads are confined to the project folder")])
    with _WRITING:
        return _store(root, display, key, folder / name, data, today=today, author=author)


def _store(root: Path, display: str, key: str, target: Path, data: bytes, *, today: dt.date,
           author: str | None) -> Outcome:
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists() or target.is_symlink():
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    fsio.write_atomic_bytes(target, data)
    relative = target.relative_to(root).as_posix()
    path = root / display
    try:
        with edit.locked(path, display):
            text = edit.read_text(path, display)
            result = edit.update_item(text, key, {"add_evidence": [relative]}, display=display, today=today)
            if result.errors:
                target.unlink()
                return Outcome(general=_errors(result))
            edit.write({path: result})
    except edit.EditError as exc:
        target.unlink(missing_ok=True)
        return Outcome(general=_messages(exc))
    out = Outcome(saved=True, diff=result.diff(), notice=_("stored {file}").format(file=relative))
    if author is not None:
        out.general += commit_file(root, path, f"rectify serve: {key}: evidence + {relative}", author=author,
                                   extra=[target])
    return out
