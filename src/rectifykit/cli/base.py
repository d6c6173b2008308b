"""The typer app, its global options and what every command shares (the CLI package alone imports typer)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
import typer.core

from rectifykit import __version__, i18n
from rectifykit.cli import clicktext, lazy
from rectifykit.diagnostics import Refusal
from rectifykit.i18n import N_, _
from rectifykit.reports.diagnostics import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from rectifykit.check import Keep
    from rectifykit.diagnostics import Diagnostic
    from rectifykit.load.project import Project
    from rectifykit.load.results import Slot
    from rectifykit.yamlio import Parser

i18n.set_language(i18n.detect_language(sys.argv[1:]))

# typer's help formatter takes a few words ("Options", "[default: …]") from gettext's
# process-wide domain; give it our catalogue instead, so the help reads in one language.
# (Its other fixed phrases, such as "Usage:", are not translatable.)
TYPER_WORDS = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("env var: {var}"),
)
typer.core._ = _


class Group(lazy.Group):
    """``rectify``: its commands are read from their modules when used (see :mod:`rectifykit.cli.lazy`)."""

    def make(self, name: str) -> lazy.Command:
        return lazy.make(app, name)


app = clicktext.Typer(
    name="rectify",
    cls=Group,
    help=N_("Keep an inspection's feedback problems and their rectification as checked records."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

P = ParamSpec("P")
R = TypeVar("R")
_state = {"debug": False, "quiet": False, "cache": True}


def guard(func: Callable[P, R]) -> Callable[P, R]:
    """Bugs exit 3 with a short message (traceback with --debug); Ctrl-C exits 130.

    A file the system refuses to read or write (disk full, no permission) is an
    environment problem, not a bug: exit 2 naming the file and the reason.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise
        except Refusal as exc:  # bad input or usage, said by the core: its message, its exit code
            typer.echo(str(exc), err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            typer.echo(os_error_message(exc), err=True)
            raise typer.Exit(EXIT_USAGE) from None
        except Exception as exc:
            if _state["debug"]:
                import traceback

                traceback.print_exc()
            message = _("internal error ({kind}): this is a bug in rectifykit; please report it")
            typer.echo(message.format(kind=type(exc).__name__), err=True)
            if not _state["debug"]:
                typer.echo(_("run again with --debug to see the traceback"), err=True)
            raise typer.Exit(EXIT_BUG) from None

    return wrapper


def os_error_message(exc: OSError) -> str:
    """What the system refused, naming the real target: an error without a file name is a write to stdout."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return _("cannot write to standard output: {reason}").format(reason=reason)
    return _("cannot access {file}: {reason}").format(file=exc.filename, reason=reason)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rectify {__version__}")
        raise typer.Exit(EXIT_OK)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


@app.callback()
def root(
    lang: Annotated[Lang | None, typer.Option("--lang", help=N_("Language of messages: zh or en."))] = None,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show tracebacks of internal errors."))] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=N_("Say nothing but errors and what was asked for."))
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version and exit."))
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=N_("Read every record file again; neither use nor update the cache."))
    ] = False,
) -> None:
    i18n.set_language(lang.value if lang is not None else i18n.detect_language())
    _state["debug"], _state["quiet"], _state["cache"] = debug, quiet, not no_cache


def cache_enabled() -> bool:
    """Whether the record cache is used (not ``--no-cache``)."""
    return bool(_state["cache"])


def quiet_echo(message: str) -> None:
    """A line saying what a command did (wrote, changed nothing), on stderr; --quiet leaves it out."""
    if not _state["quiet"]:
        typer.echo(message, err=True)


RootOption = Annotated[Path, typer.Option("--root", help=N_("The project folder (holding data/)."), file_okay=False)]


def parse_date(value: str | dt.date) -> dt.date:
    """An option's YYYY-MM-DD value; anything else is a usage error naming the expected form."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_("write the date as YYYY-MM-DD")) from None


AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        parser=parse_date,
        help=N_("The date to report and check as of (default: today)."),
    ),
]
"""The one ``--as-of`` of the commands that judge records on a date (``diff`` has its own: the head's date)."""


def today(as_of: dt.date | None) -> dt.date:
    """The as-of date: the option's value, else the real today (read here, and only here, in the CLI)."""
    return as_of if as_of is not None else dt.date.today()


def real_today() -> dt.date:
    """The real today, whatever ``--as-of`` says: what "in the future" is judged against (RK208)."""
    return today(None)


FREEZE_FROM = 1000
"""Projects of this many files or more are left out of later garbage collections (see :func:`load`)."""


