"""The fake Bot API itself: files both ways, errors on demand, several users at once."""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.error import Forbidden, RetryAfter
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.offline import ApiError
from tests.fakes import OfflineChat


async def test_a_sent_document_keeps_its_bytes(chat: OfflineChat) -> None:
    await chat.app.bot.send_document(chat.user_id, document=b"PK\x03\x04 ledger",
                                     filename="台账.xlsx", caption="台账")
    sent = chat.api.sent_files[-1]
    assert (sent.filename, sent.content) == ("台账.xlsx", b"PK\x03\x04 ledger")
    assert sent.caption == "台账"
    assert "台账.xlsx" in chat.history[-1]["text"]


async def test_a_users_document_can_be_fetched_with_get_file(chat: OfflineChat) -> None:
    received: list[bytes] = []

    async def keep(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message and update.effective_message.document
        file = await update.effective_message.document.get_file()
        received.append(bytes(await file.download_as_bytearray()))

    chat.app.add_handler(MessageHandler(filters.Document.ALL, keep), group=-5)
    await chat.send_document("户编号,姓名\n".encode("gb18030"), "roster.csv", "text/csv")
    assert received == ["户编号,姓名\n".encode("gb18030")]


async def test_errors_on_demand_reach_the_bot_as_telegram_errors(chat: OfflineChat) -> None:
    def flood_then_blocked(method: str, params: dict[str, object]) -> ApiError | None:
        if method != "sendMessage":
            return None
        if params["chat_id"] == 1:
            return ApiError(429, "Too Many Requests: retry after 3", retry_after=3)
        return ApiError(403, "Forbidden: bot was blocked by the user")

    chat.api.fail = flood_then_blocked
    errors: list[Exception] = []
    for chat_id in (1, 2):
        try:
            await chat.app.bot.send_message(chat_id, "提醒")
        except (RetryAfter, Forbidden) as exc:
            errors.append(exc)
    assert isinstance(errors[0], RetryAfter) and errors[0].retry_after == dt.timedelta(seconds=3)
    assert isinstance(errors[1], Forbidden)


async def test_two_users_each_see_only_their_own_replies(chat: OfflineChat) -> None:
    other = OfflineChat(chat.app, chat.api, user_id=777)
    await chat.send("清河区")
    await other.send("斗门")
    assert "清河区" in chat.history[-1]["text"] and "斗门区" in other.history[-1]["text"]
    assert all(m["chat"]["id"] == 777 for m in other.history)
