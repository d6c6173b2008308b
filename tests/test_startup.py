"""Start-up stays lean (issue 17): commands are read when used, and nothing a user sees changes for it.

How much the start-up costs is measured by ``make bench`` (never here); these tests keep what the lazy
commands must not change: the list in ``rectify --help``, the help of each command in the language of the
run, suggestions for a mistyped command and shell completion. (What each command imports: test_scale.py.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command, get_command_name

from rectifykit import i18n
from rectifykit.cli import app, clicktext, lazy
from rectifykit.cli.listing import COMMANDS

REPO = Path(__file__).resolve().parents[1]


def _fresh(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter, where no command module has been read yet."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}, timeout=120)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_of_commands_is_the_same_before_and_after_their_modules_are_read(lang: str) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app, lazy\n"
        "from rectifykit.cli.listing import COMMANDS\n"
        "before = CliRunner().invoke(app, ['--lang', sys.argv[1], '--help']).stdout\n"
        "for name in COMMANDS:\n"
        "    CliRunner().invoke(app, ['--lang', sys.argv[1], name, '--help'])\n"
        "after = CliRunner().invoke(app, ['--lang', sys.argv[1], '--help']).stdout\n"
        "print(before == after, 'validate' in before)\n"
        "print(before)\n"
    )
    run = _fresh(code, lang)
    assert run.stdout.split()[:2] == ["True", "True"], run.stdout + run.stderr
    assert ("检查全部记录" if lang == "zh" else "Check every record") in run.stdout


def test_every_command_is_listed_with_the_help_it_gives() -> None:
    for name in COMMANDS:
        get_command(app).commands[name]  # type: ignore[attr-defined]  # a group: reads the module
    registered = {c.name or get_command_name(getattr(c.callback, "__name__", "")) for c in app.registered_commands}
    assert registered == set(COMMANDS)
    for lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        try:
            for name in COMMANDS:
                command = lazy.make(app, name)
                clicktext.localise(command)  # as a run says it
                for limit in (20, 45, 80, 200):
                    assert lazy._summary(None, name, limit) == command.get_short_help_str(limit), (lang, name)
        finally:
            i18n.set_language(i18n.detect_language())


def test_one_process_says_each_commands_help_in_the_language_of_each_run() -> None:
    code = (
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        "for lang in ('en', 'zh', 'en'):\n"
        "    out = CliRunner().invoke(app, ['--lang', lang, 'validate', '--help']).stdout\n"
        "    print(lang, 'Check every record' in out, '检查全部记录' in out, 'Output format.' in out,\n"
        "          '--root 文件夹' in out)\n"
    )
    run = _fresh(code, env={"RECTIFY_LANG": "zh"})
    assert run.stdout.splitlines() == ["en True False True False", "zh False True False True",
                                       "en True False True False"], run.stdout + run.stderr


def test_a_mistyped_command_is_suggested_and_an_unknown_one_is_a_usage_error() -> None:
    run = _fresh("from rectifykit.cli import main; main()", env={"RECTIFY_LANG": "en"})
    assert run.returncode == 2  # no command: the help, as a usage error
    assert "validate" in run.stdout + run.stderr
    code = "import sys; sys.argv = ['rectify', '--lang', 'en', 'valdate']; from rectifykit.cli import main; main()"
    run = _fresh(code)
    assert run.returncode == 2
    assert "No such command 'valdate'. Did you mean 'validate'?" in run.stderr


@pytest.mark.parametrize(("words", "expected"), [("rectify va", ["validate"]),
                                                 ("rectify validate --fo", ["--format"]),
                                                 ("rectify r", ["rules", "render", "rollup"])])
def test_shell_completion_offers_the_commands_and_their_options(words: str, expected: list[str]) -> None:
    code = "import sys; sys.argv[0] = 'rectify'; from rectifykit.cli import main; main()"
    env = {"_RECTIFY_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    run = _fresh(code, env=env)
    assert run.returncode == 0, run.stderr
    assert [line.split(",")[-1] for line in run.stdout.split()] == expected


def test_a_command_module_read_by_another_command_keeps_its_texts_untranslated() -> None:
    """`render --format docx` reads the office module (ledger, rollup) in a Chinese run; an English run after it
    in the same process still says ledger's help in English."""
    code = (
        "from typer.testing import CliRunner\n"
        "from rectifykit import i18n\n"
        "from rectifykit.cli import app, lazy\n"
        "i18n.set_language('zh')\n"
        "lazy.read(app, 'office')\n"
        "out = CliRunner().invoke(app, ['--lang', 'en', 'ledger', '--help']).stdout\n"
        "print('Write the rectification ledger' in out, '生成整改台账' in out)\n"
    )
    run = _fresh(code)
    assert run.stdout.split() == ["True", "False"], run.stdout + run.stderr
