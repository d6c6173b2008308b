"""A named pipe whose name ends in .yaml: reading it would block for ever."""
import os
from pathlib import Path


def make(project: Path) -> None:
    os.mkfifo(project / "data/findings/pipe.yaml")
