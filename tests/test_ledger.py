"""`rectify ledger`: the 整改台账 workbook read back with openpyxl, and `--apply` of a workbook edited in Excel."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from rectifykit import check
from rectifykit.cli.base import app as typer_app
from rectifykit.reports import ledger
from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"
runner = CliRunner()


run = rectify


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the embedded example to edit."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path


def export(root: Path, *args: str) -> Path:
    out = root / "ledger.xlsx"
    result = run("ledger", "--root", str(root), "-o", str(out), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return out


def status_json(root: Path, as_of: str = AS_OF) -> dict:
    result = run("status", "--root", str(root), "--format", "json", "--all", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def column(header: str) -> int:
    return ledger.HEADERS.index(header) + 1


def edit(path: Path, changes: dict[tuple[str, str], object], *, to: Path | None = None) -> Path:
    """Set cells of the ledger sheet, found by item key and column header, as staff do in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[ledger.SHEET]
    rows = {ws.cell(row=r, column=column(ledger.KEY)).value: r for r in range(2, ws.max_row + 1)}
    for (key, header), value in changes.items():
        ws.cell(row=rows[key], column=column(header)).value = value  # None empties the cell
    target = to or path.with_name("edited.xlsx")
    wb.save(target)
    return target


def record_files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "data" / "findings").glob("*.yaml"))}


# --- the workbook -------------------------------------------------------------------


def test_one_row_per_item_under_the_offices_headers(project: Path) -> None:
    wb = openpyxl.load_workbook(export(project))
    ws = wb[ledger.SHEET]
    header = [c.value for c in ws[1]]
    assert header[:13] == ["序号", "问题类别", "反馈问题", "具体问题", "整改措施", "责任领导", "责任科室", "责任人",
                           "整改时限", "完成时间", "整改状态", "佐证材料", "备注"]
    items = status_json(project)["items"]
    keys = [ws.cell(row=r, column=column(ledger.KEY)).value for r in range(2, ws.max_row + 1)]
    assert keys == [i["id"] for i in items]
    first = {h: ws.cell(row=2, column=n).value for n, h in enumerate(header, start=1)}
    assert first["序号"] == 1
    assert first["反馈问题"].startswith("1.学习贯彻")
    assert first["具体问题"].startswith("一是")
    by_key = {ws.cell(row=r, column=column(ledger.KEY)).value: r for r in range(2, ws.max_row + 1)}
    row = by_key["community-correction#2"]
    assert ws.cell(row=row, column=column("整改时限")).value == dt.datetime(2024, 12, 31)
    assert ws.cell(row=row, column=column("整改状态")).value == "视同完成，持续整改"


def test_the_summary_counts_are_those_of_status_json(project: Path) -> None:
    wb = openpyxl.load_workbook(export(project))
    ws = wb[ledger.SUMMARY]
    header = [c.value for c in ws[4]]
    table = {}
    for r in range(5, ws.max_row + 1):
        name = ws.cell(row=r, column=1).value
        if name is None:
            break
        table[name] = dict(zip(header, (ws.cell(row=r, column=c).value for c in range(1, len(header) + 1)),
                               strict=True))
    summary = status_json(project)["summary"]
    titles = {c.key: c.title for c in check.load(project, today=dt.date(2024, 12, 25)).inspection.record.categories}
    expected = {"合计": summary, **{titles[k]: v for k, v in summary["by_category"].items()}}
    assert list(table) == [*(titles[k] for k in summary["by_category"]), "合计"]
    for name, counts in table.items():
        want = expected[name]
        assert counts["问题数"] == want["problems"]
        assert counts["整改条目"] == want["total"]
        assert counts["整改完成"] == want["by_status"]["completed"]
        assert counts["整改完成并长期坚持"] == want["by_status"]["completed_ongoing"]
        assert counts["视同完成，持续整改"] == want["by_status"]["deemed_completed"]
        assert counts["需持续整改"] == want["by_status"]["in_progress"]
        assert counts["尚未启动整改"] == want["by_status"]["not_started"]
        assert counts["已完成（计入完成率）"] == want["done"]
        assert counts["未完成"] == want["open"]
        assert counts["逾期"] == want["overdue"]
        assert counts["到期复查"] == want["due_for_review"]
        assert round(counts["完成率"], 4) == want["completion_rate"]


