"""The command line: parse arguments, call the core, print, exit.

One module per group of commands; each registers its commands on ``app``, in
the order the help lists them. Only this package imports typer.
"""

from __future__ import annotations

# isort: off
from rectifykit.cli import init, records, tracking, notice, office, gitwork, importing, serving  # noqa: F401 - registers the commands, in this order

# isort: on
from rectifykit.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point."""
    app()
