"""Personal data in questions: found with its span, redactable, warned about before it leaves the machine."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import HashingEmbedder
from growth import LINEAR, growth
from openai_stub import Reply, StubOpenAI

from casewise.cli import main
from core.settings import Settings
from retriever.privacy import describe, find_personal_data, redact, remote_llm_host

LIVE_CASE = "Was Jane Smith (DOB 12/03/2015) seen at 14 Acacia Road, LS1 4AB? Mum's phone is 07700 900123."


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in find_personal_data(text)]


def test_each_kind_is_found_with_its_span() -> None:
    assert kinds(LIVE_CASE) == [
        ("name", "Jane Smith"),
        ("date_of_birth", "12/03/2015"),
        ("address", "14 Acacia Road"),
        ("postcode", "LS1 4AB"),
        ("phone", "07700 900123"),
    ]
    assert kinds("Mrs Patel said the baby was born on 3rd June 2021") == [
        ("name", "Mrs Patel"),
        ("date_of_birth", "3rd June 2021"),
    ]
    assert redact(LIVE_CASE, find_personal_data(LIVE_CASE)) == (
        "Was [name] (DOB [date_of_birth]) seen at [address], [postcode]? Mum's phone is [phone]."
    )
    assert describe(find_personal_data(LIVE_CASE)) == ("a name, a date of birth, an address, a postcode and a phone")


def test_nhs_numbers_need_a_valid_check_digit() -> None:
    assert kinds("NHS number 943 476 5919 please") == [("nhs_number", "943 476 5919")]
    assert kinds("NHS number 943 476 5918 please") == []  # wrong check digit
    assert kinds("reference 9434765919") == [("nhs_number", "9434765919")]


@pytest.mark.parametrize(
    "question",
    [
        "What did the review of Child D find about neglect?",
        "How many times did the police refer Young Person F to children's social care in March 2020?",
        "What did Early Help and the Safeguarding Partnership recommend?",
        "Which reviews published in 2021 mention 8 referrals?",
        "Were Children's Social Care told before 12 March?",
    ],
)
def test_questions_about_reviews_are_not_flagged(question: str) -> None:
    assert find_personal_data(question) == []


@pytest.mark.parametrize(
    "hostile",
    [
        "0" * 50_000,
        "A" * 50_000,
        "Aa " * 20_000,
        "1 " * 25_000 + "Road",
        "born " * 10_000,
        "+44" * 10_000,
        "\ud800\x00" * 10_000,
    ],
)
def test_hostile_questions_are_scanned_without_error(hostile: str) -> None:
    spans = find_personal_data(hostile)
    assert all(0 <= s.start < s.end <= len(hostile) for s in spans)


def test_the_scan_grows_linearly() -> None:
    ratio = growth(find_personal_data, lambda n: ("Aa Bb 07700 9001 LS1 " * n)[: 30 * n], 1_000)
    assert ratio < LINEAR, f"find_personal_data work grew {ratio:.0f} times for 8 times the input"


def test_remote_llm_host() -> None:
    def settings(answerer: str, url: str | None) -> Settings:
        return Settings.from_env(env={}, answerer=answerer, llm_base_url=url, llm_model="m")

    assert remote_llm_host(settings("extractive", None)) is None
    assert remote_llm_host(settings("openai", "http://127.0.0.1:8080/v1")) is None
    assert remote_llm_host(settings("ollama", None)) is None
    assert remote_llm_host(settings("openai", "https://user:secret@llm.example.org/v1")) == "llm.example.org"


@pytest.fixture
def indexed(clean_home: Path, docs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: HashingEmbedder())
    monkeypatch.setattr("retriever.index.load_embedder", lambda name: HashingEmbedder())
    assert main(["ingest", str(docs)]) == 0
    capsys.readouterr()
    return clean_home


def test_the_cli_warns_before_personal_data_goes_to_a_remote_model_and_logs_nothing_of_it(
    indexed: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr("casewise.commands.ask_cmd.remote_llm_host", lambda settings: "llm.example.org")
    with StubOpenAI(lambda request: Reply("The evidence does not answer this.")) as server:
        monkeypatch.setenv("CASEWISE_ANSWERER", "openai")
        monkeypatch.setenv("CASEWISE_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("CASEWISE_LLM_MODEL", "stub")
        question = "Did mum decline an interpreter for Young Person F (call me on 07700 900123)?"
        with caplog.at_level(logging.DEBUG):
            assert main(["ask", question, "--json"]) == 0
    _, err = capsys.readouterr()
    [warning] = [line for line in err.splitlines() if line.startswith("warning:")]
    assert "hold a phone;" in warning and "llm.example.org" in warning
    assert "07700" not in err  # the warning does not repeat the data
    assert "07700" not in caplog.text and "interpreter" not in caplog.text
    assert server.requests  # the question did reach the model: the user was warned, not blocked
