"""One answer as the chat shows it: text with [n] markers that show their quote, numbered sources, take-away
buttons and one-click feedback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from casewise import answer_export
from casewise.answer_export import Source
from casewise.auth import User
from casewise.feedback import REASONS, FeedbackStore
from casewise.locate import where
from casewise.redact import redact_text
from casewise.ui import html
from retriever.models import Answer, Hit

if TYPE_CHECKING:
    from retriever.index import Index  # for its type only: it imports numpy

CLOSEST = 3  # sections shown under an abstention


def render(answer: Answer, turn: int, index: Index, scope: Callable[[], None], feedback: Callable[[], None]) -> None:
    """The whole assistant message for one answer, its sources read from the index; `scope` says what was
    searched, `feedback` draws the row."""
    for notice in answer.notices:
        st.warning(html.md_escape(redact_text(notice)))
    found = answer_export.sources(answer, index.review, index.catalog.sections)
    st.markdown(html.answer_html(answer.text, turn, found), unsafe_allow_html=True)
    scope()
    if answer.abstained:
        _closest(answer.evidence[:CLOSEST], index)
    elif found:
        st.markdown(
            "**Sources** — hover over a number to see the quoted words; click it, or a source, to read them "
            "in their section:"
        )
        entries = [(s, _section_html(s, index)) for s in found]
        st.markdown(html.SOURCES_CSS + html.sources_html(turn, entries), unsafe_allow_html=True)
    _take_away(answer, found, turn)
    _details(answer)
    feedback()


def _section_html(s: Source, index: Index) -> str:
    review = index.review(s.review_id)
    section = html.section_at(index.catalog.sections(s.review_id), s.start, s.end)
    if review is None or section is None:
        return f"<strong>Quoted words:</strong> “{html.escape(s.quote)}”"
    text = review.text[section.start : section.end]
    return html.highlighted(text, s.start - section.start, s.end - section.start)


def _closest(hits: tuple[Hit, ...], index: Index) -> None:
    if not hits:
        st.markdown("**Closest sections:** none — no section of the reviews searched came near this question.")
        return
    st.markdown("**Closest sections** — these came nearest but did not answer the question:")
    items = []
    for hit in hits:
        c = hit.chunk
        review = index.review(c.review_id)
        place = where(review, index.catalog.sections(c.review_id), c.start, c.end, c.pages)
        line = f"{c.review_title} — {c.section_label}, {place}"
        items.append(
            f"<li><strong>{html.escape(line)}</strong><br>{html.escape(c.text)}<br>"
            f'<a href="{html.escape(html.reader_url(c.review_id, c.start, c.end))}" target="_blank" '
            f'rel="noopener">Open the whole review here ↗</a></li>'
        )
    st.markdown(f'<ol class="cw-closest">{"".join(items)}</ol>', unsafe_allow_html=True)


def _take_away(answer: Answer, found: list[Source], turn: int) -> None:
    copy, md, docx = st.columns(3)
    with copy.popover("Copy", help="The answer with its sources as plain text"):
        st.caption("Use the copy button at the top right of the box.")
        st.code(answer_export.to_text(answer, found), language=None, wrap_lines=True)
    md.download_button(
        "Markdown",
        answer_export.to_markdown(answer, found),
        file_name=f"casewise-answer-{turn}.md",
        mime="text/markdown",
        key=f"export-md-{turn}",
        help="Download the answer with its numbered sources as Markdown",
    )
    docx.download_button(
        "Word",
        lambda: answer_export.to_docx(answer, found),
        file_name=f"casewise-answer-{turn}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key=f"export-docx-{turn}",
        help="Download the answer with its numbered sources as a Word document",
    )


def _details(answer: Answer) -> None:
    with st.expander("How this answer was made"):
        lines = [f"- Answerer: {html.md_escape(answer.answerer)}"]
        if answer.standalone_question and answer.standalone_question != answer.question:
            lines.append(f"- Read as: “{html.md_escape(answer.standalone_question)}”")
        if answer.timings_ms:
            lines.append(f"- Time: {answer.timings_ms.get('total', 0) / 1000:.1f} s")
        lines += [f"- Removed by the citation check: {html.md_escape(redact_text(why))}" for why in answer.removed]
        st.markdown("\n".join(lines))


def feedback_row(message: dict, turn: int, store: FeedbackStore, user: User, index_build: str | None) -> None:
    """Thumbs up or down, saved at once; then an optional comment and what was wrong."""
    answer: Answer = message["answer"]
    key = f"thumbs-{turn}"
    if message.get("feedback_id") is not None and key not in st.session_state:
        st.session_state[key] = message.get("rating")
    rating = st.feedback("thumbs", key=key)
    if rating is None:
        return
    if message.get("rating") != rating:
        message["feedback_id"] = store.add(answer, helpful=rating == 1, owner=user.user_id, index_build=index_build)
        message["rating"] = rating
        message.pop("explained", None)
    if message.get("explained"):
        st.caption("✓ Thank you: your feedback was saved with the answer and its sources.")
        return
    with st.form(key=f"feedback-{turn}", border=True):
        st.caption("Thank you. Anything to add? (optional)")
        reasons = (
            st.pills(
                "What was wrong?",
                list(REASONS),
                format_func=REASONS.__getitem__,
                selection_mode="multi",
                key=f"fb-reasons-{turn}",
            )
            if rating == 0
            else []
        )
        comment = st.text_area("Comment", key=f"fb-comment-{turn}", height=68, placeholder="What was missing or wrong?")
        if st.form_submit_button("Send"):
            store.explain(message["feedback_id"], user.user_id, comment or "", reasons or [])
            message["explained"] = True
            st.rerun()
