"""A cache of a command's whole result over a project, outside the project: a run over unchanged inputs prints
what the last run printed without reading a record (the warm path of validate, status and render).

It keeps the promises of :mod:`rectifykit.load.cache` (where it lives, and why): the user's cache folder, never
the project (a pull request cannot plant an entry); JSON, never pickle; written to a temporary file and renamed
(concurrent runs never leave half a file); a bounded number of entries, the least recently used go first;
an unreadable, corrupt or foreign entry is ignored and rewritten; a cache folder that cannot be written
never fails the run.

The key is the SHA-256 of everything that can change what the command prints:

- the bytes of every input file: ``data/inspection.yaml``, every entry of ``data/findings`` (the names of all,
  the bytes of every file, the stray ones included) and, for the commands that render, the project's
  ``templates/``;
- the command and all its options, the as-of date, the real today (completions are judged against it), the
  language of the messages;
- the tool's version, :func:`rectifykit.load.cache.schema_hash` and a stamp of the package's own files
  (name, size, time), so that another build of the tool never reads this one's results;
- the project's real path.

A project with a link, a FIFO or a device among its inputs, a file over the size limit or a missing folder is
not cached at all: those runs are rare and their diagnostics depend on more than bytes.

The evidence files named in records are checked by the review rules (RK240, RK241) on disk: the entry keeps
each one looked at, where it leads and whether it existed, and a hit looks again (a miss if any differs).

This module imports little (no parser, model or template engine), so that a hit costs one read of each input
file, the hashing and one small JSON read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rectifykit.diagnostics import Diagnostic

FORMAT = 1
MAX_RESULTS = 256
"""Entries kept (one file each); the least recently used go first."""
MAX_TOTAL = 1024 * 1024 * 1024
"""Bytes kept in all (a notice of 100,000 problems is ~0.3 GB): past it the least recently used go first."""
MAX_BYTES = 8 * 1024 * 1024
"""The largest input file hashed (as :data:`rectifykit.load.records.MAX_BYTES`): a larger one is not cached."""
_FOLDER = "results"
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)

Evidence = list[list[Any]]
"""``[text, where it leads, whether it exists]`` for each evidence entry that names a file."""


class Uncacheable(Exception):
    """An input that is not a plain folder or file: the command runs without the result cache."""


class Slot:
    """Where one command's result over one project state is kept."""

    def __init__(self, root: Path, key: str, folder: Path) -> None:
        self.root, self.key, self.folder = root, key, folder
        self.file = folder / f"{key}.json"

    def get(self) -> Any:
        """The value kept for this key, or None (none yet, unreadable, foreign, or an evidence file changed)."""
        try:
            stored = json.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return None
        if not (isinstance(stored, dict) and stored.get("format") == FORMAT and stored.get("key") == self.key):
            return None
        evidence, value = stored.get("evidence"), stored.get("value")
        if not isinstance(evidence, list) or value is None or not _same_evidence(self.root, evidence):
            return None
        with contextlib.suppress(OSError):
            os.utime(self.file)  # used: the least recently used go first
        return value

    def put(self, value: Any, *, evidence: Evidence) -> None:
        """Keep ``value`` (plain data) and the evidence files looked at; never fails the run."""
        from rectifykit.load.cache import to_json, write_quietly

        text = to_json({"format": FORMAT, "key": self.key, "evidence": evidence, "value": value})

        if write_quietly(self.file, text):
            _trim(self.folder)


def slot(root: Path, command: str, options: Mapping[str, object], *, templates: bool = False) -> Slot | None:
    """The place of ``command``'s result with ``options`` over the project's current files, or None when the
    project is not cached (see the module's docstring). ``templates``: the command reads ``templates/``."""
    from rectifykit.load.cache import cache_dir

    digest = hashlib.sha256()
    _feed(digest, "tool", _tool())
    _feed(digest, "root", os.path.realpath(root).encode())
    _feed(digest, "command", command.encode())
    _feed(digest, "options", json.dumps(sorted((k, v) for k, v in options.items()), default=repr).encode())
    try:
        _inputs(digest, root, templates=templates)
    except (Uncacheable, OSError):
        return None
    return Slot(root, digest.hexdigest(), cache_dir() / _FOLDER)


def evidence(root: Path, entries: Iterable[str]) -> Evidence:
    """What the review rules see of these evidence entries on disk: where each leads and whether it exists."""
    return [[text, *_look(root, text)] for text in sorted({e.strip() for e in entries})]


def diagnostics_value(found: Iterable[Diagnostic], files: int) -> dict[str, Any]:
    """A run's diagnostics and file count as plain data (every output format prints from these)."""
    rows = [[d.path, d.line, d.column, d.code, d.message, str(d.severity), d.hint] for d in found]
    return {"files": files, "diagnostics": rows}


