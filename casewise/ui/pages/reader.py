"""The reader: one whole review with its section outline; a cited span arrives highlighted and scrolled to."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from casewise.locate import has_pages
from casewise.ui import html, resources, session
from core.models import Review, Section

SCROLL = """<script>
(function (id, tries) {
  function go() {
    var el = window.document.getElementById(id);
    if (el) { el.scrollIntoView({block: "start"}); } else if (tries-- > 0) { setTimeout(go, 200); }
  }
  go();
})(%s, 25);
</script>"""


def _span() -> tuple[int, int] | None:
    try:
        start, end = int(st.query_params["start"]), int(st.query_params["end"])
    except (KeyError, ValueError):
        return None
    return (start, end) if 0 <= start < end else None


def _follow_choice() -> None:
    """Choosing another review drops the highlight that belonged to the last one."""
    st.query_params.from_dict({"review": st.session_state["reader_review"]})


def _outline(sections: list[Section], cited: Section | None) -> None:
    lines = []
    for section in sections:
        name = html.md_escape(section.label)
        mark = " — **▶ cited**" if section == cited else ""
        kind = section.kind.replace("_", " ")
        lines.append(f"1. [{name}](#{html.section_anchor(section)}) · *{kind}*{mark}")
    st.markdown("**Sections**\n\n" + "\n".join(lines))


def _text(review: Review, sections: list[Section], cited: Section | None, span: tuple[int, int] | None) -> None:
    for section in sections:
        body = review.text[section.start : section.end]
        if section == cited and span:
            with st.container(border=True):
                st.subheader(f"▶ {html.md_escape(section.label)} (cited)", anchor=html.section_anchor(section))
                marked = html.highlighted(body, span[0] - section.start, span[1] - section.start)
                st.markdown(html.block(marked), unsafe_allow_html=True)
        else:
            st.subheader(html.md_escape(section.label), anchor=html.section_anchor(section))
            st.markdown(html.block(html.escape(body)), unsafe_allow_html=True)


def main() -> None:
    settings = resources.settings()
    session.current_user(settings)
    opened = resources.index(settings)
    index = opened.reviews()
    resources.page_header("Read a review", "The whole review as indexed, section by section.")
    if not index:
        st.info("The index holds no reviews yet.")
        return
    ids = list(index)
    wanted = st.query_params.get("review")
    if wanted and wanted not in ids:
        st.warning(f"The index holds no review “{html.md_escape(wanted[:80])}”; choose one below.")
    review_id = st.selectbox(
        "Review",
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=lambda rid: index[rid].title,
        key="reader_review",
        on_change=_follow_choice,
    )
    review = opened.review(review_id)
    if review is None:
        st.warning("That review has just left the index; choose another.")
        return
    sections = opened.catalog.sections(review_id)
    span = _span() if review_id == wanted else None
    cited = html.section_at(sections, *span) if span else None
    meta = review.meta
    facts = [meta.review_type or "case review"]
    if has_pages(review):
        facts.append(f"{review.page_count} page{'s' if review.page_count != 1 else ''}")
    facts += [f"{len(sections)} sections", f"file: {Path(review.source_path).name}"]
    st.markdown(html.md_escape(" · ".join(facts)))
    if cited:
        st.markdown(
            f"The cited words are in **{html.md_escape(cited.label)}**, marked “{html.QUOTE_LABEL}” below. "
            f"[Jump to the cited section](#{html.section_anchor(cited)})"
        )
    outline, text = st.columns([1, 3], gap="large")
    with outline:
        _outline(sections, cited)
    with text:
        _text(review, sections, cited, span)
    if cited:
        st.html(SCROLL % json.dumps(html.section_anchor(cited)), unsafe_allow_javascript=True)


st.set_page_config(layout="wide")
main()
