"""The same sentence-transformers model run by ONNX Runtime: the same vectors, without importing torch.

Importing sentence-transformers (and with it transformers and torch) takes most of a cold command's time; ONNX
Runtime and the `tokenizers` library load in a fraction of a second. The model folder holds PyTorch weights, so
its ONNX graph is exported once (with torch, then never again), checked against the PyTorch model, and cached
beside the weights (or in the user's cache folder when that is read-only).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embedding import SMALL_ENCODE

log = logging.getLogger(__name__)

EXPORT_VERSION = 1  # bump when the export changes, so cached graphs are made again
STAMP = "casewise-export.json"
MIN_COSINE = 0.9999  # an export whose vectors differ more from the PyTorch model's is not used
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
TRANSFORMER = "sentence_transformers.models.Transformer"
POOLING = "sentence_transformers.models.Pooling"
NORMALIZE = "sentence_transformers.models.Normalize"
# Texts of different lengths and a batch that needs padding and truncation: an export must match on all.
PROBES = [
    "Who referred the child to social care?",
    "Practitioners did not share the school's concerns about neglect with the health visitor. " * 30,
    "A",
    "The review found that the plan was not reviewed when the family moved, and the new school was not told.",
]


@dataclass(frozen=True)
class Layout:
    """What the model folder says about tokenising and pooling."""

    max_length: int
    dimension: int
    lowercase: bool
    pooling: str  # "mean" or "cls"
    weights: Path


def layout_of(model_dir: Path) -> Layout | None:
    """The folder's layout if it is a transformer with mean or CLS pooling (what ONNX runs here), else None."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        types = [m["type"] for m in modules]
        if types not in ([TRANSFORMER, POOLING], [TRANSFORMER, POOLING, NORMALIZE]) or modules[0]["path"]:
            return None
        pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    modes = {mode for mode in ("mean_tokens", "cls_token") if pooling.get(f"pooling_mode_{mode}")}
    flags = [key for key, value in pooling.items() if key.startswith("pooling_mode_") and value]
    weights = next((model_dir / f for f in WEIGHT_FILES if (model_dir / f).is_file()), None)
    if len(modes) != 1 or len(flags) != 1 or weights is None or not (model_dir / "tokenizer.json").is_file():
        return None
    return Layout(
        max_length=int(config.get("max_seq_length") or 512),
        dimension=int(pooling["word_embedding_dimension"]),
        lowercase=bool(config.get("do_lower_case")),
        pooling="mean" if "mean_tokens" in modes else "cls",
        weights=weights,
    )


