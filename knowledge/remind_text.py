"""`/remind 下周三 给李大爷送药`: the date at the front, the rest is what to remember."""

from __future__ import annotations

import datetime as dt

from knowledge.dates import DateReading, parse_date

MAX_DATE_CHARS = 12  # 2026年12月20日 is the longest date worth trying


def split_reminder(text: str, today: dt.date) -> tuple[DateReading, str]:
    """(the date reading, the remaining text). The longest readable date at the front wins
    (下周三 before 下周); with a space, the first word is tried first."""
    text = text.strip()
    head, _, rest = text.partition(" ")
    if rest:
        reading = parse_date(head, today)
        if reading.date is not None:
            return reading, rest.strip()
    best: tuple[DateReading, str] | None = None
    for n in range(1, min(len(text), MAX_DATE_CHARS) + 1):
        reading = parse_date(text[:n], today)
        if reading.date is not None:
            best = (reading, text[n:].strip(" ，,：:"))
    return best if best is not None else (DateReading(None, "unreadable"), text)
