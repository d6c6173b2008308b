"""`rectify diff` and `rectify log` on real git histories built from the folders of tests/history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gitrepo import commit_all, git
from rectifykit.cli import app
from support import rectify

HISTORY = Path(__file__).parent / "history"
BASE = Path(__file__).parent / "cases" / "_base" / "project"


invoke = rectify


def build(case: Path, repo: Path) -> dict[str, str]:
    """The case's history as a repository (each commit tagged with its folder name); commit id → tag."""
    shutil.copytree(BASE, repo)
    git(repo, "init", "-q")
    tags = {}
    for step in sorted((case / "commits").iterdir()):
        header, _, message = (step / "commit.txt").read_text(encoding="utf-8").partition("\n")
        date, _, author = header.partition(" ")
        if (step / "files").is_dir():
            # copy, not copy2: a fresh clone gives every file one mtime, and a copy that kept it
            # (same size, same mtime) would look unchanged to git's index.
            shutil.copytree(step / "files", repo, dirs_exist_ok=True, copy_function=shutil.copy)
        remove = step / "remove.txt"
        for name in remove.read_text(encoding="utf-8").split() if remove.is_file() else []:
            (repo / name).unlink()
        sha = commit_all(repo, message.strip() or step.name, author=author, date=date)
        git(repo, "tag", step.name)
        tags[sha] = step.name
    return tags


def project_diff(payload: dict) -> dict:
    """What a diff reports, without titles and commit ids: the form of expected.json."""
    ref = lambda e: e["item"]  # noqa: E731
    return {
        "problems_added": [e["problem"] for e in payload["problems"]["added"]],
        "problems_removed": [e["problem"] for e in payload["problems"]["removed"]],
        "items_added": [ref(e) for e in payload["items"]["added"]],
        "items_removed": [ref(e) for e in payload["items"]["removed"]],
        "status": [[ref(e), e["from"]["state"], e["to"]["state"]] for e in payload["status"]],
        "deadlines": [[ref(e), e["from"], e["to"]] for e in payload["deadlines"]],
        "overdue": [[ref(e), e["deadline"], e["days_overdue"]] for e in payload["overdue"]],
        "measures": [[ref(e), e["change"]] for e in payload["measures"]],
        "fields": [[ref(e), e["field"], e["from"], e["to"]] for e in payload["fields"]],
        "review": [[d["file"], d["line"], d["code"]] for d in payload["review"]],
    }


def project_log(payload: dict, tags: dict[str, str]) -> dict:
    events = []
    for e in payload["events"]:
        detail = {
            "recorded": [e["to"]["state"]],
            "status": [e["from"]["state"], e["to"]["state"]],
            "deadline": [e["from"]["deadline"], e["to"]["deadline"]],
            "removed": [e["from"]["state"]],
        }[e["kind"]]
        events.append([e["item"], e["kind"], tags[e["commit"]], e["author"], *detail])
    backdated = [[d["file"], d["line"], d["code"]] for d in payload["backdated"]]
    return {"events": events, "backdated": backdated}


