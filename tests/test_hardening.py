"""Hardening beyond the case folders: unreadable files whoever runs the tests, and reading in worker
processes giving exactly what reading in one process gives."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rectifykit import check
from rectifykit.cli import app
from rectifykit.load import pool
from rectifykit.load import project as load

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 7, 11)


def test_unreadable_record_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the user may not read (tests/cases/unreadable-file does it with mode 000, which root
    ignores): here the refusal is simulated, so that it is tested as root too (CI runs as root)."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    target = tmp_path / "data" / "findings" / "mediator-credibility.yaml"
    real = os.open

    def refusing_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(path) == target:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    result = CliRunner().invoke(app, ["--lang", "en", "validate", "--root", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    errors = [d for d in payload["diagnostics"] if d["severity"] == "error"]
    where = [(d["file"], d["line"], d["code"]) for d in errors]
    assert where == [("data/findings/mediator-credibility.yaml", 1, "RK001")]
    assert "Permission denied" in errors[0]["message"]


def mixed_project(root: Path) -> Path:
    """60 finding files: copies of the example's under new ids, a few of them broken."""
    shutil.copytree(REPO / "data", root / "data")
    findings = root / "data" / "findings"
    sources = sorted(findings.glob("*.yaml"))
    for n in range(42):
        text = sources[n % len(sources)].read_text(encoding="utf-8")
        ident = f"copy-{n:02d}"
        text = text.replace(f"id: {sources[n % len(sources)].stem}", f"id: {ident}")
        text = text.replace("\norder: ", f"\norder: 1{n:02d}", 1)
        if n % 9 == 0:
            text = text.replace("title:", "title: [", 1)  # a syntax error
        elif n % 7 == 0:
            text += "unknown_key: 1\n"
        (findings / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return root


def snapshot(project: load.Project) -> tuple:
    return (
        project.files,
        [(d.path, d.line, d.column, d.code, d.message) for d in project.diagnostics],
        [(f.path, f.record, f.located.data, f.located.values, f.located.keys) for f in project.findings],
    )


def test_reading_in_worker_processes_gives_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = mixed_project(tmp_path / "p")
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    alone = check.load(root, today=TODAY)
    monkeypatch.setattr(pool, "CHUNK", 7)
    monkeypatch.setattr(pool, "PARALLEL_MIN", 10)
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    assert pool.workers(60) == 2
    calls: list[int] = []
    together = check.load(root, today=TODAY, progress=lambda done, total: calls.append(done))
    assert snapshot(together) == snapshot(alone)
    assert calls == list(range(1, 61))
    assert any(d.code == "RK005" for d in alone.diagnostics) and any(d.code == "RK101" for d in alone.diagnostics)


def test_when_workers_cannot_start_the_files_are_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = mixed_project(tmp_path / "p")
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    alone = check.load(root, today=TODAY)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSYS, "no semaphores in this sandbox")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", refuse)
    monkeypatch.setattr(pool, "CHUNK", 7)
    monkeypatch.setattr(pool, "PARALLEL_MIN", 10)
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    assert snapshot(check.load(root, today=TODAY)) == snapshot(alone)


def test_the_number_of_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pool.WORKERS_ENV, raising=False)
    monkeypatch.setattr(pool, "cores", lambda: 2)
    assert pool.workers(100_000) == 2  # one per core by default
    assert pool.workers(pool.PARALLEL_MIN - 1) == 1  # too few files to pay for starting them
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    assert pool.workers(100_000) == 1
    monkeypatch.setenv(pool.WORKERS_ENV, "3")
    assert (pool.workers(pool.PARALLEL_MIN - 1), pool.workers(100_000)) == (1, 3)
    monkeypatch.setenv(pool.WORKERS_ENV, "many")
    assert pool.workers(100_000) == 2
