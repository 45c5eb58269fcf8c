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
CASEWORK = (
    BotCommand("mine", "我的帮扶户"),
    BotCommand("visit", "记录走访"),
    BotCommand("due", "待办跟进事项"),
    BotCommand("household", "查看一户（姓名或户编号）"),
    BotCommand("deadlines", "工作期限"),
    BotCommand("remind", "设个提醒，如：/remind 下周三 送药"),
)
CASEWORKER = CASEWORK + (BotCommand("export", "导出我的帮扶户台账（Excel）"),
                         BotCommand("settings", "提醒设置")) + RESIDENT
SUPERVISOR = CASEWORK + (BotCommand("report", "统计报告和图表：/report 本月"),
                         BotCommand("export", "导出本地区台账（Excel）"),
                         BotCommand("monthly", "本月帮扶情况报告（草稿，可修改后导出）"),
                         BotCommand("invite", "邀请帮扶干部或下级主管"),
                         BotCommand("settings", "提醒设置")) + RESIDENT
MENUS: dict[Role, tuple[BotCommand, ...]] = {
    Role.RESIDENT: RESIDENT, Role.CASEWORKER: CASEWORKER, Role.SUPERVISOR: SUPERVISOR,
    Role.ADMIN: SUPERVISOR,
}


def commands_for(role: Role) -> list[BotCommand]:
    """The menu a user of this role sees (a resident never sees caseworker commands)."""
    return list(MENUS[role])
