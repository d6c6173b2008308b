"""The cache of a command's whole result (rectifykit.load.results): a repeated run over unchanged inputs prints
exactly what a fresh run prints, and anything that could change what it prints makes it run again."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectifykit.load.cache import CACHE_ENV
from support import REPO, rectify
from test_scale import MUTATIONS, _mutate

AS_OF = ("--as-of", "2024-07-11")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project with a cache folder of its own."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return root


def entries(root: Path) -> list[Path]:
    return sorted((root.parent / "cache" / "results").glob("*.json"))


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a run that reads the records fails the test: what it prints must come from the cache."""
    from rectifykit import check

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the records were read again")

    monkeypatch.setattr(check, "load", refused)


def same(args: list[str], **kwargs: str) -> tuple[str, int, str]:
    """Run with and without the cache; both print the same and exit the same. Returns that output, code, stderr."""
    fresh = rectify("--no-cache", *args, **kwargs)
    cached = rectify(*args, **kwargs)
    assert (cached.stdout, cached.stderr, cached.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)
    return fresh.stdout, fresh.exit_code, fresh.stderr


VALIDATE = [["validate", "--format", f] for f in ("text", "json", "github", "sarif", "codeclimate")]
STATUS = [["status", "--format", f, *more] for f in ("table", "json", "csv", "md", "html") for more in ([], ["--all"])]
RENDER = [["render"], ["render", "--format", "html"], ["render", "--template", "plan"]]


