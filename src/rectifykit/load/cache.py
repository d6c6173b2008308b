"""A cache of what clean record files read to, outside the project, so that a repeated run skips the parse.

Why outside: anything inside the project folder can come from a pull request, and a planted entry
could make a bad record pass. The cache lives in the user's cache folder (``platformdirs``; the
environment variable :data:`CACHE_ENV` names another), one JSON file per project (never pickle:
reading it runs no code).

What an entry holds: the plain data a file read to, for a file that read and validated clean.
Its key is the SHA-256 of the file's bytes together with the tool's version, the parser, the model
(record kind) and :func:`schema_hash` (the source of the model and the YAML readers), so no entry can
describe other bytes or another version's reading. A hit is validated by the model again and keeps
the text, so that positions are found as for a fresh read; a file with a problem is never stored and
is read again each time (its diagnostics are exactly a fresh run's, in the current language). The
rules across records always run on the current records: only the per-file parse is saved.

An unreadable, corrupt or foreign cache file is ignored and replaced; it is written to a temporary
file and renamed over the old one, so concurrent runs never leave half a file (the last one wins).
Its size is bounded: the entries not used for the longest (by run) go first (:data:`MAX_ENTRIES`),
and only the most recently written :data:`MAX_PROJECTS` project files are kept. A run where every
file was found is not written back (rewriting tens of MB would cost more than the parse it saved);
the use of its entries is recorded by the next run that writes, which is when entries are evicted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectifykit.diagnostics import Diagnostic

if TYPE_CHECKING:  # the reading itself is imported when a file is read: schema_hash and cache_dir import little
    from rectifykit.load.records import Loaded, M
    from rectifykit.yamlio import Parser

CACHE_ENV = "RECTIFY_CACHE_DIR"
"""Environment variable: the folder the cache is kept in (default: the user's cache folder)."""
FORMAT = 1
MAX_ENTRIES = 250_000
"""Entries kept in one project's cache file; the least recently used go first."""
MAX_PROJECTS = 64
"""Project cache files kept; the least recently written go first."""


def cache_dir() -> Path:
    """Where the cache files are: ``$RECTIFY_CACHE_DIR``, else the platform's user cache folder."""
    if wanted := os.environ.get(CACHE_ENV):
        return Path(wanted)
    import platformdirs

    return Path(platformdirs.user_cache_dir("rectifykit", appauthor=False)) / "records"


def schema_hash() -> str:
    """A hash of the source of the records' models and of the YAML readers: a change to how a file is read
    or validated (even within one version, in development) makes other keys."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parents[1]
    for package in ("model", "yamlio"):
        for source in sorted((here / package).glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def to_json(value: Any) -> str:
    """A cache file's text: UTF-8 as it is, or escaped where a text holds what UTF-8 cannot (the lone surrogate
    of a file name that is not UTF-8)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


def write_quietly(file: Path, text: str) -> bool:
    """Write a cache file: to a temporary file in its folder, renamed over the old one (concurrent runs never
    leave half a file; the last one wins); False when it cannot be written (a read-only home is no error)."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: text that UTF-8 cannot hold (a lone surrogate)
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        return True
    return False


class RecordCache:
    """One project's cache file, read once at the start of a load and written once at the end."""

    def __init__(self, root: Path, *, parser: str, folder: Path | None = None, kind: str = "") -> None:
        from rectifykit import __version__

        self.folder = folder if folder is not None else cache_dir()
        name = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:32]
        self.file = self.folder / f"{name}{'-' + kind if kind else ''}.json"
        """One file per project and kind (records; ``checked``: see :mod:`rectifykit.check.memo`)."""
        self.salt = f"{__version__}\0{parser}\0{schema_hash()}\0".encode()
        self.run = 0
        self.entries: dict[str, list[Any]] = {}
        """key → [the run that last used it, the plain data]"""
        self.changed = False
        self._load()

    def _load(self) -> None:
        try:
            stored = json.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return  # none yet, unreadable or corrupt: written anew
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            self.changed = True
            return
        run, entries = stored.get("run"), stored.get("entries")
        if not isinstance(run, int) or not isinstance(entries, dict):
            self.changed = True
            return
        self.run = run + 1
        self.entries = {k: v for k, v in entries.items() if isinstance(v, list) and len(v) == 2}

    def read(self, raw: bytes, display: str, model: type[M], *, parser: Parser) -> Loaded[M] | list[Diagnostic]:
        """A file's bytes to its record (from the cache when these bytes read clean before) or its diagnostics."""
        from rectifykit.load.records import Loaded, parse_bytes

        key = self.key(model.__name__, raw)
        if (stored := self.get(key)) is not None and (hit := self._record(stored, raw, display, model)) is not None:
            return hit
        result = parse_bytes(raw, display, model, parser=parser)
        located = result.located if isinstance(result, Loaded) else None
        if located is not None and located.text is not None and located.parser is not None:
            self.put(key, [located.parser, located.data])  # read on the fast path: the text finds the positions
        else:
            self.drop(key)
        return result

    @staticmethod
    def _record(stored: Any, raw: bytes, display: str, model: type[M]) -> Loaded[M] | None:
        """An entry as the record a fresh read gives, or None for an entry that is not one (foreign, stale)."""
        from pydantic import ValidationError

        from rectifykit.load.records import Loaded, decode
        from rectifykit.yamlio import Located, positions

        if not (isinstance(stored, list) and len(stored) == 2 and stored[0] in ("libyaml", "ruamel")):
            return None
        parser, data = stored
        text = decode(raw, display)
        if isinstance(text, Diagnostic) or not isinstance(data, dict):
            return None
        try:
            record = model.model_validate(data)
        except ValidationError:
            return None
        return Loaded(display, record, Located(data, text=text, parser=parser, find=positions))

    def key(self, kind: str, raw: bytes) -> str:
        return hashlib.sha256(self.salt + kind.encode() + b"\0" + raw).hexdigest()

    def get(self, key: str) -> Any:
        """The plain data stored under ``key``, or None."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        entry[0] = self.run  # kept if the file is written: a run that only reads writes nothing
        return entry[1]

    def drop(self, key: str) -> None:
        """Forget an entry that did not validate (foreign or stale): it is rewritten from a fresh read."""
        if self.entries.pop(key, None) is not None:
            self.changed = True

    def put(self, key: str, data: Any) -> None:
        self.entries[key] = [self.run, data]
        self.changed = True

    def save(self) -> None:
        """Write the cache file if anything changed; never fails the run (a read-only home is no error)."""
        if not self.changed:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            newest = sorted(entries, key=lambda k: entries[k][0], reverse=True)[:MAX_ENTRIES]
            entries = {k: entries[k] for k in newest}
        text = to_json({"format": FORMAT, "run": self.run, "entries": entries})
        if write_quietly(self.file, text):
            self._trim()

    def _trim(self) -> None:
        """Keep the :data:`MAX_PROJECTS` most recently written project files. Runs at once trim the same folder:
        a file another run removed after this one listed the folder is passed over, never an error."""
        found = []
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for entry in it:
                if entry.name.endswith(".json"):
                    with contextlib.suppress(OSError):  # gone meanwhile: another run trimmed it
                        found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        for _, old in sorted(found, reverse=True)[MAX_PROJECTS:]:
            with contextlib.suppress(OSError):
                os.unlink(old)
