"""The sidebar: search filters, the answerer in use, and what the index holds."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ingest.catalog import Catalog, section_key
from ingest.settings import Settings
from retriever.models import SearchFilter
from retriever.pipeline import Casewise


def section_names(catalog: Catalog) -> list[str]:
    """Distinct section headings across the index, as first written, in a stable order."""
    names: dict[str, str] = {}
    for review_id in catalog.review_index():
        for section in catalog.sections(review_id):
            names.setdefault(section_key(section.name), section.name)
    return sorted(names.values(), key=str.lower)


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
        sections = st.multiselect(
            "Sections",
            section_names(catalog),
            key="f_sections",
            placeholder="All sections",
            help="Only search sections with these headings, e.g. Learning.",
        )
        kinds = st.multiselect(
            "Review types", types, key="f_types", placeholder="All types", help="Only search reviews of these types."
        )
        chosen = SearchFilter(reviews=tuple(reviews), sections=tuple(sections), review_types=tuple(kinds))
        if not chosen.empty:
            st.markdown("Filters apply to the next question.")
    return chosen


def describe(chosen: SearchFilter, catalog: Catalog) -> str:
    """A one-line account of the filters an answer was searched with."""
    index = catalog.review_index()
    parts = []
    if chosen.reviews:
        parts.append("reviews: " + "; ".join(index[r].title if r in index else r for r in chosen.reviews))
    if chosen.sections:
        parts.append("sections: " + ", ".join(chosen.sections))
    if chosen.review_types:
        parts.append("review types: " + ", ".join(chosen.review_types))
    return "Searched only " + " — ".join(parts)


def answerer_line(settings: Settings, casewise: Casewise) -> str:
    if casewise.generator is None:
        return "**Answerer:** offline (extractive): sentences quoted from the reviews"
    where = f" at {settings.llm_base_url}" if settings.llm_base_url else ""
    model = f" `{settings.llm_model}`" if settings.llm_model else ""
    return f"**Answerer:** {casewise.answerer_name}{model}{where}, with the offline answerer as fallback"


def index_info(settings: Settings, casewise: Casewise) -> None:
    """Which answerer answers, which reviews the index holds and when it was built."""
    catalog = casewise.catalog
    index = catalog.review_index()
    with st.sidebar:
        st.header("About the answers", anchor=False)
        st.markdown(answerer_line(settings, casewise))
        if settings.answerer != "extractive" and casewise.generator is None:
            st.warning(
                f"CASEWISE_ANSWERER is {settings.answerer!r}, but no language model answerer could "
                "be set up; the offline answerer answers instead."
            )
        built = _when(catalog.get_meta("built_at"))
        with st.expander(f"Index: {len(index)} review{'s' if len(index) != 1 else ''}, built {built}"):
            for meta in index.values():
                kind = f" ({meta.review_type})" if meta.review_type else ""
                st.markdown(f"- {meta.title}{kind}")
            st.caption(f"Index folder: {settings.home}")


def _when(stamp: str | None) -> str:
    if not stamp:
        return "at an unknown time"
    try:
        return datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp
