"""Scoring a few pairs now (the swap picker, a swap) uses the skill graph curation used:
the pool's skill frequencies (specificity), so its numbers are the run's (issue 13)."""

from __future__ import annotations

import pytest

from matchday.engine.batch import NDIGITS
from matchday.matchdays import adapters
from tests.market import (
    build_market,
    create_matchday,
    make_person,
    run_curation,
)

pytestmark = pytest.mark.django_db


def test_scoring_a_proposed_pair_again_gives_the_curated_numbers(
    db, django_capture_on_commit_callbacks
):
    market = build_market()
    # a pool large enough (20+ profiles and roles) for frequencies to count, most of it
    # listing Python: a generic skill here
    for n in range(100, 116):
        make_person(n, skills={"python": 4, "sql": 3})
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    proposals = list(md.proposals.all())
    assert proposals
    scores, _, _ = adapters.score_pairs(md, [(p.candidate_id, p.role_id) for p in proposals])
    freq = adapters.pool_frequencies(md)
    pool = adapters.load_engine_data(md)
    assert freq.documents == len(pool.candidates) + len(pool.roles) >= 20
    # the market's skills are shared widely: some requirement is down-weighted as generic
    assert any(v < 1 for v in map(freq.informativeness, freq.counts))
    for p in proposals:
        ps = scores[(p.candidate_id, p.role_id)]
        assert round(ps.score, NDIGITS) == p.score
        assert ps.explanation.to_dict()["matched"] == p.explanation["matched"]
