"""/monthly: the draft's figures against a seeded November written out by hand, editing a
section (it survives a restart), export to Word and text, and who may ask for it."""

from __future__ import annotations

import datetime as dt
import io

import docx

from bot.app import build_application
from storage.models import FollowUp, FollowUpStatus, Gap, Household, HouseholdStatus
from storage.repo import casework
from tests import factories
from tests.casework.conftest import OTHER_WORKER, SUPERVISOR, WORKER, Team, texts
from tests.fakes import OfflineChat


def _at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


def _seed(team: Team) -> None:
    """November 2026 in 张相镇: 6 visits to 3 of the 4 households (王芳 3 入户走访, 赵四 2
    电话回访, 张小明 1 帮扶措施落实 with needs and a change); not counted: a deleted visit,
    one on 12月1日 07:30 Shanghai (30 Nov in UTC), one in 斗门区. Follow-ups: 2 opened in
    November (one done on the 20th, one open due the 20th) + the fixture's open one due
    11月28日 -> 2 overdue on 11月30日. Gaps: 2 found, 1 received."""
    zhang, li, wang = team.mine
    zhao, doumen = team.others, team.doumen
    with team.svc.transaction() as s:
        for day in (2, 12):  # and the fixture's visit of 11月29日
            factories.visit(s, wang, WORKER, at=_at(day))
        call = factories.visit(s, zhao, OTHER_WORKER, at=_at(15), kind="电话回访")
        call.needs = ["医疗"]
        factories.visit(s, zhao, OTHER_WORKER, at=_at(16), kind="电话回访")
        measure = factories.visit(s, zhang, WORKER, at=_at(10), kind="帮扶措施落实")
        measure.needs, measure.changes = ["医疗", "教育"], {"household": {"housing": "C级危房"}}
        s.add_all([call, measure])
        gone = factories.visit(s, li, WORKER, at=_at(20))
        gone.deleted_at = _at(21)
        s.add(gone)
        factories.visit(s, li, WORKER, at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC))
        factories.visit(s, doumen, WORKER, at=_at(18))
        s.add(FollowUp(household_id=zhao.id or 0, owner_id=OTHER_WORKER, action="联系就业",
                       due_on=dt.date(2026, 11, 25), created_at=_at(5),
                       status=FollowUpStatus.DONE, closed_at=_at(20)))
        s.add(FollowUp(household_id=li.id or 0, owner_id=WORKER, action="送轮椅",
                       due_on=dt.date(2026, 11, 20), created_at=_at(12)))
        s.add(Gap(household_id=zhang.id or 0, entry_id="qinghe-2020-agri-tech-training",
                  found_at=_at(3)))
        s.add(Gap(household_id=wang.id or 0, entry_id="qinghe-2020-agri-tech-training",
                  found_at=_at(4), resolution="received", resolved_at=_at(25)))


PROGRESS = ("2026年11月，清河区共走访帮扶户6次，覆盖3户，占在册4户的75.0%；2名帮扶干部参与走访。\n"
            "走访方式：入户走访3次、电话回访2次、帮扶措施落实1次。\n"
            "本月新增跟进事项2项，办结1项；截至11月30日，仍有2项逾期未办。")
MEASURES = ("本月记录“帮扶措施落实”走访1次，"
            "走访中登记家庭情况变化（上学、患病、住房、家庭类别等）1次。\n"
            "排查出应享未享政策2项，落实（登记为已享受）1项。\n"
            "资金：系统没有记录资金拨付数额，请补充本月到位资金及使用情况。")
ISSUES = ("亮点：走访较多的帮扶干部有张干部（4次）、王干部（2次）。\n"
          "问题：逾期跟进事项2项，较多的村：大堡村2项；本月未走访的帮扶户1户。\n"
          "走访中发现的需求主要是：医疗（2次）、教育（1次）。")


async def test_the_draft_figures_match_a_hand_counted_november(team: Team) -> None:
    _seed(team)
    reply = await team.supervisor.send("/monthly 上月")
    assert "<b>清河区2026年11月帮扶情况（草稿）</b>" in reply[0]["text"]
    sections = [m["text"] for m in reply[1:4]]
    assert sections[0] == "<b>一、工作进展</b>\n" + PROGRESS
    assert sections[1] == "<b>二、资金和措施落实</b>\n" + MEASURES
    assert sections[2] == "<b>三、亮点和问题</b>\n" + ISSUES
    assert [b for b, _ in team.supervisor.buttons()][:2] == ["📄 导出 Word", "📋 导出文本"]


