"""The command line: parse arguments, call the core, print, exit. The only module importing typer."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from rectifykit import __version__, i18n
from rectifykit.i18n import _
from rectifykit.report import EXIT_BUG, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_USAGE

i18n.set_language(i18n.detect_language(sys.argv[1:]))

app = typer.Typer(
    name="rectify",
    help=_("Keep an inspection's feedback problems and their rectification as checked records."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
_state = {"debug": False}


def guard(func: F) -> F:
    """Bugs exit 3 with a short message (traceback with --debug); Ctrl-C exits 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            if _state["debug"]:
                traceback.print_exc()
            message = _("internal error ({kind}): this is a bug in rectifykit; please report it")
            typer.echo(message.format(kind=type(exc).__name__), err=True)
            if not _state["debug"]:
                typer.echo(_("run again with --debug to see the traceback"), err=True)
            raise typer.Exit(EXIT_BUG) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rectify {__version__}")
        raise typer.Exit(EXIT_OK)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


@app.callback()
def root(
    lang: Annotated[Lang | None, typer.Option("--lang", help=_("Language of messages: zh or en."))] = None,
    debug: Annotated[bool, typer.Option("--debug", help=_("Show tracebacks of internal errors."))] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
) -> None:
    i18n.set_language(lang.value if lang is not None else i18n.detect_language())
    _state["debug"] = debug


RootOption = Annotated[
    Path, typer.Option("--root", help=_("The project folder (holding data/)."), file_okay=False)
]


def _today(as_of: str | None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(_("write the date as YYYY-MM-DD"), param_hint="--as-of") from None


def _load(root: Path, today: dt.date, parser: str):
    from rectifykit.load import ProjectError, load_project

    try:
        return load_project(root, today=today, parser=parser)  # type: ignore[arg-type]
    except ProjectError:
        typer.echo(
            _("{root}: not a rectifykit project (no data/ folder); use --root to name the project folder").format(
                root=root
            ),
            err=True,
        )
        raise typer.Exit(EXIT_USAGE) from None


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ParserName(StrEnum):
    libyaml = "libyaml"
    ruamel = "ruamel"


@app.command(help=_("Check every record and report each problem with file, line and column."))
@guard
def validate(
    root: RootOption = Path("."),
    fmt: Annotated[ValidateFormat, typer.Option("--format", help=_("Output format."))] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help=_("Warnings fail too (for CI)."))] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=_("Check as of this date (YYYY-MM-DD)."))] = None,
    parser: Annotated[
        ParserName, typer.Option("--parser", help=_("YAML parser: libyaml (fast) or ruamel (round trip)."))
    ] = ParserName.libyaml,
) -> None:
    """Check every record and report each problem with file, line and column."""
    from rectifykit import report

    project = _load(root, _today(as_of), parser.value)
    diags = project.diagnostics
    if fmt is ValidateFormat.json:
        typer.echo(report.to_json(diags, project.files))
    elif fmt is ValidateFormat.sarif:
        typer.echo(report.to_sarif(diags))
    elif fmt is ValidateFormat.github:
        typer.echo("\n".join(report.github_lines(diags, project.files)))
    else:
        typer.echo("\n".join(report.text_lines(diags, project.files)))
    raise typer.Exit(EXIT_INVALID if report.failed(diags, strict=strict) else EXIT_OK)


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class FailOn(StrEnum):
    overdue = "overdue"
    open = "open"
    never = "never"


