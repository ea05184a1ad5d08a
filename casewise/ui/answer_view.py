"""One answer as the chat shows it: text with [n] markers, each source with its quote marked, feedback."""

from __future__ import annotations

import streamlit as st

from casewise.feedback import FeedbackStore
from casewise.ui import html
from retriever.models import Answer, Citation, Hit
from retriever.pipeline import Casewise

READER_PAGE = "casewise/ui/pages/reader.py"
CLOSEST = 3  # sections shown under an abstention


def render(answer: Answer, turn: int, casewise: Casewise, store: FeedbackStore) -> None:
    """The whole assistant message for one answer."""
    for notice in answer.notices:
        st.warning(notice, icon=":material/warning:")
    st.markdown(html.answer_markdown(answer.text, turn))
    if answer.abstained:
        _closest(answer.evidence[:CLOSEST], turn, casewise)
    elif answer.citations:
        st.markdown("**Sources** — open one to read the quoted words in their section:")
        for citation in answer.citations:
            _source(citation, turn, casewise)
    _details(answer)
    _feedback(answer, turn, store)


def _source(c: Citation, turn: int, casewise: Casewise) -> None:
    st.markdown(html.block("", anchor=html.source_anchor(turn, c.marker)), unsafe_allow_html=True)
    label = f"[{c.marker}] {c.review_title} — {c.section_label}, {html.pages_label(c.pages)}"
    with st.expander(label.replace("[", "\\[").replace("]", "\\]")):
        quoted = f"<strong>Quoted words:</strong> “{html.escape(c.quote)}”"
        st.markdown(html.block(quoted), unsafe_allow_html=True)
        review = casewise.review(c.review_id)
        section = html.section_at(casewise.catalog.sections(c.review_id), c.start, c.end)
        if review is not None and section is not None:
            st.markdown(f"**The section “{section.label}” in full**, the quoted words marked “{html.QUOTE_LABEL}”:")
            text = review.text[section.start : section.end]
            body = html.highlighted(text, c.start - section.start, c.end - section.start)
            st.markdown(html.block(body), unsafe_allow_html=True)
        _open_button(c.review_id, c.start, c.end, key=f"open-{turn}-{c.marker}")


def _closest(hits: tuple[Hit, ...], turn: int, casewise: Casewise) -> None:
    if not hits:
        return
    st.markdown("**Closest sections** — these came nearest but did not answer the question:")
    for rank, hit in enumerate(hits, start=1):
        c = hit.chunk
        with st.expander(f"{c.review_title} — {c.section_label}, {html.pages_label(c.pages)}"):
            st.markdown(html.block(html.escape(c.text)), unsafe_allow_html=True)
            _open_button(c.review_id, c.start, c.end, key=f"open-{turn}-closest-{rank}")


def _open_button(review_id: str, start: int, end: int, key: str) -> None:
    if st.button("Open the whole review at this section", key=key, icon=":material/menu_book:"):
        st.switch_page(READER_PAGE, query_params={"review": review_id, "start": str(start), "end": str(end)})


def _details(answer: Answer) -> None:
    with st.expander("How this answer was made"):
        lines = [f"- Answerer: {answer.answerer}"]
        if answer.standalone_question and answer.standalone_question != answer.question:
            lines.append(f"- Read as: “{answer.standalone_question}”")
        if answer.timings_ms:
            lines.append(f"- Time: {answer.timings_ms.get('total', 0) / 1000:.1f} s")
        lines += [f"- Removed by the citation check: {why}" for why in answer.removed]
        st.markdown("\n".join(line.replace("$", "\\$") for line in lines))


def _feedback(answer: Answer, turn: int, store: FeedbackStore) -> None:
    saved = f"feedback-saved-{turn}"
    if st.session_state.get(saved):
        st.markdown("✓ Thank you: your feedback was saved.")
        return
    with st.expander("Was this answer helpful? Give feedback"), st.form(key=f"feedback-{turn}", border=False):
        verdict = st.radio(
            "Was this answer helpful?",
            ["Helpful", "Not helpful"],
            index=None,
            horizontal=True,
            key=f"fb-verdict-{turn}",
        )
        comment = st.text_area(
            "Comment (optional)", key=f"fb-comment-{turn}", height=80, placeholder="What was missing or wrong?"
        )
        if not st.form_submit_button("Send feedback"):
            return
        if verdict is None:
            st.warning("Choose “Helpful” or “Not helpful” first, then send.")
            return
        store.add(answer, helpful=verdict == "Helpful", comment=comment or "")
        st.session_state[saved] = True
        st.success("Thank you: your feedback was saved.")
