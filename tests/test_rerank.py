"""The cross-encoder reranker path, with a tiny cross-encoder built on disk in the test (no hub, no download)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED_FILES, HashingEmbedder

from core.errors import SettingsError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.pipeline import ingest
from ingest.store import VectorStore
from retriever.rerank import CrossEncoderReranker, reranker_from_settings
from retriever.search import Searcher

WORDS = [
    "the",
    "a",
    "child",
    "young",
    "person",
    "police",
    "school",
    "exclusion",
    "interpreter",
    "review",
    "learning",
    "plan",
    "harm",
]


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("cross-encoder")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(folder)
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    return folder


@pytest.fixture
def searcher_with(tmp_path: Path, settings: Settings):  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus / path.name)
    embedder = HashingEmbedder()
    ingest([corpus], settings, lambda: embedder)
    return lambda reranker: Searcher(Catalog(settings.db_path), VectorStore(settings), embedder, reranker)


def test_the_top_is_ordered_by_the_cross_encoder(tiny_cross_encoder: Path, searcher_with) -> None:  # type: ignore[no-untyped-def]
    reranker = CrossEncoderReranker(str(tiny_cross_encoder), depth=4)
    query = "young person school exclusion"
    fused = searcher_with(None).search(query, k=8, mode="hybrid")
    reranked = reranker.rerank(query, fused)
    # one batch of the same pairs, as the reranker scores them: one pair at a time pads differently, and a random
    # tiny model's near-equal scores then differ in their last bits
    predicted = reranker._model.predict([(query, h.chunk.text) for h in fused[:4]], show_progress_bar=False)
    model_scores = {h.chunk.chunk_id: float(score) for h, score in zip(fused[:4], predicted, strict=True)}
    assert [h.chunk.chunk_id for h in reranked[:4]] == sorted(model_scores, key=lambda c: -model_scores[c])
    assert [h.chunk.chunk_id for h in reranked[4:]] == [h.chunk.chunk_id for h in fused[4:]]
    assert min(h.score for h in reranked[:4]) > max(h.score for h in reranked[4:])


def test_default_search_goes_through_the_configured_reranker(tiny_cross_encoder: Path, searcher_with) -> None:  # type: ignore[no-untyped-def]
    searcher = searcher_with(CrossEncoderReranker(str(tiny_cross_encoder)))
    assert all("rerank" in h.ranks_by_signal for h in searcher.search("police referrals", k=3))
    assert all("rerank" not in h.ranks_by_signal for h in searcher.search("police referrals", k=3, mode="hybrid"))


def test_no_reranker_unless_configured(settings: Settings) -> None:
    assert reranker_from_settings(settings) is None


def test_a_wrong_reranker_path_is_a_clear_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="CASEWISE_RERANKER"):
        CrossEncoderReranker(str(tmp_path / "nowhere"))
