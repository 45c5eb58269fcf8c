"""The ledger workbook (台账.xlsx): rows in, an .xlsx file out, written in openpyxl's
write-only mode (each sheet streams to a temporary file), so memory stays flat however many
rows there are. Chinese headers, a frozen header row, filters, set column widths; times in
Asia/Shanghai (Excel has no time zones)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from handlers.ui.render import citation
from knowledge.casework import BY_KEY
from knowledge.loader import KnowledgeBase
from knowledge.regions import RegionTree

SHEETS = ("户籍台账", "走访记录", "跟进事项", "应享未享")
DATE, TIME = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
PHONE = "联系电话"
STATUS = {"active": "正常", "archived": "已归档"}
FOLLOWUP_STATUS = {"open": "待办", "done": "已完成", "cancelled": "已取消"}
AREA = {"rural": "农村", "urban": "城镇"}


@dataclass(frozen=True)
class Column:
    """A header and its width in characters (a CJK character counts about two)."""

    header: str
    width: float


HOUSEHOLD_COLUMNS = (
    Column("户编号", 14), Column("户主姓名", 10), Column("县区", 10), Column("乡镇", 12),
    Column("行政村", 12), Column("城乡", 6), Column("家庭类别", 22), Column("人均纯收入", 11),
    Column("住房情况", 10), Column(PHONE, 14), Column("帮扶责任人", 10), Column("档案状态", 9),
    Column("姓名", 10), Column("与户主关系", 10), Column("证件号码（脱敏）", 21), Column("性别", 6),
    Column("出生日期", 12), Column("在校生状况", 10), Column("是否住校", 8),
    Column("残疾等级", 8), Column("健康状况", 11))
VISIT_COLUMNS = (
    Column("户编号", 14), Column("户主姓名", 10), Column("行政村", 12), Column("走访时间", 17),
    Column("走访方式", 12), Column("帮扶干部", 10), Column("情况记录", 50),
    Column("发现需求", 18), Column("情况变化", 24), Column("照片", 6), Column("位置", 6))
FOLLOWUP_COLUMNS = (
    Column("户编号", 14), Column("户主姓名", 10), Column("行政村", 12), Column("跟进事项", 36),
    Column("负责人", 10), Column("到期日", 12), Column("状态", 8), Column("登记时间", 17),
    Column("办结时间", 17), Column("备注", 30))
GAP_COLUMNS = (
    Column("户编号", 14), Column("户主姓名", 10), Column("行政村", 12), Column("成员", 10),
    Column("应享政策", 36), Column("政策文件", 40), Column("发现时间", 17), Column("状态", 8),
    Column("落实时间", 17))


@dataclass
class Written:
    """How many data rows went into each sheet."""

    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LedgerRows:
    """The four streams of rows (storage.ledger), consumed one after another."""

    households: Callable[[], Iterable[Any]]
    visits: Callable[[], Iterable[Any]]
    followups: Callable[[], Iterable[Any]]
    gaps: Callable[[], Iterable[Any]]


class _Sheet:
    """A write-only sheet: widths, frozen header and header row first, filter at the end."""

    HEADER_FONT = Font(bold=True)
    HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

    def __init__(self, wb: Workbook, title: str, columns: Sequence[Column], tz: dt.tzinfo):
        ws = wb.create_sheet(title)
        assert isinstance(ws, WriteOnlyWorksheet)
        self.ws, self.columns, self.tz, self.count = ws, columns, tz, 0
        for i, column in enumerate(columns, 1):  # before the first row: <cols> comes first
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font, cell.fill = self.HEADER_FONT, self.HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            header.append(cell)
        ws.append(header)

    def add(self, values: Sequence[Any]) -> None:
        self.ws.append([self._cell(v) for v in values])
        self.count += 1

    def _cell(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):  # aware UTC -> the wall clock in Shanghai
            cell = WriteOnlyCell(self.ws, value=value.astimezone(self.tz).replace(tzinfo=None))
            cell.number_format = TIME
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE
            return cell
        if isinstance(value, str) and value.startswith("="):
            # text typed by a user or imported: openpyxl would store it as a live formula
            # (=HYPERLINK(...) could send a row's data away when clicked); keep it text
            cell = WriteOnlyCell(self.ws, value=value)
            cell.data_type = "s"
            return cell
        return value

    def close(self) -> int:
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.count + 1}"  # written after the rows
        return self.count


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("是" if value else "否")


def _text(value: Any) -> str | None:
    """A JSON list as one readable cell."""
    if not value:
        return None
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _changes(value: Any) -> str | None:
    """A visit's 变化 ({"household": {...}, "members": {id: {...}}}) as 住房情况：C级危房；…"""
    if not isinstance(value, dict) or not value:
        return None
    found = [*(value.get("household") or {}).items(),
             *(kv for fields in (value.get("members") or {}).values() for kv in fields.items())]
    return "；".join(f"{_change_label(k)}：{_text(v)}" for k, v in found) or None


