"""What the importer has to tell: a diagnostic code at a line of the notice, with its message arguments."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One finding of the import, turned into a ``Diagnostic`` for the report (codes RK300–RK329)."""

    line: int
    code: str
    args: dict[str, object] = field(default_factory=dict, compare=False)
