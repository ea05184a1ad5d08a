"""Run a BEIR-format dataset through every retrieval configuration in one run, into its own index."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from core.errors import CasewiseError
from core.models import Review, ReviewMeta, Section
from core.settings import Settings
from evals.retrieval_metrics import mrr_at_k, ndcg_at_k, recall_at_k
from ingest.catalog import Catalog
from ingest.embedding import Embedder
from ingest.pipeline import index_reviews
from retriever.search import MODES, Searcher


@dataclass(frozen=True)
class BeirDataset:
    """Documents (id -> (title, text)), queries with judgements, and the split they come from."""

    name: str
    split: str
    corpus: dict[str, tuple[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_beir(folder: Path, split: str) -> BeirDataset:
    """Read corpus.jsonl, queries.jsonl and qrels/SPLIT.tsv; only judged queries are kept."""
    paths = {
        "corpus": folder / "corpus.jsonl",
        "queries": folder / "queries.jsonl",
        "qrels": folder / "qrels" / f"{split}.tsv",
    }
    for what, path in paths.items():
        if not path.is_file():
            qrels_dir = folder / "qrels"
            available = sorted(p.stem for p in qrels_dir.glob("*.tsv")) if qrels_dir.is_dir() else []
            hint = f" (splits here: {', '.join(available)})" if what == "qrels" and available else ""
            raise CasewiseError(f"BEIR {what} file {path} is missing{hint}; pass a BEIR-format folder and --split")
    try:
        corpus = {}
        for line in paths["corpus"].read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                corpus[str(doc["_id"])] = (doc.get("title") or "", doc.get("text") or "")
        queries = {str(q["_id"]): q["text"] for q in map(json.loads, _lines(paths["queries"]))}
        qrels: dict[str, dict[str, int]] = {}
        for row in _lines(paths["qrels"])[1:]:
            qid, did, grade = row.split("\t")[:3]
            if int(grade) > 0:
                qrels.setdefault(qid, {})[did] = int(grade)
    except (ValueError, KeyError) as exc:
        raise CasewiseError(f"{folder} is not in BEIR format ({exc}); see https://github.com/beir-cellar/beir") from exc
    qrels = {q: r for q, r in qrels.items() if q in queries}
    return BeirDataset(folder.name, split, corpus, {q: queries[q] for q in qrels}, qrels)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dataset_settings(settings: Settings, dataset: BeirDataset) -> Settings:
    """A separate home per dataset and model, so a BEIR run never touches the user's review index."""
    digest = hashlib.sha1(json.dumps(sorted(dataset.corpus.items())).encode()).hexdigest()[:10]
    model = hashlib.sha1(settings.embedding_model.encode()).hexdigest()[:6]
    return replace(
        settings,
        home=settings.home / "beir" / f"{dataset.name}-{digest}-{model}",
        chroma_host=None,
        collection="beir",
    )


def as_reviews(dataset: BeirDataset) -> list[tuple[Review, tuple[Section, ...]]]:
    """Each document becomes a one-section review titled with the document title."""
    items: list[tuple[Review, tuple[Section, ...]]] = []
    for doc_id, (title, text) in dataset.corpus.items():
        body = text.strip() or title.strip() or doc_id
        review = Review(
            review_id=doc_id,
            meta=ReviewMeta(title=title.strip() or doc_id),
            source_path=f"beir:{dataset.name}/{doc_id}",
            text=body,
        )
        items.append((review, (Section(path=("Text",), label="Text", ordinal=1, start=0, end=len(body)),)))
    return items


def ensure_index(dataset: BeirDataset, settings: Settings, embedder: Embedder) -> float:
    """Build the dataset's index unless an identical one exists; returns seconds spent building."""
    catalog = Catalog(settings.db_path)
    if catalog.get_meta("beir_complete") == "yes":
        return 0.0
    catalog.clear()
    started = time.perf_counter()
    index_reviews(as_reviews(dataset), settings, embedder, units=False)  # searched, never answered from
    catalog.set_meta("beir_complete", "yes")
    return time.perf_counter() - started


def evaluate_configs(
    dataset: BeirDataset, searcher: Searcher, k: int, progress: Callable[[str], None] | None = None
) -> tuple[dict[str, dict[str, float]], float]:
    """nDCG@k, Recall@100 and MRR@k of every search mode; also the mean seconds per query."""
    results: dict[str, dict[str, float]] = {}
    timings: list[float] = []
    depth = max(100, k)
    for mode in MODES:
        if progress:
            progress(mode)
        scores: dict[str, list[float]] = {f"ndcg@{k}": [], "recall@100": [], f"mrr@{k}": []}
        for qid, text in dataset.queries.items():
            started = time.perf_counter()
            hits = searcher.search(text, k=depth + depth // 2, mode=mode)
            timings.append(time.perf_counter() - started)
            ranked = list(dict.fromkeys(h.chunk.review_id for h in hits))[:depth]
            relevant = dataset.qrels[qid]
            scores[f"ndcg@{k}"].append(ndcg_at_k(ranked, relevant, k))
            scores["recall@100"].append(recall_at_k(ranked, relevant, 100))
            scores[f"mrr@{k}"].append(mrr_at_k(ranked, relevant, k))
        results[mode] = {name: round(statistics.fmean(values), 4) for name, values in scores.items()}
    return results, sum(timings)
