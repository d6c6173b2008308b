"""Editorial marks of whoever copied the notice: [...gap...], [...], […], 【…略…】, 〔略〕.

They say where text was cut; they are not the notice's text. ``strip`` takes
them out of the lines (a line that is only a mark is dropped, a mark inside a
line is cut out and the text joins around it) and returns them with their
line numbers: the import report lists each (RK319) and the inspection keeps
them under ``unplaced`` (never printed), so nothing of the file is lost and
no mark reaches public text. Round brackets are left alone: a notice itself
prints （略） where it leaves out a list, and that is its text.
"""

from __future__ import annotations

import re

from rectifykit.importer.reading import Line

_BRACKETED = re.compile(r"[\[【〔［]\s*([^\[\]【】〔〕［］]{1,24}?)\s*[\]】〕］]")
_INNER = re.compile(
    r"^[.…·。\s-]*(?:略|省略|中略|下略|以下略|此处略|原文略|节选|删节|gap|omitted|snip|cut)?[.…·。\s-]*$", re.I
)
_ELLIPSIS = re.compile(r"\.{3}|…|略|gap|omitted|snip", re.I)


def is_mark(inner: str) -> bool:
    """The text inside brackets is an editorial mark: dots or an ellipsis, perhaps with 略 or gap."""
    return bool(_INNER.match(inner) and _ELLIPSIS.search(inner))


def strip(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The lines without editorial marks, and the marks found (each with the number of its line)."""
    kept: list[Line] = []
    marks: list[Line] = []
    for line in lines:
        found = [m for m in _BRACKETED.finditer(line.text) if is_mark(m.group(1))]
        if not found:
            kept.append(line)
            continue
        marks += [Line(line.number, m.group(0)) for m in found]
        text = line.text
        for match in reversed(found):
            text = text[: match.start()] + text[match.end() :]
        if text.strip():
            kept.append(Line(line.number, text.strip()))
    return kept, marks
