"""Incremental ingest: new and changed files are indexed, removed ones dropped, bad ones reported."""

from __future__ import annotations

import fcntl
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import numpy as np

from core.errors import CasewiseError, DocumentError
from core.models import Chunk, Review, Section
from core.settings import Settings
from ingest.background import InOrder, read_ahead
from ingest.catalog import Catalog, FileRecord
from ingest.chunking import chunk_review
from ingest.discovery import Discovery, discover
from ingest.embedding import Embedder
from ingest.limits import check_sidecar
from ingest.loaders import load
from ingest.metadata import sidecar_path
from ingest.normalise import build_review, review_id_for
from ingest.store import VectorStore, live_collection
from ingest.themes import Theme, ThemeTagger, load_themes, tag_fingerprint
from ingest.unit_vectors import Recent, UnitVectors, encode_chunks, encode_units

CHUNKER_VERSION = "sections-v100"  # raised when parsing changes what is indexed: an older index is rebuilt
ENCODE_BATCH = 256  # chunks of files encoded together (progress is reported between encode calls)
FILL_BATCH = 512  # chunks of an older index given unit vectors per transaction
LOCK_NAME = "ingest.lock"
MAX_NAMED_FILES = 5  # files a message names before "..."
STAGING_NAME = "rebuild.sqlite3"  # a rebuild's catalogue, beside the live one until the swap


