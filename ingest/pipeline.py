"""Incremental ingest: new and changed files are indexed, removed ones dropped, bad ones reported."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ingest.catalog import Catalog, FileRecord
from ingest.chunking import chunk_review
from ingest.embedding import Embedder
from ingest.errors import CasewiseError, DocumentError
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.metadata import sidecar_path
from ingest.models import Chunk, Review, Section
from ingest.normalise import build_review, review_id_for
from ingest.settings import Settings
from ingest.store import VectorStore
from ingest.tagging import ThemeTagger, tag_fingerprint
from ingest.themes import Theme, load_themes

CHUNKER_VERSION = "sections-v1"
ENCODE_BATCH = 256  # chunks written together across files
ENCODE_STEP = 128  # chunks per encode call: progress is reported between calls
SKIPPED_NAMES = frozenset({"readme.md", "readme.txt", "license.txt", "license.md"})


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    path: str
    status: str  # added | updated | unchanged | removed | failed
    review_id: str | None = None
    title: str | None = None
    sections: int = 0
    chunks: int = 0
    pages: int = 0
    message: str = ""


@dataclass(frozen=True)
class IngestReport:
    """Per-file results of one ingest run."""

    results: tuple[FileResult, ...]

    @property
    def failed(self) -> tuple[FileResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass(frozen=True)
class Tally:
    """How far an ingest has got: files looked at, chunks of new and changed files found and indexed."""

    files: int
    files_done: int = 0
    chunks: int = 0
    chunks_done: int = 0
    done: bool = False


Tracker = Callable[[Tally], None]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Review files under the given files and folders, and failures for paths that cannot be used."""
    found: list[Path] = []
    problems: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name.lower() not in SKIPPED_NAMES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            problems.append(FileResult(str(path), "failed", message=f"{path}: no such file or folder; check the path"))
    return [p.resolve() for p in dict.fromkeys(found)], problems


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    embedder: Callable[[], Embedder],
    rebuild: bool = False,
    progress: Progress | None = None,
    tracker: Tracker | None = None,
) -> IngestReport:
    """Bring the index in step with the files under `paths`; `embedder` is called only if anything changed."""
    roots = [p.resolve() for p in paths]
    themes = load_themes(settings.themes_path)  # a bad theme file fails before anything is touched
    files, results = discover(roots)
    tally = Tally(len(files))

    def track(now: Tally) -> None:
        nonlocal tally
        tally = now
        if tracker:
            tracker(tally)

    track(tally)
    catalog = Catalog(settings.db_path)
    store = VectorStore(settings)
    fingerprint = f"{settings.embedding_model}|{CHUNKER_VERSION}"
    model: list[Embedder] = []
    if rebuild or catalog.get_meta("fingerprint") not in (None, fingerprint):
        # load the new model first: one that cannot load (a mistyped name) fails before the index is dropped
        _once(model, embedder)
        catalog.clear()
        store.clear()
    catalog.set_meta("fingerprint", fingerprint)
    taggers: list[ThemeTagger] = []

    def tagger() -> ThemeTagger:
        if not taggers:
            taggers.append(ThemeTagger(themes, _once(model, embedder)))
        return taggers[0]

    _retag_if_stale(catalog, themes, tagger)
    manifest = catalog.files()
    results += _remove_missing(manifest, roots, set(map(str, files)), catalog, store)
    claimed = {r.review_id: r.path for r in manifest.values()}
    pending: list[_Prepared] = []

    def flush() -> None:
        # Many small files share one encode call (far faster than one call each); each is still written,
        # and recorded in the manifest, on its own, so a run killed midway loses at most this batch.
        chunks = [c for item in pending for c in item.chunks]
        encoder = tagger().embedder
        vectors = np.zeros((len(chunks), encoder.dimension), dtype=np.float32)
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].embed_text))  # alike lengths: less padding
        for start in range(0, len(order), ENCODE_STEP):
            rows = order[start : start + ENCODE_STEP]
            vectors[rows] = encoder.encode([chunks[i].embed_text for i in rows])
            track(replace(tally, chunks_done=tally.chunks_done + len(rows)))
        offset = 0
        for item in pending:
            part = vectors[offset : offset + len(item.chunks)]
            offset += len(item.chunks)
            results.append(_write(item, part, catalog, store, tagger()))
        pending.clear()

    for done, path in enumerate(files):
        if progress:
            progress(done, len(files), str(path))
        try:
            prepared = _prepare(path, manifest, claimed, settings)
        except DocumentError as exc:
            prepared = FileResult(str(path), "failed", message=str(exc))
        track(replace(tally, files_done=done + 1))
        if isinstance(prepared, FileResult):
            results.append(prepared)
            continue
        pending.append(prepared)
        track(replace(tally, chunks=tally.chunks + len(prepared.chunks)))
        if sum(len(item.chunks) for item in pending) >= ENCODE_BATCH:
            flush()
    if pending:
        flush()
    if progress:
        progress(len(files), len(files), "")
    track(replace(tally, done=True))
    if any(r.status in ("added", "updated", "removed") for r in results) or not catalog.get_meta("built_at"):
        catalog.set_meta("built_at", _now())
    return IngestReport(tuple(results))


def _once(cache: list[Embedder], factory: Callable[[], Embedder]) -> Embedder:
    if not cache:
        cache.append(factory())
    return cache[0]


