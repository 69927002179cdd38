"""Weights learned from decisions: the rescoring equals the engine's score, the fit recovers
what people value, the metrics, the time split and the fairness guard."""

from __future__ import annotations

import random

import pytest

from matchday.engine.encoder import get_encoder
from matchday.engine.io import EngineInputError
from matchday.engine.learn import (
    LEARNED_WEIGHTS,
    Example,
    evaluate,
    example_features,
    fit_weights,
    ndcg_at_k,
    precision_at_k,
    propose_weights,
    rescore,
    time_split,
)
from matchday.engine.scoring import ScoringWeights, score_pair
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim


def _example(i: int, values: dict[str, float], label: int, *, ranking: str = "") -> Example:
    return Example(
        candidate_id=f"c{i}",
        role_id=f"r{i % 4}",
        ranking=ranking or f"review:r{i % 4}",
        stage="review",
        label=label,
        at=f"2026-01-{1 + i // 10:02d}T00:{i % 60:02d}:00",
        features=values,
        candidate_fit=1.0,
        candidate_side=False,
    )


def _history(n: int, seed: int = 3) -> list[Example]:
    """People approve by required skills only; text similarity is noise to them."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        values = {
            "required_skills": rng.random(),
            "experience": rng.random(),
            "seniority": rng.random(),
            "text_similarity": rng.random(),
        }
        label = int(values["required_skills"] + rng.gauss(0, 0.1) > 0.5)
        out.append(_example(i, values, label))
    return out


@pytest.mark.parametrize(
    "weights",
    [ScoringWeights(), ScoringWeights(required_skills=0.9, text_similarity=0.05, role_side=0.5)],
)
def test_rescoring_stored_components_gives_the_engines_score(weights):
    cand = Candidate(
        "c1",
        (SkillClaim("pytorch", 4, 3.0), SkillClaim("python", 3, 2.0)),
        5.0,
        "senior",
        "DE",
        domains=frozenset({"health"}),
        min_pay=Money(80000, "EUR"),
    )
    role = Role(
        "r1",
        "co1",
        "ML engineer",
        "senior",
        "ml_engineering",
        Money(90000, "EUR"),
        Money(120000, "EUR"),
        (RequiredSkill("pytorch", 3), RequiredSkill("kubernetes", 2)),
        nice_to_have=(RequiredSkill("python", 2),),
        domains=frozenset({"health"}),
        description="Train and serve models.",
    )
    ps = score_pair(
        cand,
        role,
        taxonomy=load_taxonomy(),
        encoder=get_encoder(),
        rates=Rates("EUR"),
        weights=weights,
    )
    stored = ps.explanation.to_dict()
    features = example_features(stored)
    assert features is not None
    values, cand_fit, has_cand = features
    assert has_cand and set(values) == {
        "required_skills",
        "nice_to_have",
        "experience",
        "seniority",
        "text_similarity",
    }
    ex = Example("c1", "r1", "q", "review", 1, "2026-01-01", values, cand_fit, has_cand)
    assert rescore([ex], weights)[0] == pytest.approx(ps.score, abs=2e-6)


def test_an_ineligible_pair_is_no_example():
    assert example_features({"eligible": False, "contributions": []}) is None


def test_the_fit_learns_what_people_value_and_keeps_weights_non_negative():
    current = ScoringWeights()
    fit = fit_weights(_history(400), current)
    w = fit.weights
    assert all(getattr(w, k) >= 0 for k in LEARNED_WEIGHTS)
    assert w.required_skills > current.required_skills
    assert w.text_similarity < current.text_similarity
    role_total = sum(getattr(w, k) for k in LEARNED_WEIGHTS[:5])
    assert role_total == pytest.approx(1.1, abs=1e-3)  # rescaled to the current total
    assert w.level_step == current.level_step  # shapes are not learned


def test_the_fit_is_deterministic():
    assert fit_weights(_history(200), ScoringWeights()) == fit_weights(
        _history(200), ScoringWeights()
    )


def test_a_stronger_penalty_keeps_the_weights_nearer_the_current_ones():
    current = ScoringWeights()
    loose = fit_weights(_history(300), current, penalty=0.01).weights
    tight = fit_weights(_history(300), current, penalty=5.0).weights
    assert abs(tight.required_skills - 0.55) < abs(loose.required_skills - 0.55)


def test_a_fit_needs_both_outcomes():
    one_sided = [_example(i, {"required_skills": 0.5}, 1) for i in range(5)]
    with pytest.raises(EngineInputError, match="both positive and negative"):
        fit_weights(one_sided, ScoringWeights())
    with pytest.raises(EngineInputError, match="No labelled examples"):
        fit_weights([], ScoringWeights())


def test_ndcg_and_precision():
    assert ndcg_at_k([(0.9, 1), (0.1, 0)], 10) == 1.0
    assert ndcg_at_k([(0.1, 1), (0.9, 0)], 10) == pytest.approx(1 / 1.5849625)
    assert ndcg_at_k([(0.5, 1), (0.5, 0)], 10) == pytest.approx(1 / 1.5849625)  # ties: pessimistic
    assert precision_at_k([(0.9, 1), (0.8, 0), (0.7, 1)], 2) == 0.5
    assert precision_at_k([(0.9, 1)], 3) == 1.0


def test_time_split_holds_out_the_most_recent_decisions():
    ex = _history(50)
    train, test = time_split(ex, held_out=0.3)
    assert len(train) + len(test) == 50
    assert len(test) == 15
    assert max(e.at for e in train) < min(e.at for e in test)


def test_the_learned_weights_rank_held_out_decisions_better():
    comparison = propose_weights(_history(400), ScoringWeights())
    assert comparison.train + comparison.test == 400
    assert comparison.after.ndcg > comparison.before.ndcg
    assert comparison.after.precision >= comparison.before.precision
    assert comparison.fairness is None and comparison.adoptable
    assert comparison.to_dict()["per_stage"]["review"]["examples"] == comparison.test


def test_too_few_decisions_are_refused_before_fitting():
    with pytest.raises(EngineInputError, match="Too few decisions"):
        propose_weights(_history(12), ScoringWeights(), minimum=10)


def _fairness_case(n: int = 60) -> tuple[list[Example], list[tuple[str, str]]]:
    """Women here score well on text similarity and a little lower on required skills."""
    rng = random.Random(5)
    examples, demo = [], []
    for i in range(n):
        female = i % 2 == 0
        values = {
            "required_skills": (0.45 if female else 0.6) + rng.uniform(-0.02, 0.02),
            "experience": 0.5,
            "seniority": 0.5,
            "text_similarity": (0.9 if female else 0.1) + rng.uniform(-0.02, 0.02),
        }
        examples.append(_example(i, values, int(not female), ranking=f"review:r{i % 6}"))
        demo.append(("Female" if female else "Male", "Asian"))
    return examples, demo


def test_the_fairness_guard_fails_a_change_that_pushes_a_group_under_four_fifths():
    examples, demo = _fairness_case()
    current = ScoringWeights()
    proposed = ScoringWeights(text_similarity=0.0)
    _, _, fairness, _ = evaluate(examples, current, proposed, demographics=demo)
    assert fairness is not None
    assert fairness.worsened == ("Female (sex)",)
    assert not fairness.passed
    female = next(r for r in fairness.rows if r["category"] == "Female")
    assert female["current"] == 1.0 and female["proposed"] == 0.0


def test_the_fairness_guard_passes_an_unchanged_weighting():
    examples, demo = _fairness_case()
    _, _, fairness, _ = evaluate(examples, ScoringWeights(), ScoringWeights(), demographics=demo)
    assert fairness is not None and fairness.passed
    # the Male row was already adverse under the current weights: not "worsened" by keeping them
    male = next(r for r in fairness.rows if r["category"] == "Male")
    assert male["current"] == 0.0 and not male["worsened"]


def test_a_proposal_that_worsens_fairness_is_not_adoptable():
    examples, demo = _fairness_case(100)  # 30 held out: 15 women, 15 men
    by_id = {e.candidate_id: d for e, d in zip(examples, demo, strict=True)}
    comparison = propose_weights(
        examples, ScoringWeights(), demographics=by_id, minimum=5, penalty=0.001
    )
    assert comparison.proposed.text_similarity < ScoringWeights().text_similarity
    assert comparison.fairness is not None
    assert "Female (sex)" in comparison.fairness.worsened
    assert not comparison.adoptable
    assert comparison.to_dict()["adoptable"] is False


def test_a_category_with_too_few_decisions_is_shown_but_guards_nothing():
    examples, demo = _fairness_case()
    demo = [("Female", "Asian") if i < 9 else ("Male", "Asian") for i in range(len(demo))]
    proposed = ScoringWeights(text_similarity=0.0)
    _, _, fairness, _ = evaluate(examples, ScoringWeights(), proposed, demographics=demo)
    assert fairness is not None and fairness.passed
    female = next(r for r in fairness.rows if r["category"] == "Female")
    assert female == {
        "dimension": "sex",
        "category": "Female",
        "count": 9,
        "current": None,
        "proposed": None,
        "worsened": False,
        "too_few": True,
    }
