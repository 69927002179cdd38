"""Stored text vectors: reused only where they are of the texts compared now, and then the
same bits as computing them (so a run's output cannot depend on what was stored)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matchday.engine.batch import encode_texts
from matchday.engine.encoder import StaticEncoder, get_encoder
from matchday.engine.io import dump_json as dumps
from matchday.engine.pipeline import CurationOptions, curate
from matchday.engine.texts import (
    StoredVector,
    candidate_texts,
    combined_vectors,
    encoder_version,
    reuse_or_combine,
    role_texts,
    text_digest,
    vector_from_bytes,
    vector_to_bytes,
)
from tests.engine.instances import RATES, TAX, random_instance

FIELDS = [
    ["trained transformer models in PyTorch", "ML engineer", "", "pytorch, python"],
    ["", "Site reliability engineer", "ran Kubernetes clusters", "kubernetes"],
    ["", "", "", ""],
    ["baked bread", "baker", "bakery", "baking"],
]


def bits(a):
    return np.ascontiguousarray(a, np.float32).view(np.uint32)


@pytest.fixture(scope="module")
def enc():
    return get_encoder()


def test_each_row_is_the_same_bits_alone_as_in_any_batch(enc):
    together = combined_vectors(enc, FIELDS * 50)
    for i, fields in enumerate(FIELDS):
        alone = combined_vectors(enc, [fields])[0]
        assert np.array_equal(bits(together[i]), bits(alone))
        assert np.array_equal(bits(together[len(FIELDS) * 49 + i]), bits(alone))


def test_stored_vectors_give_the_bits_of_computing_them(enc):
    computed = combined_vectors(enc, FIELDS)
    stored = [
        StoredVector(text_digest(FIELDS[0]), combined_vectors(enc, [FIELDS[0]])[0]),
        None,
        StoredVector(text_digest(FIELDS[2]), combined_vectors(enc, [FIELDS[2]])[0]),
        None,
    ]
    out, reused = reuse_or_combine(enc, FIELDS, stored)
    assert reused == 2
    assert np.array_equal(bits(out), bits(computed))


def test_a_vector_of_other_texts_is_not_used(enc):
    wrong = np.ones(enc.dim, np.float32)
    stored = [StoredVector(text_digest(["something else"]), wrong)] + [None] * 3
    out, reused = reuse_or_combine(enc, FIELDS, stored)
    assert reused == 0
    assert np.array_equal(bits(out), bits(combined_vectors(enc, FIELDS)))


def test_the_stored_vector_is_what_is_used_when_its_digest_matches(enc):
    # the reuse is real: a (tampered) vector whose digest matches is taken as it is
    marker = np.full(enc.dim, 0.5, np.float32)
    out, reused = reuse_or_combine(
        enc, FIELDS, [StoredVector(text_digest(FIELDS[0]), marker)] + [None] * 3
    )
    assert reused == 1
    assert np.array_equal(out[0], marker)


def test_a_vector_of_another_dimension_makes_everything_computed(enc):
    short = np.ones(enc.dim // 2, np.float32)
    stored = [StoredVector(text_digest(FIELDS[0]), short), None, None, None]
    out, reused = reuse_or_combine(enc, FIELDS, stored)
    assert reused == 0
    assert out.shape == (4, enc.dim)


def test_bytes_round_trip_and_refuse_another_length(enc):
    v = combined_vectors(enc, [FIELDS[0]])[0]
    data = vector_to_bytes(v)
    assert len(data) == 4 * enc.dim
    assert np.array_equal(bits(vector_from_bytes(data, enc.dim)), bits(v))
    assert vector_from_bytes(data, enc.dim + 1) is None


def test_digest_separates_fields():
    assert text_digest(["ab", ""]) != text_digest(["a", "b"])
    assert text_digest(["a", "b"]) == text_digest(["a", "b"])


def test_the_encoder_version_names_the_weights(tmp_path):
    enc = StaticEncoder()
    assert encoder_version(enc).startswith(enc.name + "@")
    # the same model under another directory with one byte of its weights changed: other version
    import shutil

    copy = tmp_path / "encoder"
    shutil.copytree(enc.path, copy)
    weights = bytearray((copy / "model.safetensors").read_bytes())
    weights[-1] ^= 1
    (copy / "model.safetensors").write_bytes(bytes(weights))
    other = StaticEncoder(copy)
    assert encoder_version(other).split("@")[1] != encoder_version(enc).split("@")[1]


def test_encode_texts_reuses_by_id_and_counts(enc):
    cands, roles = random_instance(random.Random(3), 5, 3)
    plain = encode_texts(enc, cands, roles)
    stored = {
        cands[1].id: StoredVector(text_digest(candidate_texts(cands[1])), plain[0][1]),
        roles[2].id: StoredVector(text_digest(role_texts(roles[2])), plain[1][2]),
        "c-gone": StoredVector("0" * 64, plain[0][0]),
    }
    counts: dict[str, int] = {}
    again = encode_texts(enc, cands, roles, stored=stored, counts=counts)
    assert counts == {"reused": 2, "computed": 6}
    assert np.array_equal(bits(again[0]), bits(plain[0]))
    assert np.array_equal(bits(again[1]), bits(plain[1]))


@pytest.mark.parametrize("seed", range(4))
def test_curation_output_is_the_same_bytes_with_any_vectors_stored(enc, seed):
    rng = random.Random(seed)
    cands, roles = random_instance(rng, 40, 12)
    options = CurationOptions(candidate_cap=2, role_cap=3)
    kw = {"taxonomy": TAX, "rates": RATES, "options": options, "encoder": enc}
    doc = {"input_hash": "x", "encoder": encoder_version(enc), "taxonomy_version": ""}
    plain = curate(cands, roles, **kw).to_dict(**doc)
    c_emb, r_emb = encode_texts(enc, cands, roles)
    stored = {
        c.id: StoredVector(text_digest(candidate_texts(c)), c_emb[i])
        for i, c in enumerate(cands)
        if rng.random() < 0.6
    } | {
        r.id: StoredVector(text_digest(role_texts(r)), r_emb[j])
        for j, r in enumerate(roles)
        if rng.random() < 0.6
    }
    counts: dict[str, int] = {}
    embeddings = encode_texts(enc, cands, roles, stored=stored, counts=counts)
    assert counts["reused"] == len(stored)
    with_stored = curate(cands, roles, embeddings=embeddings, **kw).to_dict(**doc)
    assert dumps(with_stored) == dumps(plain)