def _retag_if_stale(catalog: Catalog, themes: tuple[Theme, ...], tagger: Callable[[], ThemeTagger]) -> None:
    """Re-tag every indexed chunk when the taxonomy or the tagger changed since the tags were written."""
    current = tag_fingerprint(themes)
    if catalog.get_meta("tag_fingerprint") == current:
        return
    chunks = catalog.all_chunks()
    if chunks:
        model = tagger()
        vectors = model.embedder.encode([c.embed_text for c in chunks])
        catalog.replace_all_tags(model.tag_chunks(chunks, vectors))
    catalog.set_meta("tag_fingerprint", current)


@dataclass(frozen=True)
class _Prepared:
    """A new or changed file, parsed and chunked, waiting for its vectors."""

    path: Path
    digest: str
    is_update: bool
    review: Review
    sections: tuple[Section, ...]
    chunks: list[Chunk]


def _prepare(
    path: Path, manifest: dict[str, FileRecord], claimed: dict[str, str], settings: Settings
) -> _Prepared | FileResult:
    """Parse and chunk a file unless it is unchanged; `claimed` maps review ids to the file that owns them."""
    digest = _sha256(path)
    previous = manifest.get(str(path))
    if previous and previous.sha256 == digest:
        return FileResult(str(path), "unchanged", review_id=previous.review_id)
    review_id = review_id_for(path)
    owner = claimed.get(review_id)
    if owner and owner != str(path) and (Path(owner).exists() or owner not in manifest):
        raise DocumentError(str(path), f"its review id {review_id!r} is already used by {owner}; rename one file")
    review, sections = build_review(path, load(path, int(settings.max_file_mb * 1e6)))
    chunks = chunk_review(review, sections)
    if not chunks:
        raise DocumentError(str(path), "no section with text was found; check the file holds the review's text")
    claimed[review_id] = str(path)
    return _Prepared(path, digest, previous is not None, review, sections, chunks)


def _write(
    item: _Prepared, vectors: np.ndarray, catalog: Catalog, store: VectorStore, tagger: ThemeTagger
) -> FileResult:
    """Store one file's review, chunks, tags and vectors; the manifest entry comes last."""
    review, chunks = item.review, item.chunks
    # Order matters for a run killed midway: the manifest is written last, so the next run redoes this file.
    catalog.replace_review(review, item.sections, chunks, tagger.tag_chunks(chunks, vectors))
    try:
        store.replace_review(review.review_id, chunks, vectors)
    except Exception as exc:  # a server that went away mid-run; the manifest still says "redo"
        raise CasewiseError(f"vector store failed while writing {item.path} ({exc}); re-run the ingest") from exc
    catalog.record_file(FileRecord(str(item.path), item.digest, review.review_id), _now())
    return FileResult(
        str(item.path),
        "updated" if item.is_update else "added",
        review_id=review.review_id,
        title=review.title,
        sections=len(item.sections),
        chunks=len(chunks),
        pages=review.page_count,
    )


def _remove_missing(
    manifest: dict[str, FileRecord],
    roots: list[Path],
    present: set[str],
    catalog: Catalog,
    store: VectorStore,
) -> list[FileResult]:
    removed = []
    for path, record in manifest.items():
        under_root = any(Path(path) == root or Path(path).is_relative_to(root) for root in roots)
        if under_root and path not in present:
            store.delete_review(record.review_id)
            catalog.delete_review(record.review_id)
            catalog.forget_file(path)
            removed.append(FileResult(path, "removed", review_id=record.review_id))
    return removed


def _sha256(path: Path) -> str:
    """The file's content hash, covering its metadata sidecar too, so editing the sidecar re-indexes it."""
    sidecar = sidecar_path(path)
    try:
        digest = hashlib.sha256(path.read_bytes())
        if sidecar.is_file():
            digest.update(b"\0sidecar\0" + sidecar.read_bytes())
        return digest.hexdigest()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file ({exc.strerror}); check its permissions") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def index_reviews(
    items: Iterable[tuple[Review, tuple[Section, ...]]],
    settings: Settings,
    embedder: Embedder,
    batch: int = 512,
    progress: Progress | None = None,
) -> int:
    """Index reviews built in memory (benchmarks, BEIR datasets), encoding many at once; returns chunks."""
    catalog = Catalog(settings.db_path)
    store = VectorStore(settings)
    themes = load_themes(settings.themes_path)
    tagger = ThemeTagger(themes, embedder)
    pending: list[tuple[Review, tuple[Section, ...], list[Chunk]]] = []
    total = 0

    def flush() -> None:
        chunks = [c for _, _, cs in pending for c in cs]
        vectors = embedder.encode([c.embed_text for c in chunks])
        catalog.replace_reviews([(r, s, cs) for r, s, cs in pending], tagger.tag_chunks(chunks, vectors))
        store.upsert(chunks, vectors)
        pending.clear()

    for review, sections in items:
        chunks = chunk_review(review, sections)
        pending.append((review, sections, chunks))
        total += len(chunks)
        if sum(len(cs) for _, _, cs in pending) >= batch:
            flush()
            if progress:
                progress(total, 0, review.review_id)
    if pending:
        flush()
    catalog.set_meta("tag_fingerprint", tag_fingerprint(themes))
    catalog.set_meta("built_at", _now())
    return total
