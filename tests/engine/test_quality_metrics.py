"""The ranking metrics of bench/quality_real.py, checked on examples computed by hand."""

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "quality_real.py"


@pytest.fixture(scope="module")
def q():
    spec = importlib.util.spec_from_file_location("quality_real", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality_real"] = module
    spec.loader.exec_module(module)
    return module


# Four items graded 3, 0, 1, 2; the ranking shows item 2 (grade 1), item 0 (3), item 1 (0).
GRADES = {0: 3, 1: 0, 2: 1, 3: 2}
RANKED = [2, 0, 1]


def test_ndcg_discounts_by_rank_and_compares_with_the_best_order(q):
    # DCG = (2^1 - 1)/log2(2) + (2^3 - 1)/log2(3) + 0; ideal order 3, 2, 1:
    # IDCG = 7/log2(2) + 3/log2(3) + 1/log2(4)
    expected = (1 + 7 / math.log2(3)) / (7 + 3 / math.log2(3) + 0.5)
    assert q.ndcg_at(RANKED, GRADES, 3) == pytest.approx(expected)
    assert q.ndcg_at(RANKED, GRADES, 3) == pytest.approx(0.576667, abs=1e-6)
    assert q.ndcg_at([0, 3, 2, 1], GRADES, 3) == pytest.approx(1.0)
    assert q.ndcg_at([1], {1: 0}, 10) == 0.0  # nothing relevant: no score


def test_precision_counts_grade_two_and_up_and_empty_places_as_misses(q):
    assert q.precision_at(RANKED, GRADES, 3) == pytest.approx(1 / 3)  # only item 0 (grade 3)
    assert q.precision_at([0, 3], GRADES, 3) == pytest.approx(2 / 3)  # a short list
    assert q.precision_at([2, 1], GRADES, 3) == 0.0  # grade 1 is not relevant


def test_recall_is_the_share_of_relevant_items_retrieved(q):
    assert q.recall_at(RANKED, GRADES, 50) == pytest.approx(1 / 2)  # 0 found, 3 not
    assert q.recall_at(RANKED, GRADES, 1) == 0.0


def test_evaluate_ranks_both_directions_and_respects_what_was_retrieved(q):
    # 2 candidates x 2 roles. Role 0 puts candidate 1 (grade 0) above candidate 0 (grade 3).
    scores = np.array([[0.2, 0.1], [0.5, 0.8]])
    grades = np.array([[3, 0], [0, 2]])
    out = q.evaluate(scores, None, grades)
    assert out["role ndcg@10"] == pytest.approx((1 / math.log2(3) + 1.0) / 2)
    assert out["role p@3"] == pytest.approx(1 / 3)
    assert out["role zeros@3"] == 2  # each role shows its other candidate
    assert out["role zeros@10"] == 2
    # candidate 0 ranks role 0 (0.2) first; candidate 1 ranks role 1 (0.8) first
    assert out["cand ndcg@10"] == pytest.approx(1.0)
    assert out["cand r@50"] == pytest.approx(1.0)

    retrieved = np.array([[True, False], [False, True]])  # only the graded pairs
    out = q.evaluate(scores, retrieved, grades)
    assert out["role ndcg@10"] == pytest.approx(1.0)
    assert out["role zeros@10"] == 0
    assert out["cand zeros@3"] == 0

    nothing = np.zeros((2, 2), dtype=bool)
    out = q.evaluate(scores, nothing, grades)
    assert out["role ndcg@10"] == 0.0
    assert out["role r@50"] == 0.0


def test_ties_keep_input_order(q):
    assert q.ranked_list([0.5, 0.9, 0.5, 0.9]) == [1, 3, 0, 2]
    assert q.ranked_list([0.5, 0.9, 0.5], [True, False, True]) == [0, 2]
