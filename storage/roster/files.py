"""Rows of a roster file, streamed: .xlsx through openpyxl's read-only mode, .csv in UTF-8,
UTF-8 with BOM or GB18030 (Excel in China saves CSV as GBK, which GB18030 contains)."""

from __future__ import annotations

import codecs
import csv
import functools
import sqlite3
import tempfile
import zipfile
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

Row = tuple[int, Sequence[object]]  # the file's row number (as Excel shows it), the cells
CHUNK = 1 << 20
# A shared-string table larger than this (uncompressed XML, ~1,000 roster rows) is kept on
# disk rather than in memory; a smaller one is read faster in memory and costs little.
SPILL_ABOVE = 256 * 1024


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


class DiskStrings:
    """An .xlsx file's shared-string table in a temporary SQLite file, so that reading a roster
    keeps memory flat however many distinct names, ID numbers and phone numbers it holds
    (openpyxl's read-only mode otherwise loads the whole table as a Python list). openpyxl's
    worksheet parser only indexes the table (`strings[int(value)]`); recent lookups are cached,
    since columns such as 县区 or 与户主关系 repeat a few strings on every row."""

    BATCH = 5000

    def __init__(self, source: IO[bytes]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="bangfu-xlsx-")
        self._db = sqlite3.connect(Path(self._dir.name) / "strings.db")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "PRAGMA cache_size=-2048;"
                               "CREATE TABLE strings (i INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        self._lookup = functools.lru_cache(maxsize=4096)(self._fetch)
        try:
            self._spill(source)
        except BaseException:
            self.close()
            raise

    def _spill(self, source: IO[bytes]) -> None:
        from openpyxl.cell.text import Text
        from openpyxl.xml.constants import SHEET_MAIN_NS
        from openpyxl.xml.functions import iterparse

        item = f"{{{SHEET_MAIN_NS}}}si"
        batch: list[tuple[int, str]] = []
        count = 0
        root = None
        for event, node in iterparse(source, events=("start", "end")):
            if root is None:
                root = node  # <sst>: cleared as we go, so parsed <si> do not pile up under it
            if event != "end" or node.tag != item:
                continue
            batch.append((count, Text.from_tree(node).content.replace("x005F_", "")))
            count += 1
            root.clear()
            if len(batch) >= self.BATCH:
                self._db.executemany("INSERT INTO strings VALUES (?, ?)", batch)
                batch.clear()
        self._db.executemany("INSERT INTO strings VALUES (?, ?)", batch)

    def _fetch(self, index: int) -> str:
        row = self._db.execute("SELECT text FROM strings WHERE i = ?", (index,)).fetchone()
        if row is None:
            raise IndexError(index)
        return str(row[0])

    def __getitem__(self, index: int) -> str:
        return self._lookup(index)

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


class _Book:
    """An .xlsx package opened with openpyxl's reader for what a roster needs: the shared
    strings (in memory, or on disk above `spill_above` bytes of XML), the number formats that
    make a number a date, and where the first worksheet is. Worksheet objects are not built:
    openpyxl's read-only worksheet parses a file without a <dimension> element to its end just
    to size it, keeping every <row> element meanwhile."""

    def __init__(self, path: Path, spill_above: int) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.xml.constants import SHARED_STRINGS

        self.spilled: DiskStrings | None = None
        self.sheet: str | None = None
        book = self

        class Reader(ExcelReader):
            def read_strings(self) -> None:
                part = self.package.find(SHARED_STRINGS)
                if part is None:
                    return
                name = part.PartName[1:]
                if self.archive.getinfo(name).file_size <= spill_above:
                    super().read_strings()
                    return
                with self.archive.open(name) as source:
                    book.spilled = DiskStrings(source)
                self.shared_strings = book.spilled

            def read_worksheets(self) -> None:
                book.sheet = next((rel.target for _, rel in self.parser.find_sheets()
                                   if rel.target in self.valid_files
                                   and "chartsheet" not in rel.Type), None)

        try:
            self.reader = Reader(path, read_only=True, data_only=True)
            self.reader.read()
        except BaseException:
            self.close()
            raise

    def rows(self) -> Iterator[Row]:
        """The first worksheet's rows with their row numbers as the file gives them (blank rows
        skipped), each as long as its last non-empty cell. openpyxl's cell parser makes the
        values (shared strings, numbers, dates by their number format); the loop is ours, and
        drops each parsed <row> from the tree, so memory stays flat."""
        from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
        from openpyxl.xml.constants import SHEET_MAIN_NS
        from openpyxl.xml.functions import iterparse

        if self.sheet is None:
            raise RosterFileError("文件中没有工作表")
        data_tag = f"{{{SHEET_MAIN_NS}}}sheetData"
        wb = self.reader.wb
        with self.reader.archive.open(self.sheet) as source:
            parser = WorkSheetParser(source, self.reader.shared_strings, data_only=True,
                                     epoch=wb.epoch, date_formats=wb._date_formats,
                                     timedelta_formats=wb._timedelta_formats)
            data = None
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == data_tag:
                        data = element
                    continue
                if element.tag != ROW_TAG:
                    continue
                number, cells = parser.parse_row(element)
                parser.row_dimensions.clear()  # custom row heights, kept per row otherwise
                if data is not None:
                    data.clear()
                values: list[object] = []
                for cell in cells:
                    values.extend([None] * (cell["column"] - 1 - len(values)))
                    values.append(cell["value"])
                while values and values[-1] is None:
                    values.pop()
                if values:
                    yield number, tuple(values)

    def close(self) -> None:
        reader = getattr(self, "reader", None)
        if reader is not None:
            reader.archive.close()
        if self.spilled is not None:
            self.spilled.close()


def xlsx_rows(path: Path, spill_above: int | None = None) -> Generator[Row, None, None]:
    """The rows of the first worksheet, streamed (values, not formulas)."""
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = _Book(path, SPILL_ABOVE if spill_above is None else spill_above)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise RosterFileError(f"不是有效的 .xlsx 文件（{exc.__class__.__name__}）") from exc
    number = 0
    try:
        for number, cells in book.rows():
            yield number, cells
    except (ParseError, ValueError, IndexError) as exc:  # broken XML, a bad cell reference
        raise RosterFileError(f"工作表在第 {number + 1} 行附近无法读取"
                              f"（{exc.__class__.__name__}），请在 Excel 中打开后重新保存") from exc
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
