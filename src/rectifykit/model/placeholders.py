"""Computed values inside narrative text: a closed list of names, never evaluated code.

Narrative fields (the opening, section paragraphs, the closing) may contain
``{name}`` or ``{name:category}``. Each name is looked up in the table below;
nothing in record text is ever rendered as a template or a format string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rectifykit.model import dates
from rectifykit.model import items as tally
from rectifykit.model.records import PLACEHOLDER, Finding


class _Period(Protocol):
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


class _Contact(Protocol):
    @property
    def phone(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...


class Values(Protocol):
    """What the placeholders read: an ``Inspection``, or the values the importer has read so far
    (which may lack any of them; a placeholder whose value is missing stays as typed)."""

    @property
    def unit(self) -> str | None: ...
    @property
    def unit_self(self) -> str | None: ...
    @property
    def authority(self) -> str | None: ...
    @property
    def team(self) -> str | None: ...
    @property
    def round(self) -> str | None: ...
    @property
    def period(self) -> _Period | None: ...
    @property
    def feedback_date(self) -> dt.date | None: ...
    @property
    def publication_date(self) -> dt.date | None: ...
    @property
    def contact(self) -> _Contact: ...


def _cn_date(day: dt.date | None) -> str | None:
    return None if day is None else dates.cn_date(day)


FIELDS: dict[str, Callable[[Values], str | None]] = {
    "unit": lambda i: i.unit,
    "unit_self": lambda i: i.unit_self,
    "authority": lambda i: i.authority,
    "team": lambda i: i.team,
    "round": lambda i: i.round,
    "period": lambda i: None if i.period is None else dates.cn_range(i.period.start, i.period.end),
    "period_start": lambda i: None if i.period is None else dates.cn_date(i.period.start),
    "period_end": lambda i: None if i.period is None else dates.cn_date(i.period.end),
    "feedback_date": lambda i: _cn_date(i.feedback_date),
    "publication_date": lambda i: _cn_date(i.publication_date),
    "phone": lambda i: i.contact.phone,
    "email": lambda i: i.contact.email,
}
COUNTS = ("problems", "items", "done", "open", "completion_rate")
KNOWN = tuple(FIELDS) + COUNTS


@dataclass(frozen=True)
class Bad:
    """A placeholder that cannot be resolved, with what is wrong."""

    placeholder: str


def problems_in(text: str, categories: Iterable[str]) -> list[Bad]:
    """Placeholders in ``text`` whose name or category is unknown."""
    keys = set(categories)
    bad = []
    for match in PLACEHOLDER.finditer(text):
        name, arg = match.group(1), match.group(2)
        if name not in KNOWN or (arg is not None and (name not in COUNTS or arg not in keys)):
            bad.append(Bad(match.group(0)))
    return bad


def resolve(text: str, inspection: Values, findings: Sequence[Finding | tally.Counted]) -> str:
    """Replace every known placeholder; unknown ones stay as typed (validate reports them)."""

    def value(match: re.Match[str]) -> str:
        name, arg = match.group(1), match.group(2)
        if name in FIELDS and arg is None:
            got = FIELDS[name](inspection)
            return match.group(0) if got is None else got
        if name in COUNTS:
            chosen = [f for f in findings if arg is None or f.category == arg]
            summary = tally.summarise(chosen)
            if name == "completion_rate":
                return tally.percent(summary.completion_rate)
            return str(getattr(summary, name))
        return match.group(0)

    return PLACEHOLDER.sub(value, text)
