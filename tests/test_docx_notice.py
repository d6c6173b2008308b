"""`rectify render --format docx`: the notice as a GB/T 9704 Word document, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from rectifykit import check
from rectifykit.model.records import MeasureParagraph
from rectifykit.notice import docx as docx_notice
from rectifykit.notice import pdf, render
from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 25)
runner = CliRunner()


run = rectify


@pytest.fixture(scope="module")
def records():
    project = check.load(REPO, today=AS_OF)
    return project.inspection.record, [f.record for f in project.findings]


@pytest.fixture(scope="module")
def document(tmp_path_factory, records):
    """The embedded example's notice, written by the command and read back."""
    out = tmp_path_factory.mktemp("docx") / "notice.docx"
    result = run("render", "--root", str(REPO), "--format", "docx", "-o", str(out), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def markdown_paragraphs(markdown: str) -> list[str]:
    """The markdown notice's text, paragraph by paragraph: heading marks and escapes removed."""
    out = []
    for block in re.split(r"\n[ \t]*\n", markdown):
        block = block.strip("\n")
        if block:
            out.append(re.sub(r"\\(.)", r"\1", re.sub(r"^#{1,6} ", "", block)))
    return out


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def east_asia(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


# --- the text -----------------------------------------------------------------------


def test_the_text_equals_the_markdown_notice(document, records) -> None:
    markdown = render.render(records, fmt="md", as_of=AS_OF)
    title, *rest = [p.text for p in document.paragraphs]
    assert rest == markdown_paragraphs(markdown)  # the records give no title: the Word notice adds the genre's
    assert title == "中共鄂城区司法局党组关于十届区委第四轮巡察整改进展情况的通报"


def test_text_that_markdown_escapes_or_that_looks_like_a_template_is_printed_as_written(records) -> None:
    inspection, findings = records
    inspection = inspection.model_copy(update={"title": "关于<巡察>整改进展情况的通报"})
    first = findings[0]
    response = first.responses[0].model_copy(update={"measures": [
        "# 不是标题 \\ {{ 1 + 1 }}\n\n- 也不是列表",
        MeasureParagraph(intro="1. 开头", items=["<b>粗</b>", "{% raw %}"], outro="完"),
    ]})
    findings = [first.model_copy(update={"responses": [response, *first.responses[1:]]}), *findings[1:]]
    markdown = render.render((inspection, findings), fmt="md", as_of=AS_OF)
    data = docx_notice.notice_docx(inspection, findings, as_of=AS_OF)
    assert docx_paragraphs(data) == markdown_paragraphs(markdown)
    text = "\n".join(docx_paragraphs(data))
    assert "# 不是标题 \\ {{ 1 + 1 }}\n- 也不是列表" in text
    assert "1. 开头（1）<b>粗</b>（2）{% raw %}完" in text


def test_numbering_and_placeholders_are_computed(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert "四、反馈问题整改落实情况" in texts
    assert any(t.startswith("聚焦党中央各项决策部署在基层的落实情况反馈意见9条") for t in texts)
    assert any(t.startswith("18.") for t in texts)
    assert texts[-1] == "2024年7月11日"


# --- the layout ---------------------------------------------------------------------


def test_page_is_a4_with_the_standard_margins_and_grid(document) -> None:
    section = document.sections[0]
    mm = {name: round(getattr(section, name).mm, 1) for name in
          ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")}
    assert mm == {"page_width": 210.0, "page_height": 297.0, "top_margin": 37.0, "bottom_margin": 35.0,
                  "left_margin": 28.0, "right_margin": 26.0}
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"  # no character grid: LibreOffice letter-spaces one
    pitch = int(grid.get(qn("w:linePitch"))) / 20  # points per line
    assert math.floor(225 / 25.4 * 72 / pitch) == 22  # 22 lines in the 225 mm text block
    assert grid.get(qn("w:charSpace")) is None


def test_body_is_fangsong_sanhao_with_fixed_lines_and_a_two_character_indent(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert east_asia(normal.element.rPr) == "仿宋_GB2312"
    fmt = normal.paragraph_format
    assert fmt.line_spacing == Pt(28.95)
    assert fmt.first_line_indent == Pt(32)
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the named one
    body = next(p for p in document.paragraphs if p.text.startswith("1."))
    assert body.style.name == "Normal"


def test_headings_are_heiti_and_kaiti(document) -> None:
    by_text = {p.text: p for p in document.paragraphs}
    level1 = by_text["一、总体情况"]
    assert east_asia(level1.style.element.rPr) == "黑体"
    assert level1.style.font.size == Pt(16)
    level2 = next(p for t, p in by_text.items() if t.startswith("（一）聚焦党中央"))
    assert east_asia(level2.style.element.rPr) == "楷体_GB2312"
    titled = next(p for t, p in by_text.items() if t.startswith("（一）加强领导，有序推进。为加强"))
    lead, rest = titled.runs
    assert lead.text == "（一）加强领导，有序推进。"
    assert east_asia(lead.style.element.rPr) == "楷体_GB2312"
    assert rest.style.name == "Default Paragraph Font"


def test_the_fontconfig_file_gives_each_role_a_free_face_of_its_own() -> None:
    text = docx_notice.FONTCONFIG.read_text(encoding="utf-8")
    for face in ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "Noto Serif CJK SC", "Noto Sans CJK SC",
                 "AR PL UKai CN", "FandolFang"):
        assert f"<string>{face}</string>" in text


def test_title_is_xiaobiaosong_erhao_centred(records) -> None:
    inspection, findings = records
    inspection = inspection.model_copy(update={"title": "中共鄂城区司法局党组关于巡察整改进展情况的通报"})
    doc = docx.Document(io.BytesIO(docx_notice.notice_docx(inspection, findings, as_of=AS_OF)))
    title = doc.paragraphs[0]
    assert title.text == inspection.title
    assert title.style.font.size == Pt(22)
    assert east_asia(title.style.element.rPr) == "方正小标宋简体"
    assert title.style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_signature_and_date_are_right_aligned(document) -> None:
    signature, date = document.paragraphs[-2:]
    assert (signature.text, date.text) == ("中共鄂城区司法局党组", "2024年7月11日")
    for paragraph in (signature, date):
        assert paragraph.style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    assert date.paragraph_format.right_indent == Pt(64)  # 右空四字


def test_page_numbers_are_dashed_songti_sihao_on_odd_and_even_pages(document) -> None:
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert paragraph.paragraph_format.alignment == getattr(docx.enum.text.WD_ALIGN_PARAGRAPH, alignment)
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"  # not the body's indent
        for run in paragraph.runs:
            assert run.font.size == Pt(14)
            assert east_asia(run._r.rPr) == "宋体"


def test_fonts_have_fallbacks_in_the_font_table(document) -> None:
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    table = docx.oxml.parse_xml(part.blob)
    fallbacks = {f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
                 for f in table.iter(qn("w:font")) if f.find(qn("w:altName")) is not None}
    assert fallbacks["仿宋_GB2312"] == "仿宋"
    assert fallbacks["楷体_GB2312"] == "楷体"
    assert set(docx_notice.FONTS) <= set(fallbacks)


@pytest.mark.skipif(pdf.office() is None,
                    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-writer)")
def test_libreoffice_lays_it_out_on_a_plausible_number_of_pages(tmp_path, records) -> None:
    inspection, findings = records
    source = tmp_path / "notice.docx"
    source.write_bytes(docx_notice.notice_docx(inspection, findings, as_of=AS_OF))
    # a profile of its own (pdf.to_pdf): a LibreOffice of another run on the machine shares no profile with it
    printed = pdf.to_pdf(source, tmp_path, timeout=180).read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", printed))
    # 22 lines of 28 characters a page: count the lines each paragraph needs.
    lines = sum(math.ceil((len(p) + 2) / 28) for p in docx_paragraphs(source.read_bytes()))
    assert 0.8 * lines / 22 <= pages <= 1.3 * lines / 22 + 1
    if shutil.which("pdftotext"):  # characters on the body's full lines, as printed
        text = subprocess.run(["pdftotext", str(tmp_path / "notice.pdf"), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        widths = sorted(len(line.replace(" ", "")) for line in text.splitlines() if len(line.strip()) > 20)
        assert widths and 27 <= widths[len(widths) // 2] <= 29, widths[len(widths) // 2]


# --- the command ----------------------------------------------------------------------


def test_docx_needs_an_output_file() -> None:
    result = run("render", "--root", str(REPO), "--format", "docx")
    assert result.exit_code == 2
    assert "-o FILE.docx" in result.output


def test_a_missing_extra_names_the_extra_to_install(tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now fails
    monkeypatch.delitem(sys.modules, "rectifykit.notice.docx", raising=False)
    result = run("render", "--root", str(REPO), "--format", "docx", "-o", str(tmp_path / "n.docx"))
    assert result.exit_code == 2
    assert "pip install 'rectifykit[office]'" in result.output
    assert not (tmp_path / "n.docx").exists()
