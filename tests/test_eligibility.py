"""The screener on the household profiles of cases/eligibility.yaml, and its three-valued logic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.eligibility import (
    Finding,
    Status,
    Verdict,
    evaluate,
    is_cap,
    item_facets,
    once_value,
    screen,
    yearly_value,
)
from knowledge.loader import KnowledgeBase
from knowledge.profile import Profile, parse_profile
from knowledge.schema import Condition
from knowledge.screening import totals

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "eligibility.yaml").read_text("utf-8"))


def test_there_are_at_least_40_profiles_across_all_documents() -> None:
    assert len(CASES) >= 40
    assert len({c["profile"]["region"] for c in CASES}) >= 5


def _verdict(found: dict[str, Finding], want: str | dict[str, Any]) -> Verdict:
    """The household verdict on an item, or one member's when the case names a member."""
    item_id = want if isinstance(want, str) else want["id"]
    assert item_id in found, f"{item_id} is not screened for this region"
    if isinstance(want, dict) and "member" in want:
        return found[item_id].people[want["member"]].verdict
    return found[item_id].verdict


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_profile(case: dict[str, Any], kb: KnowledgeBase) -> None:
    """expect: applies (with amount); not_expect: does not apply; unknown: cannot tell, because."""
    profile = parse_profile(case["profile"], kb.regions)
    findings = screen(kb, profile)
    found = {f.entry.id: f for f in findings}
    for want in case.get("expect") or []:
        assert _verdict(found, want).value is True, (want, _verdict(found, want))
        if "amount" in want:
            finding = found[want["id"]]
            paid = finding.people[want["member"]].amounts if "member" in want else finding.amounts
            assert want["amount"] in [a.value for a in paid], want
    for want in case.get("not_expect") or []:
        assert _verdict(found, want).value is False, (want, _verdict(found, want))
    for want in case.get("unknown") or []:
        verdict = _verdict(found, want)
        assert verdict.value is None and verdict.unknown == set(want["because"]), (want, verdict)
    if "yearly" in case:
        assert totals(kb, findings) == (case["yearly"], case["once"])


def test_unknown_answers_say_which_question_decides() -> None:
    cond = Condition.model_validate({"all": [{"household": {"categories": ["低保户"]}},
                                              {"member": {"school_stage": ["初中"]}}]})
    p = Profile(region_id="qinghe", members=[{"school_stage": "初中"}])  # type: ignore[list-item]
    v = evaluate(cond, p, p.members[0])
    assert v.value is None and v.unknown == {"categories"}
    p2 = p.model_copy(update={"categories": ["孤儿"]})
    assert evaluate(cond, p2, p2.members[0]).value is False  # a known No beats an unknown


def test_a_fact_the_profile_does_not_record_is_named_as_cannot_tell() -> None:
    cond = Condition.model_validate({"all": [{"household": {"categories": ["建档立卡贫困户"]}},
                                              {"fact": "脱贫状态"}]})
    p = Profile(region_id="qinghe", categories=["建档立卡贫困户"])
    assert evaluate(cond, p, None) == Verdict(None, frozenset({"脱贫状态"}))
    p2 = p.model_copy(update={"categories": ["低保户"]})
    assert evaluate(cond, p2, None).value is False  # a known No still beats it


def test_the_reviewed_profile_gets_no_contradictory_answers(kb: KnowledgeBase) -> None:
    """The issue's example: 4400 line vs 渐退, new vs exited poor, industry money on a child."""
    reviewed = next(c for c in CASES if c["name"].startswith("清河区建档立卡户年人均收入4000元"))
    p = parse_profile(reviewed["profile"], kb.regions)
    found = {f.entry.id: f for f in screen(kb, p)}
    assert found["qinghe-2020-dibao-for-poor-below-4400"].status == Status.APPLIES
    assert found["qinghe-2020-dibao-gradual-exit"].status == Status.NO
    for item_id in ("qinghe-2020-industry-fund-new-poor",
                    "qinghe-2020-industry-fund-exited-below-5000"):
        assert found[item_id].verdict == Verdict(None, frozenset({"脱贫状态"}))
    industry = [f for f in found.values() if f.entry.item.topic == "产业"]
    assert industry and all(f.people == () for f in industry)  # per household, not per child
    assert totals(kb, found.values()) == (1250, 0)


def test_yearly_total_counts_cash_only(kb: KnowledgeBase) -> None:
    p = parse_profile({"region": "清河区", "area": "rural",
                                "categories": ["建档立卡贫困户"],
                       "members": [{"age": 13, "school_stage": "初中", "boarding": True}]},
                      kb.regions)
    assert totals(kb, screen(kb, p)) == (1250, 0)


