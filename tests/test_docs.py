"""The documentation stays true: every command the user guide and the README show is run, the output they show
is what the commands print, and what is generated from the code (the command reference, the diagnostic-code
table) is current. ``make docs`` refreshes all of it; conventions in docs/docblocks.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "docs"))

import docblocks  # noqa: E402
import gen_docs  # noqa: E402

from rectifykit import diagnostics  # noqa: E402
from rectifykit.model import records as model  # noqa: E402
from rectifykit.reports import diagnostics as report  # noqa: E402

GUIDE = gen_docs.GUIDE
README = gen_docs.README
needs_tools = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("bash", "git", "make")), reason="needs bash, git and make"
)


@dataclass
class Run:
    """A document's commands run in a temporary folder: the blocks, what each command printed, the kept files."""

    blocks: list[docblocks.Block]
    results: list[docblocks.Result]
    kept: dict[str, str]


def _run(path: Path) -> Run:
    blocks = docblocks.parse(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="rk-docs-") as folder:
        work = Path(folder)
        docblocks.prepare(work)
        (work / ".artefacts").mkdir()
        results = docblocks.run(blocks, work, artefacts=work / ".artefacts")
        kept = {}
        for block in blocks:
            if block.keep:
                copy = work / ".artefacts" / f"keep-{block.start}"
                kept[block.keep[1]] = copy.read_text(encoding="utf-8") if copy.exists() else ""
    return Run(blocks, results, kept)


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    """Both documents, run side by side (each is one bash session of its own)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {path.name: pool.submit(_run, path) for path in (GUIDE, README)}
        return {name: future.result() for name, future in futures.items()}


def _report(name: str, problems: list[str]) -> str:
    return f"{name}: {len(problems)} commands failed or show stale output (run `make docs`, review the diff):\n\n" + \
        "\n\n".join(problems)


@needs_tools
def test_every_command_in_the_guide_runs_and_shows_its_real_output(runs: dict[str, Run]) -> None:
    run = runs[GUIDE.name]
    problems = docblocks.stale(run.results)
    assert not problems, _report(GUIDE.name, problems)


@needs_tools
def test_every_command_in_the_readme_runs_and_shows_its_real_output(runs: dict[str, Run]) -> None:
    run = runs[README.name]
    problems = docblocks.stale(run.results)
    assert not problems, _report(README.name, problems)


@needs_tools
def test_the_example_is_published_as_the_guide_renders_it(runs: dict[str, Run]) -> None:
    kept = runs[GUIDE.name].kept
    assert "examples/published/notice.md" in kept
    for target, text in kept.items():
        assert text, f"the guide's commands did not leave the file kept as {target}"
        assert (REPO / target).read_text(encoding="utf-8") == text, f"{target} is stale: run `make docs`"


def test_the_guide_shows_the_example_at_every_stage() -> None:
    """Status at each stage, the diff between stages, the rendered notice and the ledger, with real output."""
    shown = [c.text for b in docblocks.parse(GUIDE.read_text(encoding="utf-8")) if b.lang == "console"
             for c in b.commands]
    for date in ("2024-05-20", "2024-06-14", "2024-07-05", "2024-08-20"):
        assert f"rectify status --as-of {date}" in shown
    for command in ("rectify diff HEAD~1 HEAD", "rectify diff main HEAD --strict", "rectify render",
                    "rectify ledger --as-of 2024-07-05", "rectify ledger --apply ledger.xlsx --yes",
                    "rectify log branch-meetings"):
        assert command in shown, command
    commits = [c.text for b in docblocks.parse(GUIDE.read_text(encoding="utf-8")) if b.runs
               for c in b.commands if c.text.startswith("commit_on ")]
    assert len(commits) == 5  # the feedback, three rounds of progress, the published notice


@pytest.mark.parametrize("path", [GUIDE, README], ids=lambda p: p.name)
def test_commands_that_are_not_run_say_why_and_only_install(path: Path) -> None:
    blocks = docblocks.parse(path.read_text(encoding="utf-8"))
    assert any(b.runs for b in blocks)
    for block in blocks:
        if block.lang in ("sh", "console") and not block.runs:
            assert block.not_run and block.not_run != "?", f"line {block.start + 1}: say why it is not run"
            for command in block.commands:
                assert re.match(r"(git clone|cd |make |py |python3? -m|pip install |\.venv/|source )", command.text), \
                    f"line {command.line}: only installing is shown without being run: {command.text}"


@pytest.mark.parametrize("path", [GUIDE, README], ids=lambda p: p.name)
def test_blocks_marked_as_files_show_the_files(path: Path) -> None:
    blocks = docblocks.parse(path.read_text(encoding="utf-8"))
    assert not docblocks.files_out_of_date(blocks), "run `make docs`"


def test_the_diagnostic_code_table_in_the_guide_is_current() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    start, end = text.index(gen_docs.CODES_BEGIN), text.index(gen_docs.CODES_END) + len(gen_docs.CODES_END)
    assert text[start:end] == gen_docs.codes_table(), "the table is stale: run `make docs`"
    for code in diagnostics.CODES:
        assert f'| <a id="{code.lower()}"></a>{code} |' in text[start:end]  # what SARIF helpUri links to


def test_every_diagnostic_code_is_documented() -> None:
    assert gen_docs.undocumented_codes() == []


def test_a_code_added_without_documentation_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    codes = dict(diagnostics.CODES)
    codes["RK249"] = diagnostics.Code("RK249", diagnostics.Severity.warning, "something new")  # no hint
    codes["RK999"] = diagnostics.Code("RK999", diagnostics.Severity.error, "outside every range", "fix it")
    monkeypatch.setattr(diagnostics, "CODES", codes)
    assert gen_docs.undocumented_codes() == [
        "RK249: no message or no hint", "RK999: in no range of docs/gen_docs.py CODE_RANGES"]


def test_the_command_reference_is_generated_from_the_cli() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECTIFY_", "LC_", "LANG"))}
    done = subprocess.run([sys.executable, str(REPO / "docs" / "gen_docs.py"), "reference"], env=env,
                          capture_output=True, text=True, encoding="utf-8", check=True)
    assert done.stdout == gen_docs.REFERENCE.read_text(encoding="utf-8"), "stale: run `make docs`"
    for name in ("validate", "status", "render", "ledger", "rollup", "diff", "log", "fmt", "set", "new", "schema",
                 "import", "rules"):
        assert f"## rectify {name}\n" in done.stdout
    assert "| `--as-of` `YYYY-MM-DD` |" in done.stdout and "| `--soon` `<整数>` |" in done.stdout


def test_every_exit_code_has_a_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    meanings = gen_docs.exit_codes(report)
    assert sorted(meanings) == [0, 1, 2, 3, 130]
    monkeypatch.setattr(report, "EXIT_NEW", 4, raising=False)
    with pytest.raises(KeyError, match="EXIT_NEW"):
        gen_docs.exit_codes(report)


def _fields(cls: type, seen: set[type]) -> set[str]:
    if cls in seen:
        return set()
    seen.add(cls)
    names = set(cls.model_fields)
    for info in cls.model_fields.values():
        for inner in re.findall(r"rectifykit\.model\.records\.(\w+)", repr(info.annotation)):
            nested = getattr(model, inner)
            if isinstance(nested, type) and issubclass(nested, model.Record):
                names |= _fields(nested, seen)
    return names


def test_every_field_of_the_records_is_explained_in_the_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    fields = _fields(model.Inspection, set()) | _fields(model.Finding, set())
    assert {"unit", "deadline", "evidence", "points", "state", "intro", "plan_due", "email"} <= fields
    missing = sorted(name for name in fields if f"`{name}`" not in text)
    assert not missing, f"explain these fields in docs/使用指南.md: {missing}"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@pytest.mark.parametrize("path", [GUIDE, README, gen_docs.REFERENCE, REPO / "examples" / "README.md"],
                         ids=lambda p: p.name)
def test_links_in_the_docs_lead_somewhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{path.name}: broken link {target}"
        if anchor and linked.suffix == ".md":
            body = re.sub(r"```.*?```", "", linked.read_text(encoding="utf-8"), flags=re.S)
            anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", body, re.M)}
            assert anchor in anchors, f"{path.name}: no heading for #{anchor} in {linked.name}"


SAMPLE = """\
<!-- doc-test: not run: installs software -->
```sh
pip install rectifykit
```

