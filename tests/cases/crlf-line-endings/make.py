"""CRLF line endings (Windows) are accepted silently; written here because git may normalise them."""
from pathlib import Path


def make(project: Path) -> None:
    for name in ("data/inspection.yaml", "data/findings/theory-study.yaml", "data/findings/mediation.yaml"):
        path = project / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
