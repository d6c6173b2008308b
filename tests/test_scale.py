"""Office scale (issue 17): realistic files stay on the fast path, and the large-set paths agree with the plain ones."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectifykit import check
from rectifykit.load.cache import CACHE_ENV
from rectifykit.load.project import Project
from rectifykit.yamlio import Located, compose
from rectifykit.yamlio.compose import _compose_libyaml, _Converter

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 7, 11)
REALISTIC = '''# Problem 3 (category implementation).
id: "community-correction"
category: implementation
order: 3
title: '矫正工作存在薄弱环节。'
points:
  - title: 执法不规范。  # from the report
    text: |
      2021年区司法局自查出有关问题13条。
      其中执法类问题5条。
  - title: "分解审调压力措施不多。"
    text: >-
      近年来，全区审前调查工作任务重，
      社区矫正交叉检查发现审调超期。
responses:
  - covers: [1, 2]
    status: {states: [completed], label: "整改完成"}
    measures:
      - "印发学习资料，发放给辖区司法所学习。"
      - >
        结合专项排查行动实施方案，进行排查。
    "completed_on": 2024-04-30
'''


def test_quoted_block_and_folded_scalars_comments_and_flow_lists_read_on_the_fast_path() -> None:
    located = compose(REALISTIC)
    assert isinstance(located, Located)
    assert located.text is not None, "read without positions: they are found only when a diagnostic asks"
    assert located.data["points"][0]["text"] == "2021年区司法局自查出有关问题13条。\n其中执法类问题5条。\n"
    assert located.data["points"][1]["text"] == "近年来，全区审前调查工作任务重， 社区矫正交叉检查发现审调超期。"
    assert located.data["responses"][0]["status"] == {"states": ["completed"], "label": "整改完成"}
    assert located.data["responses"][0]["completed_on"] == "2024-04-30"
    full = _Converter().run(_compose_libyaml(REALISTIC))  # what the full converter reads: the same data
    assert isinstance(full, Located) and full.data == located.data
    assert located.key_at(("responses", 0, "completed_on")) == (22, 5)


def test_a_quoted_key_met_twice_is_still_a_duplicate() -> None:
    problem = compose('id: a\n"id": b\n')
    assert not isinstance(problem, Located)
    assert (problem.code, problem.line) == ("RK007", 2)


# --- the record cache ----------------------------------------------------------------------------------

MUTATIONS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=18),  # which file: 18 is the inspection record
        st.sampled_from(["drop-line", "tab", "dup-key", "state", "quote", "truncate", "restore", "garbage"]),
        st.integers(min_value=0, max_value=10_000),
    ),
    min_size=1,
    max_size=6,
)


def _mutate(text: str, how: str, n: int, original: str) -> str:
    lines = text.splitlines(keepends=True)
    i = n % max(len(lines), 1)
    if how == "drop-line" and lines:
        del lines[i]
    elif how == "tab" and lines:
        lines[i] = "\t" + lines[i]
    elif how == "dup-key":
        lines.insert(1, lines[0] if lines else "id: x\n")
    elif how == "state":
        return text.replace("completed]", "in_progress]", 1)
    elif how == "quote":
        return text.replace("title: ", 'title: "', 1).replace("。\n", '。"\n', 1)
    elif how == "truncate":
        return text[: n % (len(text) + 1)]
    elif how == "restore":
        return original
    elif how == "garbage":
        return "{[: ,"
    return "".join(lines)


def _outcome(project: Project) -> tuple[object, ...]:
    diagnostics = [(d.path, d.line, d.column, d.code, d.message) for d in project.diagnostics]
    records = [(f.path, f.record, f.located) for f in project.findings]
    inspection = None if project.inspection is None else (project.inspection.record, project.inspection.located)
    return diagnostics, records, inspection, project.files


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_results_are_the_same_with_and_without_the_cache(rounds: list[list[tuple[int, str, int]]], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
    shutil.copytree(REPO / "data", root / "data")
    monkeypatch.setenv(CACHE_ENV, str(root.with_name(root.name + "-cache")))
    files = [*sorted((root / "data" / "findings").glob("*.yaml")), root / "data" / "inspection.yaml"]
    originals = [f.read_text(encoding="utf-8") for f in files]
    for mutations in rounds:  # each round: some files change, the cache holds the earlier rounds' reads
        for which, how, n in mutations:
            file = files[which]
            file.write_text(_mutate(file.read_text(encoding="utf-8"), how, n, originals[which]), encoding="utf-8")
        fresh = _outcome(check.load(root, today=TODAY, cache=False))
        assert _outcome(check.load(root, today=TODAY, cache=True)) == fresh  # cold for the changed files
        assert _outcome(check.load(root, today=TODAY, cache=True)) == fresh  # warm


EDIT = ("set", "theory-study#1", "--notes", "复核", "--dry-run")
"""A command that reads every record with its tree (an edit) and writes nothing."""


def test_the_cache_is_kept_outside_the_project_and_no_cache_writes_none(tmp_path: Path, cli, monkeypatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    store = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(store))
    assert cli("--no-cache", "validate", "--root", str(root), "--as-of", "2024-07-11").exit_code == 0
    assert not store.exists()
    assert cli("validate", "--root", str(root), "--as-of", "2024-07-11").exit_code == 0
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    (cached,) = store.glob("*.json")
    assert cached.name.endswith("-checked.json")  # validate keeps each problem file's check
    assert len(json.loads(cached.read_text(encoding="utf-8"))["entries"]) == 18
    # an edit needs each record's tree: it keeps what each file read to
    assert cli(*EDIT, "--root", str(root)).exit_code == 0
    assert len(list(store.glob("*.json"))) == 2
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(tmp_path: Path, cli, monkeypatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    store = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(store))
    assert cli(*EDIT, "--root", str(root)).exit_code == 0
    (cached,) = store.glob("*.json")
    good = json.loads(cached.read_text(encoding="utf-8"))
    # a foreign entry under every key: data that is not the file's (it does not validate) or not data at all
    for n, key in enumerate(good["entries"]):
        good["entries"][key] = [good["run"], ["libyaml", {"id": 7}] if n % 2 else "pickle?"]
    cached.write_text(json.dumps(good), encoding="utf-8")
    result = cli(*EDIT, "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "+    notes: 复核" in result.output  # the change it would make, from the records read again
    rewritten = json.loads(cached.read_text(encoding="utf-8"))["entries"]
    assert all(isinstance(entry[1], list) and isinstance(entry[1][1], dict) for entry in rewritten.values())
    cached.write_bytes(b"\x00not json")
    assert cli(*EDIT, "--root", str(root)).exit_code == 0
    assert len(json.loads(cached.read_text(encoding="utf-8"))["entries"]) == 19


class _Listed:
    """A folder's entries as read before another process removed one of them."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __enter__(self) -> _Listed:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_cache_file_another_run_removes_meanwhile_never_fails_the_run(tmp_path: Path, cli, monkeypatch) -> None:
    """Runs at once share the cache folder and each keeps the most recent files, removing the others: a file
    another run removed after this one listed the folder is no error (the run passes, its cache is written)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    store = tmp_path / "cache"
    store.mkdir()
    other = store / ("0" * 32 + ".json")  # another project's cache file, which another run trims away
    other.write_text("{}", encoding="utf-8")
    scandir = os.scandir

    def listed_then_removed(path: object = ".") -> object:
        if not isinstance(path, str | os.PathLike) or Path(path) != store:
            return scandir(path)  # type: ignore[call-overload]
        with scandir(path) as it:
            entries = list(it)
        other.unlink(missing_ok=True)  # the other run, between this run's listing and its look at each file
        return _Listed(entries)

    monkeypatch.setenv(CACHE_ENV, str(store))
    monkeypatch.setattr(os, "scandir", listed_then_removed)
    result = cli("validate", "--root", str(root), "--as-of", "2024-07-11")
    assert result.exit_code == 0, result.output
    (kept,) = store.glob("*.json")  # this run's own, written
    assert kept.name.endswith("-checked.json")


WRITERS = ("jinja2", "openpyxl", "docx", "starlette", "uvicorn")
COMMAND_MODULES = ("init", "records", "tracking", "notice", "office", "gitwork", "importing", "serving")
LEAN = {
    "--help": (*WRITERS, "rich", "pydantic", "yaml", "ruamel.yaml", "rectifykit.model.records",
               *(f"rectifykit.cli.{m}" for m in COMMAND_MODULES)),
    "validate": (*WRITERS, "rich", "ruamel.yaml", *(f"rectifykit.cli.{m}" for m in COMMAND_MODULES if m != "records")),
    "status": (*WRITERS, "ruamel.yaml", *(f"rectifykit.cli.{m}" for m in COMMAND_MODULES if m != "tracking")),
}
"""What each command must not import: ``--help`` reads no command's module (nor pydantic, nor YAML), a command
reads its own module alone (rectifykit.cli.lazy), and nothing but the writers imports what writes documents."""


@pytest.mark.parametrize("command", list(LEAN))
def test_help_validate_and_status_do_not_import_the_writers(command: str, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        "args = sys.argv[2:3] if sys.argv[2] == '--help' else [sys.argv[2], '--root', sys.argv[1]]\n"
        "r = CliRunner().invoke(app, args)\n"
        "print(r.exit_code, *sorted(m for m in sys.argv[3:] if m in sys.modules))\n"
    )
    env = {**os.environ, CACHE_ENV: str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code, str(REPO), command, *LEAN[command]], capture_output=True,
                         text=True, env=env)
    assert run.stdout.split() == ["0"], run.stdout + run.stderr


def test_worker_processes_give_the_same_diagnostics_in_the_same_order(tmp_path: Path, monkeypatch) -> None:
    from rectifykit.load import pool

    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    findings = sorted((root / "data" / "findings").glob("*.yaml"))
    findings[2].write_text("id: [unclosed\n", encoding="utf-8")
    findings[7].write_text(findings[7].read_text(encoding="utf-8").replace("covers:", "covers:\n\t- 1\n  x:", 1),
                           encoding="utf-8")
    findings[11].write_text(findings[11].read_text(encoding="utf-8").replace("title:", "title: [1, 2]\n  old:", 1),
                            encoding="utf-8")
    serial = _outcome(check.load(root, today=TODAY))
    assert any(d[3] in ("RK005", "RK006") for d in serial[0])
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    monkeypatch.setattr(pool, "PARALLEL_MIN", 2)
    monkeypatch.setattr(pool, "CHUNK", 3)
    assert pool.workers(len(findings)) == 2
    assert _outcome(check.load(root, today=TODAY)) == serial
