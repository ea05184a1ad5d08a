"""Hypothesis fuzzing of every parser a user's input reaches: loaders, cleaning, sections and the question path.

Each property: the parser returns, or refuses with a CasewiseError naming the input; nothing else escapes.
Example counts are bounded so the suite stays fast; the figures (inputs tried, failures, slowest input and its
size) are printed at the end of the module, with the work of each input measured in CPU time of this process.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import write_heading_styles_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import CasewiseError
from ingest.cleaning import clean_pages
from ingest.loaders import load
from ingest.sections import find_outline
from retriever.privacy import find_personal_data
from retriever.questions import clean_question, read_batch

FUZZ = settings(max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = 600  # characters: the heading pattern on main is cubic, so keep texts short until it is rewritten
FIGURES: dict[str, dict[str, Any]] = {}

# Text with the characters that break parsers: markdown and list markers, digits, spaces, line and page breaks,
# surrogates, controls, line separators, and HTML and JSON punctuation.
ALPHABET = st.sampled_from(list("# -*•.)(1234567890aAzZ \t\n\r\f<>/\"'{}[]:,\\") + ["\u2028", "\ud800", "\x00", "é"])
hostile_text = st.text(alphabet=st.one_of(ALPHABET, st.characters()), max_size=SMALL)
# Documents with a review's shapes: headings, numbered and bulleted lines, page numbers, wrapped prose.
_line = st.one_of(
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), st.text(ALPHABET, max_size=40)),
    st.builds(lambda m, t: m + t, st.sampled_from(["- ", "• ", "1. ", "2) ", "a) ", "Page 3", "3 of 9"]), hostile_text),
    st.text(ALPHABET, max_size=80),
    st.just(""),
)
review_like = st.lists(_line, max_size=30).map("\n".join).filter(lambda t: len(t) <= 4 * SMALL)
document_text = st.one_of(hostile_text, review_like)


def _measure(name: str, size: int, call: Callable[[], object]) -> None:
    """Run one input, count it, and keep the slowest input's CPU time and size; CasewiseError is allowed."""
    figures = FIGURES.setdefault(name, {"inputs": 0, "refused": 0, "slowest_s": 0.0, "slowest_size": 0})
    figures["inputs"] += 1
    started = time.process_time()
    try:
        call()
    except CasewiseError:
        figures["refused"] += 1
    finally:
        spent = time.process_time() - started
        if spent > figures["slowest_s"]:
            figures["slowest_s"], figures["slowest_size"] = spent, size


@pytest.fixture(scope="module", autouse=True)
def report_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if reporter:
        reporter.write_line("\nfuzz figures (inputs, refused with a message, slowest CPU s, its size):")
        for name, f in FIGURES.items():
            line = f"  {name:22} {f['inputs']:5} {f['refused']:5} {f['slowest_s']:8.4f} {f['slowest_size']:7}"
            reporter.write_line(line)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _load(folder: Path, suffix: str, data: bytes) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    _measure(f"load {suffix}", len(data), lambda: load(path, 1_000_000))


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_text_loaders(folder: Path, suffix: str) -> None:
    @FUZZ
    @given(st.one_of(st.binary(max_size=2000), document_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
    def run(data: bytes) -> None:
        _load(folder, suffix, data)

    run()


@pytest.fixture(scope="module")
def docx_parts(folder: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(write_heading_styles_docx(folder / "seed.docx")) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def test_docx_loader(folder: Path, docx_parts: dict[str, bytes]) -> None:
    @FUZZ
    @given(
        st.sampled_from(sorted(docx_parts)),
        st.binary(max_size=400),
        st.integers(min_value=0, max_value=10_000),
        st.booleans(),
    )
    def run(part: str, noise: bytes, at: int, raw: bool) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in docx_parts.items():
                spot = at % (len(data) + 1)
                archive.writestr(name, data[:spot] + noise + data[spot:] if name == part else data)
        data = buffer.getvalue()
        if raw:  # damage the zip itself, not just one part's XML
            spot = at % len(data)
            data = data[:spot] + noise + data[spot + len(noise) :]
        _load(folder, ".docx", data)

    run()


@FUZZ
@given(st.lists(document_text, min_size=1, max_size=4), st.one_of(st.none(), hostile_text))  # loaders give 1+
def test_clean_pages(pages: list[str], title: str | None) -> None:
    cleaned: list[str] = []
    _measure("clean_pages", sum(map(len, pages)), lambda: cleaned.extend(clean_pages(list(pages), title)))
    assert len(cleaned) == len(pages)


@FUZZ
@given(document_text)
def test_find_outline(text: str) -> None:
    found: list[Any] = []
    _measure("find_outline", len(text), lambda: found.append(find_outline(text)))
    for section in found[0].sections:
        assert 0 <= section.start <= section.end <= len(text)


@settings(max_examples=1000, deadline=None, database=None)
@given(st.text(max_size=5000))
def test_clean_question(text: str) -> None:
    cleaned: list[str] = []
    _measure("clean_question", len(text), lambda: cleaned.append(clean_question(text)))
    if cleaned:
        cleaned[0].encode("utf-8")  # no lone surrogate survives
        assert cleaned[0] == cleaned[0].strip() and cleaned[0]


json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=30,
)


@FUZZ
@given(
    st.lists(
        st.one_of(
            hostile_text,
            json_like.map(repr),
            st.builds(lambda i, q: f'{{"id": {i}, "question": {q}}}', json_like.map(repr), json_like.map(repr)),
        ),
        max_size=6,
    )
)
def test_read_batch(folder: Path, lines: list[str]) -> None:
    path = folder / "batch.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    rows: list[Any] = []
    _measure("read_batch", path.stat().st_size, lambda: rows.extend(read_batch(path, "question")))
    assert all(isinstance(row["question"], str) for row in rows)


@FUZZ
@given(st.text(max_size=5000))
def test_find_personal_data(text: str) -> None:
    spans: list[Any] = []
    _measure("find_personal_data", len(text), lambda: spans.extend(find_personal_data(text)))
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
