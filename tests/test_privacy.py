"""What is masked before a question is stored or matched, and what must stay readable."""

from __future__ import annotations

import pytest

from knowledge.answer import Outcome, answer
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher
from knowledge.privacy import mask_personal


@pytest.mark.parametrize(("typed", "stored"), [
    ("我叫张三，身份证21010219900101123X，电话138-0013-8000", "我叫＊，身份证#，电话#"),
    ("我是王小明，低保户看病能报多少", "我是＊，低保户看病能报多少"),
    ("俺是李建国，问下低保", "俺是＊，问下低保"),
    ("我老婆叫张翠花，她残疾", "我老婆叫＊，她残疾"),
    ("姓名：李四 低保", "姓名：＊ 低保"),
    ("卡号 6222 0212 3456 7890", "卡号 #"),
])
def test_personal_data_is_masked(typed: str, stored: str) -> None:
    assert mask_personal(typed) == stored


@pytest.mark.parametrize("typed", [
    "我是低保户", "我是高中生，有什么补助", "我是高三学生", "我是贫困户", "姓名身份证需要吗",
    "这个叫高中助学金吗", "叫什么名字", "年收入12000元够低保吗", "2020年的政策",
])
def test_ordinary_questions_are_left_alone(typed: str) -> None:
    assert mask_personal(typed) == typed


def test_a_name_does_not_stop_the_question_being_answered(kb: KnowledgeBase,
                                                          matcher: Matcher) -> None:
    plain = answer("孩子上初中住校一年补多少", region_id="qinghe", kb=kb, matcher=matcher)
    named = answer("我是王小明，孩子上初中住校一年补多少，电话13800138000", region_id="qinghe",
                   kb=kb, matcher=matcher)
    assert plain.outcome == named.outcome == Outcome.ANSWERED
    assert plain.entry == named.entry
