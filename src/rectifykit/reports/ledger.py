"""The rectification ledger (整改台账) as an Excel workbook, and reading one back; the only openpyxl user.

One row per tracked item (the items of ``rectify status``, in the notice's
order), the columns offices use (序号 … 备注) and, last, 条目编号: the item's
key, which links a row to its record when the workbook comes back
(``rectify ledger --apply``, see ``rectifykit.ledger_apply``). The header is
frozen and filtered, text wraps, the page is landscape A4 with the header
repeated on every page; overdue rows are red, urgent and due-soon rows
yellow, items due for review purple, done rows green. The sheet 汇总 counts
items by category and state with the completion rate, by the same
definitions as ``rectify status``. A very hidden sheet keeps the values of
the editable columns as exported, so that applying the workbook changes only
what staff changed.

The roll-up across units (``rectify rollup --format xlsx``) is written here too.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rectifykit.diagnostics import MissingExtra
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection, MeasureParagraph, State
from rectifykit.model.wording import STATE_LABEL
from rectifykit.notice.plan import measure_paragraphs, point_texts
from rectifykit.reports.ledger_read import EXPORTED, SHEET, Sheet, WorkbookError, read  # noqa: F401 (read back here too)
from rectifykit.reports.status import BAND_LABEL
from rectifykit.track.status import Band, Counts, Item, Report

try:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the package
    raise MissingExtra("openpyxl") from exc

if TYPE_CHECKING:
    from rectifykit.track.rollup import Rollup

SUMMARY = "汇总"
KEY = "条目编号"
HEADERS = (
    "序号", "问题类别", "反馈问题", "具体问题", "整改措施", "责任领导", "责任科室", "责任人",
    "整改时限", "完成时间", "整改状态", "佐证材料", "备注", KEY,
)
WIDTHS = (3, 8, 9, 24, 44, 6, 7, 6, 10, 10, 8, 9, 5, 12)
"""Column widths in spreadsheet units (LibreOffice prints one unit about 7 pt wide): 161 units, about
1127 pt, fit an A3 landscape page (1147 pt inside the margins) at 100 %, so the ledger prints at 11 pt;
the key column, and a long text that would need a row taller than a spreadsheet allows, at 9 pt."""
FONT_SIZE, KEY_FONT_SIZE, SMALL_FONT_SIZE = 11, 9, 9
CJK_UNITS = 1.6
"""Width of a Chinese character of the 11 pt default font in column units (11 pt ÷ 7 pt)."""
LINE_HEIGHT = 16.5
"""Points per printed line of 11 pt text (LibreOffice sets 16), a little to spare."""
MAX_ROW_HEIGHT = 409.0
"""The tallest row a spreadsheet allows (points)."""
EDITABLE = {"责任领导": "leader", "责任科室": "department", "责任人": "person",
            "整改时限": "deadline", "完成时间": "completed_on", "整改状态": "status"}
"""Columns whose changes ``--apply`` writes into the records, and the field each one sets."""
DATE_COLUMNS = ("整改时限", "完成时间")
"""The wording offered in the 整改状态 drop-down, one per canonical state."""
FILLS = {
    Band.overdue: "FFC7CE",
    Band.due_urgent: "FFEB9C",
    Band.due_soon: "FFF2CC",
    Band.due_for_review: "E4DFEC",
    Band.done: "C6EFCE",
}
COUNT_HEADERS = ("问题数", "整改条目", *(STATE_LABEL[s] for s in State),
                 "已完成（计入完成率）", "未完成", BAND_LABEL[Band.overdue], BAND_LABEL[Band.due_for_review], "完成率")
RATE_NOTE = ("完成率 =（" + " + ".join(STATE_LABEL[s] for s in State if s.closed) + "）÷ 全部整改条目")
SUMMARY_FIRST_WIDTH, SUMMARY_WIDTH = 24, 9
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass(frozen=True)
class Row:
    """One ledger row: the values of HEADERS, in order, and the item's band."""

    values: tuple[Any, ...]
    band: Band

    def get(self, header: str) -> Any:
        return self.values[HEADERS.index(header)]


