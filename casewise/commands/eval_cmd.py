"""`casewise eval DATASET.jsonl [--json PATH] [--report DIR] [--answerer NAME] [--no-baseline]`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from casewise.commands.common import add_common, note, settings_from, usage_error
from casewise.feedback import FILENAME as FEEDBACK_FILE
from casewise.feedback import FeedbackStore, gold_candidates
from core.errors import CasewiseError
from core.settings import ANSWERERS, Settings
from evals.gold import check_evidence, load_gold
from evals.gold_index import index_for
from evals.harness import EvalResult, Progress, casewise_answer_fn, catalog_texts, evaluate
from evals.report import document, per_kind_columns, side_by_side, write_report
from ingest.embedding import Embedder, load_embedder
from retriever.index import Index
from retriever.pipeline import Casewise


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("eval", help="score retrieval, citations and answers on a gold set, beside a baseline")
    parser.add_argument(
        "dataset",
        type=Path,
        nargs="*",
        help="gold JSONL files (format in evals/README.md); a file with a reviews/ folder beside it is scored on "
        "an index of that folder (built under CASEWISE_HOME/eval/), any other on the index in CASEWISE_HOME",
    )
    parser.add_argument(
        "--feedback-candidates",
        type=Path,
        metavar="OUT.jsonl",
        help="instead of scoring: write the app's negative feedback as candidate gold questions to complete",
    )
    parser.add_argument(
        "--json",
        type=Path,
        dest="json_path",
        metavar="PATH",
        help="write the JSON result to PATH ('-' for stdout, which then holds only the JSON)",
    )
    parser.add_argument("--report", type=Path, metavar="DIR", help="write summary.md, result.json and charts here")
    parser.add_argument("--answerer", choices=ANSWERERS, help="override CASEWISE_ANSWERER for Casewise")
    parser.add_argument("--no-baseline", action="store_true", help="score Casewise only")
    add_common(parser, json_flag=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.feedback_candidates:
        return _feedback_candidates(settings_from(args), args.feedback_candidates)
    if not args.dataset:
        usage_error("eval", "give a DATASET.jsonl (or --feedback-candidates OUT.jsonl)")
    datasets = [(path, load_gold(path)) for path in args.dataset]
    _check_outputs(args.json_path, args.report)
    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    embedder = load_embedder(settings.embedding_model)
    label = (lambda path: path.stem) if len(datasets) > 1 else (lambda path: "")
    runs = [
        (path, _evaluate(path, dataset, settings, embedder, args.no_baseline, label(path)))
        for path, dataset in datasets
    ]
    if len(runs) == 1:
        path, (results, context) = runs[0]
        _write_outputs(args.json_path, args.report, results, context)
        if str(args.json_path) != "-":
            print(side_by_side(results))
            _print_problems(results[0])
        return 0
    for path, (results, context) in runs:
        if args.report:
            _write_outputs(None, args.report / path.stem, results, context)
        if str(args.json_path) != "-":
            print(f"\n## {path}\n\n{side_by_side(results)}")
            _print_problems(results[0])
    if args.json_path:
        _write_json(args.json_path, {"datasets": [document(results, **context) for _, (results, context) in runs]})
    if str(args.json_path) != "-":
        columns = [(f"{path.stem}:{r.name}", r) for path, (results, _) in runs for r in results]
        print("\n## Per kind, side by side\n")
        print(per_kind_columns(columns, PER_KIND_KEYS))
    return 0


PER_KIND_KEYS = ("accuracy", "hit@5", "recall@5", "key_fact_coverage", "citation_precision")


def _evaluate(
    path: Path, dataset: list, settings: Settings, embedder: Embedder, no_baseline: bool, label: str
) -> tuple[list[EvalResult], dict[str, str]]:
    """Score one gold file on its own corpus's index (or the configured one), beside the baseline."""
    settings, failed = index_for(path, settings, embedder)
    for message in failed:
        note(f"eval: {message}")
    index = Index.open(settings)
    catalog = index.catalog
    texts = catalog_texts(catalog)
    for problem in check_evidence(dataset, texts, str(path)):
        note(f"eval: warning: {problem}")
    casewise = Casewise.open(settings, embedder, index)
    answerers = [("casewise", casewise_answer_fn(casewise))]
    if not no_baseline:
        from evals.baseline import Baseline

        note("eval: building the baseline (1000/200 character splits, top-4 dense search) ...")
        files = [Path(p) for p in sorted(catalog.files())]
        answerers.append(("baseline", Baseline.from_files(files, embedder, settings.max_file_mb).answer_fn))
    results = [
        evaluate(fn, dataset, name=name, review_text=texts, embedder=embedder, progress=_progress(label, name))
        for name, fn in answerers
    ]
    return results, {"dataset": str(path), "home": str(settings.home), "answerer": casewise.answerer_name}


def _feedback_candidates(settings: Settings, out: Path) -> int:
    """Negative feedback as gold-format candidates: unanswerable ones complete, the rest for a person to finish."""
    path = settings.home / FEEDBACK_FILE
    if not path.exists():
        raise CasewiseError(f"no feedback in {settings.home}; feedback is given in the app under each answer")
    candidates = gold_candidates(FeedbackStore(path).entries())
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in candidates), encoding="utf-8")
    except OSError as exc:
        raise CasewiseError(f"cannot write {out} ({exc.strerror}); choose another path") from exc
    note(f"eval: wrote {len(candidates)} candidate gold question(s) from negative feedback to {out}")
    return 0


def _check_outputs(json_path: Path | None, report: Path | None) -> None:
    """Fail before the long run, not after it, when an output path cannot be used."""
    if json_path and str(json_path) != "-" and json_path.is_dir():
        raise CasewiseError(f"--json {json_path} is a folder; give a file path such as {json_path / 'result.json'}")
    if report and report.exists() and not report.is_dir():
        raise CasewiseError(f"--report {report} is a file; give a folder for the report")


def _write_json(json_path: Path, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False) + "\n"
    if str(json_path) == "-":
        sys.stdout.write(text)
        return
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(text, encoding="utf-8")
    note(f"eval: wrote {json_path}")


def _write_outputs(
    json_path: Path | None, report: Path | None, results: list[EvalResult], context: dict[str, str]
) -> None:
    try:
        if json_path:
            _write_json(json_path, document(results, **context))
        if report:
            written = write_report(report, results, **context)
            note(f"eval: wrote {', '.join(str(p) for p in written)}")
    except OSError as exc:
        raise CasewiseError(
            f"cannot write {exc.filename} ({exc.strerror}); choose another --json/--report path"
        ) from exc


def _progress(dataset: str, name: str) -> Progress:
    def report(done: int, total: int, current: str) -> None:
        if done == total or done % 10 == 0:
            note(f"eval: {f'{dataset} ' if dataset else ''}{name} {done}/{total}")

    return report


def _print_problems(result: EvalResult) -> None:
    failing = result.failures
    print(
        f"\n{result.name}: {len(failing)} of {len(result.records)} questions with problems "
        f"({'see --report for the list' if failing else 'none'})"
    )
