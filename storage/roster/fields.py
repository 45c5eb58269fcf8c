"""One cell of the roster to one value, as the national system and county offices write it.
Each parser returns None for a blank cell and raises FieldError for a value it cannot read."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from knowledge.vocabulary import NOT_IN_SCHOOL, SAFE_HOUSING, category_of, stage_of


class FieldError(ValueError):
    """A cell holds a value we cannot read; the message says what was expected."""


def cell_text(value: object) -> str:
    """A cell as text: NFKC (full-width digits and letters folded), trimmed; dates as ISO."""
    if isinstance(value, str):  # most cells: skip the normalisation when it changes nothing
        if value.isascii() or unicodedata.is_normalized("NFKC", value):
            return value.strip()
        return unicodedata.normalize("NFKC", value).strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def birth_date(text: str) -> dt.date | None:
    """1980-01-02, 1980/1/2, 1980.1.2, 1980年1月2日, 19800102."""
    if not text:
        return None
    match = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise FieldError("应为日期，如 1980-01-02") from exc


def age(text: str) -> int | None:
    """Whole years (周岁), 0-130; 35岁 reads as 35."""
    if not text:
        return None
    digits = text.removesuffix("周岁").removesuffix("岁")
    if not digits.isdigit() or int(digits) > 130:
        raise FieldError("应为0到130之间的整数")
    return int(digits)


def sex(text: str) -> str | None:
    """男 or 女."""
    if not text:
        return None
    value = {"男": "男", "男性": "男", "女": "女", "女性": "女"}.get(text)
    if value is None:
        raise FieldError("应为 男 或 女")
    return value


RELATION_ALIASES = {"本人": "户主", "户主本人": "户主", "妻": "配偶", "夫": "配偶"}


def relation(text: str) -> str:
    """As the national system writes it (户主, 配偶, 之子, 之女, 之孙子 ...); 本人 is 户主."""
    if not text:
        raise FieldError("不能为空（户主、配偶、之子、之女……）")
    if len(text) > 20:
        raise FieldError("太长（最多20个字）")
    return RELATION_ALIASES.get(text, text)


# 在校生状况 words that stage_of does not know: the national system's grades and states.
SCHOOL_WORDS = {
    "七年级": "初中", "八年级": "初中", "九年级": "初中", "本科及以上": "本科",
    "非在校生": NOT_IN_SCHOOL, "不在校": NOT_IN_SCHOOL, "未上学": NOT_IN_SCHOOL,
    "辍学": NOT_IN_SCHOOL, "失学": NOT_IN_SCHOOL, "学龄前": NOT_IN_SCHOOL,
    "学龄前儿童": NOT_IN_SCHOOL,
    "已毕业": NOT_IN_SCHOOL, "毕业": NOT_IN_SCHOOL, "无": NOT_IN_SCHOOL, "否": NOT_IN_SCHOOL,
}


def school_stage(text: str) -> str | None:
    """A school stage of knowledge/vocabulary.py (学前教育 -> 学前, 七年级 -> 初中, 大专 ->
    专科), or 不上学 for 非在校生."""
    if not text:
        return None
    stage = SCHOOL_WORDS.get(text) or stage_of(text)
    if stage is None:
        raise FieldError("无法识别的学段（如 学前教育、小学、七年级、高中、中职、大专、非在校生）")
    return stage


_YES = {"是", "住校", "寄宿", "住宿", "Y", "y", "1", "TRUE", "True"}
_NO = {"否", "不住校", "走读", "非住校", "N", "n", "0", "FALSE", "False", "无"}


def yes_no(text: str) -> bool | None:
    """是/住校 -> True, 否/走读 -> False."""
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FieldError("应为 是 或 否")


_LEVEL = re.compile(r"(?:残疾)?([一二三四1-4])级?(?:残疾)?")


def disability_level(text: str) -> int | None:
    """一级 .. 四级 (or 1-4); 无 is 0, no disability."""
    if not text:
        return None
    if text in ("无", "否", "0", "非残疾", "健全"):
        return 0
    match = _LEVEL.fullmatch(text)
    if match is None:
        raise FieldError("应为 一级、二级、三级、四级 或 无")
    digit = match.group(1)
    return int(digit) if digit.isdigit() else "一二三四".index(digit) + 1


HEALTH_WORDS = {
    "健康": "健康", "良好": "健康", "长期慢性病": "长期慢性病", "慢性病": "长期慢性病",
    "患有大病": "患有大病", "大病": "患有大病", "重病": "患有大病", "重大疾病": "患有大病",
    "残疾": "残疾", "残疾人": "残疾",
}


def health(text: str) -> str | None:
    """健康 / 长期慢性病 / 患有大病 / 残疾."""
    if not text:
        return None
    value = HEALTH_WORDS.get(text)
    if value is None:
        raise FieldError("应为 健康、长期慢性病、患有大病 或 残疾")
    return value


# The national system's 贫困户属性 names two categories at once.
COMPOUND_CATEGORIES = {
    "一般贫困户": ("建档立卡贫困户",), "低保贫困户": ("建档立卡贫困户", "低保户"),
    "特困供养贫困户": ("建档立卡贫困户", "特困供养"), "五保贫困户": ("建档立卡贫困户", "特困供养"),
}
_SEPARATORS = re.compile(r"[、，,;；/／|\s]+")


@lru_cache(maxsize=1024)  # a file uses a few dozen spellings, on every row
def categories(text: str) -> tuple[str, ...] | None:
    """Several categories separated by 、 ， , ; or /, each mapped with category_of."""
    if not text:
        return None
    found: list[str] = []
    for word in filter(None, _SEPARATORS.split(text)):
        single = category_of(word)
        named = COMPOUND_CATEGORIES.get(word) or ((single,) if single else ())
        if not named:
            raise FieldError(f"未知的家庭类别“{word}”")
        found.extend(named)
    return tuple(dict.fromkeys(found))


AREA_WORDS = {"农村": "rural", "乡村": "rural", "农业": "rural", "城镇": "urban",
              "城市": "urban", "城区": "urban", "非农业": "urban"}


def area(text: str) -> str | None:
    """农村 -> rural, 城镇/城市 -> urban."""
    if not text:
        return None
    value = AREA_WORDS.get(text)
    if value is None:
        raise FieldError("应为 农村 或 城镇")
    return value


def income(text: str) -> float | None:
    """Yuan per person per year: 4500, 4,500.50, 4500元."""
    if not text:
        return None
    cleaned = text.replace(",", "").removesuffix("元")
    try:
        value = float(cleaned)
    except ValueError as exc:
        raise FieldError("应为金额（元），如 4500") from exc
    if not 0 <= value <= 10_000_000:
        raise FieldError("金额不在合理范围内")
    return value


HOUSING_WORDS = {
    "安全": SAFE_HOUSING, "安全住房": SAFE_HOUSING, "住房安全": SAFE_HOUSING,
    "已改造": SAFE_HOUSING, "无危房": SAFE_HOUSING, "A级": SAFE_HOUSING, "B级": SAFE_HOUSING,
    "危房C级": "危房C级", "C级危房": "危房C级", "C级": "危房C级",
    "危房D级": "危房D级", "D级危房": "危房D级", "D级": "危房D级",
    "无房": "无房", "无住房": "无房", "住房困难": "住房困难",
}


def housing(text: str) -> str | None:
    """安全, 危房C级, 危房D级, 无房 or 住房困难 (C级危房 and the like read too)."""
    if not text:
        return None
    value = HOUSING_WORDS.get(text.upper())
    if value is None:
        raise FieldError("应为 安全、危房C级、危房D级、无房 或 住房困难")
    return value


_PHONE = re.compile(r"\+?[\d()\- ]{5,24}")


def phone(text: str) -> str | None:
    """A mobile or landline number; spaces dropped, at most 20 characters kept."""
    if not text:
        return None
    compact = text.replace(" ", "")
    if not _PHONE.fullmatch(text) or len(compact) > 20 or sum(c.isdigit() for c in compact) < 5:
        raise FieldError("不是有效的电话号码")
    return compact


def short_text(text: str, limit: int, *, required: bool = False) -> str | None:
    """A name or place, at most `limit` characters."""
    if not text:
        if required:
            raise FieldError("不能为空")
        return None
    if len(text) > limit:
        raise FieldError(f"太长（最多{limit}个字）")
    return text
