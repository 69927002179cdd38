"""engine.pipeline: one curation run, its options, and the same result from merged chunks."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine.batch import encode_texts, merge_shortlists, shortlist
from matchday.engine.io import EngineInputError, dump_json
from matchday.engine.pipeline import (
    UNKNOWN_CAP_ID,
    UNKNOWN_EXCLUDED,
    CurationOptions,
    curate,
    curate_shortlist,
    skill_graph,
)
from tests.engine.instances import RATES, TAX, HashEncoder, random_instance


def _run(cands, roles, options, **kwargs):
    return curate(
        cands, roles, taxonomy=TAX, rates=RATES, options=options, encoder=HashEncoder(), **kwargs
    )


def _doc(result):
    return dump_json(result.to_dict(input_hash="sha256:x", encoder="hash", taxonomy_version="t"))


def test_excluded_pairs_are_never_proposed_and_per_id_caps_hold():
    cands, roles = random_instance(random.Random(3), 40, 8)
    base = _run(cands, roles, CurationOptions(candidate_cap=2, role_cap=3))
    assert base.proposals
    first = base.proposals[0]
    busiest = Counter(p.role_id for p in base.proposals).most_common(1)[0][0]
    options = CurationOptions(
        candidate_cap=2,
        role_cap=3,
        excluded_pairs=frozenset({(first.candidate_id, first.role_id)}),
        role_caps={busiest: 1},
    )
    result = _run(cands, roles, options)
    pairs = {(p.candidate_id, p.role_id) for p in result.proposals}
    assert (first.candidate_id, first.role_id) not in pairs
    assert sum(1 for p in result.proposals if p.role_id == busiest) <= 1
    assert max(Counter(p.candidate_id for p in result.proposals).values()) <= 2
    assert all(p.explanation.eligible for p in result.proposals)
    assert all(
        abs(sum(c.contribution for c in p.explanation.contributions) - p.score) < 1e-6
        for p in result.proposals
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            CurationOptions(candidate_caps={"nobody": 1}),
            UNKNOWN_CAP_ID.format(side="candidate", id="nobody"),
        ),
        (CurationOptions(role_caps={"r99": 1}), UNKNOWN_CAP_ID.format(side="role", id="r99")),
        (
            CurationOptions(excluded_pairs=frozenset({("c0", "r99")})),
            UNKNOWN_EXCLUDED.format(candidate="c0", role="r99", side="role"),
        ),
    ],
)
def test_options_naming_ids_outside_the_run_are_refused_with_a_message(options, message):
    cands, roles = random_instance(random.Random(4), 5, 3)
    with pytest.raises(EngineInputError) as exc:
        _run(cands, roles, options)
    assert str(exc.value) == message


def test_a_negative_cap_is_refused():
    with pytest.raises(EngineInputError) as exc:
        CurationOptions(candidate_cap=-1)
    assert str(exc.value) == "candidate_cap must be a non-negative integer, got -1"


def test_the_result_does_not_depend_on_chunks_or_threads():
    cands, roles = random_instance(random.Random(5), 60, 12)
    options = CurationOptions(candidate_cap=2, role_cap=3, alternates_per_role=2)
    one = _run(cands, roles, options, chunk_roles=64, n_jobs=1)
    other = _run(cands, roles, options, chunk_roles=1, n_jobs=2)
    assert _doc(one) == _doc(other)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), m=st.integers(2, 9), data=st.data())
def test_curating_merged_shortlists_of_role_chunks_equals_curating_all_roles(seed, m, data):
    cands, roles = random_instance(random.Random(seed), 25, m)
    options = CurationOptions(
        candidate_cap=2, role_cap=2, alternates_per_role=1, alternates_per_candidate=1
    )
    whole = _run(cands, roles, options)
    cut = data.draw(st.integers(1, m - 1))
    chunks = [roles[cut:], roles[:cut]]  # merged in another order than the input's
    enc = HashEncoder()
    graph = skill_graph(TAX, cands, roles, enc)  # once for the run: its skill frequencies
    parts = [
        shortlist(
            cands,
            ch,
            taxonomy=graph,
            rates=RATES,
            embeddings=encode_texts(enc, cands, ch),
            top_k_per_role=options.k_role,
            top_k_per_candidate=options.k_candidate,
        )
        for ch in chunks
    ]
    merged_roles = [*chunks[0], *chunks[1]]
    result = curate_shortlist(
        merge_shortlists(parts),
        cands,
        merged_roles,
        taxonomy=graph,
        rates=RATES,
        options=options,
        embeddings=encode_texts(enc, cands, merged_roles),
    )
    assert _doc(result) == _doc(whole)
