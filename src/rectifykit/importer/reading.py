"""A notice file to numbered lines: plain text, markdown, a saved web page, or .docx; the only python-docx user here.

Lines keep their text verbatim apart from the white space around them and,
in markdown, the markup (heading hashes, quotes, bullets, emphasis,
backslash escapes, comments). Empty lines are dropped; every kept line
carries its 1-based number in the file (for .docx: the number of the
paragraph, table cells counted in document order), which the import report
uses to point at it.
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rectifykit.diagnostics import InvalidInput, MissingExtra
from rectifykit.fsio import archive
from rectifykit.i18n import _
from rectifykit.model.numbering import cn_number

MAX_BYTES = 20 * 1024 * 1024
"""A notice is a few hundred kilobytes at most; a larger file is not one."""
DOCX_UNPACKED = 100 * 1024 * 1024
"""python-docx holds the whole document in memory: a notice unpacks to a few megabytes, pictures included."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
"""Control characters: a few are debris of a conversion (dropped), many or a NUL mean binary data.

Form feed, vertical tab (Word's manual line break) and the Unicode line separators end a line."""
_BULLET = re.compile(r"^[\s\u3000•·▪■●◆◇○□►▶‧∙]+")


class ReadError(InvalidInput):
    """The file cannot be read as a notice; the message says why (exit 1)."""


@dataclass(frozen=True)
class Line:
    """One non-empty line (or .docx paragraph) of the notice, stripped, with its 1-based number."""

    number: int
    text: str


def read_notice(path: Path) -> list[Line]:
    """The lines of the notice at ``path``.

    ReadError for files that are not text; MissingExtra for a .docx when python-docx is not installed.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(_("{file} is too large to be a notice ({size} bytes)").format(file=path, size=size))
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(_("cannot read {file}: {reason}").format(file=path, reason=exc.strerror or exc)) from None
    suffix = path.suffix.lower()
    if raw.startswith(b"PK\x03\x04"):
        return docx_lines(raw, path)
    if raw.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".doc":
        raise ReadError(_("{file} is an old Word .doc file; save it as .docx and import that").format(file=path))
    if raw.startswith(b"%PDF"):
        raise ReadError(_("{file} is a PDF; copy its text into a .txt file and import that").format(file=path))
    text = decode(raw, path)
    if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
        text = html_text(text)
    return text_lines(text, markdown=suffix in (".md", ".markdown"))


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (common on Chinese sites); binary data is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text or len(_CONTROL.findall(text)) > 2 + len(text) // 200:
        raise ReadError(_("{file} is not a text file (binary data)").format(file=path))
    return _CONTROL.sub("", text)


def clean(line: str, *, markdown: bool) -> str:
    """One line without surrounding white space, list bullets and (in markdown) markup."""
    if markdown:
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"^\s{0,3}(>\s?)+", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "", line)
        line = line.replace("**", "").replace("__", "")
        line = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line)
        line = re.sub(r"\\$", "", line)
        if re.fullmatch(r"\s*([-*_]\s*){3,}", line):
            return ""
    return _BULLET.sub("", line).strip()


def text_lines(text: str, *, markdown: bool = False) -> list[Line]:
    """Text to numbered non-empty lines; in markdown, comments become blank lines so numbers stay right."""
    if markdown:
        text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        cleaned = clean(line, markdown=markdown)
        if cleaned:
            out.append(Line(number, cleaned))
    return out


def docx_lines(raw: bytes, path: Path) -> list[Line]:
    """The paragraphs of a .docx in document order, table cells included (each merged cell once)."""
    try:
        import docx
        from docx.exceptions import PythonDocxError
        from docx.opc.exceptions import OpcError
    except ImportError:
        raise MissingExtra("python-docx") from None
    try:
        archive.check(raw, max_total=DOCX_UNPACKED)  # bombs, DTDs, entities: refused before python-docx unpacks
        texts = _texts(docx.Document(io.BytesIO(raw)))
    except archive.ArchiveError as exc:
        raise ReadError(_("{file} is not a readable .docx file ({reason})").format(file=path, reason=exc)) from None
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, AttributeError, SyntaxError,
            RecursionError, PythonDocxError, OpcError) as exc:
        # what python-docx raises on a malformed part (lxml's XMLSyntaxError is a SyntaxError), while loading
        # or while reading an attribute later
        reason = f"{type(exc).__name__}: {exc}"[:300]
        raise ReadError(_("{file} is not a readable .docx file ({reason})").format(file=path, reason=reason)) from None
    out = []
    for number, text in enumerate(texts, 1):
        for part in text.splitlines():
            cleaned = clean(part, markdown=False)
            if cleaned:
                out.append(Line(number, cleaned))
    return out


def _texts(document) -> list[str]:
    """The text of every paragraph, with the number Word prints before it, table cells in document order."""
    from docx.table import Table

    texts: list[str] = []
    numbers = _Numbering(document)

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Table):
                seen: set[int] = set()
                for row in block.rows:
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            walk(cell.iter_inner_content())
            else:
                texts.append(numbers.label(block) + block.text)

    walk(document.iter_inner_content())
    return texts


class _Numbering:
    """Word's automatic numbering (1. 一、 （1）), which is not in a paragraph's text: counted as Word shows it."""

    FORMATS = frozenset({"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
                         "ideographTraditional", "japaneseCounting", "taiwaneseCounting"})

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = abstract.setdefault(node.get(qn("w:abstractNumId")), {})
            for level in node.findall(qn("w:lvl")):
                fmt, text, start = (level.find(qn(f"w:{name}")) for name in ("numFmt", "lvlText", "start"))
                levels[int(level.get(qn("w:ilvl")) or 0)] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
        for node in root.findall(qn("w:num")):
            ref = node.find(qn("w:abstractNumId"))
            for ilvl, spec in abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}).items():
                self.levels[(node.get(qn("w:numId")), ilvl)] = spec

    def _numpr(self, paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = paragraph.style
        while style is not None:
            ppr = style.element.pPr
            if ppr is not None and ppr.numPr is not None:
                return ppr.numPr
            style = style.base_style
        return None

    def label(self, paragraph) -> str:
        """The number Word prints before this paragraph, or ""."""
        numpr = self._numpr(paragraph) if self.levels else None
        if numpr is None or numpr.numId is None:
            return ""
        num, ilvl = str(numpr.numId.val), int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        if (num, ilvl) not in self.levels:
            return ""
        counts = self.counters.setdefault(num, [])
        while len(counts) <= ilvl:
            counts.append(self.levels.get((num, len(counts)), ("", "", 1))[2] - 1)
        counts[ilvl] += 1
        del counts[ilvl + 1 :]
        fmt, text, _start = self.levels[(num, ilvl)]
        if fmt in ("bullet", "none"):
            return ""

        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            n = counts[level] if level < len(counts) else 1
            kind = self.levels.get((num, level), (fmt, "", 1))[0]
            return cn_number(n) if kind in self.FORMATS else str(n)

        return re.sub(r"%(\d)", value, text)


class _HtmlText(html.parser.HTMLParser):
    """The visible text of a web page, a line per block element; scripts and styles left out."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
         "header", "footer", "nav", "ul", "ol", "dd", "dt", "title"}
    )
    HIDDEN = frozenset({"head", "script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(page: str) -> str:
    """A saved web page as plain text, one line per paragraph (the page's own line numbers are lost)."""
    parser = _HtmlText()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)
