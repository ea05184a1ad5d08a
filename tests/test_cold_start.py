"""Usage and input errors come back before the heavy libraries (torch, the model, Chroma) are imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, HashingEmbedder

from core.settings import Settings
from ingest.pipeline import ingest

HEAVY = ("torch", "transformers", "sentence_transformers", "chromadb", "onnxruntime", "langchain_core")

# Runs the CLI as `casewise` would, then reports its exit code and which heavy modules it imported.
PROBE = """
import json, sys
from casewise.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(name for name in {heavy!r} if name in sys.modules)
print(json.dumps({{"code": code, "heavy": heavy}}))
"""


def run_cli(home: Path, *args: str, **env: str) -> tuple[int, list[str], str]:
    """(exit code, heavy modules imported, stderr) of one `casewise` run in a fresh interpreter."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    environ.update(CASEWISE_HOME=str(home), PYTHONPATH=str(ROOT), **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=300,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], report["heavy"], done.stderr


@pytest.fixture(scope="module")
def indexed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the seed reviews (built with the hashing embedder: these runs never reach the model)."""
    home = tmp_path_factory.mktemp("cold") / "home"
    ingest([ROOT / "corpus"], Settings.from_env(env={}, home=home), HashingEmbedder)
    return home


@pytest.mark.parametrize(
    "args",
    [
        ("search", "--bogus"),
        ("ask", "--answerer", "nonsense", "a question"),
        ("search", "-k", "many", "a question"),
    ],
)
def test_bad_usage_exits_2_before_heavy_imports(tmp_path: Path, args: tuple[str, ...]) -> None:
    code, heavy, err = run_cli(tmp_path / "home", *args)
    assert code == 2
    assert "usage: casewise" in err
    assert heavy == []


@pytest.mark.parametrize("command", ["ask", "search"])
def test_missing_index_is_reported_before_heavy_imports(tmp_path: Path, command: str) -> None:
    code, heavy, err = run_cli(tmp_path / "nowhere", command, "What did the review recommend?")
    assert code == 1
    assert "no index yet at" in err and "run `casewise ingest`" in err
    assert heavy == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "What happened?", "--review", "no-such-review"), "unknown review 'no-such-review'"),
        (("search", "school", "--section", "Nowhere"), "no section heading contains 'Nowhere'"),
        (("search", "school", "--type", "audit"), "unknown review type 'audit'"),
        (("ask", "What was recommended?", "--kind", "gossip"), "unknown section kind 'gossip'"),
    ],
)
def test_unknown_filters_are_reported_before_heavy_imports(
    indexed_home: Path, args: tuple[str, ...], message: str
) -> None:
    code, heavy, err = run_cli(indexed_home, *args)
    assert code == 1
    assert message in err
    assert heavy == []


def test_unknown_embedding_model_is_reported_before_heavy_imports(indexed_home: Path) -> None:
    code, heavy, err = run_cli(indexed_home, "search", "school", CASEWISE_EMBEDDING_MODEL="no-such-model")
    assert code == 1
    assert "embedding model 'no-such-model'" in err
    assert not {"torch", "sentence_transformers", "transformers"} & set(heavy)
