"""The answers on the tuning set (questions.yaml), the dev sets (with the former blind set
blind2.yaml) and the blind sets heldout.yaml, blind3.yaml and blind5.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from knowledge.evaluation import load_cases, score_cases
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher

CASES = Path(__file__).parent / "cases" / "questions.yaml"
# Measured 99.2% (366/369 single-answer cases), counted as the user sees it: a 没有找到 reply is
# wrong whatever the ranking had first (98.4% before 回老家/家门口/看山林 joined synonyms.yaml).
TOP1_TARGET = 0.99


def test_the_case_file_is_big_and_covers_every_document(kb: KnowledgeBase) -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 200
    assert sum(c["expect"] is None for c in cases) >= 20
    expected = {i for c in cases if c["expect"] for i in
                (c["expect"] if isinstance(c["expect"], list) else [c["expect"]])}
    assert expected <= set(kb.by_id), expected - set(kb.by_id)
    assert {kb.by_id[i].document.id for i in expected} == {d.id for d in kb.documents}


def test_top1_accuracy_is_at_least_99_percent(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = score_cases(load_cases(CASES), kb, matcher)
    assert report.top1_rate >= TOP1_TARGET, report.failures


def test_declined_questions_never_get_an_answer(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = score_cases(load_cases(CASES), kb, matcher)
    assert report.declines_kept == report.declines, report.failures
    assert report.declines_with_figure == 0
    assert report.declines_offered == 0  # none offered items under 您是想问 (明天正安下雨吗
    # was, through the place name alone, until a near miss had to be near without it)


def test_direct_answers_are_right(kb: KnowledgeBase, matcher: Matcher) -> None:
    report = score_cases(load_cases(CASES), kb, matcher)
    assert report.answered_wrong == 0
    assert report.answered_right >= 0.8 * report.answerable


# The held-out set was written blind (from the documents and a catalogue of titles, without
# the aliases or synonyms). It is a regression floor, set a little under what was measured when
# it was written (top-1 93.5%, top-3 100%, 2 wrong direct answers, 22/25 declines kept).
# Do not tune the knowledge base on its questions: that would make the figure meaningless.
HELDOUT = Path(__file__).parent / "cases" / "heldout.yaml"


def test_held_out_questions_stay_above_their_measured_floor(kb: KnowledgeBase,
                                                           matcher: Matcher) -> None:
    report = score_cases(load_cases(HELDOUT), kb, matcher)
    assert report.answerable >= 150
    assert report.top1_rate >= 0.92  # measured 94.2%; failures are not printed: never tuned on
    assert report.top3 >= 0.97 * report.answerable
    assert report.answered_wrong <= 2  # measured 2 (was 2-3 before issue 11)
    assert report.declines_kept >= 24  # measured 25/25 (23 before the scope guard)
    assert report.declines_with_figure <= 1  # measured 1


# Later blind sets (issue 11), each written blind on 2026-12-02 by a helper that saw only the
# five documents, the item catalogue (ids, kinds, topics, titles) and the region list; their
# failures are not printed: never tuned on.
# - blind3: 263 questions (85 dialect, 74 compound/list, 31 declines). Measured before the last
#   round of issue-11 work 90.1%, 2 wrong, 30/31 declines kept; after it 91.8%, 1 wrong, 31/31,
#   none with a figure.
# - blind5: 240 questions (50 dialect, 12 of them in traditional characters; 65 compound/list;
#   23 declines; negation, near misses, named regions, figures, deadlines). Measured when it was
#   added, before any work after it: 94.0%, 2 wrong direct answers, 21/23 declines kept, 1 with
#   a figure.


@dataclass(frozen=True)
class BlindFloor:
    total: int
    multi: int
    top1: float
    wrong: int  # wrong direct answers at most
    declines_missed: int  # declines not kept at most
    with_figure: int  # declines answered with a figure at most


BLIND_FLOORS = {"blind3.yaml": BlindFloor(250, 70, 0.90, 2, 1, 0),
                "blind5.yaml": BlindFloor(240, 60, 0.92, 2, 1, 0)}


@pytest.mark.parametrize("name", sorted(BLIND_FLOORS))
def test_the_later_blind_sets_stay_above_their_measured_floor(kb: KnowledgeBase,
                                                              matcher: Matcher,
                                                              name: str) -> None:
    floor = BLIND_FLOORS[name]
    report = score_cases(load_cases(Path(__file__).parent / "cases" / name), kb, matcher)
    assert report.total >= floor.total and report.multi >= floor.multi
    assert report.top1_rate >= floor.top1
    assert report.answered_wrong <= floor.wrong
    assert report.declines_kept >= report.declines - floor.declines_missed
    assert report.declines_with_figure <= floor.with_figure


# The second evaluation set (issue 11) was written blind, from the documents and the item
# titles only, with compound, list, dialect, figure, deadline and decline questions. Since
# 2026-12-02 it is a dev set (its failures are read and their classes fixed); benchmarks/ask.py
# reports it as "formerly blind2". Measured when it was still blind: 87.7% top-1-or-all-stated,
# 4 wrong direct answers, 19/21 declines kept, 1 answered with a figure; after tuning on it:
# 96.7%, 1 wrong, 21/21 kept, none with a figure. Floors a little under the latter.
BLIND2 = Path(__file__).parent / "cases" / "blind2.yaml"


def test_the_former_blind_set_stays_above_its_measured_floor(kb: KnowledgeBase,
                                                             matcher: Matcher) -> None:
    report = score_cases(load_cases(BLIND2), kb, matcher)
    assert report.total >= 200 and report.multi >= 60
    assert report.top1_rate >= 0.95, report.failures
    assert report.answered_wrong <= 2, report.failures
    assert report.declines_kept == report.declines, report.failures
    assert report.declines_with_figure == 0
    assert report.no_amount_said >= report.no_amount - 1, report.failures


# The dev sets of issue 11 (tuning sets, written from the documents and the classes).
# dev_blind6/7/8/9 were written blind (documents, catalogue and regions only) and then tuned on:
# 91.2% -> 98.1%, 86.1% -> 90.5%, 92.0% -> 94.7% and 90.8% -> 93.2% (lists are most of what is
# left). Counted as the user sees it: a 没有找到 reply is wrong whatever the ranking had first.
DEV_FLOORS = {"dev_compound.yaml": 0.97, "dev_dialect.yaml": 0.97, "dev_intent.yaml": 0.93,
              "dev_more.yaml": 0.97, "dev_multi.yaml": 0.95, "dev_single.yaml": 0.875,
              "dev_blind6.yaml": 0.98, "dev_blind7.yaml": 0.93, "dev_blind8.yaml": 0.95,
              "dev_blind9.yaml": 0.95, "dev_blind10.yaml": 0.92,
              "dev_blind11.yaml": 0.90, "dev_blind12.yaml": 0.93, "dev_blind13.yaml": 0.95,
              "dev_blind14.yaml": 0.86, "dev_blind15.yaml": 0.80, "dev_blind16.yaml": 0.78,
              "dev_blind17.yaml": 0.87, "dev_blind18.yaml": 0.85}
# Declines a dev set still misses: dev_blind9's 生小孩有冇出世补贴 (no birth subsidy in 斗门; a
# pupil's grant is given), one of dev_blind10's (three until 2026-12-07), one of dev_blind11's,
# two of dev_blind13's and five of dev_blind14's (lists and compounds, written 2026-12-07: 36/50
# kept when it arrived). Known, not accepted: the count may only fall.
DECLINES_MISSED = {"dev_blind9.yaml": 1, "dev_blind10.yaml": 1, "dev_blind11.yaml": 1,
                   "dev_blind12.yaml": 0, "dev_blind13.yaml": 2, "dev_blind14.yaml": 5,
                   "dev_blind15.yaml": 9,  # dev_blind15: residents' situations, 33/46 on arrival
                   "dev_blind16.yaml": 1}  # dev_blind16: lists, compounds, dialect; 33/35 at first
# dev_blind10 (written 2026-12-03, caseworkers' and rambling phrasing, 80.1% when written),
# dev_blind11 (lists and compounds, 81.5% when written) and dev_blind12 (half dialect, 86.1%)
# are the least tuned: their wrong direct answers (now 4, 2 and 1) are allowed, and may only
# fall; dev_blind13 (everyday short questions, 91.5% when written) has 0 and dev_blind14 (lists
# and compounds, 80.9% when written) 1, like the others.
WRONG_ALLOWED = {"dev_blind10.yaml": 4, "dev_blind11.yaml": 2, "dev_blind12.yaml": 1,
                 "dev_blind15.yaml": 4,  # dev_blind15 arrived 2026-12-07 with 5
                 "dev_blind16.yaml": 3,  # dev_blind16 arrived 2026-12-07 (evening) with 3
                 "dev_blind17.yaml": 2}  # dev_blind17 arrived 2026-12-07 (late) with 2
# ... and the amounts they do not say are unstated (dev_blind10: 3, dev_blind13: 2,
# dev_blind18: 2 of 6 when it arrived)
NO_AMOUNT_MISSED = {"dev_blind10.yaml": 3, "dev_blind13.yaml": 2, "dev_blind18.yaml": 2}


@pytest.mark.parametrize("name", sorted(DEV_FLOORS))
def test_dev_sets_stay_above_their_floor(kb: KnowledgeBase, matcher: Matcher,
                                         name: str) -> None:
    report = score_cases(load_cases(Path(__file__).parent / "cases" / name), kb, matcher)
    assert report.top1_rate >= DEV_FLOORS[name], report.failures
    assert report.answered_wrong <= WRONG_ALLOWED.get(name, 1), report.failures
    missed = DECLINES_MISSED.get(name, 0)
    assert report.declines_kept >= report.declines - missed, report.failures
    assert report.declines_with_figure <= missed, report.failures
    assert report.no_amount_said >= report.no_amount - NO_AMOUNT_MISSED.get(name, 1), \
        report.failures
