"""The model on ONNX Runtime gives the PyTorch model's vectors, and a search then runs without importing torch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from test_cold_start import HEAVY, run_cli

from core.settings import DEFAULT_MODEL, Settings
from ingest.embedding import SentenceTransformerEmbedder, load_embedder, resolve_model_path
from ingest.onnx_embedding import OnnxEmbedder, layout_of
from ingest.pipeline import ingest

MODEL_DIR = Path(resolve_model_path(DEFAULT_MODEL))


def review_sentences() -> list[str]:
    """Sentences and whole paragraphs of the repository's review texts, with awkward cases added."""
    texts: list[str] = []
    for folder in (ROOT / "corpus", ROOT / "evals" / "corpus-dev" / "reviews"):
        for path in sorted([*folder.glob("*.txt"), *folder.glob("*.md")]):
            body = path.read_text(encoding="utf-8")
            texts += [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if len(p.split()) > 3][:10]
            texts += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(body.split())) if s][:25]
    long_text = " ".join(texts[:40])  # far past the model's window: truncated the same way
    return [*texts, "", "A", "naïve café — “quoted” 😀 safeguarding", long_text]


@pytest.mark.integration
def test_onnx_vectors_match_the_pytorch_model() -> None:
    onnx = load_embedder(DEFAULT_MODEL)
    assert isinstance(onnx, OnnxEmbedder)
    torch_model = SentenceTransformerEmbedder(DEFAULT_MODEL)
    texts = review_sentences()
    assert len(texts) >= 200
    batched = onnx.encode(texts)
    one_by_one = np.concatenate([onnx.encode([t]) for t in texts[:20]])
    expected = torch_model.encode(texts)
    assert batched.shape == expected.shape == (len(texts), 384)
    assert float((batched * expected).sum(axis=1).min()) >= 0.9999
    assert float((one_by_one * expected[:20]).sum(axis=1).min()) >= 0.9999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_search_on_an_existing_index_does_not_import_torch(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ingest([ROOT / "corpus"], Settings.from_env(env={}, home=home), lambda: load_embedder(DEFAULT_MODEL))
    code, heavy, err = run_cli(home, "search", "Was he excluded from school?", "--json")
    assert code == 0, err
    assert not {"torch", "transformers", "sentence_transformers"} & set(heavy)
    assert {"chromadb", "onnxruntime"} <= set(heavy) <= set(HEAVY)


def _model_folder(folder: Path, modules: list[dict], pooling: dict) -> Path:
    folder.mkdir()
    (folder / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")
    (folder / "sentence_bert_config.json").write_text('{"max_seq_length": 128}', encoding="utf-8")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"weights")
    return folder


TRANSFORMER = {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}
POOLING = {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
DENSE = {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
MEAN = {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}


def test_layouts_onnx_cannot_reproduce_stay_on_pytorch(tmp_path: Path) -> None:
    plain = layout_of(_model_folder(tmp_path / "plain", [TRANSFORMER, POOLING], MEAN))
    assert plain is not None and (plain.pooling, plain.max_length, plain.dimension) == ("mean", 128, 384)
    assert layout_of(_model_folder(tmp_path / "dense", [TRANSFORMER, POOLING, DENSE], MEAN)) is None
    max_pooled = {**MEAN, "pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": True}
    assert layout_of(_model_folder(tmp_path / "max", [TRANSFORMER, POOLING], max_pooled)) is None
    assert layout_of(tmp_path / "missing") is None
