"""Several text fields per side, combined into one vector (issue 13)."""

import numpy as np

from matchday.engine.batch import encode_texts
from matchday.engine.encoder import get_encoder
from matchday.engine.scoring import score_pair
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.texts import candidate_texts, combined_vectors, role_texts
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim

TAX = load_taxonomy()
ENC = get_encoder()
ROLE = Role(
    "r",
    "co",
    "Speech recognition engineer",
    "senior",
    "mle",
    Money(1, "EUR"),
    Money(2, "EUR"),
    (RequiredSkill("speech-recognition", 2),),
    description="Speech recognition engineer: train streaming ASR models for call centres",
)


def _cand(cid, **texts):
    return Candidate(cid, (SkillClaim("python", 3),), 5.0, "senior", "DE", **texts)


def _text_value(cand):
    ps = score_pair(cand, ROLE, taxonomy=TAX, encoder=ENC, rates=Rates("EUR"))
    return next(c.value for c in ps.explanation.contributions if c.component == "text_similarity")


def test_the_summary_and_experience_count_when_there_are_no_achievements():
    blank = _cand("c0")
    summary = _cand("c1", summary_text="Speech engineer building ASR for call centres")
    experience = _cand("c2", experience_text="ASR engineer at Voicely: streaming speech models")
    off_topic = _cand("c3", summary_text="Pastry chef, sourdough and croissants")
    values = {c.id: _text_value(c) for c in (blank, summary, experience, off_topic)}
    assert values["c1"] > values["c3"] and values["c2"] > values["c3"]
    assert candidate_texts(summary)[1] == "Speech engineer building ASR for call centres"
    assert role_texts(ROLE)[1] == "speech recognition"


def test_combined_vectors_are_unit_rows_and_the_same_bits_alone_or_in_a_batch():
    cands = [
        _cand("a", achievements_text="Cut latency 40%", summary_text="Backend engineer"),
        _cand("b"),
        _cand("c", experience_text="Data analyst at a bank"),
    ]
    batch = combined_vectors(ENC, [candidate_texts(c) for c in cands])
    for i, c in enumerate(cands):
        alone = combined_vectors(ENC, [candidate_texts(c)])
        assert np.array_equal(alone[0], batch[i])
    norms = np.linalg.norm(batch, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-6)
    c_emb, r_emb = encode_texts(ENC, cands, [ROLE])
    assert np.array_equal(c_emb, batch) and r_emb.shape == (1, ENC.dim)


def test_an_item_with_no_text_at_all_gets_a_zero_vector():
    empty = Candidate("e", (), 0.0, "junior", "DE")
    assert not combined_vectors(ENC, [candidate_texts(empty)]).any()
