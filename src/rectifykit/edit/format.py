"""``rectify fmt``: the canonical form of a record's text, comments and key order kept.

The canonical form is the one the embedded example in ``data/`` is written in:

- UTF-8 without a byte order mark, LF line ends, one final newline, no trailing spaces;
- mappings indented by 2, list items by 4 with the dash at 2 (``  - title: …``);
- keys in the order they were written; comments, flow lists (``[1, 3]``) and quotes kept;
- a value is never folded onto several lines;
- ASCII ``, : ; ( )`` inside Chinese prose made full-width (:mod:`rectifykit.model.typography`), only in
  prose fields (titles, texts, measures, labels, notes, names); never in ids, keys, dates, evidence
  (file paths) or contact details.
"""

from __future__ import annotations

from typing import Any

from rectifykit import yamlio
from rectifykit.edit.core import Edit, dump, tree
from rectifykit.model import typography as punctuation

PROSE_KEYS = frozenset({
    "title", "text", "description", "label", "intro", "outro", "notes", "opening", "closing",
    "measures_label", "unit", "unit_self", "authority", "team", "round", "signature",
    "leader", "department", "person", "reviewer",
})
"""Mapping keys whose text values are prose, where punctuation is made full-width."""
PROSE_LISTS = frozenset({"measures", "items"})
"""Lists whose text entries are prose (a measures paragraph, a numbered measure)."""


def _prose(node: Any, key: str | None = None) -> None:
    """Make punctuation full-width in the prose values of a round-trip tree, in place.

    ``key`` names the mapping key that holds ``node`` (for a list of prose such as measures).
    """
    if isinstance(node, dict):
        slots = [(k, k, k in PROSE_KEYS) for k in node]  # (slot, the child's key, holds prose)
    elif isinstance(node, list):
        slots = [(i, None, key in PROSE_LISTS) for i in range(len(node))]
    else:
        return
    for slot, child_key, prose in slots:
        value = node[slot]
        if not isinstance(value, str):
            _prose(value, child_key)
        elif prose and (fixed := punctuation.fix(value)) != value:
            node[slot] = yamlio.restyled(value, fixed)


def format_text(text: str, *, display: str = "<text>", fix_punctuation: bool = True) -> Edit:
    """The canonical form of a record's text (see the module docstring), as an :class:`Edit`.

    EditError when the text is not YAML, not a mapping, or holds a value out of range. Other problems of
    the record are ``validate``'s to report: a record that does not validate yet is formatted too.
    """
    rt_tree = tree(text, display)
    if fix_punctuation:
        _prose(rt_tree)
    return Edit(text, dump(rt_tree), display)
