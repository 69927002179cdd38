"""Seniority both ways: inferred when absent; under- and over-qualification lower the fit
with a stated reason (issue 13)."""

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine.batch import score_matrix
from matchday.engine.cli_score import parse_input
from matchday.engine.explain import Explanation, render_sentences
from matchday.engine.scoring import ScoringWeights, score_pair, seniority_fit
from matchday.engine.seniority import infer_level
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import (
    LEVELS,
    Candidate,
    Money,
    Rates,
    RequiredSkill,
    Role,
    SkillClaim,
)
from tests.engine.instances import RATES, Blank, HashEncoder, random_instance

TAX = load_taxonomy()


def test_titles_come_first_most_recent_first():
    assert infer_level(["Senior Data Engineer", "Junior Analyst"], 1.0) == (
        "senior",
        "title 'Senior Data Engineer' says senior",
    )
    assert infer_level(["Member of Technical Staff", "SRE II"], 12.0)[0] == "mid"
    assert infer_level(["Head of Platform"])[0] == "principal"


def test_years_then_scope_words_when_no_title_names_a_level():
    assert infer_level(["Data Engineer"], 1.0)[0] == "junior"
    assert infer_level(["Data Engineer"], 4.0)[0] == "mid"
    assert infer_level(["Data Engineer"], 7.0)[0] == "senior"
    level, reason = infer_level(["Data Engineer"], 4.0, "Mentored the team of 4 engineers.")
    assert level == "senior" and "Mentored the team" in reason
    level, _ = infer_level(["Engineer"], 8.0, "Led three teams through a company-wide migration")
    assert level == "staff"
    # nothing to go on (a posting without years): mid, said so
    assert infer_level(["Research Engineer"]) == (
        "mid",
        "no level in a title and no years: mid assumed",
    )


def test_the_cli_infers_a_missing_level():
    doc = {
        "rates": {"base": "EUR"},
        "candidates": [
            {
                "id": "c1",
                "skills": [],
                "years_experience": 9,
                "titles": ["Staff Engineer", "Engineer"],
                "country": "DE",
            },
            {"id": "c2", "skills": [], "years_experience": 1, "country": "DE"},
        ],
        "roles": [
            {
                "id": "r1",
                "company_id": "co",
                "title": "Senior Backend Engineer",
                "role_type": "swe",
                "pay_band_min": {"amount": 1, "currency": "EUR"},
                "pay_band_max": {"amount": 2, "currency": "EUR"},
            },
            {
                "id": "r2",
                "company_id": "co",
                "title": "Backend Engineer",
                "years_min": 3,
                "role_type": "swe",
                "pay_band_min": {"amount": 1, "currency": "EUR"},
                "pay_band_max": {"amount": 2, "currency": "EUR"},
            },
        ],
    }
    cands, roles, _, _ = parse_input(doc, TAX)
    assert [c.level for c in cands] == ["staff", "junior"]
    assert [r.level for r in roles] == ["senior", "mid"]


def _cand(cid, level):
    return Candidate(cid, (SkillClaim("python", 4, 5.0),), 6.0, level, "DE")


def test_under_and_over_qualification_lower_the_fit_with_a_stated_reason():
    role = Role(
        "r",
        "co",
        "Senior engineer",
        "senior",
        "swe",
        Money(90000, "EUR"),
        Money(120000, "EUR"),
        (RequiredSkill("python", 3),),
        allowed_levels=("mid", "senior", "staff"),
    )
    rates = Rates("EUR")
    scored = {
        level: score_pair(_cand(level, level), role, taxonomy=TAX, encoder=Blank(), rates=rates)
        for level in ("mid", "senior", "staff")
    }
    fit = {
        level: next(c.value for c in ps.explanation.contributions if c.component == "seniority")
        for level, ps in scored.items()
    }
    assert fit == {"mid": 0.65, "senior": 1.0, "staff": 0.75}
    assert scored["senior"].score > scored["staff"].score > scored["mid"].score
    notes = {level: ps.explanation.notes for level, ps in scored.items()}
    assert notes["staff"] == (
        "Seniority: staff for a senior role: over-qualified by 1 level (fit 75%).",
    )
    assert notes["mid"] == (
        "Seniority: mid for a senior role: under-qualified by 1 level (fit 65%).",
    )
    assert notes["staff"][0] in render_sentences(scored["staff"].explanation, "company")
    # the reason survives the stored form the app keeps
    stored = scored["staff"].explanation.to_dict()
    assert Explanation.from_dict(stored).notes == notes["staff"]


