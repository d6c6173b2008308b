"""Links and special files (issue 12, points 2 and 7): nothing is read from outside the project through a
link, no writer reads, writes through or replaces a link, no command opens a FIFO, and no file in
data/findings is left out without a word.

Each test builds the attack as a pull request could (a link in the checkout, a link committed to git, a
named pipe) and runs the commands a CI job runs on it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gitrepo import commit_all, git
from rectifykit.cli import app
from support import hard_timeout

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "tests" / "cases" / "_base" / "project"
AS_OF = "2024-12-25"
SECRET = "机密内容来自项目之外"
SECRET_RECORD = f"""\
id: secret
category: implementation
order: 9
title: {SECRET}。
description: {SECRET}
responses:
  - status:
      states: [completed]
      label: 已完成整改
    measures:
      - {SECRET}
    completed_on: 2024-03-01
"""


def invoke(*args: str):
    with hard_timeout(20):
        result = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120"}).invoke(app, ["--lang", "en", *args])
    assert "Traceback" not in result.output, result.output
    assert result.exit_code != 3, result.output
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project holding a valid-looking record with a secret."""
    folder = tmp_path / "outside"
    (folder / "findings").mkdir(parents=True)
    (folder / "findings" / "secret.yaml").write_text(SECRET_RECORD, encoding="utf-8")
    shutil.copy(BASE / "data" / "inspection.yaml", folder / "inspection.yaml")
    return folder


