"""`rectify ledger` and `rectify rollup`, and `render --format docx`: the office's documents (extra `office`)."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from rectifykit.cli.base import (
    AsOfOption,
    RootOption,
    app,
    cache_enabled,
    file_set_warnings,
    guard,
    load,
    print_file_set_warnings,
    quiet_echo,
    real_today,
    today,
)
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from rectifykit.load.project import Project
    from rectifykit.load.records import Loaded
    from rectifykit.model.records import Inspection
    from rectifykit.track.rollup import Rollup


def _office(module: str) -> Any:
    """Import an office module; a missing extra exits 2 naming the extra to install."""
    import importlib

    return importlib.import_module(f"rectifykit.{module}")


def _valid(project: Project) -> Loaded[Inspection]:
    """The project's inspection when every record is valid; else the diagnostics on stderr and exit 1."""
    from rectifykit.reports import diagnostics as report

    if project.errors or project.inspection is None:
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    return project.inspection


def _write(path: Path, data: bytes) -> None:
    """Every office output's one last step: ``-`` is standard output (the bytes, e.g. to pipe into a mail),
    any other path is written atomically and named on stderr (unless --quiet)."""
    from rectifykit import fsio

    if path == Path("-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        fsio.write_atomic_bytes(path, data)
    except OSError as exc:
        typer.echo(_("cannot access {file}: {reason}").format(file=path, reason=exc.strerror or exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    quiet_echo(_("wrote {file}").format(file=path))


def render_docx(project: Project, *, output: Path | None, check: Path | None, template: str | None, day: dt.date,
                reference: Path | None = None) -> None:
    """`rectify render --format docx -o FILE`: the notice, the plan or the report as a GB/T 9704 Word document.

    ``--reference FILE.docx`` (default: the project's templates/notice.docx when present) gives the styles, page
    set-up and header/footer.
    """
    from rectifykit.notice.plan import KINDS as DOCUMENTS

    if output is None or check is not None or (template is not None and template not in DOCUMENTS):
        raise typer.BadParameter(
            _("--format docx writes a file: give -o FILE.docx (no --check; --template only plan or report)"),
            param_hint="--format",
        )
    docx_notice = _office("notice.docx")
    documents = _office("notice.docx_documents")
    if reference is None and (project.root / "templates" / "notice.docx").is_file():
        reference = project.root / "templates" / "notice.docx"
    try:
        base = documents.read_reference(reference) if reference is not None else None
    except documents.ReferenceError_ as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    inspection, findings = _valid(project).record, project.problems  # records, or prepared by render's keeper
    if template is not None:
        from rectifykit.notice import plan

        build = plan.report_context if template == "report" else plan.plan_context
        data = documents.document_docx(build(inspection, findings, as_of=day), reference=base)
    elif base is not None:
        from rectifykit.notice.context import build_context

        paras = docx_notice.paragraphs(build_context(inspection, findings, as_of=day))
        data = documents.notice_with_reference(paras, base)
    else:
        data = docx_notice.notice_docx(inspection, findings, as_of=day)
    _write(output, data)


@app.command(help=_("Write the rectification ledger (整改台账) as .xlsx, or apply a ledger edited in Excel."))
@guard
def ledger(
    root: RootOption = Path("."),
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("Write the ledger to FILE.xlsx."), dir_okay=False)
    ] = Path("ledger.xlsx"),  # "-": standard output
    apply: Annotated[
        Path | None,
        typer.Option("--apply", help=_("Write the changes made in FILE.xlsx into the records."), dir_okay=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("With --apply: show the changes, write nothing."))
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("With --apply: write without asking."))] = False,
    as_of: AsOfOption = None,
) -> None:
    """Write the rectification ledger (整改台账) as .xlsx, or apply a ledger edited in Excel."""
    day = today(as_of)
    if apply is None and (dry_run or yes):
        raise typer.BadParameter(_("--dry-run and --yes go with --apply"), param_hint="--apply")
    project = load(root, keep="records" if apply is None else "trees")  # an edit needs where values stand
    if apply is not None and project.inspection is not None:  # records that do not validate yet are edited too
        file_set_warnings(project)
        _apply(project, apply, day=day, dry_run=dry_run, yes=yes)
    inspection = _valid(project)
    file_set_warnings(project)
    office = _office("reports.ledger")
    data = office.ledger(inspection.record, project.records, as_of=day)
    _write(output, data)
    raise typer.Exit(EXIT_OK)


def _apply(project: Project, workbook: Path, *, day: dt.date, dry_run: bool, yes: bool) -> NoReturn:
    """`ledger --apply`: the plan made in memory, shown, confirmed and written in one step."""
    from rectifykit.cli.base import draft_warnings

    applying = _office("edit.ledger_apply")
    plan = _plan(project, workbook, day=day)
    _show_plan(plan, applying)
    if dry_run:
        typer.echo(_("dry run: nothing was written"))
        raise typer.Exit(EXIT_OK)
    if not yes:
        if not sys.stdin.isatty():
            typer.echo(_("not asking without a terminal: add --yes to write, or --dry-run to preview"), err=True)
            raise typer.Exit(EXIT_USAGE)
        if not typer.confirm(_("Write these changes into the records?"), default=False):
            typer.echo(_("nothing was written"))
            raise typer.Exit(EXIT_OK)
    try:
        written = applying.write(project, plan)
    except applying.EditError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(_("wrote {n} files").format(n=len(written)))
    draft_warnings(plan.diagnostics)
    raise typer.Exit(EXIT_OK)


