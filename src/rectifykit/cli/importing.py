"""`rectify import`: a published notice to a project folder of records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import app, guard
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE


@app.command(name="import", help=_("Turn a published notice (.txt, .md, .html, .docx) into a project's records."))
@guard
def import_(
    notice: Annotated[Path, typer.Argument(help=_("The notice: plain text, markdown, a saved web page or .docx."))],
    into: Annotated[
        Path, typer.Option("--into", help=_("The project folder to write data/ into."), file_okay=False)
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help=_("Replace records that are already there."))] = False,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", help=_("Also write the report to FILE (.md, or .json)."), dir_okay=False),
    ] = None,
) -> None:
    """Turn a published notice into a project's records."""
    from rectifykit import fsio, importer
    from rectifykit.extras import MissingExtra
    from rectifykit.importer import report, writing

    if not notice.is_file():
        typer.echo(_("{file}: no such file").format(file=notice), err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        result = importer.import_notice(notice)
    except (importer.ReadError, importer.NotANotice) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except MissingExtra as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        written = writing.write(result.files, into, force=force)
        if report_file is not None:
            fsio.write_atomic(report_file, report.render(result, into, written, path=report_file))
    except writing.Conflict as exc:
        message = _("{into} already holds records ({files}); use --force to replace them")
        typer.echo(
            message.format(into=into, files=", ".join(exc.files[:3]) + (" …" if len(exc.files) > 3 else "")), err=True
        )
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:
        typer.echo(_("cannot write {file}: {reason}").format(file=exc.filename, reason=exc.strerror or exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo("\n".join(report.lines(result, into, written)))
    raise typer.Exit(EXIT_OK if result.problems else EXIT_INVALID)  # no problems found: RK320 says what was sought
