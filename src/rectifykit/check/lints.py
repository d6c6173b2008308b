"""Review rules and quality lints (RK240–RK279): what a reviewer checks before an item is closed.

Review rules, the way 对账销号 closes an item only after review:

- RK240/RK241: evidence that names a file must stay inside the project folder
  and exist (a URL or a document number such as 鄂城法办发〔2023〕6号 is not a file);
- RK244: the reviewer who signs off an item is not its leader, department or
  person in charge;
- with ``strict`` (``validate --strict``, for CI): a completed item needs
  evidence (RK242) and a reviewer (RK243), and an open item needs an owner or a
  deadline (RK247), the gaps the seed's inspectors found in rectification lists.

Quality lints: measures copied word for word between different items (RK245)
and placeholder text left in a record (RK246: TODO, 待补充, XXX …). The
back-dating lint (RK248) needs the git history: see :func:`backdated` and
``rectify log``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, TypeAlias

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.i18n import N_, _
from rectifykit.model import items as tally
from rectifykit.model.records import Finding, Inspection

if TYPE_CHECKING:
    from rectifykit.check.facts import Facts
    from rectifykit.load.records import Loaded
    from rectifykit.yamlio import Path_

    Place = Callable[[Facts, Path_], tuple[int, int]]

STRICT_CODES = frozenset({"RK242", "RK243", "RK247"})
"""Checked only with ``strict``."""
MIN_COPIED = 15
"""Measures shorter than this (in characters, spaces left out) are not reported as copies:
short set phrases (持续抓好落实。) recur legitimately."""
BACKDATE_DAYS = 30
"""Default of ``rectify log --backdate-days``: how long after its completed date a completion may be recorded."""

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])"
    r"|(?<![A-Za-z])X{3,}(?![A-Za-z])"
    r"|×{3,}|(?<!有)待补充|待填写|请填写|此处填写"
)
"""Text that stands in for what is still to be written."""
_MARKERS = ("TODO", "TBD", "FIXME", "XXX", "×××", "待补充", "待填写", "请填写", "此处填写")
"""Substrings one of which every match of :data:`PLACEHOLDER` contains (a fast first look)."""

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,6}$")
_ROLES = (("leader", N_("leader in charge")), ("department", N_("department in charge")),
          ("person", N_("person in charge")))


def own(
    item: Loaded[Finding], *, looked: Looked, units: Sequence[tally.Unit], strict: bool = False
) -> list[Diagnostic]:
    """The review rules and lints that one problem file decides alone, given what :func:`look` found of its
    evidence files and its tracked items (:func:`rectifykit.check.files.own` makes both once); ``strict`` adds
    :data:`STRICT_CODES`."""
    out = [*evidence_files(item, looked), *reviewers(item, units)]
    if strict:
        out += closed_items(item, units)
        out += unowned_items(item, units)
    out += placeholders(item.path, item.located.data, item.located)
    return out


def across(
    inspection: Loaded[Inspection] | None, facts: Sequence[Facts], place: Place, *,
    copied: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """The lints over all the records (and the inspection record's own); ``copied``: the copied-measures
    rule's findings when the caller keeps them (``rectify serve``)."""
    out = list(copied_measures(facts, place)) if copied is None else list(copied)
    if inspection is not None:
        out += placeholders(inspection.path, inspection.located.data, inspection.located)
    return out


# --- evidence -----------------------------------------------------------------


def is_file_reference(evidence: str) -> bool:
    """Whether an evidence entry names a file: a path with a folder or an extension, not a URL or a document number."""
    text = evidence.strip()
    if _URL.match(text):
        return False
    return "/" in text or "\\" in text or bool(_EXTENSION.search(text))


def outside(evidence: str, root: Path) -> bool:
    """Whether a file reference leaves the project folder: absolute, ``..`` past the root, or a link out of it."""
    text = evidence.strip()
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive:
        return True
    depth = 0
    for part in re.split(r"[/\\]", text):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    try:
        return not (root / text).resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return True


def _evidence_lists(record: Finding) -> Iterator[tuple[Path_, list[str]]]:
    """Each evidence list written in the record (a part's own list, not what it inherits)."""
    for r, response in enumerate(record.responses):
        yield ("responses", r, "evidence"), response.evidence
        for p, part in enumerate(response.parts):
            if "evidence" in part.model_fields_set:
                yield ("responses", r, "parts", p, "evidence"), part.evidence


Looked: TypeAlias = "list[tuple[Path_, str, bool, bool]]"
"""Each evidence entry that names a file: where it stands in the record, the entry, whether it leaves the
project and whether it existed (looked at once: the rules and the cache's check both read it)."""
Evidence = list[tuple[str, bool, bool]]
"""The evidence entries that name files, each with whether it left the project and whether it existed."""


def named_files(record: Finding) -> Iterator[tuple[Path_, str]]:
    """Each evidence entry that names a file, with where it stands in the record."""
    for where, entries in _evidence_lists(record):
        for i, entry in enumerate(entries):
            if is_file_reference(entry):
                yield (*where, i), entry


def look(record: Finding, root: Path) -> Looked:
    """What the evidence rules look at on disk: each file an evidence entry names."""
    seen = []
    for where, entry in named_files(record):
        leaves = outside(entry, root)
        seen.append((where, entry, leaves, not leaves and (root / entry.strip()).exists()))
    return seen


def evidence_files(item: Loaded[Finding], looked: Looked) -> Iterator[Diagnostic]:
    """RK240 outside the project, RK241 missing: for each evidence entry that names a file."""
    for where, entry, leaves, existed in looked:
        if leaves:
            yield diagnostics.make("RK240", item.path, *item.located.value_at(where), evidence=entry)
        elif not existed:
            yield diagnostics.make("RK241", item.path, *item.located.value_at(where), evidence=entry)


def evidence_seen(looked: Looked) -> Evidence:
    """What the file's own rules depend on besides its bytes: they hold while this stays the same."""
    return [(entry, leaves, existed) for _where, entry, leaves, existed in looked]


def evidence_unchanged(seen: Evidence, root: Path) -> bool:
    """Whether the evidence files are as :func:`evidence_seen` found them."""
    for entry, leaves, existed in seen:
        now = outside(entry, root)
        if now != leaves or (not now and (root / entry.strip()).exists() != existed):
            return False
    return True


# --- who closes an item ---------------------------------------------------------


def _place(item: Loaded[Finding], unit: tally.Unit) -> tuple[int, int]:
    """Where a diagnostic about an item goes: its response's status, or its part."""
    where: Path_ = ("responses", unit.response_index)
    if unit.part_index is None:
        return item.located.key_at((*where, "status"))
    return item.located.value_at((*where, "parts", unit.part_index))


def field_path(unit: tally.Unit, name: str) -> Path_:
    """Where a tracking field of an item is written: in its part when the part sets it, else in the response."""
    where: Path_ = ("responses", unit.response_index)
    if unit.part_index is not None:
        part = unit.finding.responses[unit.response_index].parts[unit.part_index]
        if name in part.model_fields_set:
            return (*where, "parts", unit.part_index, name)
    return (*where, name)


def same_name(a: str | None, b: str | None) -> bool:
    """Names compared as people write them: width, case and spaces ignored."""
    if not a or not b:
        return False
    return a == b or _name_key(a) == _name_key(b)


@functools.lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    """A name as :func:`same_name` compares it (the same few names come back in every record)."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def reviewers(item: Loaded[Finding], units: Sequence[tally.Unit]) -> Iterator[Diagnostic]:
    """RK244: a reviewer who is also the item's leader, department or person in charge (once per place)."""
    seen: set[Diagnostic] = set()
    for unit in units:
        for found in reviewer_conflicts(item, unit):
            if found not in seen:
                seen.add(found)
                yield found


def reviewer_conflicts(item: Loaded[Finding], unit: tally.Unit) -> Iterator[Diagnostic]:
    """RK244 for one item."""
    t = unit.tracking
    for name, role in _ROLES:
        if same_name(t.reviewer, getattr(t, name)):
            place = item.located.value_at(field_path(unit, "reviewer"))
            yield diagnostics.make("RK244", item.path, *place, reviewer=t.reviewer, role=_(role))


def closed_items(item: Loaded[Finding], units: Sequence[tally.Unit]) -> Iterator[Diagnostic]:
    """Strict: RK242 a completed item without evidence, RK243 without a reviewer."""
    for unit in units:
        if unit.done:
            yield from review_unit(item, unit)


def review_unit(item: Loaded[Finding], unit: tally.Unit) -> Iterator[Diagnostic]:
    """The sign-off a completed item needs: evidence and a reviewer (also used by ``rectify diff``)."""
    if not unit.tracking.evidence:
        yield diagnostics.make("RK242", item.path, *_place(item, unit))
    if not unit.tracking.reviewer:
        yield diagnostics.make("RK243", item.path, *_place(item, unit))


def unowned_items(item: Loaded[Finding], units: Sequence[tally.Unit]) -> Iterator[Diagnostic]:
    """Strict: RK247 an open item with neither an owner nor a deadline."""
    for unit in units:
        t = unit.tracking
        if not unit.done and not (t.leader or t.department or t.person) and t.deadline is None:
            yield diagnostics.make("RK247", item.path, *_place(item, unit))


# --- text ---------------------------------------------------------------------------


def _strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))


