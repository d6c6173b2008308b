"""`rectify render`: the notice from the records, through sandboxed Jinja templates.

Golden files live in tests/golden/; ``pytest --update-golden`` rewrites them
from the actual output (review the diff before committing).
"""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from rectifykit import check
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection
from rectifykit.notice import context as notice
from rectifykit.notice import markdown
from rectifykit.notice import render as rendering
from support import fidelity, rectify, squeeze

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
SEED = REPO / "tests" / "fixtures" / "seed_notice.txt"
AS_OF = "2026-01-01"


# ---------------------------------------------------------------- helpers


def invoke(*args: str) -> Result:
    return rectify("render", *args)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the embedded example, without its templates folder."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    return root


def rendered(root: Path, *args: str) -> str:
    result = invoke("--root", str(root), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def own_template(root: Path, name: str, text: str) -> None:
    """A template of the project's own (templates/NAME)."""
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / name).write_text(text, encoding="utf-8")


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_finding(root: Path, name: str, body: str) -> None:
    (root / "data" / "findings" / f"{name}.yaml").write_text(body, encoding="utf-8")


def seed_text(checker: ModuleType) -> str:
    source = SEED if SEED.is_file() else Path(checker.DEFAULT_SOURCE)
    return source.read_text(encoding="utf-8")


