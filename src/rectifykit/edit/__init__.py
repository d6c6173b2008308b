"""Edits that keep a record's comments and key order: canonical formatting, setting an item's fields, a new problem.

Every function here computes an :class:`Edit` (the text before and after) and writes nothing;
:meth:`Edit.apply` writes it atomically. The round trip goes through ruamel.yaml
(``rectifykit.yamlio``); the canonical form is the one the embedded example in ``data/`` is
written in:

- UTF-8 without a byte order mark, LF line ends, one final newline, no trailing spaces;
- mappings indented by 2, list items by 4 with the dash at 2 (``  - title: …``);
- keys in the order they were written; comments, flow lists (``[1, 3]``) and quotes kept;
- a value is never folded onto several lines;
- ASCII ``, : ; ( )`` inside Chinese prose made full-width (:mod:`rectifykit.punctuation`), only in
  prose fields (titles, texts, measures, labels, notes, names); never in ids, keys, dates, evidence
  (file paths) or contact details.

For ``rectify ledger --apply`` and other tools, the entry point is :func:`update_item`::

    edit = update_item(Path("data/findings/legal-services.yaml"), "legal-services#1.2",
                       {"status": "completed", "completed_on": "2024-07-01", "add_evidence": ["鄂城法办发〔2024〕3号"]})
    print(edit.diff())          # unified diff, empty when nothing changes
    if edit.errors:             # the record would no longer be valid: nothing may be written
        ...
    edit.apply()                # atomic write; EditError if the file changed since it was read
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rectifykit import diagnostics, fsio, yamlio
from rectifykit.check import rules
from rectifykit.diagnostics import Diagnostic, Severity
from rectifykit.i18n import _
from rectifykit.load import locate
from rectifykit.load.project import INSPECTION, Loaded, decode, parse_bytes, printable
from rectifykit.model import typography as punctuation
from rectifykit.model.records import Finding, Inspection, State
from rectifykit.model.wording import STATE_LABEL
from rectifykit.yamlio import YamlProblem

PROSE_KEYS = frozenset({
    "title", "text", "description", "label", "intro", "outro", "notes", "opening", "closing",
    "measures_label", "unit", "unit_self", "authority", "team", "round", "signature",
    "leader", "department", "person", "reviewer",
})
"""Mapping keys whose text values are prose, where punctuation is made full-width."""
PROSE_LISTS = frozenset({"measures", "items"})
"""Lists whose text entries are prose (a measures paragraph, a numbered measure)."""

TRACKING_ORDER = ("covers", "points", "state", "status", "measures_label", "measures", "leader", "department",
                  "person", "reviewer", "deadline", "completed_on", "next_review", "evidence", "notes", "parts")
"""Where a key that was not there is inserted in a response or a part: after its predecessors in this order."""
DATE_FIELDS = frozenset({"deadline", "completed_on", "next_review"})
TEXT_FIELDS = frozenset({"leader", "department", "person", "reviewer", "notes", "label"})
CHANGE_KEYS = DATE_FIELDS | TEXT_FIELDS | {"status", "evidence", "add_evidence"}
"""The keys :func:`update_item` accepts."""


class EditError(Exception):
    """An edit cannot be made: the file is not a record, the item does not exist, a value is wrong.

    ``diagnostics`` holds the problems with the file when there are any; ``retry`` is True when the edit
    was not written because another command or program was editing the record (running again helps).
    """

    def __init__(self, message: str, diags: Sequence[Diagnostic] = (), *, retry: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diags)
        self.retry = retry


@dataclass(frozen=True)
class Edit:
    """A file's text before and after an edit; nothing is written until :meth:`apply`."""

    path: Path
    before: str
    after: str
    display: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems of the edited record (model and rules of that file); errors forbid :meth:`apply`."""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.error]

    def diff(self) -> str:
        """A unified diff of the edit (empty when nothing changes)."""
        name = self.display or self.path.as_posix()
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def apply(self) -> bool:
        """Write the new text atomically, under the record's lock; False when there was nothing to write.

        Raises :class:`EditError` when the edited record has errors, or (``retry``) when the lock stays
        taken or the file changed since it was read. To keep concurrent edits from being refused, read
        the record under :func:`locked` too (as ``rectify set`` does).
        """
        if self.errors:
            raise EditError(_("the edit would make the record invalid"), self.errors)
        if not self.changed:
            return False
        with locked(self.path, self.display):
            if not fsio.write_if_unchanged(self.path, self.before.encode("utf-8"), self.after.encode("utf-8")):
                raise EditError(changed_message(self.display), retry=True)
        return True


def changed_message(display: str) -> str:
    """What to tell when a record changed between reading it and writing the edit (nothing was written)."""
    return _("{file} changed since it was read; run the command again").format(file=display)


@contextlib.contextmanager
def locked(path: Path, display: str) -> Iterator[None]:
    """Hold the lock for editing the record at ``path`` (see :func:`rectifykit.fsio.locked`).

    EditError when another command keeps it too long, or when its name is taken by a link or folder.
    """
    try:
        with fsio.locked(path):
            yield
    except fsio.LockBusy:
        raise EditError(_("{file} is being edited by another rectify command; nothing was written: "
                          "run the command again when it has finished").format(file=display), retry=True) from None
    except fsio.LockRefused as exc:
        raise EditError(_("{lock} is not a plain file, so {file} cannot be locked for editing; nothing was "
                          "written: delete {lock} and run the command again").format(
                              lock=exc.path.as_posix(), file=display), retry=True) from None


# --- reading -------------------------------------------------------------------------------


def _read(path: Path, display: str) -> str:
    """A record's text for an edit: never through a link (the edit would be written in its place), never
    from a FIFO or device (opening it could block for ever)."""
    path = Path(path)
    try:
        raw = fsio.read_regular(path, follow=False)
    except fsio.LinkRefused:
        diag = link_diagnostic(path, display)
        raise EditError(diag.message, [diag]) from None
    except OSError as exc:
        diag = diagnostics.make("RK001", display, 1, 1, reason=exc.strerror or str(exc))
        raise EditError(diag.message, [diag]) from None
    text = decode(raw, display)
    if isinstance(text, Diagnostic):
        raise EditError(text.message, [text])
    return raw.decode("utf-8")  # as it is, byte order mark and line ends included


def link_diagnostic(path: Path, display: str) -> Diagnostic:
    """RK025 for a link, inside the project or not: an edit would replace it or write through it. The
    target is named as the link spells it (a path, never the content)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return diagnostics.make("RK025", display, 1, 1, target=printable(target))


