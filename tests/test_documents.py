"""The rectification plan (整改方案) and the report (整改情况报告) from the same records, and a unit's own
reference .docx for the Word documents."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from rectifykit import check
from rectifykit.notice import plan
from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"


@pytest.fixture(scope="module")
def records():
    project = check.load(REPO, today=dt.date.fromisoformat(AS_OF))
    return project.inspection.record, [f.record for f in project.findings]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("kind", ["plan", "report"])
@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_plan_and_report_render_in_every_format(tmp_path, kind, fmt) -> None:
    out = tmp_path / f"{kind}.{fmt}"
    result = rectify("render", "--root", str(REPO), "--template", kind, "--format", fmt, "-o", str(out),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = text_of(out) if fmt == "docx" else out.read_text(encoding="utf-8")
    assert "中共鄂城区司法局党组关于十届区委第四轮巡察" in text
    assert "2024年12月25日" in text  # the date it was rendered, signed below the unit
    assert ("not for publication" in result.output or "never for publication" in result.output) == (kind == "report")


def test_the_plan_lists_every_problem_with_its_measures_owners_and_deadline(records, tmp_path) -> None:
    inspection, findings = records
    first = findings[0]
    response = first.responses[0].model_copy(update={"leader": "张局长", "department": "办公室", "person": "李四"})
    findings = [first.model_copy(update={"responses": [response, *first.responses[1:]]}), *findings[1:]]
    context = plan.plan_context(inspection, findings, as_of=dt.date.fromisoformat(AS_OF))
    problems = [p for c in context["categories"] for p in c["problems"]]
    assert [p["number"] for p in problems] == list(range(1, len(findings) + 1))  # numbered as in the notice
    assert {p["id"] for p in problems} == {f.id for f in findings}
    entry = next(p for p in problems if p["id"] == first.id)["entries"][0]
    assert (entry["leader"], entry["department"], entry["person"]) == ("张局长", "办公室", "李四")
    assert all(e["measures"] for p in problems for e in p["entries"])
    assert "evidence" not in entry and "notes" not in entry  # the plan is not the report
    out = tmp_path / "plan.docx"
    assert rectify("render", "--root", str(REPO), "--template", "plan", "--format", "docx", "-o", str(out),
                   "--as-of", AS_OF).exit_code == 0
    printed = text_of(out)
    for p in problems:
        assert p["title"] in printed
    assert "整改时限" in printed and "2024年12月31日" in printed


def test_the_reports_counts_are_the_status_counts() -> None:
    status = json.loads(rectify("status", "--root", str(REPO), "--format", "json", "--as-of", AS_OF).output)
    result = rectify("render", "--root", str(REPO), "--template", "report", "--as-of", AS_OF)
    assert result.exit_code == 0
    s = status["summary"]
    assert (f"巡察反馈问题{s['problems']}个，整改条目{s['total']}项，已完成{s['done']}项，未完成{s['open']}项，"
            f"完成率{s['completion_rate']:.2%}") in result.stdout
    assert f"逾期{s['overdue']}项，到期复查{s['due_for_review']}项" in result.stdout
    for item in status["items"]:
        if item["status"] not in ("completed", "completed_ongoing", "deemed_completed"):
            assert item["label"] in result.stdout


def test_the_public_notice_still_carries_no_internal_field_the_report_does(records) -> None:
    from rectifykit.notice import docx as docx_notice
    from rectifykit.notice import render

    inspection, findings = records
    first = findings[0]
    secret = {"evidence": ["内部佐证甲"], "notes": "内部备注乙", "person": "内部责任人丙"}
    response = first.responses[0].model_copy(update=secret)
    findings = [first.model_copy(update={"responses": [response, *first.responses[1:]]}), *findings[1:]]
    day = dt.date.fromisoformat(AS_OF)
    notice = render.render((inspection, findings), fmt="md", as_of=day) + "\n".join(
        p.text for p in docx.Document(io.BytesIO(docx_notice.notice_docx(inspection, findings, as_of=day))).paragraphs)
    report = json.dumps(plan.report_context(inspection, findings, as_of=day), ensure_ascii=False, default=str)
    for value in ("内部佐证甲", "内部备注乙", "内部责任人丙"):
        assert value not in notice
        assert value in report


def test_a_project_overrides_the_plan_template(project) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "plan.md.j2").write_text("{{ title }}：{{ categories | length }}类\n", encoding="utf-8")
    result = rectify("render", "--root", str(project), "--template", "plan", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == "中共鄂城区司法局党组关于十届区委第四轮巡察反馈意见的整改方案：3类\n"


def reference_docx(path: Path) -> Path:
    """A unit's own document: Letter paper, 20 mm margins, a letterhead in the header, a body to be replaced."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(216), Mm(279)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    section.header.paragraphs[0].text = "鄂城区司法局文件（红头）"
    document.add_paragraph("这段范文不会出现在通报中。")
    document.save(str(path))
    return path


