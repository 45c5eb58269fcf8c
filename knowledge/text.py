"""Chinese text normalisation: NFKC, traditional to simplified, number slots, tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from opencc import OpenCC

_T2S = OpenCC("t2s")
# Control, format (zero-width, RTL marks) and private-use characters carry no meaning here.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# A Chinese numeral directly before a unit that marks a quantity slot (age, money, years).
# 一级/二级 (disability levels) and 一站式 are deliberately left alone.
_NUMBER_SLOT = re.compile(
    r"([零〇一二两三四五六七八九十百千]+)(?=(岁|周岁|元|块|万|年级|个月|口人))"
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def cn_to_int(numeral: str) -> int | None:
    """Parse a simple Chinese numeral (六十, 十三, 一千二, 三百五十) or None if malformed."""
    if all(ch in _CN_DIGITS for ch in numeral):
        return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))
    total, current, last_unit = 0, 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            last_unit = _CN_UNITS[ch]
            total += (current or 1) * last_unit
            current = 0
        else:
            return None
    # 一千二 means 1200 and 三百五 350: a trailing digit counts in the next lower unit
    if current and last_unit >= 100 and not numeral.endswith("零" + numeral[-1]):
        return total + current * last_unit // 10
    return total + current


def _replace_numbers(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        value = cn_to_int(match.group(1))
        return str(value) if value is not None else match.group(1)

    return _NUMBER_SLOT.sub(repl, text)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC, drop invisible characters, traditional -> simplified, lower case, number slots."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = _T2S.convert(text).lower()
    return _replace_numbers(text)


def compact(text: str) -> str:
    """Normalised text without punctuation or spaces: what the matcher compares."""
    return _PUNCT.sub("", normalize(text))


def char_ngrams(text: str) -> list[str]:
    """Character unigrams and bigrams of compacted text (digits runs kept whole)."""
    units = re.findall(r"\d+(?:\.\d+)?|[a-z]+|.", text)
    grams = list(units)
    grams.extend(a + b for a, b in pairwise(units))
    return grams
