"""Writing output files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from rectifykit.i18n import _


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
    refuse_link(path)
    folder = path.parent
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    # A symbolic link at ``path`` was refused above; one planted between that check and the rename
    # is replaced by the file, never written through (SECURITY.md). Its target's mode is not copied.
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
        raw = read_regular(Path(path))
    except FileNotFoundError:
        return None
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


# --- links and special files (SECURITY.md): never written through, never opened when not a regular file ---


class LinkRefused(OSError):
    """The file to write is a symbolic link: rectify neither writes through it nor replaces it."""


class NotRegular(OSError):
    """The file to read is a FIFO, socket, device or folder: opening a FIFO would block for ever."""


def refuse_link(path: Path) -> None:
    """Raise :class:`LinkRefused` when ``path`` itself is a symbolic link (its folders are the user's choice)."""
    if os.path.islink(path):
        message = _("is a symbolic link; rectify never writes through a link nor replaces it: remove the link "
                    "or name another file")
        raise LinkRefused(errno.ELOOP, message, str(path))


def read_regular(path: Path, *, follow: bool = True) -> bytes:
    """The bytes of a regular file, never opening anything else: a FIFO, socket or device raises
    :class:`NotRegular` before it could block; with ``follow=False`` a link raises :class:`LinkRefused`.

    Opened with ``O_NONBLOCK`` (a FIFO swapped in after a check does not block) and, when not
    following, ``O_NOFOLLOW``; the open file is checked again with ``fstat``.
    """
    if not follow:
        refuse_link(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def check_regular(path: Path) -> None:
    """Raise :class:`NotRegular` unless ``path`` is a regular file (links followed), for files handed on
    to a library that opens them itself (a workbook, a notice to import); FileNotFoundError when absent."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
