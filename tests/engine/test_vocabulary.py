"""Open vocabulary: names outside the taxonomy are kept, matched by name and by meaning,
explained, and scored the same by the batch and per-pair paths (issue 13)."""

import json
import random
from dataclasses import replace
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine import cli_score
from matchday.engine.batch import NDIGITS, encode_texts, merge_shortlists, shortlist
from matchday.engine.cli_score import parse_input, score_document
from matchday.engine.encoder import get_encoder
from matchday.engine.explain import render_sentences
from matchday.engine.io import EngineInputError
from matchday.engine.scoring import score_pair
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim
from matchday.engine.vocabulary import (
    LINK_THRESHOLD,
    OpenVocabulary,
    clean_name,
    open_vocabulary,
)
from tests.engine.instances import RATES, HashEncoder, random_instance

TAX = load_taxonomy()
SCHEMAS = Path(cli_score.__file__).parent / "schemas"
ENC = get_encoder()


def _cand(cid, *skills, text=""):
    return Candidate(
        cid,
        tuple(SkillClaim(s, 4, 3.0) for s in skills),
        6.0,
        "senior",
        "DE",
        achievements_text=text,
    )


def _role(rid, *skills, nice=()):
    return Role(
        rid,
        "co",
        "Frontend engineer",
        "senior",
        "swe",
        Money(90000, "EUR"),
        Money(120000, "EUR"),
        tuple(RequiredSkill(s, 2) for s in skills),
        tuple(RequiredSkill(s, 2) for s in nice),
    )


def test_only_the_taxonomy_is_used_when_every_skill_is_known():
    graph = open_vocabulary(TAX, [_cand("c", "pytorch")], [_role("r", "jax")], ENC)
    assert graph is TAX


def test_an_unknown_skill_on_both_sides_matches_by_name_and_is_explained():
    cand = _cand("c", "zustand")
    role = _role("r", "Zustand")
    ps = score_pair(cand, role, taxonomy=TAX, encoder=ENC, rates=Rates("EUR"))
    (credit,) = ps.explanation.skills
    assert (credit.match, credit.credit, credit.label, credit.via_label) == (
        "name",
        1.0,
        "Zustand",
        "zustand",
    )
    assert ps.explanation.missing == ()
    assert "Their Zustand (level 4, 3 years) meets the required skill." in render_sentences(
        ps.explanation, "company"
    )
    # the same pair without the skill scores lower: the unknown requirement counts
    without = score_pair(_cand("c"), role, taxonomy=TAX, encoder=ENC, rates=Rates("EUR"))
    assert without.explanation.missing[0].label == "Zustand"
    assert ps.score > without.score


def test_unknown_names_close_in_meaning_match_at_their_similarity_and_say_so():
    # two different unknown names, one per side, close in meaning for the shipped encoder
    cand, role = _cand("c", "KaTeX math typesetting"), _role("r", "MathJax math typesetting")
    graph = open_vocabulary(TAX, [cand], [role], ENC)
    assert isinstance(graph, OpenVocabulary)
    sim = graph.pairs["KaTeX math typesetting"]["MathJax math typesetting"]
    assert sim >= LINK_THRESHOLD
    ps = score_pair(cand, role, taxonomy=TAX, encoder=ENC, rates=Rates("EUR"))
    (credit,) = ps.explanation.skills
    assert (credit.match, credit.strength, credit.credit) == ("meaning", sim, sim)
    line = next(s for s in render_sentences(ps.explanation, "partner") if "meaning" in s)
    assert (
        "matched by meaning: MathJax math typesetting ≈ KaTeX math typesetting, "
        f"similarity {sim:.2f}" in line
    )
    assert ps.explanation.to_dict()["adjacent"][0]["match"] == "meaning"


def test_an_unknown_name_links_to_its_nearest_taxonomy_skill_both_ways():
    # a name the taxonomy's aliases do not list but the encoder places next to Prometheus
    name = "Prometheus metrics"
    graph = open_vocabulary(TAX, [_cand("c", name)], [_role("r", "prometheus")], ENC)
    skill = graph.unknown[name]
    assert skill.nearest == "prometheus" and skill.link == "prometheus"
    assert skill.similarity >= LINK_THRESHOLD
    claim_side = score_pair(
        _cand("c", name), _role("r", "prometheus"), taxonomy=TAX, encoder=ENC, rates=Rates("EUR")
    )
    role_side = score_pair(
        _cand("c", "prometheus"), _role("r", name), taxonomy=TAX, encoder=ENC, rates=Rates("EUR")
    )
    for ps in (claim_side, role_side):
        (credit,) = ps.explanation.skills
        assert (credit.match, credit.credit) == ("meaning", skill.similarity)


def test_a_distant_unknown_name_is_kept_unlinked_and_counts_as_missing():
    cand, role = _cand("c", "python"), _role("r", "Underwater basket weaving")
    graph = open_vocabulary(TAX, [cand], [role], ENC)
    skill = graph.unknown["Underwater basket weaving"]
    assert skill.link is None and skill.similarity < LINK_THRESHOLD
    ps = score_pair(cand, role, taxonomy=TAX, encoder=ENC, rates=Rates("EUR"))
    assert [s.label for s in ps.explanation.missing] == ["Underwater basket weaving"]