class _BodyText(html.parser.HTMLParser):
    """The text of an HTML page's body, one paragraph or heading a line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.in_body = self.in_body or tag == "body"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.parts.append(data)


def body_text(page: str) -> str:
    parser = _BodyText()
    parser.feed(page)
    return "".join(parser.parts)


# ---------------------------------------------------------------- the embedded example


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_embedded_example_matches_its_golden_file(fmt: str, update_golden: bool) -> None:
    text = rendered(REPO, "--format", fmt)
    golden = GOLDEN / f"notice.{fmt}"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.is_file(), "no golden file yet: run pytest --update-golden and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_the_markdown_notice_reproduces_the_published_notice() -> None:
    checker = fidelity()
    result = checker.compare(rendered(REPO), seed_text(checker))
    assert result["identical"], result["spans"][:3]


def test_the_html_page_has_the_text_of_the_published_notice() -> None:
    checker = fidelity()
    page = rendered(REPO, "--format", "html")
    result = checker.compare(body_text(page), seed_text(checker))
    assert result["identical"], result["spans"][:3]
    markdown = rendered(REPO)
    assert squeeze(body_text(page)) == squeeze(checker.strip_markdown(markdown))


def test_the_html_page_is_self_contained_and_fit_for_print() -> None:
    page = rendered(REPO, "--format", "html")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert "<title>中共鄂城区司法局党组关于巡察整改进展情况的通报</title>" in page
    assert "<h1>" not in page, "the seed has no title in the body"
    for external in ("http://", "https://", "<link", "<script", "@import", "src="):
        assert external not in page
    assert "text-indent: 2em" in page
    assert "@media print" in page
    assert "FangSong" in page and "仿宋" in page
    assert '<p class="signature">中共鄂城区司法局党组</p>' in page
    assert '<p class="date">2024年7月11日</p>' in page
    assert re.search(r"p\.signature, p\.date \{[^}]*text-align: right", page)


def test_the_markdown_layout_is_one_paragraph_a_line() -> None:
    text = rendered(REPO)
    lines = text.split("\n")
    assert text.endswith("2024年7月11日\n")
    assert "\n\n\n" not in text
    assert all(line.strip() for line in lines[:-1:2]), "every other line is a paragraph"
    assert not any(line.strip() for line in lines[1::2]), "paragraphs are separated by one blank line"
    assert "## 四、反馈问题整改落实情况" in lines
    assert "### （三）聚焦基层党组织建设情况" in lines
    # Problem 6: one response covers points 1 and 3, printed together after the title.
    at = lines.index("6.矫正工作存在薄弱环节。")
    assert re.match(r"一是执法不规范。.*三是矫正对象管理不严格。", lines[at + 2])
    assert lines[at + 4] == "整改情况：整改完成"
    # Problem 12: points_inline prints the first point in the title's paragraph.
    assert any(line.startswith("12.财务支出不规范。一是无验收报支。") for line in lines)
    # Problem 4, point 四: two measure paragraphs, the label only on the first, numbering restarts.
    second = next(i for i, line in enumerate(lines) if line.startswith("通过切实履行行政执法监督职能"))
    assert "（1）严格落实" in lines[second]
    assert lines[second - 2].startswith("主要做法和成效：（1）自2020年以来")


# ---------------------------------------------------------------- numbers are computed


def test_counts_and_numbers_follow_the_records(project: Path) -> None:
    before = rendered(project)
    assert "聚焦党中央各项决策部署在基层的落实情况反馈意见9条" in before
    assert "\n10.部分纠纷调解人员公信力不足。" in before
    add_finding(
        project,
        "new-problem",
        "id: new-problem\ncategory: implementation\norder: 10\ntitle: 新增问题标题。\n"
        "description: 新增问题描述。\n"
        "responses:\n  - status: {states: [completed], label: 整改完成}\n    measures: [已整改。]\n",
    )
    after = rendered(project)
    assert "聚焦党中央各项决策部署在基层的落实情况反馈意见10条" in after
    assert "以及群众反映强烈的问题反馈意见4条" in after
    assert "\n10.新增问题标题。新增问题描述。\n" in after
    assert "\n11.部分纠纷调解人员公信力不足。" in after
    assert "\n19.选人用人方面存在的问题。" in after


def test_a_template_numbers_a_list_with_the_numbered_filter(project: Path) -> None:
    own_template(
        project, "items.md.j2",
        "{% for problem in problems %}{% for block in problem.blocks %}{% for measure in block.measures %}"
        "{% for n, item in measure.items|numbered %}{{ n|measure_prefix }}{{ item }}\n{% endfor %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    )
    text = rendered(project, "--template", "items.md.j2")
    loaded = check.load(project, today=dt.date.fromisoformat(AS_OF))
    expected = [f"（{n}）{item}" for f in sorted(loaded.records, key=lambda r: (r.category, r.order))
                for r in f.responses for m in r.measures if not isinstance(m, str)
                for n, item in enumerate(m.items, 1)]
    assert expected and sorted(text.splitlines()) == sorted(expected)


def test_statistics_a_template_asks_for_are_computed(project: Path) -> None:
    own_template(
        project, "stats.md.j2",
        "{{ summary.problems }} {{ summary.items }} {{ summary.done }} {{ summary.open }} "
        "{{ summary.completion_rate|percent }}\n"
        "{% for category in categories %}{{ category.key }}={{ category.summary.problems }} {% endfor +%}\n"
        "{% for state, n in summary.by_state.items() %}{{ state|status_wording }}:{{ n }} {% endfor %}\n",
    )
    text = rendered(project, "--template", "stats.md.j2")
    loaded = check.load(project, today=dt.date.fromisoformat(AS_OF))
    summary = tally.summarise(f.record for f in loaded.findings)
    first, second, third = text.splitlines()
    expected = f"18 {summary.items} {summary.done} {summary.open} {tally.percent(summary.completion_rate)}"
    assert first == expected
    assert summary.done + summary.open == summary.items
    assert second == "implementation=9 conduct=4 organisation=5 "
    assert f"整改完成:{summary.by_state['completed']}" in third


# ---------------------------------------------------------------- record text is data


def test_template_syntax_in_record_text_is_printed_literally(project: Path) -> None:
    edit(
        project / "data" / "findings" / "mediator-credibility.yaml",
        "人民调解员违纪违法",
        "人民调解员{{ inspection.unit }}违纪{% if true %}违法{% endif %}{{ 7*191 }}",
    )
    edit(project / "data" / "inspection.yaml", "现将巡察整改进展情况予以公布。", "现将{{ 6*1111 }}予以公布。")
    for fmt in ("md", "html"):
        text = rendered(project, "--format", fmt)
        assert "人民调解员{{ inspection.unit }}违纪{% if true %}违法{% endif %}{{ 7*191 }}" in text
        assert "现将{{ 6*1111 }}予以公布。" in text
        assert "1337" not in text and "6666" not in text


def test_a_title_in_the_records_is_printed_as_the_heading(project: Path) -> None:
    title = "title: 关于巡察整改进展情况的通报\n"
    edit(project / "data" / "inspection.yaml", "unit_self: 我局党组\n", "unit_self: 我局党组\n" + title)
    assert rendered(project).startswith("# 关于巡察整改进展情况的通报\n\n按照鄂城区委统一部署")
    page = rendered(project, "--format", "html")
    assert "<title>关于巡察整改进展情况的通报</title>" in page
    assert "<h1>关于巡察整改进展情况的通报</h1>" in page


def test_markdown_escapes_record_lines_that_would_change_the_structure(project: Path) -> None:
    add_finding(
        project,
        "escaping",
        "id: escaping\ncategory: organisation\norder: 9\ntitle: 转义问题。\n"
        "responses:\n  - status: {states: [completed], label: 整改完成}\n    measures:\n"
        "      - 第一段。\n"
        "      - '# 不是标题'\n"
        "      - '- 不是列表'\n"
        "      - '1. 不是编号'\n"
        "      - '> 不是引用'\n"
        "      - '+ 不是列表'\n"
        "      - '* 不是列表'\n"
        "      - |-\n          多行文字，\n          # 第二行不是标题\n\n          3) 第三行不是编号\n",
    )
    text = rendered(project)
    lines = text.split("\n")
    for escaped in (r"\# 不是标题", r"\- 不是列表", r"1\. 不是编号", r"\> 不是引用", r"\+ 不是列表", r"\* 不是列表"):
        assert escaped in lines
    assert r"\# 第二行不是标题" in lines
    assert r"3\) 第三行不是编号" in lines
    assert "1.学习贯彻" in text and r"1\.学习" not in text, "problem numbers are left alone"
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {"bullet_list_open", "ordered_list_open", "blockquote_open", "fence", "hr"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 4 + 3, headings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 标题", r"\# 标题"),
        ("- 列表", r"\- 列表"),
        ("12. 编号", r"12\. 编号"),
        ("1.没有空格", "1.没有空格"),
        ("---", r"\---"),
        ("```", r"\```"),
        ("a <b> c\\d", r"a \<b> c\\d"),
        ("2020-2022年，8.82万元", "2020-2022年，8.82万元"),
        ("甲\n\n乙", "甲\n乙"),
    ],
)
def test_escape_md(text: str, expected: str) -> None:
    assert rendering.escape_md(text) == expected


@settings(max_examples=400, deadline=None)
@example("1.")
@example("２) 甲")
@example("\u3000甲")
@example(" # 甲")
@example("~~~")
@given(st.text(alphabet=st.sampled_from(list(" \t\u3000#>-+*`~_=.)0123456789١２甲乙a")) | st.characters(),
               max_size=12))
def test_a_line_that_cannot_start_a_block_is_printed_as_it_is(text: str) -> None:
    """escape_md answers most one-line values without its pattern: never with other text than the pattern's."""
    assume("\n" not in text and "\r" not in text and "\\" not in text and "<" not in text and text.strip())
    assert markdown.escape_md(text) == markdown._escape_md_line(text)
    assert markdown.finalize_md(text) == markdown.escape_md(text)


