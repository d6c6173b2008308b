"""The command line: parse arguments, call the core, print, exit.

One module per group of commands; each registers its commands on ``app`` when it is read, which is
when one of them is used (:mod:`rectifykit.cli.lazy`); :mod:`rectifykit.cli.listing` lists them all,
in the order the help shows them. Only this package imports typer.
"""

from __future__ import annotations

from rectifykit.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point."""
    app()
