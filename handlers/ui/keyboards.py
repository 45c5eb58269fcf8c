"""Inline keyboards and their callback_data (always well under Telegram's 64 bytes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.ui.render import number
from knowledge.regions import RegionTree

BACK = "« 返回"
PREVIOUS = "‹ 上一页"
NEXT = "下一页 ›"
CITIES_PER_PAGE = 8  # 4 rows of 2: a province-wide tree (dozens of cities) stays one screen
COUNTIES_PER_PAGE = 12  # 4 rows of 3: a city with ~100 counties gets pages, not 100 buttons


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i:i + width]) for i in range(0, len(buttons), width)]


def paginate(buttons: list[InlineKeyboardButton], page: int, size: int,
          data: str) -> tuple[list[InlineKeyboardButton], list[InlineKeyboardButton]]:
    """The buttons of one page (a page past the end shows the last one) and the 上一页/下一页
    row; `data` is the callback prefix the page number is appended to."""
    last = max(0, (len(buttons) - 1) // size)
    page = min(max(page, 0), last)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(PREVIOUS, callback_data=f"{data}{page - 1}"))
    if page < last:
        nav.append(InlineKeyboardButton(NEXT, callback_data=f"{data}{page + 1}"))
    return buttons[page * size:(page + 1) * size], nav


def cities(tree: RegionTree, page: int = 0) -> InlineKeyboardMarkup:
    """Every city of the tree (市), the first step of region selection, a page at a time."""
    buttons = [InlineKeyboardButton(c.name, callback_data=f"rg:c:{c.id}")
               for p in tree.roots for c in tree.children(p) if c.offered]
    shown, nav = paginate(buttons, page, CITIES_PER_PAGE, "rg:p:")
    return InlineKeyboardMarkup(_rows(shown, 2) + ([nav] if nav else []))


COVERED = " 📄"  # marks a district whose policies the bot has documents for


def counties(tree: RegionTree, city_id: str, *, whole_city: bool, page: int = 0,
             covered: Callable[[str], bool] = lambda _: False) -> InlineKeyboardMarkup:
    """The districts and counties of a city a page at a time (📄 where `covered`: the bot has
    its documents), the whole city (only when the city has a document of its own: otherwise
    it is a dead end), and back."""
    city = tree.get(city_id)
    buttons = [InlineKeyboardButton(c.name + (COVERED if covered(c.id) else ""),
                                    callback_data=f"rg:s:{c.id}")
               for c in tree.children(city_id)]
    shown, nav = paginate(buttons, page, COUNTIES_PER_PAGE, f"rg:c:{city.id}:")
    rows = _rows(shown, 3) + ([nav] if nav else [])
    whole = [InlineKeyboardButton(f"整个{city.name}", callback_data=f"rg:s:{city.id}")]
    rows.append([*(whole if whole_city else []), InlineKeyboardButton(BACK, callback_data="rg:b")])
    return InlineKeyboardMarkup(rows)


def feedback(entry_key: str) -> InlineKeyboardMarkup:
    """有用 / 没用 under every answer (the entry's stable key: knowledge.loader.entry_key)."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("👍 有用", callback_data=f"fb:1:{entry_key}"),
        InlineKeyboardButton("👎 没用", callback_data=f"fb:0:{entry_key}"),
    ]])


def clarify(options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per candidate of 您是想问 (entry key, title)."""
    rows = [[InlineKeyboardButton(f"{n}. {title}"[:60], callback_data=f"pk:{key}")]
            for n, (key, title) in enumerate(options, 1)]
    rows.append([InlineKeyboardButton("都不是", callback_data="pk:none")])
    return InlineKeyboardMarkup(rows)


def choices(step: str, options: Sequence[tuple[str, str]], *, selected: Sequence[str] = (),
            multi: bool = False, back: bool = True, width: int = 2) -> InlineKeyboardMarkup:
    """A screener question: (value, label) options; multi-select shows ✅ and a 完成 button."""
    buttons = [InlineKeyboardButton(("✅ " if value in selected else "") + label,
                                    callback_data=f"ck:{step}:{value}")
               for value, label in options]
    rows = _rows(buttons, width)
    nav = []
    if back:
        nav.append(InlineKeyboardButton(BACK, callback_data="ck:back"))
    if multi:
        nav.append(InlineKeyboardButton("完成 ▶", callback_data=f"ck:{step}:done"))
    nav.append(InlineKeyboardButton("✖ 取消", callback_data="ck:cancel"))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


def check_details(result_id: str, *, services: int, open_items: int) -> InlineKeyboardMarkup | None:
    """Under the /check result: 更多服务 and 还需确认什么 (each only when it has something)."""
    buttons = []
    if services:
        buttons.append(InlineKeyboardButton(f"📋 更多服务（{services}）",
                                            callback_data=f"cr:{result_id}:s"))
    if open_items:
        buttons.append(InlineKeyboardButton(f"❔ 还需确认什么（{open_items}）",
                                            callback_data=f"cr:{result_id}:o"))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def resume() -> InlineKeyboardMarkup:
    """继续自查: back to the open question after /help or /region."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("▶ 继续自查", callback_data="ck:resume")]])


def confirm_value(value: float) -> InlineKeyboardMarkup:
    """按3500记录？ Yes, or type it again."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(f"✔ 按{number(value)}记录", callback_data="ck:confirm:yes"),
        InlineKeyboardButton("✏ 重新填写", callback_data="ck:confirm:no"),
    ]])
