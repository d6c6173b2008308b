"""`rectify rollup`: several units added up by the definitions of `status`; the sample for re-checking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2025-02-01"
runner = CliRunner()
COUNTS = ("problems", "total", "done", "open", "overdue", "due_for_review")


run = rectify


def make_unit(folder: Path, name: str, *, reopen: int = 0, drop: tuple[str, ...] = ()) -> Path:
    """A unit generated from the embedded example: renamed, ``reopen`` completed items reopened, files dropped."""
    shutil.copytree(REPO / "data", folder / "data")
    inspection = folder / "data" / "inspection.yaml"
    inspection.write_text(inspection.read_text(encoding="utf-8").replace("unit: 中共鄂城区司法局党组", f"unit: {name}"),
                          encoding="utf-8")
    for file in sorted((folder / "data" / "findings").glob("*.yaml")):
        if file.stem in drop:
            file.unlink()
            continue
        text = file.read_text(encoding="utf-8")
        while reopen and "states: [completed]\n      label: 整改完成\n" in text:
            text = text.replace("states: [completed]\n      label: 整改完成\n",
                                "states: [in_progress]\n      label: 需持续整改\n", 1)
            reopen -= 1
        file.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def units(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("units")
    return [
        make_unit(base / "a", "单位甲"),
        make_unit(base / "b", "单位乙", reopen=3),
        make_unit(base / "c", "单位丙", drop=("theory-study", "legal-services", "party-building")),
    ]


def status_summary(root: Path) -> dict:
    result = run("status", "--root", str(root), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["summary"]


def rollup_json(*args: str) -> dict:
    result = run("rollup", *args, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_totals_are_the_sums_of_each_units_status_summary(units: list[Path]) -> None:
    data = rollup_json(*map(str, units))
    summaries = [status_summary(u) for u in units]
    assert [u["unit"] for u in data["units"]] == ["单位甲", "单位乙", "单位丙"]
    for unit, summary in zip(data["units"], summaries, strict=True):
        for name in (*COUNTS, "by_status", "completion_rate"):
            assert unit[name] == summary[name], name
    total = data["total"]
    for name in COUNTS:
        assert total[name] == sum(s[name] for s in summaries), name
    for state in summaries[0]["by_status"]:
        assert total["by_status"][state] == sum(s["by_status"][state] for s in summaries)
    assert total["completion_rate"] == round(total["done"] / total["total"], 4)
    assert len({s["done"] for s in summaries}) == 3  # the units really differ
    assert total["overdue"] > 0


def test_problems_fully_done_count_problems_whose_every_item_is_done(units: list[Path]) -> None:
    data = rollup_json(str(units[0]))
    items = json.loads(run("status", "--root", str(units[0]), "--format", "json", "--all",
                           "--as-of", AS_OF).stdout)["items"]
    open_problems = {i["problem"] for i in items if i["status"] in ("in_progress", "not_started")}
    assert data["units"][0]["problems_done"] == data["units"][0]["problems"] - len(open_problems)


def test_a_folder_of_unit_folders_stands_for_all_of_them(units: list[Path]) -> None:
    assert rollup_json(str(units[0].parent)) == rollup_json(*map(str, units))


def test_a_folder_that_holds_no_project_is_a_usage_error(tmp_path: Path) -> None:
    result = run("rollup", str(tmp_path))
    assert result.exit_code == 2
    assert "not a rectifykit project" in result.output


def test_a_unit_with_invalid_records_is_not_added_up(units: list[Path], tmp_path: Path) -> None:
    broken = make_unit(tmp_path / "broken", "单位丁")
    (broken / "data" / "findings" / "theory-study.yaml").write_text("id: [\n", encoding="utf-8")
    result = run("rollup", str(units[0]), str(broken))
    assert result.exit_code == 1
    assert "invalid records" in result.output and "theory-study.yaml" in result.output


def test_the_sample_is_of_closed_items_and_reproducible_with_a_seed(units: list[Path]) -> None:
    args = (*map(str, units), "--sample", "4", "--seed", "2024")
    first, again = rollup_json(*args), rollup_json(*args)
    assert first["sample"] == again["sample"]
    sample = first["sample"]
    assert (sample["seed"], sample["per_unit"]) == (2024, 4)
    assert [s["unit"] for s in sample["items"]] == ["单位甲"] * 4 + ["单位乙"] * 4 + ["单位丙"] * 4
    assert {s["status"] for s in sample["items"]} <= {"completed", "completed_ongoing", "deemed_completed"}
    # A unit's draw depends on the seed and the unit only, not on which other units are rolled up.
    alone = rollup_json(str(units[1]), "--sample", "4", "--seed", "2024")["sample"]["items"]
    assert alone == [s for s in sample["items"] if s["unit"] == "单位乙"]
    others = [rollup_json(*map(str, units), "--sample", "4", "--seed", str(seed))["sample"]["items"]
              for seed in (1, 2, 3)]
    assert any(o != sample["items"] for o in others)


def test_without_a_seed_the_one_used_is_printed(units: list[Path]) -> None:
    result = run("rollup", str(units[0]), "--sample", "2", "--format", "md", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "draw it again with --seed" in result.stdout


def test_table_md_and_xlsx(units: list[Path], tmp_path: Path) -> None:
    table = run("rollup", *map(str, units), "--as-of", AS_OF)
    assert table.exit_code == 0
    assert "单位乙" in table.stdout and "total" in table.stdout
    md = run("rollup", *map(str, units), "--format", "md", "--as-of", AS_OF)
    assert md.stdout.count("\n| 单位") == 3
    data = rollup_json(*map(str, units))
    out = tmp_path / "rollup.xlsx"
    assert run("rollup", *map(str, units), "--format", "xlsx", "-o", str(out), "--as-of", AS_OF).exit_code == 0
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)]
    assert [r[0] for r in rows] == ["单位甲", "单位乙", "单位丙", "合计"]
    assert rows[-1][3:5] == [data["total"]["problems"], data["total"]["total"]]
    assert round(rows[-1][-1], 4) == data["total"]["completion_rate"]


def test_xlsx_needs_an_output_file(units: list[Path]) -> None:
    result = run("rollup", str(units[0]), "--format", "xlsx")
    assert result.exit_code == 2


# --- both cores: the units summed up in worker processes, the same output as in one process ------------------


@pytest.fixture(scope="module")
def many(units: list[Path], tmp_path_factory) -> list[Path]:
    """The three units and two more, one of which holds a file that is not a record (a warning)."""
    base = tmp_path_factory.mktemp("many")
    extra = [make_unit(base / "d", "单位丁", reopen=5), make_unit(base / "e", "单位戊", drop=("theory-study",))]
    (extra[1] / "data" / "findings" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    return [*units, *extra]


def outputs(folders: list[Path], workers: str, *args: str) -> list[tuple[int, str, str]]:
    env = {"RECTIFY_WORKERS": workers}
    common = (*map(str, folders), "--as-of", AS_OF, *args)
    return [(r.exit_code, r.stdout, r.stderr)
            for r in (run("rollup", *common, *fmt, env=env)
                      for fmt in (("--format", "json"), ("--format", "md"), ("--format", "html"), ()))]


def test_workers_or_one_process_the_same_output_in_the_same_order(many: list[Path], monkeypatch) -> None:
    from rectifykit.track import gather

    started = []
    real = gather._in_workers
    monkeypatch.setattr(gather, "_in_workers", lambda *a: started.append(a[1]) or real(*a))
    monkeypatch.setattr(gather, "CHUNK_FILES", 1)  # each unit a task of its own: the workers take turns
    args = ("--sample", "3", "--seed", "7")
    alone, both = outputs(many, "1", *args), outputs(many, "2", *args)
    assert started == [2] * 4  # really in two worker processes
    assert both == alone
    data = json.loads(alone[0][1])
    assert [u["unit"] for u in data["units"]] == ["单位甲", "单位乙", "单位丙", "单位丁", "单位戊"]
    assert len(data["sample"]["items"]) == 15
    assert alone[0][2].count("notes.txt:1:1: RK023") == 1  # the warning about the file set, once
    assert outputs(many, "", *args) == alone  # by default: one process for units this small, the same output


def test_workers_are_started_for_two_units_or_more_holding_enough_files(many: list[Path], tmp_path: Path) -> None:
    from rectifykit.load import pool
    from rectifykit.track import gather

    big = []
    for name in ("x", "y"):
        (tmp_path / name / "data" / "findings").mkdir(parents=True)
        for n in range(gather.PARALLEL_MIN_FILES // 2):
            (tmp_path / name / "data" / "findings" / f"{n}.yaml").touch()
        big.append(tmp_path / name)
    assert gather.workers(many, env={}) == 1  # five units of the example: not worth starting processes
    assert gather.workers(big[:1], env={}) == 1
    assert gather.workers(big, env={}) == min(2, pool.cores())
    assert gather.workers(big, env={"RECTIFY_WORKERS": "1"}) == 1
    assert gather.workers(many, env={"RECTIFY_WORKERS": "8"}) == 5


def test_units_go_to_the_workers_in_runs_of_enough_files_in_their_order() -> None:
    from rectifykit.track import gather

    folders = [Path(f"u{n}") for n in range(6)]
    assert gather.runs(folders, [100, 100, 250, 10, 10, 10], files=200) == [
        folders[:2], folders[2:3], folders[3:]]
    assert gather.runs(folders, [1000] * 6, files=200) == [[f] for f in folders]
    assert gather.runs([], [], files=200) == []


@pytest.mark.parametrize("chunk", [1, 1000])
def test_workers_stop_at_a_unit_with_invalid_records_as_one_process_does(
    many: list[Path], tmp_path: Path, monkeypatch, chunk: int
) -> None:
    from rectifykit.track import gather

    monkeypatch.setattr(gather, "CHUNK_FILES", chunk)
    broken = make_unit(tmp_path / "broken", "单位己")
    (broken / "data" / "findings" / "theory-study.yaml").write_text("id: [\n", encoding="utf-8")
    folders = [*many[:2], broken, *many[2:]]
    alone = run("rollup", *map(str, folders), "--format", "json", env={"RECTIFY_WORKERS": "1"})
    both = run("rollup", *map(str, folders), "--format", "json", env={"RECTIFY_WORKERS": "2"})
    assert (both.exit_code, both.stdout, both.stderr) == (alone.exit_code, alone.stdout, alone.stderr)
    assert alone.exit_code == 1 and alone.stdout == ""
    assert alone.stderr.startswith(f"{broken}: invalid records, not added up\n")
    assert "theory-study.yaml" in alone.stderr and "notes.txt" not in alone.stderr  # the units after it: not read


def test_where_processes_cannot_start_the_units_are_summed_up_here(many: list[Path], monkeypatch) -> None:
    import concurrent.futures

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    alone = outputs(many, "1")
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    assert outputs(many, "2") == alone
