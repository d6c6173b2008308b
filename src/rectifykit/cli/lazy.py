"""Commands read when used: the ``rectify`` group imports a command's module only when that command runs,
is completed or shows its own help.

Start-up stays lean that way: ``rectify --help`` lists every command from :data:`~.listing.COMMANDS`
without reading any of them (no pydantic, no loaders), and ``rectify validate`` reads the records
module alone, not the writers (jinja2, openpyxl, python-docx, the web workspace).

A module is read with the messages untranslated, so the help texts its commands are given stay the
English msgids; :func:`rectifykit.cli.clicktext.localise` says them in the language of each run.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from types import ModuleType
from typing import Any

import typer
import typer.main
from typer import _click
from typer._click.utils import make_default_short_help

from rectifykit import i18n
from rectifykit.cli import clicktext
from rectifykit.cli.listing import COMMANDS
from rectifykit.i18n import _

Command = _click.Command
"""What a group holds (typer's vendored click)."""


class Commands(MutableMapping[str, _click.Command]):
    """A group's commands by name: every listed name is in it; a command is made when first looked up."""

    def __init__(self, made: Mapping[str, _click.Command], make: Callable[[str], _click.Command]) -> None:
        self.made = dict(made)
        """The commands made so far (only these are localised before a run)."""
        self.make = make

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self.made:
            if name not in COMMANDS:
                raise KeyError(name)
            self.made[name] = self.make(name)
        return self.made[name]

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self.made[name] = command

    def __delitem__(self, name: str) -> None:
        del self.made[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self.made

    def __iter__(self) -> Iterator[str]:
        return iter([*COMMANDS, *(name for name in self.made if name not in COMMANDS)])

    def __len__(self) -> int:
        return len(list(iter(self)))


def read(app: typer.Typer, module: str) -> ModuleType:
    """The command module ``rectifykit.cli.<module>``, read with the messages untranslated if it was not yet
    (so that the texts its commands give ``app`` stay the msgids); also how one command module uses another."""
    language = i18n.language()
    i18n.set_language("en")
    try:
        found = importlib.import_module(f"rectifykit.cli.{module}")
        for registered in app.registered_commands:
            if registered.callback is not None:
                _evaluate_annotations(registered.callback)
    finally:
        i18n.set_language(language)
    return found


def make(app: typer.Typer, name: str) -> _click.Command:
    """The click command ``name``, its module read (untranslated) if it was not yet (its texts untranslated)."""
    read(app, COMMANDS[name].module)
    info = next(c for c in app.registered_commands
                if (c.name or typer.main.get_command_name(getattr(c.callback, "__name__", ""))) == name)
    return typer.main.get_command_from_info(
        info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
    )


def _evaluate_annotations(callback: Callable[..., Any]) -> None:
    """Evaluate a command function's annotations now, once (the modules use ``from __future__ import
    annotations``): typer would evaluate the ``typer.Option(help=_(...))`` in them each time it makes the
    command, in whatever language the previous run left active."""
    function = inspect.unwrap(callback)
    function.__annotations__.update(typing.get_type_hints(function, include_extras=True))


class Group(clicktext.Group):
    """The ``rectify`` group, whose commands are made (their modules read) only when looked up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.running = False
        """Within :meth:`main`: a command made now is said wholly in the run's language, metavars too."""
        self.commands = Commands(self.commands, self._made)
        clicktext.localise(self, metavars=False)  # the texts in the language active now; main says all again

    def make(self, name: str) -> _click.Command:
        """The command ``name`` (a subclass knows the app: :func:`make`)."""
        raise NotImplementedError

    def _made(self, name: str) -> _click.Command:
        command = self.make(name)
        clicktext.localise(command, metavars=self.running)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        self.running = True
        try:
            return super().main(*args, **kwargs)
        finally:
            self.running = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The list of commands as typer writes it; a command not read yet is said from its listing."""
        made = self.commands.made if isinstance(self.commands, Commands) else self.commands
        names = [name for name in self.list_commands(ctx) if name not in made or not made[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _summary(made.get(name), name, limit)) for name in names])


def _summary(command: _click.Command | None, name: str, limit: int) -> str:
    """A command's line in the list, as click shortens it (:meth:`click.Command.get_short_help_str`)."""
    if command is not None:
        return command.get_short_help_str(limit)
    listed = COMMANDS[name]
    text = _(listed.help)
    return (inspect.cleandoc(text) if listed.short else make_default_short_help(text, limit)).strip()