@pytest.mark.parametrize("case", sorted(p for p in HISTORY.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_history_case(case: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    tags = build(case, repo)
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    for run in expected["diff"]:
        result = invoke("diff", *run["args"], "--root", str(repo), "--format", "json")
        assert result.exit_code == 0, result.output
        assert project_diff(json.loads(result.stdout)) == run["expected"], run["args"]
    result = invoke("log", *expected["log"]["args"], "--root", str(repo), "--format", "json")
    assert result.exit_code == 0, result.output
    want = {k: expected["log"][k] for k in ("events", "backdated")}
    assert project_log(json.loads(result.stdout), tags) == want


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    build(HISTORY / "pull-request", repo)
    return repo


def test_diff_json_names_both_sides_and_keeps_its_shape(pull_request: Path) -> None:
    payload = json.loads(invoke("diff", "c1", "c4", "--root", str(pull_request), "--format", "json").stdout)
    c1, c4 = (git(pull_request, "rev-parse", tag).strip() for tag in ("c1", "c4"))
    assert payload["version"] == 1
    assert payload["base"] == {"rev": "c1", "commit": c1, "as_of": "2024-03-01"}
    assert payload["head"] == {"rev": "c4", "commit": c4, "as_of": "2024-05-06"}
    assert set(payload) == {"version", "base", "head", "problems", "items", "status", "deadlines", "overdue",
                            "measures", "fields", "review", "unreadable", "summary"}
    status = payload["status"][0]
    assert status == {"item": "training#1", "problem": "training", "number": 2, "title": "业务培训针对性不强。",
                      "from": {"state": "in_progress", "label": "需持续整改"},
                      "to": {"state": "completed", "label": "整改完成"}}
    assert payload["summary"]["status_changes"] == 1 and payload["summary"]["problems_added"] == 1


def test_diff_without_arguments_compares_the_merge_base_with_the_working_tree(pull_request: Path) -> None:
    git(pull_request, "checkout", "-q", "-b", "feature", "c2")
    git(pull_request, "branch", "-q", "-f", "main", "c3")  # main moved on after the branch
    study = pull_request / "data/findings/training.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("2024-06-30", "2024-07-31"), encoding="utf-8")
    result = invoke("diff", "--root", str(pull_request), "--format", "json", "--as-of", "2024-04-03")
    payload = json.loads(result.stdout)
    assert payload["base"]["commit"] == git(pull_request, "rev-parse", "c2").strip()
    assert payload["head"] == {"rev": None, "commit": None, "as_of": "2024-04-03"}
    assert project_diff(payload)["deadlines"] == [["training#1", "2024-06-30", "2024-07-31"]]
    # main's own change (c3) is not the branch's
    assert project_diff(payload)["status"] == []


def test_diff_text_and_markdown_say_the_same_changes(pull_request: Path) -> None:
    text = invoke("diff", "c1", "c4", "--root", str(pull_request)).stdout
    assert "Status changed (1):" in text
    assert "training#1 (2. 业务培训针对性不强。): 需持续整改 (in progress) → 整改完成 (completed)" in text
    assert "theory-study#2 (1. 理论学习不够深入。): 2024-12-31 → 2025-06-30" in text
    assert "archives#1 (4. 档案管理不规范。): 2024-04-15, 21 days" in text
    md = invoke("diff", "c1", "c4", "--root", str(pull_request), "--format", "md").stdout
    assert md.startswith("### Changes from c1 (2024-03-01) to c4 (2024-05-06)")
    assert "| training#1 (2. 业务培训针对性不强。) | 需持续整改 (in progress) | 整改完成 (completed) |" in md
    assert "#### Problems added (1)" in md


def test_a_completion_without_sign_off_is_reported_and_fails_with_strict(pull_request: Path) -> None:
    archives = pull_request / "data/findings/archives.yaml"
    text = archives.read_text(encoding="utf-8").replace("states: [in_progress]", "states: [completed]")
    archives.write_text(text.replace("label: 需持续整改", "label: 整改完成\n    reviewer: 局办公室"), encoding="utf-8")
    result = invoke("diff", "c4", "--root", str(pull_request), "--format", "json", "--as-of", "2024-05-06")
    review = [(d["file"], d["line"], d["code"]) for d in json.loads(result.stdout)["review"]]
    assert review == [
        ("data/findings/archives.yaml", 7, "RK242"),  # no evidence
        ("data/findings/archives.yaml", 10, "RK244"),  # signed off by the department in charge itself
    ]
    assert result.exit_code == 0
    strict = invoke("diff", "c4", "--root", str(pull_request), "--strict", "--as-of", "2024-05-06")
    assert strict.exit_code == 1
    assert "RK244" in strict.stdout and "RK242" in strict.stdout


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(BASE, repo / "inspections" / "2024")
    git(repo, "init", "-q")
    commit_all(repo, "first", date="2024-03-01")
    study = repo / "inspections/2024/data/findings/theory-study.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("in_progress", "completed"), encoding="utf-8")
    commit_all(repo, "second", date="2024-04-01", author="Clerk Two")
    root = str(repo / "inspections" / "2024")
    payload = json.loads(invoke("diff", "HEAD~1", "HEAD", "--root", root, "--format", "json").stdout)
    assert project_diff(payload)["status"] == [["theory-study#2", "in_progress", "completed"]]
    assert payload["unreadable"] == []
    log = json.loads(invoke("log", "theory-study#2", "--root", root, "--format", "json").stdout)
    assert [(e["kind"], e["author"]) for e in log["events"]] == [("recorded", "Clerk One"), ("status", "Clerk Two")]


def test_log_of_one_problem_and_the_backdate_threshold(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    build(HISTORY / "backdated-completion", repo)
    log = json.loads(invoke("log", "training", "--root", str(repo), "--format", "json").stdout)
    assert {e["item"] for e in log["events"]} == {"training#1"}
    assert [d["code"] for d in log["backdated"]] == ["RK248"]
    assert "154 days" in log["backdated"][0]["message"]
    relaxed = invoke("log", "--root", str(repo), "--backdate-days", "200", "--strict")
    assert relaxed.exit_code == 0
    strict = invoke("log", "--root", str(repo), "--strict")
    assert strict.exit_code == 1
    assert "2024-09-02" in strict.stdout and "Clerk Two" in strict.stdout


def test_unreadable_files_are_listed_not_compared(pull_request: Path) -> None:
    (pull_request / "data/findings/archives.yaml").write_text("id: [broken\n", encoding="utf-8")
    payload = json.loads(invoke("diff", "c4", "--root", str(pull_request), "--format", "json").stdout)
    assert [(d["side"], d["file"], d["code"]) for d in payload["unreadable"]] == [
        ("head", "data/findings/archives.yaml", "RK005")
    ]
    assert payload["problems"]["removed"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [(["no-such-rev", "HEAD"], "unknown revision 'no-such-rev'"), (["--upload-pack=x"], "No such option")],
)
def test_bad_revisions_exit_2(pull_request: Path, args: list[str], message: str) -> None:
    result = invoke("diff", *args, "--root", str(pull_request))
    assert result.exit_code == 2
    assert message in result.output
    assert result.stdout == ""


def test_outside_a_repository_diff_and_log_exit_2(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    env_ceiling = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    for command in ("diff", "log"):
        result = CliRunner(env={"NO_COLOR": "1", **env_ceiling}).invoke(app, ["--lang", "en", command, "--root",
                                                                              str(project)])
        assert result.exit_code == 2, result.output
        assert "not a git repository" in result.output
