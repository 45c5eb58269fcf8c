"""The common pinyin syllable of each Chinese character, read from a table made with pypinyin.

The matcher reads characters one by one (knowledge/matcher.py `_syllable`); importing pypinyin
for that costs ~0.25 s and ~55 MiB at every start (its phrase dictionary, which a reading
character by character never consults). syllables.txt holds, per syllable, every character
pypinyin 0.55 reads so (`lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")`); any other
character has none. tests/test_syllables.py checks the table against pypinyin; after a pypinyin
upgrade rewrite it with `.venv/bin/python -m knowledge.syllables`.
"""

from __future__ import annotations

from array import array
from pathlib import Path

TABLE = Path(__file__).with_name("syllables.txt")
FIRST, LAST = 0x3007, 0x32389  # the characters pypinyin has a reading for lie in this range


def _load() -> tuple[list[str], array[int]]:
    names = [""]
    slots = array("H", bytes(2 * (LAST - FIRST + 1)))
    for line in TABLE.read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        name, chars = line.split(" ", 1)
        names.append(name)
        k = len(names) - 1
        for ch in chars:
            slots[ord(ch) - FIRST] = k
    return names, slots


_NAMES, _SLOTS = _load()


def syllable(ch: str) -> str:
    """The common reading of one character ('' for digits, letters, punctuation)."""
    i = ord(ch) - FIRST
    return _NAMES[_SLOTS[i]] if 0 <= i <= LAST - FIRST else ""


def table_lines() -> list[str]:
    """The table as pypinyin reads it (for writing syllables.txt and for its test)."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    by_name: dict[str, list[str]] = {}
    for cp in sorted(pinyin_dict):
        found = lazy_pinyin(chr(cp), style=Style.NORMAL, errors="ignore")
        if found and found[0].isalpha():
            by_name.setdefault(found[0], []).append(chr(cp))
    return [f"{name} {''.join(chars)}" for name, chars in sorted(by_name.items())]


if __name__ == "__main__":
    TABLE.write_text("\n".join(table_lines()) + "\n", encoding="utf-8")
