"""Inline keyboards and their callback_data (always well under Telegram's 64 bytes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from knowledge.regions import RegionTree

BACK = "« 返回"


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i:i + width]) for i in range(0, len(buttons), width)]


def cities(tree: RegionTree) -> InlineKeyboardMarkup:
    """Every city of the tree (市), the first step of region selection."""
    buttons = [InlineKeyboardButton(c.name, callback_data=f"rg:c:{c.id}")
               for p in tree.roots for c in tree.children(p)]
    return InlineKeyboardMarkup(_rows(buttons, 2))


COVERED = " 📄"  # marks a district whose policies the bot has documents for


def counties(tree: RegionTree, city_id: str, *, whole_city: bool,
             covered: Callable[[str], bool] = lambda _: False) -> InlineKeyboardMarkup:
    """The districts and counties of a city (📄 where `covered`: the bot has its documents),
    the whole city (only when the city has a document of its own: otherwise it is a dead
    end), and back."""
    city = tree.get(city_id)
    buttons = [InlineKeyboardButton(c.name + (COVERED if covered(c.id) else ""),
                                    callback_data=f"rg:s:{c.id}")
               for c in tree.children(city_id)]
    rows = _rows(buttons, 3)
    nav = [InlineKeyboardButton(f"整个{city.name}", callback_data=f"rg:s:{city.id}")]
    rows.append([*(nav if whole_city else []), InlineKeyboardButton(BACK, callback_data="rg:b")])
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


def resume(step_data: str = "ck:resume") -> InlineKeyboardMarkup:
    """继续自查: back to the open question after /help or /region."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("▶ 继续自查", callback_data=step_data)]])


def confirm_value(value: float) -> InlineKeyboardMarkup:
    """按3500记录？ Yes, or type it again."""
    shown = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(f"✔ 按{shown}记录", callback_data="ck:confirm:yes"),
        InlineKeyboardButton("✏ 重新填写", callback_data="ck:confirm:no"),
    ]])
