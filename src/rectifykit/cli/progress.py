"""A progress bar on stderr for long runs: only on a terminal, only past a second, never for machines.

:func:`wanted` decides (a pure function, tested without a terminal); :class:`Bar` appears once a
run has taken :data:`DELAY` seconds, so that short runs print nothing extra, and is erased when
the run ends. rich is imported only when a bar is really drawn.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from rectifykit.i18n import _

DELAY = 1.0
"""Seconds a run goes on before its bar appears."""
MACHINE_FORMATS = frozenset({"json", "github", "sarif"})
"""Output read by programs (CI annotations, code scanning): never mixed with a bar, even on stderr."""
OFF_ENV = "RECTIFY_NO_PROGRESS"


def wanted(*, fmt: str | None, stderr_is_terminal: bool, env: Mapping[str, str]) -> bool:
    """Whether a run may show a progress bar: stderr is a terminal, the output is for people,
    not in CI (``CI`` set), not a dumb terminal, not switched off (``RECTIFY_NO_PROGRESS``)."""
    if fmt is not None and str(fmt) in MACHINE_FORMATS:
        return False
    if not stderr_is_terminal:
        return False
    return not (env.get("CI") or env.get("TERM") == "dumb" or env.get(OFF_ENV))


class Bar:
    """Call it with (done, total) as work goes on; it draws nothing before :data:`DELAY` seconds."""

    def __init__(
        self,
        description: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        factory: Callable[[str, int], Any] | None = None,
    ) -> None:
        self.description = description
        self.clock = clock
        self.started = clock()
        self.factory = factory or _rich_bar
        self.shown: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.shown is None:
            if self.clock() - self.started < DELAY or done >= total:
                return
            self.shown = self.factory(self.description, total)
        self.shown.update(done)

    def close(self) -> None:
        if self.shown is not None:
            self.shown.close()
            self.shown = None


class _RichBar:
    def __init__(self, description: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.task = self.progress.add_task(description, total=total)
        self.progress.start()

    def update(self, done: int) -> None:
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        self.progress.stop()


def _rich_bar(description: str, total: int) -> _RichBar:
    return _RichBar(description, total)


def for_run(fmt: str | None, *, env: Mapping[str, str]) -> Bar | None:
    """A bar for reading a project's records, or None when :func:`wanted` says no."""
    if not wanted(fmt=fmt, stderr_is_terminal=sys.stderr.isatty(), env=env):
        return None
    return Bar(_("reading records"))
