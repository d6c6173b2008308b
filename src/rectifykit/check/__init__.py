"""The rules over loaded records: the one definition of valid.

The rules are of two kinds: what one problem file decides alone (:func:`rectifykit.check.files.own`: its
fields against each other, its evidence files, its placeholders, with ``strict`` the rules of
``lints.STRICT_CODES``) and what needs all of them (:func:`across`: unique ids, one problem per place,
copied measures, and the inspection record's own rules), which looks only at each file's
:class:`~rectifykit.check.facts.Facts`. :func:`records` runs both over records in hand (the edits check what
they would write with it); :func:`load` reads a project and checks it, the files' own rules where each file is
read (in worker processes for a large set) — so "valid" means one thing with one ``today``/``strict``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from rectifykit.check import facts, files, lints, rules
from rectifykit.check.facts import Facts, Places
from rectifykit.check.files import Keeper
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.project import Jobs, Parser, Progress, Project, collector_paused, load_project, start
from rectifykit.load.records import Loaded
from rectifykit.model.records import Finding, Inspection

RECORDS = Keeper(files.plain, Finding.model_validate)
"""The records themselves: their plain data sent back and validated again here."""

Keep = Literal["trees", "records", "nothing"] | Keeper


def across(
    inspection: Loaded[Inspection] | None, found: Sequence[Facts], place: facts.Places, *,
    copied: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """Every rule over all the records (and the inspection record's own rules); ``copied``: the copied-measures
    rule's findings when the caller keeps them (``rectify serve``)."""
    return [*rules.across(inspection, found, place), *lints.across(inspection, found, place, copied=copied)]


def records(
    inspection: Loaded[Inspection] | None,
    findings: Sequence[Loaded[Finding]],
    *,
    root: Path,
    today: dt.date,
    strict: bool = False,
) -> list[Diagnostic]:
    """Every rule set over these records, sorted; ``today`` is the real date (completions after it are errors)."""
    context = files.Context.of(root, today=today, strict=strict, parser="libyaml",
                               inspection=inspection.record if inspection else None)
    out: list[Diagnostic] = []
    for item in findings:
        out += files.own(item, context)
    out += across(inspection, [files.facts(item, context.known) for item in findings], Places(root))
    return sorted(out)


def project(loaded: Project, *, today: dt.date, strict: bool = False) -> Project:
    """Add every rule set's diagnostics to a loaded project (sorted with the file diagnostics)."""
    more = records(loaded.inspection, loaded.findings, root=loaded.root, today=today, strict=strict)
    loaded.diagnostics = sorted([*loaded.diagnostics, *more])
    loaded.evidence = [entry for item in loaded.findings for _where, entry in lints.named_files(item.record)]
    return loaded


def load(
    root: Path,
    *,
    today: dt.date,
    parser: Parser = "libyaml",
    strict: bool = False,
    progress: Progress | None = None,
    cache: bool = False,
    keep: Keep = "trees",
) -> Project:
    """Read the project folder and check it: what every command that needs valid records starts with.

    ``cache``: read unchanged clean files from the user's cache (:mod:`rectifykit.load.cache`); the same result.
    ``keep``: what is kept of each valid problem file: ``"trees"`` the record with where its values stand
    (``findings``); ``"records"`` the record alone (``kept``: less memory, and the files are read in worker
    processes for a large set); a :class:`Keeper`: what it makes of each record (``kept``: a command that
    needs a few of each record's values, as ``status``); ``"nothing"`` (``validate``): only the diagnostics.
    Except with ``"trees"``, each file is checked where it is read, and only small facts are kept for the
    rules across records; with ``"nothing"``, each file's check is kept in the cache too.
    Raises :class:`rectifykit.load.project.ProjectError` when ``root`` holds no ``data/`` folder.
    """
    if keep != "trees":
        return _checked(root, today=today, parser=parser, strict=strict, progress=progress,
                        cache=cache and keep == "nothing",
                        keeper=RECORDS if keep == "records" else keep if isinstance(keep, Keeper) else None)
    loaded = load_project(root, parser=parser, progress=progress, cache=cache)
    with collector_paused():  # the rules make no garbage cycles either: no walks over every record loaded
        return project(loaded, today=today, strict=strict)


def _checked(
    root: Path, *, today: dt.date, parser: Parser, strict: bool, progress: Progress | None, cache: bool,
    keeper: Keeper | None,
) -> Project:
    from rectifykit.load.project import ProjectError

    if not (root / "data").is_dir():
        raise ProjectError(str(root))
    with collector_paused():
        shell, jobs = start(root, parser=parser)
        inspection = shell.inspection
        context = files.Context.of(root, today=today, strict=strict, parser=parser,
                                   inspection=inspection.record if inspection else None, keeper=keeper)
        kept: list[Any] = []
        if keeper is not None:
            shell.kept = kept
        evidence: list[str] = []
        shell.evidence = evidence
        results = _each(jobs, context, progress, cache=cache)
        shell.files += len(jobs)
        found = []
        for checked in results:
            shell.diagnostics += checked.diagnostics
            evidence += (entry for entry, _leaves, _existed in checked.evidence)
            shell.noted += checked.noted
            if checked.facts is not None:
                found.append(checked.facts)
                if keeper is not None:
                    kept.append(keeper.make(checked.data))
        shell.diagnostics += across(inspection, found, Places(root))
        shell.diagnostics.sort()
        shell.noted.sort()
    return shell


def _each(jobs: Jobs, context: files.Context, progress: Progress | None, *, cache: bool) -> Iterator[files.Checked]:
    """Each file's own check, in the order of ``jobs``: kept ones from the cache, the others done now (one at a
    time as they come: what is kept of each is made and the rest let go)."""
    if not cache:
        return files.each(jobs, context, progress)
    from rectifykit.check.memo import Memo
    from rectifykit.load.project import read_file

    memo = Memo(context.root, context)
    results: list[files.Checked | None] = []
    missed: Jobs = []
    for file, display in jobs:
        raw = read_file(file, display, root=context.root)
        if isinstance(raw, bytes):
            kept = memo.get(memo.key(display, hashlib.sha256(raw).hexdigest()), display, file)
            results.append(kept)
            if kept is None:
                missed.append((file, display))
        else:
            results.append(files.Checked([raw]))
    done = len(jobs) - len(missed)
    hashed = dataclasses.replace(context, hashed=True)  # each fresh check is kept by the hash of the bytes it read
    fresh = files.each(missed, hashed, None if progress is None else lambda n, _total: progress(done + n, len(jobs)))
    out = []
    for (_file, display), result in zip(jobs, results, strict=True):
        if result is None:
            result = next(fresh)
            if result.sha is not None:
                memo.put(memo.key(display, result.sha), result)
        out.append(result)
    assert next(fresh, None) is None, "one fresh check per file not kept"  # and the workers are stopped
    memo.save()
    return iter(out)
