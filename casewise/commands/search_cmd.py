"""`casewise search QUERY | --queries FILE.jsonl [-k N] [--review ID] [--section NAME] [--json]`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casewise.commands.common import add_common, at_least_one, print_json, settings_from, usage_error
from casewise.documents import checked, filter_body, search_document
from ingest.catalog import Catalog
from retriever.index import Index
from retriever.models import SearchFilter
from retriever.questions import EmptyQuestion, clean_question, read_batch
from retriever.search import MODES

SearchFn = Callable[[str], dict[str, Any]]  # query -> the search document


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("search", help="ranked evidence chunks for a query")
    parser.add_argument("query", nargs="?", help="the question or keywords")
    parser.add_argument("--queries", type=Path, help='JSONL file of {"id", "text"} lines (batch mode)')
    parser.add_argument("-k", type=at_least_one, default=5, help="how many results (default 5)")
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
        help="only sections with a heading (or parent heading) containing NAME, in any case, e.g. findings "
        "(repeatable)",
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
    """The filters as typed (a service matches --section names against its own index)."""
    return SearchFilter(
        reviews=tuple(args.review),
        sections=tuple(args.section),
        review_types=tuple(args.review_type),
        kinds=tuple(args.kinds),
    )


def filters_from(args: argparse.Namespace, catalog: Catalog) -> SearchFilter:
    """The filters the options ask for; --section names are matched against the index's headings."""
    return checked(requested_filters(args), catalog)


def checked_filters(args: argparse.Namespace, index: Index) -> SearchFilter:
    """The filters asked for, checked against the index's catalogue before any model loads."""
    return filters_from(args, index.catalog)


def run(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.queries is None):
        usage_error("search", "give a QUERY or --queries FILE.jsonl (not both)")
    rows = read_batch(args.queries, "text") if args.queries else None
    try:
        query = clean_question(args.query, "query") if rows is None else ""
        texts = [clean_question(row["text"], f"text of {row['id']!r}") for row in rows or []]
    except EmptyQuestion as exc:
        usage_error("search", str(exc))
    search = _remote(args) if args.server else _local(args)
    if rows is not None:
        for row, text in zip(rows, texts, strict=True):
            print_json({"id": row["id"], "results": search(text)["results"]})
        return 0
    document = search(query)
    if args.json:
        print_json(document)
        return 0
    if not document["results"]:
        print("No matching sections.")
    for r in document["results"]:
        print(
            f"[{r['rank']}] {r['review_title']} — {r['section_label']} [{r['section_kind']}] "
            f"(p. {', '.join(map(str, r['pages']))}) "
            f"score {r['score']:.3f}  {r['chunk_id']}"
        )
        print("    " + " ".join(r["text"].split())[:300] + "\n")
    return 0


def _local(args: argparse.Namespace) -> SearchFn:
    """Searches the index in this process."""
    index = Index.open(settings_from(args))
    filters = checked_filters(args, index)
    searcher = index.searcher()
    return lambda query: search_document(query, searcher.search(query, k=args.k, filters=filters, mode=args.mode))


def _remote(args: argparse.Namespace) -> SearchFn:
    """Searches through a running `casewise serve`."""
    from casewise.client import post

    request = {**filter_body(requested_filters(args)), "k": args.k, "mode": args.mode}
    return lambda query: post(args.server, "/search", {**request, "query": query})
