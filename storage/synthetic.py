"""Synthetic rosters in the national export's layout: invented people with valid ID check
digits, several villages in every town of 清河区 and 斗门区. Deterministic for a seed.

For the examples, the demo and the benchmarks; never real data. Run
`python -m storage.synthetic --examples examples/` to rebuild examples/, or
`python -m storage.synthetic --households 25000 --out big.csv` for a large file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from knowledge import identity
from storage.roster.columns import HEADERS

# county id -> (area code of the county itself, county name, its towns in regions.yaml)
COUNTIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "qinghe": ("211204", "清河区", ("向阳街道", "张相镇", "聂家满族乡")),
    "doumen": ("440403", "斗门区", ("井岸镇", "斗门镇", "白蕉镇", "乾务镇", "莲洲镇", "白藤街道")),
}
VILLAGES_PER_TOWN = 3
VILLAGE_WORDS = ("前进", "红旗", "胜利", "团结", "东升", "光明", "和平", "永安", "太平", "兴隆",
                 "长青", "新民", "石桥", "河东", "南岗", "北山", "西湖", "金沙")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉凤建国华红梅海燕春生福林文荣"
COLUMNS = tuple(h for f, h in HEADERS.items() if f != "age")  # 出生日期 given, 年龄 left out
AS_OF = dt.date(2025, 1, 1)  # ages are fixed relative to this date: rows never drift
SEPARATORS = ("、", "，", ",", ";", "/")
GRADES = "一二三四五六"


def rows(*, households: int, seed: int = 0, counties: Sequence[str] = ("qinghe", "doumen"),
         caseworkers: Mapping[str, Sequence[str]] | None = None,
         villages_per_town: int = VILLAGES_PER_TOWN) -> Iterator[dict[str, str]]:
    """Rows (header -> cell) of `households` households, members listed together, spread
    evenly over the villages. With `caseworkers` (county id -> names), 帮扶责任人 is one of
    those names; otherwise one of two invented names per village."""
    rng = random.Random(seed)
    places = [(county, town, f"{word}{'社区' if town.endswith('街道') else '村'}", t, v)
              for county in counties
              for t, town in enumerate(COUNTIES[county][2], start=1)
              for v, word in enumerate(rng.sample(VILLAGE_WORDS, villages_per_town), start=1)]
    helpers = {p: [_name(rng) for _ in range(2)] for p in places}
    for n in range(households):
        county, town, village, t, v = places[n % len(places)]
        area = COUNTIES[county][0]
        names = (caseworkers or {}).get(county) or helpers[(county, town, village, t, v)]
        shared = {"户编号": f"{area}{t:02d}{v:02d}{n:06d}", "县区": COUNTIES[county][1],
                  "乡镇": town, "行政村": village, "帮扶责任人": rng.choice(names),
                  **_household_cells(rng, urban=town.endswith("街道"))}
        used: set[str] = set()
        for relation, age, male in _family(rng):
            yield {**shared, **_person(rng, area, relation, age, male, used)}


def _family(rng: random.Random) -> list[tuple[str, int, bool]]:
    """(与户主关系, age, male) of each member, the head first."""
    head_age = rng.choice((rng.randint(28, 60), rng.randint(45, 85)))
    head_male = rng.random() < 0.75
    out = [("户主", head_age, head_male)]
    if rng.random() < (0.85 if head_age < 75 else 0.5):
        out.append(("配偶", max(20, head_age + rng.randint(-5, 5)), not head_male))
    if head_age < 62:
        for _ in range(rng.choice((1, 2, 2, 2, 3, 3))):
            male = rng.random() < 0.5
            out.append(("之子" if male else "之女", max(0, head_age - rng.randint(20, 36)), male))
    for _ in range(rng.choice((0, 1, 2)) if head_age >= 55 else 0):
        male = rng.random() < 0.5
        out.append(("之孙子" if male else "之孙女", rng.randint(0, 17), male))
    if head_age < 55 and rng.random() < 0.4:
        male = rng.random() < 0.5
        out.append(("之父" if male else "之母", min(95, head_age + rng.randint(22, 32)), male))
    return out


def _person(rng: random.Random, area: str, relation: str, age: int, male: bool,
            used: set[str]) -> dict[str, str]:
    born = AS_OF - dt.timedelta(days=365 * age + rng.randint(1, 364) + age // 4)
    number = ""
    while not number or number in used:  # twins share a birthday: keep numbers apart
        number = identity.make(area, born, rng.randrange(500) * 2 + (1 if male else 0))
    used.add(number)
    stage, boarding = _school(rng, age)
    health = rng.choices(("健康", "长期慢性病", "患有大病", "残疾"),
                         weights=(90, 3, 2, 5) if age < 18 else (55, 25, 8, 12))[0]
    return {"姓名": _name(rng), "证件号码": number, "与户主关系": relation,
            "性别": "男" if male else "女", "出生日期": born.isoformat(), "在校生状况": stage,
            "是否住校": boarding, "健康状况": health,
            "残疾等级": rng.choice(("一级", "二级", "三级", "四级")) if health == "残疾" else ""}


def _school(rng: random.Random, age: int) -> tuple[str, str]:
    """在校生状况 and 是否住校 as the national system writes them."""
    boards = "是" if rng.random() < 0.4 else "否"
    if age < 3:
        return "学龄前儿童", ""
    if age < 6:
        return "学前教育", "否"
    if age < 12:
        return f"小学{GRADES[age - 6]}年级", "是" if age >= 10 and rng.random() < 0.2 else "否"
    if age < 15:
        return ("七年级", "八年级", "九年级")[age - 12], boards
    if age < 18:
        kind = "高中" if rng.random() < 0.7 else "中职"
        return f"{kind}{GRADES[age - 15]}年级", boards
    if age < 22:
        return rng.choice(("大专", "本科", "非在校生", "非在校生")), ""
    return "非在校生", ""


def _household_cells(rng: random.Random, *, urban: bool) -> dict[str, str]:
    categories = [c for c, p in (("建档立卡贫困户", 0.7), ("低保户", 0.35)) if rng.random() < p]
    if "低保户" not in categories and rng.random() < 0.1:
        categories.append("低保边缘户")
    if rng.random() < 0.05:
        categories.append("特困供养")
    housing = rng.choices(("安全", "C级危房", "危房D级", "住房困难", "无房"),
                          weights=(75, 12, 6, 4, 3))[0]
    return {"家庭类别": rng.choice(SEPARATORS).join(categories or ["低收入户"]),
            "城乡": "城镇" if urban else "农村", "人均纯收入": str(rng.randrange(2500, 15000, 10)),
            # 100 starts no mobile number in China: an invented number that cannot be dialled
            "住房情况": housing, "联系电话": f"100{rng.randrange(10**8):08d}"}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def write_csv(path: Path, data: Iterable[Mapping[str, str]], *,
              encoding: str = "utf-8-sig") -> None:
    """A CSV file (UTF-8 with BOM, as Excel expects; or gb18030, as Excel in China saves)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([row.get(c, "") for c in COLUMNS] for row in data)


