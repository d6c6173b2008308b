"""Temporary git repositories for tests: identity and dates per repository, never the user's git config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,  # the user's ~/.gitconfig is neither read nor written
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


def env(author: str = "Clerk One", date: str | None = None) -> dict[str, str]:
    """The environment for a git command in a test repository: isolated config, an identity, fixed dates."""
    email = author.lower().replace(" ", ".") + "@example.org"
    out = {**os.environ, **ISOLATED, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email}
    if date:
        stamp = f"{date}T10:00:00+08:00"
        out |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    return out


def git(repo: Path, *args: str, author: str = "Clerk One", date: str | None = None, check: bool = True) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo, env=env(author, date), capture_output=True, text=True, check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def commit_all(repo: Path, message: str, *, author: str = "Clerk One", date: str | None = None) -> str:
    """Stage everything and commit; the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, author=author, date=date)
    return git(repo, "rev-parse", "HEAD").strip()
