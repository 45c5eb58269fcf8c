"""Resident journeys through the real Application and the fake Bot API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.services import services
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher
from storage.repo.state import get_user_data, question_of
from tests.fakes import OfflineChat


def texts(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m["text"]) for m in messages)


async def pick_region(chat: OfflineChat, city: str, county: str) -> str:
    await chat.send("/start")
    await chat.press(city)
    return texts(await chat.press(county))


async def test_start_welcomes_and_offers_cities(chat: OfflineChat) -> None:
    reply = texts(await chat.send("/start"))
    assert "帮扶助手" in reply and "/check" in reply
    labels = [label for label, _ in chat.buttons()]
    assert labels == ["盘锦市", "铁岭市", "遵义市", "珠海市"]


async def test_city_then_county_buttons_set_the_region(chat: OfflineChat) -> None:
    await chat.send("/start")
    counties = await chat.press("铁岭市")
    assert "铁岭市下的区/县" in texts(counties)
    labels = [label for label, _ in chat.buttons()]
    assert "整个铁岭市" not in labels  # no city-wide document: that choice would be a dead end
    assert "已设置为<b>清河区</b>" in texts(await chat.press("清河区"))
    await chat.send("/start")
    await chat.press("盘锦市")
    assert "整个盘锦市" in [label for label, _ in chat.buttons()]  # 盘锦市 has its own document


async def test_typed_city_without_its_own_documents_asks_for_the_district(
        chat: OfflineChat) -> None:
    reply = texts(await chat.send("铁岭"))
    assert "铁岭市下的区/县" in reply and "清河区 📄" in [label for label, _ in chat.buttons()]
    assert "已设置为<b>清河区</b>" in texts(await chat.press("清河区"))


async def test_blank_text_before_a_region_is_not_kept_as_a_question(chat: OfflineChat) -> None:
    reply = texts(await chat.send("\u200b \u3000"))
    assert "选好后" not in reply and "请直接用文字" in reply


async def test_back_button_returns_to_cities(chat: OfflineChat) -> None:
    await chat.send("/start")
    await chat.press("珠海市")
    await chat.press("返回")
    assert [label for label, _ in chat.buttons()][:2] == ["盘锦市", "铁岭市"]


async def test_typed_region_name_sets_the_region(chat: OfflineChat) -> None:
    assert "斗门区" in texts(await chat.send("斗门"))
    assert "双台子区" in texts(await chat.send("双台子区"))


async def test_question_gets_amount_department_and_citation(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    reply = texts(await chat.send("孩子上初中住校一年补多少"))
    assert "1250元" in reply
    assert "区教育局" in reply
    assert "《清河区2020年脱贫攻坚工作实施方案》" in reply and "2020年" in reply
    assert [label for label, _ in chat.buttons()] == ["👍 有用", "👎 没用"]


async def test_question_before_region_is_answered_after_choosing(chat: OfflineChat) -> None:
    reply = texts(await chat.send("孩子上初中住校一年补多少"))
    assert "请先选择" in reply
    await chat.press("铁岭市")
    after = texts(await chat.press("清河区"))
    assert "1250元" in after


async def test_region_without_documents_is_told_honestly(chat: OfflineChat) -> None:
    await pick_region(chat, "珠海市", "香洲区")
    reply = texts(await chat.send("低保标准是多少"))
    assert "暂时没有" in reply and "香洲区" in reply
    assert "元" not in reply.split("目前收录")[0]


async def test_out_of_scope_question_is_declined(chat: OfflineChat) -> None:
    await pick_region(chat, "遵义市", "正安县")
    reply = texts(await chat.send("明天天气怎么样"))
    assert "没有找到" in reply


async def test_feedback_vote_is_thanked_and_buttons_removed(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("孩子上初中住校一年补多少")
    await chat.press("没用")
    answers = chat.api.sent("answerCallbackQuery")
    assert any("谢谢" in str(a.get("text", "")) for a in answers)
    assert chat.buttons() == []


async def test_region_survives_a_restart(make_chat: Callable[..., OfflineChat]) -> None:
    first = make_chat()
    async with first.app:
        await pick_region(first, "铁岭市", "清河区")
    second = make_chat()
    async with second.app:
        reply = texts(await second.send("孩子上初中住校一年补多少"))
    assert "1250元" in reply


async def test_help_lists_each_kind_of_user(chat: OfflineChat) -> None:
    reply = texts(await chat.send("/help"))
    assert "居民" in reply and "帮扶干部" in reply and "主管领导" in reply


async def test_unknown_command_gets_a_hint(chat: OfflineChat) -> None:
    assert "没有这个命令" in texts(await chat.send("/foo"))
    assert "没有这个命令" not in texts(await chat.send("/help"))


async def test_cancel_outside_a_conversation(chat: OfflineChat) -> None:
    assert "没有进行中的操作" in texts(await chat.send("/cancel"))


async def test_ambiguous_question_offers_choices_and_a_pick_answers(chat: OfflineChat) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    reply = texts(await chat.send("补助"))
    assert "您是想问" in reply
    labels = [label for label, _ in chat.buttons()]
    assert len(labels) >= 3 and labels[-1] == "都不是"
    answer = texts(await chat.press(1))
    assert "出处" in answer and "2020年" in answer


async def test_misses_are_logged_anonymously_for_kb_misses(chat: OfflineChat) -> None:
    from storage.repo import events

    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("护照在哪里办 电话13800138000")
    svc = services(chat.app)
    with svc.db() as session:
        rows = events.top_misses(session=session)
    assert rows[0][0] == "unanswered" and "13800138000" not in rows[0][2]


async def test_a_vote_is_logged_against_the_question_its_answer_belongs_to(
        chat: OfflineChat) -> None:
    from storage.repo import events

    await pick_region(chat, "铁岭市", "清河区")
    first = (await chat.send("我叫王小明，孩子上初中住校一年补多少，电话138-0013-8000"))[-1]
    await chat.send("低保标准是多少")  # a newer answer: the vote below is not about it
    await chat.press("没用", on=first)
    with services(chat.app).db() as session:
        rows = events.top_misses(session=session)
    unhelpful = [q for kind, _, q, _ in rows if kind == "unhelpful"]
    assert unhelpful == ["我叫＊，孩子上初中住校一年补多少，电话#"]
    with services(chat.app).connect() as conn:  # what the database keeps of this chat
        kept = question_of(conn=conn, telegram_id=chat.user_id, message_id=first["message_id"])
        data = get_user_data(conn=conn, telegram_id=chat.user_id)
    assert kept == "我叫＊，孩子上初中住校一年补多少，电话#"  # the masked question only
    assert "王小明" not in repr(data) and "0013" not in repr(data)


async def test_greetings_and_thanks_get_a_friendly_reply_and_are_not_misses(
        chat: OfflineChat) -> None:
    from storage.repo import events

    await pick_region(chat, "铁岭市", "清河区")
    hello = texts(await chat.send("你好！"))
    assert "您好" in hello and "可以这样问" in hello and "没有找到" not in hello
    assert "不客气" in texts(await chat.send("谢谢"))
    with services(chat.app).db() as session:
        assert events.top_misses(session=session) == []


def test_suggested_example_questions_are_answered(kb: KnowledgeBase, matcher: Matcher) -> None:
    from handlers.ui.messages import example_topics
    from knowledge.answer import Outcome, answer

    for region in sorted(kb.covered_regions):
        examples = example_topics(kb, region)
        assert len(examples) >= 2, region
        for question in examples:
            ans = answer(question, region_id=region, kb=kb, matcher=matcher)
            assert ans.outcome in (Outcome.ANSWERED, Outcome.CLARIFY), (region, question)


async def test_full_place_names_and_provinces_lead_to_a_district(chat: OfflineChat) -> None:
    assert "已设置为<b>斗门区</b>" in texts(await chat.send("广东省珠海市斗门区"))
    assert "请选择您所在的市" in texts(await chat.send("辽宁"))
    assert "铁岭市" in [label for label, _ in chat.buttons()]  # the city buttons, not a dead end


@pytest.mark.parametrize("said", ["谢谢啦", "好的谢谢", "没有了", "不用了", "知道了"])
async def test_closing_words_are_small_talk(chat: OfflineChat, said: str) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    assert "不客气" in texts(await chat.send(said))
