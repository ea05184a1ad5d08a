"""`casewise ingest [PATH ...] [--rebuild] [--json]`: bring the index in step with the review files."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from casewise.commands.common import add_common, print_json, settings_from
from ingest.embedding import load_embedder
from ingest.pipeline import FileResult, IngestReport, Progress, ingest


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ingest", help="index review files (new and changed ones; drops removed ones)")
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path("corpus")], help="files or folders (default: corpus/)"
    )
    parser.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ingest(
        args.paths,
        settings,
        lambda: load_embedder(settings.embedding_model),
        rebuild=args.rebuild,
        progress=_progress_bar(),
    )
    if args.json:
        print_json({"files": [asdict(r) for r in report.results], "failed": len(report.failed)})
    else:
        for result in report.results:
            print(_describe(result))
        print(
            f"{report.count('added')} added, {report.count('updated')} updated, {report.count('unchanged')} "
            f"unchanged, {report.count('removed')} removed, {len(report.failed)} failed"
        )
    for failure in report.failed:
        print(f"casewise: error: {failure.message}", file=sys.stderr)
    return 1 if report.failed else 0


def _describe(result: FileResult) -> str:
    name = _short(result.path)
    if result.status in ("added", "updated"):
        return (
            f"{result.status:9} {name}: {result.title!r} — {result.sections} sections, {result.chunks} chunks, "
            f"{result.pages} page{'s' if result.pages != 1 else ''}"
        )
    if result.status == "failed":
        return f"{'failed':9} {result.message}"
    return f"{result.status:9} {name}"


def _short(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _progress_bar() -> Progress:
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int, path: str) -> None:
        if not bar:
            # disable=None: drawn on a terminal only, so logs and scripts reading stderr get clean lines
            bar.append(tqdm(total=total, unit="file", file=sys.stderr, desc="ingest", leave=False, disable=None))
        bar[0].n = done
        bar[0].set_postfix_str(Path(path).name if path else "done", refresh=True)
        if done == total:
            bar[0].close()

    return update


__all__ = ["register", "IngestReport"]