def _tree(text: str, display: str) -> Any:
    """The round-trip tree of a record's text; EditError with the diagnostic when the YAML is broken."""
    if not text.strip():
        diag = diagnostics.make("RK004", display, 1, 1)
        raise EditError(diag.message, [diag])
    located = yamlio.compose(text, "ruamel")
    if isinstance(located, YamlProblem):
        diag = diagnostics.make(located.code, display, located.line, located.column, **located.args)
        raise EditError(diag.message, [diag])
    if not isinstance(located.data, dict):
        diag = diagnostics.make("RK012", display, 1, 1, found=type(located.data).__name__)
        raise EditError(diag.message, [diag])
    if out_of_range := _out_of_range(located, display):
        raise EditError(out_of_range[0].message, out_of_range)
    try:
        return yamlio.rt_load(text)
    except ValueError:  # a plain scalar the round trip reads as a date no calendar has (2024-02-30)
        problem = yamlio.impossible_date(text)
        if problem is None:
            raise
        diag = diagnostics.make(problem.code, display, problem.line, problem.column, **problem.args)
        raise EditError(diag.message, [diag]) from None


RANGE_CODES = frozenset({"RK107", "RK108"})
"""Values out of range: a file holding one is not edited (other model errors are, e.g. in a draft)."""


def _out_of_range(located: yamlio.Located, display: str) -> list[Diagnostic]:
    """The numbers and dates of a record's text outside what the genre holds (data/FORMAT.md)."""
    model = Inspection if Path(display).name == INSPECTION.name else Finding
    try:
        model.model_validate(located.data)
    except ValidationError as exc:
        return [d for d in locate.diagnose(exc, located, model, display) if d.code in RANGE_CODES]
    return []


