"""What a question asks for: an amount, a date, a frequency, a count, a list, several things.

Every function reads normalised Mandarin (dialect phrases already rewritten by
knowledge/dialects.py), so 几多/好多 arrive here as 多少 and 几时 as 什么时候.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.schema import Kind
from knowledge.text import numeral_value

# 多少 asks for a figure; the amount the reply must state, or say the document does not give.
AMOUNT_CUES = ("多少", "多钱", "几块", "几千", "几百", "几万", "金额", "给几", "补几", "几个钱",
               "百分之几", "几成", "比例")
# Dates and frequencies: the questions `deadline` items answer.
WHEN_CUES = ("什么时候", "啥时候", "何时", "哪天", "几号", "几月", "截止", "期限", "之前完成",
             "前完成", "时限", "哪一年", "哪年", "什么时间", "啥时", "多会儿", "前弄完", "前搞完",
             "前办完", "前完成", "底前", "月底", "年底")
OFTEN_CUES = ("多久", "多长时间", "多少时间", "几次", "一次", "频次", "每隔", "隔多久", "几天",
              "每季度", "每月", "每年几", "定期", "常态化", "开会", "召开")
# Counts, shares and targets a supervisor asks: the questions `figure` items answer.
COUNT_CUES = ("多少户", "多少人", "几户", "几个人", "几人", "人数", "户数", "几成", "占比",
              "百分之几", "覆盖率", "入住率", "参合率", "签约率", "就业率", "准确率", "处理率",
              "硬化率", "目标", "任务", "计划", "多少家", "多少名", "多少个村", "多少期", "几期",
              "多少场", "几场", "几家", "完成多少", "完成几", "要达到", "达到多少", "达到百分",
              "指标", "量化", "任务数")
# ... and a count asked by its noun: 残疾人有多少, 已脱贫人口一共有多少, 培训多少贫困劳动力
# (not 每人多少 or 一个人多少钱, which ask for money per head)
_PEOPLE = r"(?:人口|户|人|劳动力|群众|家庭|村|学生|对象|老人|患者)"
_COUNT = re.compile(r"(?<![每个])(" + _PEOPLE + r")数?(?:一共|总共|共|总)?有?"
                    r"(?:多少|几)(?![钱元块])"
                    r"|多少(?:个|名)?((?:贫困|低收入|困难|建档立卡)?" + _PEOPLE + ")")
COUNTED_BEFORE = 2  # characters before the counted noun that say what is counted (残疾|人)
STANDARD_CUES = ("标准是", "标准多少", "收入线", "保障线", "提高到", "涨到", "涨多少", "提高多少",
                 "涨了", "提高了", "上调", "调到", "调了", "涨不涨", "提高没")
# ... and a standard asked with words between (低保标准现在多少钱, 标准一个月是多少)
# (not 符合低保标准的补多少)
_STANDARD_ASKED = re.compile(r"标准(?:现在|目前|今年|一个人|每人|每个人|一个月|每月|每个月|一年|"
                             r"每年|到底|大概|是)+(?:多少|几多|好多)")

# 有什么可以领, 有啥能享受: what there is to get (a list cue, see _LIST)
_WHAT_TO_GET_RE = r"有(?:些什么|什么|啥)(?:能|可以)(?:享受|得到|领|拿|申请)"
# "What is there for X": the reply lists every item for the group or topic.
# A list needs a plural or a question word: 能拿补贴吗 asks about one thing, 能拿哪些补贴 about
# all of them; so does what is done (志愿者搞什么活动, 干啥工作), not what one must do (要做什么).
_LIST = re.compile(r"(都怎么办|都怎么弄|都怎么搞|"
                   r"(?:搞|做|干|开展|举办|组织)些?(?:什么|啥)(?=活动|服务|项目|帮扶|工作|事)|"
                   r"都(?!有|是|能|可以|要|需|得|在|叫)[^\W\d]{1,2}(?:些|哪些)?什么|"
                   r"都有什么|都有些什么|都有啥|都有|有哪些|哪些|" + _WHAT_TO_GET_RE +
                   r"|有些什么|有些|有什么|有啥|都能|有哪几[种类项档样]|有哪几|哪几|[有分]几[种类]|多少种|都(?:说|讲)(?:一下|一哈|说|讲)|说全|一样一样|一条一?条|一个一个|一项一项|(?:逐项|逐一|挨个)(?=说|讲|列|介绍)|"
                   r"全部(?!完成|完|办完|做完|搞完|弄完|到位|实现|覆盖|脱贫)|所有|(?:能|可以)(?:享受|得到|领|拿|申请)(?:些|到)?(?:什么|啥|哪些|哪)|"
                   # 政府能帮点什么: what help there is
                   r"(?:能|可以)帮(?:我们|我|俺们|俺|咱们|咱)?(?:一些|一点|些|点)?(?:什么|啥))")
# 能给他落实啥资助, 能提供什么帮助, 能给他啥支持, 帮他们申请些什么帮扶: what is given, when what
# follows is a thing given (not 提供什么材料, 会给什么时候, 可以给什么人, 落实什么条件), or when
# some (点, 些) ends the clause (金融方面能给帮扶对象提供点啥？; not 要提供什么，能贷多少)
_GIVING = re.compile(r"(?:落实|提供|争取|给予|(?:能|可以|会)给(?:他们|她们|他|她|我们|我|俺们|俺|"
                     r"咱们|咱)?|申请(?=一些|些|点))(?:一些|一点|些|点)?(?:什么|啥)"
                     r"(?!时候|时间|样|人|条件|要求|材料|证明|证件|手续|资料|答复|文件|地方)")
LIST_OBJECTS = ("帮扶", "优惠", "政策", "补助", "补贴", "资助", "待遇", "扶持", "照顾", "好处",
                "福利", "救助", "服务", "项目", "帮助", "保障", "支持", "措施", "关爱", "关怀",
                "慰问", "优待", "东西", "钱", "办法", "补偿", "报销", "减免", "免费", "路子",
                "门路", "渠道", "形式", "活动", "举措", "机会", "安排")
_ALWAYS_LIST = ("说全", "全部", "所有", "哪些", "有哪些", "哪几", "有哪几", "都怎么办", "都怎么弄",
                "都怎么搞", "都有啥",  # (as 都有什么: 治病这块国家都有啥兜着)
                # one by one: 一样一样讲讲, 一条条说, 挨个说说
                "一样一样", "一条条", "一条一条", "一个一个", "一项一项", "逐项", "逐一", "挨个",
                # (挨个 and 逐一 only before 说/讲/列: 一户一户挨个鉴定 is how the work is done)
                "有几种", "有几类", "分几种", "分几类",  # 临时救助有几种: its kinds
                "都说一下", "都说一哈", "都说说", "都讲一下", "都讲一哈", "都讲讲",  # tell them all
                *(f"有哪几{kind}" for kind in "种类项档样"))  # 补贴有哪几种: its kinds
# 哪些人 / 哪些家庭 + a verb of getting: who qualifies
_WHO_QUALIFIES = re.compile(r"(?:人|家庭|对象|户|群体)(?:可以|能|才能|能够)?"
                            r"(?:领|享受|申请|拿|办|得到)")
_WHAT_TO_GET = re.compile(_WHAT_TO_GET_RE)
_SOME_OF = re.compile(r"[些点](?:什么|啥)$")
_CLAUSE_END = re.compile(r"(?:呢|呀|啊|嘞|哦)?(?:[\s,，。.?？!！;；]|$)")
LIST_OBJECT_BEFORE = 4  # characters before a list cue where what is listed may stand
_BARE_END = re.compile(r"(什么|啥|哪些)(呢|呀|啊)?$")  # 低保户都能享受啥

# 各 / 分别 / 都: the user wants every part answered, not one of them.
EACH_CUES = ("各", "分别", "都能", "都可以", "都有", "各自", "每个", "一共", "加起来")


def asks_amount(text: str) -> bool:
    """The question asks how much (money, a rate or a count)."""
    return any(c in text for c in AMOUNT_CUES)


# Words of a how-much question about money (补多少, 给多少钱, 报多少), not a count (多少户).
MONEY_CUES = ("钱", "元", "块", "补", "给", "资助", "报", "交", "领", "发", "贷", "免", "金")
MONEY_UNITS = ("元", "%", "倍")


# 每月多少, 每月能给多少: an amount by the month, not how often (每月几次, 每月多少次, 每月
# 多少号, 每月28日前); 几多/好多 arrive here as 多少
_PER_AMOUNT = re.compile(r"每个?月(?:每人|每个人|一个人|一人)?(?:能|可以|会)?(?:给|补|发|领|拿|有)?"
                         r"(?=多少(?!次|回|号|天|人|户|个|场|期|项|活动)|几百|几千|几块)")


def asks_money(text: str) -> bool:
    """The question asks how much money (or what share of it) someone gets or pays."""
    return asks_amount(text) and (any(c in text for c in MONEY_CUES)
                                  or _PER_AMOUNT.search(text) is not None) \
        and not asks_count(text)


def gives_no_amount(text: str, units: list[str]) -> bool:
    """The question asks how much and the item (with amounts in these units) does not say:
    no figure at all, or only counts (90个贫困村) when money was asked."""
    if not asks_amount(text):
        return False
    if asks_money(text):
        return not any(u in unit for unit in units for u in MONEY_UNITS)
    return not units


# A date or time limit in an item's own words (3月20日前, 年底, 每季度, 2017年6月底之前, 15个工作日,
# 三年内, 不超过12个月, 十三五期间); a bare 2020年 is the plan's year, not a date to act by
_DATED = re.compile(r"\d+月|\d+日|[月年]底|季度|每[年月周季天]|[之以]前|前完成|[上下]半年|"
                    r"\d+个?工作日|\d+天内|\d+个月|[一二三四五两\d]年(?:内|时间)|当年|期间")


_DOCUMENT_NUMBER = re.compile(r"几号(?:文件|文)")  # 低保标准是几号文件定的: which document


def asks_date(text: str) -> bool:
    """The question asks on which date, or by when (什么时候, 几号, 截止, 月底前)."""
    text = _DOCUMENT_NUMBER.sub("", text)
    return any(c in text for c in WHEN_CUES)


def gives_no_date(text: str, wording: str, scheduled: bool) -> bool:
    """The question asks by when and the item gives no date: no schedule, and none in its own
    words (summary, quote, how to apply)."""
    return asks_date(text) and not scheduled and _DATED.search(wording) is None


def asks_count(text: str) -> bool:
    """The question asks how many (households, people), what share, or a target."""
    return any(c in text for c in COUNT_CUES) or _COUNT.search(text) is not None


def counted(text: str) -> str:
    """What a count question counts, in its own words ('' if it is not one): 残疾人 in
    低收入群体里残疾人有多少, 贫困劳动力 in 培训多少贫困劳动力."""
    found = _COUNT.search(text)
    if found is None:
        return ""
    if found.group(1):
        return text[max(0, found.start() - COUNTED_BEFORE):found.end(1)]
    return found.group(2)


def kinds_asked(text: str) -> set[Kind]:
    """The item kinds the question's wording points at (figures, dates, standards)."""
    kinds: set[Kind] = set()
    if asks_count(text):
        kinds.add(Kind.FIGURE)
    often = _PER_AMOUNT.sub("", text)  # (每月多少 is an amount, not how often)
    if any(c in text for c in WHEN_CUES) or any(c in often for c in OFTEN_CUES):
        kinds.add(Kind.DEADLINE)
    if any(c in text for c in STANDARD_CUES) or _STANDARD_ASKED.search(text):
        kinds.add(Kind.STANDARD)
    return kinds


