"""Present evaluation results: the side-by-side table, a Markdown summary and matplotlib charts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.harness import RETRIEVAL_K, EvalResult

# (key, label) of the summary rows, in the order they are printed
ROWS = (
    ("questions", "questions"),
    ("accuracy", "accuracy (all key facts / right abstention)"),
    (f"hit@{RETRIEVAL_K}", f"retrieval hit@{RETRIEVAL_K}"),
    (f"recall@{RETRIEVAL_K}", f"retrieval recall@{RETRIEVAL_K}"),
    ("mrr@10", "retrieval MRR@10"),
    ("ndcg@10", "retrieval nDCG@10"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("quotes_verbatim", "quotes verbatim"),
    ("key_fact_coverage", "key-fact coverage"),
    ("faithfulness", "faithfulness"),
    ("token_f1", "token F1 vs reference"),
    ("embedding_similarity", "embedding similarity vs reference"),
    ("abstention_precision", "abstention precision"),
    ("abstention_recall", "abstention recall"),
    ("false_refusal_rate", "false refusals (share of answerable)"),
    ("answer_words_p50", "answer words p50 (not lists or refusals)"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
)


def fmt(key: str, value: float | None) -> str:
    """A metric for a table: '-' when it does not apply, whole numbers for counts and milliseconds."""
    if value is None:
        return "-"
    if key == "questions" or key.endswith(("_ms", "_words_p50")):
        return f"{value:.0f}"
    return f"{value:.3f}"


def side_by_side(results: Sequence[EvalResult]) -> str:
    """The overall metrics as a Markdown table, one column per system."""
    lines = [f"| metric | {' | '.join(r.name for r in results)} |", f"|---|{'---:|' * len(results)}"]
    for key, label in ROWS:
        lines.append(f"| {label} | {' | '.join(fmt(key, r.overall.get(key)) for r in results)} |")
    return "\n".join(lines)


def per_kind_columns(columns: Sequence[tuple[str, EvalResult]], keys: Sequence[str]) -> str:
    """One table per metric: a row per question kind, a column per (label, result) pair, so datasets and
    systems sit side by side."""
    kinds = list(dict.fromkeys(k for _, r in columns for k in r.per_kind))
    tables = []
    for key in keys:
        lines = [f"| {key} | {' | '.join(label for label, _ in columns)} |", f"|---|{'---:|' * len(columns)}"]
        for kind in [*kinds, "all"]:
            values = [fmt(key, (r.overall if kind == "all" else r.per_kind.get(kind, {})).get(key)) for _, r in columns]
            lines.append(f"| {kind} | {' | '.join(values)} |")
        tables.append("\n".join(lines))
    return "\n\n".join(tables)


def per_kind_table(results: Sequence[EvalResult], key: str = "accuracy") -> str:
    """One metric per question kind, one column per system."""
    kinds = list(dict.fromkeys(k for r in results for k in r.per_kind))
    lines = [f"| kind (n) | {' | '.join(r.name for r in results)} |", f"|---|{'---:|' * len(results)}"]
    for kind in kinds:
        n = next(int(r.per_kind[kind]["questions"] or 0) for r in results if kind in r.per_kind)
        values = [fmt(key, r.per_kind.get(kind, {}).get(key)) for r in results]
        lines.append(f"| {kind} ({n}) | {' | '.join(values)} |")
    return "\n".join(lines)


def failures_list(result: EvalResult) -> str:
    """Every question with a problem, one line each."""
    if not result.failures:
        return "No problems found."
    return "\n".join(f"- `{r.id}` ({r.kind}): {'; '.join(r.problems)}" for r in result.failures)


def document(results: Sequence[EvalResult], **context: Any) -> dict[str, Any]:
    """The JSON result of a run: the context (dataset, home, answerer) and every system's result."""
    return {**context, "systems": {r.name: r.to_dict() for r in results}}


def write_report(folder: Path, results: Sequence[EvalResult], **context: Any) -> list[Path]:
    """summary.md, result.json and the charts in folder; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = [
        _accuracy_chart(folder / "accuracy_by_kind.png", results),
        _metrics_chart(folder / "metrics.png", results),
        _latency_chart(folder / "latency.png", results),
    ]
    result_path = folder / "result.json"
    result_path.write_text(json.dumps(document(results, **context), indent=1, ensure_ascii=False), encoding="utf-8")
    header = "\n".join(f"- {k}: `{v}`" for k, v in context.items())
    sections = [
        "# Casewise evaluation",
        header,
        "## Overall",
        side_by_side(results),
        "## Accuracy per question kind",
        per_kind_table(results),
        "![accuracy per kind](accuracy_by_kind.png)",
        "## Citation recall per question kind",
        per_kind_table(results, "citation_recall"),
        "## Metrics side by side",
        "![metrics](metrics.png)",
        "## Latency",
        "![latency per question](latency.png)",
    ]
    for result in results:
        sections += [
            f"## Problems: {result.name} ({len(result.failures)} of {len(result.records)} questions)",
            failures_list(result),
        ]
    summary = folder / "summary.md"
    summary.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [summary, result_path, *charts]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt

    return plt


def _grouped_bars(
    path: Path, results: Sequence[EvalResult], labels: list[str], values: list[list[float | None]], title: str
) -> Path:
    """One group of bars per label, one bar per system; a metric that does not apply is an empty '-' slot."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(labels) + 2), 4))
    width = 0.8 / max(1, len(results))
    for i, (result, row) in enumerate(zip(results, values, strict=True)):
        xs = [x + (i - (len(results) - 1) / 2) * width for x in range(len(labels))]
        bars = ax.bar(xs, [v or 0.0 for v in row], width, label=result.name)
        ax.bar_label(bars, labels=["-" if v is None else f"{v:.2f}" for v in row], fontsize=7, padding=2)
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
    ax.set_ylim(0, 1.1)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _accuracy_chart(path: Path, results: Sequence[EvalResult]) -> Path:
    kinds = list(dict.fromkeys(k for r in results for k in r.per_kind))
    labels = [*kinds, "all"]
    values = [[r.per_kind.get(k, {}).get("accuracy") for k in kinds] + [r.overall.get("accuracy")] for r in results]
    return _grouped_bars(path, results, labels, values, "Accuracy per question kind")


def _metrics_chart(path: Path, results: Sequence[EvalResult]) -> Path:
    keys = [k for k, _ in ROWS if k not in ("questions", "latency_p50_ms", "latency_p95_ms")]
    values = [[r.overall.get(k) for k in keys] for r in results]
    return _grouped_bars(path, results, keys, values, "Overall metrics ('-' = does not apply)")


def _latency_chart(path: Path, results: Sequence[EvalResult]) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    data = [[r.latency_ms for r in result.records] or [0.0] for result in results]
    ax.boxplot(data, tick_labels=[r.name for r in results], showfliers=True)
    for i, values in enumerate(data, start=1):
        spread = [i + 0.15 * ((n * 0.618) % 1 - 0.5) for n in range(len(values))]  # spread points sideways
        ax.scatter(spread, values, s=8, alpha=0.4)
    ax.set_ylabel("ms per question")
    ax.set_title("Latency per question (p50 = median line)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