def test_the_cli_keeps_unknown_names_and_refuses_only_non_names():
    doc = {
        "rates": {"base": "EUR"},
        "candidates": [
            {
                "id": "c1",
                "skills": [{"skill": "  Zustand ", "level": 3}],
                "years_experience": 4,
                "level": "senior",
                "country": "DE",
            }
        ],
        "roles": [
            {
                "id": "r1",
                "company_id": "co",
                "title": "FE",
                "level": "senior",
                "role_type": "swe",
                "pay_band_min": {"amount": 1, "currency": "EUR"},
                "pay_band_max": {"amount": 2, "currency": "EUR"},
                "required_skills": [{"skill": "zustand"}, {"skill": "k8s"}],
            }
        ],
    }
    cands, roles, _, _ = parse_input(doc, TAX)
    assert cands[0].skills[0].skill_id == "Zustand"  # kept as given, whitespace collapsed
    assert [q.skill_id for q in roles[0].required_skills] == ["zustand", "kubernetes"]
    doc["candidates"][0]["skills"].append({"skill": "KaTeX math typesetting", "level": 3})
    doc["roles"][0]["nice_to_have"] = [{"skill": "MathJax math typesetting"}]
    out = score_document(doc, taxonomy=TAX, encoder=ENC)
    jsonschema.validate(out, json.loads((SCHEMAS / "score-output.schema.json").read_text()))
    (pair,) = out["pairs"]
    assert [s["match"] for s in pair["explanation"]["matched"]] == ["name"]
    assert [s["match"] for s in pair["explanation"]["adjacent"]] == ["meaning"]
    doc["roles"][0]["required_skills"].append({"skill": "?!"})
    with pytest.raises(EngineInputError, match=r"required_skills\[2\]: not a skill name '\?!'"):
        parse_input(doc, TAX)
    doc["roles"][0]["required_skills"][2] = {"skill": "x" * 121}
    with pytest.raises(EngineInputError, match="at most 120 characters"):
        parse_input(doc, TAX)


def test_clean_name_collapses_whitespace_and_keeps_case():
    assert clean_name(" Grafana\u00a0 Loki ") == "Grafana Loki"


UNKNOWN = ["zustand", "Zustand", "state store", "store state cache", "katex render", "render"]


def _with_unknown(rng, cands, roles):
    """The random instance with names outside the taxonomy added on both sides."""
    out_c = [
        replace(
            c,
            skills=c.skills
            + tuple(
                SkillClaim(s, rng.randint(1, 5)) for s in rng.sample(UNKNOWN, rng.randint(0, 3))
            ),
        )
        for c in cands
    ]
    out_r = [
        replace(
            r,
            required_skills=r.required_skills
            + tuple(
                RequiredSkill(s, rng.randint(1, 3)) for s in rng.sample(UNKNOWN, rng.randint(0, 2))
            ),
        )
        for r in roles
    ]
    return out_c, out_r


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 12), m=st.integers(2, 7), data=st.data())
def test_with_unknown_names_batch_chunks_and_per_pair_paths_give_the_same_numbers(seed, n, m, data):
    rng = random.Random(seed)
    cands, roles = _with_unknown(rng, *random_instance(rng, n, m))
    enc = HashEncoder()
    graph = open_vocabulary(TAX, cands, roles, enc)
    kwargs = dict(rates=RATES, top_k_per_role=3, top_k_per_candidate=2)
    whole = shortlist(
        cands, roles, taxonomy=graph, embeddings=encode_texts(enc, cands, roles), **kwargs
    )
    for i in range(len(whole)):
        c, r = cands[int(whole.candidate[i])], roles[int(whole.role[i])]
        ps = score_pair(c, r, taxonomy=TAX, encoder=enc, rates=RATES)
        assert float(whole.score[i]) == round(ps.score, NDIGITS)
        assert int(whole.missing_required[i]) == sum(
            1 for s in ps.explanation.missing if s.kind == "required"
        )
    cut = data.draw(st.integers(1, m - 1))
    parts = [
        shortlist(
            cands,
            ch,
            taxonomy=open_vocabulary(TAX, cands, ch, enc),
            embeddings=encode_texts(enc, cands, ch),
            **kwargs,
        )
        for ch in (roles[cut:], roles[:cut])
    ]
    assert merge_shortlists(parts).equals(whole)


def test_similarities_do_not_depend_on_which_other_names_are_in_the_run():
    names = ["Zustand", "Redux Toolkit", "MobX", "Vuex", "Pinia", "Jotai", "Recoil"]
    few = open_vocabulary(TAX, [_cand("c", *names[:2])], [_role("r", "Jotai")], ENC)
    many = open_vocabulary(TAX, [_cand("c", *names)], [_role("r", "Jotai", "Recoil")], ENC)
    assert isinstance(few, OpenVocabulary) and isinstance(many, OpenVocabulary)
    for name in names[:2]:
        assert few.unknown[name] == many.unknown[name]
        assert few.pairs.get(name, {}).get("Jotai") == many.pairs.get(name, {}).get("Jotai")
    assert np.isfinite([s.similarity for s in many.unknown.values()]).all()
