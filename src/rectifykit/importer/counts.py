"""Counts typed in the narrative become computed placeholders, where they agree with the records.

The seed's section 四 says "聚焦党中央各项决策部署在基层的落实情况反馈意见9条，……"; with 9
problems imported in that category the 9 becomes ``{problems:KEY}``, so that the
notice counts for itself from then on. A number that disagrees (a truncated
notice, or counts of something else) is kept as typed, with a warning.
Totals (反馈25个问题, 已完成整改19个, 正在整改6个, 整改完成率76%) become
``{problems}``, ``{done}``, ``{open}``, ``{completion_rate}`` on the same terms;
done, open and the rate only when every problem is one tracked item, so that
the notice's count of problems and the records' count of items are the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rectifykit.i18n import N_, _

_COUNT_AFTER_TITLE = re.compile(r"(?P<noun>[^，,。；;：:\d]{0,12}?)(?P<n>\d+)\s*(?:条|个|项)")
TOTALS = [
    ("problems", re.compile(
        r"(?:反馈|共|发现|指出|梳理|移交)[^，,。；;\d]{0,6}?(?P<n>\d+)\s*(?:个|条|项)(?:具体)?(?:问题|意见)"
    )),
    ("problems", re.compile(r"(?:反馈问题|反馈意见)\s*共\s*(?P<n>\d+)\s*(?:个|条|项)")),
    ("done", re.compile(r"(?:已完成整改|已整改完成|已完成|已整改|完成整改)\s*(?P<n>\d+)\s*(?:个|条|项)")),
    ("open", re.compile(r"(?:正在整改|未完成|持续整改|正在推进)\s*(?P<n>\d+)\s*(?:个|条|项)")),
    ("completion_rate", re.compile(r"完成率\s*(?:为|达)?\s*(?P<n>\d+(?:\.\d+)?\s*%)")),
]
WHAT = {
    "problems": N_("problems"),
    "done": N_("problems completed"),
    "open": N_("problems open"),
    "completion_rate": N_("the completion rate"),
}


@dataclass(frozen=True)
class Counted:
    """What the records hold: problems per category key, and the totals that may be placeholders."""

    per_category: dict[str, int]
    titles: dict[str, str]
    totals: dict[str, str]
    """placeholder name → its resolved text, for the totals that can be computed."""


@dataclass(frozen=True)
class Mismatch:
    typed: str
    what: str
    counted: str


def substitute(text: str, counted: Counted) -> tuple[str, list[Mismatch]]:
    """``text`` with agreeing counts replaced by placeholders, and the counts that disagree."""
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    mismatches: list[Mismatch] = []
    for key, title in counted.titles.items():
        for found in re.finditer(re.escape(title), text):
            match = _COUNT_AFTER_TITLE.match(text, found.end())
            if match is None:
                continue
            typed, real = int(match["n"]), counted.per_category[key]
            taken.append((match.start("n"), match.end("n")))
            if typed == real:
                spans.append((match.start("n"), match.end("n"), f"{{problems:{key}}}"))
            else:
                what = _("problems of {title}").format(title=title)
                mismatches.append(Mismatch(match["n"], what, str(real)))
    for name, pattern in TOTALS:
        for match in pattern.finditer(text):
            start, end = match.start("n"), match.end("n")
            if any(a < end and start < b for a, b in taken):
                continue
            written = match["n"]
            value = counted.totals.get(name)
            if value is not None and re.sub(r"\s", "", written) == value:
                spans.append((start, end, f"{{{name}}}"))
            else:
                shown = _("no count (a status is missing, or a problem has several items)") if value is None else value
                mismatches.append(Mismatch(written, _(WHAT[name]), shown))
            taken.append((start, end))
    return replace_spans(text, spans), mismatches


def replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def checked(original: str, candidate: str, resolve: Callable[[str], str] | None) -> str:
    """The candidate when it resolves back to the original text (or cannot be resolved), else the original."""
    if resolve is None or candidate == original:
        return candidate
    return candidate if resolve(candidate) == original else original
