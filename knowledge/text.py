"""Chinese text normalisation: NFKC, traditional to simplified, number slots, tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import opencc
from opencc import OpenCC

_T2S = OpenCC("t2s")


def _t2s_triggers() -> frozenset[str]:
    """Characters without which t2s leaves a text unchanged: for every dictionary entry whose
    value differs from its key, the key's characters that differ (all of them when the lengths
    differ). Any entry that could change a text contains one of them."""
    found: set[str] = set()
    folder = Path(opencc.__file__).parent / "dictionary"
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            value = values.split()[0] if values.split() else key
            if key == value:
                continue
            found.update((a for a, b in zip(key, value, strict=True) if a != b)
                         if len(key) == len(value) else key)
    return frozenset(found)


# OpenCC's pure-Python t2s costs ~75 µs a string; the knowledge base and most questions are
# simplified already, so only text with one of these characters is converted.
_T2S_TRIGGERS = _t2s_triggers()
# Control, format (zero-width, RTL marks) and private-use characters carry no meaning here.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
# A Chinese numeral directly before a unit that marks a quantity slot (age, money, years).
# 一级/二级 (disability levels), 一站式 and 一块儿/一块结 (together; but 七十块儿钱 is money) are
# deliberately left alone.
# (a month and day as dates are written in the documents: 六月底 -> 6月底, 七月一号 -> 7月1号)
_NUMBER_SLOT = re.compile(
    r"(?!一块[儿去来走结办住过报])([零〇一二两三四五六七八九十百千]+)(?=(岁|周岁|元|块|万|年级|个月|口人"
    r"|月(?:底|初|份|末|中旬|上旬|下旬|前|[零一二三四五六七八九十\d])|[日号]))"
)
# a year written digit by digit (二〇一七年, 二零二零年; 19xx or 20xx): never a count of years
# (一年, 三年) nor four digits of something else (身份证后四位一二三四年)
_YEAR_SLOT = re.compile(r"(?<![零〇一二两三四五六七八九十百千])"
                        r"((?:一九|二[〇零])[零〇一二三四五六七八九]{2})(?=年)")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "k": 1000}
_WAN = ("万", "w")


def numeral_value(run: str) -> float | None:
    """A number as people write it (4000, 1.2万, 1万2, 3千, 5k, 一万二, 两千五, 十三) -> its value;
    None when malformed (三四千 is a range, 百十 nonsense): better left as typed than guessed."""
    total = group = 0.0  # total: whole 万s; group: the part below 万
    current: float | None = None
    last_unit, after_zero = 0, False
    for tok in re.findall(r"\d+(?:\.\d+)?|.", run):
        if tok in ("〇", "零"):
            after_zero = True
        elif tok in _WAN:
            if current is None and not group:
                return None
            total += (group + (current or 0)) * 10_000
            group, current, last_unit, after_zero = 0, None, 10_000, False
        elif tok in _UNITS:
            unit = _UNITS[tok]
            if (current is None and unit != 10) or (last_unit and unit >= last_unit):
                return None  # 千 alone, or units that do not go down (五百三千)
            group += (1 if current is None else current) * unit
            current, last_unit, after_zero = None, unit, False
        elif current is not None:
            return None  # two numbers in a row: 三四千, 13 14
        else:
            current = float(tok) if tok[0].isdigit() else float(_DIGITS[tok])
    if current is None:
        return total + group
    # 一千二 = 1200, 1万5 = 15000, 三百五 = 350: a lone digit after a unit counts in the next
    # lower unit; after 零 (一千零五) or 十 (十三) it is just itself.
    abbreviated = last_unit >= 100 and not after_zero and current < 10 and current.is_integer()
    return total + group + current * (last_unit // 10 if abbreviated else 1)


def cn_to_int(numeral: str) -> int | None:
    """A Chinese numeral as an integer (六十, 十三, 一千二, 二零二零), or None if malformed."""
    if all(ch in _DIGITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))  # 二零二零: digit by digit
    value = numeral_value(numeral)
    return int(value) if value is not None and value.is_integer() else None


def number_slots(text: str) -> str:
    """Chinese numerals before a quantity unit as digits: 三千元 -> 3000元, 六十岁 -> 60岁,
    二〇一七年 -> 2017年."""
    def repl(match: re.Match[str]) -> str:
        value = cn_to_int(match.group(1))
        return str(value) if value is not None else match.group(1)

    return _NUMBER_SLOT.sub(repl, _YEAR_SLOT.sub(repl, text))


def to_simplified(text: str) -> str:
    """Traditional characters as simplified (OpenCC t2s), skipped when nothing would change."""
    return _T2S.convert(text) if not _T2S_TRIGGERS.isdisjoint(text) else text


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC, drop invisible characters, traditional -> simplified, lower case, number slots."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = to_simplified(text).lower()
    return number_slots(text)


def compact(text: str) -> str:
    """Normalised text without punctuation or spaces: what the matcher compares."""
    return _PUNCT.sub("", normalize(text))


def char_ngrams(text: str) -> list[str]:
    """Character unigrams and bigrams of compacted text (digits runs kept whole)."""
    units = re.findall(r"\d+(?:\.\d+)?|[a-z]+|.", text)
    grams = list(units)
    grams.extend(a + b for a, b in pairwise(units))
    return grams