@pytest.mark.parametrize("args", [*VALIDATE, *STATUS, *RENDER, ["validate", "--strict"]], ids=" ".join)
def test_a_hit_prints_byte_for_byte_what_a_fresh_run_prints(args: list[str], project: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    command = [*args, "--root", str(project), *AS_OF]
    fresh = rectify("--no-cache", *command)
    assert not entries(project)
    first = rectify(*command)  # a miss: runs and keeps the result
    assert entries(project)
    no_loading(monkeypatch)
    hit = rectify(*command)
    for run in (first, hit):
        assert (run.stdout, run.stderr, run.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)


def _cite(file: Path, evidence: str) -> None:
    """Name an evidence file in the first response of a record."""
    text = file.read_text(encoding="utf-8")
    assert "\n    completed_on:" in text
    file.write_text(text.replace("\n    completed_on:", f"\n    evidence: [{evidence}]\n    completed_on:", 1),
                    encoding="utf-8")


def _broken(root: Path) -> None:
    """Records with errors and warnings of several kinds, and a stray file."""
    findings = sorted((root / "data" / "findings").glob("*.yaml"))
    findings[0].write_text("id: [unclosed\n", encoding="utf-8")
    _cite(root / "data" / "findings" / "government-procurement.yaml", "佐证/没有这个文件.pdf")
    (root / "data" / "findings" / "notes.txt").write_text("x", encoding="utf-8")


@pytest.mark.parametrize("args", [*VALIDATE, ["status"], ["render"]], ids=" ".join)
def test_a_hit_on_invalid_records_prints_the_same_diagnostics_and_exit_code(args: list[str], project: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(project)
    command = [*args, "--root", str(project), *AS_OF]
    fresh = rectify("--no-cache", *command)
    assert fresh.exit_code == 1
    rectify(*command)
    no_loading(monkeypatch)
    hit = rectify(*command)
    assert (hit.stdout, hit.stderr, hit.exit_code) == (fresh.stdout, fresh.stderr, fresh.exit_code)


def test_one_entry_serves_validate_in_every_format(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(project)
    fresh = {f[2]: rectify("--no-cache", *f, "--root", str(project)).stdout for f in VALIDATE}
    rectify("validate", "--root", str(project))
    no_loading(monkeypatch)
    for f in VALIDATE:
        assert rectify(*f, "--root", str(project)).stdout == fresh[f[2]]
    assert len(entries(project)) == 1


def _edit_record(root: Path) -> None:
    file = root / "data" / "findings" / "financial-spending.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("title: 财务支出不规范。", "title: 财务支出不规范TODO。", 1), encoding="utf-8")


def _add_record(root: Path) -> None:
    shutil.copy(root / "data" / "findings" / "financial-spending.yaml", root / "data" / "findings" / "zz-copy.yaml")


def _remove_record(root: Path) -> None:
    (root / "data" / "findings" / "financial-spending.yaml").unlink()


def _add_stray(root: Path) -> None:
    (root / "data" / "findings" / "backup.yaml~").write_text("x", encoding="utf-8")


def _edit_inspection(root: Path) -> None:
    file = root / "data" / "inspection.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "a record changed": _edit_record,
    "a record added": _add_record,
    "a record removed": _remove_record,
    "a stray file added": _add_stray,
    "the inspection changed": _edit_inspection,
}


@pytest.mark.parametrize("change", CHANGES, ids=str)
@pytest.mark.parametrize("args", [["validate"], ["status", "--all"], ["render"]], ids=" ".join)
def test_a_changed_input_file_is_a_miss(args: list[str], change: str, project: Path) -> None:
    command = [*args, "--root", str(project), *AS_OF]
    before = same(command)
    CHANGES[change](project)
    after = same(command)
    assert after != before


def test_a_changed_template_is_a_miss(project: Path) -> None:
    command = ["render", "--root", str(project), *AS_OF]
    same(command)
    (project / "templates").mkdir()
    (project / "templates" / "notice.md.j2").write_text("only this {{ 1 + 1 }}\n", encoding="utf-8")
    assert same(command)[:2] == ("only this 2\n", 0)
    (project / "templates" / "notice.md.j2").write_text("now this\n", encoding="utf-8")
    assert same(command)[:2] == ("now this\n", 0)


def test_an_evidence_file_that_appears_or_goes_is_a_miss(project: Path) -> None:
    _cite(project / "data" / "findings" / "financial-spending.yaml", "佐证/台账.pdf")
    command = ["validate", "--root", str(project), *AS_OF]
    missing, code, _ = same(command)
    assert "RK241" in missing and code == 0  # a warning
    (project / "佐证").mkdir()
    (project / "佐证" / "台账.pdf").write_bytes(b"%PDF")
    found = same(command)[0]
    assert "RK241" not in found
    (project / "佐证" / "台账.pdf").unlink()
    assert same(command)[0] == missing


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (["validate"], ["validate", "--strict"]),
        (["validate"], ["validate", "--parser", "ruamel"]),
        (["status"], ["status", "--all"]),
        (["status", "--all"], ["status", "--all", "--category", "conduct"]),
        (["status", "--all"], ["status", "--all", "--owner", "财务"]),
        (["status"], ["status", "--soon", "90"]),
        (["status"], ["status", "--fail-on", "open"]),
        (["status", "--all"], ["status", "--all", "--as-of", "2024-09-30"]),
        (["render"], ["render", "--as-of", "2024-09-30"]),
        (["render"], ["render", "--template", "report"]),
        (["status", "--format", "json"], ["status", "--format", "md"]),
    ],
    ids=lambda args: " ".join(args),
)
def test_another_option_or_date_is_a_miss(first: list[str], second: list[str], project: Path) -> None:
    root = ["--root", str(project)]
    same([*first, *root, *AS_OF])
    same([*second, *root, *AS_OF] if "--as-of" not in second else [*second, *root])


def test_another_language_is_a_miss(project: Path) -> None:
    _broken(project)
    command = ["validate", "--root", str(project)]
    english = same(command)
    chinese = same(command, lang="zh")
    assert english != chinese


