"""Re-encode a record as GB18030, as a Windows editor set to the Chinese ANSI code page saves it."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/theory-study.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
