"""`casewise ingest [PATH ...] [--rebuild] [--json]`: bring the index in step with the review files."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path

from casewise.commands.common import add_common, print_json, settings_from
from casewise.progress import ingest_with_progress
from ingest.embedding import load_embedder
from ingest.pipeline import FileResult, FileStatus, IngestReport


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
    report = ingest_with_progress(args.paths, settings, "ingest", load_embedder, rebuild=args.rebuild)
    if args.json:
        print_json({"files": [asdict(r) for r in report.results], "failed": len(report.failed)})
    else:
        for result in report.results:
            print(_describe(result))
        counts = [f"{report.count(status)} {status}" for status in FileStatus if status != FileStatus.FAILED]
        print(", ".join([*counts, f"{len(report.failed)} failed"]))
    for failure in report.failed:
        print(f"casewise: error: {failure.message}", file=sys.stderr)
    return 1 if report.failed else 0


def _describe(result: FileResult) -> str:
    name = _short(result.path)
    if result.status in (FileStatus.ADDED, FileStatus.UPDATED):
        return (
            f"{result.status:9} {name}: {result.title!r} — {result.sections} sections, {result.chunks} chunks, "
            f"{result.pages} page{'s' if result.pages != 1 else ''}"
        )
    if result.status == FileStatus.FAILED:
        return f"{result.status:9} {result.message}"
    return f"{result.status:9} {name}"


def _short(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


__all__ = ["register", "IngestReport"]
