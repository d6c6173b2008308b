"""Optional dependencies: the error that names the extra to install when one is missing."""

from __future__ import annotations

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _


class MissingExtra(UsageError):
    """An optional package is not installed; the message says how to install it."""

    def __init__(self, package: str, extra: str = "office") -> None:
        super().__init__(package, extra)
        self.package, self.extra = package, extra

    def __str__(self) -> str:
        return _("{package} is not installed; install it with: pip install 'rectifykit[{extra}]'").format(
            package=self.package, extra=self.extra
        )
