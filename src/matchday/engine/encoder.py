"""Text encoders: texts in, L2-normalised float32 vectors out (cosine = dot product).

The default is a static-embedding model distilled with model2vec from all-MiniLM-L6-v2
(128 dimensions, ~8 MB, committed in ``data/encoder/``). It needs numpy, tokenizers and
safetensors only: no torch, no network. A sentence-transformers model is used instead
only when that package is installed *and* configured with
``MATCHDAY_ENCODER=sentence-transformers:<local model dir>``; models are never downloaded.

>>> enc = get_encoder()
>>> vectors = enc.encode(["trained transformer models in PyTorch", ""])
>>> vectors.shape == (2, enc.dim), vectors.dtype.name
(True, 'float32')
>>> round(float(vectors[0] @ vectors[0]), 3), float(abs(vectors[1]).sum())
(1.0, 0.0)
"""

from __future__ import annotations

import functools
import hashlib
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_ENCODER_PATH",
    "ENCODER_ENV_VAR",
    "EncoderConfigError",
    "StaticEncoder",
    "TextEncoder",
    "TransformerEncoder",
    "get_encoder",
]

DEFAULT_ENCODER_PATH = Path(__file__).parent / "data" / "encoder"
DEFAULT_ENCODER_NAME = "model2vec:all-MiniLM-L6-v2-pca128"
ENCODER_ENV_VAR = "MATCHDAY_ENCODER"
_ST_PREFIX = "sentence-transformers:"
_STATIC_PREFIX = "static:"


class EncoderConfigError(ValueError):
    """The configured encoder cannot be used (bad spec, missing directory or package)."""


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns texts into unit vectors.

    ``encode`` returns a float32 array of shape ``(len(texts), dim)`` whose rows have unit
    L2 norm, except the rows of empty or blank texts (and of texts in which the model knows
    no token at all), which are all zeros.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


def _finish(raw: npt.ArrayLike, texts: Sequence[str], dim: int) -> npt.NDArray[np.float32]:
    """float32, blank texts -> zero rows, other rows L2-normalised."""
    out = np.asarray(raw, dtype=np.float32).reshape(len(texts), dim)
    out = np.array(out, dtype=np.float32, copy=True)
    blank = np.fromiter((not t.strip() for t in texts), dtype=bool, count=len(texts))
    out[blank] = 0.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _files_digest(directory: Path) -> str:
    """The first 12 hex digits of a sha256 over the model directory's files (name and bytes)."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix != ".md"):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not a single string")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, not str")
    return items


class StaticEncoder:
    """A model2vec static-embedding model loaded from a local directory.

    Parameters
    ----------
    path
        Directory written by ``StaticModel.save_pretrained``; the shipped model by default.

    Examples
    --------
    >>> enc = StaticEncoder()
    >>> enc.dim
    128
    >>> a, b, c = enc.encode(["fine-tuned LLMs", "trained language models", "baked bread"])
    >>> bool(a @ b > a @ c)
    True
    """

    def __init__(self, path: str | Path | None = None) -> None:
        directory = Path(path) if path is not None else DEFAULT_ENCODER_PATH
        if not (directory / "model.safetensors").is_file():
            raise EncoderConfigError(f"{directory}: no model.safetensors (not a model2vec model)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory: never the network
        from model2vec import StaticModel

        self._model: Any = StaticModel.from_pretrained(str(directory))
        self.path = directory
        self.name = DEFAULT_ENCODER_NAME if path is None else f"model2vec:{directory.name}"
        self.dim: int = int(self._model.embedding.shape[1])
        # what a stored vector was computed with: the name and a digest of the weights and
        # the tokenizer, so a changed model under the same name makes stored vectors stale
        self.version = f"{self.name}@{_files_digest(directory)}"

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Encode ``texts``; see :class:`TextEncoder` for the guarantees."""
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        raw = self._model.encode(items, show_progress_bar=False)
        return _finish(raw, items, self.dim)

    def __repr__(self) -> str:
        return f"<StaticEncoder {self.name} dim={self.dim}>"


class TransformerEncoder:
    """A sentence-transformers model from a local directory (CPU, no downloads).

    Only constructed when ``sentence_transformers`` is importable; raises
    :class:`EncoderConfigError` otherwise.
    """

    def __init__(self, path: str | Path) -> None:
        directory = Path(path)
        if not directory.is_dir():
            raise EncoderConfigError(f"{directory}: not a directory")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderConfigError(
                "sentence-transformers is not installed; use the static encoder"
            ) from exc
        self._model: Any = SentenceTransformer(str(directory), device="cpu", local_files_only=True)
        self.path = directory
        self.name = f"sentence-transformers:{directory.name}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension  # sentence-transformers < 6
        )
        self.dim = int(dimension())

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Encode ``texts``; see :class:`TextEncoder` for the guarantees."""
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        raw = self._model.encode(items, convert_to_numpy=True, show_progress_bar=False)
        return _finish(raw, items, self.dim)

    def __repr__(self) -> str:
        return f"<TransformerEncoder {self.name} dim={self.dim}>"


def _sentence_transformers_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("sentence_transformers") is not None


@functools.cache
def _build(spec: str) -> TextEncoder:
    if spec == "static":
        return StaticEncoder()
    if spec.startswith(_STATIC_PREFIX):
        return StaticEncoder(spec[len(_STATIC_PREFIX) :])
    if spec.startswith(_ST_PREFIX):
        return TransformerEncoder(spec[len(_ST_PREFIX) :])
    raise EncoderConfigError(
        f"unknown encoder {spec!r}: use 'static', 'static:<dir>' or "
        f"'sentence-transformers:<local model dir>'"
    )


def get_encoder(name: str | None = None) -> TextEncoder:
    """The encoder named ``name``, or the configured one; built once and cached.

    ``name`` (or, when it is ``None``, the ``MATCHDAY_ENCODER`` environment variable read
    now) is ``"static"`` (the default), ``"static:<dir>"`` or
    ``"sentence-transformers:<local model dir>"``. A sentence-transformers encoder set in
    the environment while the package is not installed falls back to the static encoder
    with a warning; asked for by ``name``, it raises :class:`EncoderConfigError`.

    >>> get_encoder() is get_encoder("static")
    True
    """
    if name is not None:
        return _build(name.strip())
    spec = os.environ.get(ENCODER_ENV_VAR, "").strip() or "static"
    if spec.startswith(_ST_PREFIX) and not _sentence_transformers_available():
        warnings.warn(
            f"{ENCODER_ENV_VAR}={spec} but sentence-transformers is not installed; "
            "using the static encoder",
            RuntimeWarning,
            stacklevel=2,
        )
        spec = "static"
    return _build(spec)
