"""The feedback page (administrators only): what users said about answers, and the CSV for the harness."""

from __future__ import annotations

import streamlit as st

from casewise.feedback import REASONS, FeedbackEntry, FeedbackStore, to_csv
from casewise.ui import html, resources, session


def _rows(entries: list[FeedbackEntry]) -> list[dict[str, object]]:
    return [
        {
            "When (UTC)": e.created_at.replace("T", " ")[:16],
            "User": e.owner,
            "Helpful": "Yes" if e.helpful else "No",
            "What was wrong": ", ".join(REASONS.get(r, r) for r in e.reasons),
            "Question": e.question,
            "Comment": e.comment,
            "Answerer": e.answerer,
            "Abstained": "Yes" if e.abstained else "No",
            "Citations": len(e.citations),
        }
        for e in entries
    ]


def _record_export() -> None:
    settings = resources.settings()
    resources.audit(settings).record(session.current_user(settings).user_id, "exported", "feedback.csv")


def main() -> None:
    settings = resources.settings()
    user = session.current_user(settings)
    if not user.is_admin:
        st.error("The feedback page is for administrators.")
        st.stop()
    store = FeedbackStore.in_home(settings.home)
    resources.page_header("Feedback on answers", "What users said about the answers, newest first.")
    entries = store.entries()
    if not entries:
        st.info("No feedback yet. Feedback given under each answer appears here.")
        return
    helpful = sum(e.helpful for e in entries)
    left, right = st.columns(2)
    left.metric("Helpful", helpful)
    right.metric("Not helpful", len(entries) - helpful)
    st.dataframe(_rows(entries), hide_index=True, width="stretch")  # a table shows cells as plain text
    st.download_button(
        "Download all feedback (CSV)",
        to_csv(entries),
        file_name="casewise-feedback.csv",
        mime="text/csv",
        on_click=_record_export,
        help="For the evaluation harness; `casewise eval --feedback-candidates OUT` makes gold candidates of the rest",
    )
    st.subheader("Answers in full", anchor=False)
    for e in entries:
        verdict = "Helpful" if e.helpful else "Not helpful"
        with st.expander(html.md_escape(f"{e.created_at[:10]} · {verdict} · {e.question}")):
            parts = [f"<strong>Answer</strong><br>{html.escape(e.answer)}"]
            if e.reasons:
                parts.append(
                    f"<strong>What was wrong</strong>: {html.escape(', '.join(REASONS.get(r, r) for r in e.reasons))}"
                )
            if e.comment:
                parts.append(f"<strong>Comment</strong><br>{html.escape(e.comment)}")
            for c in e.citations:
                where = f"[{c.get('marker')}] {c.get('review_title')} — {c.get('section_label')}"
                parts.append(f"{html.escape(where)}: “{html.escape(str(c.get('quote', '')))}”")
            st.markdown(html.block("<br><br>".join(parts)), unsafe_allow_html=True)


main()
