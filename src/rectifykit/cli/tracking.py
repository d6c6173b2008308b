"""`rectify status`: what is open, late or due for review."""

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
    remember,
    result_slot,
    today,
)
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console

    from rectifykit.load.project import Project


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
    day = today(as_of)
    console = None
    facts: tuple[object, ...] = ()
    if fmt is StatusFormat.table:
        from rich.console import Console

        console = Console(highlight=False)
        facts = (console.width, console.color_system, console.is_terminal, console.encoding, console.legacy_windows,
                 console.no_color)
    slot = result_slot(root, "status", templates=fmt is StatusFormat.html, fmt=fmt.value, as_of=day,
                       category=category, owner=owner, everything=everything, fail_on=fail_on.value, soon=soon,
                       urgent=urgent, console=facts)
    printed = Printed.of(slot.get()) if slot is not None else None
    if printed is None:
        from rectifykit.track import status as tracking

        project = load(root, fmt=fmt.value, keep=tracking.keeper())
        printed = _status(project, root=root, day=day, fmt=fmt, category=category, owner=owner,
                          everything=everything, fail_on=fail_on, soon=soon, urgent=urgent, console=console)
        remember(slot, printed.value(), project)
    printed.emit()
    raise typer.Exit(printed.code or EXIT_OK)


def _status(project: Project, *, root: Path, day: dt.date, fmt: StatusFormat, category: str | None,
            owner: str | None, everything: bool, fail_on: FailOn, soon: int, urgent: int,
            console: Console | None) -> Printed:
    """What status prints over a loaded project, and its exit code."""
    from rectifykit.reports import diagnostics as report
    from rectifykit.reports import status as statusview
    from rectifykit.track import status as tracking

    if project.errors or project.inspection is None:
        return Printed(err=["\n".join(report.text_lines(project.diagnostics, project.files))], code=EXIT_INVALID)
    warnings = file_set_lines(project.diagnostics)
    inspection = project.inspection.record
    if category is not None and category not in {c.key for c in inspection.categories}:
        known = ", ".join(c.key for c in inspection.categories)
        raise typer.BadParameter(_("unknown category; known: {known}").format(known=known), param_hint="--category")
    thresholds = tracking.Thresholds(soon=max(soon, urgent), urgent=urgent)
    result = tracking.build_packed(inspection, project.problems, as_of=day, thresholds=thresholds)
    shown = tracking.select(result.items, everything=everything, category=category, owner=owner)
    if fmt is StatusFormat.json:
        out = statusview.to_json(result, shown) + "\n"
    elif fmt is StatusFormat.csv:
        out = statusview.to_csv(shown)
    elif fmt is StatusFormat.md:
        out = statusview.to_md(result, shown)
    elif fmt is StatusFormat.html:
        from rectifykit.reports import charts

        out = charts.status_page(result, shown, unit=inspection.unit, root=root)
    else:
        assert console is not None
        import io

        from rich.console import Console

        # What it prints to the terminal, kept as text: a console like the terminal's writing into a buffer
        # (not console.capture(): a long table is written to the console's file in one piece, past a capture).
        buffer = io.StringIO()
        statusview.print_table(result, shown, Console(
            file=buffer, width=console.width, color_system=console.color_system,  # type: ignore[arg-type]  # one of rich's names
            force_terminal=console.is_terminal,
            no_color=console.no_color, legacy_windows=console.legacy_windows, highlight=False))
        out = buffer.getvalue()
    code = EXIT_INVALID if tracking.fails(result.items, fail_on.value) else EXIT_OK
    return Printed(out=out, err=warnings, code=code)