def placeholders(display: str, data: Any, located: Any) -> Iterator[Diagnostic]:
    """RK246: placeholder text in any text value of a record."""
    # The file's own text when the loader kept it (comments too: only a first filter).
    whole = getattr(located, "text", None) or json.dumps(data, ensure_ascii=False, default=str)
    if not any(marker in whole for marker in _MARKERS) or not PLACEHOLDER.search(whole):
        return  # one look at the whole record first: placeholders are rare, records many
    for path, text in _strings(data):
        match = PLACEHOLDER.search(text)
        if match:
            yield diagnostics.make("RK246", display, *located.value_at(path), text=match.group())


def measure_texts(record: Finding) -> Iterator[tuple[int, Path_, str]]:
    """Every text of every response's measures: (response index, path, text)."""
    for r, response in enumerate(record.responses):
        for m, measure in enumerate(response.measures):
            where: Path_ = ("responses", r, "measures", m)
            if isinstance(measure, str):
                yield r, where, measure
                continue
            if measure.intro:
                yield r, (*where, "intro"), measure.intro
            for i, text in enumerate(measure.items):
                yield r, (*where, "items", i), text
            if measure.outro:
                yield r, (*where, "outro"), measure.outro


_WIDTH = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"))


def _normalised(text: str) -> str:
    """Text compared for copies: spaces and the width of the marks that fmt converts ignored."""
    for full, ascii_ in _WIDTH:
        text = text.replace(full, ascii_)
    return "".join(text.split())


