"""Scope guard: questions that share words with an item but ask about something no item is.

Two kinds, both answered with the honest "没有找到" rather than the nearest item:
- an errand about a card or certificate itself (医保卡丢了怎么补办, 残疾证怎么办理): the
  items are benefits, and 医保 or 残疾 alone does not make the premium subsidy the answer;
- a benefit named by a word only other regions' documents use (Matcher.foreign_benefit).
"""

from __future__ import annotations

import re

from knowledge.matcher import Matcher

# <thing>证/卡/本 + (lost) + (how/where) + an errand verb: the question is about the card
_ERRAND = re.compile(r"([^\W\d]{1,3}(?:证|卡|证件|存折|执照|户口本))"
                     r"(?:丢了|掉了|坏了|过期了|过期|没了|找不到了|找不着了|不见了)?"
                     r"(?:要|该|得)?(?:怎么|怎样|如何|咋|去哪里|去哪儿|去哪|在哪里|在哪儿|在哪|到哪里|到哪)?"
                     r"(?:补办|补领|挂失|办理|换|激活|办|领|申领)")


def errand_object(text: str) -> str | None:
    """The card or certificate a question asks to get, replace or renew (None if none)."""
    found = _ERRAND.search(text)
    return found.group(1) if found else None


def out_of_scope(text: str, region: str, matcher: Matcher) -> str | None:
    """What makes the question one no item of the region answers (None: it may be answered)."""
    card = errand_object(text)
    if card is not None and not matcher.names_mention(region, card[-3:]):
        return card
    return matcher.foreign_benefit(text, region)