def _plan(project: Any, workbook: Path, *, day: dt.date) -> Any:
    """What applying the workbook would do; exit 1 for a file that is not a ledger, 2 for one not read."""
    from rectifykit import fsio

    fsio.check_regular(workbook)  # a FIFO would block the reader for ever; guard() names the file, exit 2
    office = _office("reports.ledger")
    try:
        return _office("edit.ledger_apply").plan(project, workbook, today=day)
    except office.WorkbookError as exc:
        typer.echo(_("{file}: not a ledger workbook ({reason})").format(file=workbook, reason=exc), err=True)
        typer.echo(_("nothing was written"), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        typer.echo(_("cannot read {file}: {reason}").format(file=workbook, reason=exc.strerror or exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _show_plan(plan: Any, applying: Any) -> None:
    """The plan's ignored cells, then its refusals (exit 1) or, when there is nothing to do, exit 0; else the
    changes it would make."""
    from rectifykit.reports import diagnostics as report

    for note in plan.ignored:
        typer.echo(_("ignored: {note}").format(note=note), err=True)
    if plan.refusals or plan.invalid:
        for refusal in plan.refusals:
            typer.echo(str(refusal), err=True)
        if plan.invalid:
            typer.echo(_("the edited records would not be valid:"), err=True)
            typer.echo("\n".join(report.text_lines(plan.diagnostics, len(plan.texts))), err=True)
        typer.echo(_("nothing was written"), err=True)
        raise typer.Exit(EXIT_INVALID)
    if not plan.changes:
        typer.echo(_("no changes to apply"))
        raise typer.Exit(EXIT_OK)
    typer.echo("\n".join(applying.preview_lines(plan)))
    typer.echo(_("{changes} changes in {files} files").format(changes=len(plan.changes), files=len(plan.texts)))


class RollupFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    xlsx = "xlsx"
    html = "html"


@app.command(help=_("Add up several units' records: per unit and in total, as status counts them."))
@guard
def rollup(
    folders: Annotated[list[Path], typer.Argument(help=_("Project folders, or folders holding projects."))],
    fmt: Annotated[RollupFormat, typer.Option("--format", help=_("Output format."))] = RollupFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write to FILE (needed for xlsx)."), dir_okay=False)
    ] = None,
    as_of: AsOfOption = None,
    sample: Annotated[
        int,
        typer.Option("--sample", min=0, metavar="N", help=_("Draw N closed items per unit for re-checking (回头看).")),
    ] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help=_("Seed of the sample, to draw it again."))] = None,
) -> None:
    """Add up several units' records: per unit and in total, as status counts them."""
    import contextlib
    import os

    from rectifykit.cli import progress
    from rectifykit.reports import diagnostics as report
    from rectifykit.reports import rollup as rollup_report
    from rectifykit.track import gather
    from rectifykit.track import rollup as rolling

    day = today(as_of)
    if fmt is RollupFormat.xlsx and output is None:
        raise typer.BadParameter(_("--format xlsx writes a file: give -o FILE.xlsx"), param_hint="--format")
    folders = rolling.discover(folders)
    seed = rolling.choose_seed(sample, seed)
    ask = rolling.Ask(day, sample=sample, seed=seed or 0, deadlines=fmt is RollupFormat.html)
    bar = progress.for_run(fmt.value, env=os.environ)
    units = []
    try:
        found = gather.gather(folders, ask, gather.Load(real_today(), cache=cache_enabled()), progress=bar)
        with contextlib.closing(found):  # an invalid unit stops the workers
            for unit in found:
                if unit.rolled is None:
                    typer.echo(_("{folder}: invalid records, not added up").format(folder=unit.folder), err=True)
                    typer.echo("\n".join(report.text_lines(unit.diagnostics, unit.files)), err=True)
                    raise typer.Exit(EXIT_INVALID)
                print_file_set_warnings(unit.diagnostics, unit=unit.folder.as_posix())
                units.append(unit.rolled)
    finally:
        if bar is not None:
            bar.close()
    result = rolling.assemble(units, as_of=day, sample=sample, seed=seed)
    if fmt is RollupFormat.xlsx:
        assert output is not None, "refused above, before any record was read"
        _write(output, _office("reports.ledger").rollup_workbook(result))
        return
    if fmt is RollupFormat.table:
        _print_table(result)
        return
    text = {
        RollupFormat.json: lambda r: rollup_report.to_json(r) + "\n",
        RollupFormat.md: rollup_report.to_md,
        RollupFormat.html: lambda r: rollup_report.to_html(r, root=Path.cwd()),  # the office's templates/
    }[fmt](result)
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write(output, text.encode("utf-8"))


def _print_table(result: Rollup) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    from rectifykit.reports import rollup as rollup_report

    console = Console(highlight=False)
    console.print(_("as of {date}").format(date=result.as_of.isoformat()))
    rows, names = rollup_report.table_rows(result), rollup_report.header()
    # A header is never broken (未完/成): each number column is as wide as its header or its widest number;
    # the unit names take the rest and wrap.
    widths = [max(cell_len(name), *(cell_len(row[n]) for row in rows)) for n, name in enumerate(names)]
    widths[0] = max(8, min(widths[0], console.width - sum(widths[1:]) - (len(names) - 1)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", padding=0)
    table.add_column(names[0], overflow="fold", width=widths[0])
    for name, width in zip(names[1:], widths[1:], strict=True):
        table.add_column(name, justify="right", no_wrap=True, width=width)
    for n, row in enumerate(rows):
        table.add_row(*row, style="bold" if n == len(rows) - 1 else None)
    console.print(table)
    console.print(_("completion rate = (completed + completed, kept up + deemed completed) ÷ all items"))
    if result.sample:
        console.print(rollup_report.sample_note(result), markup=False)
        for row in rollup_report.sample_rows(result):  # plain lines: long texts read better than in a narrow table
            console.print("  ".join(x for x in row if x), markup=False, soft_wrap=True)