def write_xlsx(path: Path, data: Iterable[Mapping[str, str]], *,
               shared_strings: bool = False) -> None:
    """An .xlsx file written row by row (write-only: memory stays flat), header frozen,
    every cell text (so that Excel never turns an ID number into a rounded number). openpyxl
    writes texts inline; with `shared_strings` they are moved into one shared-string table
    afterwards, as Excel and WPS save a workbook."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.freeze_panes = "A2"  # write-only sheets take panes and widths before any row
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 21 if column == "证件号码" else 12
    sheet.append(list(COLUMNS))
    for row in data:
        sheet.append([row.get(c, "") for c in COLUMNS])
    book.save(path)
    if shared_strings:
        _share_strings(path)


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>')
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _share_strings(path: Path) -> None:
    """Rewrite an openpyxl-written .xlsx so that its texts sit in xl/sharedStrings.xml (cells
    t="s" holding an index), the layout of a file saved by Excel."""
    import zipfile

    table: dict[bytes, int] = {}

    def share(match: re.Match[bytes]) -> bytes:
        index = table.setdefault(match.group(3), len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    packed = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, \
            zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = _INLINE.sub(share, content)
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    + _SST_TYPE + b'"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="'
                                          + _SST_REL + b'" Target="sharedStrings.xml"/>'
                                          b"</Relationships>")
            target.writestr(info.filename, content)
        items = b"".join(b"<si>%s</si>" % text for text in table)  # <t> as written
        target.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main" uniqueCount="%d">%s</sst>' % (len(table), items))
    packed.replace(path)


def write_examples(directory: Path) -> None:
    """examples/: a ~40-household sample as .xlsx and .csv, and the empty template."""
    directory.mkdir(parents=True, exist_ok=True)
    sample = list(rows(households=40, seed=8, villages_per_town=2))
    write_xlsx(directory / "roster-sample.xlsx", sample)
    write_csv(directory / "roster-sample.csv", sample)
    write_xlsx(directory / "roster-template.xlsx", [])


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m storage.synthetic`: the examples, or one large synthetic file."""
    parser = argparse.ArgumentParser(prog="python -m storage.synthetic", description=__doc__)
    parser.add_argument("--examples", type=Path, help="rebuild the examples into this folder")
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help=".xlsx or .csv to write")
    parser.add_argument("--encoding", default="utf-8-sig", help="CSV: utf-8-sig or gb18030")
    args = parser.parse_args(argv)
    if args.examples:
        write_examples(args.examples)
    if args.out:
        data = rows(households=args.households, seed=args.seed)
        if args.out.suffix.lower() == ".xlsx":
            write_xlsx(args.out, data)
        else:
            write_csv(args.out, data, encoding=args.encoding)
    return 0 if args.examples or args.out else 2


if __name__ == "__main__":
    raise SystemExit(main())
