"""The command menu (set with set_my_commands) and the names handlers must recognise."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS = [
    BotCommand("start", "开始，选择所在地区"),
    BotCommand("check", "看看我家能享受哪些帮扶"),
    BotCommand("region", "更换地区"),
    BotCommand("help", "使用说明"),
    BotCommand("cancel", "取消当前操作"),
]
KNOWN_COMMANDS = tuple(c.command for c in COMMANDS)
