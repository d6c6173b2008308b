"""Drafts: what a notice still lacks, and the records filled in with visible 【待补充：…】 markers.

In the first weeks after the feedback a problem has no responses yet, or only a response not started
and without measures (what ``rectify new`` writes), and the publication date is unknown. ``render``
names what is missing (RK271, RK272) and refuses; ``render --draft`` prints the notice with a marker in
each gap and a 草稿 mark at the top, so that nobody mistakes it for the notice to publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.load.project import INSPECTION
from rectifykit.model.records import Finding, Response, State, Status
from rectifykit.model.wording import STATE_LABEL

if TYPE_CHECKING:
    from rectifykit.load.project import Project
    from rectifykit.load.records import Loaded

MEASURES = "【待补充：整改措施】"
PUBLICATION_DATE = "【待补充：公布日期】"
MARK = "【草稿】本稿含待补充的内容，仅供内部核对，不得公布。"


def incomplete(finding: Finding) -> bool:
    """No responses yet, or a response not started that says nothing of what will be done."""
    return not finding.responses or any(
        r.status.least is State.not_started and not r.measures for r in finding.responses
    )


def gaps(item: Loaded[Finding]) -> list[Diagnostic]:
    """RK271 when the problem of this file is incomplete (where its responses, or its title, stand)."""
    record = item.record
    if not incomplete(record):
        return []
    place = item.located.key_at(("responses",)) if record.responses else item.located.key_at(("title",))
    return [diagnostics.make("RK271", item.path, *place, id=record.id)]


def missing(project: Project) -> list[Diagnostic]:
    """What keeps the notice from being rendered for publication: RK271 per incomplete problem (found where
    each file was read when the project was loaded with :func:`rectifykit.notice.context.keeper`), RK272
    without a publication date; sorted."""
    if project.kept is None:
        out = [gap for item in project.findings for gap in gaps(item)]
    else:
        out = [d for d in project.noted if d.code == "RK271"]
    if project.inspection is not None and project.inspection.record.publication_date is None:
        out.append(diagnostics.make("RK272", INSPECTION.as_posix(), 1, 1))
    return sorted(out)


def fill(findings: Sequence[Finding]) -> list[Finding]:
    """The findings with a marker wherever the notice would print a gap."""
    label = STATE_LABEL[State.not_started]
    placeholder = Response(status=Status(states=[State.not_started], label=label), measures=[MEASURES])
    out = []
    for finding in findings:
        if not finding.responses:
            finding = finding.model_copy(update={"responses": [placeholder]})
        elif incomplete(finding):
            responses = [
                r.model_copy(update={"measures": [MEASURES]})
                if r.status.least is State.not_started and not r.measures else r
                for r in finding.responses
            ]
            finding = finding.model_copy(update={"responses": responses})
        out.append(finding)
    return out


def marked(text: str, fmt: str) -> str:
    """The rendered draft with the 草稿 mark on top (in the page's body for HTML)."""
    if fmt == "html":
        head, sep, rest = text.partition("<body>")
        if sep:
            return f'{head}<body>\n<p class="draft"><strong>{MARK}</strong></p>{rest}'
        return f'<p class="draft"><strong>{MARK}</strong></p>\n{text}'
    return f"**{MARK}**\n\n{text}"