def test_frozen_filtered_printable_and_coloured_by_band(project: Path) -> None:
    wb = openpyxl.load_workbook(export(project, "--as-of", "2025-02-01"))
    ws = wb[ledger.SHEET]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.print_title_rows == "$1:$1"
    assert (ws.page_setup.orientation, str(ws.page_setup.paperSize)) == ("landscape", ws.PAPERSIZE_A3)
    assert str(ws.page_setup.scale) == "100" and not ws.sheet_properties.pageSetUpPr.fitToPage  # not shrunk
    assert all(ws.row_dimensions[r].height for r in range(1, ws.max_row + 1))  # heights fit the wrapped text
    summary = wb[ledger.SUMMARY]
    assert (str(summary.page_setup.fitToWidth), str(summary.page_setup.fitToHeight)) == ("1", "1")
    assert ws.cell(row=2, column=column("整改措施")).alignment.wrap_text
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width
    bands = {i["id"]: i["band"] for i in status_json(project, "2025-02-01")["items"]}
    fills = {ws.cell(row=r, column=column(ledger.KEY)).value: ws.cell(row=r, column=1).fill.fgColor.rgb
             for r in range(2, ws.max_row + 1)}
    assert "overdue" in bands.values() and "done" in bands.values()
    for key, band in bands.items():
        if band in ("overdue", "done"):
            assert fills[key].endswith(ledger.FILLS[ledger.Band(band)]), (key, band)