def diagnostics_from(value: Any) -> tuple[list[Diagnostic], int] | None:
    """The diagnostics and file count kept by :func:`diagnostics_value`, or None for a value that is not that."""
    from rectifykit.diagnostics import Diagnostic, Severity

    if not isinstance(value, dict) or not isinstance(value.get("files"), int):
        return None
    if not isinstance(value.get("diagnostics"), list):
        return None
    found = []
    for row in value["diagnostics"]:
        if not (isinstance(row, list) and len(row) == 7 and row[5] in ("error", "warning")
                and all(isinstance(row[i], int) for i in (1, 2))
                and all(isinstance(row[i], str) for i in (0, 3, 4, 6))):
            return None
        path, line, column, code, message, severity, hint = row
        found.append(Diagnostic(path, line, column, code, message, Severity(severity), hint))
    return found, value["files"]


# --- the key ------------------------------------------------------------------------------


def _feed(digest: Any, name: str, data: bytes | None, kind: bytes = b"F") -> None:
    """One input: its name, what it is (``F`` bytes, ``D`` a folder, ``-`` no file: never taken for a file's
    bytes), its length and its bytes."""
    data = b"" if data is None else data
    digest.update(b"%s\0%s\0%d\0" % (name.encode("utf-8", "surrogateescape"), kind, len(data)))
    digest.update(data)


_tool_stamp: list[bytes] = []


def _tool() -> bytes:
    """The version, the schema hash and the stamp of the package's files (once per process)."""
    if not _tool_stamp:
        from rectifykit import __version__
        from rectifykit.load.cache import schema_hash

        digest = hashlib.sha256(f"{__version__}\0{schema_hash()}\0".encode())
        package = Path(__file__).resolve().parents[1]
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{os.path.relpath(folder, package)}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode(
                    "utf-8", "surrogateescape"))
        _tool_stamp.append(digest.digest())
    return _tool_stamp[0]


def _inputs(digest: Any, root: Path, *, templates: bool) -> None:
    """Feed the names and bytes of every input file; :class:`Uncacheable` for anything but plain folders/files."""
    data, findings = root / "data", root / "data" / "findings"
    for folder in (data, findings):
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise Uncacheable(folder)
    inspection = data / "inspection.yaml"
    if os.path.lexists(inspection):
        _feed(digest, "data/inspection.yaml", _read(inspection))
    else:
        _feed(digest, "data/inspection.yaml", None, b"-")
    with os.scandir(findings) as it:
        names = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in it)
    listing = os.fspath(findings)
    _feed(digest, "data/findings", b"%d" % len(names))
    for name, is_dir in names:
        _feed(digest, name, None, b"D") if is_dir else _feed(digest, name, _read(os.path.join(listing, name)))
    if templates:
        _folder(digest, root, "templates")


def _folder(digest: Any, root: Path, name: str) -> None:
    """Every file under ``root/name`` (none when it is absent), by path."""
    top = root / name
    if not os.path.lexists(top):
        _feed(digest, name, None, b"-")
        return
    if not stat.S_ISDIR(os.lstat(top).st_mode):
        raise Uncacheable(top)
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for sub in dirs:
            if os.path.islink(os.path.join(folder, sub)):
                raise Uncacheable(sub)
        for file in sorted(files):
            path = os.path.join(folder, file)
            _feed(digest, os.path.relpath(path, root), _read(Path(path)))


def _read(path: str | Path) -> bytes:
    """A regular file's bytes, never following a link nor opening a FIFO or device (:class:`Uncacheable`)."""
    fd = os.open(path, _READ)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            raise Uncacheable(path)
        data = os.read(fd, info.st_size + 1)  # one read for a file that does not grow meanwhile
        if len(data) <= info.st_size:
            return data
        chunks = [data]
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:  # a link (ELOOP under O_NOFOLLOW) and the like
        raise Uncacheable(path) from exc
    finally:
        os.close(fd)


# --- evidence on disk ------------------------------------------------------------------------


def _look(root: Path, text: str) -> list[Any]:
    """Where an entry leads as the review rule resolves it (a loop of links: no place, RK240), and whether it
    exists (RK241)."""
    path = root / text
    try:
        where = str(path.resolve())
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        where = "\0unresolved"
    return [where, os.path.exists(path)]


def _same_evidence(root: Path, kept: list[Any]) -> bool:
    for entry in kept:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
            return False
        if _look(root, entry[0]) != entry[1:]:
            return False
    return True


def _trim(folder: Path) -> None:
    """Keep the most recently used entries: at most :data:`MAX_RESULTS`, :data:`MAX_TOTAL` bytes in all
    (the newest is always kept)."""
    found = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.endswith(".json"):
                with contextlib.suppress(OSError):  # gone meanwhile: another run trimmed it
                    info = entry.stat(follow_symlinks=False)
                    found.append((info.st_mtime_ns, info.st_size, entry.path))
    total = 0
    for n, (_, size, path) in enumerate(sorted(found, reverse=True)):
        total += size
        if n and (n >= MAX_RESULTS or total > MAX_TOTAL):
            with contextlib.suppress(OSError):
                os.unlink(path)
