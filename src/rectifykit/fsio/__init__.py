"""Writing output files atomically: a reader sees the old file or the new one, never half of one.

Records are also edited under an advisory lock (:func:`locked`), so that concurrent rectify commands
editing one record take turns instead of losing each other's edits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rectifykit.i18n import _

LOCK_NAME = ".rectify.lock"
"""The lock file of a folder's records: hidden (never read as a record), kept after use (deleting a lock file
that others may be waiting on would let two holders in)."""
LOCK_TIMEOUT = 60.0
"""Seconds a command waits for another to finish editing records of the same folder."""


class LockBusy(Exception):
    """The lock was not free within the timeout: another command is editing records of the folder."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class LockRefused(Exception):
    """The lock file is not a regular file (a link or a folder planted in its place): it is not opened."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


_held: dict[str, int] = {}
"""Lock files this process holds, with how many ``locked`` blocks hold each (the lock is re-entrant)."""


@contextlib.contextmanager
def locked(path: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the advisory lock of the folder of ``path`` (its file :data:`LOCK_NAME`) for the block.

    Every rectify command that edits a record holds it from reading the record to renaming the new one
    into place. Re-entrant within the process. Raises :class:`LockBusy` after ``timeout`` seconds
    (default :data:`LOCK_TIMEOUT`), and :class:`LockRefused` when the lock's name is taken by a link or
    anything but a plain file.
    """
    from filelock import FileLock, Timeout

    lock_path = Path(path).parent / LOCK_NAME
    key = os.path.realpath(lock_path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        info = lock_path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise LockRefused(lock_path)  # opening it could truncate or block on what a link points to
    lock = FileLock(lock_path, timeout=LOCK_TIMEOUT if timeout is None else timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockBusy(lock_path) from None
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        lock.release()


def write_if_unchanged(path: Path, expected: bytes, data: bytes) -> bool:
    """Replace ``path`` atomically by ``data`` if it still holds ``expected``; False, writing nothing, if not.

    Call it under :func:`locked`: the lock keeps other rectify commands out, the comparison catches
    an editor or script that wrote the file since it was read.
    """
    try:
        current = Path(path).read_bytes()
    except FileNotFoundError:
        return False
    if current != expected:
        return False
    write_atomic_bytes(path, data)
    return True


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


def refuse_link(path: Path | str) -> None:
    """Raise :class:`LinkRefused` when ``path`` itself is a symbolic link (its folders are the user's choice)."""
    if os.path.islink(path):
        message = _("is a symbolic link; rectify never writes through a link nor replaces it: remove the link "
                    "or name another file")
        raise LinkRefused(errno.ELOOP, message, str(path))


def read_regular(path: Path | str, *, follow: bool = True, checked: bool = False) -> bytes:
    """The bytes of a regular file, never opening anything else: a FIFO, socket or device raises
    :class:`NotRegular` before it could block; with ``follow=False`` a link raises :class:`LinkRefused`.
    ``checked``: the caller has just found ``path`` to be a regular file (with ``follow=False``, not a link)
    and it is not looked at again before it is opened.

    Opened with ``O_NONBLOCK`` (a FIFO swapped in after a check does not block) and, when not
    following, ``O_NOFOLLOW``; the open file is checked again with ``fstat``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    if not checked:
        info = os.stat(path) if follow else os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            refuse_link(path)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
        parts = [os.read(fd, info.st_size + 1)]  # the whole file at once, unless it grew since
        while parts[-1]:
            parts.append(os.read(fd, 1 << 20))
        return b"".join(parts)
    finally:
        os.close(fd)


def check_regular(path: Path) -> None:
    """Raise :class:`NotRegular` unless ``path`` is a regular file (links followed), for files handed on
    to a library that opens them itself (a workbook, a notice to import); FileNotFoundError when absent."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegular(errno.EINVAL, _("not a regular file"), str(path))
