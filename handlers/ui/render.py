"""One jinja2 Environment for every message; Telegram-HTML helpers (split, plain text)."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.loader import Entry
from knowledge.schema import Amount, Item, Schedule

TEMPLATES = Path(__file__).parent / "templates"
TELEGRAM_LIMIT = 4096
SHANGHAI = ZoneInfo("Asia/Shanghai")


_NUMBERED = "一二三四五六七八九十"


def section_text(section: str) -> str:
    """三(二)4 -> 第三部分(二)4; 专栏4(一) and 附件2 stay as they are."""
    head = section.rstrip("0123456789()（）一二三四五六七八九十")
    numerals = len(section) - len(section.lstrip(_NUMBERED))
    if not numerals or head:
        return section
    return f"第{section[:numerals]}部分{section[numerals:]}"


def document_citation(entry: Entry, section: str = "") -> str:
    """《title》（文号）[section]，year年 — a document heading over several of its items."""
    doc = entry.document
    number = f"（{doc.doc_no}）" if doc.doc_no else ""
    return f"《{doc.title}》{number}{section}，{doc.year}年"


def citation(entry: Entry) -> str:
    """《title》（文号）section，year年 — the source line under every figure."""
    return document_citation(entry, section_text(entry.item.source.section))


def number(value: float) -> str:
    """1250.0 -> 1250, 0.5 -> 0.5: digits as the documents write them (no thousands commas)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def amount_line(a: Amount) -> str:
    """A figure as the document writes it, with its label: 初中寄宿生：每生每年1250元."""
    return f"{a.label}：{a.text}" if a.label else a.text


def schedule_text(s: Schedule) -> str:
    """A schedule in Chinese: 每年3月20日前, 每月28日前, 每季度一次, 2017年3月底前."""
    day = "底" if s.end_of_month else f"{s.day}日"
    if s.recurrence == "once" and s.date is not None:
        return f"{s.date.year}年{s.date.month}月{day if s.end_of_month else f'{s.date.day}日'}前"
    return {
        "yearly": f"每年{s.month}月{day}前",
        "monthly": f"每月{day}前",
        "quarterly": "每季度一次",
        "half_yearly": "每半年一次",
    }.get(s.recurrence, "")


WEEKDAYS = "一二三四五六日"


def local_time(moment: dt.datetime, tz: ZoneInfo = SHANGHAI) -> str:
    """An aware UTC time as people read it in China: 12月2日 09:30."""
    local = moment.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def day_text(day: dt.date, today: dt.date | None = None) -> str:
    """12月20日（周日）; 今天 / 明天 / 昨天 when `today` is given; the year when not this one."""
    if today is not None:
        named = {0: "今天", 1: "明天", -1: "昨天"}.get((day - today).days)
        if named:
            return f"{named}（{day.month}月{day.day}日）"
    year = f"{day.year}年" if today is not None and day.year != today.year else ""
    return f"{year}{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


LOCAL_OFFICE = "村（社区）或当地主管部门"


def ask_whom(item: Item | None) -> str:
    """Whom to ask about what the document does not say: the item's lead department."""
    return item.departments.lead[0] if item is not None and item.departments.lead \
        else LOCAL_OFFICE


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared Environment: autoescape on, undefined variables are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates ship with the code: no stat() of the file per message
    )
    env.globals.update(ask_whom=ask_whom, citation=citation, document_citation=document_citation,
                       section_text=section_text, number=number, amount_line=amount_line,
                       schedule_text=schedule_text, local_time=local_time, day_text=day_text)
    return env


def render(name: str, **context: Any) -> str:
    """Render templates/<name>.html.j2 to Telegram HTML (blank runs collapsed)."""
    text = environment().get_template(f"{name}.html.j2").render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_TAG = re.compile(r"<[^>]+>")


def to_plain(text: str) -> str:
    """Telegram HTML -> terminal text: tags dropped, entities unescaped."""
    return html.unescape(_TAG.sub("", text))


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at line breaks under the limit; templates never open a tag across lines."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single huge line: cut its plain text safely
            plain = html.escape(to_plain(line))
            cut = plain.rfind("&", 0, limit)
            cut = cut if cut > limit - 8 and ";" not in plain[cut:limit] else limit
            parts.append(plain[:cut])
            line = plain[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]
