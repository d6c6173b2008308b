"""`rectify render`: the notice from the records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import AsOfOption, RootOption, app, file_set_warnings, guard, load, quiet_echo, today
from rectifykit.i18n import _
from rectifykit.notice.plan import INTERNAL as INTERNAL_DOCUMENTS
from rectifykit.notice.plan import KINDS as DOCUMENTS
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK


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
    from rectifykit import diagnostics, fsio
    from rectifykit.load.project import FINDINGS
    from rectifykit.notice import render as rendering
    from rectifykit.reports import diagnostics as report

    if output is not None and check is not None:
        raise typer.BadParameter(_("use either --output or --check"), param_hint="--check")
    if reference is not None and fmt is not RenderFormat.docx:
        raise typer.BadParameter(_("--reference goes with --format docx"), param_hint="--reference")
    if draft and (fmt is RenderFormat.docx or template in DOCUMENTS):
        raise typer.BadParameter(_("--draft previews the notice as md or html"), param_hint="--draft")
    if output == Path("-") and fmt is not RenderFormat.docx:  # text to standard output; a .docx keeps its "-"
        output = None
    day = today(as_of)
    project = load(root, fmt=fmt.value)
    if project.errors:
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    if not project.findings:  # an empty notice would be published without a word
        nothing = [diagnostics.make("RK022", FINDINGS.as_posix(), 1, 1)]  # in place of the warning RK021
        typer.echo("\n".join(report.text_lines(nothing, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    file_set_warnings(project)
    if draft and check is not None:  # a draft is never the published notice
        typer.echo(_("{file}: a draft never matches the published notice; render without --draft to check it")
                   .format(file=check), err=True)
        raise typer.Exit(EXIT_INVALID)
    from rectifykit.notice import draft as drafts

    gaps = [] if draft else [d for d in drafts.missing(project) if not (d.code == "RK272" and as_of is not None)]
    if gaps and template not in DOCUMENTS:
        typer.echo("\n".join(report.text_lines(gaps, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    kind = template if template in DOCUMENTS else None
    if kind in INTERNAL_DOCUMENTS:
        typer.echo(_("note: the report prints internal fields (owners, evidence, notes): for the inspection office, "
                     "never for publication"), err=True)
    if fmt is RenderFormat.docx:
        from rectifykit.cli import lazy

        lazy.read(app, "office")  # read as `rectify ledger` reads it: its commands' texts untranslated
        from rectifykit.cli.office import render_docx

        return render_docx(project, output=output, check=check, template=template, day=day, reference=reference)
    if kind is not None:
        from rectifykit.notice import plan

        text = plan.render(project, kind, fmt=fmt.value, as_of=day)
    else:
        text = rendering.render(project, fmt=fmt.value, template=template, as_of=as_of if draft else day, draft=draft)
    if check is not None:
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
