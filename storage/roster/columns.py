"""The roster's columns: the national 扶贫开发信息系统 headers, the variants offices write, and
finding the header row (exports often put a title row or two above it)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# field -> the header as the national export writes it, in its column order; the synthetic
# writer and the template use these.
HEADERS: dict[str, str] = {
    "code": "户编号", "name": "姓名", "id_number": "证件号码", "relation": "与户主关系",
    "sex": "性别", "birth_date": "出生日期", "age": "年龄", "school": "在校生状况",
    "boarding": "是否住校", "disability": "残疾等级", "health": "健康状况", "county": "县区",
    "town": "乡镇", "village": "行政村", "categories": "家庭类别", "area": "城乡",
    "income": "人均纯收入", "housing": "住房情况", "phone": "联系电话", "caseworker": "帮扶责任人",
}
REQUIRED = ("code", "name", "id_number", "relation", "county", "town", "village")

# Other spellings seen in county and township spreadsheets, after normalisation (NFKC, no
# spaces, no "*" marks, no unit in brackets).
VARIANTS: dict[str, tuple[str, ...]] = {
    "code": ("户码", "户号", "家庭编号", "户编码"),
    "name": ("成员姓名", "人员姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证"),
    "relation": ("与户主的关系", "家庭关系", "关系"),
    "birth_date": ("出生年月日", "出生年月", "出生时间"),
    "school": ("在校生情况", "在校情况", "就学情况", "就读学段", "在校状况"),
    "boarding": ("住校", "是否寄宿", "寄宿"),
    "disability": ("残疾级别", "残疾程度"),
    "health": ("健康情况",),
    "county": ("县(市、区)", "县(区)", "区县", "县市区", "县"),
    "town": ("乡(镇、街道)", "乡(镇)", "乡镇(街道)", "乡镇街道", "镇"),
    "village": ("村(社区)", "行政村(社区)", "村", "社区"),
    "categories": ("贫困户属性", "户类别", "家庭类型", "户属性"),
    "area": ("城乡类别", "城乡类型"),
    "income": ("家庭人均纯收入", "人均收入", "年人均纯收入"),
    "housing": ("住房状况", "住房安全"),
    "phone": ("电话", "手机号", "手机号码", "联系方式"),
    "caseworker": ("帮扶人", "帮扶干部", "帮扶责任人姓名", "结对帮扶人"),
}
IGNORED = frozenset({"序号"})  # a running number: not data, not worth a warning
HEADER_SEARCH_ROWS = 10  # how far down a title block may push the header row
_UNIT = re.compile(r"\((元|元/年|元/人|岁|人)\)$")
_BY_HEADER: dict[str, str] = {
    **{h: f for f, h in HEADERS.items()},
    **{v: f for f, vs in VARIANTS.items() for v in vs},
}


def normalise_header(text: str) -> str:
    """A header as the tables above spell it: NFKC, no spaces or marks, no trailing unit."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\s*＊]", "", folded)
    return _UNIT.sub("", folded)


@dataclass(frozen=True)
class Columns:
    """Where each field is in a row, and the headers as the file writes them."""

    row: int  # the header's row number in the file
    index: dict[str, int]  # field -> column position
    labels: dict[str, str]  # field -> header text in the file (what errors name)
    unrecognised: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """Required fields the file has no column for (as the national header)."""
        return tuple(HEADERS[f] for f in REQUIRED if f not in self.index)

    def label(self, field: str) -> str:
        """The header text errors name for a field."""
        return self.labels.get(field, HEADERS[field])


def read_header(row: int, cells: Sequence[object]) -> Columns:
    """The columns a header row names; repeated or unknown headers are `unrecognised`."""
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    unrecognised: list[str] = []
    for position, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        key = normalise_header(text)
        if not key or key in IGNORED:
            continue
        field = _BY_HEADER.get(key)
        if field is None or field in index:
            unrecognised.append(text)
            continue
        index[field], labels[field] = position, text
    return Columns(row, index, labels, tuple(unrecognised))


def find_header(rows: Iterator[tuple[int, Sequence[object]]]) -> Columns | None:
    """The first of the leading rows that names an ID column and at least two other fields;
    `rows` is left just after it, so the caller reads on from there."""
    for row, cells in rows:
        columns = read_header(row, cells)
        if "id_number" in columns.index and len(columns.index) >= 3:
            return columns
        if row >= HEADER_SEARCH_ROWS:
            return None
    return None