@pytest.mark.parametrize("template", [None, "plan", "report"])
def test_a_reference_document_gives_the_header_and_page_set_up(tmp_path, template) -> None:
    reference = reference_docx(tmp_path / "unit.docx")
    out = tmp_path / "out.docx"
    args = ["render", "--root", str(REPO), "--format", "docx", "--reference", str(reference), "-o", str(out),
            "--as-of", AS_OF, *(["--template", template] if template else [])]
    result = rectify(*args)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "鄂城区司法局文件（红头）"
    assert (round(section.page_width.mm), round(section.left_margin.mm)) == (216, 20)
    text = text_of(out)
    assert "这段范文" not in text
    assert "中共鄂城区司法局党组关于十届区委第四轮巡察" in text
    assert document.paragraphs[0].style.name == "Notice Title"


def test_templates_notice_docx_is_the_projects_reference(project) -> None:
    (project / "templates").mkdir()
    reference_docx(project / "templates" / "notice.docx")
    out = project / "notice.docx"
    result = rectify("render", "--root", str(project), "--format", "docx", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert docx.Document(str(out)).sections[0].header.paragraphs[0].text == "鄂城区司法局文件（红头）"


def test_a_reference_with_entities_or_not_a_docx_is_refused(tmp_path) -> None:
    hostile = tmp_path / "hostile.docx"
    data = io.BytesIO()
    with zipfile.ZipFile(reference_docx(tmp_path / "ok.docx")) as source, zipfile.ZipFile(data, "w") as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename == "word/styles.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
            target.writestr(entry, body)
    hostile.write_bytes(data.getvalue())
    for bad, words in ((hostile, "document type or entities"), (tmp_path / "ok.docx", None)):
        result = rectify("render", "--root", str(REPO), "--format", "docx", "--reference", str(bad),
                         "-o", str(tmp_path / "n.docx"), "--as-of", AS_OF)
        if words:
            assert result.exit_code == 2 and words in result.output and "word/styles.xml" in result.output
        else:
            assert result.exit_code == 0
    (tmp_path / "text.docx").write_text("not a zip", encoding="utf-8")
    result = rectify("render", "--root", str(REPO), "--format", "docx", "--reference", str(tmp_path / "text.docx"),
                     "-o", str(tmp_path / "n.docx"))
    assert result.exit_code == 2 and "not a Word .docx file" in result.output


def test_the_status_page_comes_from_a_template_a_project_overrides(project) -> None:
    packaged = rectify("status", "--root", str(project), "--format", "html", "--as-of", AS_OF)
    assert packaged.exit_code == 0 and "<svg" in packaged.stdout and "<table>" in packaged.stdout
    (project / "templates").mkdir()
    (project / "templates" / "status.html.j2").write_text(
        '{% extends "_page.html.j2" %}{% block body %}<h1>本单位：{{ title }}</h1>'
        "{% for c in charts %}{{ c.svg }}{% endfor %}{{ items.rows | length }}{% endblock %}\n", encoding="utf-8")
    result = rectify("status", "--root", str(project), "--format", "html", "--as-of", AS_OF, "--all")
    assert result.exit_code == 0, result.output
    assert "<h1>本单位：" in result.stdout and result.stdout.count("<svg") == 3 and "35" in result.stdout


def test_the_rollup_page_comes_from_its_template(project) -> None:
    result = rectify("rollup", str(project), "--format", "html", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.count("<svg") == 3
    assert "<table>" in result.stdout and "</html>" in result.stdout


def test_a_reference_goes_with_docx_only(tmp_path) -> None:
    reference = reference_docx(tmp_path / "unit.docx")
    result = rectify("render", "--root", str(REPO), "--reference", str(reference))
    assert result.exit_code == 2 and "--reference goes with --format docx" in result.output
