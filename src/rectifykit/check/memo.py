"""What each problem file's own check came to, kept in the user's cache folder (:mod:`rectifykit.load.cache`:
outside the project, JSON, atomic, bounded), so that a run reads again only the files that changed.

An entry holds a file's diagnostics, its :class:`~rectifykit.check.facts.Facts` and what its evidence rules
found on disk, never its tree. Its key is the SHA-256 of the file's bytes with the name it is read under, the
tool's version, the parser and the models' source (the store's salt), and everything else a file's own rules
depend on: the real today, ``strict``, the inspection's categories and feedback date, the language of the
messages. An entry is used only if the evidence files are still as they were; the rules across records
always run on the current facts. A foreign or corrupt entry is dropped and the file read again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rectifykit import diagnostics
from rectifykit.check import lints
from rectifykit.check.facts import Facts
from rectifykit.check.files import Checked, Context
from rectifykit.load.cache import RecordCache


class Memo:
    """One project's kept file checks, for one context."""

    def __init__(self, root: Path, context: Context, *, folder: Path | None = None) -> None:
        from rectifykit.i18n import language

        self.root = root
        self.store = RecordCache(root, parser=context.parser, folder=folder, kind="checked")
        inspection = context.inspection
        self.salt = json.dumps([
            "checked", context.today.isoformat(), context.strict, sorted(context.known or ()),
            inspection.feedback_date.isoformat() if inspection is not None else None, language(),
        ])

    def key(self, display: str, sha: str) -> str:
        return self.store.key(self.salt, display.encode("utf-8", "surrogateescape") + b"\0" + sha.encode())

    def get(self, key: str, display: str, file: Path | str) -> Checked | None:
        """The kept check of a file, when there is one and its evidence files are as they were."""
        entry = self.store.get(key)
        if entry is None:
            return None
        checked = _decode(entry, display, file)
        if checked is None or not lints.evidence_unchanged(checked.evidence, self.root):
            self.store.drop(key)
            return None
        return checked

    def put(self, key: str, checked: Checked) -> None:
        self.store.put(key, _encode(checked))

    def save(self) -> None:
        self.store.save()


def _encode(checked: Checked) -> list[Any]:
    found = checked.facts
    return [
        [[d.line, d.column, d.code, d.message, d.severity.value, d.hint] for d in checked.diagnostics],
        None if found is None else [found.id, found.category, found.order,
                                    [[key.hex(), r, list(where)] for key, r, where in found.measures]],
        [list(e) for e in checked.evidence],
    ]


def _decode(entry: Any, display: str, file: Path | str) -> Checked | None:
    try:
        diags, found, evidence = entry
        out = [
            diagnostics.Diagnostic(display, int(line), int(column), str(code), str(message),
                                   diagnostics.Severity(severity), str(hint))
            for line, column, code, message, severity, hint in diags
        ]
        facts = None
        if found is not None:
            ident, category, order, measures = found
            if not (isinstance(ident, str) and isinstance(order, int) and isinstance(category, str | None)):
                return None
            kept = tuple((bytes.fromhex(key), int(r), tuple(where)) for key, r, where in measures)
            facts = Facts(display, ident, category, order, kept, file=str(file))
        seen = [(str(e), bool(o), bool(x)) for e, o, x in evidence]
    except (TypeError, ValueError, KeyError):
        return None
    return Checked(out, facts, None, seen)
