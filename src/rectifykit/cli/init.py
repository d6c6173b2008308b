"""`rectify init`: a new project, from flags or (on a terminal) a few questions."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rectifykit.cli.base import app, guard, parse_date, quiet_echo, real_today
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE


class CI(StrEnum):
    github = "github"
    gitlab = "gitlab"
    none = "none"


def _date_option(flag: str, help_text: str) -> Any:
    return typer.Option(flag, metavar="YYYY-MM-DD", parser=parse_date, help=help_text)


@app.command(
    short_help=_("Start a new project in a folder."),
    help=_("Start a project: data/inspection.yaml, data/findings/, .gitignore, pre-commit, CI and editor "
           "settings, a README."),
)
@guard
def init(
    folder: Annotated[Path, typer.Argument(help=_("The project folder (made if missing; default: here)."),
                                           file_okay=False)] = Path("."),
    unit: Annotated[str | None, typer.Option("--unit", help=_("The inspected Party organisation."))] = None,
    authority: Annotated[str | None, typer.Option("--authority", help=_("Who deployed the inspection."))] = None,
    team: Annotated[str | None, typer.Option("--team", help=_("The inspection team."))] = None,
    round_: Annotated[str | None, typer.Option("--round", help=_("The inspection round."))] = None,
    period_start: Annotated[dt.date | None, _date_option("--period-start", _("First day of the inspection."))] = None,
    period_end: Annotated[dt.date | None, _date_option("--period-end", _("Last day of the inspection."))] = None,
    feedback_date: Annotated[dt.date | None, _date_option("--feedback-date", _("Day the feedback was given."))] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", metavar=_("KEY=TITLE"),
                     help=_("A category of problems (repeatable; default: the genre's usual three).")),
    ] = None,
    ci: Annotated[CI, typer.Option("--ci", help=_("Write a CI file for GitHub or GitLab, or none."))] = CI.none,
) -> None:
    """Start a project."""
    from rectifykit import check
    from rectifykit.edit import scaffold
    from rectifykit.reports import diagnostics as report

    ask = interactive()
    answers: dict[str, Any] = {
        "unit": unit or (_ask(_("Inspected organisation (unit)")) if ask else None),
        "authority": authority or (_ask(_("Deployed by (authority)"), "") if ask else None),
        "team": team or (_ask(_("Inspection team")) if ask else None),
        "round": round_ or (_ask(_("Round"), "") if ask else None),
        "period_start": period_start or (_ask_date(_("First day of the inspection")) if ask else None),
        "period_end": period_end or (_ask_date(_("Last day of the inspection")) if ask else None),
        "feedback_date": feedback_date or (_ask_date(_("Day of the feedback")) if ask else None),
    }
    missing = [k for k in ("unit", "team", "period_start", "period_end", "feedback_date") if not answers[k]]
    if missing:
        flags = ", ".join("--" + k.replace("_", "-") for k in missing)
        raise typer.BadParameter(_("give {flags} (or run init on a terminal to be asked)").format(flags=flags))
    categories = _categories(category) if category else scaffold.CATEGORIES
    facts = scaffold.Answers(
        unit=str(answers["unit"]), team=str(answers["team"]),
        feedback_date=answers["feedback_date"], period_start=answers["period_start"],
        period_end=answers["period_end"], authority=answers["authority"] or None,
        round=answers["round"] or None, categories=categories, ci=ci.value,
    )
    try:
        written = scaffold.write(folder, facts)
    except scaffold.Exists as exc:
        there = ", ".join(p.as_posix() for p in exc.paths)
        typer.echo(_("not written: {files} already there; init starts a new project only").format(files=there),
                   err=True)
        raise typer.Exit(EXIT_USAGE) from None
    quiet_echo(_("wrote {n} files in {folder}: {files}").format(n=len(written), folder=folder,
                                                                 files=", ".join(written)))
    project = check.load(folder, today=real_today())
    if report.failed(project.diagnostics, strict=False):  # a bug of init's: say so, plainly
        typer.echo("\n".join(report.text_lines(project.diagnostics, project.files)), err=True)
        raise typer.Exit(EXIT_INVALID)
    quiet_echo(_("next: rectify new --root {folder} --category KEY --title TITLE").format(folder=folder))
    raise typer.Exit(EXIT_OK)


def interactive() -> bool:
    """Whether to ask for what the flags leave out: only on a terminal (never in a script or CI)."""
    return sys.stdin.isatty()


def _ask(question: str, default: str | None = None) -> str:
    return str(typer.prompt(question, default=default, show_default=bool(default)))


def _ask_date(question: str) -> dt.date:
    while True:
        text = _ask(question + " (YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            typer.echo(_("write the date as YYYY-MM-DD"), err=True)


def _categories(given: list[str]) -> tuple[tuple[str, str], ...]:
    """``key=title`` pairs; a key must be a record id (lower-case letters, digits, - and _)."""
    import re

    out = []
    for each in given:
        key, sep, title = each.partition("=")
        if not sep or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key.strip()) or not title.strip():
            raise typer.BadParameter(_("write a category as key=title, e.g. implementation=聚焦……落实情况"),
                                     param_hint="--category")
        out.append((key.strip(), title.strip()))
    return tuple(out)