def test_a_missing_extra_names_the_extra_to_install(project: Path, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.delitem(sys.modules, "rectifykit.reports.ledger", raising=False)
    result = run("ledger", "--root", str(project), "-o", str(project / "x.xlsx"))
    assert result.exit_code == 2
    assert "pip install 'rectifykit[office]'" in result.output


# --- applying a workbook edited in Excel ---------------------------------------------------


def apply(root: Path, workbook: Path, *args: str):
    return run("ledger", "--root", str(root), "--apply", str(workbook), "--as-of", AS_OF, *args)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_round_trip_a_changed_deadline_and_status_are_exactly_the_changes(project: Path) -> None:
    has_diff = "diff" in get_command(typer_app).commands  # type: ignore[attr-defined]  # a group
    if has_diff and shutil.which("git"):
        _git(project, "init", "-q", "-b", "main")
        _git(project, "add", "data")
        _git(project, "commit", "-q", "-m", "records")
    before = {i["id"]: i for i in status_json(project)["items"]}
    edited = edit(export(project), {("community-correction#2", "整改时限"): dt.datetime(2025, 3, 31),
                                    ("legal-services#1.2", "整改状态"): "整改完成"})
    result = apply(project, edited, "--yes")
    assert result.exit_code == 0, result.output
    assert "community-correction#2  整改时限: 2024-12-31 → 2025-03-31" in result.stdout
    assert "legal-services#1.2  整改状态: 需持续整改 → 整改完成" in result.stdout
    after = {i["id"]: i for i in status_json(project)["items"]}
    changed = {(key, field): (before[key][field], after[key][field])
               for key in before for field in ("status", "label", "deadline", "owner", "completed_on", "next_review")
               if before[key][field] != after[key][field]}
    assert changed == {
        ("community-correction#2", "deadline"): ("2024-12-31", "2025-03-31"),
        ("legal-services#1.2", "status"): ("in_progress", "completed"),
        ("legal-services#1.2", "label"): ("需持续整改", "整改完成"),
    }
    if has_diff and shutil.which("git"):  # `rectify diff`: the working tree against the commit before the apply
        shown = run("diff", "HEAD", "--root", str(project), "--format", "json", "--as-of", AS_OF)
        assert shown.exit_code == 0, shown.output
        diff = json.loads(shown.stdout)
        assert [(s["item"], s["from"]["state"], s["to"]["state"]) for s in diff["status"]] == [
            ("legal-services#1.2", "in_progress", "completed")]
        assert [(d["item"], d["from"], d["to"]) for d in diff["deadlines"]] == [
            ("community-correction#2", "2024-12-31", "2025-03-31")]
        others = [diff["problems"]["added"], diff["problems"]["removed"], diff["items"]["added"],
                  diff["items"]["removed"], diff["overdue"], diff["measures"], diff["fields"]]
        assert others == [[]] * len(others)


def test_comments_and_layout_are_kept_and_only_the_changed_line_moves(project: Path) -> None:
    original = record_files(project)
    edited = edit(export(project), {("community-correction#2", "整改时限"): "2025-03-31",
                                    ("theory-study#1", "责任科室"): "局办公室"})
    assert apply(project, edited, "--yes").exit_code == 0
    now = record_files(project)
    changed = {name for name in original if original[name] != now[name]}
    assert changed == {"community-correction.yaml", "theory-study.yaml"}
    lines = [line for line in difflib.unified_diff(original["community-correction.yaml"].splitlines(),
                                                   now["community-correction.yaml"].splitlines(), lineterm="", n=0)
             if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert lines == ["-    deadline: 2024-12-31  # illustrative", "+    deadline: 2025-03-31  # illustrative"]
    assert "    department: 局办公室\n" in now["theory-study.yaml"]
    assert now["theory-study.yaml"].startswith(original["theory-study.yaml"].split("\n", 1)[0])  # its comment


def test_applying_the_same_workbook_again_changes_nothing(project: Path) -> None:
    edited = edit(export(project), {("community-correction#2", "整改时限"): dt.datetime(2025, 3, 31)})
    assert apply(project, edited, "--yes").exit_code == 0
    files = record_files(project)
    again = apply(project, edited, "--yes")
    assert again.exit_code == 0
    assert "no changes to apply" in again.stdout
    assert record_files(project) == files


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("整改时限", "2024-13-01", "is not a date"),
        ("完成时间", "下周", "is not a date"),
        ("整改状态", "差不多了", "unknown status"),
        ("整改状态", None, "unknown status"),
    ],
)
def test_a_cell_that_does_not_validate_is_refused_with_its_place(project: Path, header, value, reason) -> None:
    original = record_files(project)
    workbook = export(project)
    edited = edit(workbook, {("community-correction#2", header): value,
                             ("theory-study#1", "责任科室"): "局办公室"})
    row = 1 + [i["id"] for i in status_json(project)["items"]].index("community-correction#2") + 1
    letter = openpyxl.utils.get_column_letter(column(header))
    result = apply(project, edited, "--yes")
    assert result.exit_code == 1
    assert f"{ledger.SHEET} row {row}, column {letter} ({header}): " in result.output
    assert reason in result.output
    assert "nothing was written" in result.output
    assert record_files(project) == original


def test_an_unknown_item_is_refused(project: Path) -> None:
    workbook = export(project)
    wb = openpyxl.load_workbook(workbook)
    wb[ledger.SHEET].cell(row=3, column=column(ledger.KEY), value="no-such-problem#1")
    wb.save(workbook)
    result = apply(project, workbook, "--yes")
    assert result.exit_code == 1
    assert "row 3" in result.output and "no-such-problem#1" in result.output


def test_edits_that_make_the_records_invalid_are_refused(project: Path) -> None:
    original = record_files(project)
    edited = edit(export(project), {("theory-study#1", "完成时间"): dt.datetime(2030, 1, 1)})  # in the future
    result = apply(project, edited, "--yes")
    assert result.exit_code == 1
    assert "would not be valid" in result.output
    assert "RK208" in result.output
    assert record_files(project) == original


