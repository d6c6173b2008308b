"""Data-driven validation cases: each folder of tests/cases is a project and the diagnostics it must give.

A case folder holds (see tests/cases/README.md):

- ``project/``: files laid over the shared base project ``tests/cases/_base/project``;
- ``remove.txt``: base files to delete, one path a line (optional);
- ``make.py``: ``make(project: Path)`` writes what cannot be stored as text:
  other encodings, binary junk, symlinks, folders (optional);
- ``args.txt``: extra ``rectify validate`` arguments (optional);
- ``expected.json``: ``{"exit_code": N, "diagnostics": [{"file", "line", "column", "code"}, ...]}``;
- ``message_contains.txt``: lines that must each appear in some diagnostic's message or hint (optional).

Every case runs with both parsers; they must give the same exit code and the same
(file, line, column, code) list. ``pytest --update-cases`` rewrites expected.json
from the actual output; review the diff, never accept it blindly.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rectifykit.cli import app
from support import hard_timeout

CASES = Path(__file__).parent / "cases"
BASE = CASES / "_base" / "project"
PARSERS = ("libyaml", "ruamel")
KEYS = ("file", "line", "column", "code")
HARD_TIMEOUT = 120
"""A guard against a hang (an alias bomb expanded would run for hours), never a speed limit: speed is
measured by ``make bench``, and a busy machine may take many times as long as an idle one."""


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def lines_of(path: Path) -> list[str]:
    """Non-blank, non-comment lines of an optional text file."""
    if not path.is_file():
        return []
    return [s for line in path.read_text(encoding="utf-8").splitlines() if (s := line.strip()) and s[0] != "#"]


def build_project(case: Path, dest: Path) -> Path:
    """The base project, minus remove.txt, plus the case's files, plus what make.py writes."""
    shutil.copytree(BASE, dest, symlinks=True)
    for name in lines_of(case / "remove.txt"):
        target = dest / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    if (case / "project").is_dir():
        shutil.copytree(case / "project", dest, symlinks=True, dirs_exist_ok=True)
    if (case / "make.py").is_file():
        runpy.run_path(str(case / "make.py"))["make"](dest)
    return dest


def snapshot(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under ``folder`` (links not followed) with its content: to prove nothing was written."""
    out: dict[str, bytes | str | None] = {}
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(here, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[key] = "-> " + os.readlink(path)
            elif path.is_file():
                out[key] = path.read_bytes()
            else:
                out[key] = None
    return out




def run_validate(project: Path, parser: str, args: list[str]) -> tuple[dict, int]:
    """``rectify validate --format json`` in-process: the parsed payload and the exit code."""
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120"})
    argv = ["--lang", "en", "validate", "--root", str(project), "--format", "json", "--parser", parser, *args]
    with hard_timeout(HARD_TIMEOUT):
        result = runner.invoke(app, argv)
    where = f"[{parser}] exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, where
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert result.stderr == "", where
    try:
        payload = json.loads(result.stdout)  # fails on anything but one JSON document
    except json.JSONDecodeError as exc:
        pytest.fail(f"stdout is not pure JSON ({exc})\n{where}")
    return payload, result.exit_code


def keyed(payload: dict) -> list[dict[str, object]]:
    return sorted(({k: d[k] for k in KEYS} for d in payload["diagnostics"]), key=sort_key)


def sort_key(d: dict[str, object]) -> tuple:
    return tuple(d[k] for k in KEYS)


def dump_expected(exit_code: int, diags: list[dict[str, object]]) -> str:
    """expected.json with one diagnostic a line, as written by hand."""
    rows = ",\n".join("    " + json.dumps(d, ensure_ascii=False) for d in diags)
    body = f"[\n{rows}\n  ]" if diags else "[]"
    return f'{{\n  "exit_code": {exit_code},\n  "diagnostics": {body}\n}}\n'


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_cases: bool) -> None:
    # The working directory is the case's scratch folder: whatever a YAML tag might execute lands there.
    monkeypatch.chdir(tmp_path)
    project = build_project(case, tmp_path / "project")
    args = [a for line in lines_of(case / "args.txt") for a in line.split()]
    before = snapshot(tmp_path)

    runs = {parser: run_validate(project, parser, args) for parser in PARSERS}

    assert snapshot(tmp_path) == before, "validate changed files (or a tag executed something)"
    (lib, lib_code), (rt, rt_code) = runs["libyaml"], runs["ruamel"]
    assert (rt_code, keyed(rt)) == (lib_code, keyed(lib)), "the two parsers disagree"

    expected_file = case / "expected.json"
    if update_cases:
        expected_file.write_text(dump_expected(lib_code, keyed(lib)), encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert keyed(lib) == sorted(expected["diagnostics"], key=sort_key)
    assert lib_code == expected["exit_code"]

    texts = [f"{d['message']} {d['hint']}" for d in lib["diagnostics"]]
    for needle in lines_of(case / "message_contains.txt"):
        assert any(needle in t for t in texts), f"{needle!r} not in any message: {texts}"


def test_cases_exist() -> None:
    """Every case folder has its expected output; a folder without one is a mistake, not a skip."""
    for case in case_dirs():
        assert (case / "expected.json").is_file(), case.name
        inputs = ("project", "make.py", "remove.txt", "args.txt")
        assert any((case / name).exists() for name in inputs), case.name


@pytest.mark.parametrize("args", [[], ["--strict"]], ids=["default", "strict"])
def test_base_is_valid(args: list[str], tmp_path: Path) -> None:
    """The shared base project itself validates clean with both parsers, even with --strict:
    a case's diagnostics are those of what it changes, nothing else."""
    project = build_project(CASES / "_base", tmp_path / "project")
    for parser in PARSERS:
        payload, code = run_validate(project, parser, args)
        assert (code, payload["diagnostics"]) == (0, []), parser
