"""`casewise show CHUNK_ID [--json]`: one chunk with its review, section path, pages and offsets."""

from __future__ import annotations

import argparse

from casewise.commands.common import add_common, print_json, settings_from
from core.errors import CasewiseError
from retriever.index import Index


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("show", help="print one chunk with its review, section, pages and offsets")
    parser.add_argument("chunk_id")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    index = Index.open(settings)
    chunk = index.catalog.chunks([args.chunk_id]).get(args.chunk_id)
    if chunk is None:
        raise CasewiseError(
            f"no chunk {args.chunk_id!r} in the index at {settings.home}; take an id from `casewise search --json`"
        )
    review = index.review(chunk.review_id)
    document = {
        "chunk_id": chunk.chunk_id,
        "review_id": chunk.review_id,
        "review_title": chunk.review_title,
        "review_type": chunk.review_type,
        "source_path": review.source_path if review else None,
        "section": chunk.section,
        "section_label": chunk.section_label,
        "section_path": list(chunk.section_path),
        "pages": list(chunk.pages),
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
    }
    if args.json:
        print_json(document)
    else:
        pages = ", ".join(map(str, chunk.pages))
        print(f"{chunk.review_title} — {chunk.section_label} (page {pages}; chars {chunk.start}-{chunk.end})\n")
        print(chunk.text)
    return 0