def test_a_record_changed_since_the_export_wins_unless_the_same_cell_was_edited(project: Path) -> None:
    workbook = export(project)
    target = project / "data" / "findings" / "community-correction.yaml"
    text = target.read_text(encoding="utf-8")
    old, new = "deadline: 2024-12-31  # illustrative\n    next_review", "deadline: 2025-01-31  # moved\n    next_review"
    moved = text.replace(old, new, 1)
    assert moved != text
    target.write_text(moved, encoding="utf-8")
    other = edit(workbook, {("theory-study#1", "责任科室"): "局办公室"}, to=project / "other.xlsx")
    assert apply(project, other, "--yes").exit_code == 0
    assert "deadline: 2025-01-31  # moved" in target.read_text(encoding="utf-8")  # not reverted
    same = edit(workbook, {("community-correction#2", "整改时限"): dt.datetime(2025, 6, 30)}, to=project / "s.xlsx")
    result = apply(project, same, "--yes")
    assert result.exit_code == 1
    assert "changed since the ledger was exported" in result.output


def test_edits_in_other_columns_are_reported_not_applied(project: Path) -> None:
    original = record_files(project)
    edited = edit(export(project), {("community-correction#2", "整改措施"): "改写的措施"})
    result = apply(project, edited, "--yes")
    assert result.exit_code == 0
    assert "ignored" in result.output and "(整改措施)" in result.output
    assert record_files(project) == original


def test_dry_run_and_no_terminal_write_nothing(project: Path) -> None:
    original = record_files(project)
    edited = edit(export(project), {("community-correction#2", "整改时限"): dt.datetime(2025, 3, 31)})
    dry = apply(project, edited, "--dry-run")
    assert dry.exit_code == 0
    assert "2024-12-31 → 2025-03-31" in dry.stdout and "dry run" in dry.stdout
    unasked = apply(project, edited)
    assert unasked.exit_code == 2
    assert "--yes" in unasked.output
    assert record_files(project) == original


def test_a_file_that_is_not_a_workbook_is_refused(project: Path) -> None:
    bogus = project / "bogus.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    result = apply(project, bogus, "--yes")
    assert result.exit_code == 1
    assert "not a ledger workbook" in result.output


def test_a_status_in_the_units_own_wording_is_kept_when_its_cell_is_untouched(project: Path) -> None:
    target = project / "data" / "findings" / "community-correction.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("states: [deemed_completed]\n      label: 视同完成，持续整改\n",
                                   "states: [in_progress]\n      label: 阶段性完成\n", 1), encoding="utf-8")
    edited = edit(export(project), {("theory-study#1", "责任科室"): "局办公室"})
    result = apply(project, edited, "--yes")
    assert result.exit_code == 0, result.output
    assert "label: 阶段性完成" in target.read_text(encoding="utf-8")


def test_rows_without_a_known_unique_item_key_are_refused(project: Path) -> None:
    workbook = export(project)
    wb = openpyxl.load_workbook(workbook)
    ws = wb[ledger.SHEET]
    ws.cell(row=ws.max_row + 1, column=column("反馈问题"), value="新增的问题")
    ws.cell(row=4, column=column(ledger.KEY)).value = ws.cell(row=2, column=column(ledger.KEY)).value
    wb.save(workbook)
    result = apply(project, workbook, "--yes")
    assert result.exit_code == 1
    assert "row 4" in result.output and "also in row 2" in result.output
    assert "no item key" in result.output


def test_a_file_changed_while_the_user_was_asked_is_not_overwritten(project: Path) -> None:
    from rectifykit.edit import EditError, ledger_apply

    edited = edit(export(project), {("community-correction#2", "整改时限"): dt.datetime(2025, 3, 31)})
    loaded = check.load(project, today=dt.date(2024, 12, 25))
    plan = ledger_apply.plan(loaded, edited, today=dt.date(2024, 12, 25))
    assert plan.ok and list(plan.texts) == ["data/findings/community-correction.yaml"]
    target = project / "data" / "findings" / "community-correction.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(EditError, match="changed since it was read"):
        ledger_apply.write(loaded, plan)
    assert target.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_a_workbook_without_its_hidden_sheet_is_compared_with_the_records(project: Path) -> None:
    edited = edit(export(project), {("community-correction#2", "整改时限"): "2025/3/31"})
    wb = openpyxl.load_workbook(edited)
    del wb[ledger.EXPORTED]
    wb.save(edited)
    result = apply(project, edited, "--yes")
    assert result.exit_code == 0, result.output
    assert "2024-12-31 → 2025-03-31" in result.stdout
