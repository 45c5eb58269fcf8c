"""`bangfu kb coverage`: every figure of the source documents is carried or excused."""

from __future__ import annotations

import pytest

from knowledge.coverage import excused, find_figures, load_exceptions, missing_figures
from knowledge.loader import KnowledgeBase
from tests.conftest import SEEDS


def test_every_figure_is_carried_by_an_item_or_excused_with_a_reason(kb: KnowledgeBase) -> None:
    exceptions = load_exceptions()
    unexcused = [f for f in missing_figures(kb, SEEDS) if excused(f, exceptions) is None]
    assert unexcused == []


def test_every_exception_still_excuses_a_figure(kb: KnowledgeBase) -> None:
    missing = missing_figures(kb, SEEDS)
    for x in load_exceptions().exceptions:  # a stale exception would hide a future gap
        assert any(excused(f, load_exceptions()) == x for f in missing), x


def test_a_figure_an_item_stops_carrying_is_reported(kb: KnowledgeBase) -> None:
    entry = kb.by_id["zhengan-2018-rehab-items-in-insurance"]
    bare = type(entry)(entry.item.model_copy(update={"amounts": ()}), entry.document)
    fewer = KnowledgeBase(kb.documents, tuple(bare if e.id == entry.id else e
                                              for e in kb.entries), kb.regions, kb.synonyms)
    gaps = [f for f in missing_figures(fewer, SEEDS) if excused(f, load_exceptions()) is None]
    assert [(f.document, f.text) for f in gaps] == [("zhengan-2018", "9项")]
    assert gaps[0].section.startswith("三")


def test_figures_of_every_kind_are_found() -> None:
    text = ("一、目标\n全区计划脱贫39户85人，补助1.2万元，到2020年完成，3月20日前上报，"
            "每月至少两次督查，专栏7人居环境，第37次会议。\n")
    found = {f.text: f for f in find_figures("x", text)}
    assert {"39户", "85人", "1.2万元", "到2020年", "3月20日", "每月至少两次"} <= set(found)
    assert "7人" not in found and "37次" not in found  # a column and a meeting number
    assert found["1.2万元"].readings == (frozenset({12000.0}), frozenset({1.2}))
    assert found["39户"].section == "一"


def test_the_command_exits_0_and_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.main import main

    assert main(["kb", "coverage"]) == 0
    out = capsys.readouterr().out
    assert "zhengan-2018" in out and "合计" in out
