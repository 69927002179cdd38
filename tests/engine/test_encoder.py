"""The default text encoder: shape, unit rows, determinism, similarity, offline loading."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from matchday.engine.encoder import (
    ENCODER_ENV_VAR,
    EncoderConfigError,
    StaticEncoder,
    TextEncoder,
    get_encoder,
)


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    return get_encoder()


def test_default_encoder_is_the_static_model_and_a_text_encoder(encoder):
    assert isinstance(encoder, StaticEncoder)
    assert isinstance(encoder, TextEncoder)
    assert encoder.dim == 128
    assert encoder.name == "model2vec:all-MiniLM-L6-v2-pca128"


def test_rows_are_float32_unit_vectors_of_the_right_dimension(encoder):
    long_text = "Built and scaled the LLM serving platform on Kubernetes. " * 200
    vectors = encoder.encode(["PyTorch", "Kubernetes operators in Go", long_text])
    assert vectors.shape == (3, encoder.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_and_blank_texts_give_zero_rows(encoder):
    vectors = encoder.encode(["", "  \n", "PyTorch"])
    assert not vectors[0].any()
    assert not vectors[1].any()
    assert np.isclose(np.linalg.norm(vectors[2]), 1.0, atol=1e-5)


def test_text_without_any_known_token_gives_a_zero_row(encoder):
    assert not encoder.encode(["a" * 5000])[0].any()


def test_empty_batch_gives_empty_matrix(encoder):
    assert encoder.encode([]).shape == (0, encoder.dim)


def test_encoding_is_deterministic_and_independent_of_batch(encoder):
    texts = ["trained transformer models in PyTorch", "managed the office kitchen"]
    first = encoder.encode(texts)
    assert np.array_equal(first, encoder.encode(texts))
    assert np.allclose(first[1], encoder.encode([texts[1]])[0], atol=1e-6)


def test_related_texts_are_closer_than_unrelated_ones(encoder):
    a, b, c = encoder.encode(
        [
            "trained transformer models in PyTorch",
            "fine-tuned LLMs with PyTorch",
            "managed the office kitchen",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2
    assert float(a @ b) > float(b @ c) + 0.2


def test_a_single_string_is_refused(encoder):
    with pytest.raises(TypeError, match="sequence of texts, not a single string"):
        encoder.encode("PyTorch")
    with pytest.raises(TypeError, match=r"texts\[1\] is int, not str"):
        encoder.encode(["PyTorch", 3])


def test_get_encoder_is_cached():
    assert get_encoder() is get_encoder()
    assert get_encoder("static") is get_encoder()


def test_unknown_encoder_name_is_refused():
    with pytest.raises(EncoderConfigError, match="unknown encoder 'word2vec'"):
        get_encoder("word2vec")


def test_static_encoder_from_missing_directory_is_refused(tmp_path):
    with pytest.raises(EncoderConfigError, match=r"no model\.safetensors"):
        StaticEncoder(tmp_path)


def test_configured_transformer_without_the_package_falls_back_to_static(monkeypatch, tmp_path):
    if _has_sentence_transformers():
        pytest.skip("sentence-transformers is installed here")
    monkeypatch.setenv(ENCODER_ENV_VAR, f"sentence-transformers:{tmp_path}")
    with pytest.warns(RuntimeWarning, match="sentence-transformers is not installed"):
        assert isinstance(get_encoder(), StaticEncoder)
    with pytest.raises(EncoderConfigError, match="sentence-transformers is not installed"):
        get_encoder(f"sentence-transformers:{tmp_path}")


def test_static_encoder_loads_offline_without_torch():
    code = (
        "import sys; from matchday.engine.encoder import get_encoder; "
        "v = get_encoder().encode(['PyTorch']); "
        "assert v.shape == (1, 128); "
        "assert 'torch' not in sys.modules, 'torch was imported'; print('ok')"
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def _has_sentence_transformers() -> bool:
    import importlib.util

    return importlib.util.find_spec("sentence_transformers") is not None


class _FakeSentenceTransformer:
    """Stands in for sentence_transformers.SentenceTransformer to check the wiring."""

    calls: list[tuple[str, dict]] = []

    def __init__(self, path: str, **kwargs) -> None:
        self.calls.append((path, kwargs))

    def get_embedding_dimension(self) -> int:
        return 4

    def encode(self, texts, **kwargs):
        return np.array([[len(t), 1.0, 0.0, 0.0] for t in texts], dtype=np.float64)


def test_transformer_encoder_loads_locally_only_and_normalises(monkeypatch, tmp_path):
    import types

    fake = types.ModuleType("sentence_transformers")
    fake.SentenceTransformer = _FakeSentenceTransformer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake)
    from matchday.engine.encoder import TransformerEncoder

    encoder = TransformerEncoder(tmp_path)
    assert _FakeSentenceTransformer.calls[-1] == (
        str(tmp_path),
        {"device": "cpu", "local_files_only": True},
    )
    assert encoder.dim == 4
    assert encoder.name == f"sentence-transformers:{tmp_path.name}"
    vectors = encoder.encode(["abc", ""])
    assert vectors.dtype == np.float32
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0)
    assert not vectors[1].any()


def test_transformer_encoder_needs_an_existing_directory(tmp_path):
    from matchday.engine.encoder import TransformerEncoder

    with pytest.raises(EncoderConfigError, match="not a directory"):
        TransformerEncoder(tmp_path / "missing")
