"""A link that points to itself, and one that points nowhere: reported, never a crash."""
import os
from pathlib import Path


def make(project: Path) -> None:
    findings = project / "data/findings"
    os.symlink("loop.yaml", findings / "loop.yaml")
    os.symlink("deleted.yaml", findings / "dangling.yaml")
