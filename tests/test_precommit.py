"""The pre-commit hooks of .pre-commit-hooks.yaml on a temporary repository: a broken record is refused.

Offline: the hooks are run as ``repo: local`` hooks (``language: system``) whose entry is the installed
``rectify``, so pre-commit fetches nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import env, git

pytest.importorskip("pre_commit")

REPO = Path(__file__).resolve().parents[1]
BASE = Path(__file__).parent / "cases" / "_base" / "project"
RECTIFY = Path(sys.executable).parent / "rectify"


def local_config() -> str:
    """The published hooks, as local hooks running the installed rectify."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["rectify-validate", "rectify-fmt"]
    for hook in hooks:
        hook["language"] = "system"
        hook["entry"] = hook["entry"].replace("rectify", f"{RECTIFY} --lang en", 1)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, allow_unicode=True, sort_keys=False)


def commit(repo: Path, message: str, hooks_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message], cwd=repo,
                          env={**env("Clerk One", "2024-05-01"), **hooks_env}, capture_output=True, text=True)


@pytest.mark.skipif(not RECTIFY.exists(), reason="rectify is not installed beside this Python")
def test_the_hooks_refuse_a_broken_record_and_fix_punctuation(tmp_path: Path) -> None:
    repo = tmp_path / "records"
    shutil.copytree(BASE, repo)
    (repo / ".pre-commit-config.yaml").write_text(local_config(), encoding="utf-8")
    git(repo, "init", "-q")
    hooks_env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"), "PRE_COMMIT_COLOR": "never"}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env={**env(), **hooks_env},
                   check=True, capture_output=True)

    first = commit(repo, "the records", hooks_env)
    assert first.returncode == 0, first.stdout + first.stderr
    head = git(repo, "rev-parse", "HEAD")

    mediation = repo / "data/findings/mediation.yaml"
    good = mediation.read_text(encoding="utf-8")
    mediation.write_text(good.replace("order: 1", "order: first"), encoding="utf-8")
    refused = commit(repo, "a broken record", hooks_env)
    assert refused.returncode != 0
    assert "RK103" in refused.stdout + refused.stderr
    assert git(repo, "rev-parse", "HEAD") == head

    mediation.write_text(good.replace("title: 纠纷调解机制不健全。", "title: 纠纷调解机制不健全,调解(组织)不规范。"),
                         encoding="utf-8")
    reformatted = commit(repo, "ASCII punctuation", hooks_env)
    assert reformatted.returncode != 0  # the fmt hook changed the file: look, add, commit again
    assert "title: 纠纷调解机制不健全，调解（组织）不规范。" in mediation.read_text(encoding="utf-8")
    assert git(repo, "rev-parse", "HEAD") == head
    accepted = commit(repo, "full-width punctuation", hooks_env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(repo, "rev-parse", "HEAD") != head
