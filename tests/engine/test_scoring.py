import numpy as np
import pytest

from matchday.engine.encoder import get_encoder
from matchday.engine.explain import render_sentences
from matchday.engine.scoring import (
    ScoringWeights,
    experience_fit,
    level_factor,
    score_pair,
)
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim

TAX = load_taxonomy()
RATES = Rates("EUR")


class ZeroEncoder:
    name, dim = "zero", 4

    def encode(self, texts):
        return np.zeros((len(texts), 4), np.float32)


def _score(claims, reqs, **kw):
    cand = Candidate("c", tuple(claims), 5.0, "senior", "DE", **kw)
    role = Role("r", "co", "t", "senior", "mle", Money(1, "EUR"), Money(2, "EUR"), tuple(reqs))
    return score_pair(cand, role, taxonomy=TAX, encoder=ZeroEncoder(), rates=RATES)


def test_jax_counts_sixty_percent_towards_pytorch():
    ps = _score([SkillClaim("jax", 4)], [RequiredSkill("pytorch", 3)])
    (credit,) = ps.explanation.skills
    assert (credit.match, credit.via_skill_id, credit.credit) == ("adjacent", "jax", 0.6)


def test_child_skill_satisfies_its_parent():
    ps = _score([SkillClaim("pytorch", 4)], [RequiredSkill("deep-learning-frameworks", 3)])
    (credit,) = ps.explanation.skills
    assert (credit.match, credit.credit) == ("child", 1.0)


def test_exact_match_beats_adjacent_credit():
    ps = _score([SkillClaim("jax", 5), SkillClaim("pytorch", 3)], [RequiredSkill("pytorch", 3)])
    assert ps.explanation.skills[0].match == "exact"


@pytest.mark.parametrize(("level", "minimum", "expected"), [(5, 3, 1.0), (2, 4, 0.5), (1, 5, 0.0)])
def test_level_factor_loses_a_quarter_per_level_short(level, minimum, expected):
    assert level_factor(level, minimum, 0.25) == expected


@pytest.mark.parametrize(
    ("years", "lo", "hi", "expected"), [(3, 6, None, 0.5), (8, 2, 8, 1.0), (18, 2, 8, 0.5)]
)
def test_experience_fit_shape(years, lo, hi, expected):
    assert experience_fit(years, lo, hi, ScoringWeights()) == expected


def test_ineligible_pair_scores_zero_but_keeps_both_fits():
    ps = _score([SkillClaim("pytorch", 5)], [RequiredSkill("pytorch", 3)], min_pay=Money(10, "EUR"))
    assert (ps.eligible, ps.score, ps.explanation.contributions) == (False, 0.0, ())
    assert ps.role_fit > 0


def test_candidate_without_wishes_is_scored_on_role_fit_only():
    ps = _score([SkillClaim("pytorch", 5)], [RequiredSkill("pytorch", 3)])
    assert ps.score == pytest.approx(ps.role_fit)
    assert ps.candidate_fit == 1.0


def test_real_encoder_rewards_related_achievements():
    enc = get_encoder()
    cand = Candidate(
        "c",
        (),
        5.0,
        "senior",
        "DE",
        achievements_text="Cut GPU inference latency of our LLM serving stack by 40%",
    )
    near = Role(
        "r1",
        "co",
        "t",
        "senior",
        "mle",
        Money(1, "EUR"),
        Money(2, "EUR"),
        description="Optimise large language model inference latency on GPUs",
    )
    far = Role(
        "r2",
        "co",
        "t",
        "senior",
        "mle",
        Money(1, "EUR"),
        Money(2, "EUR"),
        description="Plan marketing campaigns and brand partnerships",
    )
    sims = [
        score_pair(cand, r, taxonomy=TAX, encoder=enc, rates=RATES)
        .explanation.contributions[-1]
        .value
        for r in (near, far)
    ]
    assert sims[0] > sims[1]


def test_weights_reject_negative_values():
    with pytest.raises(ValueError, match="weight experience must be a finite number >= 0"):
        ScoringWeights(experience=-1.0)


def _pair(claims, *, years=8.0, min_pay=None, required=("prompt-engineering", "technical-writing")):
    cand = Candidate(
        "c", tuple(claims), years, "mid", "DE", min_pay=min_pay, domains=frozenset({"ai"})
    )
    role = Role(
        "r",
        "co",
        "AI trainer",
        "mid",
        "mle",
        Money(90000, "EUR"),
        Money(120000, "EUR"),
        tuple(RequiredSkill(s, 3) for s in required),
        domains=frozenset({"ai"}),
    )
    return score_pair(cand, role, taxonomy=TAX, encoder=ZeroEncoder(), rates=RATES)


def test_years_level_and_wishes_give_nothing_without_the_required_skills():
    # issue 13: a candidate with none of a gig's required skills scored about 0.5 on pay
    # headroom, years and level alone; those components are now gated by the coverage
    none = _pair([SkillClaim("kubernetes", 5)], min_pay=Money(50000, "EUR"))
    parts = {c.component: c for c in none.explanation.contributions}
    assert parts["required_skills"].value == 0.0
    for name in ("experience", "seniority", "domain", "pay"):
        assert parts[name].value > 0.5  # the fits themselves are reported ungated
        assert (parts[name].gate, parts[name].contribution) == (0.0, 0.0)
    assert none.score == 0.0
    assert none.candidate_fit == 1.0 and none.role_fit == pytest.approx(0.25)  # years + level
    sentences = " ".join(render_sentences(none.explanation, "partner"))
    assert "x required-skill fit 0.000 = 0.000" in sentences


def test_context_counts_in_proportion_to_the_required_skills_met():
    half = _pair([SkillClaim("prompt-engineering", 5)], min_pay=Money(50000, "EUR"))
    full = _pair(
        [SkillClaim("prompt-engineering", 5), SkillClaim("technical-writing", 5)],
        min_pay=Money(50000, "EUR"),
    )
    h = {c.component: c for c in half.explanation.contributions}
    f = {c.component: c for c in full.explanation.contributions}
    coverage = h["required_skills"].value
    assert 0.0 < coverage < 1.0 and f["required_skills"].value == 1.0
    for name in ("experience", "seniority", "domain", "pay"):
        assert h[name].gate == coverage and f[name].gate == 1.0
        assert h[name].contribution == pytest.approx(f[name].contribution * coverage)
    assert h["required_skills"].gate == h["text_similarity"].gate == 1.0
    assert sum(c.contribution for c in half.explanation.contributions) == pytest.approx(half.score)


def test_a_role_without_required_skills_gates_nothing():
    ps = _pair([SkillClaim("kubernetes", 5)], min_pay=Money(50000, "EUR"), required=())
    assert all(c.gate == 1.0 for c in ps.explanation.contributions)
    assert ps.score > 0.5
