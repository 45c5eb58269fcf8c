"""The /check result through the real Application: every household of cases/eligibility.yaml
answered by buttons gets the verdicts `bangfu eligible` prints for its JSON profile, and a
first message that fits a phone; deduplicated entries, figures that say what they are, the
household's own standard, Chinese questions, and the two buttons."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.commands.eligible import finding_json
from bot.main import main
from handlers.ui.render import to_plain
from knowledge import questionnaire as steps
from knowledge.eligibility import canonical_schools, named_schools, screen
from knowledge.loader import KnowledgeBase
from knowledge.profile import Profile, parse_profile
from tests.fakes import OfflineChat
from tests.test_journeys import texts

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "eligibility.yaml").read_text("utf-8"))
FIRST_MESSAGE_LINES = 25  # what a phone shows without scrolling far


def _yes_no(value: bool | None) -> str:
    return steps.UNKNOWN if value is None else ("yes" if value else "no")


def _illness(m: dict[str, Any]) -> str:
    chronic, major = m.get("chronic_disease"), m.get("major_illness")
    if chronic is None and major is None:
        return steps.UNKNOWN
    return {(True, True): "both", (False, False): "none"}.get(
        (bool(chronic), bool(major)), "chronic" if chronic else "major")


def _member_value(step: str, m: dict[str, Any]) -> str:
    """The button value that records this member's fact at `step`."""
    if step in ("boarding", "new_entrant", "needs_long_term_care"):
        return _yes_no(m.get(step))
    if step == "illness":
        return _illness(m)
    if step == "mental_illness":
        mental = m.get("mental_illness")
        return str({None: steps.UNKNOWN, True: steps.UNKNOWN, False: "none"}.get(mental, mental))
    value = m.get(step)
    return steps.UNKNOWN if value is None else str(value)


async def _press_value(chat: OfflineChat, step: str, value: str) -> list[dict[str, Any]]:
    data = f"ck:{step}:{value}"
    index = next(i for i, (_, d) in enumerate(chat.buttons(), 1) if d == data)
    return await chat.press(index)


