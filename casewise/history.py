"""Conversations kept in SQLite under CASEWISE_HOME, each owned by one user; deleting one removes it from disk."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

from casewise.sqlite_store import connect, open_store
from core.models import Chunk
from retriever.models import Answer, Citation, Hit, SearchFilter

FILENAME = "history.sqlite3"
TITLE_CHARS = 80
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations(owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    filters TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
"""


@dataclass(frozen=True)
class Conversation:
    """One conversation as the sidebar lists it."""

    id: int
    title: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Exchange:
    """One question and the answer it got, with the filters it was searched under."""

    question: str
    answer: Answer
    filters: SearchFilter


class HistoryStore:
    """Every method takes the owner, so a user reaches only their own conversations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        open_store(path, _SCHEMA)

    @classmethod
    def in_home(cls, home: Path) -> HistoryStore:
        return cls(home / FILENAME)

    def start(self, owner: str, first_question: str) -> int:
        """A new conversation titled by its first question; returns its id."""
        now = _now()
        title = " ".join(first_question.split())[:TITLE_CHARS] or "Untitled"
        with connect(self.path) as db:
            cursor = db.execute(
                "INSERT INTO conversations (owner, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (owner, title, now, now),
            )
            return int(cursor.lastrowid or 0)

    def append(self, owner: str, conversation_id: int, exchange: Exchange) -> None:
        """Add one exchange to the owner's conversation (ignored if it is not theirs or was deleted)."""
        with connect(self.path) as db:
            if not _owns(db, owner, conversation_id):
                return
            seq = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO turns (conversation_id, seq, question, answer, filters) VALUES (?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    seq,
                    exchange.question,
                    json.dumps(exchange.answer.to_dict(), ensure_ascii=False),
                    json.dumps(asdict(exchange.filters)),
                ),
            )
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (_now(), conversation_id))

    def conversations(self, owner: str) -> list[Conversation]:
        """The owner's conversations, most recently used first."""
        with connect(self.path) as db:
            rows = db.execute(
                "SELECT id, title, created_at, updated_at FROM conversations WHERE owner = ? "
                "ORDER BY updated_at DESC, id DESC",
                (owner,),
            ).fetchall()
        return [Conversation(*row) for row in rows]

    def exchanges(
        self, owner: str, conversation_id: int, chunks: Callable[[Sequence[str]], Mapping[str, Chunk]]
    ) -> list[Exchange]:
        """The conversation's exchanges in order; evidence is re-read from the index through `chunks`."""
        with connect(self.path) as db:
            if not _owns(db, owner, conversation_id):
                return []
            rows = db.execute(
                "SELECT question, answer, filters FROM turns WHERE conversation_id = ? ORDER BY seq",
                (conversation_id,),
            ).fetchall()
        return [Exchange(q, answer_from_dict(json.loads(a), chunks), _filters(json.loads(f))) for q, a, f in rows]

    def rename(self, owner: str, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())[:TITLE_CHARS]
        if not title:
            return
        with connect(self.path) as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?", (title, conversation_id, owner))

    def forget_older_than(self, days: int) -> int:
        """Delete every conversation (of every owner) unused for more than `days` days; returns how many."""
        cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        with connect(self.path) as db:
            gone = db.execute("DELETE FROM conversations WHERE updated_at < ?", (cutoff,)).rowcount
        if gone:
            self._vacuum()
        return int(gone)

    def delete(self, owner: str, conversation_id: int) -> None:
        """Remove the conversation and every question and answer in it from disk."""
        with connect(self.path) as db:
            db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner))
        self._vacuum()

    def _vacuum(self) -> None:
        db = sqlite3.connect(str(self.path), timeout=10)
        try:
            db.execute("VACUUM")  # rewrite the file so the deleted text is not left in free pages
        finally:
            db.close()


def _owns(db: sqlite3.Connection, owner: str, conversation_id: int) -> bool:
    row = db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner)).fetchone()
    return row is not None


def _filters(data: Mapping[str, object]) -> SearchFilter:
    known = {f.name for f in fields(SearchFilter)}
    return SearchFilter(**{k: tuple(v) for k, v in data.items() if k in known and isinstance(v, list)})


def answer_from_dict(data: Mapping, chunks: Callable[[Sequence[str]], Mapping[str, Chunk]]) -> Answer:
    """An Answer back from its contract JSON; evidence chunks no longer in the index are left out."""
    citations = tuple(
        Citation(
            marker=int(c["marker"]),
            chunk_id=c["chunk_id"],
            review_id=c["review_id"],
            review_title=c["review_title"],
            section=c["section"],
            section_label=c.get("section_label", c["section"]),
            section_path=tuple(c["section_path"]),
            pages=tuple(c["pages"]),
            start=int(c["start"]),
            end=int(c["end"]),
            quote=c["quote"],
        )
        for c in data.get("citations", [])
    )
    wanted = [e["chunk_id"] for e in data.get("evidence", [])]
    found = chunks(wanted) if wanted else {}
    evidence = tuple(
        Hit(found[e["chunk_id"]], float(e.get("score", 0.0)), dict(e.get("ranks_by_signal", {})))
        for e in data.get("evidence", [])
        if e["chunk_id"] in found
    )
    return Answer(
        question=data["question"],
        text=data["answer"],
        citations=citations,
        abstained=bool(data["abstained"]),
        answerer=data["answerer"],
        evidence=evidence,
        standalone_question=data.get("standalone_question", ""),
        notices=tuple(data.get("notices", [])),
        removed=tuple(data.get("removed", [])),
        timings_ms=dict(data.get("timings_ms", {})),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
