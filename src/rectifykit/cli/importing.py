"""`rectify import`: a published notice to a project folder of records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rectifykit.cli.base import app, guard
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE


@app.command(name="import", help=_("Turn a published notice (.txt, .md, .html, .docx) into a project's records."))
@guard
def import_(
    notice: Annotated[
        Path,
        typer.Argument(help=_("The notice: plain text, markdown, a saved web page or .docx; - reads standard input.")),
    ],
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
    from rectifykit.importer import report, writing

    if notice == Path("-"):
        result = _from_stdin()
    else:
        if not notice.exists() or notice.is_dir():
            typer.echo(_("{file}: no such file").format(file=notice), err=True)
            raise typer.Exit(EXIT_USAGE)
        fsio.check_regular(notice)  # a FIFO or device is never opened; guard() names it, exit 2
        result = importer.import_notice(notice)
    try:
        written = writing.write(result.files, into, force=force)
        if report_file is not None:
            fsio.write_atomic(report_file, report.render(result, into, written, path=report_file))
    except OSError as exc:
        typer.echo(_("cannot write {file}: {reason}").format(file=exc.filename, reason=exc.strerror or exc), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo("\n".join(report.lines(result, into, written)))
    raise typer.Exit(EXIT_OK if result.problems else EXIT_INVALID)  # no problems found: RK320 says what was sought


def _from_stdin() -> Any:
    """``import -``: the notice's text (plain, markdown or a web page) from standard input."""
    import sys
    import tempfile

    from rectifykit import importer

    data = sys.stdin.buffer.read()
    suffix = ".html" if data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) else ".txt"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"stdin{suffix}"
        path.write_bytes(data)
        return importer.import_notice(path, display="-")