# Two amounts asked of one subject: 读中职一年能免多少补多少 asks for what is waived and what is
# paid, i.e. the subject's items
_TWO_AMOUNTS = re.compile(r"([免补给发报减])多少钱?[，,、和]?(?!\1)[免补给发报减]多少")


# How many things there are, and each of them: 就业这块的几个百分比目标各是多少
# (not 这几个补贴分别是多少钱: those named, each)
_SEVERAL_EACH = re.compile(r"(?<![这那])(?:几个|几项|几条|几种|几类)[^\s,，。？?]{0,10}(?:各|分别)")


def asks_list(text: str) -> bool:
    """The question asks what there is for someone (都有啥帮扶, 读高中有什么资助)."""
    if _TWO_AMOUNTS.search(text) or _SEVERAL_EACH.search(text):
        return True
    for found in _GIVING.finditer(text):
        rest = text[found.end():]
        if any(o in rest[:6] for o in LIST_OBJECTS) or (
                _SOME_OF.search(found.group(0)) and _CLAUSE_END.match(rest)):
            return True
    for found in _LIST.finditer(text):
        rest = text[found.end():]
        if found.group(1).endswith("哪些") and _WHO_QUALIFIES.match(rest):
            continue  # 哪些人可以领康乃馨补助: who may have the one item, not a list of items
        if (found.group(1) in _ALWAYS_LIST or found.group(1).endswith(("什么", "哪些"))
                or _WHAT_TO_GET.fullmatch(found.group(1))
                or any(o in rest[:6] for o in LIST_OBJECTS)
                or (len(rest) <= 6 and _BARE_END.search(rest))):
            return True
        # 高中阶段的资助政策有哪些，普高和中职都算: the things listed come before the cue,
        # which ends its clause (not 补贴有什么要求)
        if _CLAUSE_END.match(rest) and any(o in text[max(0, found.start() - LIST_OBJECT_BEFORE):
                                                     found.start()] for o in LIST_OBJECTS):
            return True
    return False


