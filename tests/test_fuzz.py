"""Hypothesis feeds random and hostile text through the Application; replies stay valid."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes import OfflineChat
from tests.html_check import assert_telegram_html

HOSTILE_PIECES = st.sampled_from(["<b>", "</i>", "&", "{{ 7*191 }}", "{% if %}", "\u200b", "\u202e",
                                  "\x00", "低保", "住校", "😀", "<a href='x'>", "&amp;", "\n"])
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(HOSTILE_PIECES, max_size=30).map("".join),
    st.text(alphabet="低保住校孩子补多少元<>&{}", min_size=1, max_size=10_000),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
async def test_any_text_gets_a_valid_html_reply(make_chat: Callable[..., OfflineChat],
                                                text: str) -> None:
    chat = make_chat()
    async with chat.app:
        await chat.send("清河区")
        replies = await chat.send(text)
    assert replies, "every message gets a reply"
    for message in replies:
        assert_telegram_html(str(message["text"]))
        assert "1337" not in str(message["text"]), "a typed template expression was run"
