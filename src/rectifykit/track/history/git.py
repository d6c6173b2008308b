"""Git, read-only: the repository holding a project, commits, record files at a revision (``ls-tree``, ``cat-file``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.load.project import FINDINGS, INSPECTION

MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")
"""Where the default base is looked for after ``origin/HEAD``."""
FORMAT = "%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%s"
"""``git log --format`` of :func:`parse_commit`."""
LINK_MODE = "120000"
"""A symbolic link in a git tree: its blob is the link's target path, never a record; it is never followed."""


class GitError(UsageError):
    """Git cannot answer: not installed, not a repository, an unknown revision (a usage problem, exit 2)."""


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: dt.datetime
    committed: dt.datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]


def parse_commit(line: str) -> Commit:
    """A line of `git log --format=FORMAT`."""
    sha, parents, author, email, authored, committed, subject = line.split("\x1f", 6)
    return Commit(
        sha, tuple(parents.split()), author, email,
        dt.datetime.fromisoformat(authored), dt.datetime.fromisoformat(committed), subject,
    )


class Repo:
    """The git repository holding a project folder (which may be a subfolder of it); read-only."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.top = Path(self._git(["rev-parse", "--show-toplevel"], cwd=self.root).decode().strip())
        self.prefix = self._git(["rev-parse", "--show-prefix"], cwd=self.root).decode().strip()
        """The project folder relative to the repository, ``""`` or ``"sub/dir/"``."""

    def _git(self, args: list[str], *, cwd: Path | None = None, stdin: bytes | None = None) -> bytes:
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args], cwd=cwd or self.top, input=stdin,
                capture_output=True, env=env, check=False,
            )
        except FileNotFoundError:
            raise GitError(_("git is not installed")) from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(message[0] if message else f"git {args[0]} failed ({done.returncode})")
        return done.stdout

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        """Run a git command in the repository's top folder; its output, or :class:`GitError`."""
        return self._git(list(args), stdin=stdin)

    def commit(self, rev: str) -> Commit:
        """The commit a revision names."""
        if rev.startswith("-"):
            raise GitError(_("unknown revision {rev!r}").format(rev=rev))
        try:
            sha = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
        except GitError:
            raise GitError(_("unknown revision {rev!r}").format(rev=rev)) from None
        return parse_commit(self.git("show", "-s", f"--format={FORMAT}", sha).decode("utf-8", "replace").strip())

    def default_base(self) -> str:
        """The merge-base of HEAD with the main branch (``origin/HEAD``, main, master …)."""
        candidates = []
        with contextlib.suppress(GitError):
            candidates.append(self.git("symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD").decode().strip())
        for name in (*candidates, *MAIN_BRANCHES):
            try:
                return self.git("merge-base", name, "HEAD").decode().strip()
            except GitError:
                continue
        raise GitError(_("no main branch found (main, master, origin/HEAD); name the base revision"))

    def blobs(self, specs: Sequence[str]) -> list[bytes | None]:
        """The content of each ``REV:path`` or blob id (None where it does not exist), in one ``git cat-file``."""
        if not specs:
            return []
        out = self.git("cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode("utf-8"))
        result: list[bytes | None] = []
        pos = 0
        for _spec in specs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                result.append(out[pos : pos + size])
                pos += size + 1
            else:
                result.append(None)  # "<spec> missing", or not a blob
        return result

    def record_paths(self, sha: str) -> tuple[dict[str, str], list[str]]:
        """Record files of the project at a commit: path in the repository → blob id; and the paths of
        symbolic links where a record file, data/findings or data is (never read: see :data:`LINK_MODE`)."""
        data, findings = self.prefix + FINDINGS.parent.as_posix(), self.prefix + FINDINGS.as_posix()
        inspection = self.prefix + INSPECTION.as_posix()
        listing = self.git("ls-tree", "-r", "-z", sha, "--", data)
        paths: dict[str, str] = {}
        links: list[str] = []
        for entry in listing.decode("utf-8", "replace").split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            mode, kind, blob = meta.split()
            wanted = path == inspection or is_finding_path(path, findings)
            if mode == LINK_MODE and (wanted or path in (data, findings)):
                links.append(path)
            elif kind == "blob" and mode in ("100644", "100755") and wanted:
                paths[path] = blob
        return dict(sorted(paths.items())), sorted(links)

    def changed_paths(self, base: str) -> list[str]:
        """Files changed since the merge-base of ``base`` and HEAD, in the working tree, as the project shows them."""
        sha = self.commit(base).sha
        out = self.git("diff", "--name-only", "-z", "--no-renames", "--merge-base", sha)
        return sorted(self.display(p) for p in out.decode("utf-8", "replace").split("\0") if p)

    def display(self, path: str) -> str:
        """A repository path as the project shows it (relative to the project folder)."""
        return path[len(self.prefix) :] if path.startswith(self.prefix) else path


def is_finding_path(path: str, findings: str) -> bool:
    """A record file directly inside data/findings (``findings`` is that folder's path)."""
    p = PurePosixPath(path)
    return str(p.parent) == findings and p.suffix in (".yaml", ".yml") and not p.name.startswith(".")