# 分别 / 各 alone: an enumeration asked member by member (住院的和在家治疗的分别有什么补助)
BY_MEMBER_CUES = ("分别", "各")


def asks_by_member(text: str) -> bool:
    """The question asks its enumeration's members one by one (分别, 各), not for one list."""
    return any(c in text for c in BY_MEMBER_CUES)


def wants_each(text: str) -> bool:
    """The question says it wants every part (各多少, 分别是, 都能领不)."""
    return any(c in text for c in EACH_CUES)


# A clause that asks something, as opposed to one that only sets the scene (孩子在读高中).
_QUESTION_CLAUSE = re.compile(
    r"(多少|几|吗|么|嘛|什么|怎么|咋|哪|谁|能不能|有没有|是不是|要不要|用不用|可不可以|行不行|"
    r"是否|如何|可否|给不给|免不免|补不补|够不够|算不算|有无|多久|多长|何时|\?|？|"
    r"[能可会要有免补领给算交报]不$|没有$|不$|没$|"
    r"([^\W\d不没])[不没]\2)")  # A-not-A: 出不出, 涨不涨, 管不管, 帮不帮


# Question words that ask nothing here: 这几年, 前几天, 好几个, 这么多, 那么远
_NOT_ASKING = re.compile(r"[这那前后头好十百千万]几|[这那]么")  # (七十几岁: some, not how many)
# 什么 as "anything" before a negation: 眼睛什么也看不清了, 啥都干不了, 什么都没有
_INDEFINITE = re.compile(r"(?<![为凭干])(?:什么|啥)[也都](?=[^\W\d]{0,2}[不没])")  # (not 为什么都)


