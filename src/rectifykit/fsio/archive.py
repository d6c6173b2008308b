"""Office files (.xlsx, .docx) are zip archives: checked with limits before a library unpacks them.

A hostile archive can be small on disk and huge unpacked (a zip bomb), hold
thousands of entries, or carry XML with a document type declaration, whose
entities expand a few bytes into gigabytes (billion laughs) or pull in a
file of the machine (external entities). ``check`` reads every entry as a
stream, counting the bytes it really unpacks (never trusting the sizes the
archive declares), and refuses the file at the first limit passed; Office
never writes a document type declaration, so any ``<!DOCTYPE`` or
``<!ENTITY`` in an entry, in whatever encoding, refuses it too. Only then
are openpyxl or python-docx given the bytes; they parse with entity
expansion off in addition (openpyxl through defusedxml, python-docx with
lxml's ``resolve_entities=False``).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from rectifykit.i18n import _

MAX_ENTRIES = 5_000
"""A ledger has about fifteen entries, a notice with pictures a few dozen."""
MAX_TOTAL = 256 * 1024 * 1024
"""Bytes unpacked in all: a ledger of 100,000 rows is well below."""
MAX_RATIO = 200
"""Unpacked ÷ packed for one entry; XML packs 5–50 times, zip bombs 1,000 times and more."""
RATIO_FLOOR = 1024 * 1024
"""Entries that unpack to less than this are not a danger, whatever their ratio."""
_CHUNK = 1024 * 1024
_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OVERLAP = 64
"""Bytes kept from the previous chunk, so that a declaration cut in two is still found."""


class ArchiveError(Exception):
    """The file is not a zip archive that may be unpacked; the message says why (without the file name)."""


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MiB"


def check(data: bytes, *, max_total: int | None = None) -> None:
    """Refuse (ArchiveError) an archive that is malformed, too large unpacked, a bomb, or carries a DTD.

    ``max_total`` lowers MAX_TOTAL for a reader that holds the whole document in memory (python-docx).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise ArchiveError(_("it holds {n} files; an office file has fewer than {limit}").format(
                    n=len(entries), limit=MAX_ENTRIES))
            total = 0
            for entry in entries:
                total = _entry(archive, entry, total, min(max_total or MAX_TOTAL, MAX_TOTAL))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            zlib.error, ValueError) as exc:
        raise ArchiveError(_("not a valid zip archive ({reason})").format(reason=exc)) from None


def _entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, total: int, limit: int) -> int:
    """Unpack one entry as a stream, checking as it goes; the running total of bytes unpacked."""
    size, tail = 0, b""
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            total += len(chunk)
            if total > limit:
                raise ArchiveError(_("it unpacks to more than {limit}").format(limit=_mib(limit)))
            if size > RATIO_FLOOR and size > MAX_RATIO * max(entry.compress_size, 1):
                raise ArchiveError(_("{entry} is compressed more than {ratio} times (a zip bomb?)").format(
                    entry=entry.filename, ratio=MAX_RATIO))
            window = tail + chunk
            if any(declaration in window for declaration in _DECLARATIONS):  # faster than one regular expression
                raise ArchiveError(_("{entry} declares a document type or entities, which office files never do")
                                   .format(entry=entry.filename))
            tail = chunk[-_OVERLAP:]
    return total