async def test_an_edited_section_survives_a_restart_and_goes_into_word_and_text(
        team: Team) -> None:
    _seed(team)
    await team.supervisor.send("/monthly 上月")
    edit = next(m for m in team.supervisor.history if "二、资金和措施落实" in m["text"])
    assert "请发送“二、资金和措施落实”的新内容" in texts(
        await team.supervisor.press("修改", on=edit))
    # the bot restarts between the button and the typed text: a new Application, same database
    app = build_application(team.svc, request=team.api)
    async with app:
        chat = OfflineChat(app, team.api, user_id=SUPERVISOR)
        typed = "到位产业资金<b>12万元</b> & 完成危房改造3户"
        shown = texts(await chat.send(typed))
        assert "（已修改）" in shown and "到位产业资金&lt;b&gt;12万元&lt;/b&gt; &amp; 完成" in shown
        again = texts(await chat.send("/monthly 上月"))
        assert "已修改：二、资金和措施落实" in again and "12万元" in again and PROGRESS in again
        await chat.press("导出 Word")
        sent = team.api.sent_files[-1]
        assert sent.filename == "清河区2026年11月帮扶情况.docx"
        document = docx.Document(io.BytesIO(sent.content))
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == "清河区2026年11月帮扶情况"
        assert typed in paragraphs and "二、资金和措施落实" in paragraphs
        assert "本月新增跟进事项2项，办结1项；截至11月30日，仍有2项逾期未办。" in paragraphs
        assert MEASURES.splitlines()[0] not in paragraphs  # replaced
        plain = texts(await chat.press("导出文本"))
        assert "清河区2026年11月帮扶情况（数据截至2026年11月30日）" in plain
        assert "到位产业资金&lt;b&gt;12万元" in plain and ISSUES.splitlines()[0] in plain


async def test_cancel_keeps_the_draft_and_regenerate_starts_again(team: Team) -> None:
    await team.supervisor.send("/monthly")
    first = next(m for m in team.supervisor.history if "一、工作进展" in m["text"])
    await team.supervisor.press("修改", on=first)
    assert "已放弃修改" in texts(await team.supervisor.send("/cancel"))
    await team.supervisor.send("随便写的字")  # a question now, not the section's text
    reply = texts(await team.supervisor.send("/monthly"))
    assert "已修改" not in reply and "随便写的字" not in reply
    assert "清河区2026年12月帮扶情况" in reply
    await team.supervisor.press("修改", on=next(m for m in team.supervisor.outbox
                                                if "一、工作进展" in m["text"]))
    await team.supervisor.send("本月重点：冬季送温暖")
    assert "冬季送温暖" in texts(await team.supervisor.send("/monthly"))
    regenerated = texts(await team.supervisor.press("重新生成"))
    assert "冬季送温暖" not in regenerated and "一、工作进展" in regenerated


async def test_only_supervisors_get_a_monthly_report(team: Team) -> None:
    assert "需要主管领导" in texts(await team.worker.send("/monthly"))
    assert "只对帮扶干部和主管领导开放" in texts(await team.resident.send("/monthly"))
    assert "月份格式" in texts(await team.supervisor.send("/monthly 明年"))
    assert "月份格式" in texts(await team.supervisor.send("/monthly 2027-01"))  # not begun
    assert "2026年10月帮扶情况" in texts(await team.supervisor.send("/monthly 2026年10月"))


async def test_an_archived_household_does_not_push_coverage_past_the_register(
        team: Team) -> None:
    _seed(team)
    with team.svc.transaction() as s:
        wang = s.get(Household, team.mine[2].id)
        assert wang is not None
        wang.status = HouseholdStatus.ARCHIVED  # visited in November, archived since
        s.add(wang)
    reply = texts(await team.supervisor.send("/monthly 上月"))
    assert "共走访帮扶户6次，覆盖2户，占在册3户的66.7%" in reply


async def test_a_visit_without_changes_is_not_counted_as_one(team: Team) -> None:
    with team.svc.transaction() as s:
        visit = casework.add_visit(session=s, by=WORKER, now=_at(3), data=casework.VisitCreate(
            household_id=team.mine[0].id or 0, kind="入户走访", visited_at=_at(3),
            notes="", changes={"household": {}, "members": {}}))
        assert visit.changes == {}
    assert "家庭类别等）0次" in texts(await team.supervisor.send("/monthly 上月"))


async def test_a_month_before_the_programme_is_refused_politely(team: Team) -> None:
    for arg in ("0000-01", "0001-01", "1999-12"):
        assert "月份格式" in texts(await team.supervisor.send(f"/monthly {arg}"))


async def test_overdue_counts_active_households_and_tells_same_named_villages_apart(
        team: Team) -> None:
    _seed(team)
    with team.svc.transaction() as s:
        li = s.get(Household, team.mine[1].id)
        assert li is not None
        li.status = HouseholdStatus.ARCHIVED  # its 送轮椅 follow-up is overdue, but archived
        s.add(li)
        other = factories.village(s, team.svc.kb.regions, "qinghe-niejia", "大堡村")
        h = factories.household(s, other, "聂家户")
        factories.followup(s, h, WORKER, "送米面", dt.date(2026, 11, 10))
    reply = texts(await team.supervisor.send("/monthly 上月"))
    assert "仍有2项逾期未办" in reply
    assert "大堡村（张相镇）1项" in reply and "大堡村（聂家满族乡）1项" in reply
