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

openpyxl lays the workbook out (styles, header rows, widths, filters, validations, print set-up); the body
rows of the ledger and hidden sheets, hundreds of thousands of cells in a large round, are written as sheet
XML by ``rectifykit.reports.xlsx_rows``, and their heights and font sizes estimated by
``rectifykit.reports.cell_layout``.

The roll-up across units (``rectify rollup --format xlsx``) is written here too.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rectifykit.diagnostics import MissingExtra
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection, MeasureParagraph, State
from rectifykit.model.wording import STATE_LABEL
from rectifykit.notice.plan import measure_paragraphs, point_texts
from rectifykit.reports import xlsx_rows
from rectifykit.reports.cell_layout import FONT_SIZE, layout, row_height
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
KEY_FONT_SIZE = 9
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


PLAIN, DATE, QUOTED = 0, 1, 2
"""What a cell's value asks of its style: nothing, the date format, or a quote prefix (text that starts like a
formula, see :func:`_inert`)."""


def _kinds(values: Sequence[Any]) -> tuple[int, ...]:
    return tuple(DATE if isinstance(v, dt.date) else QUOTED if isinstance(v, str) and v.startswith(FORMULA_START)
                 else PLAIN for v in values)


def _body_style(cell: Any, key: tuple[Any, ...]) -> None:
    """A body cell's style: wrapped and bordered; the band's fill, the font size, what its value asks for."""
    fill, font, kind = key
    cell.alignment, cell.border = WRAP, BORDER
    if kind == DATE:
        cell.number_format = "yyyy-mm-dd"
    if fill is not None:
        cell.fill = PatternFill("solid", fgColor=fill)
    if font == "key":
        cell.font = Font(color="808080", size=KEY_FONT_SIZE)
    elif font != FONT_SIZE:
        cell.font = Font(size=font)
    cell.quotePrefix = kind == QUOTED


def _exported_style(cell: Any, key: tuple[Any, ...]) -> None:
    """A cell of the hidden sheet: a date's format (as openpyxl gives a date), a quote prefix."""
    (kind,) = key
    if kind == DATE:
        cell.number_format = "yyyy-mm-dd"
    cell.quotePrefix = kind == QUOTED


def _style_ids(wb: Any, signatures: list[tuple[Any, ...]], keys: Any, style: Any) -> list[tuple[int, ...]]:
    """Each row's cell styles as indices among the workbook's cell formats, from the rows' signatures.

    ``keys(signature)`` gives the signature's cell styles (any hashable value per cell), and ``style(cell, key)``
    gives a cell that style. Each style is made once, on a scratch sheet (openpyxl hashes a style at each
    assignment; a ledger has a few dozen styles and hundreds of thousands of cells); rows that share a signature
    share one tuple.
    """
    distinct = {signature: keys(signature) for signature in signatures}
    scratch = wb.create_sheet()
    ids: dict[Any, int] = {}
    for n, key in enumerate(sorted({key for k in distinct.values() for key in k}, key=repr), start=1):
        cell = scratch.cell(row=n, column=1)
        style(cell, key)
        ids[key] = cell.style_id
    wb.remove(scratch)
    rows = {signature: tuple(ids[key] for key in k) for signature, k in distinct.items()}
    return [rows[signature] for signature in signatures]


def _ledger_keys(signature: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    fill, sizes, kinds = signature
    return [(fill, "key" if c == len(HEADERS) - 1 else size, kind)
            for c, (size, kind) in enumerate(zip(sizes, kinds, strict=True))]


def _ledger_sheet(ws: Any, table: Sequence[Row], *, title: str) -> xlsx_rows.Body:
    """The ledger's header and layout (openpyxl) and its body rows (written by :mod:`xlsx_rows` at saving)."""
    _header(ws, 1, HEADERS)
    ws.cell(row=1, column=len(HEADERS)).comment = Comment(
        "请勿修改：此列把每一行对应到记录文件（rectify ledger --apply）。", "rectifykit")
    layouts = [layout(row.values, WIDTHS) for row in table]
    styles = _style_ids(ws.parent, [(FILLS.get(row.band), sizes, _kinds(row.values))
                                    for row, (_, sizes) in zip(table, layouts, strict=True)], _ledger_keys, _body_style)

    def body() -> Iterator[str]:
        for r, (row, (height, _), row_styles) in enumerate(zip(table, layouts, styles, strict=True), start=2):
            yield xlsx_rows.row_xml(r, row.values, row_styles, height)

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
    return xlsx_rows.Body(body(), len(table) + 1, len(HEADERS))


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


def _exported_sheet(ws: Any, table: Sequence[Row]) -> xlsx_rows.Body:
    """The editable values as exported: --apply changes only what differs from them."""
    ws.append([KEY, *EDITABLE.values()])
    ws.sheet_state = "veryHidden"
    values = [(row.get(KEY), *(row.get(h) for h in EDITABLE)) for row in table]
    styles = _style_ids(ws.parent, [_kinds(line) for line in values], lambda kinds: [(k,) for k in kinds],
                        _exported_style)

    def body() -> Iterator[str]:
        for r, (line, line_styles) in enumerate(zip(values, styles, strict=True), start=2):
            yield xlsx_rows.row_xml(r, line, line_styles)

    return xlsx_rows.Body(body(), len(table) + 1, len(EDITABLE) + 1)


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


def _save(wb: Any, bodies: dict[Any, xlsx_rows.Body] | None = None) -> bytes:
    """The workbook's bytes, with the body rows of its large sheets; the one door out, so that no workbook leaves
    with a formula in it (the body rows are text cells by construction, see :mod:`xlsx_rows`)."""
    _inert(wb)
    buffer = io.BytesIO()
    wb.save(buffer)  # each sheet's path is set while saving
    if not bodies:
        return buffer.getvalue()
    return xlsx_rows.splice(buffer.getvalue(), {ws.path.lstrip("/"): body for ws, body in bodies.items()})


def export(report: Report, *, unit: str) -> bytes:
    """The ledger workbook (.xlsx bytes) for a status report."""
    wb = Workbook()
    table = rows(report)
    ws = _first_sheet(wb)
    ws.title = SHEET
    body = _ledger_sheet(ws, table, title=f"{unit}巡察整改台账（{report.as_of.isoformat()}）")
    _summary_sheet(wb.create_sheet(SUMMARY), report, unit=unit)
    exported = wb.create_sheet(EXPORTED)
    exported_body = _exported_sheet(exported, table)
    wb.properties.title, wb.properties.creator = f"{unit}巡察整改台账", "rectifykit"
    return _save(wb, {ws: body, exported: exported_body})


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
