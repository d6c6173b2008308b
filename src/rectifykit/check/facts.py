"""What the rules across records need of one problem file: a few facts, not its tree.

A file's own rules (:func:`rectifykit.check.own`) run where the file is read, in this process or a worker;
what the rules across records compare (ids, category slots, measure texts) is kept as :class:`Facts`, small
enough to send back from a worker and to keep for 100,000 files. The place a diagnostic across records points
at is worked out only when one is made: from the file's kept tree when there is one, else by reading the
file again (a rare event: duplicated ids and copied measures are few).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectifykit.load.project import read_file
from rectifykit.load.records import Loaded, parse_bytes
from rectifykit.model.records import Finding
from rectifykit.yamlio import Located, Path_

Measure = tuple[bytes, int, Path_]
"""A measure compared for copies: (a digest of its normalised text, response index, path in the record)."""


@dataclass(slots=True)
class Facts:
    """One valid problem record, as the rules across records see it."""

    path: str
    """The file as diagnostics name it."""
    id: str
    category: str | None
    """Its category when the inspection knows it (an unknown one is the file's own RK203), else None."""
    order: int
    measures: tuple[Measure, ...]
    file: str | None = None
    """Where to read the file again for a position (when ``located`` is not kept)."""
    located: Located | None = None

    def __reduce__(self) -> tuple[type[Facts], tuple[Any, ...]]:
        # Sent back from a worker process for each file: as its fields (see ``Checked.__reduce__``).
        return Facts, (self.path, self.id, self.category, self.order, self.measures, self.file, self.located)


def digest(text: str) -> bytes:
    """A measure's normalised text, kept as 16 bytes: 100,000 files' measures stay small."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class Places:
    """Where a value stands in the file of some facts: from the kept tree, or from the file read again
    (once per file, for the diagnostics of one run)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._read: dict[str, Located | None] = {}

    def __call__(self, facts: Facts, where: Path_) -> tuple[int, int]:
        located = facts.located if facts.located is not None else self._again(facts)
        if located is None:
            return 1, 1  # changed or gone since it was read: the file itself is named
        return located.value_at(where)

    def _again(self, facts: Facts) -> Located | None:
        if facts.file is None:
            return None
        if facts.file not in self._read:
            file = Path(facts.file)
            raw = read_file(file, facts.path, root=self.root)
            result = parse_bytes(raw, facts.path, Finding) if isinstance(raw, bytes) else None
            self._read[facts.file] = result.located if isinstance(result, Loaded) else None
        return self._read[facts.file]
