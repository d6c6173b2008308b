"""Writing output files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 (LF line ends) to ``path``: temp file in the same folder, fsync, rename, fsync folder.

    An existing file keeps its permissions; a new one gets the usual 0o666 less the umask.
    """
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, like ``write_atomic`` (for .docx and .xlsx files)."""
    path = Path(path)
    folder = path.parent
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    # A symbolic link at ``path`` is replaced by the file, never written through: the output stays
    # in the folder the user named (SECURITY.md). Its target's mode is not copied either.
    mode = info.st_mode & 0o7777 if info is not None and stat.S_ISREG(info.st_mode) else 0o666 & ~_umask()
    # mkstemp opens with O_CREAT | O_EXCL: a name taken by a planted file or link is skipped, never followed.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # the message names the file the user asked for
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; folders cannot be opened on Windows, so skip there."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_text(path: Path) -> str | None:
    """A text file's content (universal newlines; bytes that are not UTF-8 become U+FFFD), or None when absent."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
