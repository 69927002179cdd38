import numpy as np
import pytest

from matchday.engine.encoder import get_encoder
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
