"""Nothing indexed is lost or kept wrongly: moves, missing roots, kills, links, schema changes, rebuilds, locks."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import HashingEmbedder

from casewise.cli import main
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.pipeline import ingest
from ingest.store import VectorStore

YPF = "young-person-f-rapid-review"
CHILD_M = "child-m-serious-case-review"


@pytest.fixture
def home(clean_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean CASEWISE_HOME; the CLI's model is the hashing embedder."""
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: HashingEmbedder())
    return clean_home


def _catalog(home: Path) -> Catalog:
    return Catalog(home / "casewise.sqlite3")


def _error_lines(err: str) -> list[str]:
    """The lines on stderr other than ingest progress."""
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.strip() and not line.startswith("ingest: ")]


def _split(docs: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two ingested folders, one seed review in each."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.move(docs / f"{YPF}.txt", first / f"{YPF}.txt")
    shutil.move(docs / f"{CHILD_M}.txt", second / f"{CHILD_M}.txt")
    return first, second


def test_a_review_moved_between_ingested_folders_stays_indexed(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _split(docs, tmp_path)
    assert main(["ingest", str(first)]) == 0
    assert main(["ingest", str(second)]) == 0
    shutil.move(first / f"{YPF}.txt", second / f"{YPF}.txt")
    assert main(["ingest", str(second)]) == 0
    assert main(["ingest", str(first)]) == 0  # the old folder no longer holds it: nothing to remove
    capsys.readouterr()
    assert YPF in _catalog(home).review_index()
    assert main(["ingest", str(second), "--json"]) == 0
    out, _ = capsys.readouterr()
    assert '"status": "unchanged"' in out and '"removed"' not in out
    manifest = _catalog(home).files()
    assert {r.review_id: Path(p).parent.name for p, r in manifest.items()} == {YPF: "second", CHILD_M: "second"}


def test_a_missing_root_is_one_error_and_changes_nothing(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    docs.rename(tmp_path / "away")
    capsys.readouterr()
    assert main(["ingest", str(docs)]) == 1
    _, err = capsys.readouterr()
    [line] = _error_lines(err)
    assert line == f"casewise: error: {docs.resolve()}: no such file or folder; check the path (nothing was changed)"
    assert sorted(_catalog(home).review_index()) == [CHILD_M, YPF]


def test_an_unreadable_root_is_one_error_and_changes_nothing(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["ingest", str(docs)]) == 0
    real_scandir = os.scandir

    def refuse(path):  # type: ignore[no-untyped-def]
        if Path(path).resolve() == docs.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)  # the tests run as root, which chmod cannot lock out
    capsys.readouterr()
    assert main(["ingest", str(docs)]) == 1
    _, err = capsys.readouterr()
    [line] = _error_lines(err)
    assert str(docs.resolve()) in line and "cannot read the folder (Permission denied)" in line
    assert sorted(_catalog(home).review_index()) == [CHILD_M, YPF]


def test_a_kill_while_writing_vectors_leaves_no_orphan_once_the_file_is_deleted(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = VectorStore.replace_reviews

    def killed(self, review_ids, chunks, vectors):  # type: ignore[no-untyped-def]
        if YPF in review_ids:
            first = [i for i, c in enumerate(chunks) if c.review_id == YPF][:1]
            real(self, review_ids, [chunks[i] for i in first], vectors[first])  # part of its vectors, then the kill
            raise KeyboardInterrupt
        return real(self, review_ids, chunks, vectors)

    monkeypatch.setattr(VectorStore, "replace_reviews", killed)
    assert main(["ingest", str(docs)]) == 130
    monkeypatch.setattr(VectorStore, "replace_reviews", real)
    (docs / f"{YPF}.txt").unlink()
    assert main(["ingest", str(docs)]) == 0
    catalog = _catalog(home)
    assert YPF not in catalog.review_index()
    assert not [cid for cid, _ in catalog.lexical_search("interpreter", 50) if cid.startswith(YPF)]
    settings = Settings.from_env(env={}, home=home)
    assert {i for i in VectorStore(settings).ids() if i.startswith(YPF)} == set()


def _link_zoo(docs: Path, outside: Path) -> dict[str, str]:
    """Links and special files in the corpus; maps each name to what its message must say."""
    outside.mkdir()
    (outside / "secret.txt").write_text("# Outside\n\n## Findings\n\nThis file is outside the corpus folder.\n")
    (docs / "outside-link.txt").symlink_to(outside / "secret.txt")
    (docs / "dangling.txt").symlink_to(docs / "gone.txt")
    (docs / "loop.txt").symlink_to(docs / "loop.txt")
    (docs / "device.txt").symlink_to("/dev/zero")
    os.mkfifo(docs / "pipe.md")
    os.mkfifo(docs / f"{YPF}.meta.json")  # a sidecar that would block a reader forever
    return {
        "outside-link.txt": "links outside the folder",
        "dangling.txt": "broken symbolic link",
        "loop.txt": "symbolic link loop",
        "device.txt": "not a regular file",
        "pipe.md": "not a regular file",
        f"{YPF}.meta.json": "not a regular file",
    }


def test_links_and_special_files_are_reported_by_name(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (docs / "inside-link.txt").symlink_to(docs / f"{CHILD_M}.txt")  # the same review again: followed, deduplicated
    expected = _link_zoo(docs, tmp_path / "outside")
    assert main(["ingest", str(docs)]) == 1
    out, err = capsys.readouterr()
    lines = _error_lines(err)
    assert len(lines) == len(expected), lines
    for name, reason in expected.items():
        [line] = [ln for ln in lines if f"{docs.resolve() / name}:" in ln]
        assert reason in line
    assert sorted(_catalog(home).review_index()) == [CHILD_M]  # YPF's sidecar is unusable, so YPF waits
    assert not _catalog(home).lexical_search("outside corpus folder", 5)


def test_a_document_in_a_format_casewise_does_not_read_is_named_with_the_fix(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .doc, .rtf or .odt review beside the others is reported, not passed over as if the folder held none; Word's
    lock file for an open document ('~$...') is not a review; the readable reviews are indexed."""
    (docs / "Child Q SCR 2009.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (docs / "child-r-review.rtf").write_text("{\\rtf1\\ansi Rapid Review: Child R\\par}")
    (docs / "~$ild Q SCR 2009.doc").write_bytes(b"\x00" * 16)
    assert main(["ingest", str(docs)]) == 1
    lines = _error_lines(capsys.readouterr()[1])
    assert len(lines) == 2, lines
    assert any("Child Q SCR 2009.doc: a Word 97-2003 document (.doc) is not read" in line for line in lines)
    assert any(
        "child-r-review.rtf: a Rich Text document (.rtf) is not read; save it as .docx" in line for line in lines
    )
    assert CHILD_M in _catalog(home).review_index()


def test_a_read_only_command_on_another_schema_refuses_and_drops_nothing(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    chunk_id = _catalog(home).all_chunks(YPF)[0].chunk_id
    db = home / "casewise.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 2")
    capsys.readouterr()
    for command in (["show", chunk_id], ["search", "interpreter"], ["ingest", str(docs)]):
        assert main(command) == 1
        _, err = capsys.readouterr()
        [line] = _error_lines(err)
        assert "schema 2" in line and "--rebuild" in line, line
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM chunks").fetchone()[0] > 0
    assert main(["ingest", str(docs), "--rebuild"]) == 0
    assert main(["show", chunk_id]) == 0


def test_rebuild_keeps_the_live_index_answering_until_the_swap(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    settings = Settings.from_env(env={}, home=home)
    seen: list[tuple[int, int]] = []

    def look(done: int, total: int, path: str) -> None:
        seen.append((Catalog(settings.db_path).chunk_count(), len(VectorStore(settings).ids())))

    ingest([docs], settings, HashingEmbedder, rebuild=True, progress=look)
    before = seen[0][0]
    assert before > 0 and all(pair == (before, before) for pair in seen)
    assert Catalog(settings.db_path).chunk_count() == before
    assert len(VectorStore(settings).ids()) == before  # the old collection's vectors went with the swap


def test_a_rebuild_that_cannot_read_an_indexed_file_again_keeps_the_index_whole(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's file turned unreadable since it was indexed: a rebuild (asked for, or after the chunker changed)
    must not drop the review; it keeps the old index and says which file to fix."""
    assert main(["ingest", str(docs)]) == 0
    (docs / f"{YPF}.txt").write_bytes(bytes(range(256)) * 8)  # now a binary file
    capsys.readouterr()
    assert main(["ingest", str(docs), "--rebuild"]) == 1
    _, err = capsys.readouterr()
    [line] = _error_lines(err)
    assert "kept as it was" in line and f"{YPF}.txt" in line and "fix or remove" in line
    assert sorted(_catalog(home).review_index()) == [CHILD_M, YPF]
    settings = Settings.from_env(env={}, home=home)
    assert len(VectorStore(settings).ids()) == _catalog(home).chunk_count()  # the live vectors, none staged


def test_a_second_ingest_on_the_same_home_is_refused_with_a_clear_line(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.from_env(env={}, home=home)
    second: list[int] = []

    def start_another(done: int, total: int, path: str) -> None:
        if not second:
            second.append(main(["ingest", str(docs)]))

    ingest([docs], settings, HashingEmbedder, progress=start_another)
    assert second == [1]
    _, err = capsys.readouterr()
    [line] = _error_lines(err)
    assert line.startswith("casewise: error: another ingest is running on") and "wait for it" in line
    assert sorted(_catalog(home).review_index()) == [CHILD_M, YPF]


def test_a_review_named_explicitly_with_a_pipe_for_a_sidecar_is_reported_not_waited_on(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(docs / f"{YPF}.meta.json")
    assert main(["ingest", str(docs / f"{YPF}.txt")]) == 1
    _, err = capsys.readouterr()
    [line] = _error_lines(err)
    assert f"{(docs / YPF).resolve()}.meta.json: not a regular file" in line
