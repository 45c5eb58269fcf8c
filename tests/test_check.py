"""/check through the real Application: a full run, back, cancel, hints, restarts, timeouts,
and the questionnaire's own rules (implied answers, reading typed numbers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine

from knowledge import questionnaire as steps
from tests.fakes import OfflineChat
from tests.test_journeys import pick_region, texts

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

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
    hint = texts(await chat.send("随便吧"))
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


# -- Finding: a question skipped because its answer is obvious records that answer ----------

def _draft(*typed: str) -> steps.Draft:
    """A draft answered by typing each button label or value in turn (as read_text allows)."""
    d = steps.new_draft("清河区", (), now=0.0)
    for text in typed:
        result = steps.read_text(d, text)
        assert result not in (steps.NOT_AN_ANSWER,) and not isinstance(result, steps.Unreadable), \
            (text, result, d["step"])
    return d


HOUSEHOLD_TYPED = ("建档立卡贫困户", "完成", "农村", "跳过")


@pytest.mark.parametrize(("member", "next_step", "stage", "boarding", "new_entrant"), [
    (("70",), "disability_level", "不上学", False, False),
    (("8个月",), "disability_level", "不上学", False, False),
    (("5", "学前"), "disability_level", "学前", False, False),
    (("13", "初中"), "boarding", "初中", None, None),
    (("20", "本科"), "new_entrant", "本科", False, None),
    (("30", "不上学"), "disability_level", "不上学", False, False),
    (("13", "不清楚"), "disability_level", None, None, None),
    (("跳过",), "school_stage", None, None, None),
])
def test_skipped_school_questions_store_what_the_answers_imply(
        member: tuple[str, ...], next_step: str, stage: str | None, boarding: bool | None,
        new_entrant: bool | None) -> None:
    d = _draft(*HOUSEHOLD_TYPED, *member)
    assert d["step"] == next_step
    person = d["members"][-1]
    assert (person.get("school_stage"), person.get("boarding"), person.get("new_entrant")) \
        == (stage, boarding, new_entrant)


def test_back_over_an_implied_answer_undoes_it_too() -> None:
    d = _draft(*HOUSEHOLD_TYPED, "70")
    assert steps.back(d)
    assert d["step"] == "age" and d["members"] == [{}]


async def test_elderly_member_gets_no_school_questions_or_school_unknowns(
        chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    for label in HOUSEHOLD:
        await chat.press(label)
    await chat.press("跳过")
    assert "有残疾吗" in texts(await chat.send("70"))
    for label in ("没有残疾", "都没有", "没有", *TAIL[:-1]):
        await chat.press(label)
    result = texts(await chat.press(TAIL[-1]))
    assert "自查结果" in result
    for unknown in ("上学阶段", "是否住校", "是否新生", "就读学校"):
        assert unknown not in result


# -- Finding: typed numbers are read as people write them, and the bot says what it read ------

@pytest.mark.parametrize(("typed", "yearly", "monthly"), [
    ("4000", 4000, None), ("4000元", 4000, None), ("4,000", 4000, None), ("四千", 4000, None),
    ("1.2万", 12000, None), ("一万二", 12000, None), ("1万2", 12000, None),
    ("1万2千", 12000, None), ("一万零五百", 10500, None), ("两千五", 2500, None),
    ("3千", 3000, None), ("4千5", 4500, None), ("5k", 5000, None), ("1.2w", 12000, None),
    ("十万", 100000, None), ("4000多", 4000, None), ("大约一万左右", 10000, None),
    ("每人每年4000元", 4000, None), ("一年4000", 4000, None), ("家里每人每年4000", 4000, None),
    ("每月500", 6000, 500), ("月收入800", 9600, 800), ("一个月五百", 6000, 500),
    ("500/月", 6000, 500), ("0", 0, None), ("没有收入", 0, None),
])
def test_income_is_read_as_yuan_per_person_per_year(typed: str, yearly: float,
                                                    monthly: float | None) -> None:
    assert steps.parse_income(typed) == steps.Reading(yearly, per_month=monthly)


@pytest.mark.parametrize(("typed", "reason"), [
    ("很多钱", "unreadable"), ("千", "unreadable"), ("3000或4000", "several"),
    ("每天20", "per_day"), ("全家一年两万", "household"), ("3", "tiny"), ("1.2", "tiny"),
    ("2000万", "range"), ("-500", "negative"), ("负五百", "negative"), ("－3000", "negative"),
    ("9" * 400, "range"),
])
def test_income_that_cannot_be_read_safely_is_refused(typed: str, reason: str) -> None:
    refused = steps.parse_income(typed)
    assert isinstance(refused, steps.Unreadable) and refused.reason == reason


@pytest.mark.parametrize(("typed", "years", "months"), [
    ("13", 13, None), ("13岁", 13, None), ("13周岁", 13, None), ("十三岁", 13, None),
    ("十三", 13, None), ("两岁", 2, None), ("三岁半", 3, None), ("1岁8个月", 1, None),
    ("六十多岁", 60, None), ("七十", 70, None), ("13.5", 13, None),
    ("8个月", 0, 8), ("八个月", 0, 8), ("18个月", 1, 18), ("半岁", 0, 6), ("3天", 0, 0),
    ("3个星期", 0, 0), ("两个多月", 0, 2), ("一个半月", 0, 1),
])
def test_age_is_read_in_whole_years(typed: str, years: int, months: int | None) -> None:
    assert steps.parse_age(typed) == steps.Reading(years, months=months)


@pytest.mark.parametrize(("typed", "reason"), [
    ("不告诉你", "unreadable"), ("13 14", "several"), ("2010", "birth_year"),
    ("2010年出生", "birth_year"), ("150", "range"), ("-5", "negative"),
    ("一年3千多", "income"), ("每月500元", "income"), ("9" * 400, "range"),
    ("2000个月", "range"), ("1452个月", "range"),
])
def test_age_that_cannot_be_read_is_refused(typed: str, reason: str) -> None:
    refused = steps.parse_age(typed)
    assert isinstance(refused, steps.Unreadable) and refused.reason == reason


async def _at_income(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    for label in HOUSEHOLD:
        await chat.press(label)


async def test_typed_income_and_age_are_confirmed_in_the_next_question(
        chat: OfflineChat) -> None:
    await _at_income(chat)
    age_prompt = texts(await chat.send("每月500"))
    assert "已记录：家庭年人均收入 6000 元（按每月 500 元折算）" in age_prompt
    assert "多大年龄" in age_prompt
    stage_prompt = texts(await chat.send("8个月"))
    assert "已记录：家庭成员1 0 岁（8个月，按0周岁计）" in stage_prompt
    assert "有残疾吗" in stage_prompt  # a baby is not asked about school


async def test_unreadable_numbers_get_a_specific_hint_and_the_question_again(
        chat: OfflineChat) -> None:
    await _at_income(chat)
    reply = texts(await chat.send("3"))
    assert "少写了“千”或“万”" in reply and "年人均收入" in reply
    assert "请只输入一个数字" in texts(await chat.send("3000或4000"))
    assert "人均" in texts(await chat.send("全家一年两万"))
    await chat.send("3千")
    assert "出生年份" in texts(await chat.send("2010"))


# -- Finding: an unfinished screener must not swallow later messages ------------------------

QUESTION = "孩子上初中住校一年补多少"


async def _in_screener(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    await chat.press("都不是")


async def test_a_question_typed_on_a_button_step_leaves_and_is_answered(
        chat: OfflineChat) -> None:
    await _in_screener(chat)
    reply = texts(await chat.send(QUESTION))
    assert "已退出自查" in reply and "1250元" in reply
    assert "1250元" in texts(await chat.send("那小学呢，住校补多少"))  # and stays a question


async def test_a_question_with_a_number_at_the_income_step_is_not_taken_as_income(
        chat: OfflineChat) -> None:
    await _in_screener(chat)
    assert "年人均收入" in texts(await chat.send("农村"))
    reply = texts(await chat.send("低保标准是每月650吗"))
    assert "已记录" not in reply and "已退出自查" in reply


async def test_a_long_answer_typed_on_a_button_step_keeps_the_screener(
        chat: OfflineChat) -> None:
    await _in_screener(chat)
    reply = texts(await chat.send("我们家在农村住了二十多年了"))
    assert "已退出自查" not in reply and "请点下面的按钮" in reply and "农村还是城镇" in reply


async def test_short_unexpected_text_still_gets_the_hint(chat: OfflineChat) -> None:
    await _in_screener(chat)
    hint = texts(await chat.send("嗯嗯"))
    assert "请点下面的按钮" in hint and "农村还是城镇" in hint


async def test_a_typed_button_label_is_taken_as_the_answer(chat: OfflineChat) -> None:
    await _in_screener(chat)
    assert "年人均收入" in texts(await chat.send("农村"))


async def test_a_region_name_typed_mid_check_sets_it_and_the_check_goes_on(
        chat: OfflineChat) -> None:
    await _in_screener(chat)
    reply = texts(await chat.send("斗门"))
    assert "已退出自查" not in reply and "地区已设置为<b>斗门区</b>" in reply
    assert "自查接着刚才的问题继续" in reply and "农村还是城镇" in reply
    assert "年人均收入" in texts(await chat.press("农村"))  # the same check, its answers kept


@pytest.mark.parametrize(("command", "shows"), [("/start", "帮扶助手")])
async def test_start_ends_the_screener(chat: OfflineChat, command: str, shows: str) -> None:
    await _in_screener(chat)
    old_question = chat.keyboard_message
    reply = texts(await chat.send(command))
    assert "已退出自查" in reply and shows in reply
    assert "1250元" in texts(await chat.send(QUESTION))
    assert "没有进行中的操作" in texts(await chat.send("/cancel"))
    chat.keyboard_message = old_question  # the resident scrolls up and presses an old button
    assert "已经结束" in texts(await chat.press("农村"))


async def test_a_check_left_for_half_an_hour_has_ended_kindly(chat: OfflineChat) -> None:
    with time_machine.travel(START, tick=False) as clock:
        await _in_screener(chat)
        clock.shift(29 * 60)
        assert "年人均收入" in texts(await chat.press("农村"))  # still going after 29 minutes
        clock.shift(31 * 60)
        reply = texts(await chat.send(QUESTION))
    assert "超过30分钟" in reply and "1250元" in reply


async def test_an_old_button_after_the_timeout_says_the_check_ended(chat: OfflineChat) -> None:
    with time_machine.travel(START, tick=False) as clock:
        await _in_screener(chat)
        clock.shift(31 * 60)
        assert "超过30分钟" in texts(await chat.press("农村"))
        assert "帮扶自查" in texts(await chat.send("/check"))  # and a new one starts cleanly


async def test_the_timeout_also_holds_across_a_restart(
        make_chat: Callable[..., OfflineChat]) -> None:
    with time_machine.travel(START, tick=False) as clock:
        first = make_chat()
        async with first.app:
            await _in_screener(first)
        clock.shift(2 * 3600)  # the bot restarted meanwhile: no timer survived
        second = make_chat(first.api)
        async with second.app:
            reply = texts(await second.send(QUESTION))
    assert "超过30分钟" in reply and "1250元" in reply


# -- Finding: hints and the multi-select say what the resident can actually do --------------

async def test_hint_on_the_first_question_does_not_offer_back(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    first = texts(await chat.send("嗯"))
    assert "返回" not in first.split("\n")[0]
    await chat.press("都不是")
    assert "返回" in texts(await chat.send("嗯"))


async def test_done_with_nothing_ticked_asks_for_a_choice(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    await chat.press("完成")
    popups = [c.get("text") for c in chat.api.sent("answerCallbackQuery")]
    assert popups[-1] == "请至少选择一项，或选“都不是”"


async def test_none_of_these_after_ticking_unticks_visibly_and_waits(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("/check")
    await chat.press("低保户")
    reply = texts(await chat.press("都不是"))
    assert "已取消勾选：低保户" in reply and "再点一次“都不是”" in reply
    assert not any(label.startswith("✅") for label, _ in chat.buttons())
    assert "农村还是城镇" in texts(await chat.press("都不是"))


# -- Finding: typed steps say what they read, and ranges are confirmed -----------------------

@pytest.mark.parametrize(("typed", "middle", "low", "high"), [
    ("大概三四千", 3500, 3000, 4000), ("三四千", 3500, 3000, 4000),
    ("3000-4000", 3500, 3000, 4000), ("3千到4千", 3500, 3000, 4000),
    ("3到4千", 3500, 3000, 4000), ("三千至四千", 3500, 3000, 4000),
    ("两三万", 25000, 20000, 30000), ("七八百", 750, 700, 800),
])
def test_an_income_range_is_read_as_its_middle(typed: str, middle: float, low: float,
                                                high: float) -> None:
    reading = steps.parse_income(typed)
    assert isinstance(reading, steps.Reading)
    assert (reading.value, reading.between) == (middle, (low, high))


async def test_a_range_is_confirmed_with_buttons_before_it_is_recorded(
        chat: OfflineChat) -> None:
    await _at_income(chat)
    ask = texts(await chat.send("大概三四千"))
    assert "按 <b>3500 元</b>记录家庭年人均收入" in ask and "已记录" not in ask
    assert [label for label, _ in chat.buttons()] == ["✔ 按3500记录", "✏ 重新填写"]
    assert "年人均收入" in texts(await chat.press("重新填写"))  # asked again, nothing kept
    await chat.send("三四千")
    reply = texts(await chat.press("按3500记录"))
    assert "已记录：家庭年人均收入 3500 元" in reply and "多大年龄" in reply
    assert "家庭年人均收入" in texts(await chat.press("返回"))  # and 返回 undoes it


async def test_an_age_range_is_confirmed_too(chat: OfflineChat) -> None:
    await _at_income(chat)
    await chat.press("跳过")
    assert "按 <b>13 岁</b>记录" in texts(await chat.send("十三四岁"))
    assert "已记录：家庭成员1 13 岁" in texts(await chat.press("按13记录"))


@pytest.mark.parametrize("typed", ["不知道", "不清楚", "我也不清楚", "不晓得啊"])
async def test_dont_know_means_skip(chat: OfflineChat, typed: str) -> None:
    await _at_income(chat)
    reply = texts(await chat.send(typed))
    assert "按“不清楚”记录" in reply and "多大年龄" in reply
    assert "按“不清楚”记录" in texts(await chat.send(typed))  # the age step, too
    assert chat.app.user_data[chat.user_id]["check_draft"]["members"][0].get("age") is None


async def test_income_typed_at_the_age_step_is_not_an_age(chat: OfflineChat) -> None:
    await _at_income(chat)
    await chat.press("跳过")
    reply = texts(await chat.send("一年3千多"))
    assert "这像是收入" in reply and "多大年龄" in reply and "已记录" not in reply


async def test_a_negative_number_is_refused_at_the_step(chat: OfflineChat) -> None:
    await _at_income(chat)
    reply = texts(await chat.send("-500"))
    assert "不能是负数" in reply and "已记录" not in reply


# -- Finding: /help and /region pause the check; a region picked inside it continues it ------

async def test_help_in_the_middle_shows_help_and_a_button_to_go_on(chat: OfflineChat) -> None:
    await _in_screener(chat)
    await chat.press("农村")
    reply = texts(await chat.send("/help"))
    assert "使用说明" in reply and "已退出" not in reply and "还没做完" in reply
    assert [label for label, _ in chat.buttons()] == ["▶ 继续自查"]
    assert "年人均收入" in texts(await chat.press("继续自查"))  # where it was
    assert "多大年龄" in texts(await chat.send("4000"))  # and the answers were kept


async def test_region_in_the_middle_then_a_district_continues_the_check(
        chat: OfflineChat) -> None:
    await _in_screener(chat)
    old_question = chat.keyboard_message
    reply = texts(await chat.send("/region"))
    assert "请选择您所在的市" in reply and "当前地区：<b>清河区</b>" in reply
    cities = next(m for m in chat.outbox if "请选择您所在的市" in str(m["text"]))
    await chat.press("珠海市", on=cities)
    reply = texts(await chat.press("斗门区"))
    assert "地区已设置为<b>斗门区</b>" in reply and "农村还是城镇" in reply
    assert "年人均收入" in texts(await chat.press("城镇"))
    assert old_question is not None


async def test_check_without_a_region_starts_once_a_district_is_picked(
        chat: OfflineChat) -> None:
    reply = texts(await chat.send("/check"))
    assert "带 📄 的区县有政策文件" in reply
    counties = texts(await chat.press("铁岭市"))
    labels = [label for label, _ in chat.buttons()]
    assert "清河区 📄" in labels and "银州区" in labels and "📄" in counties
    assert "带 📄" in texts(await chat.press("银州区"))  # no documents: asked again
    await chat.press("铁岭市")
    reply = texts(await chat.press("清河区"))
    assert "帮扶自查" in reply and "属于下面哪些类别" in reply


# -- Finding: hostile values are refused where they are typed, and nobody gets stuck ---------

async def test_a_31st_member_cannot_be_added_and_the_result_still_comes(
        chat: OfflineChat) -> None:
    await _at_income(chat)
    await chat.press("跳过")
    for n in range(30):
        await chat.press("跳过")  # age
        for label in ("不清楚", "没有残疾", "都没有", "没有"):
            await chat.press(label)
        if n < 29:
            await chat.press("还有其他家人")
    labels = [label for label, _ in chat.buttons()]
    assert "➕ 还有其他家人" not in labels and "没有了，看结果" in labels
    more = chat.keyboard_message
    forged = {"text": "旧按钮", "reply_markup": {"inline_keyboard": [[
        {"text": "➕", "callback_data": "ck:more:yes"}]]}}
    assert more is not None
    await chat.press("➕", on={**more, **forged})
    popups = [c.get("text") for c in chat.api.sent("answerCallbackQuery")]
    assert popups[-1] and "最多可以填30位" in popups[-1]
    for label in ("没有了", "住房安全", "否"):
        await chat.press(label)
    assert "自查结果" in texts(await chat.press("否"))


@pytest.mark.parametrize("typed", ["9" * 300, "1452个月", "99999999999999岁"])
async def test_an_impossible_age_is_refused_so_the_last_button_still_works(
        chat: OfflineChat, typed: str) -> None:
    await _at_income(chat)
    await chat.press("跳过")
    assert "太大了" in texts(await chat.send(typed))
    await chat.send("40")
    for label in ("没有残疾", "都没有", "没有", "没有了", "住房安全", "否"):
        await chat.press(label)
    assert "自查结果" in texts(await chat.press("否"))
