"""A record whose content was deleted: spaces, tabs and blank lines only."""
from pathlib import Path


def make(project: Path) -> None:
    (project / "data/findings/blank.yaml").write_bytes(b"  \n\n\t\n   \r\n")
