"""The matcher on 400 hand-written colloquial questions (tests/cases/questions.yaml)."""

from __future__ import annotations

from pathlib import Path

from knowledge.evaluation import evaluate, load_cases
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher

CASES = Path(__file__).parent / "cases" / "questions.yaml"
TOP1_TARGET = 0.95


def test_the_case_file_is_big_and_covers_every_document(kb: KnowledgeBase) -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 200
    assert sum(c["expect"] is None for c in cases) >= 20
    expected = {i for c in cases if c["expect"] for i in
                (c["expect"] if isinstance(c["expect"], list) else [c["expect"]])}
    assert expected <= set(kb.by_id), expected - set(kb.by_id)
    assert {kb.by_id[i].document.id for i in expected} == {d.id for d in kb.documents}


def test_top1_accuracy_is_at_least_95_percent(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = evaluate(load_cases(CASES), kb, matcher)
    assert report.top1_rate >= TOP1_TARGET, report.failures


def test_declined_questions_never_get_an_answer(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = evaluate(load_cases(CASES), kb, matcher)
    assert report.declines_kept == report.declines, report.failures


def test_direct_answers_are_right(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = evaluate(load_cases(CASES), kb, matcher)
    assert report.answered_wrong == 0
    assert report.answered_right >= 0.8 * report.answerable


# The held-out set was written blind (from the documents and a catalogue of titles, without
# the aliases or synonyms). It is a regression floor, set a little under what was measured when
# it was written (top-1 93.5%, top-3 100%, 2 wrong direct answers, 22/25 declines kept).
# Do not tune the knowledge base on its questions: that would make the figure meaningless.
HELDOUT = Path(__file__).parent / "cases" / "heldout.yaml"


def test_held_out_questions_stay_above_their_measured_floor(kb: KnowledgeBase,
                                                           matcher: Matcher) -> None:
    report = evaluate(load_cases(HELDOUT), kb, matcher)
    assert report.answerable >= 150
    assert report.top1_rate >= 0.90, report.failures
    assert report.top3 >= 0.97 * report.answerable, report.failures
    assert report.answered_wrong <= 3, report.failures
    assert report.declines_kept >= 20, report.failures
