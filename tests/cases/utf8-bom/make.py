"""A UTF-8 byte order mark (as some Windows editors write) is accepted silently."""
from pathlib import Path


def make(project: Path) -> None:
    for name in ("data/inspection.yaml", "data/findings/theory-study.yaml"):
        path = project / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
