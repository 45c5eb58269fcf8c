"""/report through the real Application and the fake Bot API, against the hand-computed
figures of the fixed dataset (tests/casework/report_data.py), with the chart photo, the
period buttons, document targets, and region scope at every supervisor level."""

from __future__ import annotations

import struct

import pytest

from bot.services import Services
from storage.reports import report, village_labels
from tests.casework.conftest import Team, texts
from tests.casework.report_data import CITY_SUPERVISOR, TOWN_SUPERVISOR, seed

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(content: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert content[:8] == PNG_SIGNATURE and content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return int(width), int(height)


async def test_the_county_report_for_this_month_has_the_hand_computed_figures(
        team: Team) -> None:
    seed(team)
    shown = texts(await team.supervisor.send("/report 本月"))
    assert "清河区 本月统计" in shown
    assert "走访</b>（共3次）" in shown
    assert "• 张干部：1次\n• 王干部：1次\n• 向阳干部：1次" in shown
    assert "帮扶户</b>（共6户）" in shown
    assert "本期走访过：3户；本期未走访：3户" in shown
    assert "30天没有走访：2户；60天没有走访：1户" in shown
    assert "• 张干部：2 / 0 / 2\n• 向阳干部：1 / 0 / 1\n• 王干部：1 / 1 / 0" in shown
    assert "• 大堡村：3 / 1 / 2\n• 向阳村：1 / 0 / 1" in shown
    assert "本期发现2项，本期落实（已享受）1项，目前未落实2项" in shown


async def test_this_week_counts_from_monday(team: Team) -> None:
    seed(team)
    shown = texts(await team.supervisor.send("/report 本周"))
    # 王芳's visit on Sunday 11-29 is last week; 12-01 and 12-02 are this week
    assert "走访</b>（共3次）" in shown and "本期走访过：3户" in shown
    year = texts(await team.supervisor.send("/report 本年"))
    assert "走访</b>（共5次）" in year and "本期走访过：5户" in year  # + 王芳, 李大爷


async def test_the_report_comes_with_a_chart_photo_of_the_expected_size(team: Team) -> None:
    seed(team)
    await team.supervisor.send("/report 本月")
    photos = [f for f in team.api.sent_files if f.method == "sendPhoto"]
    assert len(photos) == 1 and photos[0].chat_id == team.supervisor.user_id
    assert png_size(photos[0].content) == (800, 900)
    assert "每周走访次数" in (photos[0].caption or "")


async def test_without_a_period_buttons_ask_for_one(team: Team) -> None:
    seed(team)
    await team.supervisor.send("/report")
    assert [label for label, _ in team.supervisor.buttons()] == ["本周", "本月", "本季度", "本年"]
    shown = texts(await team.supervisor.press("本季度"))
    assert "清河区 本季度统计" in shown


async def test_document_targets_show_progress_or_the_missing_data(team: Team) -> None:
    seed(team)
    shown = texts(await team.supervisor.send("/report 本年"))
    assert "• 2020年产业扶持人数（清河区）：目标85人；已记录享受1户，缺少按人计的享受记录" \
        in shown  # the title's own year, not 2020年 twice
    assert "出处：《" in shown and shown.count("出处：") >= 4  # every target with its source
    assert "2020年教育扶持人数（清河区）：目标2人；已记录享受0户" in shown
    assert "计划脱贫户数和人数（分乡镇街）（清河区）：目标39户；无法计算，缺少数据：脱贫退出" \
        in shown
    assert "危房改造户数（C级、D级）（清河区）：目标21户；无法计算，缺少数据：危房改造完工" in shown
    town = texts(await team.chat(TOWN_SUPERVISOR).send("/report 本年"))
    assert "（张相镇）：目标3户" in town and "产业扶持" not in town  # not split to towns


@pytest.mark.parametrize(("who", "region", "sees", "never"), [
    (TOWN_SUPERVISOR, "张相镇", ["张干部", "大堡村"], ["向阳", "银州", "斗门", "上洲村"]),
    (None, "清河区", ["向阳干部", "向阳村"], ["银州", "斗门", "上洲村"]),
    (CITY_SUPERVISOR, "铁岭市", ["向阳干部", "银州干部", "银州村"], ["斗门", "上洲村"]),
])
async def test_every_level_sees_its_region_and_nothing_outside(
        team: Team, who: int | None, region: str, sees: list[str], never: list[str]) -> None:
    seed(team)
    chat = team.supervisor if who is None else team.chat(who)
    shown = texts(await chat.send("/report 本月"))
    assert f"{region} 本月统计" in shown
    for name in sees:
        assert name in shown
    for name in never:
        assert name not in shown
    chart = _chart_data(team.svc, chat.user_id)  # what the chart is drawn from
    for name in never:
        assert not [n for n in chart if name in n]


def _chart_data(svc: Services, user_id: int) -> list[str]:
    from storage.repo import users

    with svc.db() as s:
        user = users.get_user(session=s, telegram_id=user_id)
        assert user is not None and user.home_region_id
        r = report(session=s, path=svc.kb.regions.path(user.home_region_id), region="",
                   period="month", now=svc.clock.now(), tz=svc.settings.tz,
                   regions=svc.kb.regions)
    return r.weekly_names + [v.name for v in r.villages]


async def test_caseworkers_and_residents_are_refused_politely(team: Team) -> None:
    seed(team)
    assert "需要主管领导" in texts(await team.worker.send("/report 本月"))
    assert "只对帮扶干部和主管领导开放" in texts(await team.resident.send("/report"))
    assert not [f for f in team.api.sent_files if f.method == "sendPhoto"]


def test_villages_of_the_same_name_are_told_apart_by_their_town(team: Team) -> None:
    regions = team.svc.kb.regions
    labels = village_labels({1: ("红旗村", "qinghe-zhangxiang"), 2: ("红旗村", "qinghe-niejia"),
                             3: ("大堡村", "qinghe-zhangxiang")}, regions)
    assert labels == {1: "红旗村（张相镇）", 2: "红旗村（聂家满族乡）", 3: "大堡村"}
