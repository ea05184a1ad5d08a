"""The sidebar: search filters, the user's past conversations, the answerer in use and what the index holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from casewise.history import Conversation, HistoryStore
from casewise.redact import redact_url
from casewise.ui.html import md_escape
from core.errors import CasewiseError
from core.models import SectionKind
from core.settings import Answerer, Settings
from retriever.models import SearchFilter

if TYPE_CHECKING:  # imported for their types only: they import numpy, which the first page paint does without
    from ingest.catalog import Catalog
    from retriever.index import Index

FILTER_KEYS = ("f_reviews", "f_sections", "f_kinds", "f_types")
KIND_LABELS = {kind.value: kind.value.replace("_", " ").capitalize() for kind in SectionKind}


def filters(catalog: Catalog) -> SearchFilter:
    """The user's filters for the next question (empty = search everything)."""
    index = catalog.review_index()
    types = sorted({m.review_type for m in index.values() if m.review_type})
    with st.sidebar:
        st.header("Search in", anchor=False)
        reviews = st.multiselect(
            "Reviews",
            list(index),
            format_func=lambda rid: index[rid].title,
            key="f_reviews",
            placeholder="All reviews",
            help="Only search these reviews.",
        )
        kinds = st.multiselect(
            "Kinds of section",
            list(KIND_LABELS),
            format_func=KIND_LABELS.__getitem__,
            key="f_kinds",
            placeholder="All kinds",
            help="Only search sections of these kinds, whatever each review calls them.",
        )
        heading = st.text_input(
            "Section heading contains",
            key="f_sections",
            placeholder="e.g. findings",
            help="Only search sections with a heading (or a parent heading) containing these words, in any case.",
        )
        review_types = st.multiselect(
            "Review types", types, key="f_types", placeholder="All types", help="Only search reviews of these types."
        )
        sections: tuple[str, ...] = ()
        if heading.strip():
            try:
                from retriever.section_match import expand_sections

                sections = expand_sections([heading], catalog)
            except CasewiseError as exc:
                st.warning(str(exc))
        chosen = SearchFilter(
            reviews=tuple(reviews), sections=sections, review_types=tuple(review_types), kinds=tuple(kinds)
        )
        if not chosen.empty:
            st.caption("Filters apply to the next question.")
    return chosen


def clear_filters() -> None:
    """Reset every filter widget (call from a callback, before the widgets are drawn)."""
    for key in FILTER_KEYS:
        st.session_state[key] = "" if key == "f_sections" else []


def describe(chosen: SearchFilter, catalog: Catalog) -> str:
    """A one-line, plain-text account of what a filtered question searched."""
    index = catalog.review_index()
    parts = []
    if chosen.reviews:
        parts.append("reviews: " + "; ".join(index[r].title if r in index else r for r in chosen.reviews))
    if chosen.kinds:
        parts.append("kinds of section: " + ", ".join(KIND_LABELS.get(k, k) for k in chosen.kinds))
    if chosen.sections:
        parts.append("sections: " + ", ".join(chosen.sections))
    if chosen.review_types:
        parts.append("review types: " + ", ".join(chosen.review_types))
    return "Searched only " + " — ".join(parts)


def conversations(
    store: HistoryStore, owner: str, current: int | None, reopen: Callable[[int], None], new: Callable[[], None]
) -> None:
    """The user's past conversations by first question and date: reopen, rename, delete."""
    with st.sidebar:
        st.header("Your conversations", anchor=False)
        st.button("New conversation", on_click=new, key="history_new")
        listed = store.conversations(owner)
        if not listed:
            st.caption("Questions you ask are kept here so you can come back to them.")
        for conversation in listed:
            _conversation_row(store, owner, conversation, conversation.id == current, reopen)


def _conversation_row(
    store: HistoryStore, owner: str, c: Conversation, current: bool, reopen: Callable[[int], None]
) -> None:
    when = _when(c.updated_at, "%d %b")
    label = f"{'▶ ' if current else ''}{when} · {c.title}"
    left, right = st.columns([2, 1], vertical_alignment="center")
    left.button(
        md_escape(label),
        key=f"history_open_{c.id}",
        on_click=reopen,
        args=(c.id,),
        help="Reopen this conversation",
        width="stretch",
    )
    with right.popover("Edit", help=f"Rename or delete “{md_escape(c.title)}”"):
        title = st.text_input("New name", value=c.title, key=f"history_title_{c.id}", max_chars=80)
        if st.button("Rename", key=f"history_rename_{c.id}"):
            store.rename(owner, c.id, title)
            st.rerun()
        if st.button("Delete for good", key=f"history_delete_{c.id}", type="primary"):
            store.delete(owner, c.id)
            if current:
                st.session_state.pop("conversation", None)
                st.session_state["messages"] = []
            st.rerun()


def answerer_line(settings: Settings, casewise) -> str:
    """Which answerer answers; a language-model URL is shown with any secret in it redacted."""
    if not casewise.streams:
        return "**Answerer:** offline (extractive): sentences quoted from the reviews"
    where = f" at {md_escape(redact_url(settings.llm_base_url))}" if settings.llm_base_url else ""
    model = f" {md_escape(settings.llm_model)}" if settings.llm_model else ""
    return f"**Answerer:** {casewise.answerer_name}{model}{where}, with the offline answerer as fallback"


def index_info(settings: Settings, opened: Index, casewise, notes: list[str]) -> None:
    """Which answerer answers, which reviews the index holds and when it was built, and what this start's index
    build said (reviews added, files skipped and why; no server paths)."""
    index = opened.reviews()
    with st.sidebar:
        st.header("About the answers", anchor=False)
        st.markdown(answerer_line(settings, casewise))
        if settings.answerer != Answerer.EXTRACTIVE and not casewise.streams:
            st.warning(
                f"CASEWISE_ANSWERER is {settings.answerer!r}, but no language model answerer could "
                "be set up; the offline answerer answers instead."
            )
        built = _when(opened.stamp(), "%d %b %Y, %H:%M UTC")
        with st.expander(f"Index: {len(index)} review{'s' if len(index) != 1 else ''}, built {built}"):
            for meta in index.values():
                kind = f" ({meta.review_type})" if meta.review_type else ""
                st.markdown(f"- {md_escape(meta.title + kind)}")
        for note in notes:
            st.caption(md_escape(note))


def _when(stamp: str | None, form: str) -> str:
    if not stamp:
        return "at an unknown time"
    try:
        return datetime.fromisoformat(stamp).strftime(form)
    except ValueError:
        return stamp
