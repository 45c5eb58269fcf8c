"""Strip personal data from free text before it is stored anywhere (miss log, chat state)."""

from __future__ import annotations

import re

# Phone, ID-card and bank numbers, also when typed with spaces or dashes: 138-0013-8000,
# 1380 0138 000, 21010219900101123X. Seven or more digits in a run count as personal (landlines
# have 7-8); amounts such as 12000元 stay readable for the miss log.
_NUMBER = re.compile(r"\d(?:[\s\-－—.·]*\d){6,}[\dXx]?")
# A name after 我叫 / 姓名 / 名字叫 ...: two to four Han characters (over-masking is fine).
_NAME = re.compile(r"(我叫|我名叫|名字叫|名字是|姓名[:：]?|本人姓名[:：]?)\s*[\u4e00-\u9fff]{2,4}")
MAX_STORED_CHARS = 300


def mask_personal(text: str) -> str:
    """The text with numbers and self-given names replaced by # and ＊, trimmed to 300 chars."""
    masked = _NUMBER.sub("#", text.strip())
    masked = _NAME.sub(lambda m: f"{m.group(1)}＊", masked)
    return masked[:MAX_STORED_CHARS]