# --- canonical form ------------------------------------------------------------------------


def _prose(tree: Any, key: str | None = None) -> None:
    """Make punctuation full-width in the prose values of a round-trip tree, in place.

    ``key`` names the mapping key that holds ``tree`` (for a list of prose such as measures).
    """
    if isinstance(tree, dict):
        slots = [(k, k, k in PROSE_KEYS) for k in tree]  # (slot, the child's key, holds prose)
    elif isinstance(tree, list):
        slots = [(i, None, key in PROSE_LISTS) for i in range(len(tree))]
    else:
        return
    for slot, child_key, prose in slots:
        value = tree[slot]
        if not isinstance(value, str):
            _prose(value, child_key)
        elif prose and (fixed := punctuation.fix(value)) != value:
            tree[slot] = yamlio.restyled(value, fixed)


def format_text(text: str, *, display: str = "<text>", fix_punctuation: bool = True) -> str:
    """The canonical form of a record's text (see the module docstring); EditError when it is not YAML."""
    tree = _tree(text.removeprefix("\ufeff"), display)
    if fix_punctuation:
        _prose(tree)
    return _canonical(yamlio.rt_dump(tree))


def _canonical(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def format_file(path: Path, *, display: str | None = None, fix_punctuation: bool = True) -> Edit:
    """The canonical formatting of one record file, as an :class:`Edit`."""
    display = display or Path(path).as_posix()
    before = _read(path, display)
    return Edit(Path(path), before, format_text(before, display=display, fix_punctuation=fix_punctuation), display)


def reformat(path: Path, *, display: str | None = None, write: bool = True) -> Edit:
    """Format one record file and, with ``write``, write it: read again, formatted and written under the lock.

    A file that needs no change is never locked (a read-only checkout in canonical form stays fine).
    """
    result = format_file(path, display=display)
    if write and result.changed:
        with locked(path, result.display):
            result = format_file(path, display=display)
            result.apply()
    return result


# --- setting an item's fields ----------------------------------------------------------------


def parse_item_key(key: str) -> tuple[str | None, int, int | None]:
    """``id#2`` → (id, 1, None); ``id#2.1`` → (id, 1, 0); ``#2`` or ``2`` → (None, 1, None); ``id`` → (id, 0, None)."""
    problem, sep, suffix = key.partition("#")
    if not sep:
        if key.replace(".", "").isdigit():
            problem, suffix = "", key
        else:
            return key or None, 0, None
    numbers = suffix.split(".")
    if not 1 <= len(numbers) <= 2 or not all(n.isdigit() and int(n) >= 1 for n in numbers):
        raise EditError(_("{key!r} is not an item: write PROBLEM-ID#N or PROBLEM-ID#N.M").format(key=key))
    part = int(numbers[1]) - 1 if len(numbers) == 2 else None
    return problem or None, int(numbers[0]) - 1, part


def _date_value(name: str, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise EditError(_("{field}: write the date as YYYY-MM-DD").format(field=name)) from None


def _text_value(name: str, value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise EditError(_("{field}: the value is empty; to remove the field use --unset {field}").format(field=name))
    return text


def _set_key(mapping: Any, key: str, value: Any) -> None:
    """Set ``key`` in a round-trip mapping, keeping its place, or inserting it where :data:`TRACKING_ORDER` says."""
    if key in mapping:
        old = mapping[key]
        mapping[key] = yamlio.restyled(old, value) if isinstance(old, str) and isinstance(value, str) else value
        return
    rank = {k: i for i, k in enumerate(TRACKING_ORDER)}
    mine = rank.get(key, len(TRACKING_ORDER))
    position = 0
    for i, existing in enumerate(mapping):
        if rank.get(existing, -1) <= mine:
            position = i + 1
    mapping.insert(position, key, value)


def _set_list(mapping: Any, key: str, values: list[str]) -> None:
    """Replace a list's entries in place (keeping its flow or block style), or add the list."""
    if key in mapping and isinstance(mapping[key], list):
        current = mapping[key]
        del current[:]
        current.extend(values)
    else:
        _set_key(mapping, key, list(values))


def _states_of(response: Any) -> list[State]:
    return [State(p["state"]) for p in response.get("parts") or [] if "state" in p]


def _label_for(states: list[State]) -> str:
    return "；".join(STATE_LABEL[s] for s in states)


def update_item(
    path: Path, item_key: str, changes: Mapping[str, Any], *, display: str | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Set fields of one item (a response ``id#N`` or a part ``id#N.M``) of a problem file, keeping comments.

    ``changes`` (keys of :data:`CHANGE_KEYS`):

    - ``status``: a canonical state (``completed``…). On a response its ``status.states``
      becomes ``[state]`` and the label the usual wording of that state (整改完成…) unless
      ``label`` is given; on a part its ``state`` changes and the response's states (and, unless
      ``label`` is given, its combined label 视同完成，持续整改；需持续整改) follow its parts;
    - ``label``: the published wording of the response's status;
    - ``leader``, ``department``, ``person``, ``reviewer``, ``notes``: text;
    - ``deadline``, ``completed_on``, ``next_review``: a date or ``YYYY-MM-DD``;
    - ``evidence``: a list that replaces the item's evidence; ``add_evidence``: entries appended
      (those already there are skipped);
    - a value of None removes the field (e.g. ``{"completed_on": None}``).

    Returns the :class:`Edit` (nothing written), with the diagnostics of the edited record
    (its model and the rules that concern one file, as of ``today``). Raises :class:`EditError`
    for an unknown key, a bad value, an item that does not exist, or a file that is not a valid record.
    """
    display = display or Path(path).as_posix()
    unknown = sorted(set(changes) - CHANGE_KEYS)
    if any(changes.get(k, "") is None for k in ("status", "label")):
        raise EditError(_("the status and its label cannot be removed, only changed"))
    if unknown:
        raise EditError(_("cannot set {fields}; known: {known}").format(
            fields=", ".join(unknown), known=", ".join(sorted(CHANGE_KEYS))))
    before = _read(path, display)
    loaded = parse_bytes(before.encode("utf-8"), display, Finding, parser="ruamel")
    if isinstance(loaded, list):
        raise EditError(_("{file} is not a valid record; fix it first (rectify validate)").format(file=display), loaded)
    problem, r, p = parse_item_key(item_key)
    if problem is not None and problem != loaded.record.id:
        raise EditError(_("{file} holds problem {id!r}, not {problem!r}").format(
            file=display, id=loaded.record.id, problem=problem))
    tree = yamlio.rt_load(before.removeprefix("\ufeff"))
    responses = tree["responses"]
    if not 0 <= r < len(responses):
        raise EditError(_("problem {id!r} has {n} responses; there is no #{r}").format(
            id=loaded.record.id, n=len(responses), r=r + 1))
    response = responses[r]
    target = response
    if p is not None:
        parts = response.get("parts") or []
        if not 0 <= p < len(parts):
            raise EditError(_("response {id}#{r} has {n} parts; there is no .{p}").format(
                id=loaded.record.id, r=r + 1, n=len(parts), p=p + 1))
        target = parts[p]
    elif response.get("parts") and "status" in changes:
        raise EditError(_("response {id}#{r} is divided into parts; set the status of a part ({id}#{r}.1 …)").format(
            id=loaded.record.id, r=r + 1))
    _apply(target, response, changes, part=p is not None)
    after = _canonical(yamlio.rt_dump(tree))
    return Edit(Path(path), before, after, display, check_record(after, display, today=today))


def _apply(target: Any, response: Any, changes: Mapping[str, Any], *, part: bool) -> None:
    for name, value in changes.items():
        if name in ("status", "label"):
            continue
        if value is None:
            if name in target:
                del target[name]
        elif name in DATE_FIELDS:
            _set_key(target, name, _date_value(name, value))
        elif name == "evidence":
            _set_list(target, "evidence", [_text_value(name, v) for v in value])
        elif name == "add_evidence":
            current = list(target.get("evidence") or [])
            current += [e for e in (_text_value(name, v) for v in value) if e not in current]
            _set_list(target, "evidence", current)
        else:
            _set_key(target, name, _text_value(name, value))
    label = changes.get("label")
    if "status" in changes:
        try:
            state = State(str(changes["status"]))
        except ValueError:
            raise EditError(_("unknown status {value!r}; allowed: {allowed}").format(
                value=changes["status"], allowed=", ".join(s.value for s in State))) from None
        status = response["status"]
        old_states = [State(s) for s in status["states"]]
        if part:
            _set_key(target, "state", state.value)
            order = list(State)
            states = sorted(set(_states_of(response)), key=order.index)
        else:
            states = [state]
        if states != old_states:
            _set_list(status, "states", [s.value for s in states])
            if label is None:
                label = _label_for(states)
    if label is not None:
        _set_key(response["status"], "label", _text_value("label", label))


def check_record(text: str, display: str, *, today: dt.date | None = None) -> list[Diagnostic]:
    """The diagnostics of one problem file's text: its model, and the rules that need no other file."""
    loaded = parse_bytes(text.encode("utf-8"), display, Finding, parser="ruamel")
    if isinstance(loaded, list):
        return loaded
    return sorted(rules.check(None, [loaded], today=today or dt.date.today()))


# --- a new problem -------------------------------------------------------------------------

_SCAFFOLD = """\
id: x
category: x
order: 1
title: x
description: x
responses:
  - status:
      states: [not_started]
      label: x
"""


def next_order(findings: Sequence[Loaded[Finding]] | Sequence[Finding], category: str) -> int:
    """The next free position in a category: one past the highest used."""
    records = [f.record if isinstance(f, Loaded) else f for f in findings]
    return max((f.order for f in records if f.category == category), default=0) + 1


def new_finding(
    *, id: str, category: str, order: int, title: str, description: str | None = None,
    tracking: Mapping[str, Any] | None = None,
) -> str:
    """The text of a new problem file: the required fields, one response not started, optional tracking fields.

    Without a description the key is left out: no placeholder text that validate would flag (RK246).
    """
    tree = yamlio.rt_load(_SCAFFOLD)
    tree["id"], tree["category"], tree["order"] = id, category, order
    tree["title"], tree["description"] = punctuation.fix(title.strip()), punctuation.fix((description or "").strip())
    if not tree["description"]:
        del tree["description"]
    response = tree["responses"][0]
    response["status"]["label"] = STATE_LABEL[State.not_started]
    _apply(response, response, {k: v for k, v in (tracking or {}).items() if v is not None}, part=False)
    text = _canonical(yamlio.rt_dump(tree))
    problems = [d for d in check_record(text, f"{id}.yaml") if d.severity == Severity.error]
    if problems:
        raise EditError(problems[0].message, problems)
    return text


def record_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The YAML files among ``paths``, folders expanded to the record files inside them, sorted."""
    for path in sorted(paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not p.is_dir())
        else:
            yield path
