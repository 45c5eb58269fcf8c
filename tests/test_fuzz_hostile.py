"""Property tests for the hostile-input channels: typed screener answers, button data,
profile files and the number readers. Whatever comes in: no exception, no apology, every
button answered, and the screener can always be finished."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.eligible import ProfileRefused, load_profile
from handlers.ui.render import render
from knowledge import questionnaire as steps
from knowledge.loader import KnowledgeBase
from knowledge.profile import MAX_AGE, Profile
from tests.fakes import OfflineChat
from tests.html_check import assert_telegram_html
from tests.test_journeys import texts

NUMBERISH = st.one_of(
    st.integers(-10**400, 10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet="0123456789.-－−负一二两三四五六七八九十百千万kw岁月个天年元块多半到至~",
            max_size=40),
    st.text(max_size=60),
)
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=500, deadline=None)
@given(NUMBERISH)
def test_the_number_readers_never_raise_and_stay_in_bounds(text: str) -> None:
    age = steps.parse_age(text)
    if isinstance(age, steps.Reading):
        assert 0 <= age.value <= MAX_AGE
    income = steps.parse_income(text)
    if isinstance(income, steps.Reading):
        assert 0 <= income.value <= 10_000_000


async def _finish(chat: OfflineChat) -> str:
    """Press on to the result with 不清楚/跳过 answers; the result must come."""
    for _ in range(40):
        labels = [label for label, _ in chat.buttons()]
        press = next((x for x in ("看结果", "没有了", "不清楚", "跳过", "都不是", "否", "没有残疾",
                                  "都没有", "没有", "记录")  # 记录: 按0.5记录？ (a typed range)
                      if any(x in label for label in labels)), None)
        if press is None:
            break
        reply = texts(await chat.press(press))
        if "自查结果" in reply:
            return reply
    raise AssertionError(f"stuck: {chat.buttons()}")


@FUZZ
@given(typed=st.lists(NUMBERISH, min_size=1, max_size=4))
async def test_whatever_is_typed_at_the_typed_steps_the_check_can_be_finished(
        make_chat: Callable[..., OfflineChat], typed: list[str]) -> None:
    chat = make_chat()
    async with chat.app:
        await chat.send("清河区")
        await chat.send("/check")
        await chat.press("都不是")
        await chat.press("农村")
        for text in typed:
            replies = await chat.send(text)
            assert replies
            for m in replies:
                assert_telegram_html(str(m["text"]))
            if chat.app.user_data[chat.user_id].get("check_draft") is None:
                return  # a question: the check ended and the question was answered
        assert "自查结果" in await _finish(chat)


CALLBACK_DATA = st.one_of(
    st.text(max_size=64),
    st.builds(lambda p, s: p + s, st.sampled_from(["ck:", "cr:", "rg:", "rg:s:", "rg:c:", "fb:",
                                                   "fb:1:", "ck:more:", "ck:confirm:", "cr:1:"]),
              st.text(max_size=40)),
).filter(lambda d: len(d.encode()) <= 64 and d != "")


@FUZZ
@given(data=CALLBACK_DATA, in_check=st.booleans())
async def test_every_button_press_is_answered_whatever_its_data(
        make_chat: Callable[..., OfflineChat], data: str, in_check: bool) -> None:
    chat = make_chat()
    async with chat.app:
        await chat.send("清河区")
        if in_check:
            await chat.send("/check")
        old = {"message_id": 1, "date": 0, "chat": {"id": chat.user_id, "type": "private"},
               "text": "旧消息", "reply_markup": {"inline_keyboard": [[
                   {"text": "按钮", "callback_data": data}]]}}
        chat.api.messages[(chat.user_id, 1)] = old
        before = len(chat.api.sent("answerCallbackQuery"))
        for m in await chat.press("按钮", on=old):
            assert_telegram_html(str(m["text"]))
        assert len(chat.api.sent("answerCallbackQuery")) > before, data
    assert render("error") not in [c.params.get("text") for c in chat.api.calls]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["region", "area", "categories", "members", "age",
                                       "income_per_capita_yearly", "school_stage", "housing",
                                       "disability_level", "x"]) | st.text(max_size=8),
                      children, max_size=5),
    max_leaves=20)
PROFILE = st.fixed_dictionaries({"region": st.sampled_from(["清河区", "斗门", "正安县", "火星"])},
                                optional={"members": st.lists(JSON, max_size=3), "area": JSON,
                                          "categories": JSON, "income_per_capita_yearly": JSON})


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(JSON, PROFILE))
def test_any_json_profile_is_screened_or_refused_in_chinese(kb: KnowledgeBase,
                                                            raw: Any) -> None:
    from handlers.ui.messages import screening_html
    from knowledge.eligibility import screen

    data = json.dumps(raw, ensure_ascii=False).encode()
    try:
        profile = load_profile(kb, data)
    except ProfileRefused as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert isinstance(profile, Profile)
    assert "自查结果" in screening_html(kb, profile, screen(kb, profile))
