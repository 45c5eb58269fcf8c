"""The command menu of each role (set with set_my_commands, and listed by the hints)."""

from __future__ import annotations

from telegram import BotCommand

from storage.models import Role

RESIDENT = (
    BotCommand("start", "开始，选择所在地区"),
    BotCommand("check", "看看我家能享受哪些帮扶"),
    BotCommand("region", "更换地区"),
    BotCommand("help", "使用说明"),
    BotCommand("cancel", "取消当前操作"),
)
MENUS: dict[Role, tuple[BotCommand, ...]] = {role: RESIDENT for role in Role}


def commands_for(role: Role) -> list[BotCommand]:
    """The menu a user of this role sees (a resident never sees caseworker commands)."""
    return list(MENUS[role])
