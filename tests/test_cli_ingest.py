"""`casewise ingest` and `casewise show` as a user runs them: exit codes, one clear line per problem."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from builders import write_heading_styles_docx
from conftest import HashingEmbedder

from casewise.cli import main
from casewise.progress import describe
from ingest.catalog import Catalog
from ingest.pipeline import Tally
from ingest.store import VectorStore


@pytest.fixture
def home(clean_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean CASEWISE_HOME and environment; the CLI's model is the hashing embedder."""
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: HashingEmbedder())
    return clean_home


def error_lines(err: str) -> list[str]:
    """The error lines on stderr (progress lines aside)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("ingest: ")]
    assert all(line.startswith("casewise: error: ") for line in lines), lines
    return lines


def test_ingest_then_reingest(home: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(docs)]) == 0
    out, err = capsys.readouterr()
    assert "2 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in out
    assert "'Rapid Reviews: Young Person F' — 4 sections, 5 chunks, 1 page" in out
    progress = err.splitlines()  # stderr is not a terminal here: a line at the start, then every few seconds
    assert progress[0] == "ingest: 0/2 files read, 0 chunks to index…"
    assert "ingest: loading the embedding model…" in progress
    assert re.fullmatch(r"ingest: 2/2 files, 12 chunks indexed in \d+ s \([\d.]+ chunks/s\)", progress[-1])
    assert main(["ingest", str(docs), "--json"]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert summary["failed"] == 0
    assert sorted(f["status"] for f in summary["files"]) == ["unchanged", "unchanged"]
    assert re.fullmatch(r"ingest: 2/2 files, 0 chunks indexed in \d+ s", err.splitlines()[-1])


def test_progress_line_gives_rate_and_time_left() -> None:
    assert describe(Tally(files=40, files_done=12, chunks=380), 3.0) == "12/40 files read, 380 chunks to index…"
    # 180 chunks found still to index, and 28 unread files at 380/12 chunks each, at 20 chunks/s
    assert describe(Tally(files=40, files_done=12, chunks=380, chunks_done=200), 10.0) == (
        "12/40 files, 200/380 chunks indexed, 20.0 chunks/s, about 53 s left"
    )
    assert (
        describe(Tally(40, 40, 1300, 1300, done=True), 65.0)
        == "40/40 files, 1300 chunks indexed in 1 min 5 s (20.0 chunks/s)"
    )


def _write_bad_files(folder: Path) -> dict[str, str]:
    """Bad files beside the good seeds; maps each name to a phrase of the fix its message must give."""
    (folder / "empty.txt").write_bytes(b"  \n\n")
    (folder / "binary.txt").write_bytes(b"Rapid review\x00\x01\x02" * 50)
    (folder / "latin1.txt").write_bytes("Child P's caf\u00e9 visits were missed.".encode("latin-1"))
    (folder / "utf16-cut.txt").write_bytes(b"\xff\xfe" + "Child P".encode("utf-16-le") + b"\x00\xd8")  # half a pair
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    docx_path = write_heading_styles_docx(folder / "corrupt.docx")
    docx_path.write_bytes(docx_path.read_bytes()[:3000])  # a truncated download
    _damage_docx_xml(write_heading_styles_docx(folder / "badxml.docx"))
    return {
        "empty.txt": "file is empty; remove it or replace it",
        "binary.txt": "looks like a binary file, not text; export the review as .txt",
        "latin1.txt": "is not UTF-8 text (bad byte at offset 13); re-save it with UTF-8 encoding",
        "utf16-cut.txt": "is not valid UTF-16 text (bad byte at offset 16); re-save it with UTF-8 encoding",
        "corrupt.pdf": "not a readable PDF",
        "corrupt.docx": "not a readable DOCX (BadZipFile); re-save it from Word",
        "badxml.docx": "not a readable DOCX (XMLSyntaxError); re-save it from Word",
    }


def _damage_docx_xml(path: Path) -> None:
    """A DOCX whose zip is sound but whose main XML part is cut short."""
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"][:1500]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_bad_files_each_get_one_line_and_good_files_still_index(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _write_bad_files(docs)
    assert main(["ingest", str(docs)]) == 1
    out, err = capsys.readouterr()
    lines = error_lines(err)
    assert len(lines) == len(expected)
    for name, fix in expected.items():
        [line] = [ln for ln in lines if f"{docs.resolve() / name}:" in ln]
        assert fix in line
    assert "2 added, 0 updated, 0 unchanged, 0 removed, 7 failed" in out
    catalog = Catalog(home / "casewise.sqlite3")
    assert [r.review_id for r in catalog.reviews()] == [
        "child-m-serious-case-review",
        "young-person-f-rapid-review",
    ]


def test_oversized_file_names_the_limit_and_the_setting(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWISE_MAX_FILE_MB", "0.0035")  # YPF is 3,660 bytes, Child M 3,330
    assert main(["ingest", str(docs)]) == 1
    out, err = capsys.readouterr()
    [line] = error_lines(err)
    assert line == (
        f"casewise: error: {docs.resolve() / 'young-person-f-rapid-review.txt'}: "
        "file is 0.00366 MB, over the "
        "0.0035 MB limit; split it or raise CASEWISE_MAX_FILE_MB"
    )
    assert "1 added" in out


def test_unsupported_suffix_given_explicitly(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.rtf"
    notes.write_text("{\\rtf1 Child M}")
    assert main(["ingest", str(docs / "young-person-f-rapid-review.txt"), str(notes)]) == 1
    out, err = capsys.readouterr()
    assert error_lines(err) == [
        f"casewise: error: {notes.resolve()}: a Rich Text document (.rtf) is not read; save it as .docx or PDF and "
        "ingest again",
    ]
    assert "1 added" in out


def test_a_missing_path_given_explicitly_stops_the_run_before_anything_changes(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-review.pdf"
    assert main(["ingest", str(docs / "young-person-f-rapid-review.txt"), str(missing)]) == 1
    out, err = capsys.readouterr()
    assert error_lines(err) == [
        f"casewise: error: {missing.resolve()}: no such file or folder; check the path (nothing was changed)"
    ]
    assert out == ""


def test_a_file_broken_after_indexing_keeps_its_chunks(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    settings_ids = {c.chunk_id for c in Catalog(home / "casewise.sqlite3").all_chunks("child-m-serious-case-review")}
    (docs / "child-m-serious-case-review.txt").write_bytes(b"\x00\x01binary now")
    capsys.readouterr()
    assert main(["ingest", str(docs)]) == 1
    _, err = capsys.readouterr()
    [line] = error_lines(err)
    assert "child-m-serious-case-review.txt: looks like a binary file" in line
    catalog = Catalog(home / "casewise.sqlite3")
    assert {c.chunk_id for c in catalog.all_chunks("child-m-serious-case-review")} == settings_ids


def test_a_bad_setting_is_one_line_naming_the_variable(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWISE_CHROMA_PORT", "eight thousand")
    assert main(["ingest", str(docs)]) == 1
    _, err = capsys.readouterr()
    assert error_lines(err) == ["casewise: error: CASEWISE_CHROMA_PORT must be a number, got 'eight thousand'"]


def test_unreachable_chroma_server_is_one_clear_line(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CASEWISE_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CASEWISE_CHROMA_PORT", str(port))
    assert main(["ingest", str(docs)]) == 1
    _, err = capsys.readouterr()
    [line] = error_lines(err)
    assert f"cannot open the Chroma server at 127.0.0.1:{port}" in line and "start the server" in line


# -- show ---------------------------------------------------------------------------------------------------


def test_show_json_prints_the_chunk_with_exact_offsets(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    catalog = Catalog(home / "casewise.sqlite3")
    chunk = next(
        c for c in catalog.all_chunks("young-person-f-rapid-review") if c.section_label == "Family Circumstances"
    )
    capsys.readouterr()
    assert main(["show", chunk.chunk_id, "--json"]) == 0
    out, err = capsys.readouterr()
    shown = json.loads(out)
    review = catalog.review("young-person-f-rapid-review")
    assert review is not None
    assert shown["chunk_id"] == chunk.chunk_id
    assert shown["review_title"] == "Rapid Reviews: Young Person F"
    assert (shown["section"], shown["section_path"], shown["pages"]) == (
        "Family Circumstances",
        ["Family Circumstances"],
        [1],
    )
    assert shown["text"] == review.text[shown["start"] : shown["end"]]
    assert shown["text"].startswith("- Mum declined use of an interpreter")
    assert shown["source_path"] == str((docs / "young-person-f-rapid-review.txt").resolve())
    assert err == ""
    assert chunk.chunk_id in VectorStore(_settings(home)).ids()


def test_show_plain_text_names_review_section_and_pages(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(docs)]) == 0
    chunk = Catalog(home / "casewise.sqlite3").all_chunks("child-m-serious-case-review")[0]
    capsys.readouterr()
    assert main(["show", chunk.chunk_id]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"Serious Case Review: Child M — Background (page 1; chars {chunk.start}-{chunk.end})\n")
    assert chunk.text in out


def test_show_unknown_id_exits_1_with_one_line(home: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(docs)]) == 0
    capsys.readouterr()
    assert main(["show", "child-m:000000000000", "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    [line] = error_lines(err)
    assert "no chunk 'child-m:000000000000' in the index at" in line
    assert "take an id from `casewise search --json`" in line


def test_show_before_any_ingest_says_to_ingest(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "anything"]) == 1
    _, err = capsys.readouterr()
    assert error_lines(err) == [
        f"casewise: error: no index yet at {home} — run `casewise ingest` to build it from your reviews"
    ]


def _settings(home: Path):  # type: ignore[no-untyped-def]
    from core.settings import Settings

    return Settings.from_env(env={}, home=home)
