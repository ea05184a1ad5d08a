"""`casewise ask QUESTION | --questions FILE.jsonl [--answerer NAME] [--server URL] [--json]`: cited answers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from casewise.commands.common import add_common, print_json, settings_from
from casewise.commands.search_cmd import (
    add_filter_options,
    add_server_option,
    filters_from,
    read_jsonl,
    requested_filters,
)
from casewise.documents import answer_document, filter_body, history_from_body
from ingest.errors import CasewiseError
from ingest.settings import ANSWERERS
from retriever.models import Turn

# (question, history, on_token) -> the answer document
AskFn = Callable[[str, tuple[Turn, ...], Callable[[str], None] | None], dict[str, Any]]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ask", help="a cited answer from the reviews")
    parser.add_argument("question", nargs="?")
    parser.add_argument("--questions", type=Path, help='JSONL of {"id", "question", "history"?} (batch mode)')
    parser.add_argument("--answerer", choices=ANSWERERS, help="override CASEWISE_ANSWERER")
    add_filter_options(parser)
    add_server_option(parser)
    add_common(parser)
    parser.set_defaults(run=run)


def history_from(row: dict, path: Path) -> tuple[Turn, ...]:
    try:
        return history_from_body(row.get("history"), repr(row["id"]))
    except CasewiseError as exc:
        raise CasewiseError(f"{path}: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    if bool(args.question) == bool(args.questions):
        raise SystemExit("casewise ask: error: give a QUESTION or --questions FILE.jsonl (not both)")
    rows = read_jsonl(args.questions, "question") if args.questions else None
    ask, streams = _remote(args) if args.server else _local(args)
    if rows is not None:
        for row in rows:
            print_json({"id": row["id"], **ask(row["question"], history_from(row, args.questions), None)})
        return 0
    streamed = not args.json and streams
    # The model's words stream to stderr as an unchecked draft; stdout gets only the checked answer.
    answer = ask(args.question, (), (lambda t: print(t, end="", flush=True, file=sys.stderr)) if streamed else None)
    if args.json:
        print_json(answer)
    else:
        _print_answer(answer, streamed)
    return 0


def _local(args: argparse.Namespace) -> tuple[AskFn, bool]:
    """Answers from the index in this process; whether the answerer streams a draft."""
    from retriever.pipeline import Casewise

    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    filters = filters_from(args, settings)
    casewise = Casewise.open(settings)
    return (
        lambda question, history, on_token: answer_document(casewise.ask(question, history, filters, on_token)),
        casewise.generator is not None,
    )


def _remote(args: argparse.Namespace) -> tuple[AskFn, bool]:
    """Answers from a running `casewise serve`."""
    from casewise.client import post

    request: dict[str, Any] = filter_body(requested_filters(args))
    if args.answerer:
        request["answerer"] = args.answerer

    def ask(question: str, history: tuple[Turn, ...], on_token: Callable[[str], None] | None) -> dict[str, Any]:
        turns = [{"role": t.role, "content": t.content} for t in history]
        return post(args.server, "/ask", {**request, "question": question, "history": turns})

    return ask, False


def _print_answer(answer: dict[str, Any], streamed: bool) -> None:
    for notice in answer["notices"]:
        print(f"note: {notice}", file=sys.stderr)
    if streamed:
        print("\n(the draft above was checked against the reviews; the answer below is what holds)\n", file=sys.stderr)
    print(answer["answer"])
    if answer["citations"]:
        print("\nSources:")
        for c in answer["citations"]:
            pages = ", ".join(map(str, c["pages"]))
            print(f'[{c["marker"]}] {c["review_title"]} — {c["section_label"]}, p. {pages}: "{c["quote"]}"')
    elif answer["abstained"]:
        print("\nClosest sections:")
        for hit in answer["evidence"][:3]:
            print(f"- {hit['review_title']} — {hit['section_label']} ({hit['chunk_id']})")
