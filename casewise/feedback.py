"""Practitioners' feedback on answers, kept in SQLite under CASEWISE_HOME for whoever maintains the corpus."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casewise.sqlite_store import connect, open_store
from retriever.models import Answer

FILENAME = "feedback.sqlite3"
# What was wrong with an answer (the user may pick several); the keys are stored, the labels shown.
REASONS = {
    "wrong_review": "Wrong review",
    "missed_something": "Missed something",
    "should_have_refused": "Should have refused",
    "wrong_refusal": "Wrong refusal",
    "other": "Other",
}
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
# Columns added after the first release; an older feedback file gains them on open.
_ADDED = {"owner": "TEXT NOT NULL DEFAULT ''", "reasons": "TEXT NOT NULL DEFAULT '[]'", "index_build": "TEXT"}
_COLUMNS = (
    "id, created_at, question, answer, citations, answerer, abstained, helpful, comment, owner, reasons, index_build"
)
CSV_HEADER = [
    "id",
    "created_at",
    "user",
    "helpful",
    "reasons",
    "question",
    "answer",
    "comment",
    "answerer",
    "abstained",
    "index_build",
    "citations",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FeedbackEntry:
    """One verdict on one answer, with the answer as the user saw it and the index it came from."""

    id: int
    created_at: str
    question: str
    answer: str
    citations: tuple[dict, ...]
    answerer: str
    abstained: bool
    helpful: bool
    comment: str
    owner: str = ""
    reasons: tuple[str, ...] = ()
    index_build: str | None = None


class FeedbackStore:
    """Feedback entries; a user may add detail to their own entry, and sees only their own unless an admin."""

    def __init__(self, path: Path) -> None:
        self.path = path
        open_store(path, _SCHEMA)
        with connect(path) as db:
            present = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
            for name, kind in _ADDED.items():
                if name not in present:
                    db.execute(f"ALTER TABLE feedback ADD COLUMN {name} {kind}")

    @classmethod
    def in_home(cls, home: Path) -> FeedbackStore:
        """The store beside the index in CASEWISE_HOME."""
        return cls(home / FILENAME)

    def add(
        self,
        answer: Answer,
        helpful: bool,
        comment: str = "",
        when: datetime | None = None,
        owner: str = "",
        index_build: str | None = None,
    ) -> int:
        """Record a verdict on an answer; returns the new entry's id."""
        stamp = (when or datetime.now(UTC)).isoformat(timespec="seconds")
        citations = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        with connect(self.path) as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, question, answer, citations, answerer, abstained, helpful,"
                " comment, owner, index_build) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    answer.question,
                    answer.text,
                    citations,
                    answer.answerer,
                    int(answer.abstained),
                    int(helpful),
                    comment.strip(),
                    owner,
                    index_build,
                ),
            )
            return int(cursor.lastrowid or 0)

    def explain(self, entry_id: int, owner: str, comment: str, reasons: Sequence[str]) -> None:
        """Add the optional comment and what was wrong to the owner's own entry."""
        unknown = set(reasons) - set(REASONS)
        if unknown:
            raise ValueError(f"unknown feedback reason(s): {', '.join(sorted(unknown))}")
        with connect(self.path) as db:
            db.execute(
                "UPDATE feedback SET comment = ?, reasons = ? WHERE id = ? AND owner = ?",
                (comment.strip(), json.dumps(list(reasons)), entry_id, owner),
            )

    def entries(self, limit: int | None = None, owner: str | None = None) -> list[FeedbackEntry]:
        """Feedback, newest first: everyone's, or one owner's."""
        sql = f"SELECT {_COLUMNS} FROM feedback"
        args: list[object] = []
        if owner is not None:
            sql, args = sql + " WHERE owner = ?", [owner]
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql, args = sql + " LIMIT ?", [*args, limit]
        with connect(self.path) as db:
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
                owner=r[9],
                reasons=tuple(json.loads(r[10] or "[]")),
                index_build=r[11],
            )
            for r in rows
        ]


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (=, +, -, @) gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(entries: Sequence[FeedbackEntry]) -> str:
    """The entries as CSV for the evaluation harness and spreadsheets, formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for e in entries:
        cited = " | ".join(
            f"[{c.get('marker')}] {c.get('review_id')} / {c.get('section_label')}: {c.get('quote')}"
            for c in e.citations
        )
        row = [
            e.id,
            e.created_at,
            e.owner,
            int(e.helpful),
            ";".join(e.reasons),
            e.question,
            e.answer,
            e.comment,
            e.answerer,
            int(e.abstained),
            e.index_build or "",
            cited,
        ]
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def gold_candidates(entries: Sequence[FeedbackEntry]) -> list[dict[str, object]]:
    """Negative feedback as candidate gold questions, for a person to complete before they join a gold set.

    A "should have refused" verdict becomes an `unanswerable` candidate (complete as it stands); any other
    becomes a `factual` candidate whose evidence and key facts are left for the reviewer to fill in.
    """
    out: list[dict[str, object]] = []
    for e in entries:
        if e.helpful:
            continue
        refuse = "should_have_refused" in e.reasons
        reasons = ", ".join(REASONS.get(r, r) for r in e.reasons) or "not helpful"
        out.append(
            {
                "id": f"feedback-{e.id}",
                "question": e.question,
                "kind": "unanswerable" if refuse else "factual",
                "reviews": [] if refuse else sorted({str(c.get("review_id")) for c in e.citations}),
                "evidence": [],
                "key_facts": [],
                "reference_answer": "",
                "notes": f"From feedback {e.id} ({e.created_at}, index built {e.index_build or 'unknown'}): "
                f"{reasons}. {e.comment}".strip(),
            }
        )
    return out
