"""The plan and the report as Word documents, and a unit's own reference document; the other python-docx user.

The plan (整改方案) and the report (整改情况报告) follow the notice's 公文 layout (``rectifykit.notice.docx``:
page, grid, fonts, title, signature and date per GB/T 9704-2012 §7.3.5) with their lists as tables in the
``Notice Table`` style (宋体 12 pt, single lines, no indent) on the ``Table Grid`` table style.

A reference document (``render --format docx --reference unit.docx``, or the project's
``templates/notice.docx``) works like pandoc's reference docx: the document is built on a copy of it with its
body emptied, so its styles, page set-up (size, margins, grid) and headers/footers (the 红头, page numbers)
are kept; the styles rectifykit uses are added only where the reference lacks them, so a unit redefines
them by name: ``Normal`` (body), ``Notice Title``, ``Notice Heading 1`` (一、), ``Notice Heading 2`` (（一）),
``Notice Heading 2 Char`` (a numbered paragraph's title), ``Notice Signature``, ``Notice Date`` and
``Notice Table``. The reference is untrusted input: it is read only if it is a zip of at most
:data:`MAX_ENTRIES` entries and :data:`MAX_UNPACKED` bytes unpacked, and no XML part declares a DTD or
entities (python-docx's parser expands none either).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rectifykit.fsio import archive
from rectifykit.i18n import _
from rectifykit.model.numbering import cn_paren
from rectifykit.notice import docx as notice_docx
from rectifykit.notice.context import NoticeError
from rectifykit.notice.docx import STYLE_OF, Para, Run

try:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
except ImportError as exc:  # pragma: no cover - the notice's module raises MissingExtra first
    raise ImportError("python-docx") from exc

__all__ = ["ReferenceError_", "document_docx", "notice_with_reference", "read_reference"]

MAX_SIZE = 20 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_UNPACKED = 100 * 1024 * 1024
TABLE_SIZE = Pt(12)
STYLES = ("Normal", "Notice Title", "Notice Heading 1", "Notice Heading 2", "Notice Heading 2 Char",
          "Notice Signature", "Notice Date", "Notice Table")
"""The style names a reference document may define (the rest of its styles are kept, unused)."""


class ReferenceError_(NoticeError):
    """The reference document cannot be used; the message says why."""


def read_reference(path: Path) -> bytes:
    """The bytes of a reference .docx after checking it is a modest zip whose XML declares no DTD or entity."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReferenceError_(_("cannot read {file}: {reason}").format(file=path, reason=exc.strerror or exc)) from None
    if len(data) > MAX_SIZE:
        raise ReferenceError_(_("{file} is larger than {size} MB; not read").format(file=path, size=MAX_SIZE >> 20))
    try:
        archive.check(data, max_total=MAX_UNPACKED)  # bytes counted as they unpack, bombs and DTDs refused
    except archive.ArchiveError as exc:
        raise ReferenceError_(_("{file} is not a Word .docx file ({reason})").format(file=path, reason=exc)) from None
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        if "word/document.xml" not in docx.namelist():
            message = _("{file} is not a Word .docx file ({reason})")
            raise ReferenceError_(message.format(file=path, reason="no word/document.xml"))
    return data


def _base(reference: bytes | None) -> Any:
    """The document to build on: rectifykit's layout, or the reference with its body emptied."""
    if reference is None:
        return notice_docx.document([])
    doc = Document(io.BytesIO(reference))
    body = doc.element.body
    for child in list(body):
        if child.tag.rsplit("}", 1)[-1] != "sectPr":
            body.remove(child)
    layout = notice_docx.document([])  # rectifykit's styles, to copy those the reference lacks
    names = {s.name for s in doc.styles}
    for style in layout.styles:
        if style.name in STYLES and style.name not in names:
            doc.styles.element.append(style.element)
    return doc


def _table_style(doc: Any) -> None:
    if "Notice Table" in {s.name for s in doc.styles}:
        return
    style = doc.styles.add_style("Notice Table", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = TABLE_SIZE
    fmt = style.paragraph_format
    fmt.first_line_indent, fmt.alignment = Pt(0), WD_ALIGN_PARAGRAPH.LEFT
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(16)
    ppr = style.element.get_or_add_pPr()
    notice_docx._first_line_chars(ppr, 0)
    snap = OxmlElement("w:snapToGrid")  # table text keeps its own 16 pt lines, not the page's 28.95 pt grid
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr")


def _para(doc: Any, para: Para) -> None:
    paragraph = doc.add_paragraph(style=STYLE_OF[para.kind])
    for run in para.runs:
        paragraph.add_run(run.text, style="Notice Heading 2 Char" if run.heading else None)


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    if "Table Grid" in {s.name for s in doc.styles}:
        table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].style = doc.styles["Notice Table"]
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            lines = str(text).split("\n")
            cell.paragraphs[0].style = doc.styles["Notice Table"]
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line, style="Notice Table")
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the table grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Mm(width)  # each cell, which Word reads


