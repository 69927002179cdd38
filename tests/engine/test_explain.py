import json
import random

import numpy as np
import pytest

from matchday.engine.explain import render_sentences
from matchday.engine.scoring import score_pair
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim
from tests.engine.instances import HashEncoder, random_instance

TAX = load_taxonomy()
RATES = Rates("USD", {"EUR": 1.1})


def _pair():
    cand = Candidate(
        "c1",
        (SkillClaim("jax", 4, 3.0, "Trained a 1B model on TPUs"), SkillClaim("kubernetes", 2, 1.0)),
        5.0,
        "senior",
        "DE",
        min_pay=Money(100000, "EUR"),
        domains=frozenset({"health"}),
        achievements_text="trained models fast",
    )
    role = Role(
        "r1",
        "co1",
        "MLE",
        "senior",
        "mle",
        Money(90000, "EUR"),
        Money(130000, "EUR"),
        (
            RequiredSkill("pytorch", 3),
            RequiredSkill("kubernetes", 3, 2.0),
            RequiredSkill("cuda", 2),
        ),
        (RequiredSkill("python", 2),),
        domains=frozenset({"health"}),
        description="train models",
    )
    return score_pair(cand, role, taxonomy=TAX, encoder=HashEncoder(), rates=RATES)


@pytest.mark.parametrize("seed", range(25))
def test_contributions_add_up_to_the_score(seed):
    cands, roles = random_instance(random.Random(seed), 6, 4)
    for c in cands:
        for r in roles:
            e = score_pair(c, r, taxonomy=TAX, encoder=HashEncoder(), rates=RATES).explanation
            assert abs(sum(x.contribution for x in e.contributions) - e.score) < 1e-12
            rounded = e.to_dict()
            total = sum(x["contribution"] for x in rounded["contributions"])
            assert abs(total - rounded["score"]) <= 5e-7 * (1 + len(e.contributions))
            if e.eligible:
                assert abs(sum(x.share for x in e.contributions) - 1.0) < 1e-12


def test_explanation_lists_matched_adjacent_and_missing_skills():
    e = _pair().explanation
    assert [s.skill_id for s in e.matched] == ["kubernetes"]
    assert [(s.skill_id, s.via_skill_id, s.credit) for s in e.adjacent] == [("pytorch", "jax", 0.6)]
    assert [s.skill_id for s in e.missing] == ["cuda", "python"]


def test_to_dict_is_json_safe_and_rounded():
    d = _pair().explanation.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert all(len(str(c["contribution"]).split(".")[-1]) <= 6 for c in d["contributions"])


def test_candidate_reads_adjacent_credit_in_plain_words():
    sentences = render_sentences(_pair().explanation, "candidate")
    assert "Your JAX experience counts 60% towards PyTorch (related at 60%)." in sentences
    assert sentences[0].startswith("You meet 2 of the 3 required skills")


def test_company_sees_evidence_but_no_location_or_pay_figures():
    text = " ".join(render_sentences(_pair().explanation, "company"))
    assert 'Evidence: "Trained a 1B model on TPUs"' in text
    assert "DE" not in text and "100,000" not in text


def test_partner_sees_every_component_and_constraint():
    e = _pair().explanation
    sentences = render_sentences(e, "partner")
    assert sum(s.startswith("Constraint ") for s in sentences) == len(e.constraints)
    assert any(s.startswith("Required skills: ") for s in sentences)


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="unknown audience"):
        render_sentences(_pair().explanation, "recruiter")  # type: ignore[arg-type]


def test_hash_encoder_rows_are_unit_or_zero():
    v = HashEncoder().encode(["a b", ""])
    assert np.allclose(np.linalg.norm(v, axis=1), [1.0, 0.0])
