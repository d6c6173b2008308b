"""The commands as ``rectify --help`` lists them, and the module that defines each.

A command's module (and all it imports: pydantic, the loaders, the writers) is read only when that
command runs, completes or shows its own help, so that ``rectify --help`` and ``rectify validate`` pay
for nothing else (see :class:`rectifykit.cli.lazy.Group`). The texts here are the ones each command's
``@app.command`` gives (a test keeps them equal), so the list reads the same before and after a module
is read.
"""

from __future__ import annotations

from typing import NamedTuple

from rectifykit.i18n import N_


class Listed(NamedTuple):
    module: str
    """The module under rectifykit.cli that registers the command."""
    help: str
    """The command's help (its short help when ``short``), untranslated."""
    short: bool = False


COMMANDS: dict[str, Listed] = {
    "init": Listed("init", N_("Start a new project in a folder."), short=True),
    "validate": Listed("records", N_("Check every record and report each problem with file, line and column.")),
    "rules": Listed("records", N_("List every diagnostic code with its meaning and how to fix it.")),
    "status": Listed("tracking", N_("What is open, late or due for review, and who owns it.")),
    "render": Listed("notice", N_("Render the notice from the records through Jinja templates.")),
    "ledger": Listed("office", N_("Write the rectification ledger (整改台账) as .xlsx, or apply a ledger edited in "
                                  "Excel.")),
    "rollup": Listed("office", N_("Add up several units' records: per unit and in total, as status counts them.")),
    "diff": Listed("gitwork", N_("What changed in meaning between two git revisions (default: main's merge-base → "
                                 "working tree).")),
    "log": Listed("gitwork", N_("The history of each item from git: each status change, when and by whom.")),
    "fmt": Listed("gitwork", N_("Format record files canonically (comments and key order kept; full-width "
                                "punctuation).")),
    "set": Listed("gitwork", N_("Update an item in place (status, evidence, owner, dates), keeping comments.")),
    "new": Listed("gitwork", N_("Scaffold a new problem file with the next number in a category.")),
    "schema": Listed("gitwork", N_("Print the JSON Schema of the record files (for editor completion and "
                                   "validation).")),
    "import": Listed("importing", N_("Turn a published notice (.txt, .md, .html, .docx) into a project's records.")),
    "serve": Listed("serving", N_("A local web workspace over the records: dashboard, problem list, forms, notice "
                                  "preview.")),
}
"""Every command, in the order the help lists them."""
