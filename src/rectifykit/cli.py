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
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
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
    if lang is not None:
        i18n.set_language(lang.value)
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


def _load(root: Path, today: dt.date, parser: str):  # noqa: ANN202
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


def main() -> None:
    """Console entry point."""
    app()
