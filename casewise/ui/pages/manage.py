"""Adding and removing reviews (administrators only), and the audit log of who changed or exported what."""

from __future__ import annotations

import streamlit as st

from casewise.library import UPLOAD_SUFFIXES, Job, public_message
from casewise.ui import html, resources, session
from core.errors import CasewiseError
from ingest.pipeline import FileStatus
from retriever.index import Index

POLL_S = 0.3


def _watch(job: Job) -> None:
    """A progress bar until the background job is done (closing the tab does not stop the job)."""
    bar = st.progress(0.0, text=job.label)
    while not job.done.wait(POLL_S):
        bar.progress(min(job.fraction, 0.99), text=f"{job.label}: {job.step}")
    bar.progress(1.0, text=f"{job.label}: done")


def _add(files, user_id: str) -> None:
    library = resources.library(resources.settings())
    for upload in files:
        try:
            job, path = library.add(user_id, upload.name, upload.getvalue())
        except CasewiseError as exc:
            st.error(html.md_escape(str(exc)))
            continue
        _watch(job)
        if job.error:
            st.error(html.md_escape(job.error))
        for result in job.results_for(path):
            if result.status == FileStatus.FAILED:
                st.error(html.md_escape(public_message(result)))
            else:
                st.success(
                    html.md_escape(
                        f"{result.status.capitalize()}: “{result.title}” — {result.sections} sections, "
                        f"{result.chunks} passages."
                    )
                    + f" [Read it](read?review={result.review_id})"
                )


def _remove(opened: Index, user_id: str) -> None:
    index = opened.reviews()
    if not index:
        return
    st.subheader("Remove a review", anchor=False)
    review_id = st.selectbox("Review to remove", list(index), format_func=lambda r: index[r].title, key="rm_review")
    sure = st.checkbox("I understand its answers will no longer be available", key="rm_sure")
    if st.button("Remove from the index", disabled=not sure, type="primary", key="rm_go"):
        review = opened.review(review_id)
        try:
            job = resources.library(resources.settings()).remove(
                user_id, review_id, review.source_path if review else "", index[review_id].title
            )
        except CasewiseError as exc:
            st.error(html.md_escape(str(exc)))
            return
        _watch(job)  # the removal changes the index's build stamp: its cached texts are read afresh
        st.success(html.md_escape(f"Removed “{index[review_id].title}”."))


def _audit(settings) -> None:
    st.subheader("Audit log", anchor=False)
    entries = resources.audit(settings).entries()
    if not entries:
        st.caption("Nothing added, removed or exported yet.")
        return
    st.dataframe(
        [
            {
                "When (UTC)": e.at.replace("T", " ")[:16],
                "User": e.user_id,
                "Action": e.action,
                "What": e.target,
                "Detail": e.detail,
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
    )


def main() -> None:
    settings = resources.settings()
    user = session.current_user(settings)
    if not user.is_admin:
        st.error("Managing reviews is for administrators.")
        st.stop()
    resources.page_header("Manage reviews", "Add reviews to the index or remove them; every change is logged.")
    index = resources.index(settings)
    st.subheader("Add reviews", anchor=False)
    limit = f"{settings.max_file_mb:g} MB"
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            f"PDF, Word (.docx), web page (.html), text or Markdown files, up to {limit} each",
            type=[s.lstrip(".") for s in UPLOAD_SUFFIXES],
            accept_multiple_files=True,
            key="uploads",
        )
        submitted = st.form_submit_button("Add to the index", type="primary")
    if submitted and files:
        _add(files, user.user_id)
    _remove(index, user.user_id)
    _audit(settings)


main()
