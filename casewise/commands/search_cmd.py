"""`casewise search QUERY | --queries FILE.jsonl [-k N] [--review ID] [--section NAME] [--json]`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casewise.commands.common import add_common, print_json, settings_from
from casewise.documents import filter_body, search_document
from ingest.errors import CasewiseError
from ingest.settings import Settings
from retriever.filters import resolve_filters, resolve_kinds
from retriever.index import open_catalog
from retriever.models import SearchFilter
from retriever.search import MODES

SearchFn = Callable[[str], dict[str, Any]]  # query -> the search document


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("search", help="ranked evidence chunks for a query")
    parser.add_argument("query", nargs="?", help="the question or keywords")
    parser.add_argument("--queries", type=Path, help='JSONL file of {"id", "text"} lines (batch mode)')
    parser.add_argument("-k", type=int, default=5, help="how many results (default 5)")
    add_filter_options(parser)
    parser.add_argument("--mode", choices=MODES, default="default", help="retrieval configuration")
    add_server_option(parser)
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
        "--kind",
        action="append",
        default=[],
        dest="kinds",
        metavar="KIND",
        help="only sections of this kind, e.g. recommendations, learning, findings (repeatable)",
    )
    parser.add_argument(
        "--type",
        action="append",
        default=[],
        dest="review_type",
        metavar="TYPE",
        help="only this review type, e.g. 'rapid review' (repeatable)",
    )


def add_server_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server", metavar="URL", help="send the request to a running `casewise serve`, e.g. http://127.0.0.1:8765"
    )


def requested_filters(args: argparse.Namespace) -> SearchFilter:
    return SearchFilter(
        reviews=tuple(args.review),
        sections=tuple(args.section),
        review_types=tuple(args.review_type),
        kinds=tuple(args.kinds),
    )


def filters_from(args: argparse.Namespace, settings: Settings) -> SearchFilter:
    """The filters asked for, checked against the index's catalogue before any model loads."""
    filters = requested_filters(args)
    resolve_kinds(filters)
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
    search = _remote(args) if args.server else _local(args)
    if rows is not None:
        for row in rows:
            print_json({"id": row["id"], "results": search(row["text"])["results"]})
        return 0
    document = search(args.query)
    if args.json:
        print_json(document)
        return 0
    if not document["results"]:
        print("No matching sections.")
    for r in document["results"]:
        print(
            f"[{r['rank']}] {r['review_title']} — {r['section_label']} (p. {', '.join(map(str, r['pages']))}) "
            f"score {r['score']:.3f}  {r['chunk_id']}"
        )
        print("    " + " ".join(r["text"].split())[:300] + "\n")
    return 0


def _local(args: argparse.Namespace) -> SearchFn:
    """Searches the index in this process."""
    from retriever.index import open_searcher

    settings = settings_from(args)
    filters = filters_from(args, settings)
    searcher = open_searcher(settings)
    return lambda query: search_document(query, searcher.search(query, k=args.k, filters=filters, mode=args.mode))


def _remote(args: argparse.Namespace) -> SearchFn:
    """Searches through a running `casewise serve`."""
    from casewise.client import post

    request = {**filter_body(requested_filters(args)), "k": args.k, "mode": args.mode}
    return lambda query: post(args.server, "/search", {**request, "query": query})
