"""`rectify validate` and `rectify rules`: the records and their diagnostics."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import AsOfOption, RootOption, app, guard, load, today
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK


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
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Warnings fail too, and the review rules apply (for CI)."))
    ] = False,
    as_of: AsOfOption = None,
    parser: Annotated[
        ParserName, typer.Option("--parser", help=_("YAML parser: libyaml (fast) or ruamel (round trip)."))
    ] = ParserName.libyaml,
) -> None:
    """Check every record and report each problem with file, line and column."""
    from rectifykit.reports import diagnostics as report

    project = load(root, today(as_of), parser.value, strict=strict, fmt=fmt.value)
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
    from rectifykit.reports.diagnostics import SEVERITY_WORDS

    for code in CODES.values():
        typer.echo(f"{code.code}  {_(SEVERITY_WORDS[code.severity])}  {_(code.template)}")
        if code.hint:
            typer.echo(f"       {_(code.hint)}")
