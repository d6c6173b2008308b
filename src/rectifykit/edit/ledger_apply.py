"""``rectify ledger --apply``: the changes staff made in a ledger workbook, checked and written into the records.

Staff may change the owners (责任领导, 责任科室, 责任人), the deadline
(整改时限), the completion date (完成时间) and the status (整改状态) of an
item. A cell counts as changed when it differs from the value the workbook
was exported with (kept on a hidden sheet; without it, from the records).
Every changed cell is checked first: dates must be dates (2024-06-30,
2024/6/30 or 2024年6月30日), a status must be one of the known wordings, the
row's 条目编号 must name an item, and a cell whose record changed since the
export is a conflict. A cell is applied only as typed: a formula, an error
value, a cell of merged cells or a line break in a one-line field is refused,
never read as empty or as what the spreadsheet last computed (an empty cell
clears its field on purpose). One refused cell refuses the whole workbook, each
refusal naming its sheet, row and column (the cells are read in
:mod:`.ledger_cells`). The edits are made on the records' texts in memory
through ``rectifykit.edit.update_item`` (ruamel.yaml's round trip: comments,
key order and quoting stay as they were), the edited set is checked at once
with every rule set (``rectifykit.check.records``) and written in one step
(``rectifykit.edit.write``): no scratch copy. A record that was valid must stay
valid; one that did not validate yet (a draft) is edited, its problems
reported. Edits in other columns are reported and not applied: those texts
live in the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit.diagnostics import Diagnostic
from rectifykit.edit.core import Context, Edit, EditError, check_texts, refusals
from rectifykit.edit.ledger_cells import (
    Refused,
    field_change,
    norm,
    parse_text,
    show,
    unreadable,
)
from rectifykit.edit.record import update_item
from rectifykit.edit.write import read_text
from rectifykit.edit.write import write as write_edits
from rectifykit.i18n import _
from rectifykit.load.project import Project
from rectifykit.model.items import Unit
from rectifykit.model.records import Finding, State
from rectifykit.model.wording import STATE_LABEL, join_labels, split_label
from rectifykit.reports import ledger
from rectifykit.track.status import Item, build


@dataclass(frozen=True)
class Refusal:
    """A cell that cannot be applied (or, for ``ignored``, is not applied)."""

    sheet: str
    row: int
    column: str
    header: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return _("{sheet}, column {header}: {reason}").format(
                sheet=self.sheet, header=self.header, reason=self.reason
            )
        return _("{sheet} row {row}, column {column} ({header}): {reason}").format(
            sheet=self.sheet, row=self.row, column=self.column, header=self.header, reason=self.reason
        )


@dataclass(frozen=True)
class Change:
    """One field of one item, from its value in the records to the workbook's."""

    key: str
    file: str
    field: str
    header: str
    old: Any
    new: Any
    state: State | None = None
    """For a status change: the canonical state of the new wording."""


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    ignored: list[Refusal] = field(default_factory=list)
    edits: dict[str, Edit] = field(default_factory=dict)
    """File (relative to the project) → its edit (text as read and new text); empty unless the plan can be applied."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Of the edited records, all of them: printed as warnings when the plan is applied."""
    blocking: list[Diagnostic] = field(default_factory=list)
    """What stops the plan: a record that cannot be edited safely, or errors an edit brings into a valid record."""

    @property
    def texts(self) -> dict[str, str]:
        """File → its new text."""
        return {path: e.after for path, e in self.edits.items()}

    @property
    def invalid(self) -> list[Diagnostic]:
        return self.blocking

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.invalid


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _current(item: Item, name: str) -> Any:
    return item.unit.label if name == "status" else getattr(item.unit.tracking, name)


def _baseline(exported: ledger.Sheet | None) -> dict[str, dict[str, Any]]:
    """Item key → the editable values as exported (by field name)."""
    out: dict[str, dict[str, Any]] = {}
    if exported is None:
        return out
    for values in exported.rows:
        record = dict(zip(exported.header, values, strict=False))
        if record.get(ledger.KEY):
            out[str(record[ledger.KEY])] = record
    return out