@app.command(help=_("What is open, late or due for review, and who owns it."))
@guard
def status(
    root: RootOption = Path("."),
    as_of: Annotated[str | None, typer.Option("--as-of", help=_("Report as of this date (YYYY-MM-DD)."))] = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", help=_("Output format."))] = StatusFormat.table,
    category: Annotated[str | None, typer.Option("--category", help=_("Only this category (its key)."))] = None,
    owner: Annotated[str | None, typer.Option("--owner", help=_("Only items whose owner contains TEXT."))] = None,
    everything: Annotated[
        bool, typer.Option("--all", help=_("Show every item, not only what needs attention."))
    ] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help=_("Exit 1 when an item is overdue / open."))
    ] = FailOn.never,
    soon: Annotated[
        int, typer.Option("--soon", min=0, help=_("Days before a deadline that count as due soon."))
    ] = 20,
    urgent: Annotated[
        int, typer.Option("--urgent", min=0, help=_("Days before a deadline that count as urgent."))
    ] = 10,
) -> None:
    from rectifykit import report, statusview
    from rectifykit import status as tracking

    today = _today(as_of)
    project = _load(root, today, "libyaml")
    if project.errors or project.inspection is None:
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    inspection = project.inspection.record
    if category is not None and category not in {c.key for c in inspection.categories}:
        known = ", ".join(c.key for c in inspection.categories)
        raise typer.BadParameter(_("unknown category; known: {known}").format(known=known), param_hint="--category")
    result = tracking.build(
        inspection, [f.record for f in project.findings], as_of=today,
        thresholds=tracking.Thresholds(soon=max(soon, urgent), urgent=urgent),
    )
    shown = tracking.select(result.items, everything=everything, category=category, owner=owner)
    if fmt is StatusFormat.json:
        typer.echo(statusview.to_json(result, shown))
    elif fmt is StatusFormat.csv:
        typer.echo(statusview.to_csv(shown), nl=False)
    elif fmt is StatusFormat.md:
        typer.echo(statusview.to_md(result, shown), nl=False)
    else:
        from rich.console import Console

        statusview.print_table(result, shown, Console(highlight=False))
    raise typer.Exit(EXIT_INVALID if tracking.fails(result.items, fail_on.value) else EXIT_OK)


@app.command(help=_("List every diagnostic code with its meaning and how to fix it."))
@guard
def rules() -> None:
    """List every diagnostic code with its meaning and how to fix it."""
    from rectifykit.diagnostics import CODES
    from rectifykit.report import SEVERITY_WORDS

    for code in CODES.values():
        typer.echo(f"{code.code}  {_(SEVERITY_WORDS[code.severity])}  {_(code.template)}")
        if code.hint:
            typer.echo(f"       {_(code.hint)}")


class RenderFormat(StrEnum):
    md = "md"
    html = "html"


@app.command(help=_("Render the notice from the records through Jinja templates."))
@guard
def render(
    root: RootOption = Path("."),
    fmt: Annotated[RenderFormat, typer.Option("--format", help=_("Output format: md or html."))] = RenderFormat.md,
    template: Annotated[
        str | None, typer.Option("--template", help=_("Template name (default notice.FORMAT.j2); templates/ first."))
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write the notice to FILE atomically."), dir_okay=False)
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help=_("Exit 1 with a diff when FILE differs from the records."), dir_okay=False),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=_("Date for computations (YYYY-MM-DD)."))] = None,
) -> None:
    """Render the notice from the records through Jinja templates."""
    from rectifykit import fsio, report
    from rectifykit import render as rendering

    if output is not None and check is not None:
        raise typer.BadParameter(_("use either --output or --check"), param_hint="--check")
    today = _today(as_of)
    project = _load(root, today, "libyaml")
    if project.errors:
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        text = rendering.render(project, fmt=fmt.value, template=template, as_of=today)
        if check is not None:
            diff = rendering.drift(fsio.read_text(check), text, name=str(check))
            if diff:
                typer.echo(diff, nl=False)
                message = _("{file} does not match the records; render it again with -o {file}")
                typer.echo(message.format(file=check), err=True)
            raise typer.Exit(EXIT_INVALID if diff else EXIT_OK)
        if output is not None:
            fsio.write_atomic(output, text)
        else:
            typer.echo(text, nl=False)
    except rendering.RenderError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:
        typer.echo(_("cannot access {file}: {reason}").format(file=exc.filename, reason=exc.strerror or exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None


def main() -> None:
    """Console entry point."""
    app()
