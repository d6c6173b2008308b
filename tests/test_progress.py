"""The progress bar: when a run may show one (tested as a decision, not on a terminal), and when it appears."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from rectifykit import check
from rectifykit.cli import progress

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("fmt", "terminal", "env", "shown"),
    [
        ("text", True, {}, True),
        (None, True, {}, True),  # commands without an output format (ledger, fmt …)
        ("table", True, {}, True),
        ("md", True, {}, True),
        ("json", True, {}, False),
        ("github", True, {}, False),
        ("sarif", True, {}, False),
        ("text", False, {}, False),  # stderr piped or redirected
        ("text", True, {"CI": "true"}, False),
        ("text", True, {"TERM": "dumb"}, False),
        ("text", True, {"RECTIFY_NO_PROGRESS": "1"}, False),
    ],
)
def test_a_bar_only_on_a_terminal_and_never_for_machine_formats(
    fmt: str | None, terminal: bool, env: dict[str, str], shown: bool
) -> None:
    assert progress.wanted(fmt=fmt, stderr_is_terminal=terminal, env=env) is shown


class FakeBar:
    def __init__(self, description: str, total: int) -> None:
        self.description, self.total, self.done, self.closed = description, total, [], False

    def update(self, done: int) -> None:
        self.done.append(done)

    def close(self) -> None:
        self.closed = True


def test_the_bar_appears_only_after_a_second_and_goes_away_at_the_end() -> None:
    now = [100.0]
    made: list[FakeBar] = []

    def factory(description: str, total: int) -> FakeBar:
        made.append(FakeBar(description, total))
        return made[-1]

    bar = progress.Bar("reading", clock=lambda: now[0], factory=factory)
    for done in range(1, 6):  # a fast start: no bar
        now[0] += 0.1
        bar(done, 100)
    assert not made
    now[0] += 0.6  # past one second
    bar(6, 100)
    bar(7, 100)
    assert len(made) == 1 and made[0].total == 100 and made[0].done == [6, 7]
    bar.close()
    assert made[0].closed


def test_a_run_that_ends_within_the_second_draws_nothing() -> None:
    made: list[FakeBar] = []
    bar = progress.Bar("reading", clock=lambda: 0.0, factory=lambda d, t: made.append(FakeBar(d, t)) or made[-1])
    for done in range(1, 11):
        bar(done, 10)
    bar.close()
    assert not made


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert progress.for_run("text", env={}) is None


def test_loading_reports_each_file_read(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    calls: list[tuple[int, int]] = []
    project = check.load(tmp_path, today=dt.date(2024, 7, 11), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(n, 18) for n in range(1, 19)] and project.files == 19