def test_no_waiver_or_cap_counts_as_cash(kb: KnowledgeBase) -> None:
    """免收/免除/免费 and 最高/以内 figures never enter the yearly or one-off estimate."""
    amounts = [a for e in kb.entries for a in e.item.amounts]
    waived = [a for a in amounts if "免" in a.text or is_cap(a)]
    assert waived and all(yearly_value(a) is None and once_value(a) is None for a in waived)


def test_cli_reports_results_and_names_bad_fields(tmp_path: Path) -> None:
    good = tmp_path / "p.json"
    good.write_text(json.dumps(CASES[0]["profile"], ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot.main", "eligible", "--profile", str(good),
                          "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["results"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"region": "清河区", "area": "moon"}', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot.main", "eligible", "--profile", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "area" in out.stderr and "Traceback" not in out.stderr


def result_text(kb: KnowledgeBase, profile: Profile) -> str:
    """The /check result for a profile as the resident reads it."""
    from handlers.ui.messages import screening_html
    from handlers.ui.render import to_plain

    return to_plain(screening_html(kb, profile, screen(kb, profile)))


def test_result_puts_money_first_and_lists_other_services_one_line_each(
        kb: KnowledgeBase) -> None:
    profile = parse_profile({
        "region": "双台子区", "area": "rural", "categories": ["低保户"],
        "members": [{"age": 45, "school_stage": "不上学", "chronic_disease": True},
                    {"age": 13, "school_stage": "初中", "boarding": True}]},
        kb.regions)
    text = result_text(kb, profile)
    figures, _, others = text.partition("📋 双台子区：其他适用的政策和服务")
    assert "💰 现金补助" in figures and "1250元" in figures
    assert "（双区政发〔2018〕11号）专栏5(二)，2018年" in figures
    assert "第专栏" not in text
    bullets = [line for line in others.splitlines() if line.startswith("• ")]
    assert "• 慢病签约服务（成员1）（第三部分(四)）" in bullets  # only the member it applies to
    headings = [f"《{d.title}》" for d in kb.documents if d.id in ("panjin-2019",
                                                                   "shuangtaizi-2018")]
    assert all(h in others for h in headings)
    maybe = text.partition("❔ 还需确认什么")[2]
    lines = [line for line in maybe.splitlines()[1:] if line.strip()
             and not line.startswith("……")]
    assert lines and all(line.startswith("• ") and "还可享受" in line for line in lines)


def test_an_entitlement_open_for_one_member_is_listed_though_it_applies_to_another(
        kb: KnowledgeBase) -> None:
    profile = parse_profile({
        "region": "清河区", "area": "rural", "categories": ["建档立卡贫困户"],
        "members": [{"age": 13, "school_stage": "初中", "boarding": True},
                    {"age": 9, "school_stage": "小学", "boarding": None}]},
        kb.regions)
    text = result_text(kb, profile)
    figures, _, maybe = text.partition("❔ 还需确认什么")
    assert "1250" in figures  # the boarder's subsidy applies
    line = next(x for x in maybe.splitlines() if "在学校住宿吗" in x)
    assert line.startswith("• 成员2：") and "义务教育寄宿生生活补助" in line


def test_income_thresholds_and_counts_are_not_shown_as_the_households_money(
        kb: KnowledgeBase) -> None:
    profile = parse_profile({
        "region": "清河区", "area": "rural", "categories": ["建档立卡贫困户"],
        "income_per_capita_yearly": 4000, "housing": "危房D级",
        "members": [{"age": 13, "school_stage": "初中", "boarding": True, "major_illness": True}]},
        kb.regions)
    text = result_text(kb, profile)
    figures, _, others = text.partition("📋 清河区：其他适用的政策和服务")
    assert "1250" in figures
    assert "4400" not in figures and "个病种" not in figures
    assert "纳入低保" in others


def test_an_items_facets_are_read_again_when_its_condition_changes(kb: KnowledgeBase) -> None:
    """Facets are remembered per item id; a reloaded item with another condition (a
    maintainer's edit) is read again, not given the old item's facets."""
    item = kb.by_id["qinghe-2020-boarding-living-subsidy"].item
    assert "boarding" in item_facets(item)
    edited = item.model_copy(update={"eligibility": None})
    assert item_facets(edited) == frozenset()
    assert "boarding" in item_facets(item)
