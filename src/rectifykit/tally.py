"""Counting items and their states: one definition of "done" used everywhere.

An *item* is what carries a status: a response. A combined status
(视同完成，持续整改；需持续整改) counts as its least advanced state.
Completion rate = items completed, completed-and-kept-up or deemed completed
÷ all items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rectifykit.model import DONE_STATES, Finding, State


@dataclass(frozen=True)
class Summary:
    problems: int
    items: int
    by_state: dict[State, int]

    @property
    def done(self) -> int:
        return sum(n for s, n in self.by_state.items() if s in DONE_STATES)

    @property
    def open(self) -> int:
        return self.items - self.done

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.items if self.items else None


def summarise(findings: Iterable[Finding]) -> Summary:
    findings = list(findings)
    states = Counter(r.status.least for f in findings for r in f.responses)
    return Summary(
        problems=len(findings),
        items=sum(states.values()),
        by_state={s: states.get(s, 0) for s in State},
    )


def percent(rate: float | None) -> str:
    """0.9871 → 98.71%; no items → —."""
    if rate is None:
        return "—"
    text = f"{100 * rate:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
