"""Working in git: `rectify diff`, `log`, `fmt`, `set`, `new` and `schema`."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rectifykit.cli.base import AsOfOption, RootOption, app, draft_warnings, guard, load, parse_date, quiet_echo, today
from rectifykit.i18n import _
from rectifykit.reports.diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class StateName(StrEnum):
    completed = "completed"
    completed_ongoing = "completed_ongoing"
    deemed_completed = "deemed_completed"
    in_progress = "in_progress"
    not_started = "not_started"


class RecordKind(StrEnum):
    finding = "finding"
    inspection = "inspection"


BackdateOption = Annotated[
    int,
    typer.Option(
        "--backdate-days", min=0, metavar="N", help=_("Flag completions recorded more than N days after their date.")
    ),
]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _project_root(root: Path) -> None:
    if not (root / "data").is_dir():
        raise _fail(
            _("{root}: not a rectifykit project (no data/ folder); use --root to name the project folder").format(
                root=root
            )
        )


@app.command(help=_("What changed in meaning between two git revisions (default: main's merge-base → working tree)."))
@guard
def diff(
    base: Annotated[str | None, typer.Argument(help=_("Base revision (default: merge-base of HEAD and main)."))] = None,
    head: Annotated[str | None, typer.Argument(help=_("Head revision (default: the working tree)."))] = None,
    root: RootOption = Path("."),
    fmt: Annotated[DiffFormat, typer.Option("--format", help=_("Output format: text, json or md."))] = DiffFormat.text,
    as_of: Annotated[
        dt.date | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            parser=parse_date,
            help=_("Date of the head side (default: its commit date, or today)."),
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Exit 1 when an item moved to completed fails a review rule."))
    ] = False,
    backdate_days: BackdateOption = 30,
) -> None:
    from rectifykit.reports import history as historyview
    from rectifykit.track import history

    _project_root(root)
    try:
        changes = history.diff(root, base, head, as_of=as_of, backdate_days=backdate_days)
    except history.GitError as exc:
        raise _fail(str(exc)) from None
    views = {DiffFormat.json: historyview.diff_json, DiffFormat.md: historyview.diff_md}
    typer.echo(views.get(fmt, historyview.diff_text)(changes), nl=fmt is DiffFormat.json)
    refused = history.refused_links(changes.base) + history.refused_links(changes.head)
    raise typer.Exit(EXIT_INVALID if refused or (strict and (changes.review or changes.head.problems)) else EXIT_OK)


@app.command(help=_("The history of each item from git: each status change, when and by whom."))
@guard
def log(
    item: Annotated[str | None, typer.Argument(help=_("Only this problem (its id) or item (id#2)."))] = None,
    root: RootOption = Path("."),
    fmt: Annotated[LogFormat, typer.Option("--format", help=_("Output format: text or json."))] = LogFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help=_("Exit 1 when a completion looks back-dated."))] = False,
    backdate_days: BackdateOption = 30,
) -> None:
    from rectifykit.reports import history as historyview
    from rectifykit.track import history

    _project_root(root)
    try:
        result = history.item_log(history.Repo(root), only=item, backdate_days=backdate_days)
    except history.GitError as exc:
        raise _fail(str(exc)) from None
    if item is not None and not result.events and not _known_item(root, item):
        raise _fail(_("no history of {item!r}: no such problem or item in the records").format(item=item))
    if fmt is LogFormat.json:
        typer.echo(historyview.log_json(result))
    else:
        typer.echo(historyview.log_text(result), nl=False)
    for d in result.refused:
        typer.echo(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}", err=True)
    raise typer.Exit(EXIT_INVALID if result.refused or (strict and result.backdated) else EXIT_OK)


def _known_item(root: Path, item: str) -> bool:
    """Whether the working tree's records have this problem (id) or item (id#2, id#2.1)."""
    from rectifykit.load.project import load_project
    from rectifykit.model import items as tally

    for loaded in load_project(root).findings:
        keys = {u.key for u in tally.tracked(loaded.record)}
        if item == loaded.record.id or item in keys or any(k.startswith(item + ".") for k in keys):
            return True
    return False


