"""Specificity: requirements count by how informative they are in the run (issue 13)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine.batch import NDIGITS, encode_texts, shortlist
from matchday.engine.explain import render_sentences
from matchday.engine.pipeline import CurationOptions, curate
from matchday.engine.scoring import score_pair, specificity_cap
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim
from matchday.engine.vocabulary import (
    GENERIC_FLOOR,
    GENERIC_MEAN,
    OpenVocabulary,
    SkillFrequencies,
    open_vocabulary,
)
from tests.engine.instances import RATES, Blank, HashEncoder, random_instance

TAX = load_taxonomy()
GENERIC = ("python", "git", "sql")
SPECIFIC = ("speech-recognition", "pytorch")


def _cand(cid, skills):
    return Candidate(cid, tuple(SkillClaim(s, 4, 3.0) for s in skills), 6.0, "senior", "DE")


def _role(rid, skills):
    return Role(
        rid,
        "co",
        rid,
        "senior",
        "mle",
        Money(90000, "EUR"),
        Money(120000, "EUR"),
        tuple(RequiredSkill(s, 2) for s in skills),
    )


def _run():
    """40 profiles list the generic skills; one speech engineer also has the specific ones."""
    cands = [_cand(f"c{i:02d}", GENERIC) for i in range(40)]
    cands.append(_cand("speech", (*GENERIC, *SPECIFIC)))
    roles = [_role("a-generic", GENERIC), _role("b-speech", SPECIFIC)]
    return cands, roles


def test_informativeness_falls_with_frequency_to_a_floor_and_small_runs_keep_it():
    f = SkillFrequencies(200, {"python": 150, "sql": 40, "kaldi": 3})
    values = [f.informativeness(k) for k in ("python", "sql", "kaldi", "unseen")]
    assert values[0] == GENERIC_FLOOR
    assert GENERIC_FLOOR < values[1] < 1.0
    assert values[2:] == [1.0, 1.0]
    # few documents are weak evidence: the prior keeps a skill named by a quarter of 20
    # documents above the mean at which coverage is capped; a tiny run down-weights nothing
    assert SkillFrequencies(20, {"python": 5}).informativeness("python") > GENERIC_MEAN
    assert SkillFrequencies(19, {"python": 19}).informativeness("python") == 1.0


def test_frequencies_count_each_document_once_and_unknown_names_by_name():
    cands = [_cand("c1", ("python", "Zustand")), _cand("c2", ("python", "zustand"))]
    f = SkillFrequencies.of(TAX, cands, [_role("r", ("python",))])
    assert (f.documents, f.counts) == (3, {"python": 3, "~zustand": 2})


def test_a_generic_only_role_cannot_outrank_a_specific_match():
    cands, roles = _run()
    speech = cands[-1]
    freq = SkillFrequencies.of(TAX, cands, roles)
    graph = open_vocabulary(TAX, cands, roles, None, frequencies=freq)
    assert isinstance(graph, OpenVocabulary)
    rates = Rates("EUR")
    generic = score_pair(speech, roles[0], taxonomy=graph, encoder=Blank(), rates=rates)
    specific = score_pair(speech, roles[1], taxonomy=graph, encoder=Blank(), rates=rates)
    assert specific.score > generic.score
    # every generic requirement met, yet the coverage stays far from perfect
    required = next(
        c for c in generic.explanation.contributions if c.component == "required_skills"
    )
    assert all(s.credit == 1.0 for s in generic.explanation.skills)
    assert required.value <= 0.5
    sentences = render_sentences(generic.explanation, "partner")
    assert any(s.startswith("Down-weighted as generic") and "Python counts" in s for s in sentences)
    assert any("mostly generic, so their coverage counts at most" in s for s in sentences)
    # without the run's frequencies the two roles tie for this candidate (what went wrong)
    tie = [score_pair(speech, r, taxonomy=TAX, encoder=Blank(), rates=rates).score for r in roles]
    assert tie[0] == tie[1]
    # and the Match Day pipeline ranks the specific role first for this candidate
    run = curate(
        cands,
        roles,
        taxonomy=TAX,
        rates=rates,
        encoder=Blank(),
        options=CurationOptions(candidate_cap=1, role_cap=1),
    )
    assert ("speech", "b-speech") in {(p.candidate_id, p.role_id) for p in run.proposals}


def test_specificity_cap():
    assert specificity_cap(2.0, 2.0) == 1.0
    assert specificity_cap(0.6, 2.0) == 0.6


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 16), m=st.integers(1, 7))
def test_with_frequencies_the_batch_numbers_are_the_per_pair_numbers(seed, n, m):
    cands, roles = random_instance(random.Random(seed), n, m)
    enc = HashEncoder()
    freq = SkillFrequencies.of(TAX, cands, roles)
    graph = open_vocabulary(TAX, cands, roles, enc, frequencies=freq)
    sl = shortlist(
        cands,
        roles,
        taxonomy=graph,
        rates=RATES,
        embeddings=encode_texts(enc, cands, roles),
        top_k_per_role=4,
        top_k_per_candidate=3,
    )
    for i in range(len(sl)):
        c, r = cands[int(sl.candidate[i])], roles[int(sl.role[i])]
        ps = score_pair(c, r, taxonomy=graph, encoder=enc, rates=RATES)
        assert (float(sl.score[i]), float(sl.role_fit[i])) == (
            round(ps.score, NDIGITS),
            round(ps.role_fit, NDIGITS),
        )