def measures_text(measures: Sequence[str | MeasureParagraph]) -> str:
    """A response's measures as the notice prints them, one paragraph a line."""
    return "\n".join(measure_paragraphs(measures))


def specific_text(unit: tally.Unit) -> str:
    """The points an item answers (一是…), or the problem's description when it has none."""
    return "\n".join(point_texts(unit)) if unit.points else unit.finding.description or ""


def row_of(item: Item, index: int, categories: dict[str, str]) -> Row:
    unit, t = item.unit, item.unit.tracking
    responses = unit.finding.responses
    measures = responses[unit.response_index].measures if unit.response_index < len(responses) else []  # a draft
    values = (
        index,
        categories.get(item.category, item.category),
        f"{item.number}.{unit.finding.title}",
        specific_text(unit),
        measures_text(measures),
        t.leader, t.department, t.person, t.deadline, t.completed_on,
        unit.label,
        "\n".join(t.evidence),
        t.notes,
        unit.key,
    )
    return Row(values, item.band)


def rows(report: Report) -> list[Row]:
    """The ledger's rows: every item of the report, in the notice's order."""
    return [row_of(item, n, report.categories) for n, item in enumerate(report.items, start=1)]


def _counts_row(name: str, c: Counts) -> list[Any]:
    return [name, c.problems, c.items, *(c.by_state[s] for s in State), c.done, c.open, c.overdue,
            c.due_for_review, c.completion_rate]


class _CharUnits(dict[str, float]):
    """Each character's width in column units, worked out once per character (a ledger has millions)."""

    def __missing__(self, char: str) -> float:
        units = self[char] = CJK_UNITS if unicodedata.east_asian_width(char) in "WF" else 1.0
        return units


_CHAR_UNITS = _CharUnits()


def _units(text: str) -> float:
    """Width of a text in column-width units: a digit is one unit, a Chinese character :data:`CJK_UNITS`."""
    if text.isascii():
        return float(len(text))
    return sum(map(_CHAR_UNITS.__getitem__, text))


def lines_needed(value: Any, width: float, size: float = FONT_SIZE) -> int:
    """Lines a wrapped cell needs at a column width and font size: each paragraph wraps on its own."""
    if value is None:
        return 1
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = f"{value:.2%}"
    else:
        text = str(value)
    usable = max(1.0, width - 0.5)  # the cell's padding
    usable *= FONT_SIZE / size
    return max(1, sum(max(1, math.ceil(_units(line) / usable)) for line in text.split("\n")))


def row_height(values: Sequence[Any], widths: Sequence[float], sizes: Sequence[float] | None = None) -> float:
    """A row's height (points) that shows every wrapped cell whole, estimated from text length and widths."""
    sizes = sizes or [FONT_SIZE] * len(values)
    need = max(lines_needed(v, w, z) * LINE_HEIGHT * z / FONT_SIZE
               for v, w, z in zip(values, widths, sizes, strict=False))
    return min(MAX_ROW_HEIGHT, need + 4)


def font_sizes(values: Sequence[Any], widths: Sequence[float]) -> list[float]:
    """Each cell's font size: 11 pt, or 9 pt for a text too long for the tallest row at 11 pt."""
    return [SMALL_FONT_SIZE if lines_needed(v, w) * LINE_HEIGHT + 4 > MAX_ROW_HEIGHT else FONT_SIZE
            for v, w in zip(values, widths, strict=False)]


def _print_setup(ws: Any, *, paper: int, one_page: bool = False) -> None:
    """Landscape, narrow margins, gridlines off, at 100 %; with ``one_page`` shrunk to one page if it must be."""
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", paper
    if one_page:
        ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # fit-to-width shrank the ledger to about 5 pt on A4: the widths fit A3 at full size instead
        ws.page_setup.scale = 100
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.gridLines = False


