"""A UTF-8 byte order mark does not shift the columns of line 1."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"id: mediation", b"id: Mediation"))
