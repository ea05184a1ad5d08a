"""The local catalogue (SQLite under CASEWISE_HOME): reviews, chunks, the BM25 lexical index, the manifest."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import CasewiseError
from core.models import Chunk, Review, ReviewMeta, Section, SectionKind
from ingest.lexical import TOKENIZER, TermScores
from ingest.themes import ThemeTag
from ingest.unit_vectors import UnitVectors

SCHEMA_VERSION = 5
# Versions whose catalogue this one reads after adding what is new (schema 5 added unit_vectors: an older index
# answers meanwhile, encoding units at question time, and the next ingest fills them in).
MIGRATES_FROM = (4,)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, review_id TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, source_path TEXT NOT NULL, meta TEXT NOT NULL, text TEXT NOT NULL,
    page_starts TEXT NOT NULL, sections TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, review_id TEXT NOT NULL, section_key TEXT NOT NULL, section_kind TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_review ON chunks(review_id);
CREATE INDEX IF NOT EXISTS chunks_by_kind ON chunks(section_kind);
CREATE INDEX IF NOT EXISTS chunks_by_section ON chunks(section_key);
CREATE TABLE IF NOT EXISTS chunk_themes (
    chunk_id TEXT NOT NULL, theme TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (chunk_id, theme));
CREATE INDEX IF NOT EXISTS chunk_themes_by_theme ON chunk_themes(theme, score);
CREATE TABLE IF NOT EXISTS unit_vectors (
    chunk_id TEXT PRIMARY KEY, starts BLOB NOT NULL, digests BLOB NOT NULL, vectors BLOB NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts USING fts5(
    chunk_id UNINDEXED, review_id UNINDEXED, title, section, body, tokenize='{TOKENIZER}');
"""
_WORD = re.compile(r"\w+")
_STOPWORD_TEXT = (
    "a an and are as at be but by did do does for from had has have he her his how i in is it its me my "
    "of on or she so that the their them there they this to was we were what when where which who why "
    "will with you your"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TABLES = ("files", "reviews", "chunks", "chunk_themes", "unit_vectors", "chunk_fts", "meta")


class SchemaError(CasewiseError):
    """The catalogue was written by another version of Casewise."""


@dataclass(frozen=True)
class FileRecord:
    """A manifest row: which file produced which review, at which content hash."""

    path: str
    sha256: str
    review_id: str


class Catalog:
    """Everything but the vectors. Each review's rows change in one transaction, so readers never see half."""

    def __init__(self, path: Path, upgrade: bool = False) -> None:
        """Open (or create) the catalogue; another schema version is refused unless `upgrade` (a rebuild)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        if version != SCHEMA_VERSION and tables and version not in MIGRATES_FROM:
            if not upgrade:
                self._db.close()
                raise SchemaError(
                    f"the index at {path.parent} has catalogue schema {version} and this version of Casewise "
                    f"reads schema {SCHEMA_VERSION}; run `casewise ingest --rebuild` to rebuild it from the reviews"
                )
            # The catalogue is derived from the review files: a rebuild drops the old layout and writes anew.
            with self._db:
                for table in tables:
                    if not table.startswith("chunk_fts_"):
                        self._db.execute(f"DROP TABLE IF EXISTS {table}")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._term_scores = TermScores()
        self._seen_version: int | None = None  # PRAGMA data_version when the term scores were last valid

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db:
                yield self._db
        finally:
            self._term_scores.clear()  # data_version does not count this connection's own writes

    # -- manifest -------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        rows = self._db.execute("SELECT path, sha256, review_id FROM files").fetchall()
        return {r[0]: FileRecord(*r) for r in rows}

    def commit_review(
        self,
        indexed: tuple[Review, Sequence[Section], Sequence[Chunk]],
        tags: Mapping[str, Sequence[ThemeTag]],
        units: Mapping[str, UnitVectors],
        record: FileRecord,
        when: str,
    ) -> None:
        """Store a review (its chunks' unit vectors too) and its manifest row in one transaction; other rows for the
        review (a move) go."""
        review, sections, chunks = indexed
        with self._tx() as db:
            _write_review(db, review, sections, chunks)
            _write_tags(db, {c.chunk_id: tags.get(c.chunk_id, ()) for c in chunks})
            _write_units(db, units)
            db.execute("DELETE FROM files WHERE review_id = ? AND path != ?", (record.review_id, record.path))
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                (record.path, record.sha256, record.review_id, when),
            )

    def remove_file(self, record: FileRecord, keep_review: bool = False) -> None:
        """Forget a file and (unless another file now holds it) its review, in one transaction."""
        with self._tx() as db:
            if not keep_review:
                _delete_review(db, record.review_id)
            db.execute("DELETE FROM files WHERE path = ?", (record.path,))

    def swap_in(self, staging: Path) -> None:
        """Replace every row with those of a catalogue built beside this one, in one transaction."""
        self._db.execute("ATTACH DATABASE ? AS staging", (str(staging),))
        try:
            with self._tx() as db:
                for table in _TABLES:
                    db.execute(f"DELETE FROM main.{table}")
                for table in ("files", "reviews", "chunk_themes", "unit_vectors", "meta"):
                    db.execute(f"INSERT INTO main.{table} SELECT * FROM staging.{table}")
                columns = ", ".join(r[1] for r in db.execute("PRAGMA staging.table_info(chunks)"))
                db.execute(  # lexical entries share their chunk's rowid, so rowids are copied too
                    f"INSERT INTO main.chunks (rowid, {columns}) SELECT rowid, {columns} FROM staging.chunks"
                )
                db.execute(
                    "INSERT INTO main.chunk_fts (rowid, chunk_id, review_id, title, section, body) "
                    "SELECT rowid, chunk_id, review_id, title, section, body FROM staging.chunk_fts"
                )
        finally:
            self._db.execute("DETACH DATABASE staging")

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- reviews and chunks ---------------------------------------------------
    def replace_review(
        self,
        review: Review,
        sections: Sequence[Section],
        chunks: Sequence[Chunk],
        tags: Mapping[str, Sequence[ThemeTag]] | None = None,
    ) -> None:
        """Store a review with its chunks, lexical entries and theme tags, replacing any earlier version."""
        self.replace_reviews([(review, sections, chunks)], tags)

    def replace_reviews(
        self,
        items: Sequence[tuple[Review, Sequence[Section], Sequence[Chunk]]],
        tags: Mapping[str, Sequence[ThemeTag]] | None = None,
        units: Mapping[str, UnitVectors] | None = None,
    ) -> None:
        """Store several reviews in one transaction; `tags` and `units` map chunk ids to their themes and unit
        vectors."""
        with self._tx() as db:
            for review, sections, chunks in items:
                _write_review(db, review, sections, chunks)
                _write_tags(db, {c.chunk_id: (tags or {}).get(c.chunk_id, ()) for c in chunks})
            _write_units(db, units or {})

    def add_unit_vectors(self, units: Mapping[str, UnitVectors]) -> None:
        """Store unit vectors for chunks already indexed (those of an index built before they were stored)."""
        with self._tx() as db:
            _write_units(db, {cid: u for cid, u in units.items() if _has_chunk(db, cid)})

    def unit_vectors(self, chunk_ids: Sequence[str]) -> dict[str, UnitVectors]:
        """chunk id -> its stored unit vectors (chunks without any are absent)."""
        ids = list(dict.fromkeys(chunk_ids))
        out: dict[str, UnitVectors] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for cid, starts, digests, vectors in self._db.execute(
                f"SELECT chunk_id, starts, digests, vectors FROM unit_vectors WHERE chunk_id IN ({marks})", part
            ):
                out[cid] = UnitVectors.from_row(starts, digests, vectors)
        return out

    def chunks_without_unit_vectors(self, limit: int) -> list[Chunk]:
        """Up to `limit` indexed chunks whose unit vectors are not stored."""
        rows = self._db.execute(
            "SELECT chunk_id, record FROM chunks WHERE chunk_id NOT IN (SELECT chunk_id FROM unit_vectors) LIMIT ?",
            (limit,),
        )
        return [_chunk_from_record(cid, json.loads(rec)) for cid, rec in rows]

    def replace_all_tags(self, tags: Mapping[str, Sequence[ThemeTag]]) -> None:
        """Replace every chunk's theme tags at once (the taxonomy or the tagger changed)."""
        with self._tx() as db:
            db.execute("DELETE FROM chunk_themes")
            _write_tags(db, tags)

    def theme_counts(self) -> dict[str, tuple[int, int]]:
        """theme -> (reviews, chunks) tagged with it."""
        rows = self._db.execute(
            "SELECT t.theme, count(DISTINCT c.review_id), count(*) FROM chunk_themes t "
            "JOIN chunks c ON c.chunk_id = t.chunk_id GROUP BY t.theme"
        )
        return {theme: (int(reviews), int(chunks)) for theme, reviews, chunks in rows}

    def theme_chunks(self, theme: str, review_ids: Sequence[str] = ()) -> list[tuple[str, float]]:
        """(chunk id, score) of the chunks tagged with a theme, strongest first."""
        sql = (
            "SELECT t.chunk_id, t.score FROM chunk_themes t JOIN chunks c ON c.chunk_id = t.chunk_id WHERE t.theme = ?"
        )
        args: list[object] = [theme]
        if review_ids:
            sql += f" AND c.review_id IN ({','.join('?' * len(review_ids))})"
            args += list(review_ids)
        return [(cid, float(score)) for cid, score in self._db.execute(sql + " ORDER BY t.score DESC", args)]

    def chunk_themes(self, chunk_ids: Sequence[str]) -> dict[str, list[ThemeTag]]:
        """chunk id -> its theme tags, strongest first (chunks without tags are absent)."""
        out: dict[str, list[ThemeTag]] = {}
        ids = list(chunk_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for cid, theme, score in self._db.execute(
                f"SELECT chunk_id, theme, score FROM chunk_themes WHERE chunk_id IN ({marks}) ORDER BY score DESC",
                part,
            ):
                out.setdefault(cid, []).append(ThemeTag(theme, float(score)))
        return out

    def delete_review(self, review_id: str) -> None:
        with self._tx() as db:
            _delete_review(db, review_id)

    def clear(self) -> None:
        with self._tx() as db:
            for table in _TABLES:
                db.execute(f"DELETE FROM {table}")

    def review(self, review_id: str) -> Review | None:
        row = self._db.execute(
            "SELECT review_id, source_path, meta, text, page_starts FROM reviews WHERE review_id = ?",
            (review_id,),
        ).fetchone()
        if row is None:
            return None
        return Review(
            review_id=row[0],
            source_path=row[1],
            meta=ReviewMeta.from_record(json.loads(row[2])),
            text=row[3],
            page_starts=tuple(json.loads(row[4])),
        )

    def reviews(self) -> list[Review]:
        ids = [r[0] for r in self._db.execute("SELECT review_id FROM reviews ORDER BY review_id")]
        return [r for r in (self.review(i) for i in ids) if r is not None]

    def sections(self, review_id: str) -> list[Section]:
        row = self._db.execute("SELECT sections FROM reviews WHERE review_id = ?", (review_id,)).fetchone()
        if row is None:
            return []
        return [
            Section(
                path=tuple(s["path"]),
                label=s["label"],
                ordinal=s["ordinal"],
                start=s["start"],
                end=s["end"],
                kind=SectionKind.of(s.get("kind", "other")),
                child=s.get("child"),
                level=s.get("level", 1),
                number=s.get("number", ""),
            )
            for s in json.loads(row[0])
        ]

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks with these ids that exist (ids of dropped chunks are silently absent)."""
        out: dict[str, Chunk] = {}
        ids = list(chunk_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for cid, record in self._db.execute(
                f"SELECT chunk_id, record FROM chunks WHERE chunk_id IN ({marks})", part
            ):
                out[cid] = _chunk_from_record(cid, json.loads(record))
        return out

    def all_chunks(self, review_id: str | None = None) -> list[Chunk]:
        query = "SELECT chunk_id, record FROM chunks"
        args: tuple[str, ...] = ()
        if review_id:
            query, args = query + " WHERE review_id = ?", (review_id,)
        return [_chunk_from_record(cid, json.loads(rec)) for cid, rec in self._db.execute(query, args)]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}

    def chunks_of_kind(self, kind: str, review_ids: Sequence[str] = ()) -> list[Chunk]:
        """The chunks in sections of one kind (of the given reviews, or all), by review in reading order."""
        sql = "SELECT chunk_id, record FROM chunks WHERE section_kind = ?"
        args = [kind]
        if review_ids:
            sql += f" AND review_id IN ({','.join('?' * len(review_ids))})"
            args += list(review_ids)
        chunks = [_chunk_from_record(cid, json.loads(rec)) for cid, rec in self._db.execute(sql, args)]
        return sorted(chunks, key=lambda c: (c.review_id, c.section_ordinal, c.part))

    def has_kinds(self, kinds: Sequence[str], review_ids: Sequence[str] = ()) -> bool:
        """Whether any chunk (of the given reviews, or any) is in a section of one of these kinds."""
        sql = f"SELECT 1 FROM chunks WHERE section_kind IN ({','.join('?' * len(kinds))})"
        args = list(kinds)
        if review_ids:
            sql += f" AND review_id IN ({','.join('?' * len(review_ids))})"
            args += list(review_ids)
        return bool(kinds) and self._db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def chunk_ids_within(
        self, review_ids: Sequence[str], sections: Sequence[str], kinds: Sequence[str], limit: int
    ) -> list[str] | None:
        """The ids of the chunks in the given reviews, sections and kinds; None when there are more than `limit`."""
        where, values = _and_in(("review_id", review_ids), ("section_key", sections), ("section_kind", kinds))
        rows = self._db.execute(f"SELECT chunk_id FROM chunks WHERE 1{where} LIMIT ?", [*values, limit + 1]).fetchall()
        return None if len(rows) > limit else [cid for (cid,) in rows]

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def has_reviews(self, review_ids: Sequence[str]) -> bool:
        """Whether every one of these is the id of an indexed review (and there is at least one)."""
        ids = set(review_ids)
        if not ids:
            return False
        marks = ",".join("?" * len(ids))
        row = self._db.execute(f"SELECT count(*) FROM reviews WHERE review_id IN ({marks})", list(ids)).fetchone()
        return int(row[0]) == len(ids)

    def review_index(self) -> dict[str, ReviewMeta]:
        """review_id -> metadata for every review, without loading texts."""
        rows = self._db.execute("SELECT review_id, meta FROM reviews ORDER BY review_id").fetchall()
        return {rid: ReviewMeta.from_record(json.loads(meta)) for rid, meta in rows}

    def mentions(self, phrase: str) -> bool:
        """Whether any chunk, title or heading contains the word or phrase (after stemming)."""
        words = _WORD.findall(phrase.lower())
        if not words:
            return False
        query = '"' + " ".join(words) + '"'
        row = self._db.execute("SELECT 1 FROM chunk_fts WHERE chunk_fts MATCH ? LIMIT 1", (query,)).fetchone()
        return row is not None

    def section_keys(self) -> set[str]:
        """The distinct section names (lower-cased leaf headings) in the index."""
        return {r[0] for r in self._db.execute("SELECT DISTINCT section_key FROM chunks")}

    def lexical_search(
        self,
        query: str,
        k: int,
        review_ids: Sequence[str] = (),
        sections: Sequence[str] = (),
        weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        kinds: Sequence[str] = (),
    ) -> list[tuple[str, float]]:
        """BM25 (FTS5, Porter stemming) over title, section heading and text; best first, higher = better."""
        terms = query_terms(query)
        if not terms:
            return []
        if not (sections or kinds) or review_ids:  # else the filter admits too many rows to list cheaply
            return self._lexical_top(terms, k, (0.0, 0.0, *weights), review_ids, sections, kinds)
        match = " OR ".join(f'"{t}"' for t in terms)
        bm25 = f"bm25(chunk_fts, 0, 0, {weights[0]}, {weights[1]}, {weights[2]})"
        sql = f"SELECT f.chunk_id, -{bm25} FROM chunk_fts f"
        args: list[object] = [match]
        if sections or kinds:
            sql += " JOIN chunks c ON c.rowid = f.rowid"
        where, values = _and_in(("f.review_id", review_ids), ("c.section_key", sections), ("c.section_kind", kinds))
        sql += f" WHERE chunk_fts MATCH ?{where} ORDER BY {bm25} LIMIT ?"
        args += values
        args.append(k)
        return [(cid, float(score)) for cid, score in self._db.execute(sql, args)]

    def _lexical_top(
        self,
        terms: list[str],
        k: int,
        weights: tuple[float, ...],
        review_ids: Sequence[str] = (),
        sections: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> list[tuple[str, float]]:
        """BM25 from the terms' cached scores (the ranking FTS5 gives; ingest/lexical.py), within the chunks of
        the given reviews, sections and kinds, if any."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:  # another process changed the index
            self._term_scores.clear()
            self._seen_version = version
        allowed = None
        if review_ids:
            where, values = _and_in(("review_id", review_ids), ("section_key", sections), ("section_kind", kinds))
            rows = self._db.execute(f"SELECT rowid FROM chunks WHERE 1{where}", values)
            allowed = np.array([r for (r,) in rows], dtype=np.int64)
        top = self._term_scores.top(self._db, terms, weights, k, allowed)
        marks = ",".join("?" * len(top))
        ids = dict(
            self._db.execute(f"SELECT rowid, chunk_id FROM chunks WHERE rowid IN ({marks})", [r for r, _ in top])
        )
        return [(ids[rowid], score) for rowid, score in top if rowid in ids]


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without repeats or stopwords."""
    return [t for t in dict.fromkeys(w.lower() for w in _WORD.findall(text)) if t not in STOPWORDS]


def section_key(name: str) -> str:
    """How section names are compared in filters: case and spacing do not matter."""
    return " ".join(name.lower().split())


def _write_review(db: sqlite3.Connection, review: Review, sections: Sequence[Section], chunks: Sequence[Chunk]) -> None:
    _delete_review(db, review.review_id)
    db.execute(
        "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)",
        (
            review.review_id,
            review.source_path,
            json.dumps(review.meta.to_record()),
            review.text,
            json.dumps(review.page_starts),
            json.dumps([_section_record(s) for s in sections]),
        ),
    )
    db.executemany(
        "INSERT INTO chunks VALUES (?, ?, ?, ?, ?)",
        [
            (c.chunk_id, c.review_id, section_key(c.section), c.section_kind, json.dumps(_chunk_record(c)))
            for c in chunks
        ],
    )
    rowids = dict(db.execute("SELECT chunk_id, rowid FROM chunks WHERE review_id = ?", (review.review_id,)))
    db.executemany(  # the lexical entry shares its chunk's rowid, so deletes need no scan of the FTS table
        "INSERT INTO chunk_fts (rowid, chunk_id, review_id, title, section, body) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (rowids[c.chunk_id], c.chunk_id, c.review_id, c.review_title, " ".join(c.section_path), c.text)
            for c in chunks
        ],
    )


def _write_tags(db: sqlite3.Connection, tags: Mapping[str, Sequence[ThemeTag]]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO chunk_themes VALUES (?, ?, ?)",
        [(cid, tag.theme, tag.score) for cid, chunk_tags in tags.items() for tag in chunk_tags],
    )


def _write_units(db: sqlite3.Connection, units: Mapping[str, UnitVectors]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO unit_vectors VALUES (?, ?, ?, ?)", [(cid, *u.to_row()) for cid, u in units.items()]
    )


def _has_chunk(db: sqlite3.Connection, chunk_id: str) -> bool:
    return db.execute("SELECT 1 FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone() is not None


def _delete_review(db: sqlite3.Connection, review_id: str) -> None:
    db.execute("DELETE FROM chunk_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE review_id = ?)", (review_id,))
    for table in ("chunk_themes", "unit_vectors"):
        db.execute(
            f"DELETE FROM {table} WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE review_id = ?)", (review_id,)
        )
    db.execute("DELETE FROM chunks WHERE review_id = ?", (review_id,))
    db.execute("DELETE FROM reviews WHERE review_id = ?", (review_id,))


def _and_in(*columns: tuple[str, Sequence[str]]) -> tuple[str, list[object]]:
    """ " AND column IN (?, ...)" for each column given values, and the values in the same order."""
    sql = ""
    args: list[object] = []
    for column, values in columns:
        if values:
            sql += f" AND {column} IN ({','.join('?' * len(values))})"
            args += list(values)
    return sql, args


def _section_record(section: Section) -> dict[str, object]:
    return {
        "path": list(section.path),
        "label": section.label,
        "ordinal": section.ordinal,
        "start": section.start,
        "end": section.end,
        "kind": section.kind,
        "child": section.child,
        "level": section.level,
        "number": section.number,
    }


def _chunk_record(chunk: Chunk) -> dict[str, object]:
    return {
        "review_id": chunk.review_id,
        "review_title": chunk.review_title,
        "review_type": chunk.review_type,
        "section_path": list(chunk.section_path),
        "section_label": chunk.section_label,
        "section_ordinal": chunk.section_ordinal,
        "part": chunk.part,
        "start": chunk.start,
        "end": chunk.end,
        "pages": list(chunk.pages),
        "text": chunk.text,
        "embed_text": chunk.embed_text,
        "section_kind": chunk.section_kind,
        "child": chunk.child,
        "section_number": chunk.section_number,
    }


def _chunk_from_record(chunk_id: str, r: dict) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        review_id=r["review_id"],
        review_title=r["review_title"],
        review_type=r["review_type"],
        section_path=tuple(r["section_path"]),
        section_label=r["section_label"],
        section_ordinal=r["section_ordinal"],
        part=r["part"],
        start=r["start"],
        end=r["end"],
        pages=tuple(r["pages"]),
        text=r["text"],
        embed_text=r["embed_text"],
        section_kind=SectionKind.of(r.get("section_kind", "other")),
        child=r.get("child"),
        section_number=r.get("section_number", ""),
    )