class OnnxEmbedder:
    """Tokenises with `tokenizers`, runs the exported graph with ONNX Runtime, pools and normalises."""

    def __init__(self, name: str, model_dir: Path, graph: Path, layout: Layout, batch_size: int = 32) -> None:
        from tokenizers import Tokenizer

        self.name = name
        self.batch_size = batch_size
        self._graph = graph
        self._layout = layout
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=layout.max_length)
        self._pad = self.tokenizer.token_to_id("[PAD]") or 0
        self._sessions: dict[int, Any] = {}
        # One session on ONNX Runtime's default threads (0: one per core) for queries and batches alike: its threads
        # sleep rather than spin (see _session), so unlike torch's they hold up when other jobs keep the cores busy
        # (benchmarks/encode_threads.py). Set to 1 for one thread.
        self.small_threads, self.batch_threads = 0, 0
        self.dimension = layout.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session = self._session(self.small_threads if len(texts) <= SMALL_ENCODE else self.batch_threads)
        encodings = self._tokens(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # little padding per batch
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run(session, [encodings[i].ids for i in rows])
        return out

    def token_counts(self, texts: list[str]) -> list[int]:
        """How many tokens each text encodes as (truncated as encode truncates it)."""
        return [len(encoding.ids) for encoding in self._tokens(texts)]

    def _tokens(self, texts: list[str]) -> list[Any]:
        return self.tokenizer.encode_batch([t.lower() for t in texts] if self._layout.lowercase else list(texts))

    def _run(self, session: Any, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.full((len(ids), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        names = {i.name for i in session.get_inputs()}
        hidden = session.run(None, {k: v for k, v in feed.items() if k in names})[0]
        return normalised(pool(hidden, mask, self._layout.pooling))

    def _session(self, threads: int) -> Any:
        """One ONNX Runtime session per thread count (0: ONNX Runtime's default), made on first use."""
        if threads not in self._sessions:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # Threads that spin while waiting for work hold a core other jobs (or the other thread) need.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._sessions[threads] = onnxruntime.InferenceSession(
                str(self._graph), options, providers=["CPUExecutionProvider"]
            )
        return self._sessions[threads]


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """Mean of the token vectors under the attention mask, or the first ([CLS]) token's vector."""
    if mode == "cls":
        return hidden[:, 0].astype(np.float32)
    weights = mask[..., None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


def onnx_embedder(name: str, model_dir: Path) -> OnnxEmbedder | None:
    """The model under ONNX Runtime (exporting its graph on first use), or None when that cannot be done."""
    layout = layout_of(model_dir)
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return None
    if layout is None:
        return None
    graph = cached_graph(model_dir, layout)
    if graph is None:
        return None
    return OnnxEmbedder(name, model_dir, graph, layout)


def graph_places(model_dir: Path) -> list[Path]:
    """Where an export may be kept: beside the weights (as sentence-transformers does), else a user cache."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "casewise" / "onnx"
    return [model_dir / "onnx", cache / hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()[:16]]


def cached_graph(model_dir: Path, layout: Layout) -> Path | None:
    """A verified export for these weights, made now if none is cached; None if it cannot be made."""
    stamp = _stamp(layout)
    places = graph_places(model_dir)
    for place in places:
        try:
            if json.loads((place / STAMP).read_text(encoding="utf-8")) == stamp and (place / "model.onnx").is_file():
                return place / "model.onnx"
        except (OSError, ValueError):
            continue
    for place in places:
        try:
            place.mkdir(parents=True, exist_ok=True)
            return export(model_dir, layout, place, stamp)
        except OSError:  # a read-only place: try the next one
            continue
        except Exception as exc:  # torch's exporter raises many types; PyTorch stays the fallback
            log.warning("casewise: the model runs on PyTorch: its ONNX export failed (%s: %s)", type(exc).__name__, exc)
            return None
    return None


def _stamp(layout: Layout) -> dict[str, object]:
    info = layout.weights.stat()
    return {"version": EXPORT_VERSION, "weights": layout.weights.name, "size": info.st_size, "mtime": info.st_mtime_ns}


def export(model_dir: Path, layout: Layout, place: Path, stamp: dict[str, object]) -> Path | None:
    """Export the transformer to ONNX with torch, keep it only if it matches the PyTorch model on PROBES."""
    import torch
    from transformers import AutoModel

    import core  # noqa: F401  (offline variables before transformers loads)

    model = AutoModel.from_pretrained(str(model_dir)).eval()
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = torch.ones((2, 8), dtype=torch.long)
    handle, tmp_name = tempfile.mkstemp(suffix=".onnx", dir=place)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden().eval(),  # the exporter restores the wrapper's mode, and with it the model's, after
                (example, example, torch.zeros_like(example)),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        embedder = OnnxEmbedder("export-check", model_dir, tmp, layout)
        expected = _torch_vectors(model, embedder.tokenizer.encode_batch(PROBES), layout.pooling)
        cosine = float((embedder.encode(PROBES) * expected).sum(axis=1).min())
        if cosine < MIN_COSINE:
            log.warning("casewise: the model runs on PyTorch: its ONNX export differs (cosine %.6f)", cosine)
            return None
        graph = place / "model.onnx"
        tmp.chmod(0o644)
        os.replace(tmp, graph)
        (place / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        return graph
    finally:
        tmp.unlink(missing_ok=True)


def _torch_vectors(model: Any, encodings: list[Any], pooling: str) -> np.ndarray:
    """The PyTorch model's vectors, one unpadded text at a time, pooled as the ONNX path pools."""
    import torch

    rows = []
    with torch.no_grad():
        for encoding in encodings:
            ids = torch.tensor([encoding.ids])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state.numpy()
            rows.append(pool(hidden, np.ones(ids.shape, dtype=np.int64), pooling)[0])
    return normalised(np.stack(rows))
