"""/check through the real Application: a full run, back, cancel, hints and restarts."""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes import OfflineChat
from tests.test_journeys import pick_region, texts

HOUSEHOLD = ["建档立卡贫困户", "完成", "农村"]
CHILD_13_BOARDING = ["初中", "住校", "没有残疾", "都没有", "没有"]
TAIL = ["没有了", "住房安全", "否", "否"]


async def run_screener(chat: OfflineChat) -> str:
    await chat.send("/check")
    for label in HOUSEHOLD:
        await chat.press(label)
    await chat.press("跳过")  # income
    await chat.send("13")
    for label in CHILD_13_BOARDING:
        await chat.press(label)
    out = ""
    for label in TAIL:
        out = texts(await chat.press(label))
    return out


async def test_full_screener_lists_amount_per_member(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    result = await run_screener(chat)
    assert "成员1（13岁·初中寄宿）" in result and "1250元" in result
    assert "每年约" in result and "出处" in result


async def test_screener_needs_a_region_first(chat: OfflineChat) -> None:
    reply = texts(await chat.send("/check"))
    assert "请先选择" in reply


async def test_back_undoes_the_last_answer(chat: OfflineChat) -> None:
    await pick_region(chat, "遵义市", "正安县")
    await chat.send("/check")
    await chat.press("低保户")
    await chat.press("完成")
    assert "年人均收入" in texts(await chat.press("农村"))
    back = texts(await chat.press("返回"))
    assert "农村还是城镇" in back


async def test_cancel_button_and_command_end_the_screener(chat: OfflineChat) -> None:
    await pick_region(chat, "珠海市", "斗门区")
    await chat.send("/check")
    assert "已取消" in texts(await chat.press("取消"))
    await chat.send("/check")
    assert "已取消" in texts(await chat.send("/cancel"))


async def test_unexpected_text_gets_a_hint_not_silence(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    hint = texts(await chat.send("我也不知道"))
    assert "请点下面的按钮" in hint
    await chat.press("都不是")
    await chat.press("城镇")
    assert "没看懂" in texts(await chat.send("很多钱"))
    assert "多大年龄" in texts(await chat.send("1.2万"))


async def test_screener_survives_a_restart(make_chat: Callable[..., OfflineChat]) -> None:
    first = make_chat()
    async with first.app:
        await pick_region(first, "铁岭市", "清河区")
        await first.send("/check")
        await first.press("都不是")
    second = make_chat(first.api)  # a new process; Telegram still shows the old buttons
    second.keyboard_message = first.keyboard_message
    async with second.app:
        reply = texts(await second.press("农村"))
    assert "年人均收入" in reply