def without_indefinites(text: str) -> str:
    """The text without 什么也/啥都 … 不 (nothing, anything), which asks nothing."""
    return _INDEFINITE.sub("", text)


def is_question_clause(clause: str) -> bool:
    """The clause asks something (it has a question word or ends like a question)."""
    return _QUESTION_CLAUSE.search(_NOT_ASKING.sub("", without_indefinites(clause))) is not None


# A date whose duties a supervisor asks for (6月底之前必须完成的有哪几项, 2017年3月底前要上报哪些
# 方案, 上半年有哪几个时间节点, 镇农办每个月要做的事有哪些): a month (and year) before 前, a half
# year, or a recurrence; only with a word of a duty (完成, 上报, 节点 …) and no word of a benefit
# (补贴, 资助, 钱 …): 残疾人每个月有哪些补贴 and 孩子3月前开学都有哪些资助 ask for aid
_MONTH_NUM = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_BY_MONTH = re.compile(r"(?:(\d{4})年)?" + _MONTH_NUM +
                       r"月(?:份|底|末|中旬|上旬|下旬|\d{1,2}[日号])?(?:之前|以前|前)")
_HALF_YEAR = re.compile(r"(?:(\d{4})年)?([上下])半年")
_EVERY = re.compile(r"每个?(季度|半年|月|季|年)")
_RECURRENCE = {"月": "monthly", "季度": "quarterly", "季": "quarterly", "半年": "half_yearly",
               "年": "yearly"}
DUTY_CUES = ("完成", "上报", "报送", "要报", "节点", "任务", "要做的", "考核", "督查", "会议",
             "开会", "检查", "排查", "更新", "销号", "工作方案", "到期")
BENEFIT_WORDS = ("补贴", "补助", "资助", "救助", "待遇", "优惠", "钱", "领", "报销", "减免", "免费")


@dataclass(frozen=True)
class DueAsked:
    """The date a duty question names: months first..last (of `year`, or of the document's
    year when None), or every period of a recurrence."""

    year: int | None = None
    first: int = 0
    last: int = 0
    recurrence: str | None = None


def due_asked(text: str) -> DueAsked | None:
    """The date whose duties the question asks for (None: it asks no such thing)."""
    if not any(c in text for c in DUTY_CUES) or any(w in text for w in BENEFIT_WORDS):
        return None
    found = _BY_MONTH.search(text)
    if found is not None:
        value = numeral_value(found.group(2))
        month = int(value) if value is not None else 0
        year = int(found.group(1)) if found.group(1) else None
        return DueAsked(year, month, month) if 1 <= month <= 12 else None
    half = _HALF_YEAR.search(text)
    if half is not None:
        year = int(half.group(1)) if half.group(1) else None
        return DueAsked(year, 1, 6) if half.group(2) == "上" else DueAsked(year, 7, 12)
    every = _EVERY.search(text)
    if every is not None:
        return DueAsked(recurrence=_RECURRENCE[every.group(1)])
    return None


# A year the figure asked is for (2021年的低保标准, 到2020年…要达到多少), not one that dates the
# household (孩子2019年考上大学, 2018年评上的低保户, 2005年出生)
_FIGURE_YEAR = re.compile(r"(?<!\d)(20\d\d)年(?!考|出生|生的|评|建档|脱贫|纳入|识别|入学|毕业|办"
                          r"|申请|开始|就|才|刚|以来|起|前后|住|搬|退)")


def figure_years(text: str) -> list[str]:
    """The years (20xx) the question's figures are asked for, in order."""
    return list(dict.fromkeys(_FIGURE_YEAR.findall(text)))
