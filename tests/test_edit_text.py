"""Edits are text in, text out (issue 13): the edit functions called on text, with no file; one write at the end;
`set`, `fmt` and `ledger --apply` on records that do not validate yet, as long as they parse (issue 15)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest

from rectifykit import edit, fsio, i18n
from support import rectify

REPO = Path(__file__).resolve().parents[1]
BASE = Path(__file__).parent / "cases" / "_base" / "project"
AS_OF = "2024-12-25"
DAY = dt.date(2024, 12, 25)

RECORD = """\
id: p-1
category: conduct
order: 1
title: 窗口服务不规范。  # a comment
description: 部分窗口服务不规范。
responses:
  - status:
      states: [in_progress]
      label: 需持续整改
    measures:
      - 完善窗口服务制度。
    department: 局办公室
    deadline: 2024-12-31
"""
DRAFT = "id: p-1\ncategory: conduct\norder: 1\ntitle: 窗口服务不规范。\ndescription: 部分窗口服务不规范。\n"


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


@pytest.fixture
def no_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any read or write of a file by rectify fails the test."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.fail("an edit function touched a file")

    for name in ("read_regular", "write_atomic", "write_atomic_bytes", "locked"):
        monkeypatch.setattr(fsio, name, refuse)


def test_update_item_takes_text_and_returns_the_new_text_and_its_diagnostics(no_files: None) -> None:
    result = edit.update_item(RECORD, "p-1#1", {"status": "completed", "completed_on": "2024-12-20"},
                              display="data/findings/p-1.yaml", today=DAY)
    assert result.before == RECORD and result.text == result.after
    assert "      states: [completed]\n      label: 整改完成\n" in result.after
    assert "    completed_on: 2024-12-20\n" in result.after
    assert "title: 窗口服务不规范。  # a comment\n" in result.after
    assert "+++ b/data/findings/p-1.yaml" in result.diff()
    assert not result.errors and not result.refused


def test_an_edit_that_makes_a_valid_record_invalid_is_refused_and_one_on_a_draft_is_not(no_files: None) -> None:
    future = {"completed_on": "2025-06-01", "status": "completed"}
    valid = edit.update_item(RECORD, "p-1#1", future, display="p-1.yaml", today=DAY)
    assert [d.code for d in valid.refused] == ["RK208"]
    untitled = RECORD.replace("title: 窗口服务不规范。  # a comment\n", "")
    draft = edit.update_item(untitled, "p-1#1", future, display="p-1.yaml", today=DAY)
    assert draft.changed and not draft.refused
    assert [d.code for d in draft.errors] == ["RK102"]  # reported, not refused


def test_format_text_is_an_edit_of_text(no_files: None) -> None:
    result = edit.format_text(RECORD.replace("窗口服务不规范。  #", "窗口服务(大厅)不规范。  #"))
    assert result.changed and "title: 窗口服务（大厅）不规范。  # a comment\n" in result.after
    assert not edit.format_text(RECORD).changed


@pytest.mark.parametrize("text", [DRAFT, DRAFT + "responses: []\n"])
def test_the_first_item_of_a_problem_without_responses_is_added_when_set(no_files: None, text: str) -> None:
    """A problem with no responses yet is an item not started: setting it adds the response."""
    result = edit.update_item(text, "p-1#1", {"status": "in_progress", "department": "局办公室"}, today=DAY)
    assert result.after.endswith(
        "responses:\n  - status:\n      states: [in_progress]\n      label: 需持续整改\n    department: 局办公室\n")
    assert not result.errors
    with pytest.raises(edit.EditError, match="has 0 responses; there is no #2"):
        edit.update_item(text, "p-1#2", {"status": "in_progress"})


def test_completing_an_item_records_today_unless_it_has_a_date(no_files: None) -> None:
    assert edit.with_completion_date(RECORD, "p-1#1", {"status": "completed"}, today=DAY) == {
        "status": "completed", "completed_on": DAY}
    assert edit.with_completion_date(RECORD, "p-1#1", {"status": "in_progress"}, today=DAY) == {
        "status": "in_progress"}
    given = {"status": "completed", "completed_on": "2024-12-01"}
    assert edit.with_completion_date(RECORD, "p-1#1", given, today=DAY) == given
    dated = RECORD.replace("deadline: 2024-12-31", "completed_on: 2024-11-30")
    assert edit.with_completion_date(dated, "p-1#1", {"status": "completed"}, today=DAY) == {"status": "completed"}


def test_new_finding_is_text(no_files: None) -> None:
    text = edit.new_finding(id="conduct-2", category="conduct", order=2, title="标题(一)", today=DAY)
    assert text.startswith("id: conduct-2\ncategory: conduct\norder: 2\ntitle: 标题（一）\n")


def test_write_writes_every_file_or_none(tmp_path: Path) -> None:
    """One step at the end: when one file changed since it was read, no file is written."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(RECORD, encoding="utf-8")
    b.write_text(RECORD, encoding="utf-8")
    edits = {p: edit.update_item(RECORD, "p-1#1", {"notes": "已复核"}, today=DAY) for p in (a, b)}
    b.write_text(RECORD + "# meanwhile\n", encoding="utf-8")
    with pytest.raises(edit.EditError, match="changed since it was read"):
        edit.write(edits)
    assert a.read_text(encoding="utf-8") == RECORD
    b.write_text(RECORD, encoding="utf-8")
    assert edit.write(edits) == [a, b]
    assert "notes: 已复核" in a.read_text(encoding="utf-8") and "notes: 已复核" in b.read_text(encoding="utf-8")


