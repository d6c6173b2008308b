"""Click's own words in the run's language: the help option, usage lines, metavars and every usage error.

typer vendors Click (``typer._click``) with its strings fixed in English, so they cannot be translated
through gettext; the command classes here say them through the project's catalogue instead:
:class:`Group` and :class:`Command` give the usage line, the help option and plain metavars
(日期, 文件, 数量 …); :meth:`Group.main` accepts ``--lang`` anywhere on the line and shows each usage
error in the language of the run (:func:`message`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import IO, Any

import typer
from typer import _click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from rectifykit import i18n
from rectifykit.i18n import N_, _

METAVARS = {
    "YYYY-MM-DD": N_("YYYY-MM-DD"),
    "KEY": N_("KEY"),
    "TEXT": N_("TEXT"),
    "REV": N_("REV"),
    "N": N_("NUMBER"),
    "FILE": N_("FILE"),
}
"""Metavars typed in the commands, by the word shown (translated when the help is made)."""
ARGUMENTS = {
    "item": N_("ITEM"),
    "files": N_("FILE"),
    "notice": N_("FILE"),
    "base": N_("REV"),
    "head": N_("REV"),
    "kind": N_("KIND"),
    "folder": N_("FOLDER"),
    "source": N_("FILE"),
    "units": N_("FOLDER"),
}
"""Metavars of positional arguments, by parameter name (default: the name in capitals)."""
COMPLETION = {
    "install_completion": N_("Install completion for the current shell."),
    "show_completion": N_("Show completion for the current shell, to copy it or customize the installation."),
}
"""typer's completion options, whose help it writes in English."""
WORDS = (N_("Usage: "), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("Show this message and exit."),
         N_("FOLDER"), N_("NUMBER"))


def _metavar(param: _click.Parameter) -> str | None:
    """The plain word for what a parameter takes (None: a flag, or a list of choices shown as they are)."""
    if isinstance(param, TyperArgument):
        name = param.name or ""
        return _(ARGUMENTS.get(name, name.upper()))
    if not isinstance(param, TyperOption) or param.is_flag or param.count:
        return None
    if param.metavar is not None:
        return _(METAVARS.get(param.metavar, param.metavar))
    desc = param.type_descriptor
    if desc.is_choice:
        return None
    annotation = str(getattr(desc, "annotation", ""))
    if "int" in annotation:
        return _("NUMBER")
    if "Path" in annotation:
        return _("FOLDER") if getattr(desc.parameter_info, "file_okay", True) is False else _("FILE")
    if "date" in annotation:
        return _("YYYY-MM-DD")
    return _("TEXT")


def _say(thing: object, attribute: str) -> None:
    """Set a text of a command or parameter to the run's language, from the text it was given (kept aside)."""
    mark = f"_rk_{attribute}"
    original = getattr(thing, mark, getattr(thing, attribute))
    setattr(thing, mark, original)
    if original:
        setattr(thing, attribute, _(original))


def localise(command: _click.Command, *, metavars: bool = True) -> None:
    """Say the help of a command (and of its parameters and its subcommands already made) in the run's
    language, with plain metavars: the texts were given untranslated when its module was read (see
    :mod:`rectifykit.cli.lazy`), so one process can show help in either language. ``metavars=False``
    (outside a run: a command tree read by docs/gen_docs.py) says the texts and leaves click's metavars."""
    _say(command, "help")
    _say(command, "short_help")
    for param in command.params:
        if metavars and param.name in COMPLETION and isinstance(param, TyperOption):
            param.help = _(COMPLETION[param.name])
        elif isinstance(param, TyperOption | TyperArgument):
            _say(param, "help")
        if not metavars:
            continue
        original = getattr(param, "_rk_metavar", param.metavar)
        param._rk_metavar = original  # type: ignore[attr-defined]  # our own mark on click's Parameter: its metavar before we localised it
        param.metavar = original
        word = _metavar(param)
        if word is not None:
            param.metavar = word
    subcommands = getattr(command, "commands", {})
    for sub in list(getattr(subcommands, "made", subcommands).values()):  # a lazy group: only those made
        localise(sub, metavars=metavars)


def hoist_lang(args: Sequence[str]) -> list[str]:
    """``--lang X`` moved to the front wherever it was typed (it is an option of the whole program)."""
    out, front, i = [], [], 0
    args = list(args)
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out += args[i:]
            break
        if arg == "--lang" and i + 1 < len(args):
            front += args[i:i + 2]
            i += 2
            continue
        if arg.startswith("--lang="):
            front.append(arg)
        else:
            out.append(arg)
        i += 1
    return front + out


_RANGE = re.compile(r"\bx>=(-?\d+)")
_CHOICES = re.compile(r"^(?:Value error, )?'(?P<value>[^']*)' is not one of (?P<choices>.*?)\.?$")
_AT_LEAST = re.compile(r"^Input should be greater than or equal to (-?\d+)$")
_EXTRA = re.compile(r"^Got unexpected extra (?:arguments?|argument\(s\)) \((.*)\)$")
_NEEDS_VALUE = re.compile(r"^Option '?([^' ]+)'? requires (?:an argument|\d+ arguments)\.$")
_NO_VALUE = re.compile(r"^Option '?([^' ]+)'? does not take a value\.$")
_NOT_INT = re.compile(r"^(?:Input should be a valid integer.*|'.*' is not a valid integer\.?)$")


