"""`casewise brief (--theme NAME | --question TEXT) [--review ID ...] --format md|docx --out PATH`."""

from __future__ import annotations

import argparse
from pathlib import Path

from casewise.commands.common import add_common, note, print_json, settings_from
from ingest.themes import find_theme, load_themes
from retriever.filters import resolve_filters
from retriever.index import Index
from retriever.models import SearchFilter
from trainer.brief import Brief, BriefBuilder
from trainer.export import FORMATS, write


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("brief", help="write a cited learning brief for trainers (Markdown or Word)")
    topic = parser.add_mutually_exclusive_group(required=True)
    topic.add_argument("--theme", metavar="NAME", help="a theme of the taxonomy, e.g. 'child criminal exploitation'")
    topic.add_argument("--question", metavar="TEXT", help="a question the session is about")
    parser.add_argument("--review", action="append", default=[], metavar="ID", help="only this review (repeatable)")
    parser.add_argument("--format", choices=FORMATS, help="md or docx (default: from the --out suffix)")
    parser.add_argument("--out", type=Path, required=True, metavar="PATH", help="the file to write")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    fmt = args.format or ("docx" if args.out.suffix.lower() == ".docx" else "md")
    if args.theme:  # checked before the model loads: a mistyped theme fails at once
        find_theme(load_themes(settings.themes_path), args.theme)
    index = Index.open(settings)
    if args.review:
        resolve_filters(SearchFilter(reviews=tuple(args.review)), index.catalog)
    builder = BriefBuilder.open(settings, index=index)
    brief = builder.build(theme=args.theme, question=args.question, reviews=args.review)
    path = write(brief, fmt, args.out)
    for notice in brief.notices:
        note(f"note: {notice}")
    if args.json:
        print_json(_summary(brief, fmt, path))
    else:
        note(
            f"wrote {path}: {len(brief.summaries)} review(s), {len(brief.learning)} learning point(s), "
            f"{len(brief.recommendations)} recommendation(s), {len(brief.sources)} source(s)"
        )
    return 0


def _summary(brief: Brief, fmt: str, path: Path) -> dict[str, object]:
    return {
        "out": str(path),
        "format": fmt,
        "title": brief.title,
        "answerer": brief.answerer,
        "theme": brief.theme.name if brief.theme else None,
        "question": brief.question,
        "reviews": [s.review_id for s in brief.summaries],
        "learning": len(brief.learning),
        "recommendations": len(brief.recommendations),
        "discussion": len(brief.discussion),
        "sources": [c.to_dict() for c in brief.sources],
        "notices": list(brief.notices),
    }