def _problem_text(problem: dict[str, Any], item: dict[str, Any]) -> str:
    return problem["title"] + "".join(item["points"])


def _plan(doc: Any, context: dict[str, Any]) -> list[Para]:
    header = ("序号", "问题", "整改措施", "责任领导", "责任科室", "责任人", "整改时限")
    for category in context["categories"]:
        _para(doc, Para("heading2", (Run(cn_paren(category["number"]) + category["title"], heading=True),)))
        rows = [(f"{p['number']}.", _problem_text(p, i), "\n".join(i["measures"]), i["leader"], i["department"],
                 i["person"], i["deadline"]) for p in category["problems"] for i in p["entries"]]
        _table(doc, header, rows, (10, 40, 50, 14, 14, 14, 14))
    return []


def _report(doc: Any, context: dict[str, Any]) -> list[Para]:
    c = context["counts"]
    _para(doc, Para("body", (Run("（内部材料，不得公开）"),)))
    _para(doc, Para("heading1", (Run("一、整改总体情况"),)))
    _para(doc, Para("body", (Run(
        f"截至{context['date']}，巡察反馈问题{c['problems']}个，整改条目{c['total']}项，已完成{c['done']}项，"
        f"未完成{c['open']}项，完成率{c['completion_rate']}；逾期{c['overdue']}项，到期复查{c['due_for_review']}项。"),)))
    header = ("问题类别", "问题数", "整改条目", *(s["label"] for s in c["by_status"]), "完成率")
    rows = [(x["title"], x["problems"], x["total"], *(s["count"] for s in x["by_status"]), x["completion_rate"])
            for x in [*context["by_category"], dict(c, title="合计")]]
    _table(doc, header, rows, (30, 12, 12, *([15] * len(c["by_status"])), 27))
    _para(doc, Para("heading1", (Run("二、问题整改情况"),)))
    header = ("序号", "问题", "整改状态", "整改措施", "责任领导／科室／人", "时限／完成", "佐证材料／下次复查")
    for category in context["categories"]:
        _para(doc, Para("heading2", (Run(cn_paren(category["number"]) + category["title"],
                                         heading=True),)))
        rows = [(f"{p['number']}.", _problem_text(p, i), i["label"], "\n".join(i["measures"]),
                 "\n".join(x for x in (i["leader"], i["department"], i["person"]) if x),
                 "\n".join(x for x in (i["deadline"], i["completed_on"] and "完成：" + i["completed_on"]) if x),
                 "\n".join([*i["evidence"], *(["复查：" + i["next_review"]] if i["next_review"] else [])]))
                for p in category["problems"] for i in p["entries"]]
        _table(doc, header, rows, (10, 36, 16, 44, 18, 16, 16))
    _para(doc, Para("heading1", (Run("三、尚未完成的整改事项"),)))
    for n, i in enumerate(context["open_items"], start=1):
        _para(doc, Para("body", (Run(
            f"{cn_paren(n)}{i['problem']}.{i['problem_title']}{''.join(i['points'])}（{i['label']}；"
            f"整改时限：{i['deadline'] or '—'}；下次复查：{i['next_review'] or '—'}）"),)))
    if not context["open_items"]:
        _para(doc, Para("body", (Run("无。"),)))
    return []


def document_docx(context: dict[str, Any], *, reference: bytes | None = None) -> bytes:
    """The plan or the report (``context["kind"]``, from ``rectifykit.notice.plan``) as .docx bytes."""
    doc = _base(reference)
    _table_style(doc)
    _para(doc, Para("title", (Run(context["title"]),)))
    (_report if context["kind"] == "report" else _plan)(doc, context)
    closing = [Para("signature", (Run(context["signature"]),)), Para("date", (Run(context["date"]),))]
    for para in closing:
        _para(doc, para)
    notice_docx._closing_indents(doc, closing)
    doc.core_properties.title, doc.core_properties.author = context["title"], context["signature"]
    return _save(doc)


def notice_with_reference(paras: Sequence[Para], reference: bytes) -> bytes:
    """The notice's paragraphs on a reference document (its styles, page set-up, header and footer)."""
    doc = _base(reference)
    for para in paras:
        _para(doc, para)
    notice_docx._closing_indents(doc, paras)
    return _save(doc)


def _save(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