def test_html_escapes_record_text(project: Path) -> None:
    edit(
        project / "data" / "findings" / "mediator-credibility.yaml",
        "人民调解员违纪违法",
        "人民调解员<script>alert(1)</script>违纪&违法",
    )
    edit(project / "data" / "inspection.yaml", "unit: 中共鄂城区司法局党组\n", "unit: 中共鄂城区司法局党组<b>\n")
    page = rendered(project, "--format", "html")
    assert "<script>" not in page and "<b>" not in page
    assert "人民调解员&lt;script&gt;alert(1)&lt;/script&gt;违纪&amp;违法" in page
    assert "<title>中共鄂城区司法局党组&lt;b&gt;关于巡察整改进展情况的通报</title>" in page
    markdown = rendered(project)
    assert r"人民调解员\<script>alert(1)\</script>违纪&违法" in markdown
    assert not re.search(r"(?<!\\)<", markdown), "no raw HTML in markdown"


# ---------------------------------------------------------------- internal fields stay internal


def fill_internal_fields(root: Path) -> None:
    """Give every response (and part) unique markers in every internal field."""
    for file in sorted((root / "data" / "findings").glob("*.yaml")):
        record = yaml.safe_load(file.read_text(encoding="utf-8"))
        for r, response in enumerate(record["responses"]):
            states = response["status"]["states"]
            done = all(s in ("completed", "completed_ongoing", "deemed_completed") for s in states)
            for target in (response, *response.get("parts", [])):
                tag = f"{record['id'].upper()}{r}"
                target.update(
                    leader=f"LEAKLEADER{tag}",
                    department=f"LEAKDEPARTMENT{tag}",
                    person=f"LEAKPERSON{tag}",
                    reviewer=f"LEAKREVIEWER{tag}",
                    notes=f"LEAKNOTES{tag}",
                    evidence=[f"LEAKEVIDENCE{tag}", "鄂城法办发〔2031〕99号"],
                    deadline=dt.date(2031, 3, 17),
                    next_review=dt.date(2033, 5, 19),
                )
                if done:
                    target["completed_on"] = dt.date(2024, 6, 18)  # a completion is never in the future (RK208)
        file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_internal_fields_never_appear_in_the_default_notice(project: Path, fmt: str) -> None:
    fill_internal_fields(project)
    result = invoke("--root", str(project), "--as-of", "2035-01-01", "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "LEAK" not in text
    for year in ("2031", "2033", "2035"):
        assert year not in text
    assert "〔2031〕" not in text and "6月18日" not in text and "2024-06-18" not in text


# ---------------------------------------------------------------- templates


def test_a_project_template_overrides_the_packaged_one(project: Path) -> None:
    own_template(project, "notice.md.j2", "OVERRIDE {{ inspection.unit }}\n")
    assert rendered(project) == "OVERRIDE 中共鄂城区司法局党组\n"
    assert rendered(project, "--format", "html").startswith("<!DOCTYPE html>")


def test_the_default_templates_ship_inside_the_package() -> None:
    folder = resources.files("rectifykit") / "notice" / "templates"
    for name in ("notice.md.j2", "notice.html.j2"):
        assert (folder / name).is_file()


def broken(project: Path, template: str):
    own_template(project, "notice.md.j2", template)
    return invoke("--root", str(project), "--as-of", AS_OF)


def test_a_template_naming_a_missing_field_fails_with_its_file_and_line(project: Path) -> None:
    result = broken(project, "{{ inspection.unit }}\n\n{{ inspection.no_such_field }}\n")
    assert result.exit_code == 2
    assert "templates/notice.md.j2:3:" in result.stderr
    assert "no_such_field" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_an_undefined_name_in_an_included_template_names_that_template(project: Path) -> None:
    own_template(project, "part.md.j2", "ok\n{{ nosuch }}\n")
    result = broken(project, '{% include "part.md.j2" %}\n')
    assert result.exit_code == 2
    assert "templates/part.md.j2:2:" in result.stderr and "nosuch" in result.stderr


def test_a_template_syntax_error_names_file_and_line(project: Path) -> None:
    result = broken(project, "fine\n{% for x in %}\n")
    assert result.exit_code == 2
    assert "templates/notice.md.j2:2:" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "template",
    [
        "ok\n{{ ''.__class__.__mro__ }}\n",
        "ok\n{{ inspection.record.__class__.__init__.__globals__ }}\n",
        "ok\n{{ problems[0].finding.items.__globals__ }}\n",
        "ok\n{% set f = inspection.unit.upper %}{{ f.__self__ }}\n",
        "ok\n{{ as_of.__class__.today() }}\n",
    ],
)
def test_the_sandbox_refuses_unsafe_attribute_access(project: Path, template: str) -> None:
    result = broken(project, template)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "templates/notice.md.j2:2:" in result.stderr
    assert "unsafe" in result.stderr and "sandbox" in result.stderr


