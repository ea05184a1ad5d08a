"""`casewise ingest` into a real `chroma run` server on 127.0.0.1, with the real model."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_FILES

from casewise.cli import main
from ingest.catalog import Catalog

pytestmark = pytest.mark.integration
CHROMA = Path(sys.executable).with_name("chroma")  # the venv running the tests (a worktree may have none)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A Chroma server on a free loopback port, stopped (and killed if need be) at teardown."""
    if not CHROMA.exists():
        pytest.fail(f"{CHROMA} is missing; reinstall chromadb in the venv")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    command = [
        str(CHROMA),
        "run",
        "--path",
        str(tmp_path / "server-data"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start: {(tmp_path / 'chroma.log').read_text(errors='replace')}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_ingest_into_a_chroma_server(
    chroma_server: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    real_embedder,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    docs = tmp_path / "docs"
    docs.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, docs / path.name)
    home = tmp_path / "home"
    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(home))
    monkeypatch.setenv("CASEWISE_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEWISE_CHROMA_PORT", str(chroma_server))
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: real_embedder)

    assert main(["ingest", str(docs)]) == 0
    assert "2 added" in capsys.readouterr().out
    assert not (home / "chroma").exists()  # nothing went to the embedded store

    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma_server, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection("casewise_chunks")
    catalog_ids = {c.chunk_id for c in Catalog(home / "casewise.sqlite3").all_chunks()}
    stored = collection.get(include=["metadatas", "embeddings"])
    assert len(catalog_ids) == 12
    assert collection.count() == 12
    assert sorted(stored["ids"]) == sorted(catalog_ids)
    assert len(stored["embeddings"][0]) == real_embedder.dimension
    assert {m["review_id"] for m in stored["metadatas"]} == {
        "child-m-serious-case-review",
        "young-person-f-rapid-review",
    }

    # a second run adds nothing; removing a file removes its vectors from the server
    assert main(["ingest", str(docs)]) == 0
    assert "2 unchanged" in capsys.readouterr().out
    assert collection.count() == 12
    (docs / "child-m-serious-case-review.txt").unlink()
    assert main(["ingest", str(docs)]) == 0
    remaining = set(collection.get(include=[])["ids"])
    assert remaining == {c.chunk_id for c in Catalog(home / "casewise.sqlite3").all_chunks()}
    assert len(remaining) == 5 and all(i.startswith("young-person-f-rapid-review:") for i in remaining)

    # a rebuild writes a new collection on the server, swaps it in, and drops the old one
    capsys.readouterr()
    assert main(["ingest", str(docs), "--rebuild"]) == 0
    assert "1 added" in capsys.readouterr().out
    names = [getattr(c, "name", c) for c in client.list_collections()]
    [live] = [n for n in names if n.startswith("casewise_chunks")]
    assert live != "casewise_chunks"
    assert set(client.get_collection(live).get(include=[])["ids"]) == remaining