def load(
    root: Path, parser: Parser = "libyaml", *, strict: bool = False, fmt: str | None = None, keep: Keep = "trees"
) -> Project:
    """The project at ``root``, checked, or exit 2; a progress bar on stderr for a long load (see
    rectifykit.progress), except when ``fmt`` is an output format read by programs (json, github, sarif).

    The records are checked against the real today, whatever date a command reports on (``--as-of``):
    a completion after the as-of date but before today is history, not a date in the future.
    ``keep``: what is kept of each record (see :func:`rectifykit.check.load`)."""
    import gc
    import os

    from rectifykit import check
    from rectifykit.cli import progress
    from rectifykit.load.project import collector_paused

    bar = progress.for_run(fmt, env=os.environ)
    # The collector stays paused until what was loaded is frozen: let go first, it would walk every
    # object the load made (~0.13 s for the 10,000 problems of a notice) before the freeze.
    with collector_paused():
        try:
            project = check.load(
                root, today=real_today(), parser=parser, strict=strict, progress=bar, cache=cache_enabled(),
                keep=keep,
            )
        finally:
            if bar is not None:
                bar.close()
        if project.files >= FREEZE_FROM:
            # What was loaded lives until the process ends: later collections need not walk it again
            # (~10% of a large run). Not for small projects, nor in a long-lived process running many.
            gc.freeze()
    return project


def file_set_warnings(project: Project, *, unit: str = "") -> None:
    """Print on stderr the warnings about which files were read (an empty data/findings, files and folders
    there that are not records): a report from records that are not all there must not look complete.
    ``unit`` (rollup: the unit's folder) goes before each path."""
    print_file_set_warnings(project.diagnostics, unit=unit)


def print_file_set_warnings(found: Sequence[Diagnostic], *, unit: str = "") -> None:
    """:func:`file_set_warnings` of a project's diagnostics (those of other codes are left out)."""
    for line in file_set_lines(found, unit=unit):
        typer.echo(line, err=True)


def file_set_lines(found: Sequence[Diagnostic], *, unit: str = "") -> list[str]:
    """The lines :func:`print_file_set_warnings` prints."""
    from rectifykit.load.project import FILE_SET_CODES
    from rectifykit.reports.diagnostics import HINT, SEVERITY_WORDS

    lines = []
    for d in found:
        if d.code in FILE_SET_CODES:
            where = f"{unit.rstrip('/')}/{d.path}" if unit else d.path
            lines.append(f"{where}:{d.line}:{d.column}: {d.code} {_(SEVERITY_WORDS[d.severity])}: {d.message}")
            lines.append("    " + _(HINT).format(hint=d.hint))
    return lines


@dataclasses.dataclass
class Printed:
    """What a command prints and its exit code, as kept in the result cache (:mod:`rectifykit.load.results`)."""

    out: str = ""
    """Standard output, exactly (its last newline included)."""
    err: list[str] = dataclasses.field(default_factory=list)
    """Lines on standard error."""
    code: int | None = None
    """The exit code, or None when the command goes on (writes a file, compares, …)."""

    def emit(self) -> None:
        for line in self.err:
            typer.echo(line, err=True)
        if self.out:
            sys.stdout.write(self.out)
            sys.stdout.flush()

    def value(self) -> dict[str, object]:
        return {"out": self.out, "err": self.err, "code": self.code}

    @classmethod
    def of(cls, value: object) -> Printed | None:
        """A kept value as what it prints, or None for one that is not (a foreign entry)."""
        if not isinstance(value, dict):
            return None
        out, err, code = value.get("out"), value.get("err"), value.get("code")
        if (isinstance(out, str) and isinstance(err, list) and all(isinstance(e, str) for e in err)
                and (code is None or isinstance(code, int))):
            return cls(out, err, code)
        return None


def result_slot(root: Path, command: str, *, templates: bool = False, **options: object) -> Slot | None:
    """Where the whole result of this run is kept (:mod:`rectifykit.load.results`): keyed by the input files,
    the command, ``options``, the real today and the language. None with --no-cache or for a project that is
    not cached."""
    if not _state["cache"]:
        return None
    from rectifykit.load import results

    options = {**options, "root": root, "today": real_today(), "lang": i18n.language()}
    return results.slot(root, command, options, templates=templates)


def remember(slot: Slot | None, value: object, project: Project) -> None:
    """Keep a run's result with the evidence files its review rules looked at (RK240/RK241)."""
    if slot is None:
        return
    from rectifykit.load import results

    assert project.evidence is not None, "a project checked by rectifykit.check.load"
    slot.put(value, evidence=results.evidence(project.root, project.evidence))


def draft_warnings(found: Sequence[Diagnostic]) -> None:
    """The errors left in records an edit wrote (records that did not validate before and do not yet, such as a
    draft's), on stderr as warnings: the edit was made, and these are what is left to fix."""
    import dataclasses

    from rectifykit.diagnostics import Severity
    from rectifykit.reports.diagnostics import text_lines

    if any(d.severity == Severity.error for d in found):
        typer.echo(_("the record does not validate yet; left to fix (rectify validate):"), err=True)
        left = [dataclasses.replace(d, severity=Severity.warning) for d in found]
        typer.echo("\n".join(text_lines(left, len({d.path for d in left}))), err=True)
