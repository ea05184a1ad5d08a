"""`casewise ask QUESTION | --questions FILE.jsonl [--answerer NAME] [--server URL] [--json]`: cited answers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from casewise.commands.common import add_common, note, print_json, settings_from, usage_error
from casewise.commands.search_cmd import add_filter_options, add_server_option, checked_filters, requested_filters
from casewise.documents import RequestError, answer_document, filter_body, history_from_body
from core.errors import CasewiseError
from core.settings import ANSWERERS
from retriever.models import Turn
from retriever.privacy import describe, find_personal_data, remote_llm_host
from retriever.questions import EmptyQuestion, clean_question, read_batch

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
    except RequestError as exc:
        raise CasewiseError(f"{path}: {exc}") from exc


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
    texts = [("the question", question)] if rows is None else [(f"question {r['id']!r}", t) for r, t, _ in batch]
    ask, streams = _remote(args) if args.server else _local(args, texts)
    if rows is not None:
        for row, text, history in batch:
            print_json({"id": row["id"], **ask(text, history, None)})
        return 0
    streamed = not args.json and streams
    # The model's words stream to stderr as an unchecked draft; stdout gets only the checked answer.
    answer = ask(question, (), (lambda t: print(t, end="", flush=True, file=sys.stderr)) if streamed else None)
    if args.json:
        print_json(answer)
    else:
        _print_answer(answer, streamed)
    return 0


def _local(args: argparse.Namespace, texts: list[tuple[str, str]]) -> tuple[AskFn, bool]:
    """Answers from the index in this process; whether the answerer streams a draft."""
    from retriever.index import Index
    from retriever.pipeline import Casewise

    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    host = remote_llm_host(settings)
    if host:
        for label, text in texts:
            _warn_personal_data(label, text, host)
    index = Index.open(settings)
    filters = checked_filters(args, index)
    casewise = Casewise.open(settings, index=index)
    return (
        lambda question, history, on_token: answer_document(casewise.ask(question, history, filters, on_token)),
        casewise.streams,
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


def _warn_personal_data(label: str, text: str, host: str) -> None:
    """Tell the user (never repeating the data) that a question holding personal data leaves this machine."""
    spans = find_personal_data(text)
    if spans:
        note(
            f"warning: {label} seems to hold {describe(spans)}; it is sent to the language model at {host}. "
            "Remove personal details, or use the offline answerer (--answerer extractive)."
        )


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
