"""`rectify status`: items, bands, counts, milestones and the output formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from rectifykit.cli import app
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection, State
from rectifykit.track import status
from support import rectify

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


run = rectify


def status_json(*args: str) -> dict:
    result = run("status", "--root", str(REPO), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the embedded example ---------------------------------------------------------


def test_every_problem_appears_and_the_open_items_are_those_the_notice_marks() -> None:
    data = status_json("--as-of", "2024-07-11", "--all")
    items = data["items"]
    assert sorted({i["problem"] for i in items}) == list(range(1, 19))
    open_items = {(i["problem"], tuple(i["points"])) for i in items if i["status"] in ("in_progress", "not_started")}
    # 需持续整改: problem 4 point 三, problem 12 point 五, and the in-progress parts of 9 and 14.
    assert open_items == {(4, (3,)), (12, (5,)), (9, (3,)), (14, (2,))}
    for number in (10, 11, 16, 17, 18):
        assert {i["status"] for i in items if i["problem"] == number} == {"completed"}


def test_the_summary_agrees_with_the_items() -> None:
    data = status_json("--as-of", "2024-07-11", "--all")
    items, summary = data["items"], data["summary"]
    assert summary["total"] == len(items)
    for state in State:
        assert summary["by_status"][state.value] == sum(1 for i in items if i["status"] == state.value)
    done = sum(1 for i in items if i["status"] in ("completed", "completed_ongoing", "deemed_completed"))
    assert summary["open"] == len(items) - done
    assert summary["completion_rate"] == round(done / len(items), 4)
    assert summary["overdue"] == sum(1 for i in items if i["overdue"])
    by_category = summary["by_category"]
    assert sum(c["total"] for c in by_category.values()) == len(items)
    assert [c["problems"] for c in by_category.values()] == [9, 4, 5]


def test_far_in_the_future_every_open_item_with_a_deadline_is_overdue() -> None:
    data = status_json("--as-of", "2030-01-01", "--all")
    for item in data["items"]:
        is_open = item["status"] in ("in_progress", "not_started")
        assert item["overdue"] == (is_open and item["deadline"] is not None), item
    assert data["summary"]["overdue"] == 4
    result = run("status", "--root", str(REPO), "--as-of", "2030-01-01", "--fail-on", "overdue")
    assert result.exit_code == 1
    assert run("status", "--root", str(REPO), "--as-of", "2024-07-11", "--fail-on", "overdue").exit_code == 0
    assert run("status", "--root", str(REPO), "--as-of", "2024-07-11", "--fail-on", "open").exit_code == 1


def test_default_view_shows_only_what_needs_attention_most_urgent_first() -> None:
    data = status_json("--as-of", "2030-01-01")
    bands = [i["band"] for i in data["items"]]
    assert "done" not in bands and "on_track" not in bands
    assert bands == sorted(bands, key=[b.value for b in status.Band].index)
    assert bands[0] == "overdue"


def test_filters_by_category_and_owner() -> None:
    data = status_json("--as-of", "2024-07-11", "--all", "--category", "conduct")
    assert {i["problem"] for i in data["items"]} == {10, 11, 12, 13}
    data = status_json("--as-of", "2024-07-11", "--all", "--owner", "法援")
    assert [i["id"] for i in data["items"]] == ["legal-services#1.1"]
    assert run("status", "--root", str(REPO), "--category", "nope").exit_code == 2


# --- bands at their boundaries ------------------------------------------------------

DEADLINE = dt.date(2024, 9, 30)


def unit(state: State = State.in_progress, **tracking: object) -> tally.Unit:
    finding = Finding.model_validate(
        {"id": "x", "category": "c", "order": 1, "title": "t",
         "responses": [{"status": {"states": [state.value], "label": "l"}, "measures": ["m"], **tracking}]}
    )
    return tally.units(finding)[0]


@pytest.mark.parametrize(
    ("as_of", "band", "days_left"),
    [
        (DEADLINE + dt.timedelta(days=1), status.Band.overdue, -1),
        (DEADLINE, status.Band.due_urgent, 0),
        (DEADLINE - dt.timedelta(days=1), status.Band.due_urgent, 1),
        (DEADLINE - dt.timedelta(days=10), status.Band.due_urgent, 10),
        (DEADLINE - dt.timedelta(days=11), status.Band.due_soon, 11),
        (DEADLINE - dt.timedelta(days=20), status.Band.due_soon, 20),
        (DEADLINE - dt.timedelta(days=21), status.Band.on_track, 21),
    ],
)
def test_band_boundaries_around_a_deadline(as_of: dt.date, band: status.Band, days_left: int) -> None:
    assert status.band_of(unit(deadline=DEADLINE), as_of) == (band, days_left)


def test_thresholds_are_configurable() -> None:
    narrow = status.Thresholds(soon=5, urgent=2)
    assert status.band_of(unit(deadline=DEADLINE), DEADLINE - dt.timedelta(days=6), narrow)[0] == status.Band.on_track
    assert status.band_of(unit(deadline=DEADLINE), DEADLINE - dt.timedelta(days=3), narrow)[0] == status.Band.due_soon


def test_an_item_without_a_deadline_is_never_overdue() -> None:
    assert status.band_of(unit(), dt.date(2099, 1, 1)) == (status.Band.no_deadline, None)


def test_done_items_are_never_overdue_and_continuing_ones_come_up_for_review() -> None:
    review = dt.date(2025, 1, 15)
    done = unit(State.completed, deadline=DEADLINE, next_review=review)
    assert status.band_of(done, dt.date(2030, 1, 1))[0] is status.Band.done
    kept_up = unit(State.completed_ongoing, deadline=DEADLINE, next_review=review)
    assert status.band_of(kept_up, review - dt.timedelta(days=1))[0] is status.Band.done
    assert status.band_of(kept_up, review)[0] is status.Band.due_for_review
    deemed = unit(State.deemed_completed, next_review=review)
    assert status.band_of(deemed, review + dt.timedelta(days=1))[0] is status.Band.due_for_review


# --- milestones ---------------------------------------------------------------------------


def inspection(**milestones: str) -> Inspection:
    return Inspection.model_validate(
        {"unit": "u", "team": "t", "period": {"start": "2023-10-01", "end": "2023-11-30"},
         "feedback_date": "2024-01-31", "opening": "o", "sections": [], "categories": [],
         "milestones": milestones}
    )


def test_milestones_are_computed_from_the_feedback_date() -> None:
    got = {m.key: m for m in status.milestones(inspection(), dt.date(2024, 2, 1))}
    assert got["plan_due"].due == dt.date(2024, 2, 29)  # one month, clipped to February's end
    assert got["concentrated_end"].due == dt.date(2024, 3, 31)
    assert got["plan_due"].state is status.MilestoneState.pending
    later = {m.key: m for m in status.milestones(inspection(), dt.date(2024, 4, 1))}
    assert later["plan_due"].state is status.MilestoneState.overdue
    assert later["concentrated_end"].state is status.MilestoneState.ended


def test_milestones_can_be_set_in_the_record() -> None:
    record = inspection(
        plan_due="2024-02-10", plan_done="2024-02-12", report_due="2024-05-01", report_done="2024-04-30"
    )
    got = {m.key: m for m in status.milestones(record, dt.date(2024, 6, 1))}
    assert (got["plan_due"].due, got["plan_due"].state) == (dt.date(2024, 2, 10), status.MilestoneState.late)
    assert got["report_due"].state is status.MilestoneState.met


# --- output formats -------------------------------------------------------------------------


def test_table_fits_80_columns_and_keeps_number_status_and_date() -> None:
    result = run("status", "--root", str(REPO), "--as-of", "2030-01-01", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    overdue = [line for line in lines if line.startswith("OVERDUE")]
    assert len(overdue) == 4
    for line in overdue:
        assert "需持续整改" in line and "2024-12-31" in line
    assert any(line.startswith("OVERDUE  4.") for line in overdue)


def test_table_messages_are_chinese_by_default() -> None:
    result = runner.invoke(app, ["status", "--root", str(REPO), "--as-of", "2030-01-01"], env={"LANG": "zh_CN.UTF-8"})
    assert "逾期" in result.stdout


def test_csv_has_a_bom_for_excel_and_one_row_per_item() -> None:
    result = run("status", "--root", str(REPO), "--as-of", "2024-07-11", "--all", "--format", "csv")
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][:2] == ["band", "problem"]
    assert len(rows) - 1 == len(status_json("--as-of", "2024-07-11", "--all")["items"])


def test_markdown_is_a_table_for_a_pull_request_comment() -> None:
    result = run("status", "--root", str(REPO), "--as-of", "2030-01-01", "--format", "md")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| band | problem |")
    assert lines[1].startswith("|---|")
    assert sum(1 for line in lines if line.startswith("| OVERDUE |")) == 4


def test_invalid_records_exit_1_with_the_diagnostics(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / "data" / "findings" / "party-building.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 4", "order: four"), encoding="utf-8")
    result = run("status", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "data/findings/party-building.yaml:" in result.stderr
    assert result.stdout == ""
