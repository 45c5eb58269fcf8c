"""Groups of people an item can be limited to, and the words that name them in a question.

An item whose title names a group (残疾学生, 单亲特困母亲, 精神病人) is not the answer for a
question that does not mention that group: a question about any low-income pupil must not get
the subsidy for disabled pupils. The same groups, with topics and school stages, pick the items
of a list reply ("残疾人都有哪些帮扶").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.loader import Entry


@dataclass(frozen=True)
class Group:
    """A group: how items name it, and every way a question can refer to it."""

    name: str
    in_items: tuple[str, ...]  # words in an item's title that limit it to the group
    in_questions: tuple[str, ...]  # words in a question that mention the group
    apart: bool = True  # a list reply leaves its items out unless the question names it
    # (残疾学生 items are not for "读书有啥资助"; 新生 items are, as a stage of schooling)


GROUPS: tuple[Group, ...] = (
    Group("残疾", ("残疾",), ("残疾", "残障", "残联", "伤残", "瘫", "盲人", "聋", "哑", "智障",
                            "智力", "肢体", "轮椅", "残疾证", "护理补贴", "辅助器具", "康复")),
    # (not 精神帮扶, 精神扶贫, 精神鼓励: the spirit, not a mental illness)
    Group("精神", ("精神病", "精神障碍", "精神类"),
          ("精神病", "精神障碍", "精神疾病", "精神残疾", "精神分裂", "精神不正常", "精神有问题",
           "精神上有问题",
           "疯", "神经病")),
    Group("单亲", ("单亲",), ("单亲", "离婚", "丧偶", "一个人带", "康乃馨")),
    Group("妇女", ("妇女", "母亲", "孕", "分娩"),
          ("妇女", "女", "妈妈", "母亲", "媳妇", "老婆", "孕", "生孩子", "怀孕", "宫颈", "乳腺",
           "两癌", "分娩", "叶酸", "单亲", "要孩子", "生娃", "备孕", "坐月子")),
    Group("孤儿", ("孤儿",), ("孤儿", "父母双亡", "没爹没妈", "没有父母")),
    Group("留守", ("留守",), ("留守", "在外打工", "外出务工")),
    Group("老人", ("60周岁以上", "老人", "老年", "银龄", "留守老年", "敬老院"),
          ("老人", "老年", "岁", "爷爷", "奶奶", "外公", "外婆", "老伴", "养老", "敬老院", "60",
           "银龄", "五保老人", "老头", "老太"), False),
    Group("新生", ("新生",), ("考上", "新生", "录取", "考入", "刚考", "今年考", "入学"), False),
    Group("儿童疾病", ("白血病", "先心病", "脑瘫"), ("白血病", "先心病", "脑瘫", "心脏病")),
    Group("艾滋病", ("艾滋病",), ("艾滋", "hiv", "母婴", "传染病")),  # both are 传染病
    Group("结核病", ("结核", "大骨节"), ("结核", "肺结核", "大骨节", "地方病", "传染病")),
    Group("白内障", ("白内障",), ("白内障", "眼睛", "光明")),
    Group("返乡", ("返乡", "农民工"), ("返乡", "农民工", "回乡", "打工回来")),
    Group("毕业生", ("毕业生",), ("毕业", "没考上", "未升学", "落榜"), False),
    Group("工会", ("工会", "职工"), ("工会", "职工", "工人", "上班")),
    Group("搬迁", ("搬迁", "移民"), ("搬迁", "移民", "搬家", "安置")),
)


# Topics a question can name, and the words that name them (list replies select by them; the
# matcher discounts an item on another subject).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "教育": ("上学", "读书", "念书", "教育", "学生", "学费", "助学", "资助", "读", "大学"),
    "医疗": ("看病", "医疗", "住院", "医保", "报销", "治病", "生病", "大病", "慢性病", "慢病",
             "医药"),
    "住房": ("住房", "房子", "危房", "盖房", "修房", "房屋"),
    "就业": ("就业", "找工作", "份工作", "找个工作", "打工", "找活", "务工", "上班", "岗位", "培训",
             "创业"),  # (not 工作 alone: 帮扶工作, 工作方案)
    "养老": ("养老",),
    "产业": ("产业", "种地", "种植", "养殖", "农业"),
    "金融": ("贷款", "信贷", "金融", "创业"),
    "妇女儿童": ("妇女", "儿童", "妈妈", "母亲", "孕妇"),
    "兜底": ("兜底", "社会救助", "救济", "供养"),
    "社会帮扶": ("社会帮扶", "社会力量", "社会上", "爱心", "慈善", "志愿", "结对", "走访", "慰问"),
}
# Topics that say what an item is about (as opposed to whom: 残疾, 妇女儿童, 养老)
SUBJECT_TOPICS = frozenset({"教育", "医疗", "住房", "就业", "产业", "金融", "兜底"})


def topics_in_question(text: str) -> frozenset[str]:
    """The subject topics a (normalised) question names (看病 -> 医疗)."""
    return frozenset(t for t, words in TOPIC_WORDS.items() if any(w in text for w in words))


def groups_in_question(text: str) -> frozenset[str]:
    """Names of the groups a (normalised) question mentions."""
    return frozenset(g.name for g in GROUPS if any(w in text for w in g.in_questions))


# Household categories: a group named beside them (普通高中免学费（低保、残疾、特困学生）) is one
# of several who qualify, not a limit.
CATEGORY_WORDS = ("低保", "特困", "五保", "建档立卡", "贫困", "低收入", "困难家庭")
_LIST_SEPARATORS = re.compile(r"[（）()、和及与]")


def _limits(title: str, word: str) -> bool:
    """The title limits the item to what `word` names (not one of an enumeration)."""
    pieces = _LIST_SEPARATORS.split(title)
    for i, piece in enumerate(pieces):
        if word in piece:
            siblings = pieces[max(0, i - 1):i] + pieces[i + 1:i + 2]
            if not any(c in s for s in siblings for c in CATEGORY_WORDS):
                return True
    return False


def groups_of(entry: Entry, *, apart_only: bool = False) -> frozenset[str]:
    """Names of the groups an item's title limits it to (only those a list keeps apart)."""
    title = entry.item.title
    return frozenset(g.name for g in GROUPS if any(_limits(title, w) for w in g.in_items
                                                   if w in title)
                     and (g.apart or not apart_only))