async def answer_by_buttons(chat: OfflineChat, profile: Profile,
                            raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Play the household through /check as a resident would (typing ages and income);
    returns the bot's messages after the last answer."""
    await chat.send(raw["region"])
    await chat.send("/check")
    cats = raw.get("categories")
    if cats is None:
        await _press_value(chat, "categories", steps.UNKNOWN)
    elif not cats:
        await _press_value(chat, "categories", "none")
    else:
        for c in profile.categories or ():
            await _press_value(chat, "categories", c)
        await _press_value(chat, "categories", "done")
    await _press_value(chat, "area", raw.get("area") or steps.UNKNOWN)
    income = raw.get("income_per_capita_yearly")
    await (chat.send(f"{income:g}") if income is not None
           else _press_value(chat, "income", steps.UNKNOWN))
    last: list[dict[str, Any]] = []
    draft = chat.app.user_data[chat.user_id]
    for n, m in enumerate(raw["members"]):
        age = m.get("age")
        last = await (chat.send(str(age)) if age is not None
                      else _press_value(chat, "age", steps.UNKNOWN))
        while (step := draft["check_draft"]["step"]) != "more":
            last = await _press_value(chat, step, _member_value(step, m))
        last = await _press_value(chat, "more", "yes" if n < len(raw["members"]) - 1 else "no")
    tail = (("housing", raw.get("housing") or steps.UNKNOWN),
            ("single_mother", _yes_no(raw.get("single_mother"))),
            ("relocated", _yes_no(raw.get("relocated"))))
    for key, answer in tail:
        last = await _press_value(chat, key, answer)
    return last


def _cli_verdicts(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                  raw: dict[str, Any]) -> list[dict[str, Any]]:
    path = tmp_path / "household.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert main(["eligible", "--profile", str(path), "--json"]) == 0
    results: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["results"]
    return results


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:40] for c in CASES])
async def test_the_check_conversation_and_bangfu_eligible_agree(
        case: dict[str, Any], make_chat: Callable[..., OfflineChat], kb: KnowledgeBase,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    raw = case["profile"]
    profile = parse_profile(raw, kb.regions)
    chat = make_chat()
    async with chat.app:
        # the region's named schools decide the school step's buttons
        schools = named_schools(kb.entries_for(profile.region_id))
        profile = canonical_schools(profile, schools)
        reply = await answer_by_buttons(chat, profile, {**raw, "members": [
            {**m, "school": p.school} for m, p in zip(raw["members"], profile.members,
                                                       strict=True)]})
        stored = chat.app.user_data[chat.user_id]["check_results"]
        answered = Profile.model_validate(stored[max(stored, key=int)])
    via_check = [finding_json(f) for f in screen(kb, answered) if f.status.value != "no"]
    assert via_check == _cli_verdicts(capsys, tmp_path, raw)
    first = to_plain(reply[-1]["text"])
    assert "自查结果" in first
    assert len(first.splitlines()) <= FIRST_MESSAGE_LINES, first


def _result(kb: KnowledgeBase, raw: dict[str, Any]) -> tuple[str, str, str]:
    from handlers.ui.messages import screening

    profile = parse_profile(raw, kb.regions)
    parts = screening(kb, profile, screen(kb, profile))
    return to_plain(parts.first), to_plain(parts.services), to_plain(parts.open)


SEVEN = {"region": "双台子区", "area": "rural", "categories": ["低保户"], "members": [
    {"age": 72, "disability_level": 2, "needs_long_term_care": True, "chronic_disease": True,
     "major_illness": False},
    {"age": 68, "disability_level": 0, "chronic_disease": True, "major_illness": True},
    {"age": 45, "disability_level": 0, "chronic_disease": False, "major_illness": False},
    {"age": 42, "disability_level": 3, "chronic_disease": False, "major_illness": False},
    {"age": 16, "school_stage": "普通高中", "boarding": True, "disability_level": 0},
    {"age": 13, "school_stage": "初中", "boarding": True, "disability_level": 0},
    {"age": 5, "school_stage": "学前", "disability_level": 1, "needs_long_term_care": True}]}


def test_a_seven_member_household_still_gets_a_short_first_message(kb: KnowledgeBase) -> None:
    first, services, _ = _result(kb, SEVEN)
    assert len(first.splitlines()) <= FIRST_MESSAGE_LINES, first
    assert "估算：每年约" in first and "成员6（13岁·初中寄宿）" in first
    assert services.count("\n• ") > 10  # the rest is behind 更多服务, not lost


def test_a_benefit_both_documents_describe_is_one_entry_with_both_citations(
        kb: KnowledgeBase) -> None:
    first, services, _ = _result(kb, SEVEN)
    whole = first + services
    assert whole.count("困难残疾人生活补贴") == 1 and whole.count("重度残疾人护理补贴") == 1
    entry = first[first.index("困难残疾人生活补贴"):].split("\n4.")[0]
    assert "《盘锦市精准帮扶2019年实施方案》" in entry
    assert "《双台子区“十三五”精准帮扶规划》" in entry
    assert entry.index("盘锦市") < entry.index("双台子区")  # the one with the figure first
    reimbursements = [line for line in first.splitlines() if "大病保险" in line]
    assert len(reimbursements) == 1 and "50%" in reimbursements[0] and "90%" in reimbursements[0]


def test_the_estimate_counts_a_shared_benefit_once(kb: KnowledgeBase) -> None:
    first, _, _ = _result(kb, SEVEN)
    # 70元 x 3 disabled members and 55元 x 2 needing care, per month (both documents
    # describe them: counted once); 1250 for the boarder at 初中; 1200 preschool (农村)
    assert "每年约 6290 元" in first, first


def test_figures_say_what_they_are(kb: KnowledgeBase) -> None:
    first, _, _ = _result(kb, {"region": "清河区", "area": "rural",
                               "categories": ["建档立卡贫困户"], "members": [{"age": 40}]})
    line = next(x for x in first.splitlines() if "10%" in x)
    assert "每名贫困人口" in line and "基数：为每名贫困人口注入的产业扶贫资金" in line
    assert "💰" not in first  # no cash here: project money is not the household's
    _, services, open_ = _result(kb, {"region": "清河区", "area": "rural",
                                      "categories": ["建档立卡贫困户"], "members": [{"age": 40}]})
    assert "2万元以上" in open_ + services  # 以上 kept wherever the title shows


def test_a_package_says_what_it_includes_and_is_counted_once(kb: KnowledgeBase) -> None:
    first, services, _ = _result(kb, {
        "region": "正安县", "area": "rural", "categories": ["建档立卡贫困户", "低保户"],
        "members": [{"age": 16, "school_stage": "普通高中", "school": "正安一中"}]})
    assert "已包含“普通高中免学费（低保、残疾、特困学生）”，不另外计算" in first
    assert "正安一中每生每年1800元" not in first + services  # not shown as another item


@pytest.mark.parametrize(("raw", "standard"), [
    ({"region": "正安县", "area": "rural", "categories": ["低保户"]}, "每人每年提高到3876元"),
    ({"region": "正安县", "area": "urban", "categories": ["特困供养"]},
     "特困供养标准提高到每人每月741元"),
    ({"region": "盘山县", "categories": ["低保户"]}, "650元/月/人"),
    ({"region": "斗门区", "categories": ["低保户"]}, "2016年为630元/人/月"),
])
def test_a_dibao_household_sees_the_standard_its_payment_is_measured_against(
        kb: KnowledgeBase, raw: dict[str, Any], standard: str) -> None:
    first, _, _ = _result(kb, {**raw, "members": [{"age": 50}]})
    block = first.partition("🏠")[2].partition("\n\n")[0]
    assert standard in block and re.search(r"，20\d\d年）", block)


def test_no_standard_for_a_household_outside_dibao(kb: KnowledgeBase) -> None:
    first, _, _ = _result(kb, {"region": "正安县", "area": "rural",
                               "categories": ["建档立卡贫困户"], "members": [{"age": 50}]})
    assert "🏠" not in first


def test_still_open_reads_as_questions_not_field_names(kb: KnowledgeBase) -> None:
    _, _, open_ = _result(kb, {"region": "正安县", "area": "rural",
                               "categories": ["建档立卡贫困户"], "members": [{"age": 40}]})
    assert "若确认" not in open_ and "符合条件" not in open_
    assert "家里有人愿意到上海就业吗？" in open_ and "还是已经脱贫了？" in open_
    for line in open_.splitlines()[1:]:
        assert not line or (line.startswith(("• ", "……")) and "？" in line)


def test_every_fact_in_the_documents_has_a_question(kb: KnowledgeBase) -> None:
    from knowledge.open_questions import known

    text = "\n".join(p.read_text("utf-8") for p in
                     (Path(__file__).parents[1] / "knowledge" / "data").glob("*.yaml"))
    facts = {f.split("  #")[0].strip() for f in re.findall(r"fact: ([^}\n]+)", text)}
    assert facts and all(known(f.strip()) for f in facts), [f for f in facts if not known(f)]


def test_same_as_and_includes_name_real_items_of_the_same_lineage(kb: KnowledgeBase) -> None:
    for e in kb.entries:
        for other in (*e.item.same_as, *e.item.includes):
            assert other in kb.by_id, (e.id, other)
            twin = kb.by_id[other].document.jurisdiction
            assert twin in kb.regions.lineage(e.document.jurisdiction), (e.id, other)


async def test_the_result_buttons_add_the_rest_and_go_away(chat: OfflineChat) -> None:
    from tests.test_check import run_screener
    from tests.test_journeys import pick_region

    await pick_region(chat, "铁岭市", "清河区")
    await run_screener(chat)
    result = chat.keyboard_message
    assert result is not None
    labels = [label for label, _ in chat.buttons()]
    assert labels[0].startswith("📋 更多服务") and labels[1].startswith("❔ 还需确认什么")
    services = texts(await chat.press("更多服务"))
    assert "其他适用的政策和服务" in services
    assert [label for label, _ in chat.buttons()] == [labels[1]]  # its button is gone
    assert "还需确认什么" in texts(await chat.press("还需确认"))
    assert chat.buttons() == []


async def test_a_result_button_after_a_restart_still_works(
        make_chat: Callable[..., OfflineChat]) -> None:
    from tests.test_check import run_screener
    from tests.test_journeys import pick_region

    first = make_chat()
    async with first.app:
        await pick_region(first, "铁岭市", "清河区")
        await run_screener(first)
    second = make_chat(first.api)
    second.keyboard_message = first.keyboard_message
    async with second.app:
        assert "其他适用的政策和服务" in texts(await second.press("更多服务"))
