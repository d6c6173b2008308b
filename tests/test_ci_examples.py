"""The CI examples and the hook definitions call commands and options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rectifykit.cli import app

REPO = Path(__file__).resolve().parents[1]
FILES = [
    ".pre-commit-hooks.yaml", ".pre-commit-config.yaml", "docs/ci/github-pull-request.yml", "docs/ci/gitlab-ci.yml",
]


def commands(node: object) -> list[list[str]]:
    """Every ``rectify …`` command line in the strings of a YAML document, as arguments."""
    found: list[list[str]] = []
    if isinstance(node, dict):
        for value in node.values():
            found += commands(value)
    elif isinstance(node, list):
        for value in node:
            found += commands(value)
    elif isinstance(node, str):
        for match in re.finditer(r"(?:^|[\s;&|])rectify ([^|>\n;&]+)", node):
            found.append(shlex.split(match.group(1)))
    return found


@pytest.mark.parametrize("name", FILES)
def test_examples_use_real_commands_and_options(name: str) -> None:
    found = commands(yaml.safe_load((REPO / name).read_text(encoding="utf-8")))
    assert found, name
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"})
    for args in found:
        command = args[0]
        result = runner.invoke(app, ["--lang", "en", command, "--help"])
        assert result.exit_code == 0, (name, args, result.output)
        for option in (a.split("=")[0] for a in args[1:] if a.startswith("--")):
            assert option in result.output, (name, args, option)


def test_github_example_fills_the_job_summary_and_annotates() -> None:
    text = (REPO / "docs/ci/github-pull-request.yml").read_text(encoding="utf-8")
    for needle in ("validate --strict --format github", "status --format md >> \"$GITHUB_STEP_SUMMARY\"",
                   "--format md >> \"$GITHUB_STEP_SUMMARY\"", "render --check", "fetch-depth: 0"):
        assert needle in text
    steps = yaml.safe_load(text)["jobs"]["records"]["steps"]
    # expressions go through env:, never into the script text (script injection)
    assert all("${{" not in step.get("run", "") for step in steps)
