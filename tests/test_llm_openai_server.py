"""Casewise's LLM answerer through LangChain's real ChatOpenAI client, against a scripted local server."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from openai_stub import Reply, StubOpenAI, block_with

from casewise.cli import main
from core.settings import Settings
from ingest.catalog import Catalog
from retriever.llm import generator_from_settings
from retriever.models import Answer
from retriever.pipeline import Casewise

pytestmark = pytest.mark.integration

REFERRALS = "How many times did the police refer Young Person F to children's social care?"
SUPPORTED = (
    "Police referred Young Person F to CSC on 8 occasions [{n}]. "
    "This led to two separate strategy meetings and Early Help once [{n}]."
)


def supported(request: dict) -> Reply:
    """A grounded reply citing whichever block of this prompt holds the referrals bullet."""
    return Reply(SUPPORTED.format(n=block_with(request, "8 occasions")))


@pytest.fixture(scope="module")
def home(seed_index: Path) -> Path:
    """The seed corpus indexed with the real model."""
    return seed_index


def settings_for(home: Path, server: StubOpenAI, **values: Any) -> Settings:
    return Settings.from_env(
        env={}, home=home, answerer="openai", llm_base_url=server.base_url, llm_model="stub-model", **values
    )


def assert_verbatim(citations: list[dict], home: Path) -> None:
    assert citations
    catalog = Catalog(Settings.from_env(env={}, home=home).db_path)
    for c in citations:
        review = catalog.review(c["review_id"])
        assert review is not None and review.text[c["start"] : c["end"]] == c["quote"]


@pytest.fixture(scope="module")
def casewise(home: Path, real_embedder: Any) -> Casewise:
    """One pipeline for the module (sentence vectors stay cached); each test points it at its own server."""
    return Casewise.open(Settings.from_env(env={}, home=home), embedder=real_embedder)


def ask(casewise: Casewise, home: Path, server: StubOpenAI, stream: bool = False, **values: Any) -> Answer:
    """Ask the referrals question through the real ChatOpenAI client pointed at server."""
    casewise.generator = generator_from_settings(settings_for(home, server, **values))
    tokens: list[str] = []
    answer = casewise.ask(REFERRALS, on_token=tokens.append if stream else None)
    if stream and answer.answerer == "openai":
        assert len(tokens) > 5
    return answer


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, real_embedder: Any) -> pytest.MonkeyPatch:
    for name in ("CASEWISE_CONFIG", "CASEWISE_ANSWERER", "CASEWISE_LLM_API_KEY", "CASEWISE_LLM_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("retriever.index.load_embedder", lambda name: real_embedder)
    monkeypatch.setenv("CASEWISE_LLM_MODEL", "stub-model")
    return monkeypatch


def test_a_json_reply_through_the_cli(
    home: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with StubOpenAI(supported) as server:
        cli_env.setenv("CASEWISE_LLM_BASE_URL", server.base_url)
        code = main(["ask", REFERRALS, "--answerer", "openai", "--json", "--home", str(home)])
    out, err = capsys.readouterr()
    assert code == 0, err
    answer = json.loads(out)
    assert answer["answerer"] == "openai" and not answer["abstained"] and answer["notices"] == []
    assert answer["answer"] == (
        "Police referred Young Person F to CSC on 8 occasions [1]. "
        "This led to two separate strategy meetings and Early Help once [1]."
    )
    assert "referred to CSC on 8 occasions" in answer["citations"][0]["quote"]
    assert_verbatim(answer["citations"], home)
    [request] = server.requests
    assert request["model"] == "stub-model" and request["temperature"] == 0 and not request.get("stream")
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert "<<<DATA 1>>>" in request["messages"][1]["content"]


def test_a_streamed_reply_reaches_on_token_piece_by_piece(home: Path, casewise: Casewise) -> None:
    with StubOpenAI(supported) as server:
        answer = ask(casewise, home, server, stream=True)
    assert server.requests[0]["stream"] is True
    assert answer.answerer == "openai" and not answer.notices
    assert answer.text.startswith("Police referred Young Person F to CSC on 8 occasions [1].")
    assert_verbatim([c.to_dict() for c in answer.citations], home)


def test_the_cli_streams_the_draft_to_stderr_and_prints_only_the_checked_answer(
    home: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with StubOpenAI(lambda request: Reply(supported(request).text + " The family moved to Spain [1].")) as server:
        cli_env.setenv("CASEWISE_LLM_BASE_URL", server.base_url)
        code = main(["ask", REFERRALS, "--answerer", "openai", "--home", str(home)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "moved to Spain" in err and "moved to Spain" not in out
    assert out.startswith("Police referred Young Person F to CSC on 8 occasions [1].")
    assert "\nSources:\n[1] Rapid Reviews: Young Person F" in out
    assert "note: 1 sentence(s) were removed because the reviews do not support them." in err


@pytest.mark.parametrize("stream", [False, True])
def test_a_reply_slower_than_the_timeout_falls_back(home: Path, casewise: Casewise, stream: bool) -> None:
    with StubOpenAI(lambda request: Reply("too late [1].", delay_s=60)) as server:
        started = time.perf_counter()
        answer = ask(casewise, home, server, stream=stream, llm_timeout_s=1)
        elapsed = time.perf_counter() - started
    assert elapsed < 20  # the reply would take 60 s; the rest is scoring on a busy machine
    assert answer.answerer == "extractive" and "too late" not in answer.text
    assert answer.notices == (
        f"The language model at {server.base_url} did not reply within 1 s (timed out). "
        "This answer was built by the offline answerer instead.",
    )
    assert_verbatim([c.to_dict() for c in answer.citations], home)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (Reply(malformed=True), "sent a reply that is not valid JSON"),
        (Reply(status=500), "replied with an error (HTTP 500)"),
        (
            Reply(status=404),
            "replied with an error (HTTP 404; check CASEWISE_LLM_BASE_URL and CASEWISE_LLM_MODEL)",
        ),
        (Reply(""), "returned an empty reply"),
    ],
)
def test_a_broken_reply_falls_back_with_a_notice(
    home: Path, casewise: Casewise, reply: Reply, cause: str, stream: bool
) -> None:
    with StubOpenAI(lambda request: reply) as server:
        answer = ask(casewise, home, server, stream=stream)
    assert answer.answerer == "extractive" and "8 occasions" in answer.text
    assert answer.notices == (
        f"The language model at {server.base_url} {cause}. This answer was built by the offline answerer instead.",
    )
    assert_verbatim([c.to_dict() for c in answer.citations], home)


def test_a_dead_server_falls_back_through_the_cli(
    home: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with StubOpenAI() as server:
        url = server.base_url
    cli_env.setenv("CASEWISE_LLM_BASE_URL", url)
    code = main(["ask", REFERRALS, "--answerer", "openai", "--json", "--home", str(home)])
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert code == 0 and answer["answerer"] == "extractive"
    assert answer["notices"] == [
        f"The language model at {url} could not be reached (connection refused). "
        "This answer was built by the offline answerer instead."
    ]
    assert_verbatim(answer["citations"], home)


def test_follow_ups_are_rewritten_by_the_model_in_batch_mode(
    home: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def script(request: dict) -> Reply:
        if "rewrite a follow-up question" in request["messages"][0]["content"]:
            return Reply("How was Young Person F protected after the assault?")
        return Reply(
            "Young Person F was protected through a child protection plan after the assault [{n}].".format(
                n=block_with(request, "child protection plan")
            )
        )

    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "q1",
                "question": "And how were they protected?",
                "history": [
                    {"role": "user", "content": "What happened to Young Person F?"},
                    {
                        "role": "assistant",
                        "content": "They were the victim of a life-threatening assault [1].",
                    },
                ],
            }
        )
        + "\n"
    )
    with StubOpenAI(script) as server:
        cli_env.setenv("CASEWISE_LLM_BASE_URL", server.base_url)
        code = main(["ask", "--questions", str(questions), "--answerer", "openai", "--json", "--home", str(home)])
    out, err = capsys.readouterr()
    assert code == 0, err
    answer = json.loads(out)
    assert answer["id"] == "q1" and answer["answerer"] == "openai"
    assert answer["standalone_question"] == "How was Young Person F protected after the assault?"
    assert answer["answer"].startswith("Young Person F was protected through a child protection plan")
    assert_verbatim(answer["citations"], home)
    assert len(server.requests) == 2
