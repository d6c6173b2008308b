"""The notice as a Word document in the national official-document layout (GB/T 9704-2012); the only python-docx user.

The document is built from the same context as the markdown notice
(``rectifykit.notice.build_context``), paragraph by paragraph in the order of
the packaged ``notice.md.j2``, so that its text equals the markdown's text
(headings without ``#``, escapes removed). A project's own markdown template
does not change the .docx.

Layout (GB/T 9704-2012): A4; margins 37 mm top, 35 mm bottom, 28 mm left,
26 mm right (a 156 × 225 mm text block); a document grid of 22 lines × 28
characters, body lines at a fixed 28.95 pt; title 方正小标宋简体 二号 (22 pt)
centred; body 仿宋_GB2312 三号 (16 pt), justified, first line indented two
characters; level-1 headings (一、) 黑体, level-2 (（一）, also the titles of
numbered paragraphs) 楷体_GB2312; signature and date right-aligned, the date
four characters from the right edge and the signature centred above it; page
numbers "— 1 —" in 宋体 四号 (14 pt) at the foot, odd pages right and even
pages left, one character in from the edge.

Where the official faces are missing (every Linux machine), the packaged fontconfig file
``notice/fonts/fonts.conf`` (:data:`FONTCONFIG`) maps each role to a free face a Debian package ships:
仿宋 → FandolFang or Noto Serif CJK SC (fonts-noto-cjk), 楷体 → FandolKai or AR PL UKai (fonts-arphic-ukai),
黑体 → FandolHei or Noto Sans CJK SC, 小标宋 → Noto Serif CJK SC Bold; LibreOffice then keeps the four roles
visibly apart (``FONTCONFIG_FILE=…/fonts.conf soffice``, or copy it to ``~/.config/fontconfig/conf.d/``).

Fonts are named for east-Asian text (``w:eastAsia``) with Times New Roman for
Latin letters and digits, and the document's font table gives each Chinese
font a fallback (``w:altName``) that a machine without it is likely to have:
仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 华文中宋, 黑体 → SimHei,
宋体 → SimSun.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectifykit.diagnostics import MissingExtra
from rectifykit.model.numbering import cn_paren, cn_section, measure_prefix, point_prefix
from rectifykit.model.records import Finding, Inspection
from rectifykit.notice.context import NoticeError, build_context

try:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the package
    raise MissingExtra("python-docx") from exc

__all__ = ["FONTCONFIG", "FONTS", "NoticeError", "Para", "Run", "notice_docx", "paragraphs"]

TITLE_FONT, BODY_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "宋体"
HEADING1_FONT, HEADING2_FONT = "黑体", "楷体_GB2312"
LATIN_FONT = "Times New Roman"
FONTS: dict[str, tuple[str, str, str]] = {
    # name: (fallback, family, pitch) for the font table
    TITLE_FONT: ("华文中宋", "roman", "variable"),
    BODY_FONT: ("仿宋", "modern", "fixed"),
    HEADING1_FONT: ("SimHei", "modern", "fixed"),
    HEADING2_FONT: ("楷体", "modern", "fixed"),
    PAGE_FONT: ("SimSun", "auto", "variable"),
}
"""Each Chinese font of the layout with its fallback (``w:altName``), font family and pitch."""

FONTCONFIG = Path(__file__).with_name("fonts") / "fonts.conf"
"""fontconfig rules giving each official face a free substitute of the same role (see the module's text)."""

TITLE_SIZE, BODY_SIZE, PAGE_SIZE = Pt(22), Pt(16), Pt(14)  # 二号, 三号, 四号
LINE = Pt(28.95)
"""225 mm ÷ 22 lines, as Word's grid pitch (579 twips)."""
INDENT = 2 * BODY_SIZE


@dataclass(frozen=True)
class Run:
    """A stretch of text in one paragraph; ``heading`` marks a level-2 title set in 楷体."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph of the notice: ``kind`` is title, heading1, heading2, body, signature or date."""

    kind: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _clean(value: object) -> str:
    """A value as the markdown notice prints it: None is nothing, blank lines are dropped."""
    if value is None:
        return ""
    return "\n".join(line for line in str(value).splitlines() if line.strip())


def _body(*parts: object) -> Para:
    return Para("body", (Run("".join(_clean(p) for p in parts)),))


def _problem(problem: dict[str, Any]) -> Iterator[Para]:
    """A problem's printed sequence, as ``notice.md.j2`` prints it."""
    for block in problem["blocks"]:
        points = "".join(point_prefix(p["number"]) + _clean(p["title"]) + _clean(p["text"]) for p in block["points"])
        if block["kind"] == "title":
            yield _body(f"{problem['number']}.", problem["title"], problem["description"], points)
            continue
        if block["points"]:
            yield _body(points)
        yield _body("整改情况：", block["status"]["label"])
        for index, measure in enumerate(block["measures"]):
            lead = _clean(block["measures_label"]) + "：" if index == 0 else ""
            items = "".join(measure_prefix(n) + _clean(item) for n, item in enumerate(measure["items"], start=1))
            yield _body(lead, measure["intro"], items, measure["outro"])


def title_of(inspection: dict[str, Any]) -> str:
    """The document's 公文 title: the records' title, or the genre's ``{unit}关于{round}巡察整改进展情况的通报``.

    The markdown notice prints only a title the records give (many published notices print none in the
    body); a Word document is the 公文 itself, so it always has one.
    """
    if inspection["title"]:
        return _clean(inspection["title"])
    round_ = _clean(inspection["round"])
    if not round_.endswith("巡察"):
        round_ += "巡察"  # "十届区委第四轮巡察" is not said twice
    return f"{_clean(inspection['unit'])}关于{round_}整改进展情况的通报"


def paragraphs(context: dict[str, Any]) -> list[Para]:
    """The notice's paragraphs from the template context, in the order of the markdown notice."""
    inspection = context["inspection"]
    out: list[Para] = [Para("title", (Run(title_of(inspection)),))]
    out.append(_body(inspection["opening"]))
    for section in context["sections"]:
        out.append(Para("heading1", (Run(cn_section(section["number"]) + _clean(section["title"])),)))
        for paragraph in section["paragraphs"]:
            runs = []
            if paragraph["number"]:
                runs.append(Run(cn_paren(paragraph["number"]) + _clean(paragraph["title"]), heading=True))
            if paragraph["text"]:
                runs.append(Run(_clean(paragraph["text"])))
            out.append(Para("body", tuple(runs)))
        for category in section["categories"]:
            heading = cn_paren(category["number"]) + _clean(category["title"])
            out.append(Para("heading2", (Run(heading, heading=True),)))
            for problem in category["problems"]:
                out.extend(_problem(problem))
    if inspection["closing"]:
        out.append(_body(inspection["closing"]))
    if inspection["signature"]:
        out.append(Para("signature", (Run(_clean(inspection["signature"])),)))
    date = context["publication_date"]
    out.append(Para("date", (Run(f"{date.year}年{date.month}月{date.day}日"),)))
    return out


# ---------------------------------------------------------------- writing the document


def _set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a run or style; theme fonts would override them, so they are dropped."""
    fonts = rpr.get_or_add_rFonts()
    for name in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(name), None)
    for name, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(name), value)


AUTOSPACE = 0.2
"""The space renderers add where Chinese text meets Latin letters or digits (autospace), in characters."""


def _chars(text: str) -> float:
    """Width of a text in characters of the body font: Latin letters and digits are half-width, and each change
    between Chinese and Latin adds the renderers' autospace ("2024年7月11日" is 6 + 5 × 0.2 characters)."""
    wide = [unicodedata.east_asian_width(c) in "WF" for c in text]
    changes = sum(1 for a, b in itertools.pairwise(wide) if a != b)
    return sum(1.0 if w else 0.5 for w in wide) + AUTOSPACE * changes


def _first_line_chars(ppr: Any, chars: int) -> None:
    """Word measures a character indent in hundredths of a character; the point value stays for other readers."""
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _style(doc: Any, name: str, *, font: str, size: Any, base: str | None = "Normal", kind: Any = None) -> Any:
    style = doc.styles.add_style(name, kind or WD_STYLE_TYPE.PARAGRAPH)
    if base is not None:
        style.base_style = doc.styles[base]
    style.font.size = size
    _set_fonts(style.element.get_or_add_rPr(), font)
    return style


def _styles(doc: Any) -> None:
    """The layout's paragraph styles: Normal is the body; titles, headings, signature and date derive from it."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")

    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = INDENT
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False
    _first_line_chars(normal.element.get_or_add_pPr(), 2)

    title = _style(doc, "Notice Title", font=TITLE_FONT, size=TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE  # a blank line under the title
    _first_line_chars(title.element.get_or_add_pPr(), 0)
    for name, font, level in (("Notice Heading 1", HEADING1_FONT, 0), ("Notice Heading 2", HEADING2_FONT, 1)):
        heading = _style(doc, name, font=font, size=BODY_SIZE)
        heading.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level))
        heading.element.get_or_add_pPr().append(outline)
    _style(doc, "Notice Heading 2 Char", font=HEADING2_FONT, size=BODY_SIZE, base=None, kind=WD_STYLE_TYPE.CHARACTER)
    for name in ("Notice Signature", "Notice Date"):
        closing = _style(doc, name, font=BODY_FONT, size=BODY_SIZE)
        closing.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        closing.paragraph_format.first_line_indent = Pt(0)
        _first_line_chars(closing.element.get_or_add_pPr(), 0)
    doc.styles["Notice Signature"].paragraph_format.space_before = 2 * LINE


STYLE_OF = {
    "title": "Notice Title",
    "heading1": "Notice Heading 1",
    "heading2": "Notice Heading 2",
    "body": "Normal",
    "signature": "Notice Signature",
    "date": "Notice Date",
}


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # puts the page number about 7 mm under the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid only: LibreOffice spreads the characters of a "linesAndChars" grid over the line
    # (13-15 a line, 55 pages for the example) where Word squeezes them; on a line grid both set
    # 三号 text at 27-28 characters on the 156 mm line.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _page_number(paragraph: Any, *, odd: bool) -> None:
    """— 1 —: 宋体 四号, odd pages one character from the right, even pages one from the left."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Pt(0)
    _first_line_chars(paragraph._p.get_or_add_pPr(), 0)  # else the body's two-character indent is inherited
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if odd:
        fmt.right_indent = PAGE_SIZE
    else:
        fmt.left_indent = PAGE_SIZE

    def run(text: str = "", field: str | None = None, instruction: str | None = None) -> None:
        r = paragraph.add_run(text)
        r.font.size = PAGE_SIZE
        _set_fonts(r._r.get_or_add_rPr(), PAGE_FONT, latin=PAGE_FONT)
        if field is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), field)
            r._r.append(mark)
        if instruction is not None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            r._r.append(code)

    run("— ")
    run(field="begin")
    run(instruction=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _font_table(doc: Any) -> None:
    """Declare the Chinese fonts with their fallbacks, so that Word substitutes sensibly."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    table = parse_xml(part.blob)
    for name, (fallback, family, pitch) in FONTS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", family), ("w:pitch", pitch)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    # python-docx keeps the font table as an opaque part: its bytes are replaced.
    part._blob = serialize_part_xml(table)


def _append(doc: Any, paras: Sequence[Para]) -> None:
    """The paragraphs as ``add_paragraph(style=…).add_run(text, style=…)`` writes them, each style resolved once
    (python-docx walks every style per look-up) and no body search per paragraph: linear in the paragraphs."""
    default, heading = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH), doc.styles["Notice Heading 2 Char"].style_id
    ids = {kind: doc.styles[name].style_id for kind, name in STYLE_OF.items()}
    ids = {kind: None if default is not None and i == default.style_id else i for kind, i in ids.items()}
    body = doc.element.body
    end = body.sectPr  # found once: looking it up searches the body
    for para in paras:
        p = OxmlElement("w:p")
        p.style = ids[para.kind]  # None (the default style) still writes an empty <w:pPr/>, as python-docx does
        for run in para.runs:
            r = p.add_r()
            if run.heading:
                r.style = heading
            r.text = run.text
        end.addprevious(p) if end is not None else body.append(p)


def _closing_indents(doc: Any, paras: Sequence[Para]) -> None:
    """The date four characters from the right; the signature centred above the date."""
    styles = {doc.styles[STYLE_OF[kind]].style_id: kind for kind in ("date", "signature")}
    found = {styles[p._p.style]: p for p in reversed(doc.paragraphs) if p._p.style in styles}  # the first wins
    date, signature = found.get("date"), found.get("signature")
    if date is None:
        return
    date.paragraph_format.right_indent = 4 * BODY_SIZE
    if signature is not None:
        width = {p.kind: _chars(p.text) for p in paras}
        offset = 4 + (width.get("date", 0) - width.get("signature", 0)) / 2
        signature.paragraph_format.right_indent = Pt(max(0.0, offset) * BODY_SIZE.pt)


def document(paras: Sequence[Para], *, title: str | None = None, author: str | None = None,
             created: dt.date | None = None) -> Any:
    """A python-docx Document holding the paragraphs in the GB/T 9704 layout."""
    doc = Document()
    _styles(doc)
    _page(doc)
    _font_table(doc)
    _append(doc, paras)
    _closing_indents(doc, paras)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title or "", author or "", author or ""
    props.comments, props.revision = "rectifykit", 1
    if created is not None:
        props.created = props.modified = dt.datetime(created.year, created.month, created.day)
    return doc


def notice_docx(inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date | None) -> bytes:
    """The notice as the bytes of a .docx file. Raises NoticeError when the records cannot give a notice."""
    context = build_context(inspection, findings, as_of=as_of)
    paras = paragraphs(context)
    doc = document(
        paras,
        title=title_of(context["inspection"]),
        author=inspection.signature or inspection.unit,
        created=context["publication_date"],
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