class FileStatus(StrEnum):
    """What an ingest did with one file (the `status` of `casewise ingest --json`)."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    FAILED = "failed"


CHANGES = (FileStatus.ADDED, FileStatus.UPDATED, FileStatus.REMOVED)  # statuses that change the index


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    path: str
    status: FileStatus
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
        return tuple(r for r in self.results if r.status == FileStatus.FAILED)

    def count(self, status: FileStatus) -> int:
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
    stage: str = ""  # a step besides indexing files (chunks_done then counts its chunks)


Tracker = Callable[[Tally], None]


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    embedder: Callable[[], Embedder],
    rebuild: bool = False,
    progress: Progress | None = None,
    tracker: Tracker | None = None,
) -> IngestReport:
    """Bring the index in step with the files under `paths`; `embedder` is called only if anything changed.

    One ingest runs at a time per home. A rebuild (asked for, or because the model changed) is written beside
    the live index and swapped in at the end, so questions asked meanwhile are answered from the old one.
    """
    roots = [p.resolve() for p in paths]
    themes = load_themes(settings.themes_path)  # a bad theme file fails before anything is touched
    with _ingest_lock(settings.home):
        found = discover(roots)  # a missing or unreadable root fails before anything is touched
        run = _Run(settings, embedder, themes, found, progress, tracker)
        fingerprint = f"{settings.embedding_model}|{CHUNKER_VERSION}"
        if not rebuild:
            catalog = Catalog(settings.db_path)  # another schema version is refused here
            if catalog.get_meta("fingerprint") in (None, fingerprint):
                catalog.set_meta("fingerprint", fingerprint)
                indexed = catalog.chunk_ids()  # read here: the writer's thread opening the store reads no catalogue

                def open_store() -> VectorStore:
                    store = VectorStore(settings)
                    _drop_orphan_vectors(indexed, store)
                    return store

                results = run.sync(roots, catalog, open_store)
                if run.changed(results) or not catalog.get_meta("built_at"):
                    catalog.set_meta("built_at", _now())
                return IngestReport(tuple(results))
            catalog.close()
        # load the new model first: one that cannot load (a mistyped name) fails before anything is built
        run.model()
        return IngestReport(tuple(_rebuild(roots, run, fingerprint)))


def ingest_running(home: Path) -> bool:
    """True while an ingest (in any process) holds the home's ingest lock."""
    if not (home / LOCK_NAME).exists():
        return False
    with open(home / LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextmanager
def _ingest_lock(home: Path) -> Iterator[None]:
    """Hold the home's ingest lock for the run; the system drops it when the process ends, however it ends."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CasewiseError(
                f"another ingest is running on {home}; wait for it to finish, then run this one again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _rebuild(roots: list[Path], run: _Run, fingerprint: str) -> list[FileResult]:
    """Index everything into a new catalogue and collection, then swap both in at once."""
    settings = run.settings
    staging_path = settings.home / STAGING_NAME
    staging_path.unlink(missing_ok=True)
    live_name = live_collection(settings)
    prefix = f"{settings.collection}-r"
    staging = Catalog(staging_path)
    name = f"{prefix}{uuid.uuid4().hex[:12]}"

    def open_store() -> VectorStore:
        store = VectorStore(settings, collection=name)
        store.drop_collections(prefix, keep=name)  # left by a rebuild that was killed
        return store

    results = run.sync(roots, staging, open_store)
    unreadable = _indexed_but_unreadable(settings, results)
    if unreadable:  # the old index is kept whole: a rebuild must not lose what it cannot read again
        staging.close()
        staging_path.unlink()
        VectorStore(settings, collection=name).drop_collections(name, keep=live_name)
        shown = ", ".join(unreadable[:MAX_NAMED_FILES]) + (" ..." if len(unreadable) > MAX_NAMED_FILES else "")
        raise CasewiseError(
            f"the index was kept as it was: {len(unreadable)} file(s) already indexed could not be read again "
            f"({shown}); fix or remove them, then run the ingest again"
        )
    for key, value in (("fingerprint", fingerprint), ("collection", name), ("built_at", _now())):
        staging.set_meta(key, value)
    staging.close()
    live = Catalog(settings.db_path, upgrade=True)
    live.swap_in(staging_path)  # readers see the old index or the new one, never a mix or nothing
    live.close()
    staging_path.unlink()
    if live_name != name:
        VectorStore(settings, collection=live_name).drop_collections(live_name, keep=name)
    return results


def _indexed_but_unreadable(settings: Settings, results: Sequence[FileResult]) -> list[str]:
    """The files a rebuild could not read whose reviews the live index holds."""
    failed = [r.path for r in results if r.status is FileStatus.FAILED]
    if not failed or not settings.db_path.exists():
        return []
    live = Catalog(settings.db_path, upgrade=True)
    try:
        held = live.files()
    finally:
        live.close()
    return [path for path in failed if path in held]


def _drop_orphan_vectors(indexed: set[str], store: VectorStore) -> None:
    """Vectors written by a run killed before its catalogue commit belong to no indexed chunk: remove them."""
    orphans = sorted(store.ids() - indexed)
    if orphans:
        store.delete_ids(orphans)


class _Run:
    """What one ingest run shares: settings, the lazily loaded model and tagger, the files found."""

    def __init__(
        self,
        settings: Settings,
        embedder: Callable[[], Embedder],
        themes: tuple[Theme, ...],
        found: Discovery,
        progress: Progress | None,
        tracker: Tracker | None = None,
    ) -> None:
        self.settings, self.themes, self.found, self.progress = settings, themes, found, progress
        self._tracker = tracker
        self.tally = Tally(len(found.files))
        self.track(self.tally)
        self._factory = embedder
        self._model: list[Embedder] = []
        self._taggers: list[ThemeTagger] = []

    def track(self, tally: Tally) -> None:
        """Record how far the run has got and tell the tracker, if any."""
        self.tally = tally
        if self._tracker:
            self._tracker(tally)

    def model(self) -> Embedder:
        if not self._model:
            self._model.append(self._factory())
        return self._model[0]

    def tagger(self) -> ThemeTagger:
        if not self._taggers:
            self._taggers.append(ThemeTagger(self.themes, self.model()))
        return self._taggers[0]

    def fill_unit_vectors(self, catalog: Catalog) -> None:
        """Store unit vectors for chunks indexed before they were stored, saying so while it runs."""
        before = self.tally
        stage = replace(before, stage="adding sentence vectors to the chunks of an older index", chunks_done=0)

        def done(chunks: int) -> None:
            self.track(replace(stage, chunks_done=self.tally.chunks_done + chunks))

        if fill_unit_vectors(catalog, self.model, done):
            self.track(before)

    @staticmethod
    def changed(results: list[FileResult]) -> bool:
        return any(r.status in CHANGES for r in results)

    def sync(self, roots: list[Path], catalog: Catalog, open_store: Callable[[], VectorStore]) -> list[FileResult]:
        """Remove what is gone, index what is new or changed; each file's rows commit with its manifest row.

        Files are parsed on a background thread ahead of this one, which encodes them; the vector store opens, and
        every file is written, in order, on another."""
        files = self.found.files
        results: list[FileResult | None] = [
            FileResult(path, FileStatus.FAILED, message=f"{path}: {reason}") for path, reason in self.found.problems
        ]
        stores: list[VectorStore] = []
        with InOrder("casewise-ingest-writer") as writer:
            writer.submit(lambda: stores.append(open_store()))
            _retag_if_stale(catalog, self.themes, self.tagger)
            self.fill_unit_vectors(catalog)
            present = set(map(str, files))

            def delete_vectors(review_id: str) -> None:
                writer.submit(lambda: stores[0].delete_review(review_id))

            results += _remove_missing(catalog.files(), roots, present, self.found, catalog, delete_vectors)
            manifest = catalog.files()
            claimed = {r.review_id: r.path for r in manifest.values()}
            pending: list[_Prepared] = []
            recent = Recent()  # texts encoded in this run

            def flush() -> None:
                # Many small files share one encode pass over their chunks' and units' texts (far faster than a
                # call each); each file is still written, with its manifest row, on its own, so a run killed
                # midway loses at most the files encoded and not yet written.
                writer.submit(lambda: None)  # a store that failed to open stops the run before more encoding
                chunks = [c for item in pending for c in item.chunks]
                tagger = self.tagger()
                profiles = tagger.profile_texts() if tagger.needs_profiles() else []  # with the first batch's texts
                before = self.tally.chunks_done

                def encoded(share: float) -> None:
                    self.track(replace(self.tally, chunks_done=before + round(share * len(chunks))))

                vectors, units, profile_vectors = encode_chunks(chunks, tagger.embedder, encoded, recent, profiles)
                if profiles:
                    tagger.use_profiles(profile_vectors)  # before the writer's thread tags with them
                batch, first = list(pending), len(results)
                results.extend([None] * len(batch))

                def write() -> None:
                    results[first : first + len(batch)] = _write(batch, vectors, units, catalog, stores[0], tagger)

                writer.submit(write)
                pending.clear()

            def read(path: Path) -> _Prepared | FileResult:
                return _read(path, manifest, claimed, self.settings)

            for done, (path, prepared) in enumerate(read_ahead(files, read)):  # the next files parse meanwhile
                if self.progress:
                    self.progress(done, len(files), str(path))
                self.track(replace(self.tally, files_done=done + 1))
                if isinstance(prepared, FileResult):
                    results.append(prepared)
                    continue
                pending.append(prepared)
                self.track(replace(self.tally, chunks=self.tally.chunks + len(prepared.chunks)))
                if sum(len(item.chunks) for item in pending) >= ENCODE_BATCH:
                    flush()
            if pending:
                flush()
        if self.progress:
            self.progress(len(files), len(files), "")
        self.track(replace(self.tally, done=True))
        return [r for r in results if r is not None]  # the writer filled every slot, or raised


def fill_unit_vectors(
    catalog: Catalog, model: Callable[[], Embedder], done: Callable[[int], None] | None = None
) -> int:
    """Store unit vectors for the chunks that have none (an index of catalogue schema 4); returns how many.

    `model` is called only if there are any; `done` is told 0 before the first and then how many chunks each
    transaction stored."""
    filled = 0
    chunks = catalog.chunks_without_unit_vectors(FILL_BATCH)
    if chunks and done:
        done(0)
    while chunks:
        catalog.add_unit_vectors(encode_units(chunks, model()))
        filled += len(chunks)
        if done:
            done(len(chunks))
        chunks = catalog.chunks_without_unit_vectors(FILL_BATCH)
    return filled


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
    moved_from: str | None
    review: Review
    sections: tuple[Section, ...]
    chunks: list[Chunk]


def _read(
    path: Path, manifest: dict[str, FileRecord], claimed: dict[str, str], settings: Settings
) -> _Prepared | FileResult:
    """The file parsed and chunked, or what became of it (unchanged, or failed with its one-line message)."""
    try:
        return _prepare(path, manifest, claimed, settings)
    except DocumentError as exc:
        return FileResult(str(path), FileStatus.FAILED, message=str(exc))
    except (ValueError, LookupError, TypeError, RecursionError, OSError, EOFError) as exc:
        # a parser's own failure on a file nobody foresaw: the file is named, the batch goes on
        reason = f"could not be read ({type(exc).__name__}: {str(exc)[:200]}); re-save or remove it"
        return FileResult(str(path), FileStatus.FAILED, message=f"{path}: {reason}")


def _prepare(
    path: Path, manifest: dict[str, FileRecord], claimed: dict[str, str], settings: Settings
) -> _Prepared | FileResult:
    """Parse and chunk a file unless it is unchanged; `claimed` maps review ids to the file that owns them."""
    digest = _sha256(path)
    previous = manifest.get(str(path))
    if previous and previous.sha256 == digest:
        return FileResult(str(path), FileStatus.UNCHANGED, review_id=previous.review_id)
    check_sidecar(path, sidecar_path(path))
    review_id = review_id_for(path)
    owner = claimed.get(review_id)
    if owner and owner != str(path) and (Path(owner).exists() or owner not in manifest):
        raise DocumentError(str(path), f"its review id {review_id!r} is already used by {owner}; rename one file")
    moved_from = owner if owner and owner != str(path) else None  # its old file is gone: a move
    review, sections = build_review(path, load(path, int(settings.max_file_mb * 1e6)))
    chunks = chunk_review(review, sections)
    if not chunks:
        raise DocumentError(str(path), "no section with text was found; check the file holds the review's text")
    claimed[review_id] = str(path)
    return _Prepared(path, digest, previous is not None, moved_from, review, sections, chunks)


def _write(
    batch: list[_Prepared],
    vectors: np.ndarray,
    units: dict[str, UnitVectors],
    catalog: Catalog,
    store: VectorStore,
    tagger: ThemeTagger,
) -> list[FileResult]:
    """Store the files' vectors (one call for all), then each file's review, chunks, tags and manifest row in a
    transaction of its own.

    A run killed midway leaves vectors no catalogue row names; the next run removes them.
    """
    chunks = [c for item in batch for c in item.chunks]
    try:
        store.replace_reviews([item.review.review_id for item in batch], chunks, vectors)
    except Exception as exc:  # a server that went away mid-run; the manifest still says "redo"
        files = ", ".join(str(item.path) for item in batch[:3]) + (", …" if len(batch) > 3 else "")
        raise CasewiseError(f"vector store failed while writing {files} ({exc}); re-run the ingest") from exc
    tags = tagger.tag_chunks(chunks, vectors)
    results = []
    for item in batch:
        review = item.review
        record = FileRecord(str(item.path), item.digest, review.review_id)
        indexed = (review, item.sections, item.chunks)
        catalog.commit_review(indexed, tags, {c.chunk_id: units[c.chunk_id] for c in item.chunks}, record, _now())
        results.append(
            FileResult(
                str(item.path),
                FileStatus.UPDATED if item.is_update or item.moved_from else FileStatus.ADDED,
                review_id=review.review_id,
                title=review.title,
                sections=len(item.sections),
                chunks=len(item.chunks),
                pages=review.page_count,
                message=f"moved from {item.moved_from}" if item.moved_from else "",
            )
        )
    return results


def _remove_missing(
    manifest: dict[str, FileRecord],
    roots: list[Path],
    present: set[str],
    found: Discovery,
    catalog: Catalog,
    delete_vectors: Callable[[str], None],
) -> list[FileResult]:
    """Drop reviews whose file is gone from a walked root (not merely unreadable, and not moved elsewhere).

    A review's catalogue rows go first: a run killed before `delete_vectors` leaves vectors the next run drops."""
    removed = []
    held = {r.review_id for p, r in manifest.items() if Path(p).is_file() and p not in present}
    held |= {manifest[p].review_id for p in present if p in manifest}
    for path, record in manifest.items():
        under_root = any(Path(path) == root or Path(path).is_relative_to(root) for root in roots)
        if not under_root or path in present or found.is_kept(Path(path)):
            continue
        keep_review = record.review_id in held  # another file holds this review now
        catalog.remove_file(record, keep_review=keep_review)
        if not keep_review:
            delete_vectors(record.review_id)
        removed.append(FileResult(path, FileStatus.REMOVED, review_id=record.review_id))
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
    return datetime.now(UTC).isoformat(timespec="microseconds")  # a build stamp: two ingests never share one


def index_reviews(
    items: Iterable[tuple[Review, tuple[Section, ...]]],
    settings: Settings,
    embedder: Embedder,
    batch: int = 512,
    progress: Progress | None = None,
    units: bool = True,
) -> int:
    """Index reviews built in memory (benchmarks, BEIR datasets), encoding many at once; returns chunks.

    Without `units` the chunks' unit vectors are not stored (an index only searched, never answered from)."""
    catalog = Catalog(settings.db_path)
    store = VectorStore(settings)
    themes = load_themes(settings.themes_path)
    tagger = ThemeTagger(themes, embedder)
    pending: list[tuple[Review, tuple[Section, ...], list[Chunk]]] = []
    total = 0

    def flush() -> None:
        chunks = [c for _, _, cs in pending for c in cs]
        if units:
            vectors, unit_vectors, _ = encode_chunks(chunks, embedder)
        else:
            vectors, unit_vectors = embedder.encode([c.embed_text for c in chunks]), {}
        catalog.replace_reviews([(r, s, cs) for r, s, cs in pending], tagger.tag_chunks(chunks, vectors), unit_vectors)
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
