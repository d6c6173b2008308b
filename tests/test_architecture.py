"""The boundaries of the layout stay honest: each library is imported in one place."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rectifykit"


def importers(library: str) -> set[str]:
    pattern = re.compile(rf"^\s*(import {library}\b|from {library}\b)", re.M)
    return {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("typer", r"cli/.*"),
        ("ruamel", r"yamlio/.*"),
        ("yaml", r"yamlio/.*"),
        ("jinja2", r"notice/(render|sandbox)\.py"),
        ("rich", r"reports/status\.py|cli/.*"),  # the table; the progress bar on stderr
        ("docx", r"notice/docx(_documents)?\.py|importer/reading\.py"),  # writing; reading a notice to import it
        ("openpyxl", r"reports/ledger(_read)?\.py"),
        ("starlette", r"serve/.*"),
        ("uvicorn", r"serve/.*"),
    ],
)
def test_each_library_is_imported_only_where_it_belongs(library: str, allowed: str) -> None:
    found = importers(library)
    assert found, f"nothing imports {library}?"
    assert all(re.fullmatch(allowed, name) for name in found), found


def test_help_and_validate_do_not_import_the_renderer_or_the_round_trip_parser() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        "r = CliRunner().invoke(app, ['validate', '--root', sys.argv[1]])\n"
        "print(r.exit_code, 'jinja2' in sys.modules, 'ruamel.yaml' in sys.modules)\n"
    )
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", code, root], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "False"]


# --- the layout by stage: arrows point down only --------------------------------------------

STAGES = [
    {"i18n"},
    {"diagnostics", "fsio"},
    {"model"},
    {"yamlio"},
    {"load"},
    {"check"},
    {"track"},
    {"notice"},
    {"reports"},
    {"edit", "importer"},
    {"cli", "serve"},
    {"__main__"},
]
"""Each stage may import from the stages before it (and from itself), never from one after it."""
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
IMPORT = re.compile(
    r"^\s*(?:from rectifykit(?:\.(?P<mod>[\w.]+))? import (?P<names>[\w, ]+)|import rectifykit\.(?P<imp>[\w.]+))", re.M
)


def stage_imports() -> dict[str, set[str]]:
    """Stage → the stages its modules import (the package's face ``rectifykit`` itself left out)."""
    out: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        me = path.relative_to(SRC).with_suffix("").parts[0]
        for m in IMPORT.finditer(path.read_text(encoding="utf-8")):
            dotted = m["mod"] or m["imp"]
            targets = [dotted.split(".")[0]] if dotted else [n.strip().split()[0] for n in m["names"].split(",")]
            out.setdefault(me, set()).update(t for t in targets if t and t != me and t in RANK)
    return out


def test_the_top_of_the_package_names_its_stages() -> None:
    entries = sorted(p.name for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists())
    assert len(entries) <= 16, entries
    assert {p.removesuffix(".py") for p in entries} <= set(RANK) | {"__init__"}, entries


def test_no_stage_imports_from_a_stage_after_it() -> None:
    upward = sorted((me, t) for me, targets in stage_imports().items() for t in targets if RANK[t] > RANK[me])
    assert upward == [], f"imports that point up the stages: {upward}"


def test_no_module_is_longer_than_400_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}, long


def test_no_import_circle_between_modules() -> None:
    """Module-level imports (not those inside functions) form no circle."""
    graph: dict[str, set[str]] = {}
    top = re.compile(
        r"^(?:from rectifykit(?:\.(?P<mod>[\w.]+))? import (?P<names>[\w, ()]+)|import rectifykit\.(?P<imp>[\w.]+))",
        re.M,
    )
    modules = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__") for p in SRC.rglob("*.py")}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8").split("if TYPE_CHECKING:")[0]
        for m in top.finditer(text):
            base = m["mod"] or m["imp"] or ""
            names = [""] if m["imp"] else [x.strip(" ()").split()[0] for x in m["names"].split(",") if x.strip(" ()")]
            for n in names:
                cand = f"{base}.{n}".strip(".") if n else base
                target = cand if cand in modules else base
                if target in modules and target != name:
                    graph.setdefault(name, set()).add(target)
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if seen.get(nxt) == 1:
                raise AssertionError("import circle: " + " → ".join([*path[path.index(nxt):], nxt]))
            if nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node, [node])


def test_every_type_ignore_names_its_code_and_says_why() -> None:
    # mypy (run by `make test`) refuses an ignore without a code or one that ignores nothing; the reason is ours
    said = re.compile(r"# type: ignore\[[\w-]+(, [\w-]+)*\]  # \S")
    bare = [
        f"{path.relative_to(SRC).as_posix()}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line and not said.search(line)
    ]
    assert not bare, f"a type: ignore without its code and a reason: {bare}"
