"""The message catalogue: Chinese by default, English on request (gettext).

Source strings are English msgids; ``locale/zh_CN/LC_MESSAGES/rectifykit.po``
holds the Chinese, compiled to ``.mo`` by ``make messages`` (babel).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Sequence
from pathlib import Path

DOMAIN = "rectifykit"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _(message: str) -> str:
    """Translate a message into the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def language() -> str:
    return _language


def set_language(lang: str) -> None:
    """Activate ``zh`` or ``en``; unknown values fall back to Chinese."""
    global _translation, _language
    if lang.lower().startswith("en"):
        _translation, _language = gettext.NullTranslations(), "en"
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    _language = "zh"


def detect_language(argv: Sequence[str] = (), environ: dict[str, str] | None = None) -> str:
    """``--lang X`` on the command line, else RECTIFY_LANG, else the locale; default zh."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    env = os.environ if environ is None else environ
    if env.get("RECTIFY_LANG"):
        return env["RECTIFY_LANG"]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


set_language(detect_language())