def _choice_word(code: str) -> str:
    """A choice with its word where the one vocabulary has one: 需持续整改（in_progress）."""
    from rectifykit.model.records import State
    from rectifykit.model.wording import state_word

    if i18n.language() == "zh" and code in {s.value for s in State}:
        return f"{state_word(State(code))}（{code}）"
    return code


def _reason(text: str) -> str:
    """A value's error from typer or pydantic, in the run's language."""
    if m := _CHOICES.match(text):
        choices = re.findall(r"'([^']*)'", m["choices"])
        listed = ("、" if i18n.language() == "zh" else ", ").join(_choice_word(c) for c in choices)
        return _("{value!r} is not one of: {choices}").format(value=m["value"], choices=listed)
    if m := _AT_LEAST.match(text):
        return _("must be at least {n}").format(n=m[1])
    if _NOT_INT.match(text):
        return _("not a whole number")
    return _(text)


def message(error: _click.exceptions.UsageError) -> str:
    """A usage error's message in the run's language."""
    exc = _click.exceptions
    if isinstance(error, exc.NoSuchOption):
        text = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            text += _(" (Possible options: {options})").format(options=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, exc.BadParameter):
        hint = error.param_hint if error.param_hint is not None else (
            error.param.get_error_hint() if error.param is not None else None
        )
        if hint is not None and not isinstance(hint, str):
            hint = " / ".join(repr(x) for x in hint)
        if isinstance(error, exc.MissingParameter):
            kind = error.param_type or (error.param.param_type_name if error.param is not None else "")
            if kind == "argument":
                return _("Missing argument {name}.").format(name=hint or "")
            return _("Missing option {name}.").format(name=hint or "")
        reason = _reason(error.message)
        if hint is None:
            return _("Invalid value: {reason}").format(reason=reason)
        return _("Invalid value for {param}: {reason}").format(param=hint, reason=reason)
    text = error.message
    if m := _EXTRA.match(text):
        return _("Got unexpected extra argument(s) ({args})").format(args=m[1])
    if m := _NEEDS_VALUE.match(text):
        return _("Option {name} requires an argument.").format(name=m[1])
    if m := _NO_VALUE.match(text):
        return _("Option {name} does not take a value.").format(name=m[1])
    return _(text)


class Said(_click.exceptions.ClickException):
    """A usage error, shown in the run's language (usage line, where to find help, what is wrong)."""

    def __init__(self, error: _click.exceptions.UsageError) -> None:
        super().__init__(error.message)
        self.error = error
        self.exit_code = error.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        err = file or sys.stderr
        ctx = self.error.ctx
        if ctx is not None:
            typer.echo(ctx.get_usage(), file=err)
            if ctx.command.get_help_option(ctx) is not None:
                typer.echo(_("Try '{command} {option}' for help.").format(
                    command=ctx.command_path, option=ctx.help_option_names[0]), file=err)
            typer.echo("", file=err)
        typer.echo(_("Error: {message}").format(message=message(self.error)), file=err)


class _Words:
    """What the group and every command share: the usage line, the help option and the options' help."""

    def get_help_option(self, ctx: _click.Context) -> TyperOption | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]  # a mixin: super() is typer's command class, unknown to mypy here
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]  # a mixin: super() is typer's command class
        words = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        # typer writes a required argument {item}: shown plain, as the help lists it
        return [re.sub(r"^\{(.*)\}((?:\.\.\.)?)$", r"\1\2", words.get(p, p)) for p in pieces]

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]  # a mixin: get_params belongs to the command class it is mixed into
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, help_text = record
            help_text = _RANGE.sub(lambda m: _("at least {n}").format(n=m[1]), help_text)
            (args if param.param_type_name == "argument" else opts).append((names, help_text))
        if args:
            with formatter.section(_("Arguments")):
                formatter.write_dl(args)
        if opts:
            with formatter.section(_("Options")):
                formatter.write_dl(opts)


class Command(_Words, TyperCommand):
    """A command whose fixed words are said in the run's language."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _click.exceptions.UsageError as error:  # typer.BadParameter raised in a command's body
            raise Said(error) from None


class Group(_Words, TyperGroup):
    """The ``rectify`` group: ``--lang`` anywhere, usage errors in the run's language."""

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        args = hoist_lang(sys.argv[1:] if args is None else args)
        i18n.set_language(i18n.detect_language(args))
        localise(self)
        return super().main(args, *rest, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> _click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except _click.exceptions.NoArgsIsHelpError:
            raise
        except _click.exceptions.UsageError as error:
            raise Said(error) from None

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Said:
            raise
        except _click.exceptions.NoArgsIsHelpError:
            raise
        except _click.exceptions.UsageError as error:
            raise Said(error) from None


class Typer(typer.Typer):
    """typer.Typer whose commands are :class:`Command` unless said otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)
