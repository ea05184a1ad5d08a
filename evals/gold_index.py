"""The index a gold file is scored on: one of the reviews/ folder beside it, when it has one."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from core.settings import Settings
from ingest.embedding import Embedder
from ingest.pipeline import ingest


def index_for(path: Path, settings: Settings, embedder: Embedder) -> tuple[Settings, list[str]]:
    """A gold file with a reviews/ folder beside it is scored on an index of that folder, kept up to date under
    CASEWISE_HOME/eval/<folder>; any other gold file on the configured index. Also the files that failed."""
    corpus = path.resolve().parent / "reviews"
    if not corpus.is_dir():
        return settings, []
    slug = re.sub(r"[^a-z0-9]+", "-", str(corpus.parent).lower()).strip("-")[-60:]
    scoped = replace(settings, home=settings.home / "eval" / slug)
    report = ingest([corpus], scoped, lambda: embedder)
    return scoped, [failed.message for failed in report.failed]
