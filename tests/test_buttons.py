"""Buttons on old messages keep meaning what they said after the knowledge base is edited."""

from __future__ import annotations

import dataclasses

from bot.app import build_application
from bot.services import Services
from knowledge.loader import KnowledgeBase
from tests.fakes import OfflineChat
from tests.test_journeys import pick_region, texts


def _edited(kb: KnowledgeBase) -> KnowledgeBase:
    """The same items in another order, as after inserting items into the YAML."""
    return KnowledgeBase(kb.documents, tuple(reversed(kb.entries)), kb.regions, kb.synonyms)


async def test_a_clarification_button_answers_its_entry_after_a_kb_edit(
        chat: OfflineChat, services: Services) -> None:
    await pick_region(chat, "铁岭市", "清河区")
    await chat.send("补助")
    title = chat.buttons()[0][0].split(". ", 1)[1]
    old_message = chat.keyboard_message
    assert old_message is not None
    await chat.app.shutdown()
    edited = dataclasses.replace(services, kb=_edited(services.kb))
    restarted = OfflineChat(build_application(edited, request=chat.api), chat.api)
    async with restarted.app:
        answer = texts(await restarted.press(1, on=old_message))
    assert title[:20] in answer, (title, answer[:200])


def test_every_callback_fits_telegrams_64_bytes(kb: KnowledgeBase) -> None:
    from handlers.ui import keyboards
    from knowledge.loader import entry_key

    markups = [keyboards.feedback(entry_key(e.id)) for e in kb.entries]
    markups.append(keyboards.clarify([(entry_key(e.id), e.item.title) for e in kb.entries[:3]]))
    data = [b.callback_data for m in markups for row in m.inline_keyboard for b in row]
    assert data and all(len(str(d).encode()) <= 64 for d in data)
