"""The fixed dataset of the report and digest tests, on top of the team fixture (清河区 张相镇
大堡村: 张小明, 李大爷, 王芳, 赵四; 斗门区 上洲村: 陈阿婆), with marker households in other
regions that a supervisor must never see. Now is 2026-12-02 10:00 in Asia/Shanghai.

    household   village  caseworker  visits                      follow-ups
    张小明      大堡村   张干部      12-01 (team: none)          due 11-28 open (team)
    李大爷      大堡村   张干部      40 days ago (team)          -
    王芳        大堡村   张干部      3 days ago = 11-29 (team)   due 11-30 open
    赵四        大堡村   王干部      12-02 08:00                 due 12-10, done now
    孙大娘      大堡村   王干部      never                       -
    标记向阳    向阳村   向阳干部    12-01                       due 11-20 open   (向阳街道)
    标记银州    银州村   银州干部    12-01                       due 11-25 open   (银州区)
    陈阿婆      上洲村   斗门干部    12-01                       due 11-26 open   (斗门区)
Every follow-up was created now. 应享未享: 张小明 found 12-01 (open), 标记向阳 found 12-01
(open), 李大爷 found 11-15 and received an hour ago; 张小明 received an 产业 item in 2020.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.models import FollowUpStatus, Gap, Received, Role, Village
from tests import factories
from tests.casework.conftest import OTHER_WORKER, WORKER, Team

NOW = factories.NOW
XIANGYANG_WORKER, YINZHOU_WORKER, DOUMEN_WORKER = 105, 106, 107
TOWN_SUPERVISOR, CITY_SUPERVISOR, EMPTY_SUPERVISOR = 203, 204, 205
INDUSTRY_ITEM = "qinghe-2020-industry-fund-new-poor"  # topic 产业


@dataclass(frozen=True)
class Places:
    """Ids the tests press buttons for."""

    dabao: int
    xiangyang: int
    yinzhou: int


def seed(team: Team) -> Places:
    """Write the rest of the dataset above."""
    regions = team.svc.kb.regions
    day = dt.timedelta(days=1)
    with team.svc.transaction() as s:
        factories.user(s, TOWN_SUPERVISOR, Role.SUPERVISOR, name="镇主任",
                       home="qinghe-zhangxiang")
        factories.user(s, CITY_SUPERVISOR, Role.SUPERVISOR, name="市主任", home="tieling")
        factories.user(s, EMPTY_SUPERVISOR, Role.SUPERVISOR, name="西丰主任", home="xifeng")
        factories.user(s, XIANGYANG_WORKER, name="向阳干部", home="qinghe-xiangyang")
        factories.user(s, YINZHOU_WORKER, name="银州干部", home="yinzhou")
        factories.user(s, DOUMEN_WORKER, name="斗门干部", home="doumen-jingan")
        first, second, third = team.mine
        dabao = first.village_id
        village = s.get(Village, dabao)
        assert village is not None
        sun = factories.household(s, village, "孙大娘", caseworker=OTHER_WORKER)
        factories.visit(s, first, WORKER, at=NOW - day)
        factories.visit(s, team.others, OTHER_WORKER, at=NOW - dt.timedelta(hours=2))
        factories.followup(s, third, WORKER, "送去助学材料", dt.date(2026, 11, 30))
        done = factories.followup(s, team.others, OTHER_WORKER, "核实低保", dt.date(2026, 12, 10))
        done.status, done.closed_at, done.closed_by = FollowUpStatus.DONE, NOW, OTHER_WORKER
        s.add(done)
        xiangyang = factories.village(s, regions, "qinghe-xiangyang", "向阳村")
        yinzhou = factories.village(s, regions, "yinzhou", "银州村")
        markers = []
        for place, head, worker, due in (
                (xiangyang, "标记向阳", XIANGYANG_WORKER, dt.date(2026, 11, 20)),
                (yinzhou, "标记银州", YINZHOU_WORKER, dt.date(2026, 11, 25))):
            h = factories.household(s, place, head, caseworker=worker)
            factories.visit(s, h, worker, at=NOW - day)
            factories.followup(s, h, worker, f"{head}的跟进", due)
            markers.append(h)
        team.doumen.caseworker_id = DOUMEN_WORKER
        s.add(team.doumen)
        factories.visit(s, team.doumen, DOUMEN_WORKER, at=NOW - day)
        factories.followup(s, team.doumen, DOUMEN_WORKER, "陈阿婆的跟进", dt.date(2026, 11, 26))
        s.add(Gap(household_id=first.id or 0, entry_id="qinghe-2020-medical-security-coverage",
                  found_at=NOW - day))
        s.add(Gap(household_id=markers[0].id or 0, entry_id="qinghe-2020-medical-security-coverage",
                  found_at=NOW - day))
        s.add(Gap(household_id=second.id or 0, entry_id="qinghe-2020-medical-security-coverage",
                  found_at=dt.datetime(2026, 11, 15, tzinfo=dt.UTC),
                  resolved_at=NOW - dt.timedelta(hours=1), resolution="received"))
        s.add(Received(household_id=first.id or 0, entry_id=INDUSTRY_ITEM,
                       marked_at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC)))
        assert sun.id is not None
        return Places(dabao, xiangyang.id or 0, yinzhou.id or 0)