def codes(result) -> list[tuple[str, str]]:
    return [(d["file"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]]


def unreadable_codes(result) -> list[tuple[str, str]]:
    """The files ``rectify diff --format json`` could not read, with their codes."""
    return [(d["file"], d["code"]) for d in json.loads(result.stdout)["unreadable"]]


# --- 2. links that lead out of the project --------------------------------------------------


def _link_folder(project: Path, outside: Path, which: str) -> None:
    if which == "data":
        shutil.rmtree(project / "data")
        (project / "data").symlink_to(outside, target_is_directory=True)
    else:
        shutil.rmtree(project / "data" / "findings")
        (project / "data" / "findings").symlink_to(outside / "findings", target_is_directory=True)


@pytest.mark.parametrize("which", ["data", "data/findings"])
def test_a_records_folder_linked_out_of_the_project_is_refused_by_every_reader(
    which: str, project: Path, outside: Path
) -> None:
    _link_folder(project, outside, which)
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert (which, "RK020") in codes(result) and SECRET not in result.stdout
    for args in (["status", "--all"], ["render"], ["render", "--format", "html"], ["ledger", "-o", "l.xlsx"]):
        result = invoke(*args, "--root", str(project), "--as-of", AS_OF)
        assert result.exit_code == 1, (args, result.output)
        assert SECRET not in result.output and which in result.output and "RK020" in result.output


def test_a_records_folder_linked_inside_the_project_is_followed(project: Path) -> None:
    (project / "data" / "findings").rename(project / "records")
    (project / "data" / "findings").symlink_to(Path("..", "records"), target_is_directory=True)
    result = invoke("validate", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 0 and "all valid" in result.output, result.output


def test_a_templates_folder_linked_out_of_the_project_is_refused_even_when_it_has_no_notice(
    project: Path, tmp_path: Path
) -> None:
    """Without a notice template in it, the linked folder was passed over for the packaged one without a word."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "templates").symlink_to(elsewhere, target_is_directory=True)
    result = invoke("render", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 2 and result.stdout == ""
    assert "templates" in result.output and "outside the project" in result.output


def test_fmt_never_reads_nor_replaces_a_record_linked_out_of_the_project(project: Path, outside: Path) -> None:
    link = project / "data" / "findings" / "secret.yaml"
    link.symlink_to(outside / "findings" / "secret.yaml")
    (outside / "findings" / "secret.yaml").write_text(SECRET_RECORD.replace(", ", ",") + "\n\n", encoding="utf-8")
    before = (outside / "findings" / "secret.yaml").read_bytes()
    for args in (["--diff"], ["--check", "--diff"], [], [str(link)]):
        result = invoke("fmt", "--root", str(project), *args)
        assert result.exit_code == 1, (args, result.output)
        assert SECRET not in result.output and "data/findings/secret.yaml" in result.output
        assert link.is_symlink() and (outside / "findings" / "secret.yaml").read_bytes() == before


def test_no_writer_edits_through_a_link_inside_the_project(project: Path) -> None:
    """Even a link validate follows: fmt and set refuse it and leave the link and its target as they are."""
    findings = project / "data" / "findings"
    (project / "drafts").mkdir()
    (findings / "mediation.yaml").rename(project / "drafts" / "mediation.yaml")
    (findings / "mediation.yaml").symlink_to(Path("..", "..", "drafts", "mediation.yaml"))
    target = project / "drafts" / "mediation.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # fmt would change it
    before = target.read_bytes()
    fmt = invoke("fmt", "--root", str(project))
    assert fmt.exit_code == 1 and "data/findings/mediation.yaml" in fmt.output and "link" in fmt.output
    item = invoke("set", "mediation#1", "--root", str(project), "--deadline", "2024-12-31", "--as-of", AS_OF)
    assert item.exit_code == 1 and "data/findings/mediation.yaml" in item.output and "link" in item.output
    assert (findings / "mediation.yaml").is_symlink() and target.read_bytes() == before


def test_ledger_apply_does_not_edit_a_linked_record(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from rectifykit.reports import ledger

    root = tmp_path / "unit"
    shutil.copytree(REPO / "data", root / "data")
    findings = root / "data" / "findings"
    (root / "drafts").mkdir()
    (findings / "community-correction.yaml").rename(root / "drafts" / "community-correction.yaml")
    (findings / "community-correction.yaml").symlink_to(Path("..", "..", "drafts", "community-correction.yaml"))
    before = (root / "drafts" / "community-correction.yaml").read_bytes()
    assert invoke("ledger", "--root", str(root), "-o", str(tmp_path / "l.xlsx"), "--as-of", AS_OF).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "l.xlsx")
    ws = wb[ledger.SHEET]
    key, deadline = ledger.HEADERS.index(ledger.KEY) + 1, ledger.HEADERS.index("整改时限") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=key).value == "community-correction#2")
    ws.cell(row=row, column=deadline).value = "2025-03-31"
    wb.save(tmp_path / "edited.xlsx")
    result = invoke("ledger", "--root", str(root), "--apply", str(tmp_path / "edited.xlsx"), "--yes", "--as-of", AS_OF)
    assert result.exit_code == 1 and "RK025" in result.output and "community-correction.yaml" in result.output
    assert (findings / "community-correction.yaml").is_symlink()
    assert (root / "drafts" / "community-correction.yaml").read_bytes() == before


def test_rollup_does_not_add_up_a_unit_linked_from_outside_the_folder(project: Path, tmp_path: Path) -> None:
    units = tmp_path / "units"
    units.mkdir()
    shutil.copytree(project, units / "a")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project, elsewhere)
    (units / "b").symlink_to(elsewhere, target_is_directory=True)
    result = invoke("rollup", str(units), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 2 and "b" in result.output and "outside" in result.output, result.output
    inside = invoke("rollup", str(units / "a"), "--format", "json", "--as-of", AS_OF)
    assert inside.exit_code == 0, inside.output


@pytest.mark.parametrize(
    "args",
    [["render"], ["render", "--format", "html"], ["schema"], ["ledger"], ["rollup", "--format", "md"]],
)
def test_an_output_that_is_a_link_is_refused_and_the_link_kept(args: list[str], project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n", encoding="utf-8")
    out = tmp_path / "out.file"
    out.symlink_to(victim)
    where = [str(project)] if args[0] == "rollup" else ([] if args[0] == "schema" else ["--root", str(project)])
    dated = [] if args[0] == "schema" else ["--as-of", AS_OF]
    result = invoke(*args, *where, "-o", str(out), *dated)
    assert result.exit_code == 2, result.output
    assert "out.file" in result.output and "link" in result.output
    assert out.is_symlink() and victim.read_text(encoding="utf-8") == "do not overwrite\n"


def test_new_refuses_a_link_planted_at_the_new_record(project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n", encoding="utf-8")
    (project / "data" / "findings" / "implementation-2.yaml").symlink_to(victim)
    result = invoke("new", "--root", str(project), "--category", "implementation", "--title", "新问题。")
    assert result.exit_code in (1, 2), result.output
    assert (project / "data" / "findings" / "implementation-2.yaml").is_symlink()
    assert victim.read_text(encoding="utf-8") == "do not overwrite\n"


def test_import_force_does_not_write_through_a_linked_data_folder(project: Path, tmp_path: Path) -> None:
    notice = REPO / "tests" / "fixtures" / "seed_notice.txt"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    into = tmp_path / "unit"
    into.mkdir()
    (into / "data").symlink_to(elsewhere, target_is_directory=True)
    result = invoke("import", str(notice), "--into", str(into), "--force")
    assert result.exit_code == 2, result.output
    assert "data" in result.output and list(elsewhere.iterdir()) == []


# --- 2. links committed to git ----------------------------------------------------------------


def _repo(project: Path) -> None:
    git(project, "init", "-q")
    commit_all(project, "records", date="2024-06-01")


def test_a_record_committed_as_a_link_is_never_read_from_git(project: Path, outside: Path) -> None:
    _repo(project)
    os.symlink(outside / "findings" / "secret.yaml", project / "data" / "findings" / "secret.yaml")
    commit_all(project, "a link", date="2024-06-02")
    diff = invoke("diff", "HEAD~1", "HEAD", "--root", str(project), "--format", "json")
    assert diff.exit_code == 1, diff.output
    unreadable = json.loads(diff.stdout)["unreadable"]
    assert [(d["file"], d["code"]) for d in unreadable] == [("data/findings/secret.yaml", "RK026")]
    assert SECRET not in diff.output
    worktree = invoke("diff", "HEAD", "--root", str(project), "--format", "json")
    assert worktree.exit_code == 1 and SECRET not in worktree.output
    assert ("data/findings/secret.yaml", "RK015") in unreadable_codes(worktree)
    log = invoke("log", "--root", str(project))
    assert log.exit_code == 1 and SECRET not in log.output and "data/findings/secret.yaml" in log.output


def test_a_findings_folder_committed_as_a_link_is_refused_in_git(project: Path, outside: Path) -> None:
    _repo(project)
    shutil.rmtree(project / "data" / "findings")
    os.symlink(outside / "findings", project / "data" / "findings")
    commit_all(project, "a linked folder", date="2024-06-02")
    diff = invoke("diff", "HEAD~1", "HEAD", "--root", str(project), "--format", "json")
    assert diff.exit_code == 1, diff.output
    assert ("data/findings", "RK026") in unreadable_codes(diff)
    assert SECRET not in diff.output
    worktree = invoke("diff", "HEAD~1", "--root", str(project))
    assert worktree.exit_code == 1 and SECRET not in worktree.output and "RK020" in worktree.output
    log = invoke("log", "--root", str(project))
    assert log.exit_code == 1 and SECRET not in log.output and "data/findings:1:1: RK026" in log.output


# --- 3. FIFOs, sockets and devices are never opened -------------------------------------------


def test_fmt_check_on_a_fifo_named_like_a_record_does_not_hang(project: Path) -> None:
    fifo = project / "data" / "findings" / "x.yaml"
    os.mkfifo(fifo)
    for args in (["--check"], ["--check", str(fifo)], [str(project / "data" / "findings")]):
        result = invoke("fmt", "--root", str(project), *args)
        assert result.exit_code == 1 and "x.yaml" in result.output and "not a regular file" in result.output, args


def test_no_command_opens_a_fifo_it_is_given(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args, code in (
        (["render", "--root", str(project), "--check", str(fifo), "--as-of", AS_OF], 2),
        (["ledger", "--root", str(project), "--apply", str(fifo), "--dry-run", "--as-of", AS_OF], 2),
        (["import", str(fifo), "--into", str(tmp_path / "unit")], 2),
        (["validate", "--root", str(project), "--as-of", AS_OF], 0),
    ):
        result = invoke(*args)
        assert result.exit_code == code, (args, result.output)
        if code:
            assert "pipe" in result.output and "not a regular file" in result.output, (args, result.output)


def test_a_fifo_in_place_of_the_inspection_or_in_git_diff_is_not_opened(project: Path) -> None:
    _repo(project)
    os.mkfifo(project / "data" / "findings" / "x.yaml")
    result = invoke("diff", "HEAD", "--root", str(project), "--format", "json")
    assert result.exit_code == 0, result.output
    assert ("data/findings/x.yaml", "RK001") in unreadable_codes(result)
    (project / "data" / "inspection.yaml").unlink()
    os.mkfifo(project / "data" / "inspection.yaml")
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1 and ("data/inspection.yaml", "RK001") in codes(result)


# --- 7. nothing silent ---------------------------------------------------------------------------


def test_an_empty_findings_folder_is_a_warning_and_render_refuses_it(project: Path) -> None:
    for file in (project / "data" / "findings").iterdir():
        file.unlink()
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0 and codes(result) == [("data/findings", "RK021")], result.output
    strict = invoke("validate", "--root", str(project), "--strict", "--as-of", AS_OF)
    assert strict.exit_code == 1 and "RK021" in strict.output
    status = invoke("status", "--root", str(project), "--as-of", AS_OF)
    assert status.exit_code == 0 and "RK021" in status.output
    render = invoke("render", "--root", str(project), "--as-of", AS_OF)
    assert render.exit_code == 1 and "RK022" in render.output and render.stdout == ""


def test_ledger_and_rollup_name_an_empty_findings_folder(project: Path, tmp_path: Path) -> None:
    for file in (project / "data" / "findings").iterdir():
        file.unlink()
    (project / "data" / "findings" / "x.YAML").write_text("id: x\n", encoding="utf-8")
    rollup = invoke("rollup", str(project), "--format", "json", "--as-of", AS_OF)
    assert rollup.exit_code == 0, rollup.output
    assert f"{project.as_posix()}/data/findings:1:1: RK021" in rollup.stderr and "x.YAML:1:1: RK023" in rollup.stderr
    ledger = invoke("ledger", "--root", str(project), "-o", str(tmp_path / "l.xlsx"), "--as-of", AS_OF)
    assert ledger.exit_code == 0 and "data/findings:1:1: RK021" in ledger.stderr, ledger.output


@pytest.mark.parametrize(
    "name", ["x.yml.bak", "x.YAML", "x.Yaml", "x.json", "x.yaml.bak", "x.yaml~", "#x.yaml#", "x.txt", "x"]
)
def test_a_file_in_data_findings_that_is_not_a_record_is_named(name: str, project: Path) -> None:
    (project / "data" / "findings" / name).write_text("id: x\n", encoding="utf-8")
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0 and codes(result) == [(f"data/findings/{name}", "RK023")], result.output
    assert "rename" in result.stdout


def test_the_ignore_rule_hidden_files_and_readme(project: Path) -> None:
    findings = project / "data" / "findings"
    for name in (".gitkeep", ".DS_Store", ".x.yaml.swp", "README.md", "README", "readme.txt"):
        (findings / name).write_text("notes\n", encoding="utf-8")
    (findings / ".drafts").mkdir()
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0 and codes(result) == [], result.output


def test_a_folder_in_data_findings_is_named(project: Path) -> None:
    (project / "data" / "findings" / "archive").mkdir()
    shutil.copy(BASE / "data" / "findings" / "mediation.yaml", project / "data" / "findings" / "archive" / "old.yaml")
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0 and codes(result) == [("data/findings/archive", "RK024")], result.output


@pytest.mark.parametrize("which", ["data", "data/findings"])
def test_no_edit_writes_into_a_records_folder_linked_out_of_the_project(
    which: str, project: Path, outside: Path
) -> None:
    """`set` and `new` edit records that do not validate yet; a folder linked outside is still never written."""
    _link_folder(project, outside, which)
    before = sorted((p.relative_to(outside).as_posix(), p.read_bytes()) for p in outside.rglob("*") if p.is_file())
    for args in (["set", "secret#1", "--notes", "written", "--as-of", AS_OF],
                 ["new", "--category", "conduct", "--title", "新问题。"]):
        result = invoke(*args, "--root", str(project))
        assert result.exit_code in (1, 2), (args, result.output)
    after = sorted((p.relative_to(outside).as_posix(), p.read_bytes()) for p in outside.rglob("*") if p.is_file())
    assert after == before


def test_a_record_is_read_whole_whatever_its_size_and_a_link_is_refused_unread(tmp_path: Path) -> None:
    from rectifykit import fsio

    for size in (0, 1, 4095, 4096, 65537, (1 << 20) + 3, 3 * (1 << 20)):
        file = tmp_path / f"f{size}"
        data = os.urandom(size)
        file.write_bytes(data)
        assert fsio.read_regular(file, follow=False) == data, size
        assert fsio.read_regular(file) == data, size
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "f1")
    with pytest.raises(fsio.LinkRefused):
        fsio.read_regular(link, follow=False)
    assert fsio.read_regular(link) == (tmp_path / "f1").read_bytes()
    with pytest.raises(FileNotFoundError):
        fsio.read_regular(tmp_path / "absent", follow=False)
