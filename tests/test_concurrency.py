"""No lost edits: any number of `rectify set`, `fmt` and `ledger --apply` at once on one record.

Each run is a real process started at the same moment as the others. A run that exits 0 must
have its edit in the final file; a run that cannot apply its edit exits 1 saying what to run
again; none exits 3 (an internal error).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rectifykit import fsio
from rectifykit.cli import app
from support import ledger_edited

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "tests" / "cases" / "_base" / "project"
AS_OF = "2024-12-25"
RECTIFY = [sys.executable, "-m", "rectifykit", "--lang", "en"]

# (item, option, the field it sets): eight runs, each changing something no other run changes
EDITS = [
    ("theory-study#1", "--notes", "notes"),
    ("theory-study#1", "--person", "person"),
    ("theory-study#1", "--leader", "leader"),
    ("theory-study#1", "--evidence", "evidence"),
    ("theory-study#2", "--notes", "notes"),
    ("theory-study#2", "--person", "person"),
    ("theory-study#2", "--leader", "leader"),
    ("theory-study#2", "--reviewer", "reviewer"),
]


def _start(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([*RECTIFY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append((proc.returncode, stdout + stderr))
    return out


def _response(record: dict, item: str) -> dict:
    return record["responses"][int(item.partition("#")[2]) - 1]


def _has(record: dict, item: str, field: str, value: str) -> bool:
    got = _response(record, item).get(field)
    return value in got if field == "evidence" else got == value


def test_concurrent_sets_on_one_record_lose_no_edit(tmp_path: Path) -> None:
    """Eight `rectify set` on one record at once, three rounds: every run exits 0 with its edit in the file."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    record = project / "data" / "findings" / "theory-study.yaml"
    for n in range(3):
        values = [f"第{n}轮{k}号" for k in range(len(EDITS))]
        procs = [_start(["set", item, option, value, "--root", str(project), "--as-of", AS_OF])
                 for (item, option, _f), value in zip(EDITS, values, strict=True)]
        results = _finish(procs)
        final = yaml.safe_load(record.read_text(encoding="utf-8"))
        for (code, output), (item, _o, field), value in zip(results, EDITS, values, strict=True):
            assert code != 3 and "Traceback" not in output, output
            assert code == 0, f"round {n}: set {item} {field} exited {code}: {output}"
            assert _has(final, item, field, value), f"round {n}: the edit of {item} {field} was lost"
    assert CliRunner().invoke(app, ["validate", "--root", str(project), "--as-of", AS_OF]).exit_code == 0


def test_concurrent_fmt_and_sets_lose_no_edit(tmp_path: Path) -> None:
    """`rectify fmt` on the record while six `set` write into it: the sets' edits stay and the file ends formatted."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    record = project / "data" / "findings" / "theory-study.yaml"
    for n in range(3):
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("学习计划落实不到位。", "学习计划,落实不到位。"), encoding="utf-8")
        values = [f"第{n}轮{k}号" for k in range(6)]
        procs = [_start(["set", item, option, value, "--root", str(project), "--as-of", AS_OF])
                 for (item, option, _f), value in zip(EDITS[:6], values, strict=True)]
        procs += [_start(["fmt", str(record)]) for _ in range(2)]
        results = _finish(procs)
        final = yaml.safe_load(record.read_text(encoding="utf-8"))
        for code, output in results:
            assert code == 0 and "Traceback" not in output, output
        for (item, _o, field), value in zip(EDITS[:6], values, strict=True):
            assert _has(final, item, field, value), f"round {n}: the edit of {item} {field} was lost"
        assert final["points"][0]["text"] == "学习计划，落实不到位。"


def test_concurrent_ledger_apply_and_sets_lose_no_edit(tmp_path: Path) -> None:
    """`ledger --apply` into a record while `set` runs write into it: what exits 0 is in the file; an apply that
    finds the record changed since it read it exits 1, says to run it again, and writes nothing."""
    pytest.importorskip("openpyxl")
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    record = project / "data" / "findings" / "theory-study.yaml"
    workbook = ledger_edited(project, tmp_path, "theory-study#2", "整改完成", as_of=AS_OF)
    for n in range(3):
        values = [f"第{n}轮{k}号" for k in range(4)]
        procs = [_start(["ledger", "--root", str(project), "--apply", str(workbook), "--yes", "--as-of", AS_OF])]
        procs += [_start(["set", item, option, value, "--root", str(project), "--as-of", AS_OF])
                  for (item, option, _f), value in zip(EDITS[:4], values, strict=True)]
        (code, output), *sets = _finish(procs)
        final = yaml.safe_load(record.read_text(encoding="utf-8"))
        assert code in (0, 1) and "Traceback" not in output, output
        if code == 0 and "no changes to apply" not in output:
            assert final["responses"][1]["status"]["states"] == ["completed"], f"round {n}: the apply was lost"
        if code == 1:
            assert "run the command again" in output, output
        for (code, output), (item, _o, field), value in zip(sets, EDITS[:4], values, strict=True):
            assert code == 0 and "Traceback" not in output, output
            assert _has(final, item, field, value), f"round {n}: the edit of {item} {field} was lost"


def test_the_lock_is_taken_beside_the_record_and_never_read_as_one(tmp_path: Path) -> None:
    """After a `set` the folder holds its lock file (hidden): validate counts the same files as before, and
    the lock file is never a record."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    result = CliRunner().invoke(app, ["set", "theory-study#1", "--notes", "已复核", "--root", str(project),
                                      "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    findings = project / "data" / "findings"
    assert sorted(p.name for p in findings.iterdir()) == [fsio.LOCK_NAME, "mediation.yaml", "theory-study.yaml"]
    checked = CliRunner().invoke(app, ["validate", "--root", str(project), "--as-of", AS_OF, "--format", "json"])
    assert checked.exit_code == 0 and '"files": 3' in checked.stdout, checked.stdout


