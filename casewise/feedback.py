"""Practitioners' feedback on answers, kept in SQLite under CASEWISE_HOME for whoever maintains the corpus."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from retriever.models import Answer

FILENAME = "feedback.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    answerer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class FeedbackEntry:
    """One verdict on one answer, with the answer as the user saw it."""

    id: int
    created_at: str
    question: str
    answer: str
    citations: tuple[dict, ...]
    answerer: str
    abstained: bool
    helpful: bool
    comment: str


class FeedbackStore:
    """Append-only store of feedback; one short connection per call, so any thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @classmethod
    def in_home(cls, home: Path) -> FeedbackStore:
        """The store beside the index in CASEWISE_HOME."""
        return cls(home / FILENAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(str(self.path), timeout=10)
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def add(self, answer: Answer, helpful: bool, comment: str = "", when: datetime | None = None) -> int:
        """Record a verdict on an answer; returns the new entry's id."""
        stamp = (when or datetime.now(UTC)).isoformat(timespec="seconds")
        citations = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, question, answer, citations, answerer, abstained, helpful,"
                " comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    answer.question,
                    answer.text,
                    citations,
                    answer.answerer,
                    int(answer.abstained),
                    int(helpful),
                    comment.strip(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def entries(self, limit: int | None = None) -> list[FeedbackEntry]:
        """Feedback, newest first."""
        sql = (
            "SELECT id, created_at, question, answer, citations, answerer, abstained, helpful, comment "
            "FROM feedback ORDER BY id DESC"
        )
        args: Sequence[object] = ()
        if limit is not None:
            sql, args = sql + " LIMIT ?", (limit,)
        with self._connect() as db:
            rows = db.execute(sql, args).fetchall()
        return [
            FeedbackEntry(
                id=r[0],
                created_at=r[1],
                question=r[2],
                answer=r[3],
                citations=tuple(json.loads(r[4])),
                answerer=r[5],
                abstained=bool(r[6]),
                helpful=bool(r[7]),
                comment=r[8],
            )
            for r in rows
        ]
