"""`casewise ask QUESTION | --questions FILE.jsonl [--answerer NAME] [--json]`: cited answers."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from casewise.commands.common import add_common, print_json, settings_from
from casewise.commands.search_cmd import add_filter_options, filters_from, read_jsonl
from ingest.errors import CasewiseError
from ingest.settings import ANSWERERS
from retriever.models import Answer, Turn
from retriever.pipeline import Casewise


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ask", help="a cited answer from the reviews")
    parser.add_argument("question", nargs="?")
    parser.add_argument("--questions", type=Path, help='JSONL of {"id", "question", "history"?} (batch mode)')
    parser.add_argument("--answerer", choices=ANSWERERS, help="override CASEWISE_ANSWERER")
    add_filter_options(parser)
    add_common(parser)
    parser.set_defaults(run=run)


def history_from(row: dict, path: Path) -> tuple[Turn, ...]:
    turns = row.get("history") or []
    if not isinstance(turns, list) or not all(
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
        for t in turns
    ):
        raise CasewiseError(f'{path}: "history" of {row["id"]!r} must be a list of {{"role", "content"}} objects')
    return tuple(Turn(t["role"], t["content"]) for t in turns)


def run(args: argparse.Namespace) -> int:
    if bool(args.question) == bool(args.questions):
        raise SystemExit("casewise ask: error: give a QUESTION or --questions FILE.jsonl (not both)")
    rows = read_jsonl(args.questions, "question") if args.questions else None
    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    filters = filters_from(args, settings)
    casewise = Casewise.open(settings)
    if rows is not None:
        for row in rows:
            answer = casewise.ask(row["question"], history_from(row, args.questions), filters)
            print_json({"id": row["id"], **answer.to_dict()})
        return 0
    streamed = not args.json and casewise.generator is not None
    answer = casewise.ask(
        args.question,
        filters=filters,
        # The model's words stream to stderr as an unchecked draft; stdout gets only the checked answer.
        on_token=(lambda t: print(t, end="", flush=True, file=sys.stderr)) if streamed else None,
    )
    if args.json:
        print_json(answer.to_dict())
    else:
        _print_answer(answer, streamed)
    return 0


def _print_answer(answer: Answer, streamed: bool) -> None:
    for notice in answer.notices:
        print(f"note: {notice}", file=sys.stderr)
    if streamed:
        print("\n(the draft above was checked against the reviews; the answer below is what holds)\n", file=sys.stderr)
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            print(f'[{c.marker}] {c.review_title} — {c.section_label}, p. {", ".join(map(str, c.pages))}: "{c.quote}"')
    elif answer.abstained:
        print("\nClosest sections:")
        for hit in answer.evidence[:3]:
            print(f"- {hit.chunk.review_title} — {hit.chunk.section_label} ({hit.chunk.chunk_id})")
