"""Replies with several items, lists, a region named in the question, amounts the document does
not give, and the signals behind them (都不是, 没用), through the real Application."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.services import services
from handlers.ui.render import TELEGRAM_LIMIT
from knowledge.answer import answer
from knowledge.loader import DATA_DIR, load_knowledge
from knowledge.matcher import Matcher
from storage.repo import events
from tests.fakes import OfflineChat
from tests.html_check import assert_telegram_html


def texts(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m["text"]) for m in messages)


async def in_region(chat: OfflineChat, typed: str) -> None:
    await chat.send(typed)


def citations(text: str) -> int:
    """How many item citation lines (📄 《document》 ...) a reply has."""
    return len(re.findall(r"📄 .*《[^》]+》", text))


async def test_a_compound_question_gets_every_item_with_its_own_citation(
        chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    replies = await chat.send("孩子在读高中，住宿费跟课本费都能免吗？各免多少")
    assert len(replies) == 1  # one message, not one per item
    reply = texts(replies)
    assert_telegram_html(reply)
    assert len(reply) < TELEGRAM_LIMIT
    assert "住宿费450元" in reply and "课本资料费500元" in reply
    assert citations(reply) == 2
    for block in reply.split("\n\n")[1:3]:  # one block per item: figures, then its citation
        assert block.index("💰") < block.index("📄"), block


async def test_a_list_question_lists_every_item_for_the_group(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("60岁以上老人有啥优惠政策"))
    assert_telegram_html(reply)
    for figure in ("360元", "50元", "20%"):  # 医保资助, 银龄安康, 低保增发
        assert figure in reply
    assert citations(reply) >= 3


async def test_every_list_reply_stays_under_the_limit_and_valid(chat: OfflineChat) -> None:
    await in_region(chat, "双台子区")
    for question in ("残疾人都有啥帮扶", "妇女有啥政策", "低收入家庭孩子上学有哪些资助"):
        replies = await chat.send(question)
        assert len(replies) == 1, question
        assert_telegram_html(texts(replies))
        assert citations(texts(replies)) >= 3, question


async def test_a_named_region_is_answered_for_itself_and_says_so(chat: OfflineChat) -> None:
    await in_region(chat, "双台子区")
    reply = texts(await chat.send("斗门低保标准多少"))
    assert "您问的是<b>斗门区</b>" in reply and "双台子区" in reply
    assert "630元" in reply  # 斗门's standard, not 盘锦's 650
    assert "650元" not in reply


async def test_the_places_that_chose_the_region_do_not_dilute_the_match(
        chat: OfflineChat) -> None:
    await in_region(chat, "盘锦")  # 珠海斗门 and 铁岭清河区 are no words of any item
    reply = texts(await chat.send("我在珠海斗门打工 户口在铁岭清河区 孩子初中住校 "
                                  "建档立卡的能补多少"))
    assert "没有找到" not in reply and "清河区" in reply, reply
    assert "义务教育寄宿生生活补助" in " ".join(label for label, _ in chat.buttons()) + reply, reply


async def test_a_named_region_without_a_document_is_declined_honestly(
        chat: OfflineChat) -> None:
    await in_region(chat, "正安")
    reply = texts(await chat.send("香洲区低保标准是多少"))
    assert "暂时没有<b>香洲区</b>" in reply
    assert "元" not in reply.split("目前收录")[0]  # not 正安's figure either


async def test_a_city_known_only_by_name_is_declined_and_not_offered(chat: OfflineChat) -> None:
    await in_region(chat, "双台子区")  # 大连 is in the tree without a document or a button
    reply = texts(await chat.send("大连的低保标准现在是多少"))
    assert "暂时没有<b>大连市</b>" in reply and "元" not in reply.split("目前收录")[0], reply
    reply = texts(await chat.send("儿子去大连打工了 家里低保标准现在是多少"))  # in passing
    assert "大连" not in reply and "元" in reply, reply
    await chat.send("/start")
    assert "大连市" not in [label for label, _ in chat.buttons()]


async def test_an_amount_the_document_does_not_give_is_said_plainly(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("公益性岗位一个月多少钱"))
    assert "公益性岗位" in reply and "文件没有写明具体金额" in reply


async def test_a_date_the_document_does_not_give_is_said_plainly(chat: OfflineChat) -> None:
    await in_region(chat, "清河")  # 2020年 is the plan's year: no date to be done by
    reply = texts(await chat.send("大病集中救治哪阵之前要救治完"))
    assert "大病专项救治" in reply and "文件没有写明具体日期或时限，请向区卫健局咨询" in reply
    reply = texts(await chat.send("大病救治和临时救助什么时候截止"))  # a part without figures
    assert citations(reply) == 2 and "⏰ 文件没有写明具体日期或时限。加强" in reply, reply
    reply = texts(await chat.send("危房改造每月几号前上报"))  # the item's schedule is the answer
    assert "文件没有写明具体日期" not in reply, reply
    await in_region(chat, "斗门")  # a time limit in the item's words (三年内) is a date given
    reply = texts(await chat.send("低收入户住房问题啥时候解决"))
    assert "三年内" in reply and "文件没有写明具体日期" not in reply, reply


async def test_a_city_item_says_whose_it_is(chat: OfflineChat) -> None:
    await in_region(chat, "双台子区")
    reply = texts(await chat.send("低保户大病新农合报多少"))
    assert "90%" in reply and "盘锦市（适用于双台子区）" in reply
    assert "（双台子区）" not in reply


async def test_negation_steers_away_from_what_it_rules_out(chat: OfflineChat) -> None:
    await in_region(chat, "清河")
    reply = texts(await chat.send("不住校的初中生补多少"))
    assert "750元" in reply and "1250元" not in reply


async def test_a_long_story_is_answered_by_its_asking_clause(chat: OfflineChat) -> None:
    await in_region(chat, "清河")  # the story dilutes every score; the last clause decides
    reply = texts(await chat.send("俺家闺女今年中考争气考上了县一高 她爹常年有病干不了活 "
                                  "家里就靠俺种地 俺们是建档立卡户 高中学费还用交不"))
    assert "普通高中" in reply and "免" in reply and "没有找到" not in reply, reply
    await in_region(chat, "正安")
    reply = texts(await chat.send("我孙女在镇上读初中 她老汉在外头打工 屋头是贫困户 "
                                  "住校的话一年补好多"))
    assert "寄宿" in reply and "元" in reply, reply
    # the clause alone (有没有生活费补助) would name the boarding subsidy the story rules out
    reply = texts(await chat.send("幺儿在镇上读初中 不住校的 天天走路回来吃饭 屋头是贫困户 "
                                  "有没有生活费补助"))
    assert "寄宿生生活费补助" not in reply and "没有找到" in reply, reply


async def test_a_group_in_the_story_does_not_empty_a_topic_list(chat: OfflineChat) -> None:
    await in_region(chat, "盘锦")  # no housing item is for the elderly: they are who asks
    reply = texts(await chat.send("我跟老伴都七十多了 住的还是几十年的土坯房 家里低收入 "
                                  "盘锦这边住房上有哪些帮扶"))
    for title in ("廉租住房租赁补贴", "公租房分配", "优先纳入危房改造"):
        assert title in reply, reply
    await in_region(chat, "正安")  # 能享受啥 names no subject: the group is what is asked
    reply = texts(await chat.send("我联系的户里有个精神病人 在家里吃药治 能享受啥"))
    assert "居家精神病人免费精神类药品" in reply, reply
    await in_region(chat, "斗门")  # 资助 is any aid: no subject that would demote the group
    reply = texts(await chat.send("我联系的户是个单亲妈妈 一个人带两个孩子 很辛苦 有啥资助"))
    assert "康乃馨" in reply and "高中" not in reply, reply


async def test_a_category_s_own_support_is_listed_for_its_elderly(chat: OfflineChat) -> None:
    await in_region(chat, "正安")  # 特困老人: the 特困 support is for them, not for 老人 only
    reply = texts(await chat.send("村里有个特困老人 无儿无女的 他都能享受哪些"))
    assert "特困供养金" in reply and "散居特困对象入住敬老院" in reply, reply


async def test_a_list_of_deadlines_lists_the_deadlines(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")  # a supervisor's list: the dates asked, not the benefits
    reply = texts(await chat.send("哪几项帮扶工作要在2017年3月底前上报方案"))
    for title in ("就业帮扶工作方案上报", "产业带动帮扶工作方案上报", "住房改造帮扶工作方案上报"):
        assert title in reply, reply


async def test_a_long_story_with_one_clear_item_is_asked_about(chat: OfflineChat) -> None:
    await in_region(chat, "清河")  # the story keeps every score under the floor, not the lead
    reply = texts(await chat.send("我闺女在镇上念小学 每天骑车来回不住校 她爸常年在外面打零工 "
                                  "听别人说走读的也给补助 到底给不给 给多少"))
    assert "您是想问" in reply and "元" not in reply, reply  # asked, never stated
    assert "非寄宿生生活补助" in chat.buttons()[0][0], chat.buttons()
    reply = texts(await chat.press(1))
    assert "750" in reply and "非寄宿生生活补助" in reply, reply


async def test_members_that_agree_on_one_item_get_it_directly(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("我家两个孩子一个读小学一个读初中，一年各补多少钱啊"))
    assert "您是想问" not in reply  # both children point at the same subsidy
    assert "2000元" in reply and "3000元" in reply and citations(reply) == 1


async def test_a_clause_that_leaves_out_its_subject_is_read_with_the_one_before(
        chat: OfflineChat) -> None:
    await in_region(chat, "盘锦")
    reply = texts(await chat.send("普通居民大病保险报几成，低保户又报几成"))
    assert_telegram_html(reply)
    assert "75%" in reply and "90%" in reply and citations(reply) == 2


async def test_an_a_not_a_clause_is_a_question_of_its_own(chat: OfflineChat) -> None:
    await in_region(chat, "双台子区")
    reply = texts(await chat.send("低保户交养老保险政府帮不帮着交？低保标准每年涨不涨"))
    assert "养老保险费代缴" in reply and "低保标准逐年递增" in reply and citations(reply) == 2


async def test_a_list_word_in_one_clause_does_not_make_the_question_a_list(
        chat: OfflineChat) -> None:
    await in_region(chat, "正安")
    reply = texts(await chat.send("易地搬迁的移民临时救助一个人给多少？搬过来以后就业有啥保障"))
    assert "您问了2项" in reply and "1500元" in reply and "一户一就业" in reply


async def test_a_negated_category_is_never_answered_with_its_item(chat: OfflineChat) -> None:
    await in_region(chat, "清河")
    reply = texts(await chat.send("我家不是建档立卡户，就一般困难，孩子上幼儿园能领入园资助金不"))
    assert "元" not in reply  # the aid is for 建档立卡 children: at most offered, never stated


async def test_a_benefit_only_other_regions_have_is_declined(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("重度残疾人护理补贴每个月几多"))
    assert "没有找到" in reply and "元" not in reply  # not 斗门's pension subsidy for 残疾人
    await in_region(chat, "双台子区")  # 盘锦's document has it: answered there
    assert "护理补贴" in texts(await chat.send("重度残疾人护理补贴每个月多少"))


async def test_a_service_outside_the_programmes_is_declined(chat: OfflineChat) -> None:
    await in_region(chat, "清河")  # not 扶贫小额信贷, which shares 贷款 and 最多
    reply = texts(await chat.send("公积金贷款最多能贷多少"))
    assert "没有找到" in reply and "元" not in reply, reply


def test_a_service_outside_the_programmes_is_answered_where_a_document_names_it(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    doumen = data / "doumen-2017.yaml"
    said = "对建档立卡的低收入家庭每户补助5万元"
    doumen.write_text(doumen.read_text(encoding="utf-8").replace(
        said, said.replace("家庭", "家庭（含宅基地上的危房）")), encoding="utf-8")
    question = "宅基地上的旧房改造补多少"
    for kb, answered in ((load_knowledge(), False), (load_knowledge(data), True)):
        region = kb.regions.resolve("斗门")
        assert region is not None
        ans = answer(question, region_id=region.id, kb=kb, matcher=Matcher(kb))
        assert ans.answered is answered
        assert not answered or ans.stated[0].id == "doumen-2017-housing-renovation-subsidy"


async def test_an_errand_about_a_card_is_declined(chat: OfflineChat) -> None:
    await in_region(chat, "盘锦")
    for question in ("医保卡丢了怎么补办", "残疾证在哪里办"):
        reply = texts(await chat.send(question))
        assert "没有找到" in reply and "元" not in reply, question


async def test_a_count_question_gets_the_figure_for_what_it_counts(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("斗门镇低收入群体里残疾人有多少"))
    assert "残疾人数" in reply.splitlines()[1]  # offered first, before the people counts


async def test_none_of_these_is_logged_with_the_options_offered(
        chat: OfflineChat, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.commands.kb import kb_misses

    await in_region(chat, "清河")
    await chat.send("补助")
    offered = [label.split(". ", 1)[1] for label, _ in chat.buttons() if ". " in label]
    assert offered
    await chat.press("都不是")
    svc = services(chat.app)
    with svc.db() as session:
        (row,) = events.top_rejections(session=session)
    assert row[:2] == ("qinghe", "补助") and row[3] == 1
    assert kb_misses(svc.settings, svc.kb, 10) == 0
    out = capsys.readouterr().out
    assert "次数" in out and "问题" in out  # column headers
    assert "都不是" in out and all(title[:10] in out for title in offered)


async def test_unhelpful_gets_a_next_step_as_a_message(chat: OfflineChat) -> None:
    await in_region(chat, "清河")
    await chat.send("孩子上初中住校一年补多少")
    reply = texts(await chat.press("没用"))
    assert "换个说法" in reply and "/check" in reply and "区教育局" in reply


async def test_a_lone_surrogate_does_not_break_the_miss_log_or_later_votes(
        chat: OfflineChat) -> None:
    await in_region(chat, "清河")
    await chat.send("护照\ud800在哪里办")  # not found: logged
    await chat.send("孩子上初中\ud800住校一年补多少")
    await chat.press("没用")
    with services(chat.app).db() as session:
        kinds = {kind for kind, *_ in events.top_misses(session=session)}
    assert kinds == {"unanswered", "unhelpful"}


@pytest.mark.parametrize("data", ["pk:²", "pk:\u0661\u0662", "pk:" + "a" * 10 + "x",
                                  "fb:1:²²", "fb:0:" + "f" * 40, "rg:p:²", "rg:c:qinghe:²",
                                  "rg:p:999999", "rg:c:zunyi:99"])
async def test_numeric_looking_or_forged_button_data_never_raises(chat: OfflineChat,
                                                                  data: str) -> None:
    await in_region(chat, "清河")
    old = {"message_id": 1, "date": 0, "chat": {"id": chat.user_id, "type": "private"},
           "text": "旧消息", "reply_markup": {"inline_keyboard": [[{"text": "按钮",
                                                                 "callback_data": data}]]}}
    chat.api.messages[(chat.user_id, 1)] = old
    await chat.press("按钮", on=old)
    assert chat.api.sent("answerCallbackQuery")


async def test_a_city_with_many_counties_pages_its_buttons(chat: OfflineChat) -> None:
    await chat.send("/start")
    await chat.press("遵义市")  # 14 counties: more than one page of 12
    labels = [label for label, _ in chat.buttons()]
    assert "下一页 ›" in labels and "正安县 📄" in labels and "仁怀市" not in labels
    await chat.press("下一页 ›")
    labels = [label for label, _ in chat.buttons()]
    assert "仁怀市" in labels and "‹ 上一页" in labels
    assert "已设置为<b>仁怀市</b>" in texts(await chat.press("仁怀市"))


def test_region_pages_hold_a_province_of_cities() -> None:
    from handlers.ui import keyboards
    from knowledge.regions import RegionTree
    from knowledge.schema import RegionsFile

    cities = [{"id": f"c{i}", "name": f"市{i}", "level": "city",
               "children": [{"id": f"c{i}-{j}", "name": f"县{i}-{j}", "level": "county"}
                            for j in range(100)]} for i in range(20)]
    tree = RegionTree(RegionsFile.model_validate(
        {"regions": [{"id": "p", "name": "省", "level": "province", "children": cities}]}))
    first = [b.text for row in keyboards.cities(tree).inline_keyboard for b in row]
    assert len(first) <= keyboards.CITIES_PER_PAGE + 1 and first[-1] == keyboards.NEXT
    page = keyboards.counties(tree, "c3", whole_city=False, page=8).inline_keyboard
    names = [b.text for row in page for b in row]
    assert "县3-99" in names and keyboards.NEXT not in names and keyboards.PREVIOUS in names
    assert all(len(b.callback_data.encode()) <= 64 for row in page for b in row
               if isinstance(b.callback_data, str))


# The example questions the bot itself suggests (/help, the welcome text, and the "not found"
# hints), asked in every region with a document: each gets its item, or an honest decline
# (no figure). Ids: the acceptable answers; None: that region has no such item.
SUGGESTED: dict[str, dict[str, set[str] | None]] = {
    "孩子上初中住校一年补多少": {
        "doumen": {"doumen-2017-compulsory-living-subsidy"},
        "panjin": {"panjin-2019-education-living-subsidy"},
        "qinghe": {"qinghe-2020-boarding-living-subsidy"},
        "shuangtaizi": {"shuangtaizi-2018-boarding-living-subsidy"},
        "zhengan": {"zhengan-2018-boarding-living-subsidy"}},
    "六十岁以上低保老人每月多领多少": {
        "doumen": {"doumen-2017-elderly-dibao-supplement"}, "panjin": None, "qinghe": None,
        "shuangtaizi": None, "zhengan": None},
    "低保户看病能报多少": {
        "doumen": None,
        "panjin": {"panjin-2019-ncms-major-illness-reimbursement",
                   "panjin-2019-critical-illness-insurance-reimbursement"},
        "qinghe": {"qinghe-2020-medical-security-coverage",
                   "qinghe-2020-critical-illness-insurance-preferential"},
        "shuangtaizi": {"shuangtaizi-2018-major-illness-90pct",
                        "panjin-2019-ncms-major-illness-reimbursement"},
        "zhengan": {"zhengan-2018-inpatient-reimbursement-rate"}},
}


def _suggested_questions() -> set[str]:
    from handlers.ui.render import render

    shown = render("help", region=None, covered=False) + render("welcome", region=None)
    return set(re.findall(r"“([^”]+)”", shown)) - {"有用/没用", "斗门", "正安", "双台子区"}


def test_the_table_holds_every_question_the_help_and_welcome_texts_suggest() -> None:
    assert _suggested_questions() == set(SUGGESTED)


def test_every_suggested_question_gets_its_item_or_an_honest_decline(kb: object,
                                                                      matcher: object) -> None:
    from handlers.ui.messages import example_topics
    from knowledge.answer import Outcome, answer
    from knowledge.loader import KnowledgeBase
    from knowledge.matcher import Matcher

    assert isinstance(kb, KnowledgeBase) and isinstance(matcher, Matcher)
    for region in sorted(kb.covered_regions):
        hints = {q: {e.id for e in kb.entries_for(region) if q in e.item.aliases}
                 for q in example_topics(kb, region)}
        table = {q: want[region] for q, want in SUGGESTED.items()} | hints
        for question, wanted in table.items():
            ans = answer(question, region_id=region, kb=kb, matcher=matcher)
            shown = [e.id for e in ans.stated] or [m.entry.id for m in ans.matches]
            if wanted is None:
                assert not any(e.item.amounts for e in ans.stated), (region, question, shown)
            else:
                assert ans.outcome in (Outcome.ANSWERED, Outcome.CLARIFY), (region, question)
                assert wanted & set(shown), (region, question, shown)


async def test_the_command_line_says_an_unknown_region_and_lists_the_covered_ones(
        capsys: pytest.CaptureFixture[str], make_chat: Callable[..., OfflineChat]) -> None:
    from bot.main import main

    assert main(["ask", "--region", "火星区", "低保标准"]) == 2
    err = capsys.readouterr().err
    assert "未知地区：火星区" in err and "清河区" in err and "斗门区" in err
    assert main(["ask", "--region", "香洲区", "低保标准"]) == 0
    out = capsys.readouterr().out
    assert "暂时没有" in out and "/region" not in out and "/check" not in out


def test_one_bad_jsonl_line_gives_one_error_and_the_run_goes_on(kb: object,
                                                              matcher: object) -> None:
    import io
    import json

    from bot.commands.ask import run_jsonl
    from knowledge.loader import KnowledgeBase
    from knowledge.matcher import Matcher

    assert isinstance(kb, KnowledgeBase) and isinstance(matcher, Matcher)
    good = json.dumps({"region": "清河", "question": "孩子上初中住校一年补多少"})
    lines = [good, '{"region": "\\ud800斗门", "question": "x"}',
             json.dumps({"region": "斗门" * 300, "question": "低保"}),
             "[" * 50_000 + "]" * 50_000, "not json", "[1, 2]",
             json.dumps({"region": "清河", "question": "低保" * 100_000}, ensure_ascii=False),
             good]
    out = io.StringIO()
    assert run_jsonl(kb, matcher, io.StringIO("\n".join(lines) + "\n"), out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["answered"] and rows[-1]["answered"]
    assert all("error" in r for r in rows[1:6])
    assert rows[6]["outcome"] == "too_long"


def test_json_output_has_a_result_for_every_item_stated(kb: object, matcher: object) -> None:
    from bot.commands.ask import answer_json
    from knowledge.answer import answer
    from knowledge.loader import KnowledgeBase
    from knowledge.matcher import Matcher

    assert isinstance(kb, KnowledgeBase) and isinstance(matcher, Matcher)
    ans = answer("孩子在读高中，住宿费跟课本费都能免吗？各免多少", region_id="doumen", kb=kb,
                 matcher=matcher)
    out = answer_json(ans, kb)
    assert out["answered"] and len(out["results"]) == 2
    assert {r["id"] for r in out["results"]} == {e.id for e in ans.stated}
    assert all(r["source"]["citation"] and r["amounts"] for r in out["results"])
    unanswered = answer_json(answer("明天天气怎么样", region_id="doumen", kb=kb,
                                    matcher=matcher), kb)
    assert not unanswered["answered"] and unanswered["results"] == []


# Classes of phrasing found by the dev sets written blind on 2026-12-02 (dev_blind6/7/8): what
# the reply must say, must not say, and how many citations it has (exactly, or at least).
@dataclass(frozen=True)
class Says:
    region: str
    question: str
    says: tuple[str, ...]
    citations: int | None = None  # exactly this many citation lines
    at_least: bool = False  # ... or at least this many
    not_says: tuple[str, ...] = ()


PHRASINGS = {
    # 2026-12-08: the period of a monthly standard (650元/月/人) is what 每月 asks for (it got
    # the 70元 disability subsidy, whose title says 每人每月)
    "每月: the monthly standard is answered or offered, not the 70元 subsidy alone": Says(
        "盘锦", "我家低保每月多少", ("650元/月/人",)),
    # ... and an amount, not how often (it got 每月至少两次综合性督查, then the 特困供养金 for
    # 特困 households)
    "低保 is no question of the 特困 allowance": Says(
        "正安", "低保每月多少", ("3876元",), 1, not_says=("741元",)),
    # 读大二 is a student already in college; 啱啱 = 刚刚, 加埋 = 加起来 (Cantonese)
    "读大二 is a college student": Says(
        "斗门", "大仔讀緊大二，細仔今年啱啱考到專科，兩個加埋一年可以攞幾多？", ("3000元/人/年",)),
    "加埋几多 after 各几多 still asks each member's": Says(
        "斗门", "个女读幼儿园 个仔读小学 我哋低收入户 两个嘅生活补助各几多 加埋几多",
        ("学前教育1000元", "小学2000元"), 2),
    "两个加埋 asks each member's amount": Says(
        "斗门", "大的读初中，小的读幼儿园，两个加埋一年补几多",
        ("学前教育1000元", "初中3000元"), 2),
    "大娃儿 and 二娃儿 are two children": Says(
        "正安", "大娃儿读初中住校，二娃儿读高中，屋头是建档立卡户，两个一年各补好多钱",
        ("两助三免", "寄宿"), 2, at_least=True),
    "多少户、多少人 after an enumeration asks two figures of each member": Says(
        "盘锦", "低保户和特困人员各有多少户、多少人", ("特困", "低保户"), 2),
    "都有啥 before any verb asks for a list": Says(
        "盘锦", "我家是低保户，老伴查出尿毒症，看病这块国家都有啥管着",
        ("重大疾病新农合报销90%",), 3, at_least=True),
    "都有什么 is not read as 都有 before 什么": Says(
        "盘锦", "我家是低保户，老伴查出尿毒症，看病这块国家都有什么管着",
        ("重大疾病新农合报销90%",), 3, at_least=True),
    "涨 is the documents' 提高/递增": Says(
        "双台子", "低保往后还能年年涨不", ("逐年递增",), 1),
    "a list question whose close options are the list states them": Says(
        "双台子", "家里种大棚，技术不行，有啥技术帮扶", ("实用技术培训", "送科技下乡"), 2,
        at_least=True),
    "台阶 and 门槛 ask for accessibility work": Says(
        "正安", "家里重度残疾，台阶太多上不去，能帮忙改造不", ("无障碍改造",), 1),
    "不想念了 is dropping out of school": Says(
        "盘锦", "闺女初三了不想念了，天天在家待着，有人管不", ("控辍保学",), 1),
    # 啥都看不见了 = sees nothing (no question, no 也/都 asking again); 我媳妇, 我父亲 are members
    "什么也/啥都 before a negation asks nothing": Says(
        "双台子", "俺媳妇要做两癌筛查，要交钱不？俺爹眼睛白内障啥都看不见了，低收入户能给治不",
        ("两癌", "白内障"), 2, not_says=("春风",)),
    "要交钱不 asks whether it is free; 坐车 is the travel cost": Says(
        "清河", "俺想参加个技能培训，要交钱不？来回坐车给补点不", ("免费职业技能培训", "交通费"), 2,
        not_says=("先诊疗后付费",)),
    "低保户 is no question of the 特困 allowance either (review of 2026-12-08)": Says(
        "正安", "低保户每月多少钱", (), not_says=("741元",)),
    "低保金 neither": Says("正安", "低保金每月多少", (), not_says=("741元",)),
    "上大一 is a freshman, not a student in college already (review of 2026-12-08)": Says(
        "斗门", "孩子马上大一了，学费有资助吗", ("6000元",), not_says=("3000元/人/年",)),
    "多少 before an enumeration is its members' question (review of 2026-12-08)": Says(
        "盘锦", "全市有多少低保户和特困户", ("分散特困供养", "低保户"), 2),
    "各乡镇 is no 各 of the question": Says(
        "盘锦", "各乡镇低保户和特困户分别多少户", ("分散特困供养", "低保户"), 2),
    "多少 before two subsidies asks both": Says(
        "盘锦", "每月能领多少生活补贴和护理补贴", ("70元", "55元"), 2),
    "小孩子 beside 大孩子 is the younger child (review of 2026-12-08)": Says(
        "斗门", "大孩子读高中，小孩子读幼儿园，各补几多", ("学前教育1000元", "高中"), 2),
    "车撞 is a traffic accident": Says(
        "正安", "男人被车撞了，屋头一下就困难了，有没得救助金", ("急难救助金",), 1),
    "a one-item list takes an item ranked nearly as high": Says(
        "双台子", "孩子两岁确诊脑瘫，低收入家庭，治病康复有哪些政策", ("脑瘫", "残疾儿童康复"), 2),
    "每人 after two children is each of them": Says(
        "斗门", "大的读小学，小的读幼儿园，生活补助一年每人多少钱",
        ("学前教育1000元", "小学2000元"), 2),
    "会唔会多啲 asks for the extra paid (Cantonese)": Says(
        "斗门", "依家低保标准系几多？阿爸七十岁都系低保，会唔会多啲？", ("630元", "20%"), 2),
        "分摊 and 怎么出 ask how the cost is shared": Says(
        "斗门", "住房改造的补助钱是怎么出的", ("市2万、区2万、镇1万",), 1),
        "底线任务 is 两不愁三保障, not the 2020 garbage target": Says(
        "双台子", "到2020年的底线任务是啥", ("两不愁",), 1, not_says=("垃圾",)),
    # ... only when that item is the ranking's first (a reply shows each item once, so the
    # growth itself is tested by test_a_grown_list_states_each_item_once)
    "a mental illness treated in hospital and at home gets one cited item": Says(
        "正安", "屋头有个精神病人，时好时坏，有时住院有时在屋头吃药，有啥子补助", ("住院",), 1),
    "a one-item list adds no item of another school stage": Says(
        "斗门", "细路读紧小学，有咩资助", ("小学2000元",), 1, not_says=("本科",)),
    # ... not when they are items of several subjects, counts or deadlines (second review)
    "options of several subjects stay options": Says("正安", "老人有啥", ("您是想问",)),
    "a count and a deadline stay options": Says(
        "斗门", "帮扶工作的汇报和考核有什么制度，多久报一次", ("您是想问",)),
        "为什么都 is a why, not an indefinite": Says(
        "盘锦", "低保标准是多少，为什么都不给我们涨", ("提高7%",), 2),
        "a member found nothing is said so, though the other found two (second review)": Says(
        "正安", "我父亲是特困，我母亲是低保，每月各领好多", ("741元", "没有找到", "我母亲是低保")),
        "系区出定系镇出 asks who pays (Cantonese)": Says(
        "斗门", "住房改造每户补几多？笔钱系区出定系镇出？", ("市2万、区2万、镇1万",), 2),
        "a count by district shows the asker's district": Says(
        "双台子", "有多少低保户和五保户", ("双台子区：1376户", "双台子区：102户"), 2),
        "五保 is no typo of 低保": Says(
        "斗门", "五保每月多少", ("没有写",), not_says=("520元", "每月核实")),
    # the second review of 2026-12-07: rules that fired on questions they should not touch
    "a year that dates the household is no year of the figure": Says(
        "清河", "2019年建档立卡的，孩子上初中住校一年补多少", ("1250元",), 1,
        not_says=("没有写2019年",)),
    "how many kinds of illness is a count of the item": Says(
        "清河", "大病救治能治多少种病", ("30个病种",), 1),
    "a serious illness denied is not told": Says(
        "盘锦", "老人不是大病，就是高血压，家里低保户，看病有啥政策", ("签约",),
        not_says=("大病救治一批", "重病兜底一批")),
    "a fact nobody told does not add its items": Says(
        "双台子", "孩子不住校 上初中 有什么补助", (), not_says=("残疾学生", "金秋助学")),
    "a year an item near the top gives is answered": Says(
        "双台子", "生活垃圾无害化处理率现在要到多少？到2020年农村要到多少", ("80%", "100%"), 2),
    "the document's own year is answered": Says(
        "盘锦", "2019年盘锦的低保标准是多少", ("650元",), 1),
    "a serious illness told lists the illness items": Says(
        "盘锦", "我爸查出来肺癌要住院，我们家是低保户，看病这块有啥政策能帮一把",
        ("重大疾病新农合报销90%", "大病救治一批", "重病兜底一批"), 4, at_least=True),
    "a household's situation lists the items for each fact told": Says(
        "盘锦", "孩子五岁了，二级残疾，得有人一直看着，家里是低保户，准备上幼儿园了，都能领点啥",
        ("残疾学生学前教育资助", "每人每月70元", "每人每月55元"), 3, at_least=True),
    "a clause of question words asks more of the item before": Says(
        "清河", "大病救治补多少，啥时候截止 临时救助呢", ("文件没有写明具体日期或时限",), 2),
    "an item with counts but no money says it gives no amount in a reply of several": Says(
        "清河", "大病救治补多少 临时救助给多少钱",
        ("大病救治扩大到30个病种\n💰 文件没有写明具体金额", "💰 文件没有写明具体金额。加强"), 2),
    "how many kinds, and tell them all, asks for the list": Says(
        "正安", "娃儿去读中职 建档立卡户 到底有好多种补助 啥子都说一哈", ("国家助学金",), 4,
        at_least=True),
    "the year asked puts the target of that year first": Says(
        "双台子", "到2020年农村生活垃圾无害化处理率要达到多少", ("1. 到2020年100%村庄",)),
    "a caseworker's introduction and purpose do not dilute the question": Says(
        "正安", "我是村头的网格员 低保跟特困今年各是好多钱 我要切跟老百姓讲清楚",
        ("741元", "3876元"), 2, at_least=True),
    "asking for someone else is no part of the question": Says(
        "清河", "我是村头的网格员，帮一户人家问问，他家孩子上初中住校一年补多少", ("1250元",), 1),
    "a household's own category is kept": Says(
        "清河", "我是低保户，孩子上初中住校一年补多少", ("1250元",), 1),
    "after 另外 a new question has its own scene": Says(
        "双台子", "老太太白内障能给治不？另外她儿子有精神病，这个咋帮", ("白内障", "精神"), 2),
    # the review of 2026-12-07's rules: each reads a question its rule should not touch
    "a year other than the document's is a date": Says(
        "双台子", "农村生活垃圾治理什么时候要完成", ("2020年",), 1, not_says=("没有写明具体日期",)),
    "which document number asks no date": Says(
        "斗门", "低保标准是几号文件定的", ("630元",), 1, not_says=("没有写明具体日期",)),
    "a riverbank is not a province": Says(
        "盘锦", "俺家住河南边那个村，低保一个月多少钱", ("650元",), 1, not_says=("暂时没有",)),
    "a place the item names answers where to go": Says(
        "正安", "救急难在哪个窗口申请", ("窗口",), 1, not_says=("没有写办理地点",)),
    "增加群众 asks for no WeChat group": Says(
        "正安", "增加群众收入有哪些措施", (), not_says=("微信群",)),
    "how homes are allocated is the item's": Says(
        "盘锦", "公租房咋分房", ("公租房分配",), 1, not_says=("交房",)),
    "安排多长时间 is no queue": Says(
        "清河", "技能培训一般安排多长时间", (), not_says=("办理时限",)),
    "a list of courses is not a list of targets": Says(
        "正安", "我想学技术，有哪些培训计划", ("农村贫困劳动力全员培训",), 3, at_least=True),
    "those named, each, is no list": Says(
        "盘锦", "这几个补贴分别是多少钱 低保和特困", (), not_says=("相关政策共",)),
    "挨个 says how the work is done": Says(
        "清河", "危房鉴定要一户一户挨个鉴定 哪阵之前完成", ("3月20日",), 1),
    "a province named by its short name is declined": Says(
        "斗门", "海南那边低保几多", ("暂时没有<b>海南省</b>",), 0),
    "how many kinds there are asks for the list": Says(
        "盘锦", "就业帮扶里头带补贴的有几种？都是啥",
        ("就业补贴", "创业场地补贴", "职业培训补贴"), 3, at_least=True),
    "one by one asks for the list": Says(
        "盘锦", "残疾人都能享受啥 一样一样讲讲",
        ("每人每月70元", "每人每月55元", "残疾学生学前教育资助"), 3),
    "what is done under a section lists it": Says(
        "正安", "就业保障扶贫主要搞些啥子", ("农村贫困劳动力全员培训",), 10),
    "a list of targets lists the figures only": Says(
        "正安", "医疗这块有哪些目标", ("新农合参合率", "家庭医生签约服务率目标"), 3,
        not_says=("慢性病年度自付费用上限",)),
    "which indicators are there, and each: the section named": Says(
        "正安", "医疗健康扶贫有哪几个比例指标，各是多少",
        ("新农合参合率", "家庭医生签约服务率目标", "实际补偿比90%"), 3, at_least=True),
    "which indicators are there, and each: the figures of a topic": Says(
        "正安", "看病这块有哪几个指标，各是多少", ("新农合参合率", "家庭医生签约服务率目标"), 3),
    "a section of sections lists its subsections' items": Says(
        "双台子", "健康扶贫工程那个专栏里都列了哪些项目？", ("白内障", "一站式"), 6),
    "a section named inside another name is the longer one's": Says(
        "双台子", "规划里就业帮扶行动那个专栏有哪几个行动", ("春潮行动",), 3),
    "how many targets there are and each of them is a list": Says(
        "正安", "就业这块的几个百分比目标各是多少", ("培训后就业率目标", "就业信息准确率目标"), 4),
    "the milestones of a measure are its dated steps": Says(
        "正安", "敬老院入住率今年几个节点分别要求达到多少", ("6月底前达70%", "9月底前达85%",
                                                 "12月底前达100%"), 4),
    "the duties due in a named month are listed": Says(
        "斗门", "6月底之前必须完成的有哪几项",
        ("1. <b>医疗卫生保障及残疾人帮扶完成", "2. <b>志愿者关爱五保老人工程完成"), 2,
        at_least=True),  # the milestones first; the routine due in June after them
    "the duties of a half year are listed, soonest first": Says(
        "清河", "上半年有哪几个时间节点 都是啥时候",
        ("2020年3月20日前", "2020年4月30日前", "房屋结构普查"), 5),  # a half-yearly one too
    "a month's duties include those recurring in it": Says(
        "斗门", "6月底前要完成哪些工作", ("志愿者关爱五保老人工程完成", "每半年", "每季度"), 7),
    "duties are no answer to a question about aid": Says(
        "斗门", "残疾人每个月有哪些补贴，要做什么", ("360元",), 2, at_least=True,
        not_says=("每月28日之前上报",)),
    "the duties of every month are listed": Says(
        "斗门", "镇农办每个月要做嘅嘢有咩", ("每月28日之前上报当月帮扶情况", "返贫月度排查统计",
                                     "每月核实更新贫困人口信息"), 3),
    "another province without a document is declined, not answered for the asker": Says(
        "清河", "黑龙江那边贫困户都有啥政策", ("暂时没有<b>黑龙江省</b>",), 0),
    "a province named in passing is where someone works": Says(
        "正安", "娃儿他爸在四川打工，读高中有啥子资助", ("正安县",), 1, at_least=True,
        not_says=("四川",)),
    "public rental housing is its own scheme, not the rent subsidy": Says(
        "盘锦", "城里困难户能分公租房不", ("公租房分配",), 1, not_says=("廉租住房租赁补贴",)),
    "scene clauses of several children each get their item": Says(
        "清河", "两个孩子，大的读初中住校，小的读小学天天回家，每年各补多少",
        ("1250元", "750元"), 2),
    "members ending in 的 are asked each": Says(
        "正安", "精神病人住院的和在家吃药的，分别补多少", ("300元", "800元"), 2),
    "a negated exited household gets the new-poor item": Says(
        "清河", "我们是新识别的还没脱贫，不是已脱贫户，产业资金每人注入多少", ("2万元",),
        not_says=("1万元",)),
    "all done by when asks a deadline, not a list": Says(
        "斗门", "就业帮扶最迟什么时候要全部完成", ("2019年12月",), 1),
    "a category with a group keeps the group's items": Says(
        "斗门", "低保户家里有残疾人的话 能享受哪些补贴", ("360元", "24000元"), 3, at_least=True),
    "a pupil going on after school gets both stages": Says(
        "清河", "孩子初中毕业了 上高中或者中职 都有哪些资助", ("2000元", "3000元"), 4,
        at_least=True),
    "a detail asked with an amount gets the answer": Says(
        "盘锦", "重度残疾护理补贴每月多少钱 电话多少", ("55元",), not_says=("没有写",)),
    "members typed without a comma are asked each": Says(
        "清河", "老大初中住校老二小学走读 生活补助各给多少", ("1250元", "750元"), 2),
    "an enumeration asked member by member is not one list": Says(
        "正安", "精神病人住院的和在家治疗的分别有什么补助", ("300元", "800元"), 2),
    "a list cue after what is listed lists it (中职助学资金 among them)": Says(
        "清河", "高中阶段的资助政策有哪些 普高和中职都算", ("3000元",), 4, at_least=True),
    "the first member of a pair may come second": Says(
        "清河", "小的上幼儿园大的读高中 建档立卡的 各给多少钱", ("1200元", "2000元"), 2,
        at_least=True),
    "one member found for sure is answered and the other named": Says(
        "正安", "老大在读研究生 老二考上正安一中 建档立卡户 分别能补多少",
        ("5700元", "您问了2项", "没有找到对应内容的部分：“老大在读研究生"), 1),
    # (until 0504992 老大初中住校 was the member not found: its own words now find it)
    "both members are answered when the scene drowns one": Says(
        "正安", "老大初中住校 老二考上正安一中 建档立卡户 分别能补多少", ("5700元", "1250元"), 2),
    "a group-only list lists every item of the group": Says(
        "双台子区", "三留守人员有哪些关爱政策", ("留守妇女技能培训", "留守老年人关爱"), 3),
    "a bundle the document names lists its items": Says(
        "盘锦", "健康帮扶三个一批是哪三个",
        ("大病救治一批", "重病兜底一批", "慢病签约服务一批"), 3),
    "a range of school stages lists every stage between": Says(
        "盘锦", "低收入家庭的学生上学 从幼儿园到大学有哪些资助政策",
        ("中等职业教育免除学杂费", "高中资助"), 6, at_least=True),
    "有没有 asks, it does not negate (新生儿 is not 没有新生)": Says(
        "双台子区", "孕前检查免费不 孩子生下来有没有新生儿出生缺陷筛查",
        ("免费孕前优生健康检查", "新生儿出生缺陷和疾病筛查"), 2),
    "这几年 sets the scene, the list cue after it lists": Says(
        "清河", "贫困家庭孩子念小学初中这几年 能享受哪些资助",
        ("义务教育寄宿生生活补助", "义务教育非寄宿生生活补助"), 3, at_least=True),
    "有哪几种 lists the kinds": Says(
        "盘锦", "残疾人每个月能领的补贴有哪几种", ("70元", "55元"), 2, at_least=True),
    "这两个 asks about each thing named before it": Says(
        "双台子区", "困难残疾人生活补贴 重度残疾人护理补贴 我们双台子这两个都有吗",
        ("困难残疾人生活补贴", "重度残疾人护理补贴"), 2, at_least=True, not_says=("您是想问",)),
    "职专 names the 中职 stage": Says(
        "清河", "家里两个孩子一个在村里上幼儿园一个念职专 贫困户 分别能有啥资助",
        ("学前教育入园资助金", "中职助学资金"), 3, at_least=True),
    "an item titled 中等职业教育 is for 中职, not for 考上高中": Says(
        "清河", "孩子考上高中了 学费免不免", ("普通高中免学费",), 1,
        not_says=("您是想问", "免费中等职业教育")),
    "the rate asked is the item's, not the scene's": Says(
        "正安", "散居特困对象入住敬老院 9月底前入住率要达到多少",
        ("1. 敬老院入住率9月底前达85%",)),  # offered first, not the scene's item answered
    "a district named after its city is the district": Says(
        "清河", "我闺女嫁到珠海斗门了 她家是低收入住房困难户 那边改造房子一户补多少",
        ("斗门区", "5万元"), 1),
    "还有没有 asks again, it does not join clauses": Says(
        "清河", "我包的建档立卡户孩子上普通高中了 学费免不免 另外还有没有助学金 给多少",
        ("普通高中免学费", "国家助学金"), 2),
    "回老家 is the documents' 返乡": Says(
        "双台子区", "在南方打了好几年工 现在回老家想自己创业 有培训没", ("1. 返乡农民工创业培训",)),
    "家门口 is the documents' 就地就近": Says(
        "清河", "家门口有没有扶贫的厂子能进去干活", ("1. 就业扶贫车间就地就近就业",)),
    "艾滋 is the documents' 艾滋病": Says(
        "清河", "怀孕了查出来有艾滋，孩子能不能不被传上", ("艾滋病免费筛查、治疗和母婴阻断",), 1,
        not_says=("您是想问", "没有找到")),
    "参合 is the documents' 新农合": Says(
        "正安", "我们屋头是贫困户 参合的钱要自己掏不", ("贫困人口新农合个人缴费资助参合",), 1,
        not_says=("您是想问", "没有找到")),
    "各 asks each member although the question names what (生活补助)": Says(
        "清河", "家里俩娃 大的念初一住校 小的上二年级天天回家 建档立卡户 俩娃的生活补助各给多少",
        ("1250元", "750元"), 2, not_says=("您是想问",)),
    "a part drowned by the scene is read alone beside a part found": Says(
        "清河", "家里突然着了火 房子烧了一半 建档立卡户 能申请临时救助吗 能不能给吃上低保",
        ("临时救助", "农村低保"), 2, not_says=("危房",)),
    "阿伯 is an old man and 嚟探 is come to visit (Cantonese)": Says(
        "斗门", "我哋村入面有个五保户阿伯 过年过节有冇人嚟探佢", ("五保老人节日慰问",), 1,
        not_says=("您是想问", "没有找到")),
    "义工 is a volunteer (Cantonese)": Says(
        "斗门", "我阿婆係五保戶 一個人住 有冇義工上門照顧佢",
        ("1. “邻里计划”志愿者关爱五保老人服务",)),
    "a month in words is the documents' month (六月底 is 6月底)": Says(
        "正安", "散居特困人员 敬老院入住率六月底前要达到多少", ("敬老院入住率6月底前达70%",), 1,
        not_says=("您是想问",)),
    "取消了 asks whether a benefit stops (the documents' 退出, 渐退)": Says(
        "正安", "屋头日子好过点了 低保是不是一下子就给我们取消了", ("农村低保渐退制",)),
    "中考没考上 negates (it is no A-not-A like 考没考)": Says(
        "双台子区", "孙子中考没考上高中 还能念中专不",
        ("保障未升入普通高中的初中毕业生接受中等职业教育",), not_says=("您是想问", "高中资助")),
    "普高 names the high-school stage": Says(
        "斗门", "读普高有哪些资助", ("450元", "500元", "2000元"), 3,
        not_says=("60周岁以上老人",)),
    "two list clauses about one subject list it": Says(
        "斗门", "读普高的低收入家庭学生 能免哪些费用 有啥资助", ("450元", "500元", "2000元"), 3),
    "传染病 names both the AIDS and the TB items": Says(
        "清河", "传染病防治对贫困户有啥政策", ("艾滋病免费筛查、治疗和母婴阻断", "结核病"), 2),
    "除了 X 还有 asks past what it already knows": Says(
        "斗门", "我系单亲妈妈 除咗康乃馨补助之外 仲有冇其他帮扶服务",
        ("“妇工+社工+义工”帮扶服务",), 1, not_says=("1000元",)),
    "门槛 is the home's barrier (无障碍改造), not only a device": Says(
        "正安", "屋头老汉重度残疾 坐轮椅 门槛太高推不出去 政府能不能帮到改",
        ("您是想问", "重度残疾人家居无障碍改造")),
    "哪样 is 什么 in Guizhou": Says(
        "正安", "我屋头幺儿读初中住校 建档立卡户 政府有哪样补助 补好多",
        ("1. <b>义务教育寄宿生生活费补助", "初中每生每年1250元"), 1, at_least=True,
        not_says=("您是想问",)),  # the boarding subsidy first, then the rest for a pupil
    "a by-when question about a task gets the deadline of the task's section": Says(
        "斗门", "残疾人医保补贴和康复救助这项工作什么时候完成",
        ("2017年6月30日前", "医疗卫生保障及残疾人帮扶完成"), 1, not_says=("您是想问",)),
    "哪阵 is 什么时候 in Guizhou": Says(
        "正安", "大病集中救治 哪阵之前要救治完", ("大病患者完成救治销号期限",), 1,
        not_says=("您是想问",)),
    "打工回来 is a returning migrant worker (返乡)": Says(
        "双台子区", "我从南方打工回来了 有没有创业培训", ("返乡农民工创业培训",), 1,
        not_says=("您是想问",)),
    "an enumeration typed with spaces asks each word": Says(
        "盘锦", "低保 特困 孤儿各多少户",
        ("低保户户数人数", "分散特困供养户数人数", "分散孤儿户数人数"), 3, at_least=True,
        not_says=("您是想问",)),
    "... and so does one whose question follows as a word of its own": Says(
        "正安", "低保 特困 残疾人生活补贴 各是好多钱",
        ("农村低保标准", "特困供养金", "困难残疾人生活补贴"), 3, at_least=True),
    "助行器 is an assistive device": Says(
        "正安", "老人腿脚不好 助行器能免费领吗", ("残疾人免费基础型辅助器具",), 1,
        not_says=("您是想问",)),
    "a yes-no question after the scene asks about the scene, not the next question": Says(
        "正安", "我是特困户 村里叫我住进敬老院 可以吗 一个月供养金多少",
        ("特困供养金", "散居特困对象入住敬老院"), 2),
    "停了 asks whether a benefit stops, with or without 给": Says(
        "正安", "找到工作了 低保是不是就停了", ("农村低保渐退制",), 1, not_says=("您是想问",)),
    "a renovated house that leaks again is the repair item": Says(
        "清河", "危房改造后房子漏雨了 有人管吗", ("改造后房屋再次破损及时修缮",), 1,
        not_says=("您是想问",)),
    "谁出 asks who pays (分担)": Says(
        "斗门", "住房改造那五万块谁出", ("住房改造补助资金分担",), 1, not_says=("您是想问",)),
    "a standard asked with words between 标准 and 多少 is the standard": Says(
        "清河", "农村低保标准今年是多少", ("农村低保和特困人员供养标准",), 1,
        not_says=("您是想问",)),
    "慢病 names the medical topic, as 慢性病 does": Says(
        "正安", "慢病病人有哪些帮扶", ("慢病患者家庭医生签约服务", "慢性病年度自付费用上限",
                                   "乡镇卫生院慢特病药品专柜代购药品"), 3, at_least=True),
    "a list of dates whose last runs on (12月底 after 6月、9月) asks each": Says(
        "正安", "敬老院入住率6月、9月、12月底各要达到多少",
        ("6月底前达70%", "9月底前达85%", "12月底前达100%"), 3),
    "不是新识别户 negates the newly identified (the 2万元 item)": Says(
        "清河", "不是新识别户 产业资金给多少", ("已脱贫人口人均注入产业扶贫资金1万元以上",), 1,
        not_says=("2万元",)),
    "精神帮扶 is the spirit's, not a group of mentally ill people": Says(
        "盘锦", "社会帮扶和精神帮扶都干啥", ("定期走访慰问（精神帮扶）", "社会爱心助学、助医、助残",
                                       "党员干部帮扶"), 3),
    "what volunteers do (做些什么服务) is a list": Says(
        "斗门", "义工会为五保老人做些什么服务", ("“邻里计划”志愿者关爱五保老人服务",
                                         "老人活动中心与志愿者送戏、送医活动", "五保老人节日慰问"),
        3, at_least=True),
    "a list question naming a document section lists the section (sections are data)": Says(
        "正安", "东西部劳务协作都有哪些任务",
        ("东西部农村致富带头人培训", "每季度开展1次现场招聘活动", "东西部劳务协作现场招聘会场次",
         "东西部劳务协作输送到上海就业", "组织30名贫困学生到东部就读职业技术学校",
         "各镇组织5名以上贫困劳动力到上海务工"), 6),
    "有哪些 asks for a list whatever follows (今年有哪些任务)": Says(
        "正安", "东西部劳务协作今年有哪些任务",
        ("东西部农村致富带头人培训", "每季度开展1次现场招聘活动"), 6),
    "帮扶工作 is no question about jobs (工作 alone names no topic)": Says(
        "斗门", "区里帮扶工作有哪些时间要求", (), not_says=("低收入家庭劳动力纳入就业创业扶持",)),
    "老疙瘩 (Northeastern: the youngest child) is a member of a family's question": Says(
        "双台子区", "老大读初中住校，老疙瘩念幼儿园，各能补多少",
        ("低保家庭幼儿学前教育助学金", "低保家庭义务教育住宿生生活费补助"), 2),
    "吃低保的 … 多少钱 says who asks, it does not ask to be taken on": Says(
        "正安", "我家吃低保的 现在一个人一年给多少钱", ("农村低保标准",),
        not_says=("1. 低保应保尽保和增发补助金",)),
    "... and 能不能吃低保 still asks to be taken on": Says(
        "正安", "家里穷 能不能吃低保", ("低保应保尽保和增发补助金",), 1, not_says=("您是想问",)),
    "免多少补多少 asks for what is waived and what is paid: the stage's list": Says(
        "斗门", "个仔读高中 一年免多少补多少", ("450元", "500元", "2000元"), 3),
    "a district's section wins over its city's section of the same name": Says(
        "双台子区", "社会帮扶有哪些内容", ("工会金秋助学", "希望工程“圆梦大学”行动"), 8),
    "a section question that also asks about an outside service is declined": Says(
        "斗门", "教育帮扶包括公积金贷款吗", ("没有找到",), not_says=("1. ",)),
    "an item the question already knows is left out of its section": Says(
        "正安", "除了免费配辅助器具以外 残疾人康复保障工程还包括哪些内容",
        ("重度残疾人家居无障碍改造",), 5, not_says=("残疾人免费基础型辅助器具",)),
    "a by-when part beside another question keeps the other part's item": Says(
        "斗门", "残疾人医保补贴是谁出钱 康复救助这块工作的完成时限是什么时候",
        ("残疾人参加医疗保险补贴",), at_least=True),
    "what social forces do for pupils lists the social-help section's school items": Says(
        "双台子区", "工会共青团这些组织 有哪些帮学生上学的活动",
        ("工会金秋助学", "中学“五年资助行动”", "希望工程“圆梦大学”行动"), 3, at_least=True),
    "能享受哪些 at the end asks for a list": Says(
        "盘锦", "我爸是一级残疾，瘫在床上好几年了，家里吃低保，能享受哪些",
        ("70元", "55元"), 2),
    "政府能帮点啥 asks what help there is": Says(
        "清河", "孩子念初中住校，俺家贫困户，政府能帮点啥", ("1250元", "两免一补"), 4,
        at_least=True),
    "有些什么可以享受 asks for a list": Says(
        "斗门", "我是单亲妈妈，有些什么可以享受", ("1000元", "两癌"), 3),
    "members named inside a clause are each answered": Says(
        "清河", "家里儿子读初中住校女儿读小学不住校，一年各补多少钱", ("1250元", "750元"), 2),
    "a giving verb before 啥 asks for a list (能给他落实啥资助)": Says(
        "盘锦", "我帮扶的一户，孩子初中毕业去念中职了，家里是低收入户，能给他落实啥资助？",
        ("中等职业教育免除学杂费", "中职国家助学金"), at_least=True),
    "a year in Chinese digits is the year asked (二〇一七年)": Says(
        "斗门", "住房改造到二〇一七年十二月前要完成百分之几",
        ("<b>住房改造2017年12月前完成30%</b>",), 1,
        not_says=("<b>住房改造2019年12月前完成100%</b>",)),
    "Northeastern 啥前儿 asks when": Says(
        "盘锦", "低保啥前儿开始涨啊", ("<b>7月1日起低保标准提高7%</b>",), 1),
    "能给他啥支持 asks for a list": Says(
        "清河", "有户贫困户想自己搞点养殖，技术上和资金上能给他啥支持？",
        ("农业技术培训和现场技术指导", "产业扶贫资金"), at_least=True),
    "帮佢哋申请啲咩 asks for a list": Says(
        "斗门", "村里有几户单亲特困母亲，可以帮佢哋申请啲咩帮扶",
        ("“康乃馨”爱心扶助", "单亲母亲“妇工+社工+义工”帮扶服务", "“两癌”免费检测"),
        at_least=True),
    "Cantonese 搵份工 is looking for a job": Says(
        "斗门", "屋企困难想搵份工，政府有咩帮到手",
        ("公益性岗位托底安置就业", "“五个一”专项就业服务"), at_least=True),
    "each asking clause decides its part when a shared scene dilutes both": Says(
        "斗门", "阿妈六十五，屋企系低保户，医保个人嗰份政府包唔包？有冇意外保险买",
        ("360元/年", "“银龄安康”老人意外伤害综合保险"), 2),
    "a household's category says who asks when no item of it names the stage": Says(
        "盘锦", "家里低保，孩子在读中职，都能享受什么",
        ("中等职业教育免除学杂费", "中职国家助学金"), at_least=True),
    "幼稚园 is the preschool stage": Says(
        "斗门", "细路由读幼稚园到读完初中 低收入户有咩补贴",
        ("学前教育困难学生生活补助", "小学、初中困难学生生活补助"), 2),
    "a list asked for both sides (农村的城里的) rules neither out": Says(
        "盘锦", "住房这块都有啥政策啊 农村的城里的都说说",
        ("农村低保户、分散供养特困人员优先纳入危房改造", "城镇特殊困难家庭廉租住房租赁补贴"),
        at_least=True),
    "底保 is a typo of 低保 (not inside 兜底保障)": Says(
        "正安", "底保多少钱一年", ("农村低保标准",)),
    "each child's question follows its own clause": Says(
        "清河", "我们家是建档立卡户，小的念小学不住校，能补多少？大的念高中，学费免不免",
        ("义务教育非寄宿生生活补助", "普通高中免学费"), 2),
    "a question after a member just told is that member's": Says(
        "正安", "大的读大学想贷款，一年最多贷得到好多？小的读初中住校，补好多",
        ("生源地信用助学贷款", "义务教育寄宿生生活费补助"), 2),
    "有A又有B enumerates two groups": Says(
        "斗门", "买医保有冇人帮手出钱㗎 屋企有老人又有残疾人",
        ("60周岁以上老人医保个人缴费政府全额资助", "残疾人参加医疗保险补贴"), at_least=True),
    # (the second review: a category denied or heard of says nothing; a category said lists
    # the stage's items, not its own)
    "a category denied adds none of its items": Says(
        "清河", "不是特困户，孩子上幼儿园，有啥补助", ("学前教育入园资助金",),
        not_says=("农村特困人员供养",)),
    "a category heard of adds none of its items": Says(
        "清河", "听说低保户有补助，我家孩子上幼儿园，有啥补助", ("学前教育入园资助金",),
        not_says=("农村最低生活保障",)),
    "a category said with a stage lists the stage's items only": Says(
        "正安", "家里低保，孩子读幼儿园，有什么补贴", ("贫困家庭幼儿学前教育补助",),
        not_says=("普通高中免学费", "困难残疾人生活补贴")),
    "a category said with 幼稚园 lists the preschool aid only": Says(
        "斗门", "家里低保，孩子读幼稚园，有什么补贴", ("学前教育困难学生生活补助",),
        not_says=("低保标准（2014年",)),
    # (the second review: a member's scene, a household question, several members, a stage)
    "a clause between a member and its question is that member's": Says(
        "清河", "女儿读初中，不住校，补多少？儿子读小学住校，能补多少",
        ("义务教育非寄宿生生活补助", "义务教育寄宿生生活补助"), 2,
        not_says=("没有找到对应内容的部分",)),
    "a question of the household after a member clause is the household's": Says(
        "清河", "大的读高中，学费免不免？小的读小学，家里低保每月多少钱",
        ("普通高中免学费", "农村最低生活保障"), 2, not_says=("两免一补",)),
    "several members before one question are each answered": Says(
        "正安", "大的读高中，小的读初中住校，分别补多少？老伴重度残疾，护理补贴多少",
        ("重度残疾人护理补贴", "义务教育寄宿生生活费补助"), at_least=True),
    "no item of another school stage answers a member": Says(
        "正安", "老大不住校，读初中补多少？老二住校，读小学补多少", ("义务教育寄宿生生活费补助",),
        1, not_says=("两助三免",)),
    # (the second review: one side of a pair says who asks; only both sides asked for cancel)
    "城里 said with 脱贫 leaves 农村 items ruled out": Says(
        "清河", "城里住，已脱贫，危房改造能申请吗", ("您是想问",)),
    "县城 said with 脱贫 leaves 农村 items ruled out": Says(
        "正安", "住县城，已经脱贫了，低保渐退怎么算", ("您是想问",)),
    "农村户口 working in 城里 asks for neither side's list": Says(
        "盘锦", "我是农村户口，在城里打工，住房有啥政策",
        (), not_says=("城镇特殊困难家庭廉租住房租赁补贴",)),
    # (the third review: the pupil's family described in the question is no household question;
    # a category denied selects nothing; a conjunction elsewhere joins no pair)
    "家里特困户补多少 after a pupil's clause is the pupil's question": Says(
        "清河", "大的读中职，有啥补助？小的读初中住校，家里特困户补多少？",
        ("义务教育寄宿生生活补助", "免费中等职业教育"), 2, not_says=("农村特困人员供养",)),
    "我家补多少 after a pupil's clause is the pupil's question": Says(
        "正安", "大的读高中，学费免不免？小的读小学，我家补多少？", ("农村义务教育免收学杂费",),
        at_least=True, not_says=("中职",)),
    "a category denied selects nothing in a list": Says(
        "斗门", "唔系低保户，个仔读高中，有咩补助", ("高中（中职、技工）助学金",), 3,
        at_least=True),
    "a conjunction elsewhere joins no pair": Says(
        "盘锦", "我是农村户口，和老伴在城里打工，住房有啥政策",
        (), not_says=("城镇特殊困难家庭廉租住房租赁补贴",)),
    "小买卖 is starting a business": Says(
        "盘锦", "想自己整个小买卖干干，有啥扶持没", ("创业担保贷款",)),
    "Cantonese 大仔 and 细女 are two members": Says(
        "斗门", "大仔读初中，细女读幼稚园，每年各有几多补助", ("1000元", "3000元"), 2),
    "食紧低保 and 嗰份 are read as Mandarin": Says(
        "斗门", "阿嫲食緊低保，過咗60歲有冇多啲", ("20%",), 1),
    "a stage the pupil did not get into is no stage of theirs": Says(
        "清河", "孩子没考上高中，想去读中专，俺家贫困户有啥政策",
        ("免费中等职业教育", "中职助学资金"), at_least=True,
        not_says=("普通高中免学费", "普通高中国家助学金")),
    "a stage named beside a group no item is for lists the stage's items": Says(
        "清河", "闺女今年考上高中了，高中阶段能享受哪些", ("普通高中免学费", "普通高中国家助学金"),
        2, at_least=True),
    "a 低保 household that is also 建档立卡 gets the 建档立卡 items too": Says(
        "正安", "家里是低保户也是建档立卡户，娃儿考上高中了，高中阶段能享受哪些",
        ("两助三免", "普通高中免学费"), 2),
    "a member drowned by the shared scene is found by its own words": Says(
        "正安", "家里两个孩子 我们是建档立卡户 小的在村小住校 大的在正安一中 各补多少",
        ("5700元", "寄宿生生活费补助"), 2),
    "an asking clause does not decide for a story that shares nothing with its item": Says(
        "大洼", "我老婆想去医院做个乳腺检查 免费不", ("没有找到",), 0,
        not_says=("中等职业教育", "学杂费")),
    "a crop named is farming": Says(
        "双台子区", "种水稻想上个保险", ("支持帮扶对象参加农业保险",), 1),
    "政府管不 alone is no evidence for 大病救治": Says(
        "盘山", "家里养的鸭子死了一大片 政府管不", (), not_says=("大病救治一批",)),
    "a group and a stage no item shares list the group's items and the stage's": Says(
        "斗门", "我系单亲妈妈，个女读紧初中，有咩可以攞", ("康乃馨", "3000元"), 4),
    "特困母亲 is no 特困 (五保) household": Says(
        "斗门", "我家五保户，有啥能享受", ("五保",), at_least=True, not_says=("单亲",)),
    "除了低保 leaves out the items that are 低保, not those for 低保户": Says(
        "盘锦", "除了低保以外，低保户还有啥政策", ("优先纳入危房改造", "70元"), at_least=True,
        not_says=("城乡统一低保标准",)),
    "七十几岁 says an age, it asks nothing": Says(
        "斗门", "家里老爷子七十几岁，是低保户，老人有什么福利可以领", ("银龄安康", "20%"), 4,
        at_least=True),
    "阿爷 is the grandfather": Says(
        "斗门", "阿爺有咩福利", ("银龄安康",), 4, at_least=True),
    "a sum told (几千块) is no amount asked: the materials are declined": Says(
        "正安", "我老汉住院花了几千块，合医报销要带哪些材料", ("没有写需要准备的材料",)),
    "发票和材料 are materials": Says(
        "正安", "住院报销要准备哪些发票和材料", ("没有写需要准备的材料",)),
    "the fare is declined where no item covers it": Says(
        "正安", "去上海打工，路费政府给报不", ("没有写路费",), not_says=("💰",)),
    "the fare is answered by the item that covers it": Says(
        "清河", "去培训那几天有啥补助不 管路费不", ("含交通费",), at_least=True,
        not_says=("没有写路费",)),
    "哪些人可以领 X asks who qualifies for X, not for a list": Says(
        "斗门", "哪些人能享受银龄安康保险", ("银龄安康", "适用对象"), 1),
    "额外的保险 is the supplementary insurance": Says(
        "清河", "有没有额外的保险", ("健康保",)),
    "a household that says it is not 建档立卡 gets no 建档立卡 item": Says(
        "正安", "家里是低保户，不是建档立卡户，娃儿考上高中了，高中阶段能享受哪些",
        ("普通高中免学费",), at_least=True, not_says=("两助三免",)),
    "hearsay about 困难家庭 is no claim to be one": Says(
        "正安", "我家低保户，听说困难家庭的娃儿读高中有补助，高中阶段能享受哪些", (),
        not_says=("两助三免",)),
    "有些什么材料要带 asks for the materials": Says(
        "盘锦", "办低保有些什么材料要带", ("没有写需要准备的材料",), not_says=("💰",)),
    "a 特困 household with a mother is no single mother's": Says(
        "斗门", "我们家特困，妈妈瘫痪在床，有啥能享受", (), not_says=("康乃馨", "单亲")),
    "哥哥 and 弟弟 inside a clause are members": Says(
        "清河", "家里哥哥读初中住校弟弟读小学不住校，一年各补多少钱", ("1250元", "750元"), 2),
    "高中没考上 (stage first) is no stage of the pupil's": Says(
        "清河", "孩子高中没考上，想去读中专，俺家贫困户有啥政策", ("中职助学资金",),
        at_least=True, not_says=("普通高中免学费", "普通高中国家助学金")),
    "有哪几档 lists the tiers": Says(
        "清河", "产业扶贫资金人均注入有哪几档标准", ("2万元", "1万元"), 2, at_least=True),
}


# A list the facets chose one item for grows only when that item is the ranking's first
# (832a776 compared with 0 otherwise: every item ranked after it was added, the chosen one
# twice, the first of the ranking left out). The reply shows each item once whatever the
# list holds, so this looks at the answer itself.
GROWN_LISTS = [("zhengan", "屋头有个精神病人，时好时坏，有时住院有时在屋头吃药，有啥子补助"),
               ("zhengan", "敬老院入住率9月都有哪些"),
               ("shuangtaizi", "农民工转移就业培训这块儿都有啥")]


@pytest.mark.parametrize(("region", "question"), GROWN_LISTS)
def test_a_grown_list_states_each_item_once(kb: object, matcher: object, region: str,
                                            question: str) -> None:
    from knowledge.loader import KnowledgeBase

    assert isinstance(kb, KnowledgeBase) and isinstance(matcher, Matcher)
    ids = [s.entry.id for s in answer(question, region_id=region, kb=kb, matcher=matcher).items]
    assert ids and len(ids) == len(set(ids)), ids


@pytest.mark.parametrize("name", list(PHRASINGS))
async def test_a_phrasing_the_blind_dev_sets_found_gets_its_reply(chat: OfflineChat,
                                                                  name: str) -> None:
    case = PHRASINGS[name]
    await in_region(chat, case.region)
    reply = texts(await chat.send(case.question))
    assert reply.strip(), "no reply"  # a says=() case must not pass on silence
    assert all(s in reply for s in case.says), reply
    assert not any(s in reply for s in case.not_says), reply
    if case.citations is not None:
        found = citations(reply)
        assert found >= case.citations if case.at_least else found == case.citations, reply
    assert_telegram_html(reply)


# A verb of giving (提供, 给, 落实, 争取) before 什么/啥 asks for a list only when a thing given
# follows: these ask for a time, a person, a condition or a paper (review of 2026-12-07, late:
# each got a list of up to ten items with their figures)
NOT_LISTS = [("盘锦", "低保会给什么时候发"), ("清河", "申请助学贷款要提供什么，能贷多少"),
             ("清河", "医疗救助争取什么时候到位"), ("清河", "申请助学金要落实什么条件"),
             ("盘锦", "办残疾证要提供什么证明"), ("盘锦", "能提供什么证明才能申请低保"),
             ("盘锦", "低保可以给什么样的家庭"), ("盘锦", "残疾人补贴可以给什么人"),
             ("盘锦", "低保申请了多久能给什么答复"), ("正安", "医疗救助能给什么人报销"),
             ("双台子", "低保金会给什么时候打卡上")]


@pytest.mark.parametrize(("region", "question"), NOT_LISTS)
async def test_a_giving_verb_asking_when_who_or_which_paper_gets_no_list(
        chat: OfflineChat, region: str, question: str) -> None:
    await in_region(chat, region)
    reply = texts(await chat.send(question))
    assert reply.strip() and "适用的相关政策共" not in reply, reply


async def test_a_money_question_is_not_answered_with_a_count(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")  # the document counts 五保 people and gives no allowance
    reply = texts(await chat.send("五保户每个月供养金有几多"))
    assert citations(reply) == 0 and ("没有找到" in reply or "您是想问" in reply), reply


async def test_a_near_miss_is_offered_and_a_question_of_nothing_is_declined(
        chat: OfflineChat) -> None:
    await in_region(chat, "斗门")  # the subsidy scores 0.23: under a direct answer's floor
    replies = await chat.send("种果树买种苗化肥能补助吗，一年上限多少")
    reply = texts(replies)
    assert reply.startswith("您是想问") and "1. 农业产业资金补助" in reply, reply
    assert replies[-1]["reply_markup"]["inline_keyboard"]
    reply = texts(await chat.send("五保户每个月供养金有几多"))  # 五保人数 0.22, then 0.11
    assert "1. 五保人数" in reply and "2. " not in reply, reply  # not the ranking's tail
    reply = texts(await chat.send("今天天气怎么样"))
    assert "没有找到" in reply and "您是想问" not in reply, reply
    await in_region(chat, "正安")  # near an item only through the place's name
    reply = texts(await chat.send("明天正安下雨吗"))
    assert "没有找到" in reply and "您是想问" not in reply, reply


async def test_a_place_named_in_passing_keeps_the_asker_region(chat: OfflineChat) -> None:
    await in_region(chat, "正安")  # where the children work, not what is asked about
    reply = texts(await chat.send("我今年七十二了跟老伴两个吃低保 娃儿们都在广东 "
                                  "农村低保现在一年一个人好多钱哦 今年涨了莫得"))
    assert "农村低保标准" in reply and "广东" not in reply, reply
    reply = texts(await chat.send("我有个亲戚在湄潭县 是特困户 那边特困供养标准是多少"))
    assert "暂时没有<b>湄潭县</b>的帮扶政策文件" in reply, reply  # 那边: asked about there
    await in_region(chat, "盘锦")  # where the son studied (从…那边…毕业), not what is asked
    reply = texts(await chat.send("儿子从沈阳那边大学毕业了，家里是低保，能给安排工作不？"
                                  "想自己创业能贷款不"))
    assert "低收入家庭高校毕业生就业安置" in reply and "创业担保贷款" in reply, reply
    reply = texts(await chat.send("儿子在沈阳那边打工，那边低保多少"))
    assert "暂时没有<b>沈阳市</b>的帮扶政策文件" in reply, reply  # 那边 asks about there
    for there, name in [("我妈在铁岭县那边，低保一个月多少钱", "铁岭县"),  # (the review's)
                        ("我在沈阳那里生活，低保标准多少", "沈阳市"),
                        ("老人在银州区那边生活，低保多少", "银州区")]:
        reply = texts(await chat.send(there))  # 在…那边 (not 从): asked about there
        assert f"暂时没有<b>{name}</b>的帮扶政策文件" in reply and "650" not in reply, reply
    # (the third review) where someone lives is where the question is about; where someone works
    # is not, 那边 or not, nor where they moved from
    reply = texts(await chat.send("我妈在铁岭县住了好多年 低保多少"))
    assert "暂时没有<b>铁岭县</b>的帮扶政策文件" in reply, reply
    for passing in ("儿子在沈阳那边打工 家里低保多少", "从铁岭县搬过来了 现在低保多少"):
        reply = texts(await chat.send(passing))
        assert "暂时没有" not in reply and "帮扶政策文件" not in reply, reply


async def test_a_loan_the_region_does_not_have_is_declined(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("个仔读大学 生源地助学贷款点样办理"))
    assert "没有找到" in reply and "元" not in reply.split("没有找到")[0]


async def test_a_practical_detail_no_document_gives_is_declined_with_its_item(
        chat: OfflineChat) -> None:
    await in_region(chat, "清河")
    replies = await chat.send("临时救助申请了几天能批")
    reply = texts(replies)
    assert "没有写办理时限" in reply and "相关的政策是：<b>临时救助</b>" in reply
    assert "区民政局咨询" in reply and citations(reply) == 1
    assert "怎么申请" not in reply  # no answer card ...
    assert not any(m.get("reply_markup") for m in replies)  # ... and no vote buttons


@pytest.mark.parametrize(("region", "question", "detail"), [
    ("正安", "残疾人生活补贴每个月几号发到卡上", "发放日期"),
    ("盘锦", "廉租房补贴申请表在哪下载", "申请表格"),
    ("盘锦", "医保个人账户余额怎么查", "查询办法"),
    ("斗门", "住房改造完了验收要多长时间", "办理时限"),
    ("正安", "易地搬迁的新房子什么时候交房", "交房（拿钥匙）的日期"),
    ("盘锦", "公租房去哪报名 要准备啥材料", "办理地点、需要准备的材料"),
    ("斗门", "低收入认定喺边度办 要咩手续", "办理地点、需要准备的材料"),
    ("清河", "招聘信息微信群号多少 咋进群", "联系的微信群"),
    ("盘锦", "走亲戚活动的干部下回啥时候来俺家", "下次上门的日期"),
    ("盘锦", "公租房排号得排多长时间能排上", "办理时限"),
    ("正安", "易地搬迁的安置房好多平方 哪阵分房", "房屋面积"),
    ("双台子", "电商培训啥时候开班 上哪报名", "办理地点、开班日期"),
])
async def test_more_practical_details_are_declined_without_a_figure(
        chat: OfflineChat, region: str, question: str, detail: str) -> None:
    await in_region(chat, region)
    reply = texts(await chat.send(question))
    assert f"没有写{detail}" in reply, reply
    assert "元" not in reply, reply


@pytest.mark.parametrize(("region", "question", "year", "document_year"), [
    ("盘锦", "2021年盘锦的低保标准是多少", 2021, 2019),
    ("斗门", "2019年斗门低保标准是多少", 2019, 2017),  # it gives 2014-2016's
])
async def test_a_year_the_document_does_not_give_is_said_plainly(
        chat: OfflineChat, region: str, question: str, year: int, document_year: int) -> None:
    await in_region(chat, region)
    reply = texts(await chat.send(question))
    assert f"没有写{year}年的标准和金额" in reply, reply
    assert f"，{document_year}年" in reply and citations(reply) == 1, reply  # the item it has


async def test_cantonese_for_finding_no_work_asks_about_the_job_items(chat: OfflineChat) -> None:
    await in_region(chat, "斗门")
    reply = texts(await chat.send("屋企冇人开工 揾唔到嘢做 政府有冇得安排"))
    assert "您是想问" in reply and reply.index("公益性岗位") < reply.index("因病、因灾返贫")


def test_a_standard_is_asked_with_words_of_time_or_person_between_only() -> None:
    from knowledge.intent import kinds_asked
    from knowledge.schema import Kind

    assert Kind.STANDARD in kinds_asked("农村低保标准现在多少钱")
    assert Kind.STANDARD in kinds_asked("低保标准一个人是多少")
    assert Kind.STANDARD not in kinds_asked("符合低保标准的补多少")


def test_the_situation_reader_hears_care_illness_and_ages_in_words() -> None:
    from knowledge.situation import read_situation

    member = read_situation("老伴瘫痪在床离不开人 还有高血压", "panjin").members[0]
    assert member.needs_long_term_care and member.chronic_disease and not member.major_illness
    assert read_situation("孩子得了白血病", "panjin").members[0].major_illness
    assert read_situation("我妈七十多了", "panjin").members[0].age == 71  # over 70
    assert read_situation("我妈七十了", "panjin").members[0].age == 70
    assert not read_situation("不是大病，是高血压", "panjin").members[0].major_illness
    assert read_situation("老人65岁", "panjin").members[0].age == 65
    plain = read_situation("孩子上初中住校", "panjin").members[0]
    assert plain.age is None and plain.needs_long_term_care is None and plain.major_illness is None
