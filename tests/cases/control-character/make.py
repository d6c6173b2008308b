"""A NUL byte inside otherwise valid UTF-8 text (a bad copy and paste)."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    text = path.read_text(encoding="utf-8").replace("部分纠纷", "部分\x00纠纷")
    path.write_bytes(text.encode("utf-8"))
