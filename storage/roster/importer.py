"""Import a roster file in one transaction: stream, validate row by row, group households,
write in batches; roll everything back when any row is invalid (unless skipping invalid
households was asked for) and always on a dry run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from knowledge.regions import RegionTree
from storage.db import transaction
from storage.repo import roster as repo
from storage.roster.caseworkers import Caseworkers, Unassigned
from storage.roster.columns import Columns, find_header
from storage.roster.files import RosterFile
from storage.roster.households import Grouper, check
from storage.roster.rows import BadRow, RowError, RowReader
from storage.roster.writer import Counts, Gone, MemberCounts, Writer

PROGRESS_EVERY = 10_000  # rows between progress reports


@dataclass(frozen=True)
class Options:
    """How to import: a dry run writes nothing; skip_invalid imports the valid households."""

    dry_run: bool = False
    skip_invalid: bool = False
    progress: Callable[[int], None] | None = None  # called with the rows read so far


@dataclass
class Report:
    """What the import did (or, on a dry run, would do)."""

    imported: bool = False  # something was (or would be) written
    rows: int = 0
    encoding: str | None = None
    households: Counts = field(default_factory=Counts)
    members: MemberCounts = field(default_factory=MemberCounts)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # invalid households left out
    unassigned: list[Unassigned] = field(default_factory=list)
    unrecognised_columns: tuple[str, ...] = ()
    gone: list[Gone] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    villages_created: int = 0

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape of `bangfu import households --json`."""
        h, m = self.households, self.members
        return {
            "households": {"created": h.created, "updated": h.updated, "unchanged": h.unchanged},
            "members": {"created": m.created, "updated": m.updated, "unchanged": m.unchanged,
                        "gone": m.gone},
            "errors": [{"row": e.row, "column": e.column, "message": e.message}
                       for e in self.errors],
            "unassigned": [{"name": u.name, "county": u.county, "households": u.households,
                            "reason": u.reason} for u in self.unassigned],
            "unrecognised_columns": list(self.unrecognised_columns),
        }


class _Rollback(Exception):
    """Ends the transaction without committing; carries the report out, and the household
    codes to hold back when the file must be read again."""

    def __init__(self, report: Report, retry: frozenset[str] | None = None) -> None:
        super().__init__("rollback")
        self.report, self.retry = report, retry


def import_roster(path: Path, *, engine: Engine, regions: RegionTree, key: bytes,
                  now: dt.datetime, today: dt.date, options: Options = Options()) -> Report:
    """Import (or check) a roster file; RosterFileError when it cannot be read at all."""
    source = RosterFile(path)
    split: frozenset[str] = frozenset()
    for _attempt in range(2):  # the second pass knows every household listed in two places
        try:
            with transaction(engine) as session:
                staff = Caseworkers(regions, repo.caseworkers(session=session))
                writer = Writer(session, regions, staff, now, apply=not options.dry_run)
                report, found = _run(source, writer, regions, key, today, options, split)
                if found - split:
                    raise _Rollback(report, retry=split | found)
                if options.dry_run or not report.imported:
                    raise _Rollback(report)
            return report
        except _Rollback as stop:
            if stop.retry is None:
                return stop.report
            split = stop.retry
    raise AssertionError("unreachable: holding back split households leaves none split")


def _run(source: RosterFile, writer: Writer, regions: RegionTree, key: bytes,
         today: dt.date, options: Options, split: frozenset[str]) -> tuple[Report, set[str]]:
    """One pass over the file; the report and the household codes found in two places."""
    report = Report(encoding=source.encoding)
    rows = source.rows()
    columns = find_header(rows)
    if columns is None or columns.missing:
        report.errors = _header_errors(columns)
        return report, set()
    report.unrecognised_columns = columns.unrecognised
    reader, grouper = RowReader(columns, regions, key, today), Grouper(known_split=split)
    for number, cells in rows:
        if not any(c is not None and str(c).strip() for c in cells):
            continue  # blank rows between blocks of an export
        report.rows += 1
        if options.progress and report.rows % PROGRESS_EVERY == 0:
            options.progress(report.rows)
        item = reader.read(number, cells)
        if isinstance(item, BadRow) and not item.code:
            _failed(report, writer, options, item.errors, None)
            continue
        for code, group in grouper.add(item):
            _household(report, writer, options, columns, code, group)
        if grouper.split:
            writer.enabled = False  # this pass only finds them; the next one writes
    for code, group in grouper.finish():
        _household(report, writer, options, columns, code, group)
    writer.flush()
    _finish(report, writer, options)
    return report, grouper.split


def _household(report: Report, writer: Writer, options: Options, columns: Columns,
               code: str, group: list[Any]) -> None:
    household, errors = check(code, group, columns.label)
    if household is None:
        _failed(report, writer, options, errors, code)
    else:
        writer.add(household)


def _failed(report: Report, writer: Writer, options: Options, errors: list[RowError] |
            tuple[RowError, ...], code: str | None) -> None:
    report.errors.extend(errors)
    if code is not None:
        report.skipped.append(code)
    if not options.skip_invalid:
        writer.enabled = False  # nothing will be imported: stop writing, keep validating


def _finish(report: Report, writer: Writer, options: Options) -> None:
    if report.rows == 0:
        report.errors.append(RowError(1, "", "文件中没有数据行"))
    report.errors.sort(key=lambda e: (e.row, e.column))
    h = writer.households
    report.imported = (writer.enabled and h.created + h.updated + h.unchanged > 0
                       and (not report.errors or options.skip_invalid))
    if not report.imported:
        return  # nothing imported: counts of what was written before the stop would mislead
    report.households, report.members = writer.households, writer.members
    report.unassigned = writer.caseworkers.unassigned()
    report.gone, report.erased = writer.gone, writer.erased
    report.villages_created = writer.villages_created


def _header_errors(columns: Columns | None) -> list[RowError]:
    if columns is None:
        return [RowError(1, "", "找不到表头：前10行中没有包含“证件号码”（或“身份证号”）等列的一行")]
    return [RowError(columns.row, name, "缺少这一列") for name in columns.missing]
