"""Reading roster files: an .xlsx saved as Excel saves it (a shared-string table) is read
with that table on disk, value for value as openpyxl reads it, and the disk copy is removed."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest

from storage.roster import files
from storage.synthetic import _share_strings


def workbook(path: Path) -> Path:
    """Texts, a number, a date cell, a gap inside a row and a blank row, strings shared."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["户编号", "姓名", "出生日期", "人均纯收入"])
    sheet.append(["H001", "张小明", dt.datetime(2011, 3, 9), 4350.5])
    sheet.append(["H001", "张小明", None, 12])  # a repeated name: one shared string
    sheet.append([])
    sheet.append(["H002", None, "2001-10-01", "x005F_x"])
    book.save(path)
    _share_strings(path)
    return path


def openpyxl_rows(path: Path) -> list[tuple[int, tuple[object, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    out = []
    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((number, tuple(values)))
    book.close()
    return out


def test_the_written_file_really_has_a_shared_string_table(tmp_path: Path) -> None:
    import zipfile

    path = workbook(tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
        assert b'inlineStr' not in z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("spill_above", [0, 10**9])
def test_rows_match_openpyxl_with_the_strings_on_disk_or_in_memory(
        tmp_path: Path, spill_above: int) -> None:
    path = workbook(tmp_path / "r.xlsx")
    rows = list(files.xlsx_rows(path, spill_above=spill_above))
    assert rows == openpyxl_rows(path)
    assert [n for n, _ in rows] == [1, 2, 3, 5]  # the file's row numbers, blank row skipped
    assert rows[1][1] == ("H001", "张小明", dt.datetime(2011, 3, 9), 4350.5)
    assert rows[3][1] == ("H002", None, "2001-10-01", "x")


def test_the_disk_table_exists_while_reading_and_is_removed_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "r.xlsx")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    reading = files.xlsx_rows(path, spill_above=0)
    next(reading)
    assert [p.name.startswith("bangfu-xlsx-") for p in scratch.iterdir()] == [True]
    assert list(reading)
    assert list(scratch.iterdir()) == []
    small = files.xlsx_rows(path, spill_above=10**9)  # a small table stays in memory
    next(small)
    assert list(scratch.iterdir()) == []
    small.close()


def test_a_broken_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(files.RosterFileError, match=r"不是有效的 \.xlsx 文件"):
        list(files.xlsx_rows(path))


def test_a_worksheet_broken_mid_way_is_a_clear_error_with_the_row(tmp_path: Path) -> None:
    import zipfile

    good = workbook(tmp_path / "good.xlsx")
    broken = tmp_path / "r.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<row r="3"', b'<row r="3"><c r="A3"', 1)
            target.writestr(info.filename, content)
    reading = files.xlsx_rows(broken)
    assert [n for n, _ in [next(reading), next(reading)]] == [1, 2]
    with pytest.raises(files.RosterFileError, match="第 3 行附近无法读取"):
        next(reading)
