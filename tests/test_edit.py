"""`rectify fmt`, `rectify set`, `rectify new` and the edit functions under them: comments and order are kept."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectifykit import edit
from rectifykit.model import typography as punctuation
from rectifykit.model.records import YEARS
from rectifykit.yamlio import compose
from support import rectify

REPO = Path(__file__).resolve().parents[1]
DATA_FILES = sorted((REPO / "data").rglob("*.yaml"))
BASE = Path(__file__).parent / "cases" / "_base" / "project"


invoke = rectify


# --- fmt -------------------------------------------------------------------------------------


def test_the_embedded_example_is_already_canonical() -> None:
    assert DATA_FILES
    for path in DATA_FILES:
        text = path.read_text(encoding="utf-8")
        assert edit.format_text(text).after == text, path


def test_fmt_on_data_changes_nothing_the_first_time_nor_the_second(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(REPO / "data", project / "data")
    before = {p: p.read_bytes() for p in (project / "data").rglob("*.yaml")}
    for _run in range(2):
        result = invoke("fmt", "--root", str(project))
        assert result.exit_code == 0, result.output
        assert "0 of 19 files reformatted" in result.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert invoke("fmt", "--check", "--root", str(project)).exit_code == 0


def test_fmt_check_lists_what_would_change_and_fmt_fixes_it_once(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    study = project / "data/findings/theory-study.yaml"
    messy = study.read_text(encoding="utf-8")
    messy = messy.replace("title: 学习不系统。", "title:    学习不系统,计划(草案)未落实。  ")
    messy = "# kept: a comment at the top\n" + messy.replace("\n", "\r\n")
    study.write_bytes(b"\xef\xbb\xbf" + messy.encode("utf-8"))
    check = invoke("fmt", "--check", "--root", str(project))
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [f"would reformat {study}"]
    assert study.read_bytes().startswith(b"\xef\xbb\xbf")  # --check writes nothing
    assert invoke("fmt", "--root", str(project)).exit_code == 0
    fixed = study.read_bytes().decode("utf-8")
    assert fixed.startswith("# kept: a comment at the top\nid: theory-study\n")
    assert "  - title: 学习不系统，计划（草案）未落实。\n" in fixed
    assert "\r" not in fixed
    again = invoke("fmt", "--check", str(study))
    assert again.exit_code == 0, again.output


def test_fmt_leaves_ids_evidence_and_contacts_alone(tmp_path: Path) -> None:
    text = (
        "id: a-b\ncategory: conduct\norder: 1\ntitle: 题目(一)\nresponses:\n  - status:\n      states: [completed]\n"
        "      label: 整改完成\n    evidence:\n      - evidence/会议纪要(1).pdf\n      - 见文件,第3页\n"
        "contact: {phone: 027-56919296, email: a@b.cn}\n"
    )
    out = edit.format_text(text).after
    assert "title: 题目（一）" in out
    assert "evidence/会议纪要(1).pdf" in out and "见文件,第3页" in out


def test_fmt_reports_broken_files_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [x\n", encoding="utf-8")
    result = invoke("fmt", str(broken))
    assert result.exit_code == 1
    assert re.search(r"broken\.yaml:\d+:\d+: RK005", result.stderr)
    assert broken.read_text(encoding="utf-8") == "id: [x\n"


# generated records, written in another style (PyYAML's: lists not indented, 4-space mappings) with comments

chinese = st.text(st.sampled_from(list("整改完成制度学习会议纪要年月日0123456789,:;() .-")), min_size=1, max_size=24)
prose = chinese.map(str.strip).filter(bool)
plain_measure = prose.map(lambda t: "措施" + t)
paragraph = st.fixed_dictionaries(
    {"items": st.lists(prose, min_size=1, max_size=3)}, optional={"intro": prose, "outro": prose}
)
response = st.fixed_dictionaries(
    {
        "status": st.fixed_dictionaries({
            "states": st.lists(st.sampled_from(["completed", "in_progress", "deemed_completed"]), min_size=1,
                               max_size=2, unique=True),
            "label": prose,
        }),
    },
    optional={
        "measures": st.lists(st.one_of(plain_measure, paragraph), max_size=3),
        "department": st.sampled_from(["局办公室", "区法援中心(机关)"]),
        # within the years a record may hold: fmt refuses others (tests/test_ranges.py)
        "deadline": st.dates(dt.date(YEARS[0], 1, 1), dt.date(YEARS[1], 12, 31)).map(lambda d: d.isoformat()),
        "evidence": st.lists(st.sampled_from(["evidence/a(1).pdf", "鄂城法办发〔2023〕6号", "x,y.docx"]), max_size=2),
        "notes": prose,
    },
)
finding = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
        "category": st.sampled_from(["conduct", "implementation"]),
        "order": st.integers(min_value=1, max_value=30),
        "title": prose,
        "responses": st.lists(response, min_size=1, max_size=3),
    },
    optional={"description": prose, "points": st.lists(st.fixed_dictionaries({"title": prose, "text": prose}),
                                                        max_size=3)},
)


def expected_data(data: Any, key: str | None = None) -> Any:
    """The data after fmt: prose made full-width, everything else as it was."""
    if isinstance(data, dict):
        return {k: expected_data(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [punctuation.fix(v) if isinstance(v, str) and key in edit.PROSE_LISTS else expected_data(v, None)
                for v in data]
    if isinstance(data, str) and key in edit.PROSE_KEYS:
        return punctuation.fix(data)
    return data


def with_comments(text: str, where: list[int]) -> tuple[str, list[str]]:
    """Comments inserted before some lines and after others; the comment texts in order."""
    lines, out, comments = text.splitlines(), [], []
    for i, line in enumerate(lines):
        if i in where and i % 2 == 0:
            indent = len(line) - len(line.lstrip(" -"))
            comments.append(f"note {len(comments)}")
            out += [" " * indent + f"# {comments[-1]}", line]
        elif i in where:
            comments.append(f"note {len(comments)}")
            out.append(f"{line}  # {comments[-1]}")
        else:
            out.append(line)
    return "\n".join(out) + "\n", comments


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(finding, st.lists(st.integers(min_value=0, max_value=60), max_size=8, unique=True))
def test_fmt_keeps_data_order_and_comments_of_generated_records(record: dict, where: list[int]) -> None:
    source = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**6, indent=4)
    text, comments = with_comments(source, where)
    before = compose(text)
    assert not hasattr(before, "code"), text
    once = edit.format_text(text).after
    after = compose(once)
    assert after.data == expected_data(before.data)
    assert list(after.data) == list(before.data)  # key order
    assert re.findall(r"# (note \d+)", once) == comments
    assert edit.format_text(once).after == once


# --- set -------------------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "data", root / "data")
    return root


def changed_lines(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_update_item_changes_only_what_it_sets_and_keeps_comments(example: Path) -> None:
    path = example / "data/findings/legal-services.yaml"
    before = path.read_text(encoding="utf-8")
    result = edit.update_item(before, "legal-services#1.2", {
        "status": "completed", "completed_on": "2024-07-01", "reviewer": "局党组",
        "add_evidence": ["鄂城法办发〔2024〕3号"],
    }, display="data/findings/legal-services.yaml", context=edit.Context(root=example))
    assert result.before == before and not result.errors
    assert changed_lines(result.diff()) == [
        "-      states: [deemed_completed, in_progress]",
        "-      label: 视同完成，持续整改；需持续整改",
        "+      states: [completed, deemed_completed]",
        "+      label: 整改完成；视同完成，持续整改",
        "-        state: in_progress",
        "+        state: completed",
        "+        reviewer: 局党组",
        "+        completed_on: 2024-07-01",
        "+        evidence:",
        "+          - 鄂城法办发〔2024〕3号",
    ]
    assert path.read_text(encoding="utf-8") == before  # nothing written yet
    assert edit.write({path: result}) == [path]
    after = path.read_text(encoding="utf-8")
    assert "    # Which points are in which state: illustrative, read from the measures\n" in after
    assert after.count("# illustrative") == before.count("# illustrative")


def test_update_item_of_a_response_and_removing_a_field(example: Path) -> None:
    path = example / "data/findings/community-correction.yaml"
    result = edit.update_item(path.read_text(encoding="utf-8"), "community-correction#2", {
        "status": "completed", "deadline": None, "completed_on": "2024-06-30", "label": "整改完毕"})
    assert changed_lines(result.diff()) == [
        "-      states: [deemed_completed]",
        "-      label: 视同完成，持续整改",
        "+      states: [completed]",
        "+      label: 整改完毕",
        "-    deadline: 2024-12-31  # illustrative",
        "+    completed_on: 2024-06-30",
    ]


@pytest.mark.parametrize(
    ("key", "changes", "message"),
    [
        ("legal-services#1", {"status": "completed"}, "divided into parts"),
        ("legal-services#3", {"notes": "x"}, "has 1 responses; there is no #3"),
        ("legal-services#1.5", {"notes": "x"}, "has 2 parts; there is no .5"),
        ("other#1", {"notes": "x"}, "holds problem 'legal-services', not 'other'"),
        ("legal-services#x", {"notes": "x"}, "is not an item"),
        ("legal-services#1.1", {"status": "done"}, "unknown status 'done'"),
        ("legal-services#1.1", {"deadline": "2024/12/31"}, "deadline: write the date as YYYY-MM-DD"),
        ("legal-services#1.1", {"colour": "red"}, "cannot set colour"),
    ],
)
def test_update_item_refuses_what_it_cannot_do(example: Path, key: str, changes: dict, message: str) -> None:
    with pytest.raises(edit.EditError, match=re.escape(message)):
        edit.update_item((example / "data/findings/legal-services.yaml").read_text(encoding="utf-8"), key, changes,
                         display="legal-services.yaml")


def test_an_edit_that_breaks_a_rule_is_not_written(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    path = project / "data/findings/mediation.yaml"
    result = edit.update_item(path.read_text(encoding="utf-8"), "mediation#1", {"completed_on": "2030-01-01"},
                              today=dt.date(2024, 7, 1))
    assert [d.code for d in result.errors] == [d.code for d in result.refused] == ["RK208"]
    with pytest.raises(edit.EditError):
        edit.write({path: result})


def test_apply_refuses_a_file_changed_since_it_was_read(example: Path) -> None:
    path = example / "data/findings/theory-study.yaml"
    result = edit.update_item(path.read_text(encoding="utf-8"), "theory-study#1", {"notes": "已复核"})
    path.write_text(path.read_text(encoding="utf-8") + "# someone else\n", encoding="utf-8")
    with pytest.raises(edit.EditError, match="changed since it was read"):
        edit.write({path: result})


def test_set_command_completes_an_item_with_today_as_its_date(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    path = project / "data/findings/theory-study.yaml"
    args = ["set", "theory-study#2", "--root", str(project), "--status", "completed",
            "--evidence", "示司办发〔2024〕9号", "--reviewer", "局党组", "--as-of", "2024-06-01"]
    dry = invoke(*args, "--dry-run")
    assert dry.exit_code == 0 and "+    completed_on: 2024-06-01" in dry.stdout
    assert "completed_on: 2024-06-01" not in path.read_text(encoding="utf-8")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "      states: [completed]\n      label: 整改完成\n" in text
    assert "    reviewer: 局党组\n    deadline: 2024-12-31\n    completed_on: 2024-06-01\n" in text
    assert invoke("validate", "--root", str(project), "--strict", "--as-of", "2024-06-01").exit_code == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [(["nope#1", "--notes", "x"], 2), (["theory-study#1"], 2), (["theory-study#9", "--notes", "x"], 2),
     (["mediation#1", "--completed-on", "2099-01-01", "--as-of", "2024-06-01"], 1)],
)
def test_set_command_errors(tmp_path: Path, args: list[str], code: int) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    result = invoke("set", *args, "--root", str(project))
    assert result.exit_code == code, result.output
    assert {p: p.read_bytes() for p in before} == before


# --- new -------------------------------------------------------------------------------------


def test_new_scaffolds_the_next_problem_of_a_category(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    result = invoke("new", "--root", str(project), "--category", "conduct", "--title", "窗口服务(大厅)不规范。",
                    "--department", "局办公室", "--deadline", "2024-09-30")
    assert result.exit_code == 0, result.output
    path = project / "data/findings/conduct-2.yaml"
    assert result.stdout.strip() == path.as_posix()
    text = path.read_text(encoding="utf-8")
    assert text == (
        "id: conduct-2\ncategory: conduct\norder: 2\ntitle: 窗口服务（大厅）不规范。\n"
        "responses:\n  - status:\n      states: [not_started]\n      label: 尚未启动整改\n"
        "    department: 局办公室\n    deadline: 2024-09-30\n"
    )
    assert edit.format_text(text).after == text
    checked = invoke("validate", "--root", str(project), "--format", "json")
    assert checked.exit_code == 0
    assert '"RK246"' not in checked.stdout  # new writes no placeholder text of its own (issue 15)
    again = invoke("new", "--root", str(project), "--category", "conduct", "--title", "另一个问题。",
                   "--id", "conduct-2")
    assert again.exit_code == 2 and "already exists" in again.output


def test_new_without_a_terminal_needs_its_flags(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASE, tmp_path / "p"))
    assert invoke("new", "--root", str(project), "--category", "conduct").exit_code == 2
    assert invoke("new", "--root", str(project), "--category", "nope", "--title", "x").exit_code == 2
    assert sorted(p.name for p in (project / "data/findings").iterdir()) == ["mediation.yaml", "theory-study.yaml"]