def test_another_real_today_is_a_miss(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RK208 judges completion dates against the real today, whatever --as-of says."""
    import datetime as dt

    from rectifykit.cli import base

    command = ["validate", "--root", str(project), *AS_OF]
    monkeypatch.setattr(base, "real_today", lambda: dt.date(2024, 1, 2))
    early = same(command)
    monkeypatch.setattr(base, "real_today", lambda: dt.date(2030, 1, 2))
    late = same(command)
    assert "RK208" in early[0] and "RK208" not in late[0]


def test_a_planted_corrupt_or_foreign_entry_is_ignored_and_rewritten(project: Path) -> None:
    command = ["validate", "--format", "json", "--root", str(project), *AS_OF]
    same(command)
    (entry,) = entries(project)
    good = json.loads(entry.read_text(encoding="utf-8"))
    planted = {**good, "value": {"files": 19, "diagnostics": []}}
    _broken(project)
    fresh = rectify("--no-cache", *command)
    same(command)  # the broken project's entry
    for file in entries(project):  # every entry says "clean" now, or is not JSON, or not an entry
        file.write_text(json.dumps(planted), encoding="utf-8")
    assert rectify(*command).stdout == fresh.stdout
    for damage in (b"\x00not json", b'{"format": 1}', b"[]", json.dumps({**good, "value": "pickle?"}).encode()):
        for file in entries(project):
            file.write_bytes(damage)
        run = rectify(*command)
        assert (run.stdout, run.exit_code) == (fresh.stdout, fresh.exit_code)
    rewritten = [json.loads(f.read_text(encoding="utf-8")) for f in entries(project)]
    assert all(e["key"] == f.stem for e, f in zip(rewritten, entries(project), strict=True))


def test_no_cache_neither_uses_nor_writes_the_result_cache(project: Path) -> None:
    rectify("--no-cache", "validate", "--root", str(project))
    rectify("--no-cache", "status", "--root", str(project))
    assert not entries(project)


def test_an_unwritable_cache_folder_never_fails_the_run(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = project.parent / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    fresh = rectify("--no-cache", "status", "--root", str(project), *AS_OF)
    for _ in range(2):
        run = rectify("status", "--root", str(project), *AS_OF)
        assert (run.stdout, run.exit_code) == (fresh.stdout, fresh.exit_code)


def test_the_number_of_kept_results_is_bounded(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rectifykit.load import results

    monkeypatch.setattr(results, "MAX_RESULTS", 3)
    for days in range(10, 16):
        rectify("status", "--root", str(project), "--as-of", f"2024-07-{days}")
    assert len(entries(project)) == 3
    rectify("status", "--root", str(project), "--as-of", "2024-07-13")  # the oldest kept, used again: a hit
    rectify("status", "--root", str(project), "--as-of", "2024-07-16")  # 14 goes: the least recently used
    assert len(entries(project)) == 3
    kept = entries(project)
    with monkeypatch.context() as patch:
        no_loading(patch)
        for day in (13, 15, 16):
            assert rectify("status", "--root", str(project), "--as-of", f"2024-07-{day}").exit_code == 0
    monkeypatch.setattr(results, "MAX_TOTAL", 1)  # the newest is always kept, however large
    rectify("status", "--root", str(project), "--as-of", "2024-07-01")
    (newest,) = entries(project)
    assert newest not in kept


def test_a_link_in_the_findings_is_never_cached(project: Path) -> None:
    """A link may point anywhere (and a FIFO must not be opened): such a project runs without the result cache."""
    findings = project / "data" / "findings"
    (findings / "zz-link.yaml").symlink_to(findings / "financial-spending.yaml")
    same(["validate", "--root", str(project)])
    assert not entries(project)


def test_the_hit_path_imports_no_parser_model_or_template_engine(project: Path) -> None:
    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from rectifykit.load import results\n"
        "slot = results.slot(Path(sys.argv[1]), 'validate', {'strict': False})\n"
        "slot.put({'files': 1}, evidence=[])\n"
        "assert results.slot(Path(sys.argv[1]), 'validate', {'strict': False}).get() == {'files': 1}\n"
        "print(*sorted(m for m in ('pydantic', 'ruamel', 'yaml', 'jinja2') if m in sys.modules))\n"
    )
    env = {**os.environ, CACHE_ENV: str(project.parent / "cache")}
    run = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, env=env)
    assert (run.returncode, run.stdout.split()) == (0, []), run.stderr


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_results_are_the_same_with_and_without_the_result_cache(
    rounds: list[list[tuple[int, str, int]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
    shutil.copytree(REPO / "data", root / "data")
    monkeypatch.setenv(CACHE_ENV, str(root.with_name(root.name + "-cache")))
    files = [*sorted((root / "data" / "findings").glob("*.yaml")), root / "data" / "inspection.yaml"]
    originals = [f.read_text(encoding="utf-8") for f in files]
    commands = [["validate", "--format", "json"], ["status", "--all", "--format", "json"], ["render"]]
    for mutations in rounds:  # each round: some files change, the cache holds the earlier rounds' results
        for which, how, n in mutations:
            file = files[which]
            file.write_text(_mutate(file.read_text(encoding="utf-8"), how, n, originals[which]), encoding="utf-8")
        for command in commands:
            same([*command, "--root", str(root), *AS_OF])
            same([*command, "--root", str(root), *AS_OF])  # warm


@pytest.mark.parametrize("args", [["validate"], ["status", "--all"], ["render"], ["render", "--format", "html"]],
                         ids=" ".join)
def test_a_hit_reads_no_record_nor_template(args: list[str], project: Path) -> None:
    """On a hit no YAML parser, rule, loader or template engine is imported (start-up aside: pydantic)."""
    command = [*args, "--root", str(project), *AS_OF]
    rectify(*command)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        "r = CliRunner().invoke(app, sys.argv[1:])\n"
        "heavy = ('yaml', 'ruamel', 'jinja2', 'rectifykit.check', 'rectifykit.load.project', 'rectifykit.yamlio')\n"
        "print(r.exit_code, *sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, CACHE_ENV: str(project.parent / "cache"), "NO_COLOR": "1", "COLUMNS": "120"}
    run = subprocess.run([sys.executable, "-c", code, "--lang", "en", *command], capture_output=True, text=True,
                         env=env)
    assert run.stdout.split() == ["0"], run.stdout + run.stderr


# --- found by a hostile review ---------------------------------------------------------------------------


def test_a_long_status_table_is_kept_whole(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More than 200 rows are printed as plain lines: those lines are part of the kept result too."""
    from rectifykit.reports.status import PLAIN_LIMIT

    findings = project / "data" / "findings"
    for n, source in enumerate(sorted(findings.glob("*.yaml")) * 8):
        text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: copy-{n:03d}")
        text = re.sub(r"(?m)^order: \d+", f"order: {100 + n}", text)
        (findings / f"copy-{n:03d}.yaml").write_text(text, encoding="utf-8")
    command = ["status", "--all", "--root", str(project), *AS_OF]
    fresh = rectify("--no-cache", *command)
    assert fresh.stdout.count("\n") > PLAIN_LIMIT
    for run in (rectify(*command), rectify(*command)):
        assert (run.stdout, run.exit_code) == (fresh.stdout, fresh.exit_code)


def test_an_evidence_link_in_a_loop_is_not_a_missing_file(project: Path) -> None:
    _cite(project / "data" / "findings" / "financial-spending.yaml", "docs/a.pdf")
    (project / "docs").mkdir()
    command = ["validate", "--root", str(project), *AS_OF]
    assert "RK241" in same(command)[0]
    (project / "docs" / "a.pdf").symlink_to("a.pdf")  # a link to itself: it resolves nowhere (RK240)
    assert "RK240" in same(command)[0]
    (project / "docs" / "a.pdf").unlink()
    assert "RK241" in same(command)[0]


def test_a_file_name_that_is_not_utf8_is_no_crash(project: Path) -> None:
    source = project / "data" / "findings" / "financial-spending.yaml"
    odd = os.path.join(os.fsencode(source.parent), b"bad\xffname.yaml")
    with open(odd, "wb") as out:
        out.write(source.read_bytes())
    for args in (["validate"], ["status"], ["render"]):
        out, code, _err = same([*args, "--root", str(project), *AS_OF])
        assert code == 1


@pytest.mark.parametrize("content", [b"\0folder", b"\0absent"])
def test_a_file_holding_the_marks_of_a_folder_or_of_no_file_is_not_them(project: Path, content: bytes) -> None:
    command = ["validate", "--root", str(project), *AS_OF]
    if content == b"\0folder":
        place = project / "data" / "findings" / "zz.yaml"
        place.mkdir()
        (place / "x").write_text("x", encoding="utf-8")
        assert "RK014" in same(command)[0]
        shutil.rmtree(place)
    else:
        place = project / "data" / "inspection.yaml"
        place.unlink()
        assert "RK016" in same(command)[0]
    place.write_bytes(content)
    assert "RK003" in same(command)[0]


def test_an_option_that_is_not_given_is_not_the_word_none(project: Path) -> None:
    same(["render", "--root", str(project), *AS_OF])
    _out, code, err = same(["render", "--template", "None", "--root", str(project), *AS_OF])
    assert code == 2 and "None" in err
