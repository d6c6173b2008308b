"""What a cell of an edited ledger asks for: a date, a text or a status wording, or why it cannot be applied."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from rectifykit.i18n import _
from rectifykit.model.records import State
from rectifykit.model.wording import STATE_LABEL, normalize, state_of
from rectifykit.reports import ledger

_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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
    typed = str(value).strip()
    state = state_of(typed)  # the one vocabulary (rectifykit.model.wording): what the importer reads too
    if state is None:
        raise ValueError(value)
    canonical = normalize(typed) in (state.value, normalize(STATE_LABEL[state]))
    return (STATE_LABEL[state], state) if canonical else (typed, state)


def same(name: str, a: Any, b: Any) -> bool:
    if name == "status":
        return a is not None and b is not None and norm(str(a)) == norm(str(b))
    return a == b


class Refused(ValueError):
    """A cell cannot be applied; the message says why."""


def parse_cell(attr: str, raw: Any) -> tuple[Any, State | None]:
    """The value a cell asks for (and the state, for a status); Refused when it does not validate."""
    try:
        if attr == "status":
            return parse_status(raw)
        if attr in ("deadline", "completed_on"):
            return parse_date(raw), None
        return parse_text(raw), None
    except ValueError:
        if attr == "status":
            known = "、".join(STATE_LABEL.values())
            raise Refused(_("unknown status {value!r}; use one of: {known}").format(value=raw, known=known)) from None
        raise Refused(_("{value!r} is not a date; write it as YYYY-MM-DD").format(value=raw)) from None


def field_change(attr: str, raw: Any, *, exported: Any, current: Any) -> tuple[Any, State | None] | None:
    """The new value of a field when the cell changed it, None when it did not; Refused for a bad cell.

    ``exported`` is the cell's value when the ledger was written, ``current`` the record's value now.
    """
    if attr == "status" and same(attr, parse_text(raw), exported):
        return None  # unchanged, whatever its wording (阶段性完成, a combined status …)
    new, state = parse_cell(attr, raw)
    if attr in ("deadline", "completed_on") and not isinstance(exported, dt.date):
        exported = parse_date(exported)
    if same(attr, new, exported) or same(attr, new, current):
        return None
    if not same(attr, exported, current):
        raise Refused(_("the record changed since the ledger was exported (now {now!r}); export a fresh ledger")
                       .format(now=show(current)))
    return new, state


_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Line breaks and other control characters: a name, a date or a status is one line."""


def unreadable(sheet: ledger.Sheet, row: int, column: int, attr: str, raw: Any) -> str | None:
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


def show(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
