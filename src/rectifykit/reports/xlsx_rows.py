"""The body rows of a large worksheet written as SpreadsheetML text, into the workbook openpyxl wrote without them.

openpyxl makes an object of every cell and writes each one through lxml, every character outside ASCII as a
character reference (``&#20307;``: 8 bytes for UTF-8's 3). The ledger of 10,000 findings has ~20,000 rows and
~370,000 cells: that was most of ``rectify ledger``'s time, and a 107 MB sheet to compress. So openpyxl lays
out the workbook (styles, the header rows, widths, frozen panes, filters, validations, print set-up, the other
sheets) and the body rows of the large sheets are written here, the cells openpyxl would write, in UTF-8,
row by row straight into the archive (only one chunk of rows is in memory at a time).

The cells are those of openpyxl: text is always an inline string, never a formula (the ledger's cells are inert);
numbers and dates are numbers (dates as Excel serial days, which the cell's date format shows); a cell without
a value is written only when it has a style. Text that XML cannot hold (control characters) is refused with
the same ValueError as openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters no XML document may hold (openpyxl refuses the same control characters)."""
EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's serial dates (openpyxl's WINDOWS_EPOCH); serials 1–60 keep Lotus 1-2-3's leap day."""
CHUNK = 500
"""Rows joined and compressed at a time."""
LEVEL = 2
"""zlib level of the written archive. At 10,000 findings (~50 MB of sheet XML): level 2 takes 0.26 s of CPU for a
9 MB file, zipfile's default 6 takes 0.67 s for 6.5 MB; the file openpyxl wrote before was 14 MB."""


def column_letters(count: int) -> tuple[str, ...]:
    """The letters of the first ``count`` columns (A, B, … Z, AA, …)."""
    out = []
    for n in range(1, count + 1):
        letters = ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        out.append(letters)
    return tuple(out)


LETTERS = column_letters(64)


def _serial(day: dt.date) -> float:
    """A date (or a date and time) as Excel's serial number, as openpyxl writes it."""
    days = (day.toordinal() - EPOCH.toordinal())
    if 0 < days <= 60:
        days -= 1
    if isinstance(day, dt.datetime):
        if day.tzinfo is not None:
            raise TypeError("Excel does not support time zones in dates")
        return days + (day.hour * 3600 + day.minute * 60 + day.second + day.microsecond / 1e6) / 86400
    return days


def _number(value: float) -> str:
    return "%.16g" % value if math.isfinite(value) else ""  # noqa: UP031 (openpyxl's own format)


def _text(value: str) -> str:
    """A text's ``<t>`` element: escaped as lxml escapes, white space kept when it starts or ends the text."""
    if not value.isprintable() and ILLEGAL.search(value):
        raise ValueError(f"{value!r} cannot be used in worksheets")  # exit 3, as openpyxl's IllegalCharacterError
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if value[0].isspace() or value[-1].isspace():  # what str.strip() would take away
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def row_xml(number: int, values: Sequence[Any], styles: Sequence[int], height: float | None = None) -> str:
    """One ``<row>``: the values from column A on, each with its style, and the row's height in points when given."""
    parts = [f'<row r="{number}" ht="{_number(height)}" customHeight="1">' if height is not None
             else f'<row r="{number}">']
    for letter, value, style in zip(LETTERS, values, styles, strict=False):
        head = f'<c r="{letter}{number}" s="{style}"' if style else f'<c r="{letter}{number}"'
        if isinstance(value, str):
            parts.append(f'{head} t="inlineStr"><is>{_text(value)}</is></c>' if value else f'{head} t="inlineStr"/>')
        elif value is None:
            if style:
                parts.append(f'{head} t="n"/>')
        elif isinstance(value, bool):
            raise TypeError(f"a ledger cell holds a bool ({letter}{number})")  # never: no such field
        elif isinstance(value, int | float):
            parts.append(f'{head} t="n"><v>{_number(value)}</v></c>')
        elif isinstance(value, dt.date):
            parts.append(f'{head} t="n"><v>{_number(_serial(value))}</v></c>')
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a cell ({letter}{number})")
    parts.append("</row>")
    return "".join(parts)


@dataclass(frozen=True)
class Body:
    """A worksheet's body: its rows' XML (from :func:`row_xml`, in order, after the rows openpyxl wrote) and the
    last row and column, for the sheet's dimension."""

    rows: Iterable[str]
    last_row: int
    last_column: int


DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def _parts(sheet: bytes, body: Body) -> Iterator[bytes]:
    """The sheet openpyxl wrote with the body's rows inserted after its own: at the end of ``sheetData``."""
    end = sheet.find(b"</sheetData>")
    if end < 0 or sheet.count(b"</sheetData>") != 1 or len(DIMENSION.findall(sheet, 0, end)) != 1:
        raise RuntimeError("unexpected worksheet XML from openpyxl: no single sheetData and dimension")
    ref = f'<dimension ref="A1:{LETTERS[body.last_column - 1]}{body.last_row}"/>'.encode()
    yield DIMENSION.sub(ref, sheet[:end], count=1)
    rows = iter(body.rows)
    while chunk := "".join(islice(rows, CHUNK)):
        yield chunk.encode("utf-8")
    yield sheet[end:]


def splice(workbook: bytes, bodies: Mapping[str, Body]) -> bytes:
    """The workbook (.xlsx bytes as openpyxl saved them) with each body added to its worksheet, named by its
    path in the archive (openpyxl's ``ws.path`` without the leading slash)."""
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(workbook)) as source,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as target):
        missing = set(bodies) - set(source.namelist())
        if missing:
            raise RuntimeError(f"no worksheet {sorted(missing)} in the workbook")
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename not in bodies:
                target.writestr(entry.filename, data)
                continue
            with target.open(entry.filename, "w") as sheet:
                for part in _parts(data, bodies[entry.filename]):
                    sheet.write(part)
    return out.getvalue()
