"""What /check still needs to know, asked as a person would ask it: one question for each
profile field and for each fact the documents require but no profile records."""

from __future__ import annotations

from collections.abc import Iterable

# Questions about the household as a whole.
HOUSEHOLD: dict[str, str] = {
    "categories": "您家属于低保户、特困供养、建档立卡贫困户这些类别吗？",
    "area": "您家在农村还是城镇？",
    "income_per_capita_yearly": "家里每人一年的收入大概多少？",
    "housing": "您家的住房安全吗（是不是危房、有没有房住）？",
    "single_mother": "是单亲母亲家庭吗？",
    "relocated": "是易地扶贫搬迁户吗？",
    "members": "家里有哪些人（年龄、上学、残疾、疾病）？",
    "脱贫状态": "您家是新识别的贫困户，还是已经脱贫了？",
    "是否贫困村": "您家所在的村是贫困村吗？",
    "生活困难程度": "家里的基本生活是不是出现了严重困难？",
    "致贫原因": "您家是因为什么致贫的（因病、因学、因残、因灾……）？",
    "是否返贫": "您家是脱贫以后又返贫了吗？",
    "房屋是否改造过": "您家的房子以前享受过改造吗？",
    "是否受疫情影响": "家里的就业或收入受到疫情影响了吗？",
    "正在申请低保": "您家正在申请低保吗？",
    "符合低保条件": "您家符合低保条件吗？",
    "家庭条件已超过低保标准": "您家的收入是不是已经超过了当地的低保标准？",
    "中等偏下收入家庭": "您家是不是中等偏下收入家庭？",
}
# Questions about one person, without the subject: "成员1：" or "家里有人" goes before them.
PERSON: dict[str, str] = {
    "age": "多大年龄？",
    "school_stage": "在上学吗？读哪个阶段？",
    "boarding": "在学校住宿吗？",
    "new_entrant": "是今年新考入的学生吗？",
    "school": "在哪所学校读书？",
    "disability_level": "有残疾吗？残疾等级是几级？",
    "needs_long_term_care": "需要长期有人照护吗？",
    "chronic_disease": "有慢性病吗？",
    "major_illness": "得了重大疾病吗？",
    "mental_illness": "有精神疾病吗？是住院还是在家治疗？",
    "性别": "是女性吗？",
    "是否创业": "在创业吗？",
    "是否从事农业生产": "种地、养殖或做其他农业生产吗？",
    "就业创业情况": "正在就业或创业吗？",
    "劳动能力": "有劳动能力吗？",
    "是否留守": "是留守的老人、妇女或儿童吗？",
    "所患疾病": "得的是什么病？（有些救助只针对特定的病）",
    "是否计划怀孕": "计划怀孕吗？",
    "工会困难职工身份": "是工会登记的困难职工吗？",
    "就业创业意愿": "想就业或创业吗？",
    "是否涉农专业": "读的是涉农专业吗？",
    "是否散居供养": "是分散供养的特困人员（住在自己家里）吗？",
    "是否愿意到上海就业": "愿意到上海就业吗？",
    "是否外出就业困难": "外出就业有困难吗？",
    "幼儿园类型": "上的是哪类幼儿园（公办、普惠性民办……）？",
    "就读年级": "读几年级？",
    "培训和证书情况": "参加过职业培训、拿到证书了吗？",
    "县镇学生或城市涉农专业": "是农村或县镇户籍的学生，或者在读涉农专业吗？",
    "非艺术类相关表演专业": "读的不是艺术类表演专业吧？",
}
ANYONE = "家里有人"


def known(key: str) -> bool:
    """True when `key` has a question written for it."""
    return key in HOUSEHOLD or key in PERSON


def questions(keys: Iterable[str], *, who: str = "") -> str:
    """The questions that decide `keys`, household ones first; person questions are about
    `who` (成员1) or, without one, about anyone in the household."""
    ordered = sorted(keys, key=lambda k: (k not in HOUSEHOLD, k))
    person = [PERSON.get(k, f"{k}情况如何？") for k in ordered if k not in HOUSEHOLD]
    asked = [HOUSEHOLD[k] for k in ordered if k in HOUSEHOLD]
    if person:
        asked.append((f"{who}：" if who else ANYONE) + "".join(person))
    return "".join(asked)
