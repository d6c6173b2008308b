"""A 4 MB record (under the 8 MiB limit): 40 long points, and a wrong value on its last line."""
from pathlib import Path


def make(project: Path) -> None:
    file = project / "data/findings/mediation.yaml"
    text = file.read_text(encoding="utf-8")
    point = "巡察发现台账记录不完整，部分事项未按时办结。" * 1_520  # ~100 KB a line
    text = text.replace("description: 部分纠纷调解不及时。\n", "points:\n" + f"  - text: {point}\n" * 40)
    covers = (
        "  - covers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,\n"
        "               21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]\n"
    )
    text = text.replace("  - status:\n", covers + "    status:\n")
    text = text.replace("    completed_on: 2024-04-30\n", "    completed_on: 2024-04-30\n    deadline: 明年\n")
    file.write_text(text, encoding="utf-8")
    assert 4_000_000 < file.stat().st_size < 8 * 1024 * 1024