def test_a_missing_template_says_where_it_looked(project: Path) -> None:
    result = invoke("--root", str(project), "--template", "nope.md.j2")
    assert result.exit_code == 2
    assert "nope.md.j2" in result.stderr
    assert str((project / "templates").resolve()) in result.stderr
    assert str(rendering.PACKAGED) in result.stderr


# ---------------------------------------------------------------- files and CI


def test_output_writes_the_file_atomically(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "notice.md"
    out.parent.mkdir()
    result = invoke("--root", str(project), "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == rendered(project)
    assert [p.name for p in out.parent.iterdir()] == ["notice.md"], "no temporary file is left behind"


def test_check_passes_on_a_fresh_file_and_fails_with_a_diff_on_a_stale_one(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "notice.html"
    assert invoke("--root", str(project), "--as-of", AS_OF, "--format", "html", "-o", str(out)).exit_code == 0
    fresh = invoke("--root", str(project), "--as-of", AS_OF, "--format", "html", "--check", str(out))
    assert fresh.exit_code == 0, fresh.output
    assert fresh.stdout == ""
    edit(project / "data" / "findings" / "party-building.yaml", "每月定期召开1次支委会", "每月定期召开2次支委会")
    stale = invoke("--root", str(project), "--as-of", AS_OF, "--format", "html", "--check", str(out))
    assert stale.exit_code == 1
    assert "-<p>主要做法和成效：党支部每月定期召开1次支委会" in stale.stdout
    assert "+<p>主要做法和成效：党支部每月定期召开2次支委会" in stale.stdout
    assert str(out) in stale.stderr
    missing = invoke("--root", str(project), "--as-of", AS_OF, "--check", str(tmp_path / "absent.md"))
    assert missing.exit_code == 1


def test_output_and_check_together_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    result = invoke("--root", str(project), "-o", str(tmp_path / "a.md"), "--check", str(tmp_path / "b.md"))
    assert result.exit_code == 2


def test_invalid_records_are_not_rendered(project: Path, tmp_path: Path) -> None:
    edit(project / "data" / "findings" / "party-building.yaml", "category: organisation", "category: nowhere")
    out = tmp_path / "notice.md"
    result = invoke("--root", str(project), "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 1
    assert "RK203" in result.stderr
    assert "data/findings/party-building.yaml" in result.stderr
    assert not out.exists()


def test_validate_does_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        f"result = CliRunner().invoke(app, ['validate', '--root', {str(REPO)!r}])\n"
        "print(result.exit_code, 'jinja2' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False"]


# ---------------------------------------------------------------- filters and layout


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (18, "十八"), (20, "二十"), (21, "二十一"), (99, "九十九"),
     (100, "一百"), (101, "一百零一"), (110, "一百一十")],
)
def test_cn_number(n: int, expected: str) -> None:
    assert rendering.FILTERS["cn_number"](n) == expected


def test_numbering_filters() -> None:
    assert rendering.cn_section(4) == "四、"
    assert rendering.cn_paren(2) == "（二）"
    assert rendering.point_prefix(3) == "三是"
    assert rendering.measure_prefix(12) == "（12）"
    assert rendering.numbered(["甲", "乙"]) == ((1, "甲"), (2, "乙")) and rendering.numbered([]) == ()
    assert rendering.cn_date(dt.date(2024, 7, 11)) == "2024年7月11日"
    assert rendering.FILTERS["percent"](688 / 697) == "98.71%"
    assert rendering.status_wording("deemed_completed") == "视同完成，持续整改"
    with pytest.raises(ValueError):
        rendering.cn_paren(0)


def _finding(**changes: object) -> Finding:
    base: dict[str, object] = {
        "id": "x",
        "category": "c",
        "order": 1,
        "title": "标题。",
        "points": [{"title": "甲。"}, {"title": "乙。"}],
        "responses": [{"status": {"states": ["completed"], "label": "整改完成"}, "measures": ["做了。"]}],
    }
    base.update(changes)
    return Finding.model_validate(base)


def _layout(finding: Finding) -> list[tuple[str, list[int]]]:
    view = notice.problem_view(finding, 1, measures_label="主要做法和成效")
    return [(b["kind"], [p["number"] for p in b["points"]]) for b in view["blocks"]]


def test_points_are_inline_when_one_response_covers_them_all_unless_told_otherwise() -> None:
    assert _layout(_finding()) == [("title", [1, 2]), ("response", [])]
    assert _layout(_finding(points_inline=False)) == [("title", []), ("response", [1, 2])]
    two = [
        {"covers": [2], "status": {"states": ["completed"], "label": "整改完成"}, "measures": ["做了。"]},
        {"covers": [1], "status": {"states": ["completed"], "label": "整改完成"}, "measures": ["做了。"]},
    ]
    assert _layout(_finding(responses=two)) == [("title", []), ("response", [2]), ("response", [1])]
    assert _layout(_finding(responses=two, points_inline=True)) == [("title", [2]), ("response", []), ("response", [1])]
    assert _layout(_finding(points=[], description="描述。")) == [("title", []), ("response", [])]


def test_render_without_a_publication_date_uses_the_date_passed_in() -> None:
    loaded = check.load(REPO, today=dt.date.fromisoformat(AS_OF))
    inspection: Inspection = loaded.inspection.record.model_copy(update={"publication_date": None})
    findings = [f.record for f in loaded.findings]
    text = rendering.render((inspection, findings), fmt="md", as_of=dt.date(2025, 2, 3))
    assert text.endswith("2025年2月3日\n")
    with pytest.raises(rendering.RenderError):
        rendering.render((inspection, findings), fmt="md")


# --- the notice follows the data (issue 3's acceptance) -------------------------------------


def test_editing_a_measure_changes_that_sentence(project: Path) -> None:
    record = project / "data/findings/party-building.yaml"
    old = "党支部每月定期召开1次支委会"
    assert old in rendered(project)
    edit(record, old, "党支部每两周召开1次支委会")
    after = rendered(project)
    assert old not in after
    assert "主要做法和成效：党支部每两周召开1次支委会" in after


def test_removing_a_problem_renumbers_the_rest_and_changes_its_category_count(project: Path) -> None:
    before = rendered(project)
    assert "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题反馈意见4条" in before
    assert "\n12.财务支出不规范。" in before
    (project / "data/findings/major-decisions-rule.yaml").unlink()  # problem 11
    after = rendered(project)
    assert "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题反馈意见3条" in after
    assert "“三重一大”制度执行不严格" not in after
    assert "\n11.财务支出不规范。" in after
    assert "\n17.选人用人方面存在的问题。" in after
    assert "\n18." not in after


def test_changing_the_publication_date_changes_the_signature_date(project: Path) -> None:
    assert rendered(project).rstrip().endswith("中共鄂城区司法局党组\n\n2024年7月11日")
    edit(project / "data/inspection.yaml", "publication_date: 2024-07-11", "publication_date: 2024-10-01")
    assert rendered(project).rstrip().endswith("中共鄂城区司法局党组\n\n2024年10月1日")


def test_no_template_contains_a_sentence_of_the_seed() -> None:
    """Fixed text in the templates is the genre's own labels; every sentence comes from the records."""
    raw = (REPO / "tests/fixtures/seed_notice.txt").read_text(encoding="utf-8")
    seed = squeeze(raw)
    sentences = {s for s in re.split(r"[。;,:]", seed) if len(s) >= 6}
    templates = Path(rendering.__file__).parent / "templates"
    for template in templates.glob("*.j2"):
        text = squeeze(template.read_text(encoding="utf-8"))
        found = sorted(s for s in sentences if s in text)
        assert not found, (template.name, found[:3])
