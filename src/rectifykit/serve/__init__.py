"""``rectify serve``: a local web workspace over a project's records (extra ``serve``: Starlette and uvicorn).

The pages show what ``status``, ``log``, ``render`` and ``rollup`` show; the forms save through the same
edit API and checks as ``rectify set`` (:mod:`.saving`). The only package importing the web framework.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rectifykit.diagnostics import MissingExtra, UsageError
from rectifykit.i18n import _

if TYPE_CHECKING:
    from rectifykit.serve.app import Settings


def run(settings: Settings, *, host: str, port: int, ready: Callable[[], None] = lambda: None) -> None:
    """Serve until interrupted (Ctrl-C); ``settings`` is an :class:`rectifykit.serve.app.Settings`.

    The records are read first; ``ready`` is called once the server listens (to print its address then, not
    before a browser or a script could connect)."""
    try:
        import uvicorn

        from rectifykit.serve.app import create_app
    except ImportError as exc:
        raise MissingExtra(exc.name or "starlette", "serve") from None
    app = create_app(settings)
    for unit in app.state.site.units:
        unit.current()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False))

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            ready()

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits 1 when it cannot listen (the port is taken, the address unknown)
        if exc.code:
            raise UsageError(_("cannot listen on {host}:{port}; choose another port with --port").format(
                host=host, port=port)) from None
        raise
