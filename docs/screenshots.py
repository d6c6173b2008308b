"""Regenerate the README's pictures from real command output (``make screenshots``).

docs/status.svg: ``rectify status --as-of 2024-12-25`` on the embedded example, 80 columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console

from rectifykit import i18n, status, statusview
from rectifykit.load import load_project

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 25)


def main() -> None:
    i18n.set_language("zh")
    project = load_project(REPO, today=AS_OF)
    report = status.build(project.inspection.record, [f.record for f in project.findings], as_of=AS_OF)
    console = Console(record=True, width=80, force_terminal=True, color_system="truecolor")
    console.print(f"$ rectify status --as-of {AS_OF.isoformat()}", style="bold")
    statusview.print_table(report, status.select(report.items), console)
    target = REPO / "docs" / "status.svg"
    console.save_svg(str(target), title="rectify status")
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
