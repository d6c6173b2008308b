"""The body of a notice: its sections, and the one that lists the problems (read by ``findings``).

Lines become tokens (``tokens``). A 一、 heading opens a section only when it
continues the sequence (a 一、 inside section 四's measures is text, not a new
section). A section with statuses or measures, or with numbered problems under
a heading of problems, lists the problems; the others are narrative: （一）
paragraphs in sequence are titled, everything else is kept verbatim. Text
between the header and the first section joins the opening."""

from __future__ import annotations

from itertools import pairwise

from rectifykit.i18n import _
from rectifykit.importer import wording
from rectifykit.importer.drafts import (
    GENERATED_SECTION,
    Body,
    Category,
    Paragraph,
    Point,
    Problem,
    Response,
    Section,
)
from rectifykit.importer.findings import Findings
from rectifykit.importer.notes import Note
from rectifykit.importer.reading import Line
from rectifykit.importer.text import first_sentence
from rectifykit.importer.tokens import CATEGORY_TITLE, PROBLEM_TITLE, SECTION_FINDINGS, Token, tokenize

__all__ = [
    "GENERATED_SECTION", "Body", "Category", "Paragraph", "Point", "Problem", "Response", "Section",
    "narrative", "parse",
]


# --- sections ----------------------------------------------------------------


def parse(lines: list[Line]) -> Body:
    """The body's sections, paragraphs and problems (see the module docstring)."""
    tokens = [tokenize(line) for line in lines]
    body = Body()
    blocks: list[tuple[Token | None, list[Token]]] = [(None, [])]
    expected = 1
    for token in tokens:
        first = len(blocks) == 1 and all(t.kind == "TEXT" for t in blocks[0][1])
        if token.kind == "SEC" and (token.number == expected or first):
            if token.number != expected:  # a copy that starts at section 二: numbered from 一 when rendered
                body.notes.append(Note(token.line, "RK309", {"what": _("section"), "typed": token.number,
                                                             "printed": expected}))
            blocks.append((token, []))
            expected = (token.number or 0) + 1
        else:
            blocks[-1][1].append(token)
    _head, pre = blocks[0]
    if _holds_findings(None, pre):
        start = next(i for i, t in enumerate(pre) if t.kind in ("CAT", "NUM", "PNUM", "STATUS", "MEASURES"))
        body.preamble = [Line(t.line, t.raw) for t in pre[:start]]
        section = Section(None, None, GENERATED_SECTION, generated=True, categories=[])
        body.sections.append(section)
        Findings(body, section).run(pre[start:])
    else:
        body.preamble = [Line(t.line, t.raw) for t in pre]
    grouped: Section | None = None
    for sec, block in blocks[1:]:
        assert sec is not None
        holds = _holds_findings(sec, block)
        if holds and CATEGORY_TITLE.search(sec.text):
            if grouped is None:
                grouped = body.findings or Section(sec.line, None, GENERATED_SECTION, generated=True, categories=[])
                if grouped not in body.sections:
                    body.sections.append(grouped)
            category = Category(sec.line, sec.number, sec.text)
            assert grouped.categories is not None
            grouped.categories.append(category)
            Findings(body, grouped, fixed=category).run(block)
            continue
        section = Section(sec.line, sec.number, sec.text or sec.raw)
        body.sections.append(section)
        if holds:
            target = body.findings
            if target is None:
                section.categories = []
                Findings(body, section).run(block)
            else:
                body.notes.append(Note(sec.line, "RK308", {"title": sec.text}))
                Findings(body, target, paragraphs=section).run(block)
        else:
            section.paragraphs = narrative(block)
    return body


def _holds_findings(sec: Token | None, block: list[Token]) -> bool:
    """Statuses or measures; or numbered problems under a heading of problems or with the genre's wording."""
    kinds = {t.kind for t in block}
    if "STATUS" in kinds or "MEASURES" in kinds:
        return True
    heading = bool(sec and SECTION_FINDINGS.search(sec.text))
    answered = any(  # a numbered line, and a status without a label on the next (已完成。修订制度。)
        a.kind in ("NUM", "CAT") and b.kind == "TEXT" and wording.status_line(b.raw) for a, b in pairwise(block)
    )
    if "NUM" not in kinds:  # problems numbered （一）关于“…”问题 under a heading of problems
        return answered or (heading and any(t.kind == "CAT" and PROBLEM_TITLE.search(t.text) for t in block))
    return heading or answered or any(
        (t.kind == "CAT" and CATEGORY_TITLE.search(t.text))
        or (t.kind == "NUM" and (PROBLEM_TITLE.search(t.text) or t.style == "问题1:"))
        for t in block
    )


def narrative(tokens: list[Token]) -> list[Paragraph]:
    """Paragraphs of a narrative section: （一） lines in sequence are titled, everything else verbatim."""
    paragraphs = []
    expected = 1
    for token in tokens:
        if token.kind == "CAT" and token.number == expected and token.text:
            title, rest = first_sentence(token.text)
            paragraphs.append(Paragraph(token.line, title, rest))
            expected += 1
        else:
            paragraphs.append(Paragraph(token.line, None, token.raw))
    return paragraphs
