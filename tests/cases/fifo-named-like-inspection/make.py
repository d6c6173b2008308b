"""data/inspection.yaml is a named pipe: it is never opened (opening it would block for ever)."""
import os
from pathlib import Path


def make(project: Path) -> None:
    (project / "data/inspection.yaml").unlink()
    os.mkfifo(project / "data/inspection.yaml")
