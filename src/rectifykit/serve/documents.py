"""The documents a page offers for download (by a fixed name, never a path) and an item's history from git."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import Response

from rectifykit.diagnostics import MissingExtra, Refusal
from rectifykit.i18n import _
from rectifykit.serve.workspace import View

NAMES = ("notice.md", "notice.html", "notice.docx", "ledger.xlsx", "plan.md", "plan.docx", "report.md",
         "report.docx")
"""What can be downloaded: the notice, the ledger, the plan and the report (docx and xlsx need the office extra)."""
TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class NotFound(Exception):
    """A unit, problem, item or download that does not exist (404): never looked up as a path."""


def build(view: View, name: str, *, today: Any) -> bytes:
    """The document ``name`` (one of :data:`NAMES`) from the view's records; Refusal when it cannot be made."""
    from rectifykit.notice import plan, render

    project = view.project
    if project.errors or project.inspection is None:
        raise Refusal(_("the records have errors; fix them first (rectify validate)"))
    inspection, findings = project.inspection.record, [f.record for f in project.findings]
    kind, _dot, fmt = name.partition(".")
    if kind == "notice" and fmt in ("md", "html"):
        return render.render(project, fmt=fmt, as_of=today).encode("utf-8")
    if kind in plan.KINDS and fmt == "md":
        return plan.render(project, kind, fmt="md", as_of=today).encode("utf-8")
    try:
        if kind == "ledger":
            from rectifykit.reports import ledger

            return ledger.ledger(inspection, findings, as_of=today)
        if kind == "notice":
            from rectifykit.notice import docx

            return docx.notice_docx(inspection, findings, as_of=today)
        from rectifykit.notice import docx_documents

        build_context = plan.report_context if kind == "report" else plan.plan_context
        return docx_documents.document_docx(build_context(inspection, findings, as_of=today))
    except ImportError:
        raise MissingExtra("python-docx / openpyxl") from None


def download(view: View, name: str, *, today: Any, inline: bool = False) -> Response:
    """The response for ``/download/NAME``: 404 for a name not in the table, 409 with the reason."""
    if name not in NAMES:

        raise NotFound(name)
    try:
        data = build(view, name, today=today)
    except Refusal as exc:
        return Response(str(exc), status_code=409, media_type="text/plain; charset=utf-8")
    fmt = name.rpartition(".")[2]
    headers = {"Content-Security-Policy": "sandbox"}  # a project template's HTML runs nothing here
    if not inline:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(data, media_type=TYPES[fmt], headers=headers)


def history(root: Path, pid: str) -> list[dict[str, str]] | None:
    """The problem's items' history from git (as ``rectify log``), newest last; None outside a repository."""
    from rectifykit.reports.history import describe
    from rectifykit.track import history as git

    try:
        result = git.item_log(git.Repo(root), only=pid)
    except git.GitError:
        return None
    rows = []
    for e in result.events:
        rows.append({"item": e.ref.item, "what": describe(e), "date": e.commit.authored.strftime("%Y-%m-%d %H:%M"),
                     "author": e.commit.author, "commit": e.commit.short})
    return rows