@app.command(help=_("Format record files canonically (comments and key order kept; full-width punctuation)."))
@guard
def fmt(
    files: Annotated[
        list[Path] | None, typer.Argument(help=_("Files or folders (default: the project's records)."))
    ] = None,
    root: RootOption = Path("."),
    check: Annotated[
        bool, typer.Option("--check", help=_("Change nothing; exit 1 listing files that would change."))
    ] = False,
    show_diff: Annotated[bool, typer.Option("--diff", help=_("Print the changes as a unified diff."))] = False,
) -> None:
    from rectifykit import edit

    if not files:
        _project_root(root)
    try:
        targets = edit.format_targets(root, files)
    except edit.EditError as exc:
        raise _edit_failed(exc) from None
    changed, broken = [], 0
    for path in targets:
        try:
            result = edit.reformat(path, display=path.as_posix(), dry_run=check)
        except edit.EditError as exc:
            broken += 1
            _print_refusal(exc, path)
            continue
        if result.changed:
            changed.append(path)
            typer.echo(result.diff() if show_diff else "", nl=False)
            typer.echo((_("would reformat {file}") if check else _("reformatted {file}")).format(file=path))
    summary = _("{n} of {total} files would change") if check else _("{n} of {total} files reformatted")
    typer.echo(summary.format(n=len(changed), total=len(targets)), err=True)
    raise typer.Exit(EXIT_INVALID if broken or (check and changed) else EXIT_OK)


def _print_refusal(exc: Exception, path: Path | None = None) -> None:
    """An edit's refusal on stderr: the record's diagnostics, else the message (after ``path``)."""
    from rectifykit import edit

    found = exc.diagnostics if isinstance(exc, edit.EditError) else []
    for d in found:
        typer.echo(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}", err=True)
    if not found and path is not None:
        typer.echo(f"{path}: {exc}", err=True)


def _edit_failed(exc: Exception) -> typer.Exit:
    """An edit that cannot be made: its diagnostics and message on stderr; exit 1 for a record's problem or a
    retry, 2 for bad usage."""
    from rectifykit import edit
    from rectifykit.reports import diagnostics as report

    if isinstance(exc, edit.EditError) and exc.diagnostics:
        typer.echo("\n".join(report.text_lines(exc.diagnostics, 1)), err=True)
    return _fail(str(exc), exc.exit_code if isinstance(exc, edit.EditError) else EXIT_USAGE)


@app.command(name="set", help=_("Update an item in place (status, evidence, owner, dates), keeping comments."))
@guard
def set_item(
    item: Annotated[str, typer.Argument(help=_("The item: PROBLEM-ID#N, or PROBLEM-ID#N.M for a part."))],
    root: RootOption = Path("."),
    status: Annotated[StateName | None, typer.Option("--status", help=_("The new canonical state."))] = None,
    label: Annotated[str | None, typer.Option("--label", help=_("The published wording of the status."))] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help=_("Add evidence (repeatable)."))] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help=_("Who reviewed and signed off."))] = None,
    completed_on: Annotated[
        str | None, typer.Option("--completed-on", help=_("Completed date (default today when completing)."))
    ] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=_("Deadline (YYYY-MM-DD)."))] = None,
    next_review: Annotated[str | None, typer.Option("--next-review", help=_("Next review (YYYY-MM-DD)."))] = None,
    leader: Annotated[str | None, typer.Option("--leader", help=_("Leader in charge."))] = None,
    department: Annotated[str | None, typer.Option("--department", help=_("Department in charge."))] = None,
    person: Annotated[str | None, typer.Option("--person", help=_("Person in charge."))] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Internal notes."))] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help=_("Remove a field (repeatable)."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show the change without writing it."))] = False,
    as_of: AsOfOption = None,
) -> None:
    from rectifykit import edit

    day = today(as_of)
    given = {"label": label, "reviewer": reviewer, "completed_on": completed_on, "deadline": deadline,
             "next_review": next_review, "leader": leader, "department": department, "person": person,
             "notes": notes, "status": status.value if status is not None else None,
             "add_evidence": evidence or None}
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None} | dict.fromkeys(unset or [])
    if not changes:
        raise typer.BadParameter(_("say what to change, e.g. --status completed"), param_hint="--status")
    project = load(root)
    try:
        outcome = edit.set_item(project, item, changes, today=day, dry_run=dry_run)
    except edit.EditError as exc:
        raise _edit_failed(exc) from None
    typer.echo(outcome.edit.diff(), nl=False)
    if outcome.edit.refused:
        raise _edit_failed(edit.EditError(_("not written: the record would be invalid"), outcome.edit.diagnostics))
    draft_warnings(outcome.edit.diagnostics)
    if outcome.written:
        typer.echo(_("updated {file}").format(file=outcome.edit.display), err=True)
    raise typer.Exit(EXIT_OK)


