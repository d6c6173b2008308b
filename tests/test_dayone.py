"""Issue 15: from the day the feedback arrives — init, drafts, status on any date, a CLI in one language."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from support import rectify

REPO = Path(__file__).resolve().parents[1]
ENGLISH = re.compile(
    r"Show this message|Usage:|Error:|Invalid value|No such option|Try '|is not one of|Missing argument"
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path


def init(folder: Path, *extra: str):
    return rectify("init", str(folder), "--unit", "中共示例镇委员会", "--authority", "区委", "--team", "区委第一巡察组",
                   "--feedback-date", "2025-03-01", "--period-start", "2024-11-01", "--period-end", "2024-12-31",
                   *extra)


# --- status on any date ------------------------------------------------------------


def test_status_before_a_completion_lists_the_item_as_open() -> None:
    result = rectify("status", "--root", str(REPO), "--as-of", "2024-04-01", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    assert items["community-correction#1"]["status"] == "in_progress"
    after = rectify("status", "--root", str(REPO), "--as-of", "2024-07-11", "--all", "--format", "json")
    items = {i["id"]: i for i in json.loads(after.stdout)["items"]}
    assert items["community-correction#1"]["status"] == "completed"


def test_validate_as_of_a_past_date_does_not_call_later_completions_future() -> None:
    result = rectify("validate", "--root", str(REPO), "--as-of", "2024-01-20")
    assert "RK208" not in result.output
    assert result.exit_code == 0, result.output


# --- init ----------------------------------------------------------------------------


def test_init_makes_a_project_that_validates(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    result = init(unit, "--ci", "github")
    assert result.exit_code == 0, result.output
    for name in ("data/inspection.yaml", ".gitignore", ".pre-commit-config.yaml", ".github/workflows/rectify.yml",
                 ".vscode/settings.json", "README.md"):
        assert (unit / name).is_file(), name
    assert (unit / "data" / "findings").is_dir()
    assert "# " in (unit / "data" / "inspection.yaml").read_text(encoding="utf-8")  # fields are explained
    assert "ledger.xlsx" in (unit / ".gitignore").read_text(encoding="utf-8")
    assert rectify("validate", "--root", str(unit)).exit_code == 0


def test_init_with_only_the_required_facts_validates_and_renders_a_draft(tmp_path: Path) -> None:
    """No --authority, --round or categories: the opening then starts with {period}, which must stay text."""
    unit = tmp_path / "unit"
    result = rectify("init", str(unit), "--unit", "中共示例镇委员会", "--team", "区委第一巡察组", "--feedback-date",
                     "2025-03-01", "--period-start", "2024-11-01", "--period-end", "2024-12-31", "--ci", "none")
    assert result.exit_code == 0, result.output
    assert rectify("validate", "--root", str(unit)).exit_code == 0
    assert rectify("new", "--root", str(unit), "--category", "implementation", "--title", "问题。").exit_code == 0
    record = next((unit / "data" / "findings").glob("*.yaml"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text[: text.index("responses:")], encoding="utf-8")  # a problem with no responses at all
    for args in (["render", "--draft"], ["render", "--template", "plan"], ["render", "--template", "report"],
                 ["status"], ["ledger", "-o", "-"], ["rollup", str(unit)]):
        root = [] if args[0] == "rollup" else ["--root", str(unit)]
        done = rectify(*args, *root, "--as-of", "2025-04-01")  # exit 3 fails the test with its traceback
        assert done.exit_code in (0, 1), (args, done.output)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    assert init(unit, "--ci", "none").exit_code == 0
    before = (unit / "data" / "inspection.yaml").read_bytes()
    again = init(unit, "--ci", "none")
    assert again.exit_code == 2
    assert "inspection.yaml" in again.output
    assert (unit / "data" / "inspection.yaml").read_bytes() == before


# --- drafts --------------------------------------------------------------------------


def test_a_new_problem_is_a_draft_not_started(tmp_path: Path) -> None:
    unit = tmp_path / "unit"
    init(unit, "--ci", "none")
    made = rectify("new", "--root", str(unit), "--category", "implementation", "--title", "制度执行不严格。")
    assert made.exit_code == 0, made.output
    checked = rectify("validate", "--root", str(unit))
    assert checked.exit_code == 0, checked.output
    assert "RK246" not in checked.output
    result = rectify("status", "--root", str(unit), "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [i["status"] for i in json.loads(result.stdout)["items"]] == ["not_started"]
    draft = rectify("render", "--root", str(unit), "--draft")
    assert draft.exit_code == 0, draft.output
    assert "【待补充" in draft.stdout and "草稿" in draft.stdout
    final = rectify("render", "--root", str(unit))
    assert final.exit_code == 1
    assert "responses" in final.output or "measures" in final.output


def test_a_draft_with_its_points_inline_is_not_ready_for_publication_not_a_crash(example: Path) -> None:
    record = example / "data" / "findings" / "theory-study.yaml"
    text = record.read_text(encoding="utf-8")
    text = text[: text.index("responses:")].replace("\npoints:", "\npoints_inline: true\npoints:", 1)
    record.write_text(text, encoding="utf-8")  # no responses yet, its points asked for in the title's paragraph
    for fmt in ("md", "html", "docx"):
        out = ["-o", str(example / "notice.docx")] if fmt == "docx" else []
        result = rectify("render", "--root", str(example), "--as-of", "2024-07-11", "--format", fmt, *out)
        assert result.exit_code == 1, (fmt, result.output)
        assert "theory-study.yaml:" in result.output and "RK271" in result.output
    assert rectify("render", "--root", str(example), "--as-of", "2024-07-11", "--draft").exit_code == 0


# --- one language --------------------------------------------------------------------


def test_help_and_usage_errors_have_no_english_in_chinese(example: Path) -> None:
    for args in (["--help"], ["status", "--help"], ["set", "x#1", "--status", "doing", "--root", str(example)],
                 ["status", "--nosuch"], ["set"]):
        result = rectify(*args, lang="zh")
        assert not ENGLISH.search(result.output), (args, result.output)
        assert "<int range>" not in result.output and "x>=0" not in result.output


def test_lang_after_the_subcommand() -> None:
    result = rectify("status", "--root", str(REPO), "--as-of", "2024-07-11", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "Show" not in result.output


def test_english_stays_english() -> None:
    result = rectify("status", "--help")
    assert "Show this message and exit." in result.output


# --- a table that fits ---------------------------------------------------------------


def test_status_table_shows_whole_titles_when_wide_and_breaks_no_word_when_narrow() -> None:
    titles = [re.search(r"^title:\s*(.+)$", p.read_text(encoding="utf-8"), re.M).group(1).strip().strip("'\"")
              for p in sorted((REPO / "data" / "findings").glob("*.yaml"))]
    wide = rectify("status", "--root", str(REPO), "--as-of", "2024-07-11", "--all", lang="zh",
                   env={"COLUMNS": "160"})
    assert wide.exit_code == 0
    squeezed = re.sub(r"\s", "", wide.stdout)
    assert all(re.sub(r"\s", "", t)[:14] in squeezed for t in titles)
    assert "…" not in wide.stdout  # long titles wrap in their column: none is cut
    narrow = rectify("status", "--root", str(REPO), "--as-of", "2024-07-11", "--all", lang="zh",
                     env={"COLUMNS": "80"})
    assert "尚未启动整\n" not in narrow.stdout and "需持续整\n" not in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80


# --- habits --------------------------------------------------------------------------


def test_schema_to_stdout_with_a_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = rectify("schema", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("{")
    assert not (tmp_path / "-").exists()


def test_shell_completion_is_offered() -> None:
    """As a user asks for it, from bash: typer finds the shell among the process's parents (not from $SHELL), so
    the test starts one rather than depend on how the test run itself was started."""
    import shutil
    import subprocess
    import sys

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash on this machine")
    run = subprocess.run([bash, "-c", '"$0" -m rectifykit --show-completion; echo "exit $?"', sys.executable],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.rstrip().endswith("exit 0"), run.stdout + run.stderr
    assert "complete" in run.stdout


def test_log_of_an_unknown_id_is_an_error(example: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(example)], check=True)
    subprocess.run(["git", "-C", str(example), "add", "."], check=True)
    subprocess.run(["git", "-C", str(example), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
                   check=True)
    result = rectify("log", "nosuch", "--root", str(example))
    assert result.exit_code in (1, 2)
    assert "nosuch" in result.output


def test_import_reads_standard_input(tmp_path: Path) -> None:
    notice = sorted((REPO.parent / "shared" / "notices").glob("*.txt"))
    if not notice:
        pytest.skip("no shared notices")
    result = rectify("import", "-", "--into", str(tmp_path / "p"), input=notice[0].read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert list((tmp_path / "p" / "data" / "findings").glob("*.yaml"))


def test_ledger_to_standard_output(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example)
    result = rectify("ledger", "--root", str(example), "-o", "-", "--as-of", "2024-07-11")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK")  # the .xlsx itself
    assert not (example / "-").exists()


def test_writing_commands_say_what_they_wrote_unless_quiet(example: Path) -> None:
    out = example / "notice.md"
    said = rectify("render", "--root", str(example), "-o", str(out))
    assert said.exit_code == 0 and str(out) in said.output
    quiet = rectify("--quiet", "render", "--root", str(example), "-o", str(out))
    assert quiet.exit_code == 0 and quiet.output == ""
    docx = example / "notice.docx"
    said = rectify("render", "--root", str(example), "--format", "docx", "-o", str(docx), "--as-of", "2024-12-25")
    assert said.exit_code == 0 and str(docx) in said.output


def test_a_word_document_to_standard_output_with_a_dash(example: Path) -> None:
    result = rectify("render", "--root", str(example), "--format", "docx", "-o", "-", "--as-of", "2024-12-25")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK") and not (example / "-").exists()


def test_init_asks_on_a_terminal_for_what_the_flags_leave_out(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from rectifykit.cli import init as command

    monkeypatch.setattr(command, "interactive", lambda: True)
    answers = "中共示例镇委员会\n区委\n区委第一巡察组\n\n2024-11-01\n2024-12-31\n2025-3-1\n2025-03-01\n"
    result = rectify("init", str(tmp_path / "unit"), input=answers)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "unit" / "data" / "inspection.yaml").read_text(encoding="utf-8")
    assert 'unit: "中共示例镇委员会"' in text and "feedback_date: 2025-03-01" in text
    assert "YYYY-MM-DD" in result.output  # the mistyped date was asked again


def test_init_without_a_terminal_names_the_missing_flags(tmp_path: Path) -> None:
    result = rectify("init", str(tmp_path / "unit"), "--unit", "x")
    assert result.exit_code == 2
    assert "--team" in result.output and "--feedback-date" in result.output
    assert not (tmp_path / "unit").exists()
