"""The knowledge cache and the index layout: same answers, never stale, never a broken file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.answer import answer
from knowledge.cache import cache_dir, load_indexed
from knowledge.loader import DATA_DIR, KnowledgeBase, KnowledgeError
from knowledge.matcher import Matcher

QUESTIONS = [("qinghe", "孩子上初中住校一年补多少"),
             ("doumen", "幼儿园、小学同初中嘅生活补助各几多"),
             ("shuangtaizi", "残疾人都有啥帮扶"), ("zhengan", "屋头娃儿读初中住校，一年补好多钱")]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANGFU_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def _replies(kb: KnowledgeBase, matcher: Matcher) -> list[list[str]]:
    return [[e.id for e in answer(q, region_id=r, kb=kb, matcher=matcher).stated]
            for r, q in QUESTIONS]


def test_a_restart_reads_the_cache_and_answers_the_same(data: Path, kb: KnowledgeBase,
                                                         matcher: Matcher) -> None:
    first = load_indexed(data)
    assert sorted(p.name.split("-")[0] for p in cache_dir().iterdir()) == ["index", "kb"]
    again = load_indexed(data)
    assert again[1] is not first[1]  # read back, not kept in memory
    assert _replies(*again) == _replies(*first) == _replies(kb, matcher)
    assert [e.id for e in again[0].entries] == [e.id for e in kb.entries]


def test_a_changed_file_is_read_again(data: Path) -> None:
    load_indexed(data)
    path = data / "qinghe-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: 义务教育寄宿生生活补助", "title: 义务教育寄宿生生活补助（改）"), encoding="utf-8")
    kb, _ = load_indexed(data)
    assert kb.by_id["qinghe-2020-boarding-living-subsidy"].item.title.endswith("（改）")


def test_a_broken_file_stops_loading_even_with_a_cache(data: Path) -> None:
    load_indexed(data)
    (data / "bad.yaml").write_text("document: {id: x}\nitems: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad\.yaml"):
        load_indexed(data)


def test_a_damaged_cache_is_rebuilt(data: Path) -> None:
    load_indexed(data)
    for path in cache_dir().iterdir():
        path.write_bytes(b"not a cache")
    kb, matcher = load_indexed(data)
    assert _replies(kb, matcher)[0] == ["qinghe-2020-boarding-living-subsidy"]


def test_an_unwritable_cache_only_costs_speed(data: Path, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("BANGFU_CACHE_DIR", str(tmp_path / "file" / "cache"))  # not a folder
    kb, matcher = load_indexed(data)
    assert _replies(kb, matcher)[0] == ["qinghe-2020-boarding-living-subsidy"]


def test_simplified_text_skips_opencc_and_gets_what_opencc_gives(kb: KnowledgeBase) -> None:
    from knowledge.text import _T2S, _T2S_TRIGGERS, to_simplified

    texts = [t for e in kb.entries for t in (e.item.title, e.item.summary, *e.item.aliases)]
    traditional = ["我個仔讀初中，生活補助有幾多", "細路讀幼稚園有冇補貼", "乾燥", "頭髮", "後來"]
    for text in texts + traditional:
        assert to_simplified(text) == _T2S.convert(text), text
    skipped = sum(_T2S_TRIGGERS.isdisjoint(t) for t in texts)
    assert skipped > 0.9 * len(texts)  # the point of the fast path
    assert not any(_T2S_TRIGGERS.isdisjoint(t) for t in traditional)


def test_a_restart_reads_every_item_as_written(data: Path, kb: KnowledgeBase) -> None:
    load_indexed(data)
    again, _ = load_indexed(data)  # from the cache: shared strings and fields_set
    assert [e.item.model_dump() for e in again.entries] == [
        e.item.model_dump() for e in kb.entries]
    assert [e.item.model_fields_set for e in again.entries] == [
        e.item.model_fields_set for e in kb.entries]
    first, second = again.entries[0].item, again.entries[1].item
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__ or (
        first.model_fields_set != second.model_fields_set)
    changed = first.model_copy(update={"how_to_apply": "带户口本到村委会"})
    assert "how_to_apply" in changed.model_fields_set
    assert first.model_fields_set == kb.by_id[first.id].item.model_fields_set  # not shared
    assert again.regions.path("qinghe") == kb.regions.path("qinghe")
    assert again.synonyms == kb.synonyms and again.dialect_rules == kb.dialect_rules


def test_a_remembered_ranking_is_the_ranking_made_afresh(kb: KnowledgeBase) -> None:
    """The matcher remembers rankings and serves shallower ones from them: the top 3 read
    from a remembered ranking 40 deep are the top 3 a fresh matcher ranks, score for score;
    a deeper ranking than the one remembered is made anew."""
    questions = [("shuangtaizi", "孩子念初中住校，俺家低保，都能有啥资助"),
                 ("doumen", "个仔读初中，生活补助一年有几多"), ("zhengan", "娃儿住读一年补好多")]
    warm = Matcher(kb)
    for region, q in questions:
        warm.match(q, region=region, limit=40)
    for region, q in questions:
        fresh = Matcher(kb).match(q, region=region, limit=3)
        remembered = warm.match(q, region=region, limit=3)
        assert len(fresh) == 3
        assert [(m.entry.id, m.score) for m in remembered] == [
            (m.entry.id, m.score) for m in fresh]
    shallow = Matcher(kb)
    for region, q in questions:  # remembered 3 deep, asked 40 deep: ranked anew
        shallow.match(q, region=region, limit=3)
        deep = shallow.match(q, region=region, limit=40)
        assert [m.entry.id for m in deep] == [
            m.entry.id for m in Matcher(kb).match(q, region=region, limit=40)]
        assert len(deep) > 3
    assert len(warm.match(questions[0][1], region="qinghe", limit=3)) == 3  # by region too
    assert {m.entry.document.jurisdiction
            for m in warm.match(questions[0][1], region="qinghe", limit=40)} == {"qinghe"}