def test_seniority_fit_floors_at_zero_and_is_off_with_weight_zero():
    w = ScoringWeights()
    assert seniority_fit(0, 4, w) == 0.0
    assert seniority_fit(4, 0, w) == 0.0
    off = ScoringWeights(seniority=0.0)
    role = Role("r", "co", "t", "senior", "swe", Money(1, "EUR"), Money(2, "EUR"))
    ps = score_pair(_cand("c", "senior"), role, taxonomy=TAX, encoder=Blank(), rates=Rates("EUR"))
    assert "seniority" in {c.component for c in ps.explanation.contributions}
    ps = score_pair(
        _cand("c", "senior"), role, taxonomy=TAX, encoder=Blank(), rates=Rates("EUR"), weights=off
    )
    assert "seniority" not in {c.component for c in ps.explanation.contributions}
    assert ps.explanation.notes == ()


def test_an_inferred_level_is_no_hard_filter_but_still_counts():
    role = Role("r", "co", "Junior analyst", "junior", "swe", Money(1, "EUR"), Money(2, "EUR"))
    stated = _cand("c", "senior")
    inferred = replace(stated, level_inferred=True)
    rates = Rates("EUR")
    assert not score_pair(stated, role, taxonomy=TAX, encoder=Blank(), rates=rates).eligible
    ps = score_pair(inferred, role, taxonomy=TAX, encoder=Blank(), rates=rates)
    level = next(c for c in ps.explanation.constraints if c.name == "level")
    assert ps.eligible and "inferred from titles and years, so not a hard filter" in level.reason
    assert ps.explanation.notes == (
        "Seniority: senior for a junior role: over-qualified by 2 levels (fit 50%).",
    )


def test_the_cli_opens_a_role_whose_level_it_inferred_to_every_level():
    doc = {
        "rates": {"base": "EUR"},
        "candidates": [{"id": "c1", "skills": [], "years_experience": 9, "country": "DE"}],
        "roles": [
            {
                "id": "r1",
                "company_id": "co",
                "title": "Research Engineer",
                "role_type": "swe",
                "pay_band_min": {"amount": 1, "currency": "EUR"},
                "pay_band_max": {"amount": 2, "currency": "EUR"},
            }
        ],
    }
    cands, roles, _, _ = parse_input(doc, TAX)
    assert roles[0].allowed_levels == LEVELS and cands[0].level_inferred
    doc["roles"][0]["level"] = "mid"
    doc["candidates"][0]["level"] = "senior"
    cands, roles, _, _ = parse_input(doc, TAX)
    assert roles[0].allowed_levels == ("mid",) and not cands[0].level_inferred


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 14), m=st.integers(1, 6))
def test_with_inferred_levels_batch_eligibility_and_scores_equal_the_per_pair_path(seed, n, m):
    rng = random.Random(seed)
    cands, roles = random_instance(rng, n, m)
    cands = [replace(c, level_inferred=rng.random() < 0.5) for c in cands]
    enc = HashEncoder()
    eligible, scores = score_matrix(cands, roles, taxonomy=TAX, encoder=enc, rates=RATES)
    for i, c in enumerate(cands):
        for j, r in enumerate(roles):
            ps = score_pair(c, r, taxonomy=TAX, encoder=enc, rates=RATES)
            assert eligible[i, j] == ps.eligible
            assert abs(float(scores[i, j]) - ps.score) < 1e-5
