"""Each problem file checked on its own where it is read (in this process, or in worker processes for a large
set): its diagnostics and its :class:`~rectifykit.check.facts.Facts` come back, its tree and record do not.

This is how ``validate`` keeps memory flat (100,000 files: the facts and the diagnostics, not the records)
and uses every core: the work a file needs alone (parse, fields, its own rules) is done in the worker, and
what comes back is small. The order of the results is the order of the files, so the diagnostics are
exactly those of :func:`rectifykit.check.records` over the same files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectifykit.check import facts as facts_
from rectifykit.check import lints, rules
from rectifykit.check.facts import Facts
from rectifykit.diagnostics import Diagnostic
from rectifykit.load import pool
from rectifykit.load.project import Jobs, Parser, read_file
from rectifykit.load.records import Loaded, parse_bytes
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection


@dataclass(slots=True)
class Checked:
    """One file checked on its own: its diagnostics, and its facts when it holds a valid record."""

    diagnostics: list[Diagnostic]
    facts: Facts | None = None
    sha: str | None = None
    """The SHA-256 of the bytes read (None: the file was not read, or the context did not ask for it)."""
    evidence: lints.Evidence = field(default_factory=list)
    """What the evidence rules found on disk (:func:`rectifykit.check.lints.evidence_seen`)."""
    data: Any = None
    """What the context's keeper takes of the valid record (:attr:`Keeper.take`), None without a keeper."""
    noted: list[Diagnostic] = field(default_factory=list)
    """What the command's own rules found in the valid record (:attr:`Keeper.notes`), apart from validity."""

    def __reduce__(self) -> tuple[type[Checked], tuple[Any, ...]]:
        # Each file's check comes back from a worker process: sent as its fields, it takes half the time of a
        # slotted dataclass's own pickling (which runs Python code over its fields on both sides).
        return Checked, (self.diagnostics, self.facts, self.sha, self.evidence, self.data, self.noted)


@dataclass(frozen=True)
class Keeper:
    """What a command keeps of each valid record when it needs neither the whole record nor its tree.

    ``take`` runs where the file is read (a worker process for a large set), given the record and the
    inspection, and returns a few builtin values (a function of the module level: the workers are given it;
    sending a record, or a dataclass or enum, costs more than reading it again: :mod:`rectifykit.load.pool`);
    ``make`` turns them, in this process, into what the command keeps
    (:attr:`~rectifykit.load.project.Project.kept`)."""

    take: Callable[[Loaded[Finding], Inspection | None], Any]
    make: Callable[[Any], Any]
    notes: Callable[[Loaded[Finding]], list[Diagnostic]] | None = None
    """The command's own rules over each valid record (``render``: a problem not ready for publication), run
    where the file is read, while its tree is at hand (:attr:`~rectifykit.load.project.Project.noted`)."""


@dataclass(frozen=True)
class Context:
    """What a file's own rules need besides the file."""

    root: Path
    today: dt.date
    strict: bool = False
    parser: Parser = "libyaml"
    inspection: Inspection | None = None
    known: set[str] | None = field(default=None, compare=False)
    keeper: Keeper | None = None
    """What is kept of each valid record besides its facts (None: nothing)."""
    hashed: bool = False
    """Whether each file's SHA-256 comes back (:attr:`Checked.sha`: what the cache keeps a check by)."""

    @classmethod
    def of(
        cls, root: Path, *, today: dt.date, strict: bool, parser: Parser, inspection: Inspection | None,
        keeper: Keeper | None = None,
    ) -> Context:
        known = {c.key for c in inspection.categories} if inspection is not None else None
        return cls(root, today, strict, parser, inspection, known, keeper)


def own(item: Loaded[Finding], context: Context, looked: lints.Looked | None = None) -> list[Diagnostic]:
    """Every rule that one problem file decides alone (``looked``: its evidence files, when already looked at).
    Its tracked items and its evidence files are worked out here, once, for both rule sets."""
    units = tally.units(item.record)
    looked = lints.look(item.record, context.root) if looked is None else looked
    return [
        *rules.own(item, today=context.today, inspection=context.inspection, known=context.known, units=units),
        *lints.own(item, looked=looked, units=units, strict=context.strict),
    ]


def facts(item: Loaded[Finding], known: set[str] | None, *, file: Path | str | None = None) -> Facts:
    """The facts of a loaded record; ``known``: the inspection's category keys (None without one).
    With ``file``, the tree is not kept: a place is found by reading that file again."""
    record = item.record
    category = record.category if known is not None and record.category in known else None
    measures = tuple((facts_.digest(key), r, where) for key, r, where, _text in lints.measure_keys(record))
    if file is None:
        return Facts(item.path, record.id, category, record.order, measures, located=item.located)
    return Facts(item.path, record.id, category, record.order, measures, file=str(file))


def plain(item: Loaded[Finding], _inspection: Inspection | None = None) -> Any:
    """A record's plain data, as read (validated again where it is kept: that costs far less than sending the
    record itself)."""
    return item.located.data


def examine(file: str, display: str, context: Context) -> Checked:
    """Read one problem file and run its own rules; the facts keep no tree (a place is found by reading again)."""
    raw = read_file(file, display, root=context.root)
    if isinstance(raw, Diagnostic):
        return Checked([raw])
    sha = hashlib.sha256(raw).hexdigest() if context.hashed else None
    result = parse_bytes(raw, display, Finding, parser=context.parser)
    if not isinstance(result, Loaded):
        return Checked(result, sha=sha)
    found = facts(result, context.known, file=file)
    keeper = context.keeper
    data = keeper.take(result, context.inspection) if keeper is not None else None
    noted = keeper.notes(result) if keeper is not None and keeper.notes is not None else []
    looked = lints.look(result.record, context.root)
    return Checked(own(result, context, looked), found, sha, lints.evidence_seen(looked), data, noted)


_context: list[Context] = []
"""A worker's context, given once when it starts."""


def _begin(context: Context) -> None:
    _context[:] = [context]


def _task(jobs: Jobs) -> list[Checked]:
    return [examine(file, display, _context[0]) for file, display in jobs]


def each(jobs: Jobs, context: Context, progress: Callable[[int, int], None] | None = None) -> Iterator[Checked]:
    """Each file's result in the order of ``jobs``: in worker processes when the set is large enough
    (:func:`rectifykit.load.pool.workers`), else here."""
    n = pool.workers(len(jobs))
    results = pool.run(_task, pool.chunks(jobs), n, initializer=_begin, initargs=(context,)) if n > 1 else None
    done = 0
    if results is not None:
        for chunk in results:
            yield from chunk
            done += len(chunk)
            if progress is not None:
                progress(done, len(jobs))
        return
    for file, display in jobs:
        yield examine(file, display, context)
        done += 1
        if progress is not None:
            progress(done, len(jobs))
