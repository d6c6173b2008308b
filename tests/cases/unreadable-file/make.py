"""A record file nobody may read (mode 000). Root reads any file whatever its mode, so as root
(CI runs as root) the case is skipped; tests/test_hardening.py simulates the refusal for every user."""
import os
from pathlib import Path

import pytest


def make(project: Path) -> None:
    file = project / "data/findings/mediation.yaml"
    file.chmod(0)
    try:
        with file.open("rb"):
            readable = True
    except PermissionError:
        readable = False
    if readable:
        file.chmod(0o644)  # let the temporary folder be cleaned up as usual
        pytest.skip(f"running as uid {os.geteuid()}, who reads a file of mode 000 anyway; "
                    "test_hardening.py::test_unreadable_record_is_a_diagnostic simulates it")
