"""`casewise ask QUESTION | --questions FILE.jsonl [--answerer NAME] [--json]`: cited answers."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from casewise.commands.common import add_common, note, print_json, settings_from, usage_error
from casewise.commands.search_cmd import add_filter_options, filters_from
from ingest.errors import CasewiseError
from ingest.settings import ANSWERERS
from retriever.models import Answer, Turn
from retriever.pipeline import Casewise
from retriever.privacy import describe, find_personal_data, remote_llm_host
from retriever.questions import EmptyQuestion, clean_question, read_batch


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
    return tuple(Turn(t["role"], clean_question(t["content"], "history turn")) for t in turns)


def run(args: argparse.Namespace) -> int:
    if (args.question is None) == (args.questions is None):
        usage_error("ask", "give a QUESTION or --questions FILE.jsonl (not both)")
    rows = read_batch(args.questions, "question") if args.questions else None
    try:
        question = clean_question(args.question) if rows is None else ""
        batch = [
            (row, clean_question(row["question"], f"question of {row['id']!r}"), history_from(row, args.questions))
            for row in rows or []
        ]
    except EmptyQuestion as exc:
        usage_error("ask", str(exc))
    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    host = remote_llm_host(settings)
    if host:
        for label, text in (
            [("the question", question)] if rows is None else [(f"question {r['id']!r}", t) for r, t, _ in batch]
        ):
            _warn_personal_data(label, text, host)
    casewise = Casewise.open(settings)
    filters = filters_from(args, casewise.catalog)
    if rows is not None:
        for row, text, history in batch:
            answer = casewise.ask(text, history, filters)
            print_json({"id": row["id"], **answer.to_dict()})
        return 0
    streamed = not args.json and casewise.generator is not None
    answer = casewise.ask(
        question,
        filters=filters,
        # The model's words stream to stderr as an unchecked draft; stdout gets only the checked answer.
        on_token=(lambda t: print(t, end="", flush=True, file=sys.stderr)) if streamed else None,
    )
    if args.json:
        print_json(answer.to_dict())
    else:
        _print_answer(answer, streamed)
    return 0


def _warn_personal_data(label: str, text: str, host: str) -> None:
    """Tell the user (never repeating the data) that a question holding personal data leaves this machine."""
    spans = find_personal_data(text)
    if spans:
        note(
            f"warning: {label} seems to hold {describe(spans)}; it is sent to the language model at {host}. "
            "Remove personal details, or use the offline answerer (--answerer extractive)."
        )


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
