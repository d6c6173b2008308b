"""The message catalogue: complete, compiled, and consistent with the source."""

from __future__ import annotations

import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rectifykit import i18n

SRC = Path(i18n.__file__).parent
PO = SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "rectifykit.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(SRC, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue():
    with PO.open("rb") as f:
        return read_po(f)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    cat = catalogue()
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in cat
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(source_messages() - translated)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_translations_keep_the_placeholders_of_the_source() -> None:
    for m in catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for translated in strings:
            assert fields(translated) == fields(ids[0]), (m.id, translated)


def test_the_compiled_catalogue_is_up_to_date() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, catalogue())
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with MO.open("rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert fresh._catalog == shipped._catalog, "run `make messages` to recompile the .mo"


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        ([], {}, "zh"),
        ([], {"LANG": "zh_CN.UTF-8"}, "zh"),
        ([], {"LANG": "en_US.UTF-8"}, "en"),
        ([], {"LANG": "C.UTF-8"}, "zh"),
        ([], {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (["--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "en"),
        (["--lang=zh"], {"LANG": "en_US.UTF-8"}, "zh"),
        ([], {"RECTIFY_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_language_is_chosen_from_the_command_line_then_environment(argv, env, expected) -> None:
    assert i18n.detect_language(argv, env) == expected


def test_messages_switch_language() -> None:
    try:
        i18n.set_language("zh")
        assert i18n._("the file is empty") == "文件为空"
        i18n.set_language("en")
        assert i18n._("the file is empty") == "the file is empty"
    finally:
        i18n.set_language(i18n.detect_language())


def test_no_message_is_translated_inside_an_f_string() -> None:
    """Babel (on Python 3.11) does not see ``_()`` inside f-strings: such a message would stay English."""
    pattern = re.compile(r"""\bf(["']).*?\{[^}]*\b_\(\s*["']""")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, found


def test_help_reads_in_one_language() -> None:
    from typer.testing import CliRunner

    from rectifykit.cli import app

    zh = CliRunner().invoke(app, ["status", "--help"], env={"LANG": "zh_CN.UTF-8", "RECTIFY_LANG": ""}).stdout
    assert "选项" in zh and "[默认：table]" in zh and "--as-of 日期" in zh
    assert "Show this message" not in zh and "Usage:" not in zh and "x>=0" not in zh
    en = CliRunner().invoke(app, ["--lang", "en", "status", "--help"]).stdout
    assert "Options" in en and "[default: table]" in en and "--as-of YYYY-MM-DD" in en
