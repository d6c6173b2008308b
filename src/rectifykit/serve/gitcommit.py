"""``rectify serve --commit``: each save becomes a git commit of the files it wrote, by the author given at start."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rectifykit.i18n import _
from rectifykit.track.history import GitError, Repo


def author_identity(author: str) -> tuple[str, str]:
    """``Name <mail>`` → (name, mail); a bare name gets an empty mail."""
    name, _sep, rest = author.partition("<")
    return name.strip(), rest.rstrip(">").strip()


def commit_file(root: Path, path: Path, message: str, *, author: str, extra: Sequence[Path] = ()) -> list[str]:
    """Commit ``path`` (and ``extra``) alone; the problems as messages (empty when committed)."""
    name, mail = author_identity(author)
    files = [str(p.resolve()) for p in (path, *extra)]
    try:
        repo = Repo(root)
        repo.git("add", "--", *files)
        repo.git("-c", f"user.name={name}", "-c", f"user.email={mail}", "commit", "-q", "-m", message,
                 f"--author={name} <{mail}>", "--", *files)
    except GitError as exc:
        return [_("saved, but not committed: {reason}").format(reason=exc)]
    return []
