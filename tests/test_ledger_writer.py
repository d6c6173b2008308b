"""The ledger's body rows are written as sheet XML (rectifykit.reports.xlsx_rows), not cell by cell through openpyxl:
Excel and openpyxl read back what openpyxl itself would have written, and the styles do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from rectifykit.reports import ledger, xlsx_rows
from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _copies(root: Path, times: int) -> None:
    """Each finding of the example ``times`` over, under new ids and orders: more rows that look the same."""
    for path in sorted((root / "data" / "findings").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for k in range(2, times + 1):
            copy = re.sub(r"^id: .*$", f"id: {path.stem}-{k}", text, count=1, flags=re.M)
            copy = re.sub(r"^order: (\d+)", rf"order: \g<1>{k}", copy, count=1, flags=re.M)
            path.with_name(f"{path.stem}-{k}.yaml").write_text(copy, encoding="utf-8")


def _ledger(root: Path) -> Path:
    out = root / "ledger.xlsx"
    result = rectify("ledger", "--root", str(root), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out


def test_three_times_the_rows_make_the_same_styles(tmp_path: Path) -> None:
    """Cell formats are made per look (band, size, date, quote prefix), never per cell or per row: a ledger three
    times as long has the same styles.xml (a writer that made a format per cell would grow it with every row)."""
    one, three = tmp_path / "one", tmp_path / "three"
    for root in (one, three):
        shutil.copytree(REPO / "data", root / "data")
    _copies(three, 3)
    small, large = _ledger(one), _ledger(three)
    rows = [openpyxl.load_workbook(p, read_only=True)[ledger.SHEET].max_row for p in (small, large)]
    assert rows[1] - 1 == 3 * (rows[0] - 1), rows
    styles = [zipfile.ZipFile(p).read("xl/styles.xml") for p in (small, large)]
    assert styles[0] == styles[1]
    assert styles[1].count(b"<xf ") < 60, styles[1].count(b"<xf ")  # a few dozen looks, whatever the rows


CELLS = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(["=1+1", " lead", "trail\t", "a\r\nb\rc", "<t>&amp;</t>", "整改\u3000", "]]>", "_x000D_", ""]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([dt.date(1800, 1, 1), dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(1900, 2, 28),
                     dt.date(1900, 3, 1), dt.date(2024, 2, 29)]),  # around Excel's day 60 (a 29 February 1900)
)


def _read_back(data: bytes) -> tuple[list[tuple[Any, str]], list[tuple[Any, ...]]]:
    """What openpyxl reads from the row, and its text elements as written (Excel keeps white space at either
    end of a text only when its element says so)."""
    ws = openpyxl.load_workbook(io.BytesIO(data))["s"]
    values = [(cell.value, cell.data_type) for cell in ws[2]] if ws.max_row >= 2 else []
    sheet = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    texts = [(t.attrib, t.text) for t in sheet.iter(f"{{{MAIN}}}t")]
    return values, texts


def _by_openpyxl(values: list[Any]) -> bytes:
    """The row as openpyxl writes it, text typed as text (as ledger._inert does)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "s"
    ws.append(["header"])
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row=2, column=c, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.number_format = "yyyy-mm-dd" if isinstance(value, dt.date) else "General"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _by_xlsx_rows(values: list[Any]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "s"
    ws.append(["header"])
    scratch = wb.create_sheet()
    dated, plain = scratch.cell(row=1, column=1), scratch.cell(row=2, column=1)
    dated.number_format, plain.number_format = "yyyy-mm-dd", "General"
    styles = [dated.style_id if isinstance(v, dt.date) else plain.style_id for v in values]
    wb.remove(scratch)
    buffer = io.BytesIO()
    wb.save(buffer)
    body = xlsx_rows.Body([xlsx_rows.row_xml(2, values, styles, 20.5)], 2, max(1, len(values)))
    return xlsx_rows.splice(buffer.getvalue(), {"xl/worksheets/sheet1.xml": body})


def _outcome(write: Any, values: list[Any]) -> Any:
    try:
        return _read_back(write(values))
    except (IllegalCharacterError, ValueError):  # text XML cannot hold (openpyxl's error, lxml's, ours)
        return "refused"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELLS, min_size=1, max_size=8))
def test_cells_read_back_as_openpyxl_would_have_written_them(values: list[Any]) -> None:
    """Text (white space at either end, line breaks and carriage returns, markup, formula-like text, any script),
    numbers and dates come back from the sheet XML exactly as from openpyxl's own writer; text XML cannot hold
    is refused by both, never written into a file no spreadsheet would open."""
    expected = _outcome(_by_openpyxl, values)
    assert _outcome(_by_xlsx_rows, values) == expected

