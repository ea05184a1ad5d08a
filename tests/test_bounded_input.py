"""Small hostile files: each gives one line naming the file, the batch goes on, and --json is still printed."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from builders import write_heading_styles_docx
from conftest import HashingEmbedder
from growth import LINEAR, growth

from casewise.cli import main
from core.models import Subject
from ingest import limits
from ingest.cleaning import clean_page, clean_pages
from ingest.docx_text import docx_pages
from ingest.html_text import without_note_markers, without_widgets
from ingest.sections import find_outline
from ingest.subjects import section_children
from ingest.text_layout import without_pandoc_markup
from retriever.fact_types import NameOfOneAsked

YPF = "young-person-f-rapid-review"


@pytest.fixture
def home(clean_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: HashingEmbedder())
    return clean_home


def _rezip(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Copy a DOCX part by part, letting `change(info, data)` return a new (info, data) for each part."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new_info, data = change(info, src.read(info.filename))
            dst.writestr(new_info, data)
    return target


def _patch_headers(data: bytes, local_at: int, central_at: int, value: int) -> bytes:
    """Set a two-byte field of every local and central zip header (flags at 6/8, method at 8/10)."""
    out = bytearray(data)
    for header, offset in ((b"PK\x03\x04", local_at), (b"PK\x01\x02", central_at)):
        at = out.find(header)
        while at != -1:
            out[at + offset : at + offset + 2] = value.to_bytes(2, "little")
            at = out.find(header, at + 4)
    return bytes(out)


def _hostile_files(folder: Path, tmp_path: Path) -> dict[str, str]:
    """Hostile files beside the seeds; maps each name to a phrase its one line must hold."""
    good = write_heading_styles_docx(tmp_path / "good.docx")

    def bomb(info: zipfile.ZipInfo, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        return info, (data + b"<!--" + b" " * 3_000_000 + b"-->") if info.filename == "word/document.xml" else data

    _rezip(good, folder / "bomb.docx", bomb)
    (folder / "encrypted.docx").write_bytes(_patch_headers(good.read_bytes(), 6, 8, 1))  # the 'encrypted' bit
    corrupt = bytearray(good.read_bytes())
    start = corrupt.index(b"word/document.xml") + 40  # inside the compressed stream of the main part
    corrupt[start : start + 40] = bytes(40)
    (folder / "corrupt-part.docx").write_bytes(bytes(corrupt))
    (folder / "deflate64.docx").write_bytes(_patch_headers(good.read_bytes(), 8, 10, 9))  # zipfile cannot read it
    review = "# Rapid Review: Child Z\n\n## Findings\n\nThe school saw Child Z twice.\n"
    for name, sidecar in {
        "superscript-year": '{"year": "\u00b2\u2070\u00b2\u2070"}',
        "long-year": '{"year": ' + "9" * 5000 + "}",
        "long-year-text": '{"year": "' + "9" * 5000 + '"}',
        "nested": '{"title": ' + "[" * 5000 + "]" * 5000 + "}",
    }.items():
        (folder / f"{name}.md").write_text(review.replace("Child Z", f"Child {name}"))
        (folder / f"{name}.meta.json").write_text(sidecar)
    os.mkfifo(folder / "pipe.meta.json")
    (folder / "pipe.md").write_text(review)
    (folder.joinpath(os.fsdecode(b"caf\xe9-review.md"))).write_text(review)
    return {
        "bomb.docx": "DOCX unpacks to more than",
        "encrypted.docx": "password-protected",
        "corrupt-part.docx": "DOCX is damaged (zlib.error)",
        "deflate64.docx": "compression method 9",
        "superscript-year.meta.json": "sidecar year must be a year",
        "long-year.meta.json": "not valid JSON",
        "long-year-text.meta.json": "sidecar year must be a year",
        "nested.meta.json": "nested over",
        "pipe.meta.json": "not a regular file",
        "caf\\xe9-review.md": "not valid UTF-8",
    }


def test_hostile_files_each_get_one_line_and_the_batch_goes_on(
    home: Path, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWISE_MAX_FILE_MB", "0.2")  # so the bomb (3 MB unpacked) is over 10 times the limit
    expected = _hostile_files(docs, tmp_path)
    assert main(["ingest", str(docs), "--json"]) == 1
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("ingest: ")]  # progress aside
    assert len(lines) == len(expected), lines
    for name, phrase in expected.items():
        [line] = [ln for ln in lines if f"{docs.resolve()}/{name}:" in ln]
        assert phrase in line, line
    assert summary["failed"] == len(expected)
    added = sorted(Path(f["path"]).name for f in summary["files"] if f["status"] == "added")
    assert added == ["child-m-serious-case-review.txt", f"{YPF}.txt"]


def test_html_nesting_and_element_counts_are_bounded(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_bytes(b"<html><body>" + b"<div>" * 5000 + b"text" + b"</div>" * 5000 + b"</body></html>")
    with pytest.raises(limits.DocumentError, match="nested 5002 levels deep, over 200"):
        limits.check_html(deep, deep.read_bytes())
    flat = b"<p>a</p>" * (limits.MAX_ELEMENTS // 2 + 1)
    with pytest.raises(limits.DocumentError, match="HTML elements, over the limit"):
        limits.check_html(deep, flat)
    limits.check_html(deep, b"<html><body><p>one<br>two<img src=x></p></body></html>")  # void tags do not nest


# -- growth: work at 8N must stay near 8 times the work at N (linear), far from 64 (quadratic) ------------------


def test_heading_line_of_spaces_grows_linearly() -> None:
    ratio = growth(find_outline, lambda n: "# a" + " " * n + "b\n\nSome text.\n", 50)
    assert ratio < LINEAR, f"find_outline work grew {ratio:.0f} times for 8 times the input"


def test_long_wrapped_paragraph_joins_linearly() -> None:
    def make(n: int) -> list[str]:
        return ["\n".join("the child was seen at home by the health visitor" for _ in range(n))]

    ratio = growth(clean_pages, make, 60)
    assert ratio < LINEAR, f"clean_pages work grew {ratio:.0f} times for 8 times the input"


def test_many_short_headings_grow_linearly() -> None:
    ratio = growth(find_outline, lambda n: "".join(f"## Part {i}\n\nText {i}.\n\n" for i in range(n)), 300)
    assert ratio < LINEAR, f"find_outline work grew {ratio:.0f} times for 8 times the input"


def test_a_damaged_relationship_part_is_one_line(tmp_path: Path) -> None:
    """Found by the fuzz suite: one stray byte in _rels/.rels made python-docx raise TypeError."""
    from ingest.loaders import load

    good = write_heading_styles_docx(tmp_path / "good.docx")

    def stray_byte(info: zipfile.ZipInfo, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        spot = 6872 % (len(data) + 1)
        return info, (data[:spot] + b"_" + data[spot:]) if info.filename == "_rels/.rels" else data

    damaged = _rezip(good, tmp_path / "damaged.docx", stray_byte)
    with pytest.raises(limits.DocumentError, match=r"damaged.docx: .*re-save"):
        load(damaged, 1_000_000)


def test_an_unforeseen_failure_while_building_a_review_is_one_line_and_the_batch_goes_on(
    home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest import pipeline

    real = pipeline.build_review

    def deep(path, loaded):  # type: ignore[no-untyped-def]
        if path.name.startswith(YPF):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, loaded)

    monkeypatch.setattr(pipeline, "build_review", deep)
    assert main(["ingest", str(docs), "--json"]) == 1
    out, err = capsys.readouterr()
    [line] = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("ingest: ")]
    assert f"{YPF}.txt: could not be read (RecursionError: maximum recursion depth exceeded)" in line
    assert json.loads(out)["failed"] == 1


def test_a_protective_marking_with_a_run_of_spaces_is_read_linearly() -> None:
    ratio = growth(clean_page, lambda n: "OFFICIAL" + " " * n + "x", 2_000)
    assert ratio < LINEAR, f"clean_page work grew {ratio:.0f} times for 8 times the input"


def test_headings_naming_many_children_are_read_linearly() -> None:
    """A thematic review about hundreds of children: each heading is read once against all their names."""

    def make(n: int) -> list[Subject]:
        return [Subject(f"Child {chr(65 + i % 26)}{i}", (f"{chr(65 + i % 26)}{i}",)) for i in range(n)]

    def children(subjects: list[Subject]) -> list[str | None]:
        return section_children([("Part 2", s.name) for s in subjects], subjects)

    ratio = growth(children, make, 80)
    assert ratio < LINEAR, f"section_children work grew {ratio:.0f} times for 8 times the children"


def test_a_tag_left_open_is_passed_over_linearly() -> None:
    """The HTML size guard reads "<" and a run of letters with no ">" once, not once per letter."""
    ratio = growth(lambda data: limits.check_html(Path("x.html"), data), lambda n: b"<" + b"a" * n, 5_000)
    assert ratio < LINEAR, f"check_html work grew {ratio:.0f} times for 8 times the input"


def test_a_name_asked_for_after_a_run_of_spaces_is_looked_for_linearly() -> None:
    sister = NameOfOneAsked("sister")
    ratio = growth(sister.search, lambda n: "her sister" + " " * n + "x", 2_000)
    assert ratio < LINEAR, f"NameOfOneAsked.search work grew {ratio:.0f} times for 8 times the input"


def test_a_markdown_line_of_spaces_is_read_linearly() -> None:
    ratio = growth(without_pandoc_markup, lambda n: " " * n + "x", 5_000)
    assert ratio < LINEAR, f"without_pandoc_markup work grew {ratio:.0f} times for 8 times the input"


def test_a_web_page_of_many_note_markers_and_buttons_is_read_linearly() -> None:
    def markers(n: int) -> str:
        seen = " ".join(f"Child M was seen on day {i}.<sup>1</sup>" for i in range(n))
        return f"<html><body><p>{seen}</p></body></html>"

    def buttons(n: int) -> str:
        return "<html><body><section>" + "<div><button>Yes</button></div>" * n + "</section></body></html>"

    assert growth(without_note_markers, markers, 500) < LINEAR
    assert growth(without_widgets, buttons, 500) < LINEAR


def test_a_wrapped_paragraph_opening_on_a_run_of_spaces_is_joined_linearly() -> None:
    def page(n: int) -> str:
        return " " * n + "The child was seen and\n" + "".join(f"then taken to clinic {i} and\n" for i in range(n // 30))

    assert growth(clean_page, page, 20_000) < LINEAR


def _merged_down(rows: int) -> bytes:
    """A Word table of two columns whose first is one cell merged down every row (a chronology's year)."""
    import io

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("Serious Case Review: Child A", style="Title")
    table = document.add_table(rows=rows, cols=2)
    for i, row in enumerate(table.rows):
        first, second = row.cells
        first.text, second.text = "2021", f"Contact {i} with the family"
        merge = OxmlElement("w:vMerge")
        if i == 0:
            merge.set(qn("w:val"), "restart")
        first._tc.get_or_add_tcPr().append(merge)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_table_merged_down_many_rows_is_read_linearly_and_whole() -> None:
    import io

    import docx

    def read(data: bytes) -> list[str]:
        return docx_pages(docx.Document(io.BytesIO(data)))

    assert growth(read, _merged_down, 100) < LINEAR
    text = "\n".join(read(_merged_down(2_000)))  # deeper than python-docx's own reading recurses
    assert "Contact 1999 with the family" in text


def test_headings_each_a_new_label_are_read_linearly() -> None:
    """Thousands of labelled headings each with a word of its own ("Qbaa 1", "Qbab 1", ...) nest no deeper than a
    review can, so each section's path stays short."""

    def text(n: int) -> str:
        words = ("".join(chr(97 + (i // 26**k) % 26) for k in range(3)) for i in range(n))
        return "".join(f"Q{w} 1\n\nThe {w} nurse saw her.\n\n" for w in words)

    assert growth(find_outline, text, 200) < LINEAR
