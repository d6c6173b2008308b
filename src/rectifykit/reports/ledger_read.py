"""The ledger workbook read back (``ledger --apply``): checked as an archive, streamed, bounded in size and rows.

Only the two sheets it needs are read (the ledger and the hidden export); formulas are kept as formulas
so that the caller can refuse them, and merged cells are reported. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit.diagnostics import MissingExtra
from rectifykit.fsio import archive
from rectifykit.i18n import _

try:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.worksheet._reader import WorkSheetParser  # the streaming parser of read-only worksheets
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the package
    raise MissingExtra(exc.name or "openpyxl") from None

SHEET, EXPORTED = "整改台账", "导出值"
"""The ledger sheet and the hidden sheet of the values as exported (written by :mod:`rectifykit.reports.ledger`)."""

MAX_BYTES = 64 * 1024 * 1024
"""A ledger of a few hundred items is well below a megabyte."""
MAX_ROWS = 100_000
"""Rows read from a sheet: a ledger has one per item, a few hundred; more is not a ledger (or a hostile one)."""
MAX_COLUMNS = 64
"""Columns read: the ledger's fourteen and whatever staff add; cells further right are not read."""


@dataclass(frozen=True)
class Sheet:
    """A worksheet's cells as plain values: ``rows[i]`` is worksheet row ``i + 2`` (row 1 is the header).

    ``unreadable`` maps (row, column), both 1-based, to what a cell holds instead of a value: ``"formula"`` or
    ``"error"``; ``merged`` lists the merged ranges as (first row, first column, last row, last column, "A1:B2").
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[tuple[int, int, int, int, str], ...] = ()


class WorkbookError(Exception):
    """The file is not a ledger workbook (not .xlsx, malformed, hostile, too large, or no ledger sheet)."""


def read(path: Any) -> tuple[Sheet, Sheet | None]:
    """The ledger sheet and the exported values (None when the hidden sheet is gone).

    The file is checked as an archive first (``rectifykit.fsio.archive``), then streamed (openpyxl's read-only
    mode), formulas kept as formulas so that they can be refused; more than MAX_ROWS rows is refused.
    OSError when the file cannot be read, WorkbookError for everything that is wrong with it.
    """
    info = Path(path).stat()
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookError(_("not a regular file"))  # a FIFO or a device would block or never end
    if info.st_size > MAX_BYTES:
        raise WorkbookError(_("the file is larger than {limit} MiB").format(limit=MAX_BYTES // (1024 * 1024)))
    data = Path(path).read_bytes()
    try:
        archive.check(data)
    except archive.ArchiveError as exc:
        raise WorkbookError(str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            if SHEET not in wb.sheetnames:
                raise WorkbookError(_("no sheet named {name!r}").format(name=SHEET))
            return _stream(wb, SHEET), _stream(wb, EXPORTED) if EXPORTED in wb.sheetnames else None
        finally:
            wb.close()
    except _UNREADABLE as exc:
        raise WorkbookError(_("the workbook cannot be read ({reason})").format(
            reason=f"{type(exc).__name__}: {exc}"[:300])) from None


_UNREADABLE = (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, SyntaxError, EOFError,
               ArithmeticError, zipfile.BadZipFile, InvalidFileException)
"""What openpyxl raises on a malformed file (XML syntax errors are SyntaxErrors, defusedxml's ValueErrors)."""


def _stream(wb: Any, name: str) -> Sheet:
    """One sheet, row by row, through openpyxl's streaming parser (the one its read-only worksheets use, which
    also collects the merged ranges those do not offer)."""
    ws = wb[name]
    values: dict[int, tuple[Any, ...]] = {}
    unreadable: dict[tuple[int, int], str] = {}
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=False, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for index, cells in parser.parse():
            if index > MAX_ROWS:
                raise WorkbookError(_("the sheet {sheet!r} has more than {limit} rows; a ledger has one row per item")
                                    .format(sheet=name, limit=MAX_ROWS))
            row: list[Any] = []
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    continue
                row.extend([None] * (column - len(row)))
                kind = {"f": "formula", "e": "error"}.get(cell["data_type"])
                if kind is not None:
                    unreadable[(index, column)] = kind
                row[column - 1] = _value(cell["value"])
            values[index] = tuple(row)
        merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
        ranges = tuple((r.min_row, r.min_col, r.max_row, r.max_col, r.coord) for r in merged)
    last = max(values, default=1)
    table = [values.get(n, ()) for n in range(1, last + 1)]
    header = tuple("" if v is None else str(v).strip() for v in (table[0] if table else ()))
    return Sheet(name, header, tuple(table[1:]), unreadable, ranges)


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value
