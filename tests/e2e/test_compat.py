"""bot/compat.py on recorded emulator responses (no processes: these run even without Node)."""

from __future__ import annotations

import json

from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.compat import fix_payload, fix_request


def test_sent_message_gets_seconds_and_decoded_json_fields() -> None:
    payload = {"ok": True, "result": {
        "chat_id": "5", "text": "好的", "message_id": 3, "date": 1795390068383,
        "link_preview_options": '{"is_disabled": true}', "chat": {"id": 5, "type": "private"}}}
    result = fix_payload("sendMessage", payload)["result"]
    assert result["date"] == 1795390068
    assert result["link_preview_options"] == {"is_disabled": True}
    assert result["text"] == "好的"


def test_null_results_become_true_and_callbacks_get_chat_instance() -> None:
    assert fix_payload("editMessageText", {"ok": True, "result": None})["result"] is True
    assert fix_payload("answerCallbackQuery", {"ok": True, "result": None})["result"] is True
    updates = fix_payload("getUpdates", {"ok": True, "result": [
        {"update_id": 1, "callback_query": {"id": "1", "from": {"id": 7}, "data": "x"}}]})
    assert updates["result"][0]["callback_query"]["chat_instance"] == "7"


def test_edits_without_keyboard_say_so_explicitly() -> None:
    edit = RequestData([RequestParameter("chat_id", 5, None),
                        RequestParameter("text", "好的", None)])
    fixed = fix_request("editMessageText", edit)
    assert fixed is not None
    assert json.loads(fixed.json_parameters["reply_markup"]) == {"inline_keyboard": []}
    assert fixed.json_parameters["text"] == "好的"
    send = RequestData([RequestParameter("text", "好的", None)])
    assert fix_request("sendMessage", send) is send
