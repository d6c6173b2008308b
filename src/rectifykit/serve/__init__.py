"""``rectify serve``: a local web workspace over a project's records (extra ``serve``: Starlette and uvicorn).

The pages show what ``status``, ``log``, ``render`` and ``rollup`` show; the forms save through the same
edit API and checks as ``rectify set`` (:mod:`.saving`). The only package importing the web framework.
"""

from __future__ import annotations

from rectifykit.diagnostics import MissingExtra, UsageError
from rectifykit.i18n import _


def run(settings: object, *, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl-C); ``settings`` is an :class:`rectifykit.serve.app.Settings`."""
    try:
        import uvicorn

        from rectifykit.serve.app import create_app
    except ImportError as exc:
        raise MissingExtra(exc.name or "starlette", "serve") from None
    app = create_app(settings)  # type: ignore[arg-type]
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    except SystemExit as exc:  # uvicorn exits 1 when it cannot listen (the port is taken, the address unknown)
        if exc.code:
            raise UsageError(_("cannot listen on {host}:{port}; choose another port with --port").format(
                host=host, port=port)) from None
        raise
