"""Compound questions: parts, enumerations and explain-away never fail on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.compound import split
from knowledge.matcher import Matcher

# Pieces that make up compound questions, in any order and number: separators, counted
# members, dates, enumerators and content words.
PIECES = st.sampled_from(["一个", "上", "读", "和", "、", "同", "跟", "，", "？", "各", "多少",
                          "的",
                          "6月底", "12月底", "小学", "初中", "住校", "低保", "残疾人", "补助",
                          "两个孩子", "还有", "都", "几", "吗", "一个上", "同学", "不同"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14).map("".join))
def test_splitting_never_fails_and_keeps_every_part_nonempty(matcher: Matcher,
                                                             text: str) -> None:
    for part in split(text, matcher):
        assert part.text and part.own
        assert all(m.text and m.own for m in part.members)


def test_counted_members_become_parts(matcher: Matcher) -> None:
    parts = split("两个孩子一个上幼儿园一个上初中住校，一年各补多少", matcher)
    members = [m.own for p in parts for m in p.members]
    assert any("幼儿园" in m for m in members) and any("初中住校" in m for m in members)


def test_a_lone_counted_word_is_not_an_enumeration(matcher: Matcher) -> None:
    assert all(not p.members for p in split("家里就一个上学的孩子，补多少", matcher))


def test_a_member_that_is_only_a_date_takes_the_shared_head(matcher: Matcher) -> None:
    (part,) = split("敬老院入住率6月底和12月底各要达到多少", matcher)
    assert [m.own[:9] for m in part.members] == ["敬老院入住率6月底", "敬老院入住率12月"]

