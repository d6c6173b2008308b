"""`rectify render`: the notice from the records."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rectifykit.cli.base import (
    AsOfOption,
    Printed,
    RootOption,
    app,
    file_set_lines,
    guard,
    load,
    quiet_echo,
    remember,
    result_slot,
    today,
)
from rectifykit.i18n import _
from rectifykit.notice.plan import INTERNAL as INTERNAL_DOCUMENTS
from rectifykit.notice.plan import KINDS as DOCUMENTS
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    from rectifykit.load.project import Project


class RenderFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


@app.command(help=_("Render the notice from the records through Jinja templates."))
@guard
def render(
    root: RootOption = Path("."),
    fmt: Annotated[
        RenderFormat, typer.Option("--format", help=_("Output format: md, html or docx."))
    ] = RenderFormat.md,
    template: Annotated[
        str | None,
        typer.Option("--template", help=_("Template name (default notice.FORMAT.j2; plan: the rectification plan, "
                                          "report: the report to the inspection office); templates/ first.")),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write the notice to FILE atomically."), dir_okay=False)
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help=_("Exit 1 with a diff when FILE differs from the records."), dir_okay=False),
    ] = None,
    reference: Annotated[
        Path | None,
        typer.Option("--reference", help=_("With --format docx: take styles, page set-up and header/footer from "
                                           "FILE.docx (default templates/notice.docx when present)."),
                     dir_okay=False),
    ] = None,
    as_of: AsOfOption = None,
    draft: Annotated[
        bool,
        typer.Option("--draft", help=_("Render incomplete records too, with visible 【待补充：…】 markers and a "
                                       "草稿 mark (never for publication; never passes --check).")),
    ] = False,
) -> None:
    """Render the notice from the records through Jinja templates."""
    from rectifykit import fsio

    if output is not None and check is not None:
        raise typer.BadParameter(_("use either --output or --check"), param_hint="--check")
    if reference is not None and fmt is not RenderFormat.docx:
        raise typer.BadParameter(_("--reference goes with --format docx"), param_hint="--reference")
    if draft and (fmt is RenderFormat.docx or template in DOCUMENTS):
        raise typer.BadParameter(_("--draft previews the notice as md or html"), param_hint="--draft")
    if output == Path("-") and fmt is not RenderFormat.docx:  # text to standard output; a .docx keeps its "-"
        output = None
    day = today(as_of)
    slot = None
    if fmt is not RenderFormat.docx:
        slot = result_slot(root, "render", templates=True, fmt=fmt.value, template=template, as_of=as_of, day=day,
                           draft=draft, check=check)
    printed = Printed.of(slot.get()) if slot is not None else None
    if printed is None:
        from rectifykit.notice import context

        project = load(root, fmt=fmt.value, keep=context.keeper(records=draft or template in DOCUMENTS))
        printed = _before(project, template=template, draft=draft, check=check, as_of=as_of)
        if fmt is RenderFormat.docx:
            printed.emit()
            if printed.code is not None:
                raise typer.Exit(printed.code)
            from rectifykit.cli import lazy

            lazy.read(app, "office")  # read as `rectify ledger` reads it: its commands' texts untranslated
            from rectifykit.cli.office import render_docx

            return render_docx(project, output=output, check=check, template=template, day=day, reference=reference)
        if printed.code is None:
            printed.out = _text(project, fmt=fmt, template=template, day=day, as_of=as_of, draft=draft)
        remember(slot, printed.value(), project)
    if printed.code is not None:
        printed.emit()
        raise typer.Exit(printed.code)
    for line in printed.err:
        typer.echo(line, err=True)
    text = printed.out
    if check is not None:
        from rectifykit.notice import render as rendering

        diff = rendering.drift(fsio.read_text(check), text, name=str(check))
        if diff:
            typer.echo(diff, nl=False)
            message = _("{file} does not match the records; render it again with -o {file}")
            typer.echo(message.format(file=check), err=True)
        raise typer.Exit(EXIT_INVALID if diff else EXIT_OK)
    if output is not None:
        fsio.write_atomic(output, text)
        quiet_echo(_("wrote {file}").format(file=output))
    else:
        typer.echo(text, nl=False)


def _before(project: Project, *, template: str | None, draft: bool, check: Path | None,
            as_of: dt.date | None) -> Printed:
    """What render says on stderr before the document, and the exit code when it stops there."""
    from rectifykit import diagnostics
    from rectifykit.load.project import FINDINGS
    from rectifykit.notice import draft as drafts
    from rectifykit.reports import diagnostics as report

    if project.errors:
        return Printed(err=["\n".join(report.text_lines(project.diagnostics, project.files))], code=EXIT_INVALID)
    if not project.problems:  # an empty notice would be published without a word
        nothing = [diagnostics.make("RK022", FINDINGS.as_posix(), 1, 1)]  # in place of the warning RK021
        return Printed(err=["\n".join(report.text_lines(nothing, project.files))], code=EXIT_INVALID)
    printed = Printed(err=file_set_lines(project.diagnostics))
    if draft and check is not None:  # a draft is never the published notice
        printed.err.append(_("{file}: a draft never matches the published notice; render without --draft to check it")
                           .format(file=check))
        printed.code = EXIT_INVALID
        return printed
    gaps = [] if draft else [d for d in drafts.missing(project) if not (d.code == "RK272" and as_of is not None)]
    if gaps and template not in DOCUMENTS:
        printed.err.append("\n".join(report.text_lines(gaps, project.files)))
        printed.code = EXIT_INVALID
    elif template in INTERNAL_DOCUMENTS:
        printed.err.append(_("note: the report prints internal fields (owners, evidence, notes): for the inspection "
                             "office, never for publication"))
    return printed


def _text(project: Project, *, fmt: RenderFormat, template: str | None, day: dt.date, as_of: dt.date | None,
          draft: bool) -> str:
    """The md or html document."""
    from rectifykit.notice import render as rendering

    if template in DOCUMENTS:
        from rectifykit.notice import plan

        return plan.render(project, template, fmt=fmt.value, as_of=day)
    return rendering.render(project, fmt=fmt.value, template=template, as_of=as_of if draft else day, draft=draft)
