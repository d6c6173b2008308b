"""From the parts read to records: the inspection and one finding per problem, as plain data.

Values found in the header sentence and the closing become placeholders
({period}, {team}, {phone} …) exactly where they stood, and counts that agree
with the records become computed placeholders; each replacement is kept only
when resolving it gives back the text as printed. What the notice does not
say is left out, never invented: ``rectify validate`` then names it. Where
the records need a heading the notice does not print, one is added and
flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from rectifykit import yamlio
from rectifykit.i18n import _
from rectifykit.importer import counts, header, structure, wording
from rectifykit.importer.frame import ORGANISATION, Frame
from rectifykit.importer.notes import Note
from rectifykit.importer.text import joined
from rectifykit.importer.values import parse_day, split_measure
from rectifykit.model import dates, placeholders
from rectifykit.model import items as tally
from rectifykit.model.records import Finding

Path_ = tuple[str | int, ...]
PHONE = re.compile(r"(?:联系电话|监督电话|举报电话|电话)\s*[:：]?\s*(?P<v>\(?\d[\d\-－—() ]{5,18}\d)")
EMAIL = re.compile(r"(?P<v>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


@dataclass
class Record:
    """One file to write: its path in the project, its data, and the comments that flag what to check."""

    path: str
    data: dict[str, Any]
    header: str
    comments: dict[Path_, str] = field(default_factory=dict)
    flow: set[Path_] = field(default_factory=set)


@dataclass
class Assembled:
    inspection: Record
    findings: list[Record]
    notes: list[Note]
    models: list[Finding] | None
    """The findings as models, when every one is valid (for counting)."""


class Assembler:
    """Builds the records from the frame, the header and the body (see the module docstring)."""

    def __init__(self, frame: Frame, head: header.Header | None, body: structure.Body, *, source: str) -> None:
        self.frame, self.head, self.body, self.source = frame, head, body, source
        self.notes: list[Note] = list(body.notes)

    def run(self) -> Assembled:
        findings_section = self.body.findings
        categories = findings_section.categories if findings_section and findings_section.categories else []
        self.keys = {id(c): f"category-{i}" for i, c in enumerate(categories, 1)}
        problems = [(c, p) for c in categories for p in c.problems]
        width = max(2, len(str(len(problems))))
        measures_labels = Counter(
            r.measures_label for _c, p in problems for r in p.responses if r.measures_label
        )
        self.measures_label = measures_labels.most_common(1)[0][0] if measures_labels else None
        findings = []
        positions: Counter[int] = Counter()
        for number, (category, problem) in enumerate(problems, 1):
            positions[id(category)] += 1
            findings.append(self.finding(category, problem, number, positions[id(category)], width))
        models = self.models(findings)
        inspection = self.inspection(categories, findings_section, problems, models)
        return Assembled(inspection, findings, sorted(self.notes, key=lambda n: n.line), models)

    # -- findings

    def finding(self, category: structure.Category, problem: structure.Problem, number: int, order: int,
                width: int) -> Record:
        ident = f"problem-{number:0{width}d}"
        record = Record(
            f"data/findings/{ident}.yaml", {},
            _("Problem {number} of the notice (line {line} of {source}), imported by rectify import.").format(
                number=number, line=problem.line, source=self.source
            ),
        )
        data = record.data
        data.update(id=ident, category=self.keys[id(category)], order=order)
        if problem.number is not None and problem.number != number:
            self.notes.append(Note(problem.line, "RK309", {"what": _("problem"), "typed": problem.number,
                                                            "printed": number}))
        if problem.title:
            data["title"] = problem.title
        if problem.description:
            data["description"] = problem.description
        points = sorted(problem.points, key=lambda p: p.number)
        position = {p.number: i for i, p in enumerate(points, 1)}
        if points:
            data["points"] = [{k: v for k, v in (("title", p.title), ("text", p.text)) if v} for p in points]
            for p in points:
                if p.number != position[p.number]:
                    self.notes.append(Note(p.line, "RK309", {"what": _("point"), "typed": p.number,
                                                              "printed": position[p.number]}))
        responses = [self.response(record, problem, r, i, position) for i, r in enumerate(problem.responses)]
        whole = len(problem.responses) == 1 and sorted(problem.responses[0].points) == sorted(position)
        if whole and responses:
            responses[0].pop("covers", None)
        default_inline = not points or whole
        if points and problem.inline_first != default_inline:
            data["points_inline"] = problem.inline_first
        if responses:
            data["responses"] = responses
        else:
            self.notes.append(Note(problem.line, "RK305", {"part": _("response to problem {n}").format(n=number)}))
        if problem.unplaced:
            data["unplaced"] = [line.text for line in problem.unplaced]
            for i, line in enumerate(problem.unplaced):
                record.comments[("unplaced", i)] = _("line {line}").format(line=line.number)
        return record

    def response(self, record: Record, problem: structure.Problem, response: structure.Response, index: int,
                 position: dict[int, int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        where: Path_ = ("responses", index)
        if response.points:
            out["covers"] = sorted(position[n] for n in response.points)
            record.flow.add((*where, "covers"))
        if response.label is None:
            self.notes.append(Note(response.line, "RK304"))
        else:
            reading = wording.read_status(response.label)
            status: dict[str, Any] = {}
            line = response.label_line or response.line
            states = ", ".join(s.value for s in reading.states)
            if reading.certainty == "unclear":
                self.notes.append(Note(line, "RK303", {"label": response.label}))
                record.comments[(*where, "status")] = _("states not read from the wording: add them")
            else:
                status["states"] = [s.value for s in reading.states]
                record.flow.add((*where, "status", "states"))
                if reading.certainty == "inferred":
                    self.notes.append(Note(line, "RK302", {"label": response.label, "state": states}))
                    record.comments[(*where, "status")] = _("states inferred from the wording: check")
                elif reading.certainty == "ambiguous":
                    self.notes.append(Note(line, "RK312", {"label": response.label, "state": states}))
                    record.comments[(*where, "status")] = _("counted open: check")
            status["label"] = response.label
            out["status"] = status
        if response.measures_label and response.measures_label != self.measures_label:
            out["measures_label"] = response.measures_label
        if response.measures:
            out["measures"] = [split_measure(m) for m in response.measures]
        out.update(self.tracking(response))
        if response.label is None and out:
            comment = _("no status in the notice (line {line}): add status").format(line=response.line)
            record.comments[(*where, next(iter(out)))] = comment
        return out

    @staticmethod
    def tracking(response: structure.Response) -> dict[str, Any]:
        """Owners and dates as fields; the lines as printed stay in 'notes' (internal, never printed)."""
        out: dict[str, Any] = {}
        for name in ("leader", "department", "person"):
            if value := response.tracking.get(name):
                out[name] = value
        for name in ("deadline", "completed_on"):
            if (value := response.tracking.get(name)) and (day := parse_day(value)) is not None:
                out[name] = day
        if response.tracking_lines:
            out["notes"] = "\n".join(response.tracking_lines)
        return out

    @staticmethod
    def models(findings: list[Record]) -> list[Finding] | None:
        try:
            return [Finding.model_validate(yamlio.plain(r.data)) for r in findings]
        except ValidationError:
            return None

    # -- the inspection

    def values(self) -> dict[str, Any]:
        """The inspection's values read from the frame and the header sentence."""
        head, frame = self.head, self.frame
        title_unit = None
        if frame.title and (cut := frame.title.find("关于")) > 0:
            title_unit = frame.title[:cut].strip() or None
        candidates = [
            frame.signature.text if frame.signature and ORGANISATION.search(frame.signature.text) else None,
            title_unit,
            head.recipient if head and head.recipient and ORGANISATION.search(head.recipient) else None,
            head.target if head else None,
        ]
        unit = next((c for c in candidates if c), None)
        target = head.target if head else None
        values: dict[str, Any] = {"unit": unit}
        values["unit_self"] = target if target and target != unit else None
        if head:
            values.update(authority=head.authority, team=head.team,
                          round=head.round or header.round_in(frame.title))
            if head.start and head.end:
                values["period"] = {"start": head.start, "end": head.end}
            values["feedback_date"] = head.feedback
        values["publication_date"] = frame.date or frame.page_date
        values["title"] = frame.title
        return values

    def inspection(self, categories: list[structure.Category], findings_section: structure.Section | None,
                   problems: list, models: list[Finding] | None) -> Record:
        values = self.values()
        record = Record(
            "data/inspection.yaml", {},
            _("The inspection and the narrative of the notice, imported by rectify import from {source}.").format(
                source=self.source
            ),
        )
        namespace = _namespace(values)
        counted = self.counted(categories, problems, models)

        def resolve(text: str) -> str:
            return placeholders.resolve(text, namespace, models or [])

        def with_counts(text: str, line: int) -> str:
            candidate, mismatches = counts.substitute(text, counted)
            for m in mismatches:
                self.notes.append(Note(line, "RK306", {"typed": m.typed, "what": m.what, "counted": m.counted}))
            return counts.checked(text, candidate, resolve if models is not None else None)

        data = record.data
        for key in ("unit", "unit_self", "authority", "team", "round", "period", "feedback_date",
                    "publication_date", "title"):
            if values.get(key):
                data[key] = values[key]
        if "period" in data:
            record.flow.add(("period",))
        opening = self.opening(values, resolve)
        preamble = [with_counts(line.text, line.number) for line in self.body.preamble]
        if text := joined(opening, *preamble):
            data["opening"] = text
        sections = []
        for s, section in enumerate(self.body.sections):
            item: dict[str, Any] = {"title": section.title}
            if section.generated:
                record.comments[("sections", s, "title")] = _("added: the notice prints no heading here")
                self.notes.append(Note(section.line or (self.frame.header_line.number if self.frame.header_line
                                                        else 1), "RK307",
                                       {"what": _("section heading"), "title": section.title}))
            paragraphs = []
            for paragraph in section.paragraphs:
                entry = {}
                if paragraph.title:
                    entry["title"] = paragraph.title
                if paragraph.text:
                    entry["text"] = with_counts(paragraph.text, paragraph.line)
                if entry:
                    paragraphs.append(entry)
            if paragraphs:
                item["paragraphs"] = paragraphs
            if section is findings_section:
                item["findings"] = True
            sections.append(item)
        if findings_section is None:  # no problems found (RK320): the records still need their section
            record.comments[("sections", len(sections), "title")] = _("added: the notice prints no heading here")
            self.notes.append(Note(self.body.sections[-1].line or 1 if self.body.sections else 1, "RK307",
                                   {"what": _("section heading"), "title": structure.GENERATED_SECTION}))
            sections.append({"title": structure.GENERATED_SECTION, "findings": True})
        data["sections"] = sections
        data["categories"] = []
        for i, category in enumerate(categories, 1):
            data["categories"].append({"key": self.keys[id(category)], "order": i, "title": category.title})
            record.flow.add(("categories", i - 1))
            if category.generated:
                record.comments[("categories", i - 1)] = _("added: the notice prints no category here")
                self.notes.append(Note(category.line or 1, "RK307",
                                       {"what": _("category"), "title": category.title}))
        self.closing(data, record, namespace, resolve)
        if self.measures_label:
            data["measures_label"] = self.measures_label
        unplaced = sorted([*self.frame.unplaced, *self.body.unplaced, *self.frame.editorial],
                          key=lambda line: line.number)
        for line in self.frame.unplaced:
            self.notes.append(Note(line.number, "RK300", {"text": line.text}))
        if unplaced:
            data["unplaced"] = [line.text for line in unplaced]
            for i, line in enumerate(unplaced):
                record.comments[("unplaced", i)] = _("line {line}").format(line=line.number)
        return record

    def opening(self, values: dict[str, Any], resolve: Callable[[str], str]) -> str | None:
        head = self.head
        if head is None:
            return None
        names = {"authority": "authority", "team": "team"}
        spans = []
        for start, end, kind in head.spans:
            text = head.text[start:end]
            name = None
            if kind == "period" and head.start and head.end and dates.cn_range(head.start, head.end) == text:
                name = "period"
            elif kind == "feedback_date" and head.feedback and dates.cn_date(head.feedback) == text:
                name = "feedback_date"
            elif kind in names and values.get(names[kind]) == text:
                name = names[kind]
            elif kind in ("target", "recipient", "who"):
                name = next((n for n in ("unit", "unit_self", "round", "team") if values.get(n) == text), None)
            if name:
                spans.append((start, end, f"{{{name}}}"))
        candidate = counts.replace_spans(head.text, spans)
        return candidate if resolve(candidate) == head.text else head.text

    def closing(self, data: dict[str, Any], record: Record, namespace: _Known, resolve: Callable[[str], str]) -> None:
        frame = self.frame
        text = joined(*(line.text for line in frame.closing))
        if text:
            contact = {}
            spans = []
            for name, pattern in (("phone", PHONE), ("email", EMAIL)):
                if match := pattern.search(text):
                    contact[name] = match["v"].strip()
                    spans.append((match.start("v"), match.end("v"), f"{{{name}}}"))
            namespace.contact = _Contact(contact.get("phone"), contact.get("email"))
            candidate = counts.replace_spans(text, spans)
            data["closing"] = candidate if resolve(candidate) == text else text
            if contact:
                data["contact"] = contact
                record.flow.add(("contact",))
        if frame.signature:
            data["signature"] = frame.signature.text

    @staticmethod
    def counted(categories: list[structure.Category], problems: list, models: list[Finding] | None
                ) -> counts.Counted:
        keys = [f"category-{i}" for i in range(1, len(categories) + 1)]
        totals = {"problems": str(len(problems))}
        if models is not None:
            summary = tally.summarise(models)
            if summary.items == summary.problems:
                totals.update(done=str(summary.done), open=str(summary.open),
                              completion_rate=tally.percent(summary.completion_rate))
        return counts.Counted(
            per_category={k: len(c.problems) for k, c in zip(keys, categories, strict=True)},
            titles={k: c.title for k, c in zip(keys, categories, strict=True) if not c.generated},
            totals=totals,
        )


@dataclass
class _Period:
    start: dt.date
    end: dt.date


@dataclass
class _Contact:
    phone: str | None = None
    email: str | None = None


@dataclass
class _Known:
    """The inspection's values read so far, as placeholders.resolve reads them (any may be missing)."""

    unit: str | None
    unit_self: str | None
    authority: str | None
    team: str | None
    round: str | None
    period: _Period | None
    feedback_date: dt.date | None
    publication_date: dt.date | None
    contact: _Contact = field(default_factory=_Contact)


def _namespace(values: dict[str, Any]) -> _Known:
    """The inspection's values in the shape placeholders.resolve reads, for checking replacements."""
    period = values.get("period")
    return _Known(
        unit=values.get("unit"), unit_self=values.get("unit_self"), authority=values.get("authority"),
        team=values.get("team"), round=values.get("round"),
        period=_Period(period["start"], period["end"]) if period else None,
        feedback_date=values.get("feedback_date"), publication_date=values.get("publication_date"),
    )


