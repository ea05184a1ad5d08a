"""`casewise eval DATASET.jsonl [--json PATH] [--report DIR] [--answerer NAME] [--no-baseline]`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from casewise.commands.common import add_common, note, settings_from
from casewise.feedback import FILENAME as FEEDBACK_FILE
from casewise.feedback import FeedbackStore, gold_candidates
from evals.gold import check_evidence, load_gold
from evals.harness import EvalResult, Progress, casewise_answer_fn, catalog_texts, evaluate
from evals.report import document, side_by_side, write_report
from ingest.catalog import Catalog
from ingest.embedding import load_embedder
from ingest.errors import CasewiseError, IndexMissingError
from ingest.settings import ANSWERERS, Settings
from retriever.pipeline import Casewise


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("eval", help="score retrieval, citations and answers on a gold set, beside a baseline")
    parser.add_argument("dataset", type=Path, nargs="?", help="gold JSONL file (format in evals/README.md)")
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
    if args.dataset is None:
        raise SystemExit("casewise eval: error: give a DATASET.jsonl (or --feedback-candidates OUT.jsonl)")
    dataset = load_gold(args.dataset)
    _check_outputs(args.json_path, args.report)
    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    if not settings.db_path.exists() or Catalog(settings.db_path).chunk_count() == 0:
        raise IndexMissingError(
            f"no index at {settings.home}; run `casewise ingest` first "
            "(casewise eval scores an existing index, it does not build one)"
        )
    catalog = Catalog(settings.db_path)
    texts = catalog_texts(catalog)
    for problem in check_evidence(dataset, texts, str(args.dataset)):
        note(f"eval: warning: {problem}")
    embedder = load_embedder(settings.embedding_model)
    casewise = Casewise.open(settings, embedder)
    answerers = [("casewise", casewise_answer_fn(casewise))]
    if not args.no_baseline:
        from evals.baseline import Baseline

        note("eval: building the baseline (1000/200 character splits, top-4 dense search) ...")
        files = [Path(p) for p in sorted(catalog.files())]
        answerers.append(("baseline", Baseline.from_files(files, embedder, settings.max_file_mb).answer_fn))
    results = [
        evaluate(fn, dataset, name=name, review_text=texts, embedder=embedder, progress=_progress(name))
        for name, fn in answerers
    ]
    context = {"dataset": str(args.dataset), "home": str(settings.home), "answerer": casewise.answerer_name}
    _write_outputs(args.json_path, args.report, results, context)
    if str(args.json_path) != "-":
        print(side_by_side(results))
        _print_problems(results[0])
    return 0


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


def _write_outputs(
    json_path: Path | None, report: Path | None, results: list[EvalResult], context: dict[str, str]
) -> None:
    try:
        if json_path:
            text = json.dumps(document(results, **context), ensure_ascii=False) + "\n"
            if str(json_path) == "-":
                sys.stdout.write(text)
            else:
                json_path.parent.mkdir(parents=True, exist_ok=True)
                json_path.write_text(text, encoding="utf-8")
                note(f"eval: wrote {json_path}")
        if report:
            written = write_report(report, results, **context)
            note(f"eval: wrote {', '.join(str(p) for p in written)}")
    except OSError as exc:
        raise CasewiseError(
            f"cannot write {exc.filename} ({exc.strerror}); choose another --json/--report path"
        ) from exc


def _progress(name: str) -> Progress:
    def report(done: int, total: int, current: str) -> None:
        if done == total or done % 10 == 0:
            note(f"eval: {name} {done}/{total}")

    return report


def _print_problems(result: EvalResult) -> None:
    failing = result.failures
    print(
        f"\n{result.name}: {len(failing)} of {len(result.records)} questions with problems "
        f"({'see --report for the list' if failing else 'none'})"
    )
