"""Commands as people type them: any case, addressed to the bot (/start@bangfu_bot); one
reply each; /region and /help say the current region."""

from __future__ import annotations

import pytest

from tests.fakes import OfflineChat
from tests.test_journeys import pick_region, texts


@pytest.mark.parametrize("command", ["/start", "/START", "/Start", "/start@bangfu_bot",
                                     "/START@BangFu_Bot", "/start extra words"])
async def test_start_in_any_case_or_addressed_to_the_bot_gets_one_welcome(
        chat: OfflineChat, command: str) -> None:
    replies = await chat.send(command)
    assert len(replies) == 1 and "您好！我是<b>帮扶助手</b>" in texts(replies)


@pytest.mark.parametrize("command", ["/HELP", "/help@bangfu_bot", "/Check", "/REGION"])
async def test_other_commands_in_any_case_are_not_unknown(chat: OfflineChat,
                                                          command: str) -> None:
    replies = await chat.send(command)
    assert len(replies) == 1 and "没有这个命令" not in texts(replies)


async def test_help_in_capitals_mid_check_pauses_it_too(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    reply = texts(await chat.send("/HELP@bangfu_bot"))
    assert "使用说明" in reply and "继续自查" in next(label for label, _ in chat.buttons())


async def test_region_and_help_show_the_current_region(chat: OfflineChat) -> None:
    assert "还没有选择地区" in texts(await chat.send("/help"))
    assert "当前地区" not in texts(await chat.send("/region"))
    await pick_region(chat, "珠海市", "斗门区")
    assert "当前地区：<b>斗门区</b>" in texts(await chat.send("/help"))
    assert "当前地区：<b>斗门区</b>" in texts(await chat.send("/region"))
    await pick_region(chat, "珠海市", "香洲区")
    assert "暂时没有这里的政策文件" in texts(await chat.send("/help"))
