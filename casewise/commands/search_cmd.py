"""`casewise search QUERY | --queries FILE.jsonl [-k N] [--review ID] [--section NAME] [--json]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from casewise.commands.common import add_common, print_json, settings_from, usage_error
from ingest.catalog import Catalog
from ingest.errors import CasewiseError
from retriever.index import open_searcher
from retriever.models import SearchFilter
from retriever.questions import EmptyQuestion, clean_question, read_batch
from retriever.search import MODES
from retriever.section_match import expand_sections


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


def filters_from(args: argparse.Namespace, catalog: Catalog) -> SearchFilter:
    """The filters the options ask for; --section names are matched against the index's headings."""
    return SearchFilter(
        reviews=tuple(args.review),
        sections=expand_sections(args.section, catalog),
        review_types=tuple(args.review_type),
        kinds=tuple(args.kinds),
    )


def run(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.queries is None):
        usage_error("search", "give a QUERY or --queries FILE.jsonl (not both)")
    if args.k < 1:
        raise CasewiseError("-k must be at least 1")
    rows = read_batch(args.queries, "text") if args.queries else None
    try:
        query = clean_question(args.query, "query") if rows is None else ""
        texts = [clean_question(row["text"], f"text of {row['id']!r}") for row in rows or []]
    except EmptyQuestion as exc:
        usage_error("search", str(exc))
    searcher = open_searcher(settings_from(args))
    filters = filters_from(args, searcher.catalog)
    if rows is not None:
        for row, text in zip(rows, texts, strict=True):
            hits = searcher.search(text, k=args.k, filters=filters, mode=args.mode)
            print_json({"id": row["id"], "results": [h.to_dict(i) for i, h in enumerate(hits, start=1)]})
        return 0
    hits = searcher.search(query, k=args.k, filters=filters, mode=args.mode)
    if args.json:
        print_json({"query": query, "results": [h.to_dict(i) for i, h in enumerate(hits, start=1)]})
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
