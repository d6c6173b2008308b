"""`rectify validate` and `rectify rules`: the records and their diagnostics."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import AsOfOption, RootOption, app, guard, load, remember, result_slot
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    codeclimate = "codeclimate"


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
    changed_from: Annotated[
        str | None,
        typer.Option(
            "--changed-from", metavar="REV",
            help=_("List first the problems in files changed since REV (e.g. the pull request's base branch)."),
        ),
    ] = None,
) -> None:
    """Check every record and report each problem with file, line and column."""
    from rectifykit.load import results
    from rectifykit.reports import diagnostics as report

    changed = _changed(root, changed_from)
    slot = result_slot(root, "validate", parser=parser.value, strict=strict, as_of=as_of)
    kept = results.diagnostics_from(slot.get()) if slot is not None else None
    if kept is None:  # one entry for every format: the diagnostics print the same in each
        project = load(root, parser.value, strict=strict, fmt=fmt.value, keep="nothing")
        kept = project.diagnostics, project.files
        remember(slot, results.diagnostics_value(*kept), project)
    diags, files = kept
    if fmt is ValidateFormat.json:
        typer.echo(report.to_json(diags, files))
    elif fmt is ValidateFormat.sarif:
        typer.echo(report.to_sarif(diags, changed=changed, docs=report.documentation()))
    elif fmt is ValidateFormat.codeclimate:
        typer.echo(report.to_codeclimate(diags, changed=changed))
    elif fmt is ValidateFormat.github:
        typer.echo("\n".join(report.github_lines(diags, files, changed=changed)))
    else:
        typer.echo("\n".join(report.text_lines(diags, files)))
    raise typer.Exit(EXIT_INVALID if report.failed(diags, strict=strict) else EXIT_OK)


def _changed(root: Path, base: str | None) -> list[str]:
    """The files changed since ``base`` (none without one); exit 2 when git cannot tell."""
    if base is None:
        return []
    from rectifykit.track import history

    try:
        return history.Repo(root).changed_paths(base)
    except history.GitError as exc:
        typer.echo(_("--changed-from: {reason}").format(reason=exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None


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
