"""在没有 Excel 的电脑上代替手工编辑台账（虚构示例第二次进展用）。

用法：python edit_ledger.py 台账.xlsx

它做的修改与《使用指南》中在 Excel 里手工做的完全相同：
- service-window#1（便民服务窗口，一是）：整改状态改为“整改完成”，完成时间填 2024-06-28；
- branch-meetings#1（机关党支部“三会一课”）：整改时限由 2024-06-30 改为 2024-09-30，整改状态改为“需持续整改”。
"""

import datetime as dt
import sys

from openpyxl import load_workbook

EDITS = {
    "service-window#1": {"整改状态": "整改完成", "完成时间": dt.date(2024, 6, 28)},
    "branch-meetings#1": {"整改时限": dt.date(2024, 9, 30), "整改状态": "需持续整改"},
}


def main(path: str) -> None:
    book = load_workbook(path)
    sheet = book["整改台账"]
    header = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        edits = EDITS.get(row[header["条目编号"] - 1].value, {})
        for name, value in edits.items():
            cell = row[header[name] - 1]
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)
    print(f"已修改 {path}")


if __name__ == "__main__":
    main(sys.argv[1])