```sh
mkdir -p sub
cd sub
echo one \\
  two > words.txt
```

```console
$ cat words.txt
one two
$ echo changed
as it was
$ false || echo "退出码 $?"
退出码 1
```

```sh
ls missing-file
```
"""


@needs_tools
def test_the_runner_reports_failures_and_stale_output_and_refreshes_it(tmp_path: Path) -> None:
    blocks = docblocks.parse(SAMPLE)
    assert [b.lang for b in blocks] == ["sh", "sh", "console", "sh"]
    assert blocks[0].not_run == "installs software" and not blocks[0].runs
    assert [c.text for c in blocks[1].commands] == ["mkdir -p sub", "cd sub", "echo one    two > words.txt"]
    assert [c.line for c in blocks[2].commands] == [14, 16, 18]
    (tmp_path / ".artefacts").mkdir()
    results = docblocks.run(blocks, tmp_path, artefacts=tmp_path / ".artefacts")
    problems = docblocks.stale(results)
    assert len(problems) == 2
    assert problems[0].startswith("line 16: $ echo changed") and "as it was" in problems[0]
    assert problems[1].startswith("line 23: $ ls missing-file") and "exited 2" in problems[1]
    again = docblocks.parse(docblocks.refreshed(SAMPLE, blocks, results))
    assert again[2].commands[1].shown == ["changed"]
    assert again[2].commands[0].shown == ["one two"]


def test_commit_ids_are_compared_as_such() -> None:
    assert docblocks.comparable("2024-07-05  9faec5d01d  县虚构局办公室") == \
        docblocks.comparable("2024-07-05  44a78faca4  县虚构局办公室")
    assert docblocks.comparable("deadline 2024-06-30") != docblocks.comparable("deadline 2024-06-31")
    assert docblocks.comparable("added") == "added"
