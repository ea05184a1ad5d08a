"""An answer to take away: plain text to copy, Markdown or Word, with numbered sources and the disclaimer."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from casewise.locate import where
from core.models import Review, Section
from core.text import MARKER
from retriever.models import Answer

DISCLAIMER = (
    "Answers come from published case reviews. They do not replace professional judgement "
    "or your local safeguarding procedures."
)
_MD_SPECIAL = re.compile(r"([\\`*_<>#|\[\]()!&])")
# What opens a line that Markdown would read as a block rather than text: a number and its stop ('3.', '12)') that
# would start a list it numbers itself, a bullet, a rule or underline ('-', '+', '='), a code fence ('~~~').
_MD_LINE_START = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)|^([-+=~])")


@dataclass(frozen=True)
class Source:
    """One numbered source as every view and export shows it."""

    marker: int
    review_id: str
    review_title: str
    section_label: str
    place: str  # "page 3" for a paged document, "paragraph 2" otherwise
    quote: str
    start: int
    end: int

    @property
    def line(self) -> str:
        return f"{self.review_title} — {self.section_label}, {self.place}"


def sources(
    answer: Answer,
    review: Callable[[str], Review | None],
    sections: Callable[[str], Sequence[Section]],
) -> list[Source]:
    """The answer's citations as sources, each placed by page or by paragraph as its document allows."""
    return [
        Source(
            c.marker,
            c.review_id,
            c.review_title,
            c.section_label,
            where(review(c.review_id), sections(c.review_id), c.start, c.end, c.pages),
            c.quote,
            c.start,
            c.end,
        )
        for c in answer.citations
    ]


def _md(text: str) -> str:
    """Text shown as written in Markdown (no links, images or emphasis), the [n] markers kept readable."""
    pieces = MARKER.split(text)  # text, a marker's number, text, ...
    return "".join(f"[{piece}]" if odd % 2 else _MD_SPECIAL.sub(r"\\\1", piece) for odd, piece in enumerate(pieces))


def _md_paragraphs(text: str) -> str:
    """Text as Markdown paragraphs, one for each of its lines (so that a list's items do not run together), each
    line shown as written: its label kept literally ('3.', '(a)', '-'), never a list the viewer numbers itself."""
    return "\n\n".join(_literal_start(_md(line.strip())) for line in text.split("\n") if line.strip())


def _literal_start(line: str) -> str:
    """A Markdown line whose opening mark, if Markdown would read one, is escaped so that it shows as written."""
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    at = match.start(2) if match.group(1) else 0
    return f"{line[:at]}\\{line[at:]}"


def to_text(answer: Answer, found: Sequence[Source]) -> str:
    """Plain text for the clipboard: the answer, then its numbered sources, then the disclaimer."""
    lines = [answer.text, ""]
    if found:
        lines += ["Sources:"] + [f"[{s.marker}] {s.line}: “{s.quote}”" for s in found] + [""]
    return "\n".join(lines + [DISCLAIMER]) + "\n"


def to_markdown(answer: Answer, found: Sequence[Source]) -> str:
    """The question, the answer and its numbered sources as a Markdown document."""
    out = ["# Casewise answer", "", f"**Question:** {_md(answer.question)}", "", _md_paragraphs(answer.text), ""]
    if found:
        out += ["## Sources", ""]
        out += [f"**[{s.marker}]** {_md(s.line)}: “{_md(s.quote)}”\n" for s in found]
    out += [f"*{DISCLAIMER}*", ""]
    return "\n".join(out)


def to_docx(answer: Answer, found: Sequence[Source]) -> bytes:
    """The same as a Word document (python-docx)."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Casewise answer"
    document.add_heading("Casewise answer", level=0)
    question = document.add_paragraph()
    question.add_run("Question: ").bold = True
    question.add_run(answer.question)
    document.add_paragraph(answer.text)
    if found:
        document.add_heading("Sources", level=1)
        for s in found:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"[{s.marker}] ").bold = True
            paragraph.add_run(f"{s.line}: “{s.quote}”")
    document.add_paragraph().add_run(DISCLAIMER).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
