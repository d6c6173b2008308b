"""Values within range: numbers and dates a record cannot hold are diagnostics on every path.

A record with a 5,000-digit order, a year 9999, or an unquoted day that no calendar has is reported
at its file, line and column by validate, status, ledger, render, fmt and set; none of them exits 3,
and fmt and set change nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rectifykit.cli import app

BASE = Path(__file__).parent / "cases" / "_base" / "project"
AS_OF = "2024-12-25"

# name: (file, old text, new text, where the diagnostic points "file:line:column")
HOSTILE = {
    "order-5000-digits": ("findings/mediation.yaml", "order: 1\n", "order: " + "9" * 5_000 + "\n",
                          "data/findings/mediation.yaml:3:8"),
    "order-100000": ("findings/mediation.yaml", "order: 1\n", "order: 100000\n",
                     "data/findings/mediation.yaml:3:8"),
    "covers-0": ("findings/theory-study.yaml", "covers: [2]", "covers: [0]",
                 "data/findings/theory-study.yaml:23:14"),
    "feedback-year-9999": ("inspection.yaml", "feedback_date: 2024-01-11", "feedback_date: 9999-01-11",
                           "data/inspection.yaml:7:16"),
    "deadline-year-9999": ("findings/theory-study.yaml", "deadline: 2024-12-31", "deadline: 9999-12-31",
                           "data/findings/theory-study.yaml:32:15"),
    "completed-1900-quoted": ("findings/theory-study.yaml", "completed_on: 2024-03-29",
                              'completed_on: "1900-03-29"', "data/findings/theory-study.yaml:20:19"),
    "completed-february-30": ("findings/theory-study.yaml", "completed_on: 2024-03-29", "completed_on: 2024-02-30",
                              "data/findings/theory-study.yaml:20:19"),
}


def invoke(*args: str):  # -> typer.testing.Result
    result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"}).invoke(app, ["--lang", "en", *args])
    assert "Traceback" not in result.output
    assert result.exit_code != 3, result.output
    return result


def _project(tmp_path: Path, name: str) -> tuple[Path, Path]:
    file, old, new, _where = HOSTILE[name]
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    path = project / "data" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project, path


def _where(name: str) -> str:
    return HOSTILE[name][3]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize(
    "command", [["validate"], ["status"], ["ledger", "-o", "OUT.xlsx"], ["render"]], ids=lambda c: c[0]
)
def test_reading_commands_report_the_value_at_its_place(name: str, command: list[str], tmp_path: Path) -> None:
    if command[0] == "ledger":
        pytest.importorskip("openpyxl")
    project, _path = _project(tmp_path, name)
    args = [a.replace("OUT.xlsx", str(tmp_path / "ledger.xlsx")) for a in command]
    result = invoke(*args, "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert _where(name) in result.output, result.output
    assert not (tmp_path / "ledger.xlsx").exists()


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("how", ["files", "project", "check"])
def test_fmt_reports_the_value_and_changes_nothing(name: str, how: str, tmp_path: Path) -> None:
    project, path = _project(tmp_path, name)
    # a second fault fmt would fix: it must not be fixed in a file that holds a value out of range
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n", "  \n", 1), encoding="utf-8")
    before = path.read_bytes()
    args = {"files": [str(path)], "project": ["--root", str(project)], "check": ["--check", "--root", str(project)]}
    result = invoke("fmt", *args[how])
    assert result.exit_code == 1, result.output
    assert _where(name).split(":", 1)[1] in result.output, result.output  # line:column (the path as given)
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", [n for n in HOSTILE if not HOSTILE[n][0].startswith("inspection")])
def test_set_reports_the_value_and_changes_nothing(name: str, tmp_path: Path) -> None:
    project, path = _project(tmp_path, name)
    before = path.read_bytes()
    item = f"{Path(HOSTILE[name][0]).stem}#1"
    result = invoke("set", item, "--notes", "已复核", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert _where(name) in result.output, result.output
    assert path.read_bytes() == before


def test_set_with_an_out_of_range_value_is_refused(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    path = project / "data" / "findings" / "theory-study.yaml"
    before = path.read_bytes()
    result = invoke("set", "theory-study#2", "--deadline", "9999-12-31", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "RK108" in result.output
    assert path.read_bytes() == before


def test_an_unquoted_impossible_date_in_a_text_field_stops_fmt_with_its_place(tmp_path: Path) -> None:
    """`notes: 2024-02-30` is text to validate, but the round trip would read it as a date: fmt says where
    and how to fix it (quotes), and writes nothing."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    path = project / "data" / "findings" / "mediation.yaml"
    text = path.read_text(encoding="utf-8") + "    notes: 2024-02-30\n"
    path.write_text(text, encoding="utf-8")
    assert invoke("validate", "--root", str(project), "--as-of", AS_OF).exit_code == 0
    result = invoke("fmt", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path.as_posix()}:15:12: RK031" in result.output, result.output
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("cell", ["9999-12-31", "1900-01-01"])
def test_ledger_apply_of_a_date_out_of_range_is_refused(cell: str, tmp_path: Path) -> None:
    """A deadline typed in the ledger with a year the records cannot hold: exit 1 naming the value, nothing written."""
    openpyxl = pytest.importorskip("openpyxl")
    from rectifykit.reports import ledger

    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    before = {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")}
    out = tmp_path / "ledger.xlsx"
    assert invoke("ledger", "--root", str(project), "-o", str(out), "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb[ledger.SHEET]
    key_col, col = ledger.HEADERS.index(ledger.KEY) + 1, ledger.HEADERS.index("整改时限") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=key_col).value == "theory-study#2")
    ws.cell(row=row, column=col).value = cell
    wb.save(out)
    result = invoke("ledger", "--root", str(project), "--apply", str(out), "--yes", "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "RK108" in result.output and cell in result.output, result.output
    assert {p: p.read_bytes() for p in before} == before