@app.command(help=_("Scaffold a new problem file with the next number in a category."))
@guard
def new(
    root: RootOption = Path("."),
    category: Annotated[str | None, typer.Option("--category", help=_("The category key."))] = None,
    title: Annotated[str | None, typer.Option("--title", help=_("The problem's title."))] = None,
    problem_id: Annotated[str | None, typer.Option("--id", help=_("The id (default CATEGORY-N)."))] = None,
    description: Annotated[str | None, typer.Option("--description", help=_("The problem's text."))] = None,
    leader: Annotated[str | None, typer.Option("--leader", help=_("Leader in charge."))] = None,
    department: Annotated[str | None, typer.Option("--department", help=_("Department in charge."))] = None,
    person: Annotated[str | None, typer.Option("--person", help=_("Person in charge."))] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help=_("Deadline (YYYY-MM-DD)."))] = None,
) -> None:
    from rectifykit import edit

    day = today(None)
    project = load(root)
    if project.inspection is None:
        raise _fail(_("data/inspection.yaml is missing or invalid; run rectify validate"), EXIT_INVALID)
    known = [c.key for c in sorted(project.inspection.record.categories, key=lambda c: c.order)]
    if category is None and sys.stdin.isatty():
        category = typer.prompt(_("Category ({known})").format(known=", ".join(known)))
    if title is None and sys.stdin.isatty():
        title = typer.prompt(_("Title"))
    if category is None or category not in known:
        raise typer.BadParameter(
            _("unknown category; known: {known}").format(known=", ".join(known)), param_hint="--category"
        )
    if not title:
        raise typer.BadParameter(_("give the problem's title"), param_hint="--title")
    tracking = {"leader": leader, "department": department, "person": person, "deadline": deadline}
    try:
        path = edit.new_problem(project, category=category, title=title, problem_id=problem_id,
                                description=description, tracking=tracking, today=day)
    except edit.EditError as exc:
        raise _edit_failed(exc) from None
    typer.echo(path.as_posix())


class Editor(StrEnum):
    vscode = "vscode"
    modeline = "modeline"


@app.command(help=_("Print the JSON Schema of the record files (for editor completion and validation)."))
@guard
def schema(
    kind: Annotated[
        RecordKind, typer.Argument(help=_("finding (data/findings/*.yaml) or inspection."))
    ] = RecordKind.finding,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write to FILE."), dir_okay=False)] = None,
    editor: Annotated[
        Editor | None,
        typer.Option(
            "--editor",
            help=_("Set up the project for an editor: write the schemas to .schemas/ and either "
                   ".vscode/settings.json (vscode) or print the first line for a record file (modeline)."),
        ),
    ] = None,
    root: RootOption = Path("."),
) -> None:
    from rectifykit.model import schema as schemas

    if editor is not None:
        _setup_editor(root, editor, kind.value)
        return
    text = schemas.to_text(kind.value)
    if output is None or output == Path("-"):
        typer.echo(text, nl=False)
        return
    _write(output, text)
    quiet_echo(_("wrote {file}").format(file=output))


def _write(path: Path, text: str) -> None:
    from rectifykit import fsio

    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # e.g. -o .schemas/finding.schema.json in a new project
        fsio.write_atomic(path, text)
    except OSError as exc:
        raise _fail(_("cannot write {file}: {reason}").format(file=path, reason=exc.strerror or exc)) from None


def _setup_editor(root: Path, editor: Editor, kind: str) -> None:
    """The schemas in .schemas/ (in the active language), then the editor's part."""
    import json

    from rectifykit.model import schema as schemas

    _project_root(root)
    for each in schemas.KINDS:
        _write(root / schemas.schema_path(each), schemas.to_text(each))
    if editor is Editor.modeline:
        typer.echo(schemas.modeline(kind))
        return
    settings = root / ".vscode" / "settings.json"
    try:
        existing = settings.read_text(encoding="utf-8") if settings.exists() else None
        text = schemas.vscode_settings(existing)
    except (ValueError, UnicodeDecodeError):
        wanted = json.dumps({"yaml.schemas": schemas.yaml_schemas()}, ensure_ascii=False, indent=2)
        raise _fail(
            _("{file} is not plain JSON (VS Code allows comments, which rectify would lose); "
              "add these settings by hand:\n{settings}").format(file=settings, settings=wanted)
        ) from None
    _write(settings, text)
    typer.echo(_("wrote {file}: yaml-language-server checks the records against {schemas}").format(
        file=settings, schemas=", ".join(schemas.yaml_schemas())))
