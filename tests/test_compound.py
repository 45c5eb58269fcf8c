"""Compound questions: parts, enumerations and explain-away never fail on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.compound import _member_clauses, split
from knowledge.matcher import Matcher
from knowledge.vocabulary import without_stages_not_entered

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
    (part,) = split("敬老院入住率6月、9月、12月底各要达到多少", matcher)  # 月底 goes on from 月
    assert [m.own[:-6] for m in part.members] == ["敬老院入住率6月", "敬老院入住率9月",
                                                 "敬老院入住率12月底"]



def test_a_shorter_member_takes_the_head_words_of_the_first(matcher: Matcher) -> None:
    (part,) = split("残疾人护理补贴和生活补贴各多少", matcher)
    assert [m.own for m in part.members] == ["残疾人护理补贴各多少", "残疾人生活补贴各多少"]


def test_a_clause_without_its_subject_is_marked_elliptic(matcher: Matcher) -> None:
    first, second = split("普通居民大病保险报几成，低保户又报几成", matcher)
    assert not first.elliptic and second.elliptic and second.before == first.own


def test_a_clause_saying_again_is_a_question_not_a_scene(matcher: Matcher) -> None:
    parts = split("高中生住宿费免不免？课本费又怎么算", matcher)
    assert [p.own for p in parts] == ["高中生住宿费免不免", "课本费又怎么算"]


def test_an_a_not_a_clause_asks_something(matcher: Matcher) -> None:
    parts = split("低保户交养老保险政府帮不帮着交？低保标准每年涨不涨", matcher)
    assert len(parts) == 2


def test_a_wh_question_ending_in_么_keeps_the_scene_for_the_next(matcher: Matcher) -> None:
    parts = split("孩子在读高中 要准备什么 补助多少", matcher)
    assert all(p.text.startswith("孩子在读高中") for p in parts), parts


def test_a_member_word_inside_an_ordinary_word_starts_no_member() -> None:
    """妇女儿童, 我孙女儿, 孩子大的话, 我小的时候: no member begins there; 我家老大读中职 and
    家里哥哥读初中…弟弟读小学… each begin one after the scene."""
    for clause in ("妇女儿童有啥", "我孙女儿读小学", "孩子大的话", "我小的时候家里穷"):
        assert _member_clauses(clause) == [clause]
    assert _member_clauses("我家老大读中职") == ["我家", "老大读中职"]
    assert _member_clauses("家里哥哥读初中住校弟弟读小学不住校") == [
        "家里", "哥哥读初中住校", "弟弟读小学不住校"]


def test_a_stage_asked_either_way_is_kept() -> None:
    """读不读高中 asks about 高中 either way; 高中没考上 and 没考上普通高中 take it out."""
    assert without_stages_not_entered("孩子读不读高中都能领吗") == "孩子读不读高中都能领吗"
    assert without_stages_not_entered("孩子高中没考上想去读中专") == "孩子想去读中专"
    assert without_stages_not_entered("没考上普通高中") == ""
