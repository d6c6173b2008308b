"""The file side of an edit: reading a record's text for it, and the one locked, atomic write at the end.

Every rectify command that edits records holds the lock of their folder (``fsio.locked``, the file
``.rectify.lock``) from reading to renaming; a file is replaced only if it still holds the bytes it was
read with (an editor or script that wrote it meanwhile is never overwritten), and never through a link.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from rectifykit import diagnostics, fsio
from rectifykit.diagnostics import Diagnostic
from rectifykit.edit.core import Edit, EditError
from rectifykit.i18n import _
from rectifykit.load.records import decode, printable


def changed_message(display: str) -> str:
    """What to tell when a record changed between reading it and writing the edit (nothing was written)."""
    return _("{file} changed since it was read; run the command again").format(file=display)


@contextlib.contextmanager
def locked(path: Path, display: str) -> Iterator[None]:
    """Hold the lock for editing the record at ``path`` (see :func:`rectifykit.fsio.locked`).

    EditError when another command keeps it too long, or when its name is taken by a link or folder.
    """
    try:
        with fsio.locked(path):
            yield
    except fsio.LockBusy:
        raise EditError(_("{file} is being edited by another rectify command; nothing was written: "
                          "run the command again when it has finished").format(file=display), retry=True) from None
    except fsio.LockRefused as exc:
        raise EditError(_("{lock} is not a plain file, so {file} cannot be locked for editing; nothing was "
                          "written: delete {lock} and run the command again").format(
                              lock=exc.path.as_posix(), file=display), retry=True) from None


def link_diagnostic(path: Path, display: str) -> Diagnostic:
    """RK025 for a link, inside the project or not: an edit would replace it or write through it. The
    target is named as the link spells it (a path, never the content)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return diagnostics.make("RK025", display, 1, 1, target=printable(target))


def read_text(path: Path, display: str) -> str:
    """A record's text for an edit, exactly as it is (byte order mark and line ends included): never through a
    link (the edit would be written in its place), never from a FIFO or device (opening it could block)."""
    try:
        raw = fsio.read_regular(Path(path), follow=False)
    except fsio.LinkRefused:
        diag = link_diagnostic(Path(path), display)
        raise EditError(diag.message, [diag]) from None
    except OSError as exc:
        diag = diagnostics.make("RK001", display, 1, 1, reason=exc.strerror or str(exc))
        raise EditError(diag.message, [diag]) from None
    text = decode(raw, display)
    if isinstance(text, Diagnostic):
        raise EditError(text.message, [text])
    return raw.decode("utf-8")


def write(edits: Mapping[Path, Edit]) -> list[Path]:
    """Write the edited texts, each file atomically, in one step under the locks of their folders; the files
    written (those that changed), sorted.

    Raises EditError, writing nothing, when an edit has errors that forbid it (``Edit.refused``), when a lock
    stays taken, or (``retry``) when a file no longer holds the text the edit was made from: every file is
    compared before the first is replaced.
    """
    if refused := [d for e in edits.values() for d in e.refused]:
        raise EditError(_("the edit would make the record invalid"), refused)
    changed = {path: e for path, e in sorted(edits.items()) if e.changed}
    with contextlib.ExitStack() as stack:
        for path, e in changed.items():
            stack.enter_context(locked(path, e.display))
        for path, e in changed.items():
            if os.path.islink(path):
                diag = link_diagnostic(path, e.display)
                raise EditError(diag.message, [diag])
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != e.before.encode("utf-8"):
                raise EditError(changed_message(e.display), retry=True)
        for path, e in changed.items():
            fsio.write_atomic(path, e.after)
    return list(changed)


class Exists(EditError):
    """The new record's file is there already (exit 2)."""


def create(path: Path, text: str, *, display: str) -> None:
    """Write a new record file; EditError when the name is taken (a dangling link too: never written through).

    Under the folder's lock: of two commands creating one file at once, the second finds it there.
    """
    with locked(path, display):
        if path.exists() or path.is_symlink():
            raise Exists(_("{file} already exists").format(file=display))
        fsio.write_atomic(path, text)


def record_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The YAML files among ``paths``, folders expanded to the record files inside them, sorted."""
    for path in sorted(paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not p.is_dir())
        else:
            yield path
