"""`rectify import`: a published rectification notice (text, markdown, web page, .docx) to records.

The pipeline: ``reading`` (file → numbered lines) → ``script`` (Traditional
characters to Simplified, with OpenCC) → ``editorial`` (the copier's marks
such as [...gap...] set aside) → ``frame`` (page chrome,
title, header line, closing, signature, date) → ``header`` (the header
sentence's values) → ``structure`` (``tokens`` → sections; ``findings``:
categories, problems, points, responses, as ``drafts``) → ``assemble``
(records as plain data, placeholders checked by resolving them; ``values``,
``counts``, ``wording``) → ``writing`` (YAML through rectifykit.yamlio,
atomic files) and ``report``.
Nothing is lost: text that has no place is kept under ``unplaced``, page
chrome is listed in the report, and every decision a user should check is a
diagnostic (RK300–RK329) at its line of the notice.

A text of the genre — one that names an inspection (巡察, 巡视) and its
rectification (整改) — is never refused for what it lacks: without a header
sentence or numbered problems it is imported with warnings. Finding no problem
at all is an error (RK320, exit 1), after the records are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic, InvalidInput
from rectifykit.i18n import _
from rectifykit.importer import editorial, frame, header, reading, script, structure, writing
from rectifykit.importer.assemble import Assembled, Assembler
from rectifykit.importer.notes import Note
from rectifykit.importer.reading import ReadError

LOOKED_FOR = " / ".join(("1.", "1、", "（一）", "问题1：", "反馈问题一：", "整改情况：", "完成情况：", "整改措施：",
                         "主要做法和成效："))
"""What the importer looks for to find problems (named when it finds none)."""

__all__ = ["ImportResult", "NotANotice", "ReadError", "import_notice"]


class NotANotice(InvalidInput):
    """The input is text, but not a rectification notice (exit 1)."""


@dataclass
class ImportResult:
    """Everything an import found: the records as YAML text, and what the report lists."""

    source: str
    assembled: Assembled
    frame: frame.Frame
    diagnostics: list[Diagnostic]
    files: dict[str, str]
    """Relative path → YAML text."""

    @property
    def problems(self) -> int:
        return len(self.assembled.findings)

    @property
    def categories(self) -> int:
        return len(self.assembled.inspection.data.get("categories", []))

    @property
    def responses(self) -> int:
        return sum(len(r.data.get("responses", [])) for r in self.assembled.findings)

    def coded(self, *codes: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.code in codes]


def import_notice(path: Path, *, display: str | None = None) -> ImportResult:
    """Read and take apart the notice at ``path``; ReadError or NotANotice when it cannot be one."""
    name = display or str(path)
    lines = reading.read_notice(path)
    if not lines:
        raise NotANotice(_("{file} is empty").format(file=name))
    converted = script.to_simplified(lines, file=name)
    if converted is not None:
        lines = converted.lines
    lines, marks = editorial.strip(lines)
    if not lines:
        raise NotANotice(_("{file} is empty").format(file=name))
    framed = frame.split(lines)
    framed.editorial = marks
    dated = framed.date or framed.page_date
    head = (header.parse(framed.header_line.number, framed.header_line.text, year=dated.year if dated else None)
            if framed.header_line else None)
    body = structure.parse(framed.body)
    has_problems = any(c.problems for s in body.sections for c in (s.categories or []))
    if head is None and not has_problems and not of_the_genre(lines):
        raise NotANotice(
            _(
                "{file} does not look like a rectification notice: it has no header sentence "
                "(……巡察组对……进行了巡察), no numbered feedback problems, and does not speak of "
                "an inspection (巡察, 巡视) and its rectification (整改)"
            ).format(file=name)
        )
    assembled = Assembler(framed, head, body, source=Path(name).name).run()
    notes = list(assembled.notes)
    if converted is not None and converted.changed:
        notes.append(Note(converted.changed[0], "RK316", {"lines": len(converted.changed)}))
    notes += [Note(m.number, "RK319", {"text": m.text}) for m in marks]
    notes += [Note(c.line, "RK301", {"reason": _(frame.REASONS[c.reason]), "text": c.text}) for c in framed.chrome]
    if head is None:
        notes.append(Note(lines[0].number, "RK314"))
    else:
        if head.feedback_year_inherited and head.feedback:
            notes.append(Note(head.line, "RK310", {"date": head.feedback.isoformat()}))
        notes += [Note(head.line, code, args) for code, args in head.guesses]
    notes += missing(assembled, framed, last_line=lines[-1].number)
    found = sorted({(n.line, n.code, tuple(sorted(map(str, n.args.items())))): n for n in notes}.values(),
                   key=lambda n: (n.line, n.code))
    diags = [diagnostics.make(n.code, name, n.line, 1, **n.args) for n in found]
    return ImportResult(name, assembled, framed, diags, writing.texts(assembled))


GENRE_WORDS = (re.compile(r"巡察|巡视"), re.compile(r"整改"))
"""The genre's words: a text that names an inspection and its rectification is imported, whatever it lacks."""


def of_the_genre(lines: list[reading.Line]) -> bool:
    text = "".join(line.text for line in lines)
    return all(word.search(text) for word in GENRE_WORDS)


def missing(assembled: Assembled, framed: frame.Frame, *, last_line: int) -> list[Note]:
    """The parts of the genre the notice lacks (a truncated or partial notice)."""
    data = assembled.inspection.data
    parts = [
        ("period", _("inspection period")), ("feedback_date", _("feedback date")), ("team", _("inspecting team")),
        ("unit", _("inspected unit")), ("closing", _("closing")), ("signature", _("signature")),
    ]
    notes = [Note(last_line, "RK305", {"part": label}) for key, label in parts if key not in data]
    if framed.date is None and framed.page_date is None:
        notes.append(Note(last_line, "RK305", {"part": _("publication date")}))
    elif framed.date is None and framed.page_date is not None:
        text = next((c.text for c in framed.chrome if c.line == framed.page_date_line), "")
        notes.append(Note(framed.page_date_line or 1, "RK311", {"date": framed.page_date.isoformat(), "text": text}))
    if not assembled.findings:
        notes.append(Note(last_line, "RK320", {"forms": LOOKED_FOR}))
    return notes
