"""A `casewise ingest` killed midway (SIGKILL, no clean-up) is finished by the next run, no duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED_FILES

from casewise.cli import main
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.chunking import chunk_review
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.pipeline import ENCODE_BATCH
from ingest.store import VectorStore

pytestmark = pytest.mark.integration
CASEWISE = Path(sys.executable).with_name("casewise")  # the venv running the tests (a worktree may have none)
# Enough reviews for more than one of ingest's encode batches (ENCODE_BATCH chunks): the first batch's files are
# written while the next batch encodes, and the kill lands then.
SUBJECTS = [f"{letter}{digit}" for digit in "12" for letter in "ABCDEGHJKLNPQRSTUV"]


def _corpus(folder: Path) -> list[Path]:
    """Each seed retold about many different subjects, so every file has its own chunks."""
    folder.mkdir()
    paths = []
    for seed in SEED_FILES:
        text = seed.read_text(encoding="utf-8")
        for subject in SUBJECTS:
            path = folder / f"{seed.stem}-{subject.lower()}.txt"
            path.write_text(text.replace("Person F", f"Person {subject}").replace("Child M", f"Child {subject}"))
            paths.append(path)
    return paths


def _indexed_files(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05) as conn:
            return int(conn.execute("SELECT count(*) FROM files").fetchone()[0])
    except sqlite3.Error:  # not created yet, or locked by the writer this instant
        return 0


def test_a_killed_ingest_is_finished_by_the_next_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    real_embedder,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    docs = tmp_path / "docs"
    paths = _corpus(docs)
    home = tmp_path / "home"
    db = home / "casewise.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    env.update({"CASEWISE_HOME": str(home), "ANONYMIZED_TELEMETRY": "False"})
    process = subprocess.Popen(
        [str(CASEWISE), "ingest", str(docs)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 300
    while _indexed_files(db) < 1:
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("no file was indexed within 5 minutes")
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done_before = _indexed_files(db)
    assert 1 <= done_before < len(paths), "the run finished before the kill: the test proved nothing"

    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(home))
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: real_embedder)
    assert main(["ingest", str(docs)]) == 0
    out = capsys.readouterr().out
    assert f"{done_before} unchanged" in out and "0 failed" in out

    settings = Settings.from_env(env={}, home=home)
    catalog = Catalog(db)
    expected = {c.chunk_id for p in paths for c in chunk_review(*build_review(p.resolve(), load(p, 10_000_000)))}
    assert len(expected) > ENCODE_BATCH  # the run had more than one encode batch to be killed between
    assert len(catalog.files()) == len(paths)
    assert {c.chunk_id for c in catalog.all_chunks()} == expected
    raw_ids = _raw_chroma_ids(settings)
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]
    assert set(raw_ids) == expected
    assert VectorStore(settings).count() == catalog.chunk_count() == len(expected)


def _raw_chroma_ids(settings: Settings) -> list[str]:
    """Every id in the collection as Chroma lists it (a set would hide duplicates)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return list(client.get_collection(settings.collection).get(include=[])["ids"])
