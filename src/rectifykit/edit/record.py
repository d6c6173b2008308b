"""``rectify set``: setting the fields of one item of a problem's text, comments and key order kept.

For ``rectify ledger --apply`` and other tools, the entry point is :func:`update_item`::

    result = update_item(text, "legal-services#1.2",
                         {"status": "completed", "add_evidence": ["鄂城法办发〔2024〕3号"]},
                         display="data/findings/legal-services.yaml", today=dt.date(2024, 7, 1))
    print(result.diff())        # unified diff, empty when nothing changes
    result.after                # the new text; rectifykit.edit.write() writes it
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from rectifykit import yamlio
from rectifykit.edit.core import Context, Edit, EditError, check_texts, dump, errors, refusals, tree
from rectifykit.edit.measures import set_measures
from rectifykit.i18n import _
from rectifykit.model.records import DONE_STATES, State
from rectifykit.model.wording import STATE_LABEL, join_labels

TRACKING_ORDER = ("covers", "points", "state", "status", "measures_label", "measures", "leader", "department",
                  "person", "reviewer", "deadline", "completed_on", "next_review", "evidence", "notes", "parts")
"""Where a key that was not there is inserted in a response or a part: after its predecessors in this order."""
DATE_FIELDS = frozenset({"deadline", "completed_on", "next_review"})
TEXT_FIELDS = frozenset({"leader", "department", "person", "reviewer", "notes", "label"})
CHANGE_KEYS = DATE_FIELDS | TEXT_FIELDS | {"status", "evidence", "add_evidence", "measures"}
"""The keys :func:`update_item` accepts."""
_NOT_STARTED = "- status:\n    states: [not_started]\n    label: x\n"
"""The response a problem without responses gets when its first item is set (a draft's item is not started)."""


def parse_item_key(key: str) -> tuple[str | None, int, int | None]:
    """``id#2`` → (id, 1, None); ``id#2.1`` → (id, 1, 0); ``#2`` or ``2`` → (None, 1, None); ``id`` → (id, 0, None)."""
    problem, sep, suffix = key.partition("#")
    if not sep:
        if key.replace(".", "").isdigit():
            problem, suffix = "", key
        else:
            return key or None, 0, None
    numbers = suffix.split(".")
    if not 1 <= len(numbers) <= 2 or not all(n.isdigit() and int(n) >= 1 for n in numbers):
        raise EditError(_("{key!r} is not an item: write PROBLEM-ID#N or PROBLEM-ID#N.M").format(key=key))
    part = int(numbers[1]) - 1 if len(numbers) == 2 else None
    return problem or None, int(numbers[0]) - 1, part


def _date_value(name: str, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise EditError(_("{field}: write the date as YYYY-MM-DD").format(field=name)) from None


def _text_value(name: str, value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise EditError(_("{field}: the value is empty; to remove the field use --unset {field}").format(field=name))
    return text


def _set_key(mapping: Any, key: str, value: Any) -> None:
    """Set ``key`` in a round-trip mapping, keeping its place, or inserting it where :data:`TRACKING_ORDER` says."""
    if key in mapping:
        old = mapping[key]
        mapping[key] = yamlio.restyled(old, value) if isinstance(old, str) and isinstance(value, str) else value
        return
    rank = {k: i for i, k in enumerate(TRACKING_ORDER)}
    mine = rank.get(key, len(TRACKING_ORDER))
    position = 0
    for i, existing in enumerate(mapping):
        if rank.get(existing, -1) <= mine:
            position = i + 1
    mapping.insert(position, key, value)


def _set_list(mapping: Any, key: str, values: list[str]) -> None:
    """Replace a list's entries in place (keeping its flow or block style), or add the list."""
    if key in mapping and isinstance(mapping[key], list):
        current = mapping[key]
        del current[:]
        current.extend(values)
    else:
        _set_key(mapping, key, list(values))


def _state(value: Any) -> State | None:
    try:
        return State(str(value))
    except ValueError:
        return None


def _states_of(response: Any) -> list[State]:
    """The states of a response's parts (those that name a known state)."""
    found = (_state(p.get("state")) for p in response.get("parts") or [] if isinstance(p, dict))
    return [s for s in found if s is not None]


def _label_for(states: list[State]) -> str:
    return join_labels([STATE_LABEL[s] for s in states])


def _status_of(response: Any) -> Any:
    """The response's status mapping; one not started is added to a response without one (a draft's)."""
    status = response.get("status")
    if not isinstance(status, dict):
        status = yamlio.rt_load(_NOT_STARTED)[0]["status"]
        status["label"] = STATE_LABEL[State.not_started]
        _set_key(response, "status", status)
    return status


def _responses(rt_tree: Any, display: str, *, adding: bool) -> Any:
    """The problem's list of responses; a problem that has none yet (a draft) gets one not started when
    ``adding`` (its first item is being set)."""
    responses = rt_tree.get("responses")
    if responses is not None and not isinstance(responses, list):
        raise EditError(_("{file}: 'responses' is not a list; fix it first (rectify validate)").format(file=display))
    if not responses and adding:
        new = yamlio.rt_load(_NOT_STARTED)
        new[0]["status"]["label"] = STATE_LABEL[State.not_started]
        if responses is None:
            rt_tree["responses"] = new
        else:
            responses.extend(new)
        return rt_tree["responses"]
    return responses or []


def target_of(rt_tree: Any, item_key: str, *, display: str) -> tuple[Any, Any, bool]:
    """The mapping an item key names in a problem's round-trip tree: (target, its response, is a part).

    The first item of a problem without responses (a draft's, not started) is added. EditError when the key
    names another problem or an item that does not exist.
    """
    problem, r, p = parse_item_key(item_key)
    pid = rt_tree.get("id")
    if problem is not None and problem != pid:
        raise EditError(_("{file} holds problem {id!r}, not {problem!r}").format(file=display, id=pid, problem=problem))
    responses = _responses(rt_tree, display, adding=r == 0 and p is None)
    if not 0 <= r < len(responses) or not isinstance(responses[r], dict):
        raise EditError(_("problem {id!r} has {n} responses; there is no #{r}").format(id=pid, n=len(responses),
                                                                                         r=r + 1))
    response = responses[r]
    if p is None:
        return response, response, False
    parts = response.get("parts") or []
    if not 0 <= p < len(parts) or not isinstance(parts[p], dict):
        raise EditError(_("response {id}#{r} has {n} parts; there is no .{p}").format(
            id=pid, r=r + 1, n=len(parts), p=p + 1))
    return parts[p], response, True


def with_completion_date(text: str, item_key: str, changes: Mapping[str, Any], *, today: dt.date,
                         display: str = "<text>") -> dict[str, Any]:
    """``changes`` as ``rectify set`` makes them: completing an item (a done status) that has no completion
    date, and giving none, records ``today`` as its date."""
    out = dict(changes)
    if _state(out.get("status")) not in DONE_STATES or "completed_on" in out:
        return out
    try:
        target, _response, _part = target_of(tree(text, display), item_key, display=display)
    except EditError:
        return out  # update_item says what is wrong
    if target.get("completed_on") is None:
        out["completed_on"] = today
    return out


def update_item(
    text: str, item_key: str, changes: Mapping[str, Any], *, display: str = "<text>",
    today: dt.date | None = None, context: Context | None = None, checked: bool = True,
) -> Edit:
    """Set fields of one item (a response ``id#N`` or a part ``id#N.M``) of a problem's text, keeping comments.

    ``changes`` (keys of :data:`CHANGE_KEYS`):

    - ``status``: a canonical state (``completed``…). On a response its ``status.states``
      becomes ``[state]`` and the label the usual wording of that state (整改完成…) unless
      ``label`` is given; on a part its ``state`` changes and the response's states (and, unless
      ``label`` is given, its combined label 视同完成，持续整改；需持续整改) follow its parts;
    - ``label``: the published wording of the response's status;
    - ``leader``, ``department``, ``person``, ``reviewer``, ``notes``: text;
    - ``deadline``, ``completed_on``, ``next_review``: a date or ``YYYY-MM-DD``;
    - ``measures`` (a response only): a list of paragraphs, each a text or ``{"intro", "items", "outro"}``
      (:func:`rectifykit.edit.measures.from_text` reads them from their text form); paragraphs equal to
      the present ones are kept as written, the others get full-width punctuation; ``[]`` removes them;
    - ``evidence``: a list that replaces the item's evidence; ``add_evidence``: entries appended
      (those already there are skipped);
    - a value of None removes the field (e.g. ``{"completed_on": None}``).

    A problem without responses yet (a draft) gets its first response, not started, when ``id#1`` is set.
    Returns the :class:`Edit` with the diagnostics of the edited text (every rule set, with ``context``'s
    other records, as of ``today``; none when not ``checked``, for a caller that checks a set of edits
    once). Raises :class:`EditError` for an unknown key, a bad value, an item
    that does not exist, or a text that cannot be edited safely (not YAML, a value out of range).
    """
    unknown = sorted(set(changes) - CHANGE_KEYS)
    if any(changes.get(k, "") is None for k in ("status", "label")):
        raise EditError(_("the status and its label cannot be removed, only changed"))
    if unknown:
        raise EditError(_("cannot set {fields}; known: {known}").format(
            fields=", ".join(unknown), known=", ".join(sorted(CHANGE_KEYS))))
    rt_tree = tree(text, display)
    target, response, part = target_of(rt_tree, item_key, display=display)
    if not part and response.get("parts") and "status" in changes:
        _problem, r, _p = parse_item_key(item_key)
        raise EditError(_("response {id}#{r} is divided into parts; set the status of a part ({id}#{r}.1 …)").format(
            id=rt_tree.get("id"), r=r + 1))
    if part and "measures" in changes:
        _problem, r, _p = parse_item_key(item_key)
        raise EditError(_("the measures belong to the whole response: set them on {id}#{r}").format(
            id=rt_tree.get("id"), r=r + 1))
    apply_changes(target, response, changes, part=part)
    after = dump(rt_tree)
    if not checked:
        return Edit(text, after, display)
    day = today or dt.date.today()
    found = check_texts({display: after}, today=day, context=context)
    before = check_texts({display: text}, today=day, context=context) if errors(found) else []
    return Edit(text, after, display, found, refusals(before, found))


def apply_changes(target: Any, response: Any, changes: Mapping[str, Any], *, part: bool) -> None:
    """Make ``changes`` (see :func:`update_item`) in an item's mapping of a round-trip tree, in place."""
    for name, value in changes.items():
        if name in ("status", "label"):
            continue
        if value is None:
            if name in target:
                del target[name]
        elif name == "measures":
            set_measures(target, value, put=_set_key)
        elif name in DATE_FIELDS:
            _set_key(target, name, _date_value(name, value))
        elif name == "evidence":
            _set_list(target, "evidence", [_text_value(name, v) for v in value])
        elif name == "add_evidence":
            current = list(target.get("evidence") or [])
            current += [e for e in (_text_value(name, v) for v in value) if e not in current]
            _set_list(target, "evidence", current)
        else:
            _set_key(target, name, _text_value(name, value))
    label = changes.get("label")
    if "status" in changes:
        state = _state(changes["status"])
        if state is None:
            raise EditError(_("unknown status {value!r}; allowed: {allowed}").format(
                value=changes["status"], allowed=", ".join(s.value for s in State)))
        status = _status_of(response)
        old_states = [_state(s) for s in status.get("states") or []]
        if part:
            _set_key(target, "state", state.value)
            order = list(State)
            states = sorted(set(_states_of(response)), key=order.index)
        else:
            states = [state]
        if states != old_states:
            _set_list(status, "states", [s.value for s in states])
            if label is None:
                label = _label_for(states)
    if label is not None:
        _set_key(_status_of(response), "label", _text_value("label", label))
