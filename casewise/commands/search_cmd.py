"""`casewise search QUERY | --queries FILE.jsonl [-k N] [--review ID] [--section NAME] [--json]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from casewise.commands.common import add_common, print_json, settings_from
from ingest.errors import CasewiseError
from ingest.settings import Settings
from retriever.filters import resolve_filters
from retriever.index import open_catalog, open_searcher
from retriever.models import SearchFilter
from retriever.search import MODES


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("search", help="ranked evidence chunks for a query")
    parser.add_argument("query", nargs="?", help="the question or keywords")
    parser.add_argument("--queries", type=Path, help='JSONL file of {"id", "text"} lines (batch mode)')
    parser.add_argument("-k", type=int, default=5, help="how many results (default 5)")
    add_filter_options(parser)
    parser.add_argument("--mode", choices=MODES, default="default", help="retrieval configuration")
    add_common(parser)
    parser.set_defaults(run=run)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--review", action="append", default=[], metavar="ID", help="only this review (repeatable)")
    parser.add_argument(
        "--section",
        action="append",
        default=[],
        metavar="NAME",
        help="only sections with this heading, e.g. Learning (repeatable)",
    )
    parser.add_argument(
        "--type",
        action="append",
        default=[],
        dest="review_type",
        metavar="TYPE",
        help="only this review type, e.g. 'rapid review' (repeatable)",
    )


def filters_from(args: argparse.Namespace, settings: Settings) -> SearchFilter:
    """The filters asked for, checked against the index's catalogue before any model loads."""
    filters = SearchFilter(
        reviews=tuple(args.review), sections=tuple(args.section), review_types=tuple(args.review_type)
    )
    resolve_filters(filters, open_catalog(settings))
    return filters


def read_jsonl(path: Path, text_field: str) -> list[dict]:
    """Rows of a batch file, each checked for an id and its text field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CasewiseError(f"cannot read {path} ({exc}); pass a UTF-8 JSONL file") from exc
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CasewiseError(f"{path} line {number} is not JSON ({exc.msg}); one JSON object per line") from exc
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get(text_field), str):
            raise CasewiseError(f'{path} line {number} needs "id" and a string "{text_field}"')
        rows.append(row)
    return rows


def run(args: argparse.Namespace) -> int:
    if bool(args.query) == bool(args.queries):
        raise SystemExit("casewise search: error: give a QUERY or --queries FILE.jsonl (not both)") from None
    if args.k < 1:
        raise CasewiseError("-k must be at least 1")
    rows = read_jsonl(args.queries, "text") if args.queries else None
    settings = settings_from(args)
    filters = filters_from(args, settings)
    searcher = open_searcher(settings)
    if rows is not None:
        for row in rows:
            hits = searcher.search(row["text"], k=args.k, filters=filters, mode=args.mode)
            print_json({"id": row["id"], "results": [h.to_dict(i) for i, h in enumerate(hits, start=1)]})
        return 0
    hits = searcher.search(args.query, k=args.k, filters=filters, mode=args.mode)
    if args.json:
        print_json({"query": args.query, "results": [h.to_dict(i) for i, h in enumerate(hits, start=1)]})
        return 0
    if not hits:
        print("No matching sections.")
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        print(
            f"[{rank}] {c.review_title} — {c.section_label} (p. {', '.join(map(str, c.pages))}) "
            f"score {hit.score:.3f}  {c.chunk_id}"
        )
        print("    " + " ".join(c.text.split())[:300] + "\n")
    return 0
