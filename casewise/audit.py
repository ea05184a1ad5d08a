"""The audit log: who ingested, removed or exported what, and when, in SQLite under CASEWISE_HOME."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casewise.sqlite_store import connect, open_store

FILENAME = "audit.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: str
    user_id: str
    action: str  # ingested | ingest-failed | removed | exported
    target: str
    detail: str


class AuditLog:
    """Append-only log; entries are never changed or deleted from the app."""

    def __init__(self, path: Path) -> None:
        self.path = path
        open_store(path, _SCHEMA)

    @classmethod
    def in_home(cls, home: Path) -> AuditLog:
        return cls(home / FILENAME)

    def record(self, user_id: str, action: str, target: str, detail: str = "") -> None:
        """Append one action."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with connect(self.path) as db:
            db.execute(
                "INSERT INTO audit (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                (stamp, user_id, action, target, detail),
            )

    def entries(self, limit: int = 500) -> list[AuditEntry]:
        """The newest entries first."""
        with connect(self.path) as db:
            rows = db.execute(
                "SELECT id, at, user_id, action, target, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [AuditEntry(*row) for row in rows]
