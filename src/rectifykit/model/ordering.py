"""The printed order of problems: numbers 1.–N. derived from category order and position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rectifykit.model.records import Category, Finding, Inspection


@dataclass(frozen=True)
class Numbered:
    number: int
    category: Category
    finding: Finding


def numbered(inspection: Inspection, findings: Sequence[Finding]) -> list[Numbered]:
    """Problems sorted by category order, then position; numbered continuously from 1.

    Problems whose category is unknown are left out (validate reports them).
    """
    categories = {c.key: c for c in inspection.categories}
    known = [f for f in findings if f.category in categories]
    known.sort(key=lambda f: place(categories, f.category, f.order, f.id))
    return [Numbered(n, categories[f.category], f) for n, f in enumerate(known, 1)]


def place(categories: dict[str, Category], category: str, order: int, ident: str) -> tuple[int, int, str]:
    """Where a problem stands in the printed order: its category's order, then its own, then its id."""
    return categories[category].order, order, ident


def short_title(title: str, limit: int = 16) -> str:
    """A problem's title cut to ``limit`` characters, without its final full stop."""
    text = title.rstrip("。.")
    return text if len(text) <= limit else text[: limit - 1] + "…"