def plan(project: Project, workbook: Path, *, today: dt.date) -> Plan:
    """What applying ``workbook`` would change, what it refuses, and the new texts of the record files."""
    assert project.inspection is not None
    sheet, exported = ledger.read(workbook)
    report = build(project.inspection.record, [f.record for f in project.findings], as_of=today)
    items = {i.unit.key: i for i in report.items}
    fresh = {r.get(ledger.KEY): r for r in ledger.rows(report)}
    files = {f.record.id: f.path for f in project.findings}
    out = Plan()
    header = {name: n for n, name in enumerate(sheet.header) if name}
    if ledger.KEY not in header:
        out.refusals.append(Refusal(sheet.name, 1, "", ledger.KEY, _("the column is missing; export a fresh ledger")))
        return out
    baseline = _baseline(exported)
    seen: dict[str, int] = {}
    for row, values in enumerate(sheet.rows, start=2):
        cells = {name: values[n] if n < len(values) else None for name, n in header.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue

        def note(name: str, reason: str, into: list[Refusal] = out.refusals, row: int = row) -> None:
            into.append(Refusal(sheet.name, row, _column(header[name] + 1), name, reason))

        if (reason := unreadable(sheet, row, header[ledger.KEY] + 1, "key", cells[ledger.KEY])) is not None:
            note(ledger.KEY, reason)
            continue
        key = parse_text(cells[ledger.KEY])
        if key is None:
            note(ledger.KEY, _("the row has no item key; new items are added in the record files"))
        elif key not in items:
            note(ledger.KEY, _("no item {key!r} in the records").format(key=key))
        elif key in seen:
            note(ledger.KEY, _("the item is also in row {row}").format(row=seen[key]))
        if key is None or key not in items or key in seen:
            continue
        seen[key] = row
        item = items[key]
        for name, attr in ledger.EDITABLE.items():
            if name not in header:
                continue
            if (reason := unreadable(sheet, row, header[name] + 1, attr, cells[name])) is not None:
                note(name, reason)
                continue
            current = _current(item, attr)
            try:
                change = field_change(attr, cells[name], current=current,
                                      exported=baseline[key].get(attr) if key in baseline else current)
            except Refused as exc:
                note(name, str(exc))
                continue
            if change is not None:
                out.changes.append(Change(key, files[item.unit.finding.id], attr, name, current, *change))
        for name in header:
            if name not in ledger.HEADERS or name in ledger.EDITABLE or name in (ledger.KEY, "序号"):
                continue
            if norm(parse_text(cells[name]) or "") != norm(parse_text(fresh[key].get(name)) or ""):
                note(name, _("changes in this column are not applied; edit the record file"), out.ignored)
    if out.changes and not out.refusals:
        _edit_files(project, out, items, today=today)
    return out


def _edit_files(project: Project, out: Plan, items: dict[str, Item], *, today: dt.date) -> None:
    """The edits of the files the changes touch, made in memory and checked together with the rest of the
    project; kept in the plan only when no record that was valid becomes invalid."""
    by_id = {f.record.id: f for f in project.findings}
    for finding_id in dict.fromkeys(items[c.key].unit.finding.id for c in out.changes):
        loaded = by_id[finding_id]
        changes = [(items[c.key].unit, c) for c in out.changes if items[c.key].unit.finding.id == finding_id]
        try:
            text = read_text(project.root / loaded.path, loaded.path)  # never through a link (SECURITY.md)
            out.edits[loaded.path] = Edit(text, edit_text(text, changes, display=loaded.path), loaded.path)
        except EditError as exc:
            out.blocking += exc.diagnostics
    context = Context(project.inspection, project.findings, project.root)
    texts = {path: e.after for path, e in out.edits.items()}
    found = check_texts(texts, today=today, context=context)
    before = check_texts({path: e.before for path, e in out.edits.items()}, today=today, context=context)
    for path, e in out.edits.items():
        mine = [d for d in found if d.path == path]
        out.edits[path] = Edit(e.before, e.after, path, mine, refusals([d for d in before if d.path == path], mine))
        out.blocking += out.edits[path].refused
    out.diagnostics = sorted(out.blocking + found) if out.blocking else found
    out.blocking.sort()
    if out.blocking:
        out.edits = {}


def edit_text(text: str, changes: Sequence[tuple[Unit, Change]], *, display: str) -> str:
    """A record's new text with the changes made, comments and layout kept (``rectifykit.edit.update_item``,
    one item after the other, in memory). Raises EditError (with diagnostics) for a value it cannot set."""
    combined: set[int] = set()
    for unit, change in changes:
        if change.field != "status":
            fields: dict[str, Any] = {change.field: change.new}
        elif unit.part_index is None:
            fields = {"status": _state_value(change), "label": change.new}
        else:
            fields = {"status": _state_value(change)}
            combined.add(unit.response_index)
        text = _update(text, unit.key, fields, display=display)
    for index in sorted(combined):  # a combined status: its wording follows its parts
        finding = changes[0][0].finding
        label = combined_label(finding, index, [(u, c) for u, c in changes if u.response_index == index])
        text = _update(text, f"{finding.id}#{index + 1}", {"label": label}, display=display)
    return text


def _update(text: str, key: str, fields: dict[str, Any], *, display: str) -> str:
    """One item's fields set; the whole set of edits is checked once at the end (:func:`_edit_files`)."""
    return update_item(text, key, fields, display=display, checked=False).after


def _state_value(change: Change) -> str:
    assert change.state is not None  # a status change always carries its state (parse_status)
    return change.state.value


def combined_label(finding: Finding, index: int, changes: Sequence[tuple[Unit, Change]]) -> str:
    """The label of a response whose parts changed state: its states in canonical order, each in the
    wording typed in the ledger, else the response's own wording for it, else the usual one."""
    response = finding.responses[index]
    segments = split_label(response.status.label)
    own = dict(zip(response.status.states, segments, strict=True)) if len(segments) == len(
        response.status.states) else {}
    typed = {c.state: c.new for _u, c in changes if c.field == "status"}
    moved = {u.part_index: c.state for u, c in changes if c.field == "status"}
    states = {moved.get(n) or part.state for n, part in enumerate(response.parts)}
    return join_labels([typed.get(s) or own.get(s) or STATE_LABEL[s] for s in State if s in states])


def write(project: Project, p: Plan) -> list[str]:
    """Write the plan's files in one step (``rectifykit.edit.write``: under their folder's lock, each
    atomically); the files written. Raises EditError, writing nothing, when a file changed since the plan
    was made: a `rectify set` or `fmt` at the same moment either finished before (and this apply is
    refused) or waits for it."""
    written = write_edits({project.root / path: e for path, e in p.edits.items()})
    return [path.relative_to(project.root).as_posix() for path in written]


def preview_lines(p: Plan) -> list[str]:
    """What will change, by file and item: ``field: old → new``."""
    lines = []
    for path in dict.fromkeys(c.file for c in p.changes):
        lines.append(path)
        for c in (c for c in p.changes if c.file == path):
            lines.append(f"  {c.key}  {c.header}: {show(c.old) or '—'} → {show(c.new) or '—'}")
    return lines
