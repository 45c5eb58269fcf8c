"""Scope guard: questions that share words with an item but ask about something no item is.

Three kinds, all answered with the honest "没有找到" rather than the nearest item:
- an errand about a card or certificate itself (医保卡丢了怎么补办, 残疾证怎么办理): the
  items are benefits, and 医保 or 残疾 alone does not make the premium subsidy the answer;
- a benefit named by a word only other regions' documents use (Matcher.foreign_benefit);
- a public service outside the programmes (住房公积金, 驾照: synonyms.yaml `outside`).

And a fourth, answered "文件里没有写" with the item it is about: a practical detail of getting an
item that policy documents do not give (`practical_detail`: a phone number or a WeChat group,
where to go, office hours, a website, the papers to bring, a form to download, how long an
approval, an inspection, a payment or a queue takes, the day a payment arrives, how to look up
a balance or a result, how a claim is made, a new home's size or handover, when a course
starts, when a cadre comes next).
"""

from __future__ import annotations

import re

from knowledge.intent import STANDARD_CUES, asks_amount
from knowledge.matcher import Matcher
from knowledge.schema import Item

# <thing>证/卡/本 + (lost) + (how/where) + an errand verb: the question is about the card
_ERRAND = re.compile(r"([^\W\d]{1,3}(?:证|卡|证件|存折|执照|户口本))"
                     r"(?:丢了|掉了|坏了|过期了|过期|没了|找不到了|找不着了|不见了)?"
                     r"(?:要|该|得)?(?:怎么|怎样|如何|咋|去哪里|去哪儿|去哪|在哪里|在哪儿|在哪|到哪里|到哪)?"
                     r"(?:补办|补领|挂失|办理|换|激活|办|领|申领)")


def errand_object(text: str) -> str | None:
    """The card or certificate a question asks to get, replace or renew (None if none)."""
    found = _ERRAND.search(text)
    return found.group(1) if found else None


def out_of_scope(text: str, region: str, matcher: Matcher) -> str | None:
    """What makes the question one no item of the region answers (None: it may be answered)."""
    card = errand_object(text)
    if card is not None and not matcher.names_mention(region, card[-3:]):
        return card
    return matcher.foreign_benefit(text, region) or outside_topic(text, region, matcher)


def outside_topic(text: str, region: str, matcher: Matcher) -> str | None:
    """A public service outside the programmes that the question is about (公积金贷款最多能贷
    多少) and no item of the region names (synonyms.yaml `outside`)."""
    return next((t.word for t in matcher.kb.synonyms.outside
                 if t.word in text and not matcher.mentions(region, t.word)), None)


