"""`rectify serve`: the local web workspace (extra `serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import app, guard
from rectifykit.i18n import _


@app.command(help=_("A local web workspace over the records: dashboard, problem list, forms, notice preview."))
@guard
def serve(
    roots: Annotated[list[Path] | None, typer.Option(
        "--root", help=_("The project folder (repeat for a roll-up)."), file_okay=False
    )] = None,
    host: Annotated[str, typer.Option("--host", help=_("Address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=_("Port to listen on."))] = 8765,
    read_only: Annotated[bool, typer.Option("--read-only", help=_("Refuse every change (for leaders)."))] = False,
    commit: Annotated[str | None, typer.Option(
        "--commit", metavar="AUTHOR", help=_("Commit each save to git as AUTHOR ('Name <mail>').")
    )] = None,
    open_browser: Annotated[bool, typer.Option("--open", help=_("Open the page in the web browser."))] = False,
) -> None:
    from rectifykit.diagnostics import MissingExtra

    try:
        from rectifykit.serve import app as web
    except ImportError as exc:
        raise MissingExtra(exc.name or "starlette", "serve") from None
    import rectifykit.serve

    settings = web.Settings(roots=list(roots or [Path(".")]), read_only=read_only, author=commit)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={settings.token}"

    def ready() -> None:
        typer.echo(_("rectify serve: open this address in the web browser (Ctrl-C stops the server):"))
        typer.echo(f"    {url}")  # a line of its own: copied, or found by a script, without the words around it
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    rectifykit.serve.run(settings, host=host, port=port, ready=ready)
