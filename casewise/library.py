"""Adding and removing reviews from the app: checks first, then the same incremental ingest as `casewise ingest`.

Work runs in a background thread that does not belong to any browser session, so closing the tab midway
neither stops it nor leaves the index half-written (ingest writes each review in its own transaction).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from casewise.audit import AuditLog
from core.errors import CasewiseError, DocumentError
from core.settings import Settings
from ingest.embedding import Embedder
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import FileResult, FileStatus, IngestReport, ingest

UPLOAD_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
_MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",)}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_LOCK = threading.Lock()  # one ingest at a time from this app process


def safe_name(name: str) -> str:
    """The file name alone (no folders), with only plain characters, never hidden."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = _UNSAFE.sub("-", base).strip(" .-")
    return cleaned or "review"


def check_upload(name: str, data: bytes, max_mb: float) -> str:
    """The name to save an upload under, or a DocumentError naming the file, the problem and the fix."""
    stored = safe_name(name)
    suffix = Path(stored).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DocumentError(
            name, f"unsupported file type {suffix or '(none)'}; upload one of {', '.join(UPLOAD_SUFFIXES)}"
        )
    if len(data) > max_mb * 1024 * 1024:
        raise DocumentError(
            name, f"{len(data) / 1024 / 1024:.1f} MB is over the {max_mb:g} MB limit (CASEWISE_MAX_FILE_MB)"
        )
    if not data.strip():
        raise DocumentError(name, "the file is empty; upload the review's full text")
    magic = _MAGIC.get(suffix)
    if magic and not data.startswith(magic):
        raise DocumentError(name, f"this is not a {suffix[1:].upper()} file (its content does not match its name)")
    assert suffix in SUPPORTED_SUFFIXES  # the loaders read every upload type
    return stored


@dataclass
class Job:
    """One add or remove run: progress for whoever is watching, the report when done."""

    label: str
    fraction: float = 0.0
    step: str = "Waiting for another change to the index to finish…"
    report: IngestReport | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def results_for(self, path: Path) -> list[FileResult]:
        """What happened to one file (the run also re-checks the rest of the corpus)."""
        if self.report is None:
            return []
        return [r for r in self.report.results if Path(r.path).resolve() == path.resolve()]


class Library:
    """The corpus folder the app adds reviews to, and the index kept in step with it."""

    def __init__(self, settings: Settings, corpus: Path, embedder: Callable[[], Embedder], audit: AuditLog) -> None:
        self.settings = settings
        self.corpus = corpus
        self.embedder = embedder
        self.audit = audit

    def add(self, user_id: str, name: str, data: bytes) -> tuple[Job, Path]:
        """Check and save an upload, then ingest it in the background; a bad upload raises before anything is saved."""
        stored = check_upload(name, data, self.settings.max_file_mb)
        self.corpus.mkdir(parents=True, exist_ok=True)
        path = self.corpus / stored
        partial = self.corpus / f".{stored}.part"  # hidden, so an ingest meanwhile never reads half a file
        partial.write_bytes(data)
        os.replace(partial, path)
        job = Job(f"Adding {stored}")
        self._run(job, user_id, lambda report: self._after_add(report, path, user_id))
        return job, path

    def remove(self, user_id: str, review_id: str, source_path: str, title: str) -> Job:
        """Delete a review's file from the corpus folder and drop it from the index in the background."""
        path = Path(source_path)
        if not path.resolve().is_relative_to(self.corpus.resolve()):
            raise CasewiseError(
                f"{title!r} was indexed from outside the app's corpus folder; remove it there and run `casewise ingest`"
            )
        path.unlink(missing_ok=True)
        job = Job(f"Removing {title}")
        self._run(job, user_id, lambda report: self.audit.record(user_id, "removed", review_id, title))
        return job

    def _run(self, job: Job, user_id: str, after: Callable[[IngestReport], None]) -> None:
        def progress(done: int, total: int, path: str) -> None:
            job.fraction = done / total if total else 1.0
            job.step = f"Checking {Path(path).name} ({done + 1} of {total})" if path else "Finishing…"

        def work() -> None:
            try:
                with _LOCK:
                    job.step = "Reading the corpus folder…"
                    job.report = ingest([self.corpus], self.settings, self.embedder, progress=progress)
                    after(job.report)
            except CasewiseError as exc:
                job.error = str(exc)
            finally:
                job.fraction = 1.0
                job.done.set()

        threading.Thread(target=work, name=f"casewise-{job.label}", daemon=True).start()

    def _after_add(self, report: IngestReport, path: Path, user_id: str) -> None:
        mine = [r for r in report.results if Path(r.path).resolve() == path.resolve()]
        for result in mine:
            if result.status == FileStatus.FAILED:
                path.unlink(missing_ok=True)  # a file that cannot be read would fail every later ingest
                self.audit.record(user_id, "ingest-failed", path.name, result.message.replace(str(path), path.name))
            else:
                self.audit.record(user_id, "ingested", result.review_id or path.name, f"{path.name}: {result.status}")


def public_message(result: FileResult) -> str:
    """The one-line message for a file, naming it without the server's folders."""
    return result.message.replace(str(Path(result.path)), Path(result.path).name)
