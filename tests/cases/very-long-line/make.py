"""A 1 MB line (a description typed or pasted as one line), then an unknown key on the last line."""
from pathlib import Path


def make(project: Path) -> None:
    file = project / "data/findings/mediation.yaml"
    text = file.read_text(encoding="utf-8")
    long = "部分纠纷调解不及时。" * 35_000  # 350,000 characters, 1.05 MB of UTF-8 on one line
    text = text.replace("description: 部分纠纷调解不及时。", "description: " + long)
    file.write_text(text + "remarks: 一个未知字段\n", encoding="utf-8")
