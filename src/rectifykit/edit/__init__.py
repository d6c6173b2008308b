"""Edits that keep a record's comments and key order: text in, text out; one locked, atomic write at the end.

- :mod:`.core`: the :class:`Edit` value (text before and after, diagnostics), :class:`EditError`, the check
  of edited texts with every rule set (:func:`rectifykit.check.records`);
- :mod:`.format`: :func:`format_text`, the canonical form (``rectify fmt``);
- :mod:`.record`: :func:`update_item`, setting an item's fields (``rectify set``) or a response's measures;
- :mod:`.measures`: a response's measures as text a person edits (:func:`measures_text`) and back;
- :mod:`.new`: :func:`new_finding`, the text of a new problem (``rectify new``);
- :mod:`.write`: :func:`read_text` and :func:`write`, the only file access, under the folder's lock;
- :mod:`.commands`: what the commands do with a project's files (find, read, edit, write once);
- :mod:`.ledger_apply`: ``rectify ledger --apply``.

Nothing but :mod:`.write` and :mod:`.commands` touches a file::

    result = update_item(text, "legal-services#1.2", {"status": "completed"}, display=path, today=day)
    print(result.diff())
    write({Path(path): result})     # EditError if the file changed since it was read
"""

from rectifykit.edit.commands import (
    Outcome,
    context_of,
    find_record,
    format_targets,
    new_problem,
    reformat,
    set_item,
)
from rectifykit.edit.core import Context, Edit, EditError, check_texts
from rectifykit.edit.format import PROSE_KEYS, PROSE_LISTS, format_text
from rectifykit.edit.measures import as_text as measures_text
from rectifykit.edit.measures import from_text as measures_from_text
from rectifykit.edit.new import new_finding, next_order
from rectifykit.edit.record import CHANGE_KEYS, parse_item_key, update_item, with_completion_date
from rectifykit.edit.write import changed_message, create, link_diagnostic, locked, read_text, record_files, write

__all__ = [
    "CHANGE_KEYS", "PROSE_KEYS", "PROSE_LISTS", "Context", "Edit", "EditError", "Outcome", "changed_message",
    "check_texts", "context_of", "create", "find_record", "format_targets", "format_text", "link_diagnostic",
    "locked", "measures_from_text", "measures_text", "new_finding", "new_problem", "next_order", "parse_item_key",
    "read_text", "record_files", "reformat", "set_item", "update_item", "with_completion_date", "write",
]
