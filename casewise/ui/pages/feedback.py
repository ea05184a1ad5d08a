"""The feedback page: what practitioners said about answers, for whoever maintains the corpus."""

from __future__ import annotations

import csv
import io

import streamlit as st

from casewise.feedback import FeedbackEntry, FeedbackStore
from casewise.ui import resources


def _rows(entries: list[FeedbackEntry]) -> list[dict[str, object]]:
    return [
        {
            "When (UTC)": e.created_at.replace("T", " ")[:16],
            "Helpful": "Yes" if e.helpful else "No",
            "Question": e.question,
            "Comment": e.comment,
            "Answerer": e.answerer,
            "Abstained": "Yes" if e.abstained else "No",
            "Citations": len(e.citations),
        }
        for e in entries
    ]


def _csv(entries: list[FeedbackEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "created_at", "helpful", "question", "answer", "comment", "answerer", "abstained", "citations"]
    )
    for e in entries:
        cited = " | ".join(
            f"[{c.get('marker')}] {c.get('review_title')} — {c.get('section_label')}: {c.get('quote')}"
            for c in e.citations
        )
        writer.writerow(
            [e.id, e.created_at, int(e.helpful), e.question, e.answer, e.comment, e.answerer, int(e.abstained), cited]
        )
    return out.getvalue()


def main() -> None:
    settings = resources.settings()
    store = FeedbackStore.in_home(settings.home)
    resources.page_header("Feedback on answers", "What practitioners said about the answers, newest first.")
    entries = store.entries()
    if not entries:
        st.info("No feedback yet. Feedback given under each answer appears here.")
        return
    helpful = sum(e.helpful for e in entries)
    left, right = st.columns(2)
    left.metric("Helpful", helpful)
    right.metric("Not helpful", len(entries) - helpful)
    st.dataframe(_rows(entries), hide_index=True, width="stretch")
    st.download_button(
        "Download all feedback (CSV)",
        _csv(entries),
        file_name="casewise-feedback.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    st.caption(f"Stored in {store.path}")
    st.subheader("Answers in full", anchor=False)
    for e in entries:
        verdict = "Helpful" if e.helpful else "Not helpful"
        with st.expander(f"{e.created_at[:10]} · {verdict} · {e.question}"):
            st.markdown("**Answer**")
            st.text(e.answer)
            if e.comment:
                st.markdown("**Comment**")
                st.text(e.comment)
            for c in e.citations:
                quote = str(c.get("quote", "")).replace("$", "\\$")
                where = f"{c.get('review_title')} — {c.get('section_label')}"
                st.markdown(f"- \\[{c.get('marker')}\\] {where}: “{quote}”")


main()
