"""`casewise serve` answers with the same JSON as the CLI, and `ask/search --server` print what the CLI prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from casewise.cli import main

pytestmark = pytest.mark.integration

QUESTION = "What were the recommendations in the Child M review?"
QUERY = "Was he excluded from school?"


@pytest.fixture(scope="module")
def home(seed_index: Path) -> Path:
    """An index of the seed reviews built with the real model."""
    return seed_index


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[str]:
    """A running `casewise serve` on a free port; yields its URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    env.update(CASEWISE_HOME=str(home), PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "casewise", "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # printed once the model and index are loaded
        assert line.startswith("casewise serve: http://127.0.0.1:"), line
        yield line.split()[2]
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def cli_home(home: Path, clean_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWISE_HOME", str(home))
    return home


def http(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


def test_ask_over_http_equals_the_cli(server: str, cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, served = http(f"{server}/ask", {"question": QUESTION})
    assert status == 200
    local = cli_json(capsys, "ask", QUESTION, "--json")
    via_server = cli_json(capsys, "ask", QUESTION, "--json", "--server", server)
    assert served["citations"] and not served["abstained"]
    assert without_timings(served) == without_timings(local) == without_timings(via_server)


def test_search_over_http_equals_the_cli(server: str, cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = {"query": QUERY, "k": 3, "reviews": ["young-person-f-rapid-review"], "mode": "hybrid"}
    status, served = http(f"{server}/search", request)
    assert status == 200
    args = ["search", QUERY, "-k", "3", "--review", "young-person-f-rapid-review", "--mode", "hybrid", "--json"]
    assert served == cli_json(capsys, *args) == cli_json(capsys, *args, "--server", server)
    assert len(served["results"]) == 3


def test_text_output_through_the_server_matches(
    server: str, cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", QUERY, "-k", "2"]) == 0
    local = capsys.readouterr().out
    assert main(["search", QUERY, "-k", "2", "--server", server]) == 0
    assert capsys.readouterr().out == local
    assert main(["ask", QUESTION]) == 0
    local = capsys.readouterr().out
    assert main(["ask", QUESTION, "--server", server]) == 0
    assert capsys.readouterr().out == local
    assert "Sources:" in local


def test_reviews_health_and_openapi(server: str, home: Path) -> None:
    status, reviews = http(f"{server}/reviews")
    assert status == 200
    titles = {r["title"] for r in reviews["reviews"]}
    assert titles == {"Serious Case Review: Child M", "Rapid Reviews: Young Person F"}
    assert http(f"{server}/health") == (200, {"status": "ok", "answerer": "extractive", "index": str(home.resolve())})
    status, spec = http(f"{server}/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    assert {"/ask", "/search", "/reviews", "/health", "/openapi.json"} <= set(spec["paths"])


def test_errors_name_the_fix(server: str, cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, body = http(f"{server}/ask", {"question": QUESTION, "reviews": ["no-such-review"]})
    assert status == 400 and body["error"].startswith("unknown review 'no-such-review'; the index holds:")
    assert main(["ask", QUESTION, "--review", "no-such-review", "--server", server]) == 1
    assert capsys.readouterr().err == f"casewise: error: {body['error']}\n"
    assert http(f"{server}/search", {"k": 3})[0] == 400
    assert http(f"{server}/search", {"query": "x", "k": 0})[0] == 400
    assert http(f"{server}/nowhere")[0] == 404
    assert main(["search", QUERY, "--server", "http://127.0.0.1:9"]) == 1
    assert "cannot reach a Casewise service at http://127.0.0.1:9" in capsys.readouterr().err