PLACE = "办理地点"
FARE = "路费（车票）"
# The practical details no seed document gives (none has 电话, 网站, 工作日, a list of papers
# or a processing time), each with the words that ask for it, in normalised Mandarin (咩 and
# 几时 arrive as 什么 and 什么时候).
_DETAILS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("联系电话", re.compile(r"(?:联系|咨询|办公|服务)?电话(?:是|号码|号)?(?:多少|几号|是什么|是啥)?"
                        r"|打(?:哪个|什么|啥|哪)?(?:电话|热线)|联系方式|热线|手机号")),
    ("联系的微信群", re.compile(r"(?:微信)?群号(?:码)?(?:是)?(?:多少)?|微信号|微信群|进群"
                          r"|(?<![增追参])加群")),  # not 增加群众
    (PLACE, re.compile(  # 去哪申请, 在哪个窗口交, 喺边度买 (not 上哪看招工信息: items say)
        r"(?:去|到|在|上)(?:哪个|哪家|哪里|哪儿|哪)(?:医院|窗口|办公室|部门|单位|地方|网点|银行|卫生院)?"
        r"(?:办理|办|申请|报名|交|缴|买|领|补办|补|做|开)"
        r"|(?:办公|办事)?地址|办公地点|在哪(?:儿|里)?办公|哪栋楼|几楼")),
    ("办公时间", re.compile(r"几点(?:开门|上班|下班|关门|办公)|(?:上班|办公|开门|营业)时间"
                        r"|周末(?:上班|开门|办公|能办)")),
    ("网上办理的网址", re.compile(r"网站|网址|(?:网上|线上|手机上|微信上)"
                           r"(?:申请|办理|办|报名|提交|填|交|缴)|[Aa][Pp][Pp]|小程序|公众号")),
    ("需要准备的材料", re.compile(r"(?:(?:准备|带|提交|交|需要|要)(?:些|点)?(?:什么|啥|哪些|哪样)?"
                           r"|(?:些什么|什么|啥|哪些))"  # (办低保有些什么材料要带)
                           r"(?:(?:票据|发票|单据)(?:和|、|跟))?(?:材料|资料|手续|证件|单据|票据)")),
    ("办理时限（要等多久）", re.compile(
        r"(?:几天|多少天|几个月|多久|多长时间|多少时间|什么时候)(?:才|就|能|可以|会|才能)*"
        r"(?:批|审批|批准|到账|到手|办好|办完|办下来|分到|打到|发到|打款)"
        r"|(?<!安)排(?:队|号)?(?:要|得)?排?(?:多久|多长时间|几天|几年|几个月)"  # not 安排
        r"|要?等(?:多久|多长时间|几天|几个月)"
        r"|(?:审批|审核|验收|批下来|办下来|办好|办完)(?:要|需要|得|大概|一般)*"
        r"(?:多久|多长时间|多少时间|几天|多少天|几个月)")),
    ("发放日期", re.compile(r"(?:几号|哪天|哪一天|哪日)(?:才|就|能|会)*(?:发|打|到账|到卡)"
                        r"|(?:发|打)到(?:卡|折|存折|银行卡)上|到账")),
    ("申请表格", re.compile(r"申请表|表格|(?:在哪|去哪|哪里|哪儿)(?:下载|打印)|下载")),
    ("查询办法", re.compile(r"余额|(?:查询|查)(?:进度|结果)")),
    ("理赔办法", re.compile(r"理赔|报案")),
    ("交房（拿钥匙）的日期", re.compile(r"钥匙|交房")),  # 易地搬迁的房子多久分钥匙
    (FARE, re.compile(r"路费|车费|车票|路上的钱|来回的?车钱")),
    ("房屋面积", re.compile(r"(?:多少|几|多大)(?:个)?(?:平方|平米|面积)|面积(?:多大|多少)")),
    ("开班日期", re.compile(r"(?:什么时候|几号|哪天)(?:开班|开课)")),
    ("下次上门的日期", re.compile(r"(?:下回|下次|下趟|啥时候再|什么时候再)(?:什么时候|哪天|几号)?"
                           r"(?:来|到|上门|过来)")),
)
# 几 that tells a rough number (几千块, 七十几岁), asking nothing
_SOME = re.compile(r"几(?=[十百千万])|[十百千万]几")
# What else a question may ask, which the item answers: then it is answered, not declined.
_OTHER_ASKS = re.compile(r"能不能|能否|可不可以|可以.{0,6}吗|有没有|给不给|是不是|条件|标准|"
                         r"哪些人|谁能|什么人|够不够")


# Where an item's own words send people (综合救助窗口, 乡镇卫生院慢特病药品专柜): then
# 在哪个窗口申请 is answered by the item, not declined
_PLACE_WORDS = re.compile(r"窗口|卫生院|医院|服务中心|服务站|专柜|办事大厅|村委会|居委会|便民")


# ... and the words with which an item covers the fare (培训期间生活费补贴（含交通费）)
_FARE_WORDS = re.compile(r"交通费|路费|车费|交通补贴")
_ANSWERED_BY = {PLACE: _PLACE_WORDS, FARE: _FARE_WORDS}


def answers_detail(item: Item, detail: str) -> bool:
    """The item's own text gives the only detail asked (a place to go, the fare)."""
    words = _ANSWERED_BY.get(detail)
    return words is not None and words.search(item.wording) is not None


def practical_detail(text: str) -> str | None:
    """The practical detail a question asks for and no document gives ("联系电话"), when that
    is all it asks; None when it asks nothing of the kind or also asks what an item says
    (an amount, who qualifies, whether one can)."""
    asked = [(name, found) for name, pattern in _DETAILS
             if (found := pattern.search(text)) is not None]
    if not asked:
        return None
    rest = text
    for _, found in asked:
        rest = rest.replace(found.group(0), "，")
    rest = _SOME.sub("", rest)  # 住院花了几千块: a sum told, not asked
    if asks_amount(rest) or any(c in rest for c in STANDARD_CUES) or _OTHER_ASKS.search(rest):
        return None
    return "、".join(name for name, _ in asked)
