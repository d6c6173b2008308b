"""`rectify status`: what is open, late or due for review."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import AsOfOption, RootOption, app, file_set_warnings, guard, load, today
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


class FailOn(StrEnum):
    overdue = "overdue"
    open = "open"
    never = "never"


@app.command(help=_("What is open, late or due for review, and who owns it."))
@guard
def status(
    root: RootOption = Path("."),
    as_of: AsOfOption = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", help=_("Output format."))] = StatusFormat.table,
    category: Annotated[
        str | None, typer.Option("--category", metavar="KEY", help=_("Only this category (its key)."))
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="TEXT", help=_("Only items whose owner contains TEXT."))
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help=_("Show every item, not only what needs attention."))
    ] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help=_("Exit 1 when an item is overdue / open."))
    ] = FailOn.never,
    soon: Annotated[int, typer.Option("--soon", min=0, help=_("Days before a deadline that count as due soon."))] = 20,
    urgent: Annotated[
        int, typer.Option("--urgent", min=0, help=_("Days before a deadline that count as urgent."))
    ] = 10,
) -> None:
    from rectifykit.reports import diagnostics as report
    from rectifykit.reports import status as statusview
    from rectifykit.track import status as tracking

    day = today(as_of)
    project = load(root, fmt=fmt.value, keep="records")
    if project.errors or project.inspection is None:
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    file_set_warnings(project)
    inspection = project.inspection.record
    if category is not None and category not in {c.key for c in inspection.categories}:
        known = ", ".join(c.key for c in inspection.categories)
        raise typer.BadParameter(_("unknown category; known: {known}").format(known=known), param_hint="--category")
    result = tracking.build(
        inspection,
        project.records,
        as_of=day,
        thresholds=tracking.Thresholds(soon=max(soon, urgent), urgent=urgent),
    )
    shown = tracking.select(result.items, everything=everything, category=category, owner=owner)
    if fmt is StatusFormat.json:
        typer.echo(statusview.to_json(result, shown))
    elif fmt is StatusFormat.csv:
        typer.echo(statusview.to_csv(shown), nl=False)
    elif fmt is StatusFormat.md:
        typer.echo(statusview.to_md(result, shown), nl=False)
    elif fmt is StatusFormat.html:
        from rectifykit.reports import charts

        typer.echo(charts.status_page(result, shown, unit=inspection.unit, root=root), nl=False)
    else:
        from rich.console import Console

        statusview.print_table(result, shown, Console(highlight=False))
    raise typer.Exit(EXIT_INVALID if tracking.fails(result.items, fail_on.value) else EXIT_OK)
