"""The record model: an inspection, its feedback problems, their responses; no I/O.

Field names are the YAML keys staff type. Every model rejects unknown keys
(``extra="forbid"``) so that a typo is reported, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rectifykit.i18n import N_

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


YEARS = (1949, 2100)
"""The years a record's date may lie in (data/FORMAT.md): a year outside is a typing slip, and dates
computed from it (deadlines, milestones) must stay within what a date can hold."""
NUMBERS = (1, 9999)
"""The range of an order or point number: positions in a list, printed 1.–N. and 一是…"""


def _date(value: object) -> object:
    """Dates are written YYYY-MM-DD; a number is never read as a timestamp."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif not isinstance(value, str):
        raise PydanticCustomError("rk_date_type", "not a date", {"value": value})
    elif not _ISO_DATE.match(value.strip()):
        raise PydanticCustomError("rk_date", N_("not in YYYY-MM-DD form"), {"value": value})
    else:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("rk_date", N_("no such day in the calendar"), {"value": value}) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise PydanticCustomError("rk_year", "year out of range", {"value": day, "low": YEARS[0], "high": YEARS[1]})
    return day


Date = Annotated[dt.date, BeforeValidator(_date)]


def _number(value: int) -> int:
    if not NUMBERS[0] <= value <= NUMBERS[1]:
        raise PydanticCustomError("rk_range", "out of range", {"value": value, "low": NUMBERS[0], "high": NUMBERS[1]})
    return value


Number = Annotated[StrictInt, AfterValidator(_number)]
"""An order or point number, within :data:`NUMBERS`."""

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z0-9_-]+))?\}")
"""A computed value inside narrative text, e.g. ``{problems:implementation}``."""


class State(StrEnum):
    """Canonical tracking states; the published wording is kept separately."""

    completed = "completed"
    completed_ongoing = "completed_ongoing"
    deemed_completed = "deemed_completed"
    in_progress = "in_progress"
    not_started = "not_started"

    @property
    def closed(self) -> bool:
        """Counted as done in the completion rate (see README)."""
        return self in DONE_STATES

    @property
    def continuing(self) -> bool:
        """Done or counted done, but reviewed periodically."""
        return self in (State.completed_ongoing, State.deemed_completed)


DONE_STATES = frozenset({State.completed, State.completed_ongoing, State.deemed_completed})

class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(Record):
    phone: Text | None = None
    email: Text | None = None


class Period(Record):
    start: Date
    end: Date


class Category(Record):
    key: Ident
    title: Text
    order: Number


class Paragraph(Record):
    """A narrative paragraph; with a title it is numbered （一）（二）… in its section."""

    title: Text | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Paragraph:
        if self.title is None and self.text is None:
            raise ValueError(N_("a paragraph needs a title or a text"))
        return self


class Section(Record):
    """A top-level section (一、二、…) of the notice."""

    title: Text
    paragraphs: list[Paragraph] = []
    findings: StrictBool = False
    """True for the section that lists the feedback problems by category."""


class Milestones(Record):
    """Policy dates of the rectification; left out, they are computed from the feedback date."""

    plan_due: Date | None = None
    plan_done: Date | None = None
    concentrated_end: Date | None = None
    report_due: Date | None = None
    report_done: Date | None = None


class Inspection(Record):
    """The inspection itself and the narrative parts of its notice."""

    unit: Text
    """The inspected Party organisation, e.g. 中共鄂城区司法局党组."""
    unit_self: Text | None = None
    """How the notice refers to the unit itself, e.g. 我局党组."""
    authority: Text | None = None
    """Who deployed the inspection, e.g. 鄂城区委."""
    team: Text
    round: Text | None = None
    period: Period
    feedback_date: Date
    publication_date: Date | None = None
    title: Text | None = None
    """The notice's title; many published notices print none in the body."""
    opening: Text
    sections: list[Section]
    categories: list[Category]
    closing: Text | None = None
    signature: Text | None = None
    contact: Contact = Contact()
    milestones: Milestones = Milestones()
    measures_label: Text = "主要做法和成效"
    """Default label of a response's measures; a response may override it."""
    unplaced: list[Text] = []
    """Text of an imported notice that ``rectify import`` could not place, kept verbatim; never printed."""


class MeasureParagraph(Record):
    """A measures paragraph: optional lead text, numbered items （1）（2）…, closing text."""

    intro: Text | None = None
    items: list[Text] = []
    outro: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> MeasureParagraph:
        if self.intro is None and not self.items and self.outro is None:
            raise ValueError(N_("a measures paragraph needs intro, items or outro"))
        return self


def _measure_kind(value: object) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict | MeasureParagraph):
        return "paragraph"
    return None


MeasureItem = Annotated[
    Annotated[Text, Tag("text")] | Annotated[MeasureParagraph, Tag("paragraph")],
    Discriminator(_measure_kind),
]
"""A measures paragraph: plain text, or intro/items/outro."""


class Status(Record):
    """Canonical state(s) and the exact wording the unit published."""

    states: list[State] = Field(min_length=1)
    label: Text

    @property
    def combined(self) -> bool:
        return len(self.states) > 1

    @property
    def least(self) -> State:
        """The least advanced state: what a combined status counts as."""
        if len(self.states) == 1:
            return self.states[0]
        order = list(State)
        return max(self.states, key=order.index)


class Point(Record):
    """A point of a problem, printed 一是…, 二是…; its number is its position."""

    title: Text | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Point:
        if self.title is None and self.text is None:
            raise ValueError(N_("a point needs a title or a text"))
        return self


class Tracking(Record):
    """Internal tracking fields: never printed by the default notice templates."""

    leader: Text | None = None
    department: Text | None = None
    person: Text | None = None
    reviewer: Text | None = None
    deadline: Date | None = None
    completed_on: Date | None = None
    next_review: Date | None = None
    evidence: list[Text] = []
    notes: Text | None = None


class Part(Tracking):
    """Some points of a response in a state of their own (for a combined status).

    Tracking fields left out are taken from the response.
    """

    points: list[Number] = Field(min_length=1)
    state: State


class Response(Tracking):
    """What was done about some points of a problem (or the whole problem)."""

    covers: list[Number] | None = None
    """1-based point numbers; omitted means the whole problem."""
    status: Status
    measures_label: Text | None = None
    measures: list[MeasureItem] = []
    parts: list[Part] = []
    """Which covered points are in which state, when the status is combined."""


class Finding(Record):
    """One feedback problem (反馈问题), kept in its own file."""

    id: Ident
    category: Ident
    order: Number
    """Position within the category; the printed number 1.–N. is derived."""
    title: Text
    description: Text | None = None
    points: list[Point] = []
    points_inline: StrictBool | None = None
    """Print the first points in the title's paragraph; default: when one response covers all."""
    responses: list[Response] = []
    """None yet: a draft (RK270), counted as not started; the notice is rendered only with ``--draft``."""
    unplaced: list[Text] = []
    """Text of an imported notice that ``rectify import`` could not place, kept verbatim; never printed."""
