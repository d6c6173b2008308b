"""Re-encode a record as UTF-16 with a byte order mark, as Windows Notepad's "Unicode" saves it."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
