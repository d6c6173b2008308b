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
refusal naming its sheet, row and column. The edited records are then
validated like ``rectify validate``; only when they are valid are they written,
each file atomically. The edits go through ``rectifykit.edit.update_item``
(ruamel.yaml's round trip), so that comments, key order and quoting stay as
they were. Edits in other columns are reported and not applied: those texts
live in the records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit import diagnostics, fsio
from rectifykit.check import rules
from rectifykit.diagnostics import Diagnostic
from rectifykit.edit import EditError, changed_message, link_diagnostic, locked, update_item
from rectifykit.i18n import _
from rectifykit.load.project import Loaded, Project, read_record
from rectifykit.model.items import Unit
from rectifykit.model.records import Finding, State
from rectifykit.reports import ledger
from rectifykit.track.status import Item, build

WORDS: dict[str, State] = {
    "整改完成": State.completed, "整改完毕": State.completed, "已完成": State.completed, "完成": State.completed,
    "整改完成并长期坚持": State.completed_ongoing, "已完成并长期坚持": State.completed_ongoing,
    "长期坚持": State.completed_ongoing,
    "视同完成，持续整改": State.deemed_completed, "视同完成": State.deemed_completed,
    "需持续整改": State.in_progress, "正在整改": State.in_progress, "持续推进": State.in_progress,
    "整改中": State.in_progress,
    "尚未启动整改": State.not_started, "尚未启动": State.not_started, "未启动": State.not_started,
    **{s.value: s for s in State},
}
"""Status wordings a 整改状态 cell may hold (full- or half-width punctuation), and canonical state names."""
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_LOOKUP = {_norm(word): (word, state) for word, state in WORDS.items()}


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
    texts: dict[str, str] = field(default_factory=dict)
    """File (relative to the project) → its new text; empty unless the plan can be applied."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Of the edited records; errors among them stop the plan."""
    originals: dict[str, bytes] = field(default_factory=dict)
    """File → its bytes when the plan was made: a file changed since is not overwritten."""

    @property
    def invalid(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == diagnostics.Severity.error]

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.invalid


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_date(value: Any) -> dt.date | None:
    """A date cell: a date, text in one of the accepted forms, or empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for form in _DATE_FORMS:
            if m := form.match(value.strip()):
                return dt.date(*(int(g) for g in m.groups()))  # ValueError for 2024-02-30
    raise ValueError(value)


def parse_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text.strip() or None


def parse_status(value: Any) -> tuple[str, State]:
    """The wording to record and its state; ValueError for anything else."""
    if value is None or not str(value).strip():
        raise ValueError(value)
    found = _LOOKUP.get(_norm(str(value)))
    if found is None:
        raise ValueError(value)
    word, state = found
    return (ledger.STATE_WORDS[state], state) if word == state.value else (word, state)


def _current(item: Item, name: str) -> Any:
    return item.unit.label if name == "status" else getattr(item.unit.tracking, name)


def _same(name: str, a: Any, b: Any) -> bool:
    if name == "status":
        return a is not None and b is not None and _norm(str(a)) == _norm(str(b))
    return a == b


class _Refused(ValueError):
    """A cell cannot be applied; the message says why."""


def parse_cell(attr: str, raw: Any) -> tuple[Any, State | None]:
    """The value a cell asks for (and the state, for a status); _Refused when it does not validate."""
    try:
        if attr == "status":
            return parse_status(raw)
        if attr in ("deadline", "completed_on"):
            return parse_date(raw), None
        return parse_text(raw), None
    except ValueError:
        if attr == "status":
            known = "、".join(ledger.STATE_WORDS.values())
            raise _Refused(_("unknown status {value!r}; use one of: {known}").format(value=raw, known=known)) from None
        raise _Refused(_("{value!r} is not a date; write it as YYYY-MM-DD").format(value=raw)) from None


def field_change(attr: str, raw: Any, *, exported: Any, current: Any) -> tuple[Any, State | None] | None:
    """The new value of a field when the cell changed it, None when it did not; _Refused for a bad cell.

    ``exported`` is the cell's value when the ledger was written, ``current`` the record's value now.
    """
    if attr == "status" and _same(attr, parse_text(raw), exported):
        return None  # unchanged, whatever its wording (阶段性完成, a combined status …)
    new, state = parse_cell(attr, raw)
    if attr in ("deadline", "completed_on") and not isinstance(exported, dt.date):
        exported = parse_date(exported)
    if _same(attr, new, exported) or _same(attr, new, current):
        return None
    if not _same(attr, exported, current):
        raise _Refused(_("the record changed since the ledger was exported (now {now!r}); export a fresh ledger")
                       .format(now=_show(current)))
    return new, state


def _baseline(exported: ledger.Sheet | None) -> dict[str, dict[str, Any]]:
    """Item key → the editable values as exported (by field name)."""
    out: dict[str, dict[str, Any]] = {}
    for values in exported.rows if exported is not None else ():
        record = dict(zip(exported.header, values, strict=False))
        if record.get(ledger.KEY):
            out[str(record[ledger.KEY])] = record
    return out


_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Line breaks and other control characters: a name, a date or a status is one line."""


def _unreadable(sheet: ledger.Sheet, row: int, column: int, attr: str, raw: Any) -> str | None:
    """Why a cell of an editable column (or the key) cannot be applied as it is, or None.

    A formula, an error value or a merged cell is not a value someone typed: read as empty it would delete
    the field, read by its cached value it would apply what the spreadsheet last computed. A line break in
    a one-line field would go into the record as is. None of them is guessed at: the cell is refused.
    """
    kind = sheet.unreadable.get((row, column))
    if kind == "formula":
        return _("the cell holds a formula ({formula}); type the value itself (copy, then paste values only)").format(
            formula=str(raw)[:60])
    if kind == "error":
        return _("the cell holds the error value {value}; type the value itself").format(value=raw)
    for first_row, first_col, last_row, last_col, ref in sheet.merged:
        if first_row <= row <= last_row and first_col <= column <= last_col:
            return _("the cell is part of the merged cells {range}; unmerge them and fill in every row").format(
                range=ref)
    if attr not in ("deadline", "completed_on") and isinstance(raw, str) and _BREAKS.search(raw.strip()):
        return _("the cell holds a line break or another control character; write it on one line")
    return None


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

        if (reason := _unreadable(sheet, row, header[ledger.KEY] + 1, "key", cells[ledger.KEY])) is not None:
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
            if (reason := _unreadable(sheet, row, header[name] + 1, attr, cells[name])) is not None:
                note(name, reason)
                continue
            current = _current(item, attr)
            try:
                change = field_change(attr, cells[name], current=current,
                                      exported=baseline[key].get(attr) if key in baseline else current)
            except _Refused as exc:
                note(name, str(exc))
                continue
            if change is not None:
                out.changes.append(Change(key, files[item.unit.finding.id], attr, name, current, *change))
        for name in header:
            if name not in ledger.HEADERS or name in ledger.EDITABLE or name in (ledger.KEY, "序号"):
                continue
            if _norm(parse_text(cells[name]) or "") != _norm(parse_text(fresh[key].get(name)) or ""):
                note(name, _("changes in this column are not applied; edit the record file"), out.ignored)
    if out.changes and not out.refusals:
        _edit_files(project, out, items, today=today)
    return out


def _edit_files(project: Project, out: Plan, items: dict[str, Item], *, today: dt.date) -> None:
    """The new texts of the files the changes touch, kept in the plan only when the records stay valid."""
    by_id = {f.record.id: f for f in project.findings}
    with tempfile.TemporaryDirectory(prefix="rectify-apply-") as folder:
        for finding_id in dict.fromkeys(items[c.key].unit.finding.id for c in out.changes):
            loaded = by_id[finding_id]
            changes = [(items[c.key].unit, c) for c in out.changes if items[c.key].unit.finding.id == finding_id]
            if (project.root / loaded.path).is_symlink():  # never edited through, never replaced (SECURITY.md)
                out.diagnostics.append(link_diagnostic(project.root / loaded.path, loaded.path))
                continue
            out.originals[loaded.path] = (project.root / loaded.path).read_bytes()
            try:
                out.texts[loaded.path] = edit_file(project.root / loaded.path, Path(folder), changes,
                                                   display=loaded.path, today=today)
            except EditError as exc:
                out.diagnostics += exc.diagnostics
    out.diagnostics += validate(project, out.texts, today=today)
    out.diagnostics.sort()
    if out.invalid:
        out.texts = {}


def edit_file(path: Path, scratch: Path, changes: Sequence[tuple[Unit, Change]], *, display: str,
              today: dt.date) -> str:
    """A record file's new text with the changes made, comments and layout kept (``rectifykit.edit``).

    The items are edited one after the other on a copy in ``scratch``; the file itself is not written.
    Raises EditError (with diagnostics) when an edit would make the record invalid.
    """
    copy = scratch / Path(display).name
    copy.write_bytes(path.read_bytes())
    combined: set[int] = set()
    for unit, change in changes:
        if change.field != "status":
            fields: dict[str, Any] = {change.field: change.new}
        elif unit.part_index is None:
            fields = {"status": change.state.value, "label": change.new}
        else:
            fields = {"status": change.state.value}
            combined.add(unit.response_index)
        update_item(copy, unit.key, fields, display=display, today=today).apply()
    for index in sorted(combined):  # a combined status: its wording follows its parts
        finding = changes[0][0].finding
        label = combined_label(finding, index, [(u, c) for u, c in changes if u.response_index == index])
        update_item(copy, f"{finding.id}#{index + 1}", {"label": label}, display=display, today=today).apply()
    return copy.read_text(encoding="utf-8")


def combined_label(finding: Finding, index: int, changes: Sequence[tuple[Unit, Change]]) -> str:
    """The label of a response whose parts changed state: its states in canonical order, each in the
    wording typed in the ledger, else the response's own wording for it, else the usual one."""
    response = finding.responses[index]
    segments = [w.strip() for w in re.split(r"[；;]", response.status.label)]
    own = dict(zip(response.status.states, segments, strict=True)) if len(segments) == len(
        response.status.states) else {}
    typed = {c.state: c.new for _u, c in changes if c.field == "status"}
    moved = {u.part_index: c.state for u, c in changes if c.field == "status"}
    states = {moved.get(n) or part.state for n, part in enumerate(response.parts)}
    return "；".join(typed.get(s) or own.get(s) or ledger.STATE_WORDS[s] for s in State if s in states)


def _show(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def validate(project: Project, texts: dict[str, str], *, today: dt.date) -> list[Diagnostic]:
    """The diagnostics of the project with some finding files replaced by new texts."""
    findings: list[Loaded[Finding]] = []
    out: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="rectify-apply-") as folder:
        for loaded in project.findings:
            if loaded.path not in texts:
                findings.append(loaded)
                continue
            file = Path(folder) / Path(loaded.path).name
            file.write_text(texts[loaded.path], encoding="utf-8")
            result = read_record(file, loaded.path, Finding, root=Path(folder))
            if isinstance(result, Loaded):
                findings.append(result)
            else:
                out += result
    out += rules.check(project.inspection, findings, today=today)
    return sorted(d for d in out if d.path in texts)


def write(project: Project, p: Plan) -> list[str]:
    """Write the plan's files (each atomically); the files written.

    Raises EditError, writing nothing, when a file changed since the plan was made. The files are
    checked and written under their locks (``rectifykit.edit.locked``): a `rectify set` or `fmt` at the
    same moment either finished before (and this apply is refused) or waits for it.
    """
    with contextlib.ExitStack() as stack:
        for path in sorted(p.texts):
            stack.enter_context(locked(project.root / path, path))
        for path in p.texts:
            if (project.root / path).read_bytes() != p.originals[path]:
                raise EditError(changed_message(path), retry=True)
        for path, text in p.texts.items():
            fsio.write_atomic(project.root / path, text)
    return list(p.texts)


def preview_lines(p: Plan) -> list[str]:
    """What will change, by file and item: ``field: old → new``."""
    lines = []
    for path in dict.fromkeys(c.file for c in p.changes):
        lines.append(path)
        for c in (c for c in p.changes if c.file == path):
            lines.append(f"  {c.key}  {c.header}: {_show(c.old) or '—'} → {_show(c.new) or '—'}")
    return lines
