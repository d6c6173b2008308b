"""One vocabulary: a state has one word in every output (issue 13), and every wording maps back to it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rectifykit.model.records import State
from rectifykit.model.wording import KNOWN, STATE_LABEL, join_labels, split_label, state_of
from rectifykit.reports.status import BAND_LABEL
from support import rectify

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("state", list(State))
def test_each_state_is_read_back_from_its_word_its_name_and_full_or_half_width_forms(state: State) -> None:
    assert state_of(STATE_LABEL[state]) is state
    assert state_of(state.value) is state
    assert state_of(STATE_LABEL[state].replace("，", ",")) is state


def test_the_wordings_the_importer_and_the_ledger_read_are_one_table() -> None:
    assert state_of("已整改") is State.completed  # the ledger refused it while the importer took it
    assert state_of("正在整改") is State.in_progress
    assert all(state_of(word) is state for word, state in KNOWN.items())
    assert state_of("随便写写") is None


def test_a_combined_label_splits_and_joins_as_the_genre_writes_it() -> None:
    parts = split_label("视同完成，持续整改；需持续整改")
    assert parts == ["视同完成，持续整改", "需持续整改"]
    assert join_labels(parts) == "视同完成，持续整改；需持续整改"
    assert split_label("整改完成; 需持续整改") == ["整改完成", "需持续整改"]


def test_status_and_ledger_say_the_same_words_in_chinese(tmp_path: Path) -> None:
    status = rectify("status", "--root", str(REPO), "--as-of", "2024-12-25", "--all", "--format", "md", lang="zh")
    assert status.exit_code == 0, status.output
    rows = [line.split("|")[1].strip() for line in status.stdout.splitlines() if line.startswith("| ")]
    assert rows[1:] and set(rows[1:]) <= set(BAND_LABEL.values()), rows  # rows[0] is the header
    summary = status.stdout.split("\n- ", 1)[1]
    for word in re.findall(r"事项 \d+ 项（([^）]*)）", summary):
        for part in word.split(" · "):
            assert part.rsplit(" ", 1)[0] in STATE_LABEL.values(), part

    out = tmp_path / "ledger.xlsx"
    assert rectify("ledger", "--root", str(REPO), "--as-of", "2024-12-25", "-o", str(out), lang="zh").exit_code == 0
    sheet = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)["汇总"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row and "问题数" in row)
    assert all(STATE_LABEL[s] in header for s in State)
    assert "正在整改" not in header and "尚未启动" not in header
