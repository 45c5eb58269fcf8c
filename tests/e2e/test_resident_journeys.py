"""A resident's main journeys, through the real `bangfu run` process and the Bot API emulator.

Only the few flows worth the cost of two processes; details live in the offline tests.
"""

from __future__ import annotations

from tests.e2e.client import Resident

CITATION = "《清河区2020年脱贫攻坚工作实施方案》"
# Vague questions that `bangfu ask --region 清河区 --json` answers with outcome "clarify". The
# knowledge base and matcher are still changing, so the test uses the first one that still
# gets 您是想问, and relies only on that structure, not on which entries are listed.
AMBIGUOUS = ("教育补助", "有什么补助", "补助", "学生补助")


def choose_qinghe(resident: Resident) -> None:
    """/start, 铁岭市, 清河区: the region every other journey needs."""
    resident.send("/start")
    resident.press("铁岭市")
    resident.press("清河区")
    resident.wait_for("地区已设置为清河区")


def test_start_picks_city_then_county_in_one_message(resident: Resident) -> None:
    welcome = resident.send("/start")
    assert "帮扶助手" in welcome.text and "请先选择您所在的市" in welcome.text
    assert "铁岭市" in welcome.labels

    resident.press("铁岭市")
    counties = resident.wait_for("请选择铁岭市下的区/县")
    assert counties.message_id == welcome.message_id  # edited in place, not a new message
    assert "清河区 📄" in counties.labels and "« 返回" in counties.labels

    resident.press("清河区")
    done = resident.wait_for("地区已设置为清河区")
    assert done.message_id == welcome.message_id
    assert "现在可以直接提问" in done.text
    assert done.buttons == ()  # the county keyboard is gone


def test_typed_question_gets_amount_and_citation(resident: Resident) -> None:
    choose_qinghe(resident)
    before = resident.last_id()
    resident.send("孩子上初中住校一年补多少")
    reply = resident.wait_for("出处", after=before)
    assert "1250" in reply.text
    assert CITATION in reply.text
    assert reply.labels == ["👍 有用", "👎 没用"]


def test_ambiguous_question_offers_choices_and_a_choice_is_answered(resident: Resident) -> None:
    choose_qinghe(resident)
    for question in AMBIGUOUS:
        choices = resident.send(question)
        if "您是想问" in choices.text:
            break
    else:
        raise AssertionError(f"none of {AMBIGUOUS} gets 您是想问 any more; pick new ones")
    options = [label for label in choices.labels if label[:1].isdigit()]
    assert len(options) >= 2, choices.labels
    assert choices.labels[-1] == "都不是"

    resident.press(options[0], on=choices)
    answer = resident.wait_for("出处", after=choices.message_id)
    assert options[0].split(". ", 1)[1][:10] in answer.text  # the chosen entry's title
    clarified = next(m for m in resident.messages() if m.message_id == choices.message_id)
    assert clarified.buttons == ()  # choices are removed once one is picked


def test_check_screener_finds_boarding_subsidy_for_junior_boarder(resident: Resident) -> None:
    choose_qinghe(resident)
    intro = resident.send("/check")
    assert "帮扶自查" in intro.text and "建档立卡贫困户" in intro.labels

    resident.press("建档立卡贫困户")
    assert "✅ 建档立卡贫困户" in resident.wait_for("已选：建档立卡贫困户").labels
    for label in ("完成", "农村", "跳过"):
        resident.press(label)
    age_prompt = resident.wait_for("多大年龄")
    stage = resident.send("13")  # typed, not a button: the screener replies with a new message
    assert stage.message_id > age_prompt.message_id and "初中" in stage.labels
    for label in ("初中", "住校", "没有残疾", "都没有", "没有", "没有了", "住房安全", "否", "否"):
        resident.press(label)

    result = resident.wait_for("清河区帮扶自查结果")
    assert "1250" in result.text  # 初中寄宿生 每生每年1250元
