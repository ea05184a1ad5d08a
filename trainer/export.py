"""A learning brief as Markdown or as a Word document, with its citations as a numbered list of sources."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from core.errors import CasewiseError
from core.settings import Answerer
from core.text import MARKER, pages_label
from retriever.models import Citation
from trainer.brief import Brief, BriefPoint

FORMATS = ("md", "docx")
INTRO = (
    "Every point below is quoted word for word from a published case review; the numbers in brackets, "
    "like [1], lead to its source at the end: the review, the section, the pages and the quoted words."
)
PROMPTS_NOTE = "These are prompts for discussion written for this session, not findings of the reviews."
HEADINGS = ("The cases", "Key learning", "Recommendations", "Questions for discussion", "Sources")
_MD_SPECIAL = re.compile(r"([\\`*_<>#|])")


def _md(text: str) -> str:
    """Text shown as written: Markdown's special characters escaped, the [n] markers left alone."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def file_stem(brief: Brief) -> str:
    """A file name for the brief, from its title."""
    return re.sub(r"[^a-z0-9]+", "-", brief.title.lower()).strip("-")[:60] or "learning-brief"


def source_line(c: Citation) -> str:
    """One source: review, section, pages, offsets and the quoted words."""
    pages = pages_label(c.pages, "p.", "pp.")
    return f"{c.review_title} — {c.section_label}, {pages} (characters {c.start}–{c.end}): “{c.quote}”"


def _groups(brief: Brief, points: Sequence[BriefPoint], prefix: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(heading, numbered points) per review, numbering running on across reviews (L1, L2, ... / R1, ...)."""
    names = {s.review_id: f"the {s.subject} review" if s.subject else s.title for s in brief.summaries}
    current: str | None = None
    lines: list[tuple[str, str]] = []
    for number, point in enumerate(points, start=1):
        if point.review_id != current:
            if current is not None:
                yield f"From {names.get(current, current)}", lines
            current, lines = point.review_id, []
        lines.append((f"{prefix}{number}", point.text))
    if current is not None:
        yield f"From {names.get(current, current)}", lines


def _summary_meta(subject: str | None, review_type: str | None, phrased_by: str) -> str:
    facts = [f for f in (subject, review_type) if f]
    if phrased_by != Answerer.EXTRACTIVE:
        facts.append(f"summary written by {phrased_by}, its citations checked")
    return " · ".join(facts)


def to_markdown(brief: Brief) -> str:
    """The brief as a Markdown document."""
    out = [f"# {_md(brief.title)}", "", f"*{INTRO}*", ""]
    out += [f"> {_md(n)}" for n in brief.notices] + ([""] if brief.notices else [])
    out += [f"## {HEADINGS[0]}", ""]
    for s in brief.summaries:
        out += [
            f"### {_md(s.title)}",
            "",
            f"*{_md(_summary_meta(s.subject, s.review_type, s.phrased_by))}*",
            "",
        ]
        out += [" ".join(_md(p.text) for p in s.points), ""]
    for heading, points, prefix in (
        (HEADINGS[1], brief.learning, "L"),
        (HEADINGS[2], brief.recommendations, "R"),
    ):
        out += [f"## {heading}", ""]
        if not points:
            out += ["*None found in these reviews.*", ""]
        for group, lines in _groups(brief, points, prefix):
            out += [f"### {_md(group)}", ""]
            out += [f"- **{label}.** {_md(text)}" for label, text in lines] + [""]
    if brief.discussion:
        out += [f"## {HEADINGS[3]}", "", f"*{PROMPTS_NOTE}*", ""]
        out += [f"{i}. {_md(q)}" for i, q in enumerate(brief.discussion, start=1)] + [""]
    out += [f"## {HEADINGS[4]}", ""]
    out += [f"[{c.marker}] {_md(source_line(c))}  " for c in brief.sources]
    return "\n".join(out).rstrip() + "\n"


def _runs(paragraph: Any, text: str) -> None:
    """Text with its [n] markers set as superscript, footnote style."""
    pos = 0
    for m in MARKER.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()])
        paragraph.add_run(m.group(0)).font.superscript = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def to_docx(brief: Brief, path: Path) -> Path:
    """The brief as a Word document at `path` (python-docx): headings, numbered points, a list of sources."""
    import docx

    document = docx.Document()
    document.core_properties.title = brief.title
    document.add_heading(brief.title, level=0)
    document.add_paragraph().add_run(INTRO).italic = True
    for notice in brief.notices:
        document.add_paragraph(notice, style="Intense Quote")
    document.add_heading(HEADINGS[0], level=1)
    for s in brief.summaries:
        document.add_heading(s.title, level=2)
        document.add_paragraph().add_run(_summary_meta(s.subject, s.review_type, s.phrased_by)).italic = True
        _runs(document.add_paragraph(), " ".join(p.text for p in s.points))
    for heading, points, prefix in (
        (HEADINGS[1], brief.learning, "L"),
        (HEADINGS[2], brief.recommendations, "R"),
    ):
        document.add_heading(heading, level=1)
        if not points:
            document.add_paragraph().add_run("None found in these reviews.").italic = True
        for group, lines in _groups(brief, points, prefix):
            document.add_heading(group, level=2)
            for label, text in lines:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{label}. ").bold = True
                _runs(paragraph, text)
    if brief.discussion:
        document.add_heading(HEADINGS[3], level=1)
        document.add_paragraph().add_run(PROMPTS_NOTE).italic = True
        for question in brief.discussion:
            document.add_paragraph(question, style="List Number")
    document.add_heading(HEADINGS[4], level=1)
    for c in brief.sources:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{c.marker}] ").bold = True
        paragraph.add_run(source_line(c))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(path))
    except OSError as exc:
        raise CasewiseError(f"cannot write {path} ({exc.strerror}); choose another --out path") from exc
    return path


def to_docx_bytes(brief: Brief) -> bytes:
    """The Word document as bytes (for a download button)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return to_docx(brief, Path(folder) / "brief.docx").read_bytes()


def write(brief: Brief, fmt: str, path: Path) -> Path:
    """Write the brief in one of FORMATS."""
    if fmt not in FORMATS:
        raise CasewiseError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "docx":
        return to_docx(brief, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_markdown(brief), encoding="utf-8")
    except OSError as exc:
        raise CasewiseError(f"cannot write {path} ({exc.strerror}); choose another --out path") from exc
    return path
