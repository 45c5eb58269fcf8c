"""The knowledge base loads, is large, and every figure is cited verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from knowledge.citations import check_citations, figure_forms, squeeze
from knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge
from knowledge.schema import KnowledgeFile
from knowledge.text import normalize
from tests.conftest import SEEDS


def test_every_document_is_loaded_with_well_over_100_items(kb: KnowledgeBase) -> None:
    assert {d.id for d in kb.documents} == {
        "panjin-2019", "shuangtaizi-2018", "qinghe-2020", "zhengan-2018", "doumen-2017"}
    assert len(kb.entries) > 300
    assert all(sum(c.values()) >= 40 for c in kb.counts().values())


def test_every_quote_is_in_its_source_and_every_amount_in_its_quote(kb: KnowledgeBase) -> None:
    assert SEEDS.is_dir(), f"the seed documents must sit beside the repo: {SEEDS}"
    problems = check_citations(kb, SEEDS)
    assert problems == []


def test_a_forged_quote_is_caught(kb: KnowledgeBase) -> None:
    entry = kb.by_id["qinghe-2020-boarding-living-subsidy"]
    forged = entry.item.model_copy(update={"source": entry.item.source.model_copy(
        update={"quote": "初中阶段每生每年9999元"})})
    fake = KnowledgeBase(kb.documents, (type(entry)(forged, entry.document),), kb.regions,
                         kb.synonyms)
    assert next(p.problem for p in check_citations(fake, SEEDS)).startswith("quote not found")


def test_a_section_heading_not_in_its_source_is_caught(kb: KnowledgeBase) -> None:
    doc = next(d for d in kb.documents if d.sections)
    forged = doc.model_copy(update={"sections": (doc.sections[0].model_copy(
        update={"names": ("东西部劳务合作社",)}),)})
    entries = tuple(type(e)(e.item, forged) for e in kb.entries if e.document is doc)
    fake = KnowledgeBase((forged,), entries, kb.regions, kb.synonyms)
    problems = [p.problem for p in check_citations(fake, SEEDS)]
    assert problems == ["section heading or name not in source: 东西部劳务合作社"]


def test_a_section_no_item_cites_is_refused() -> None:
    path = Path(__file__).parent.parent / "knowledge" / "data" / "zhengan-2018.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["document"]["sections"].append({"id": "九(九)9", "heading": "x", "names": []})
    with pytest.raises(ValidationError, match="sections no item cites"):
        KnowledgeFile.model_validate(data)


def test_figures_are_recognised_in_chinese_notation() -> None:
    assert "2万" in figure_forms(20000)
    assert "4.2万" in figure_forms(42000)
    assert squeeze("650 元/月/人\n") == "650元/月/人"


def test_regions_resolve_common_spellings_and_inherit_the_city(kb: KnowledgeBase) -> None:
    for typed, name in [("双台子", "双台子区"), ("斗门", "斗门区"), ("正安", "正安县"),
                        ("清河区", "清河区"), ("盘山县", "盘山县")]:
        node = kb.regions.resolve(typed)
        assert node is not None and node.name == name
    docs = {e.document.id for e in kb.entries_for("shuangtaizi")}
    assert docs == {"shuangtaizi-2018", "panjin-2019"}
    assert {e.document.id for e in kb.entries_for("qinghe")} == {"qinghe-2020"}


def test_an_ancestor_typed_before_a_region_is_read_as_every_spelling_pair_would_be(
        kb: KnowledgeBase) -> None:
    """resolve() on 广东省珠海市斗门区-like keys finds what testing every spelling in file
    order found (the shortcut looks up only the key's own prefixes)."""
    regions = kb.regions
    spellings = list(regions._by_name)

    def by_every_spelling(key: str) -> str | None:
        for spelling in spellings:
            if len(spelling) > 1 and key.startswith(spelling) and len(key) > len(spelling):
                found = regions.resolve(key[len(spelling):])
                if found is not None and regions._by_name[spelling] in \
                        regions.lineage(found.id)[1:]:
                    return found.id
        return None

    for node in regions:
        for ancestor in map(regions.get, regions.lineage(node.id)[1:]):
            for key in {a + n for a in (ancestor.name, *ancestor.aliases)
                        for n in (node.name, *node.aliases)}:  # 辽宁铁岭清河 too
                found = regions._resolve_qualified(key)
                assert (found.id if found else None) == by_every_spelling(key), key
                assert found is not None and found.id == node.id, key


def test_a_region_without_documents_gets_nothing(kb: KnowledgeBase) -> None:
    assert not kb.has_data_for("xiangzhou")
    assert kb.entries_for("xiangzhou") == ()
    assert kb.entries_for("tieling") == ()  # 清河区's document is not 铁岭市's


def test_broken_yaml_stops_loading_with_the_file_name(tmp_path: Path) -> None:
    data = Path(__file__).parent.parent / "knowledge" / "data"
    for name in ("regions.yaml", "synonyms.yaml"):
        (tmp_path / name).write_text((data / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("document: {id: x}\nitems: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad\.yaml"):
        load_knowledge(tmp_path)


def test_the_region_a_text_names_is_the_most_specific_one(kb: KnowledgeBase) -> None:
    named = {text: (found.name if (found := kb.regions.find_in(text)) else None) for text in (
        "我闺女嫁到珠海斗门了", "我老家是贵州正安的", "我大伯在辽宁盘锦大洼", "铁岭清河区那边",
        "斗门镇的低保", "斗门和正安的低保", "今天天气怎么样")}
    assert named == {"我闺女嫁到珠海斗门了": "斗门区", "我老家是贵州正安的": "正安县",
                     "我大伯在辽宁盘锦大洼": "大洼区", "铁岭清河区那边": "清河区",
                     "斗门镇的低保": "斗门镇", "斗门和正安的低保": "正安县",  # first in tree
                     "今天天气怎么样": None}


def test_kb_check_counts_the_section_headings(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.commands.kb import kb_check
    from bot.settings import Settings

    settings = Settings(_env_file=None, seeds_dir=SEEDS)  # type: ignore[call-arg]
    assert kb_check(settings) == 0
    sections = sum(len(d.sections) for d in load_knowledge().documents)
    assert sections >= 40
    out = capsys.readouterr().out
    assert f"章节标题 section headings: {sections}/{sections} 个通过" in out


def test_kb_check_does_not_pass_a_document_whose_source_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.commands.kb import kb_check
    from bot.settings import Settings

    kb = load_knowledge()
    missing = kb.documents[0]
    for doc in kb.documents[1:]:
        (tmp_path / doc.source_file).write_text((SEEDS / doc.source_file).read_text("utf-8"),
                                                "utf-8")
    settings = Settings(_env_file=None, seeds_dir=tmp_path)  # type: ignore[call-arg]
    assert kb_check(settings) == 1
    out = capsys.readouterr().out
    unchecked = sum(e.document.id == missing.id for e in kb.entries)
    passed = len(kb.entries) - unchecked
    assert f"引文核对 citations: {passed}/{len(kb.entries)} 条通过" in out, out
    assert f"未核对 source missing, not checked: {missing.id}" in out


def test_a_section_takes_in_its_subsections_only() -> None:
    from knowledge.schema import within

    assert within("三(四)4", "三(四)") and within("专栏4(二)", "专栏4") and within("二", "二")
    assert not within("专栏40", "专栏4") and not within("三(一)12", "三(一)1")
    kb = load_knowledge()
    doc = next(d for d in kb.documents if d.id == "zhengan-2018")
    jobs = next(s for s in doc.sections if s.id == "三(四)")
    assert {e.item.source.section for e in kb.section_entries(doc, jobs)} >= {"三(四)1", "三(四)4"}
    assert "就业保障扶贫" in kb.section_names["zhengan-2018", "三(四)4"]  # and its own name
    assert "东西部劳务协作" in kb.section_names["zhengan-2018", "三(四)4"]


def test_a_section_name_given_twice_is_refused() -> None:
    path = Path(__file__).parent.parent / "knowledge" / "data" / "zhengan-2018.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = data["document"]["sections"][:2]
    second["names"] = [*second["names"], first["names"][0]]
    with pytest.raises(ValidationError, match="given twice"):
        KnowledgeFile.model_validate(data)


def test_cantonese_words_the_table_rewrites(kb: KnowledgeBase) -> None:
    """嗰 arrives as 𠮶 after OpenCC; 系 before a category after a person, an age or a comma
    is 是, but not inside 联系; 食紧/食低保, 阿爷/阿嫲."""
    rewrite = kb.dialects.rewrite
    assert rewrite("医保个人嗰份使唔使自己俾") == "医保个人那份要不要自己给"
    assert rewrite("阿妈65岁系低保户") == "母亲65岁是低保户"
    assert rewrite("屋企好穷，係低保戶") == "家里好穷,是低保户"
    assert rewrite("联系低保户") == "联系低保户"
    assert rewrite("笔钱系市出定系区出") == "笔钱是市出还是区出"
    assert rewrite("联系区出的人") == "联系区出的人"
    assert rewrite("阿嫲食緊低保") == "奶奶正在吃低保"
    assert rewrite("阿爺食低保") == "爷爷吃低保"
    assert rewrite("阿嫲系五保户") == "奶奶是五保户"  # 系 after a family member too
    assert rewrite("而家阿爸七十岁系低保，会唔会多啲") == "现在父亲70岁是低保,会不会多发"
    assert rewrite("个仔系残疾人") == "儿子是残疾人"


def test_the_rewrites_this_session_added_leave_mandarin_words_alone(kb: KnowledgeBase) -> None:
    """Members (大仔, 细女, 大个), when-words (啥前儿, 多咱), 揾份工, 底保 and years in Chinese
    digits; and the Mandarin words a review found them rewriting (前景, 最多咱家, 广大女性)."""
    def rewrite(text: str) -> str:
        return kb.dialects.rewrite(normalize(text))

    assert rewrite("大仔读初中，细女读幼稚园") == "大儿子读初中,小女儿读幼稚园"
    assert rewrite("大個讀緊大二，細個今年考上專科") == "大的在读大学,小的今年考上专科"
    assert rewrite("大仔读大三，细仔啱啱考到专科，两个加埋几多") == \
        "大儿子在读大学,小儿子刚刚考上专科,两个加起来多少"
    assert rewrite("低保啥前儿开始涨") == "低保什么时候开始涨"
    assert rewrite("低保多咱涨") == "低保什么时候涨"
    assert rewrite("屋企困难想搵份工") == "家里困难想找份工作"
    assert rewrite("底保多少钱") == "低保多少钱"
    assert rewrite("住房改造到二〇一七年") == "住房改造到2017年"
    assert rewrite("出院能不能医保救助一块儿结") == "出院能不能医保救助一块儿结"  # together
    assert rewrite("一块钱都没有") == "1块钱都没有"
    assert rewrite("七十块儿钱的补贴") == "70块儿钱的补贴"  # erhua: still money
    assert rewrite("仔仔马上大二了") == "仔仔在读大学了"  # about to enter 大二: a student already
    for mandarin in ("兜底保障", "托底保障", "月底保证", "到底保不保", "有啥前提条件",
                     "搞大棚有啥前景", "学个技术有啥前途", "一年最多咱家能报多少", "差不多咱们",
                     "广大女性创业", "大女孩", "大个子", "身份证后四位一二三四年",
                     "孩子上大一点的学校", "读大一岁的班", "孩子今年上大一",
                     "考上大三本", "上大三轮车"):
        assert rewrite(mandarin) == normalize(mandarin).replace("啥", "什么"), mandarin


def test_a_key_given_twice_in_a_yaml_file_is_an_error(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys silently: synonyms.yaml had 门槛 three times,
    and only the last meaning was read."""
    from knowledge.loader import KnowledgeError, _read_yaml

    path = tmp_path / "synonyms.yaml"
    path.write_text("synonyms:\n  门槛: [起付线]\n  看病: [医疗]\n  门槛: [无障碍改造]\n",
                    encoding="utf-8")
    with pytest.raises(KnowledgeError, match="duplicate key '门槛'"):
        _read_yaml(path)
    path.write_text("synonyms:\n  门槛: [起付线, 无障碍改造]\n", encoding="utf-8")
    assert _read_yaml(path) == {"synonyms": {"门槛": ["起付线", "无障碍改造"]}}