def _header(ws: Any, row: int, values: Sequence[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _ledger_sheet(ws: Any, table: Sequence[Row], *, title: str) -> None:
    _header(ws, 1, HEADERS)
    ws.cell(row=1, column=len(HEADERS)).comment = Comment(
        "请勿修改：此列把每一行对应到记录文件（rectify ledger --apply）。", "rectifykit")
    # openpyxl hashes a style object at each assignment to a cell; the few styles of the rows are made
    # once each and then given to cells as the style indices they became (the same workbook, linear).
    made: dict[tuple[Any, ...], Any] = {}
    for r, row in enumerate(table, start=2):
        sizes = font_sizes(row.values, WIDTHS)
        for c, value in enumerate(row.values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            font = "key" if c == len(HEADERS) else sizes[c - 1]
            style = (row.band if row.band in FILLS else None, isinstance(value, dt.date), font)
            if (done := made.get(style)) is not None:
                cell._style = copy.copy(done)
                continue
            cell.alignment, cell.border = WRAP, BORDER
            if style[1]:
                cell.number_format = "yyyy-mm-dd"
            if style[0] is not None:
                cell.fill = PatternFill("solid", fgColor=FILLS[row.band])
            if font == "key":
                cell.font = Font(color="808080", size=KEY_FONT_SIZE)
            elif font != FONT_SIZE:
                cell.font = Font(size=font)
            made[style] = copy.copy(cell._style)
        ws.row_dimensions[r].height = row_height(row.values, WIDTHS, sizes)
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[1].height = row_height(HEADERS, WIDTHS)
    last = get_column_letter(len(HEADERS))
    end = max(2, len(table) + 1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{end}"
    status_col = get_column_letter(HEADERS.index("整改状态") + 1)
    choices = DataValidation(type="list", formula1='"' + ",".join(STATE_LABEL.values()) + '"', allow_blank=False,
                             errorStyle="warning", showErrorMessage=True,
                             error="请从列表中选择整改状态", errorTitle="整改状态")
    choices.add(f"{status_col}2:{status_col}{end}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                           showErrorMessage=True, error="请填写日期，如 2024-06-30", errorTitle="日期")
    for header in DATE_COLUMNS:
        col = get_column_letter(HEADERS.index(header) + 1)
        dates.add(f"{col}2:{col}{end}")
    ws.add_data_validation(choices)
    ws.add_data_validation(dates)
    _print_setup(ws, paper=ws.PAPERSIZE_A3)
    ws.print_title_rows = "1:1"  # the header row on every printed page
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _summary_sheet(ws: Any, report: Report, *, unit: str) -> None:
    ws["A1"] = f"{unit}巡察整改台账汇总"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"统计日期：{report.as_of.isoformat()}"
    _header(ws, 4, ("问题类别", *COUNT_HEADERS))
    lines = [_counts_row(report.categories.get(k, k), c) for k, c in report.by_category.items()]
    lines.append(_counts_row("合计", report.overall))
    for r, values in enumerate(lines, start=5):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border, cell.alignment = BORDER, Alignment(wrap_text=True, vertical="center")
        ws.cell(row=r, column=len(values)).number_format = "0.00%"
    for c in range(1, len(lines[-1]) + 1):
        ws.cell(row=4 + len(lines), column=c).font = Font(bold=True)
    row = 6 + len(lines)
    ws.cell(row=row, column=1, value=RATE_NOTE)
    ws.cell(row=row + 1, column=1, value="行颜色：")
    for n, band in enumerate(FILLS, start=row + 2):
        cell = ws.cell(row=n, column=1, value=BAND_LABEL[band])
        cell.fill = PatternFill("solid", fgColor=FILLS[band])
    widths = [SUMMARY_FIRST_WIDTH, *([SUMMARY_WIDTH] * len(COUNT_HEADERS))]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[4].height = row_height(("问题类别", *COUNT_HEADERS), widths)
    for r, values in enumerate(lines, start=5):
        ws.row_dimensions[r].height = row_height(values, widths)
    _print_setup(ws, paper=ws.PAPERSIZE_A4, one_page=True)  # 141 units, about 261 mm: A4 landscape at 100 %


def _exported_sheet(ws: Any, table: Sequence[Row]) -> None:
    """The editable values as exported: --apply changes only what differs from them."""
    ws.append([KEY, *EDITABLE.values()])
    for row in table:
        ws.append([row.get(KEY), *(row.get(h) for h in EDITABLE)])
    ws.sheet_state = "veryHidden"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program takes for the start of a formula when someone types it (OWASP CSV injection)."""


def _inert(wb: Any) -> None:
    """Every text cell a text cell: openpyxl makes a formula of any text starting with '=', and record text may.

    Text starting like a formula also gets Excel's quote prefix, so that it stays text when someone edits the cell.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_START):
                        cell.quotePrefix = True


def _first_sheet(wb: Workbook) -> Worksheet:
    """A new workbook's one sheet (openpyxl's types allow for none, or a chartsheet)."""
    ws = wb.active
    assert isinstance(ws, Worksheet), "a new workbook starts with one worksheet"
    return ws


def _save(wb: Any) -> bytes:
    """The workbook's bytes; the one door out, so that no workbook leaves with a formula in it."""
    _inert(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export(report: Report, *, unit: str) -> bytes:
    """The ledger workbook (.xlsx bytes) for a status report."""
    wb = Workbook()
    table = rows(report)
    ws = _first_sheet(wb)
    ws.title = SHEET
    _ledger_sheet(ws, table, title=f"{unit}巡察整改台账（{report.as_of.isoformat()}）")
    _summary_sheet(wb.create_sheet(SUMMARY), report, unit=unit)
    _exported_sheet(wb.create_sheet(EXPORTED), table)
    wb.properties.title, wb.properties.creator = f"{unit}巡察整改台账", "rectifykit"
    return _save(wb)


def ledger(inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date) -> bytes:
    """The ledger workbook for some records, as of a date."""
    from rectifykit.track import status

    return export(status.build(inspection, findings, as_of=as_of), unit=inspection.unit)


# ---------------------------------------------------------------- the roll-up across units


def rollup_workbook(rollup: Rollup) -> bytes:
    """The roll-up as a workbook: one row per unit and the totals; the sample of closed items."""
    wb = Workbook()
    ws = _first_sheet(wb)
    ws.title = SUMMARY
    ws["A1"] = "巡察整改情况汇总"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"统计日期：{rollup.as_of.isoformat()}"
    _header(ws, 4, ("单位", "目录", "问题全部整改完成", *COUNT_HEADERS))
    lines = [[u.unit, u.path, u.problems_done, *_counts_row("", u.counts)[1:]] for u in rollup.units]
    lines.append(["合计", "", rollup.problems_done, *_counts_row("", rollup.total)[1:]])
    for r, values in enumerate(lines, start=5):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border, cell.alignment = BORDER, Alignment(wrap_text=True, vertical="center")
        ws.cell(row=r, column=len(values)).number_format = "0.00%"
    ws.cell(row=6 + len(lines), column=1, value=RATE_NOTE)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 20
    ws.freeze_panes = "A5"
    if rollup.sample:
        sheet = wb.create_sheet("回头看抽查")
        sheet["A1"] = f"回头看抽查（随机种子 {rollup.seed}）"
        _header(sheet, 2, ("单位", "条目编号", "反馈问题", "整改状态", "完成时间", "佐证材料"))
        for r, s in enumerate(rollup.sample, start=3):
            for c, value in enumerate((s.unit, s.key, s.problem, s.label, s.completed_on, "\n".join(s.evidence)),
                                      start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                cell.alignment, cell.border = WRAP, BORDER
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for c, width in enumerate((24, 26, 36, 16, 12, 30), start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
    return _save(wb)