def _change_label(key: str) -> str:
    change = BY_KEY.get(key)
    return change.label.split(" ", 1)[-1] if change else key  # without the emoji


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


def write_ledger(out: Path | IO[bytes], rows: LedgerRows, *, kb: KnowledgeBase,
                 phones: bool, tz: dt.tzinfo) -> Written:
    """Write the four sheets; the phone column is left empty unless `phones` (the access
    rules decide who may see them)."""
    wb = Workbook(write_only=True)
    written = Written()
    regions = kb.regions
    sheet = _Sheet(wb, SHEETS[0], HOUSEHOLD_COLUMNS, tz)
    for r in rows.households():
        town, county = _town_county(regions, r.region_id)
        sheet.add((r.code, r.head_name, county, town, r.village, AREA.get(r.area, r.area),
                   _text(r.categories), r.income, r.housing, r.phone if phones else None,
                   r.caseworker, STATUS.get(_status(r.status), _status(r.status)), r.member,
                   r.relation, r.id_masked, r.sex, r.birth_date, r.school_stage,
                   _yes_no(r.boarding), r.disability_level or None, r.health))
    written.rows[SHEETS[0]] = sheet.close()
    sheet = _Sheet(wb, SHEETS[1], VISIT_COLUMNS, tz)
    for r in rows.visits():
        sheet.add((r.code, r.head_name, r.village, r.visited_at, r.kind, r.author, r.notes or None,
                   _text(r.needs), _changes(r.changes), len(r.photos or []) or None,
                   "有" if r.latitude is not None else None))
    written.rows[SHEETS[1]] = sheet.close()
    sheet = _Sheet(wb, SHEETS[2], FOLLOWUP_COLUMNS, tz)
    for r in rows.followups():
        sheet.add((r.code, r.head_name, r.village, r.action, r.owner, r.due_on,
                   FOLLOWUP_STATUS.get(_status(r.status), _status(r.status)), r.created_at,
                   r.closed_at, r.close_note))
    written.rows[SHEETS[2]] = sheet.close()
    sheet = _Sheet(wb, SHEETS[3], GAP_COLUMNS, tz)
    for r in rows.gaps():
        entry = kb.by_id.get(r.entry_id)
        title = entry.item.title if entry else r.entry_id
        source = citation(entry) if entry else None
        sheet.add((r.code, r.head_name, r.village, r.member, title, source, r.found_at,
                   "已享受" if r.resolution == "received" else "未享受", r.resolved_at))
    written.rows[SHEETS[3]] = sheet.close()
    wb.save(out)
    return written


def _town_county(regions: RegionTree, region_id: str) -> tuple[str, str]:
    if region_id not in regions:
        return region_id, ""
    town = regions.get(region_id)
    county = regions.get(town.parent_id).name if town.parent_id else ""
    return town.name, county
