"""The rules over loaded records: the one definition of valid.

:func:`project` runs every rule set — the cross-record rules (:mod:`.rules`) and the review rules and
lints (:mod:`.lints`, with ``strict`` adding the rules of ``lints.STRICT_CODES``) — over what
:mod:`rectifykit.load` read. Every command that needs valid records calls it (through :func:`load`),
and the edits check the records they would write with :func:`records`, so "valid" means one thing
with one ``today``/``strict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from rectifykit.check import lints, rules
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.project import Parser, Progress, Project, _collector_paused, load_project
from rectifykit.load.records import Loaded
from rectifykit.model.records import Finding, Inspection


def records(
    inspection: Loaded[Inspection] | None,
    findings: Sequence[Loaded[Finding]],
    *,
    root: Path,
    today: dt.date,
    strict: bool = False,
) -> list[Diagnostic]:
    """Every rule set over these records, sorted; ``today`` is the real date (completions after it are errors)."""
    found = list(findings)
    out = rules.check(inspection, found, today=today)
    out += lints.check(inspection, found, root=root, strict=strict)
    return sorted(out)


def project(loaded: Project, *, today: dt.date, strict: bool = False) -> Project:
    """Add every rule set's diagnostics to a loaded project (sorted with the file diagnostics)."""
    more = records(loaded.inspection, loaded.findings, root=loaded.root, today=today, strict=strict)
    loaded.diagnostics = sorted([*loaded.diagnostics, *more])
    return loaded


def load(
    root: Path,
    *,
    today: dt.date,
    parser: Parser = "libyaml",
    strict: bool = False,
    progress: Progress | None = None,
    cache: bool = False,
) -> Project:
    """Read the project folder and check it: what every command that needs valid records starts with.

    ``cache``: read unchanged clean files from the user's cache (:mod:`rectifykit.load.cache`); the same result.
    Raises :class:`rectifykit.load.project.ProjectError` when ``root`` holds no ``data/`` folder.
    """
    loaded = load_project(root, parser=parser, progress=progress, cache=cache)
    with _collector_paused():  # the rules make no garbage cycles either: no walks over every record loaded
        return project(loaded, today=today, strict=strict)