MeasureKey: TypeAlias = "tuple[str, int, Path_, str]"
"""A measure compared for copies: (its normalised text, response index, path, text)."""


def measure_keys(record: Finding) -> list[MeasureKey]:
    """The measures of a problem that :func:`copied_measures` compares (long enough), with their keys."""
    out = []
    for r, path, text in measure_texts(record):
        if len(text) < MIN_COPIED:
            continue
        key = _normalised(text)
        if len(key) >= MIN_COPIED:
            out.append((key, r, path, text))
    return out


def copied_measures(facts: Sequence[Facts], place: Place) -> Iterator[Diagnostic]:
    """RK245: the same measure text (width and spaces ignored) in two different items."""
    first: dict[bytes, tuple[Facts, int, Path_]] = {}
    for item in sorted(facts, key=lambda f: f.path):
        for key, r, path in item.measures:
            original = first.get(key)
            if original is None:  # the first time (most measures): nothing to compare
                first[key] = (item, r, path)
                continue
            if (original[0].id, original[1]) == (item.id, r):
                continue  # the same item (a duplicated file is RK201's business)
            line, _column = place(original[0], original[2])
            other = f"{original[0].id}#{original[1] + 1} ({original[0].path}:{line})"
            yield diagnostics.make("RK245", item.path, *place(item, path), other=other)


# --- back-dating (needs the history) ---------------------------------------------------------


def backdated(
    completed_on: dt.date, recorded: dt.date, *, days: int = BACKDATE_DAYS
) -> int | None:
    """Days between a completed date and the commit that first recorded it, when more than ``days``; else None."""
    late = (recorded - completed_on).days
    return late if late > days else None
