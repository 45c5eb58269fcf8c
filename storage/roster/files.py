"""Rows of a roster file, streamed: .xlsx through openpyxl's read-only mode, .csv in UTF-8,
UTF-8 with BOM or GB18030 (Excel in China saves CSV as GBK, which GB18030 contains)."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

Row = tuple[int, Sequence[object]]  # the file's row number (as Excel shows it), the cells
CHUNK = 1 << 20


class RosterFileError(Exception):
    """The file cannot be read at all; the message is for the person who exported it."""


def detect_encoding(path: Path) -> str:
    """utf-8-sig with a BOM, utf-8 when every byte decodes as UTF-8, else gb18030. Decoded
    incrementally, one chunk at a time, so a large file is never held in memory."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        for encoding in ("utf-8", "gb18030"):
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                handle.seek(0)
                continue
            return encoding
    raise RosterFileError("无法识别文件编码：请在 Excel 中另存为“CSV UTF-8”或 .xlsx")


def csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    """The rows of a CSV file; a quoted cell may span lines, so rows are counted, not lines."""
    with path.open(encoding=encoding, newline="") as handle:
        yield from enumerate(csv.reader(handle), start=1)


def xlsx_rows(path: Path) -> Iterator[Row]:
    """The rows of the first worksheet, streamed (values, not formulas)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise RosterFileError(f"不是有效的 .xlsx 文件（{exc.__class__.__name__}）") from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong <dimension>: read every row
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


class RosterFile:
    """A roster file on disk: its kind, its encoding (CSV) and its rows."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise RosterFileError(f"找不到文件 {path}")
        suffix = path.suffix.lower()
        if suffix == ".xls":
            raise RosterFileError("不支持旧版 .xls：请在 Excel 中另存为 .xlsx 或 CSV")
        if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
            raise RosterFileError(f"不支持的文件类型 {suffix or '(无扩展名)'}：请用 .xlsx 或 .csv")
        self.path = path
        self.kind = "csv" if suffix in (".csv", ".txt") else "xlsx"
        self.encoding = detect_encoding(path) if self.kind == "csv" else None

    def rows(self) -> Iterator[Row]:
        """Every row, numbered from 1; each call reads the file again from the start."""
        if self.encoding is not None:
            return csv_rows(self.path, self.encoding)
        return xlsx_rows(self.path)