# --- the commands on records that do not validate yet ------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BASE, tmp_path / "p"))


def test_set_on_a_problem_without_responses_adds_its_first_response(project: Path) -> None:
    path = project / "data/findings/conduct-2.yaml"
    path.write_text(DRAFT.replace("p-1", "conduct-2").replace("order: 1", "order: 2"), encoding="utf-8")
    result = rectify("set", "conduct-2#1", "--status", "in_progress", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "states: [in_progress]" in path.read_text(encoding="utf-8")
    assert "updated data/findings/conduct-2.yaml" in result.stderr
    assert rectify("validate", "--root", str(project), "--as-of", AS_OF).exit_code == 0


def test_set_on_a_record_that_does_not_validate_writes_and_lists_what_is_left(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 纠纷调解机制不健全。\n", ""), encoding="utf-8")
    result = rectify("set", "mediation#1", "--notes", "已复核", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "notes: 已复核" in path.read_text(encoding="utf-8")
    assert "does not validate yet" in result.stderr
    assert "RK102 warning" in result.stderr


def test_set_refuses_a_file_that_does_not_parse(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    path.write_text("id: mediation\ntitle: [x\n", encoding="utf-8")
    result = rectify("set", "mediation#1", "--notes", "x", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "RK005" in result.stderr and "not a valid record" in result.stderr
    assert path.read_text(encoding="utf-8") == "id: mediation\ntitle: [x\n"


def test_fmt_formats_a_record_that_does_not_validate(project: Path) -> None:
    path = project / "data/findings/conduct-2.yaml"
    path.write_text(DRAFT.replace("窗口服务不规范。\n", "窗口服务(大厅)不规范。\n"), encoding="utf-8")
    result = rectify("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert "title: 窗口服务（大厅）不规范。\n" in path.read_text(encoding="utf-8")


def _ledger_edit(project: Path, tmp_path: Path) -> Path:
    import openpyxl

    from rectifykit.reports import ledger

    out = tmp_path / "ledger.xlsx"
    assert rectify("ledger", "--root", str(project), "-o", str(out), "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[ledger.SHEET]
    key_col, col = ledger.HEADERS.index(ledger.KEY) + 1, ledger.HEADERS.index("责任科室") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=key_col).value == "theory-study#2")
    ws.cell(row=row, column=col).value = "局政治处"
    wb.save(out)
    return out


def test_ledger_apply_leaves_no_temporary_folder(project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The edited set is checked in memory and written once: no scratch copy of the records anywhere."""
    pytest.importorskip("openpyxl")
    workbook = _ledger_edit(project, tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    made: list[str] = []
    real = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    result = rectify("ledger", "--root", str(project), "--apply", str(workbook), "--yes", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "department: 局政治处" in (project / "data/findings/theory-study.yaml").read_text(encoding="utf-8")
    assert made == [] and list(scratch.iterdir()) == []
    assert sorted(p.name for p in (project / "data/findings").iterdir()) == [
        fsio.LOCK_NAME, "mediation.yaml", "theory-study.yaml"]


def test_ledger_apply_works_while_another_record_does_not_validate(project: Path, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    workbook = _ledger_edit(project, tmp_path)
    (project / "data/findings/conduct-2.yaml").write_text(DRAFT.replace("p-1", "conduct-2"), encoding="utf-8")
    result = rectify("ledger", "--root", str(project), "--apply", str(workbook), "--yes", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "department: 局政治处" in (project / "data/findings/theory-study.yaml").read_text(encoding="utf-8")
