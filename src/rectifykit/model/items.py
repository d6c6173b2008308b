"""Tracked items and their counts: one definition of "done" used everywhere.

An *item* is what carries a status, a deadline and an owner: a response, or
each ``part`` of a response whose points are in different states. A combined
status without parts (视同完成，持续整改；需持续整改) counts as its least
advanced state. Completion rate = items completed, completed-and-kept-up or
deemed completed ÷ all items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rectifykit.model.records import DONE_STATES, Finding, Response, State, Tracking
from rectifykit.model.wording import STATE_LABEL, split_label

TRACKING_FIELDS = tuple(Tracking.model_fields)


@dataclass(frozen=True, slots=True)
class Unit:
    """One tracked item of a finding: a response, or a part of one."""

    finding: Finding
    response_index: int
    part_index: int | None
    points: tuple[int, ...]
    """1-based point numbers; empty when the response covers a problem without points."""
    state: State
    label: str
    tracking: Tracking
    """The part's tracking fields, completed from its response's."""

    @property
    def key(self) -> str:
        """A stable reference: ``id#2`` for response 2, ``id#2.1`` for its first part."""
        suffix = f"{self.response_index + 1}"
        if self.part_index is not None:
            suffix += f".{self.part_index + 1}"
        return f"{self.finding.id}#{suffix}"

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES


def covered_points(finding: Finding, response: Response) -> tuple[int, ...]:
    if response.covers is not None:
        return tuple(response.covers)
    return tuple(range(1, len(finding.points) + 1))


def part_label(response: Response, state: State) -> str:
    """The share of a combined label that names ``state`` (视同完成，持续整改；需持续整改)."""
    segments = split_label(response.status.label)
    if len(segments) == len(response.status.states) and state in response.status.states:
        return segments[response.status.states.index(state)]
    return response.status.label


def units(finding: Finding) -> list[Unit]:
    """The tracked items of one finding, in order."""
    out = []
    for r, response in enumerate(finding.responses):
        # A response is its own tracking (Response extends Tracking); only a part needs its fields
        # completed from the response's. model_construct: the values were validated with the record.
        if not response.parts:
            out.append(
                Unit(finding, r, None, covered_points(finding, response), response.status.least,
                     response.status.label, response)
            )
            continue
        base = response
        for p, part in enumerate(response.parts):
            merged = {
                name: getattr(part, name) if name in part.model_fields_set else getattr(base, name)
                for name in TRACKING_FIELDS
            }
            label = part_label(response, part.state)
            out.append(Unit(finding, r, p, tuple(part.points), part.state, label, Tracking.model_construct(**merged)))
    return out


def draft_unit(finding: Finding) -> Unit:
    """The one item of a problem with no responses yet: not started, owned by nobody so far."""
    points = tuple(range(1, len(finding.points) + 1))
    return Unit(finding, 0, None, points, State.not_started, STATE_LABEL[State.not_started], Tracking())


def tracked(finding: Finding) -> list[Unit]:
    """The items of a finding as the status counts them: a draft (no responses) is one item, not started."""
    return units(finding) or [draft_unit(finding)]


Packed = tuple[str, str, int, str, list[tuple[int, int | None, tuple[int, ...], str, str, tuple[Any, ...]]]]
"""A finding's tracked items as plain values (:func:`pack`)."""


def pack(finding: Finding) -> Packed:
    """The tracked items of a finding as plain values, small to send from a worker process: the finding's id,
    category, order and title, and per item its response and part, points, state, label and tracking fields."""
    return (finding.id, finding.category, finding.order, finding.title,
            [(u.response_index, u.part_index, u.points, u.state.value, u.label,
              tuple(getattr(u.tracking, name) for name in TRACKING_FIELDS)) for u in tracked(finding)])


def unpack(packed: Packed) -> list[Unit]:
    """The items :func:`pack` made (at least one), each with the finding's heading alone: its id, category,
    order and title (what a report of items prints); its points and responses are in the items, not in it."""
    ident, category, order, title, items = packed
    heading = Finding.model_construct(id=ident, category=category, order=order, title=title)
    # model_construct: every value was validated with the record, where it was read; one set of the fields
    # given for all (a set per item is 200 bytes of 100,000s)
    return [Unit(heading, r, p, points, State(state), label,
                 Tracking.model_construct(_TRACKING_SET, **dict(zip(TRACKING_FIELDS, values, strict=True))))
            for r, p, points, state, label, values in items]


_TRACKING_SET = set(TRACKING_FIELDS)
"""Every field of Tracking: each is given (setting one again would add nothing to it)."""


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


def states(finding: Finding) -> list[State]:
    """The state of each item of a finding, in order: what ``units`` gives, without the tracking."""
    out: list[State] = []
    if not finding.responses:  # a draft: one item, not started (see tracked)
        return [State.not_started]
    for response in finding.responses:
        if response.parts:
            out += [part.state for part in response.parts]
        else:
            out.append(response.status.least)
    return out


@dataclass(frozen=True, slots=True)
class Counted:
    """What the counts need of a finding: its category and the state of each of its items."""

    category: str
    states: tuple[State, ...]


def summarise(findings: Iterable[Finding | Counted]) -> Summary:
    findings = list(findings)
    states_ = Counter(s for f in findings for s in (f.states if isinstance(f, Counted) else states(f)))
    return Summary(
        problems=len(findings),
        items=sum(states_.values()),
        by_state={s: states_.get(s, 0) for s in State},
    )


def percent(rate: float | None) -> str:
    """0.9871 → 98.71%; no items → —."""
    if rate is None:
        return "—"
    text = f"{100 * rate:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