HOLD = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("command", ["set", "fmt", "ledger --apply"])
def test_a_record_locked_too_long_is_not_written_and_says_to_run_again(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another command holds the record's lock past the wait: exit 1, the record as it was, a message saying to
    run the command again."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    record = project / "data" / "findings" / "theory-study.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("学习计划落实", "学习计划,落实"), encoding="utf-8")
    args = {
        "set": ["set", "theory-study#1", "--notes", "已复核", "--root", str(project), "--as-of", AS_OF],
        "fmt": ["fmt", "--root", str(project)],
    }.get(command)
    if args is None:
        pytest.importorskip("openpyxl")
        args = ["ledger", "--root", str(project), "--as-of", AS_OF, "--yes",
                "--apply", str(ledger_edited(project, tmp_path, "theory-study#2", "整改完成", as_of=AS_OF))]
    before = record.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(record.parent / fsio.LOCK_NAME)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(fsio, "LOCK_TIMEOUT", 0.3)
        result = CliRunner(env={"NO_COLOR": "1"}).invoke(app, ["--lang", "en", *args])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1, result.output
    assert "another rectify command" in result.output and "run the command again" in result.output
    assert record.read_bytes() == before


def test_a_link_in_place_of_the_lock_file_is_never_opened(tmp_path: Path) -> None:
    """A pull request that commits data/findings/.rectify.lock as a link to a file elsewhere: `set` refuses
    (exit 1, naming the lock file), writes nothing, and the file the link points to is untouched."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    victim = tmp_path / "victim.txt"
    victim.write_text("do not truncate\n", encoding="utf-8")
    (project / "data" / "findings" / fsio.LOCK_NAME).symlink_to(victim)
    record = project / "data" / "findings" / "theory-study.yaml"
    before = record.read_bytes()
    result = CliRunner(env={"NO_COLOR": "1"}).invoke(
        app, ["--lang", "en", "set", "theory-study#1", "--notes", "已复核", "--root", str(project), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert fsio.LOCK_NAME in result.output
    assert victim.read_text(encoding="utf-8") == "do not truncate\n"
    assert record.read_bytes() == before


def test_concurrent_news_of_one_id_never_overwrite_each_other(tmp_path: Path) -> None:
    """Six `rectify new` with the same id at once: one writes the file, the others say it already exists;
    the file holds the title of the one that said it wrote it."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    titles = [f"同时新建的问题{k}。" for k in range(6)]
    procs = [_start(["new", "--root", str(project), "--category", "conduct", "--title", title, "--id", "conduct-9"])
             for title in titles]
    results = _finish(procs)
    assert all(code in (0, 2) and "Traceback" not in output for code, output in results), results
    winners = [title for (code, _out), title in zip(results, titles, strict=True) if code == 0]
    assert len(winners) == 1, results
    text = (project / "data" / "findings" / "conduct-9.yaml").read_text(encoding="utf-8")
    assert f"title: {winners[0]}" in text


def test_concurrent_news_in_one_category_each_take_the_next_number(tmp_path: Path) -> None:
    """Six `rectify new` in one category at once (no --id): each writes its own problem, none is lost."""
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    titles = [f"同时新建的问题{k}。" for k in range(6)]
    results = _finish([_start(["new", "--root", str(project), "--category", "conduct", "--title", title])
                       for title in titles])
    assert all(code == 0 for code, _output in results), results
    texts = [p.read_text(encoding="utf-8") for p in (project / "data" / "findings").glob("conduct-*.yaml")]
    assert all(any(f"title: {title}" in text for text in texts) for title in titles), texts
    orders = [line for text in texts for line in text.splitlines() if line.startswith("order: ")]
    assert len(orders) == len(set(orders)), orders
