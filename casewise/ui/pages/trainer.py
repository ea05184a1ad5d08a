"""The trainer's workspace: a theme across the reviews (which, how strongly, where) and cited briefs."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from casewise.ui import html, resources, session
from core.errors import CasewiseError
from ingest.themes import Theme
from trainer.brief import Brief, BriefBuilder
from trainer.explorer import SECTION_KINDS, ThemeExplorer, ThemePassage, ThemeView
from trainer.export import file_stem, to_docx_bytes, to_markdown

KIND_LABELS = {kind: kind.replace("_", " ").capitalize() for kind in SECTION_KINDS}


def reader_link(passage: ThemePassage) -> str:
    """The reader page with the passage highlighted."""
    c = passage.chunk
    return "read?" + urlencode({"review": c.review_id, "start": c.start, "end": c.end})


def marked(text: str, theme: Theme) -> str:
    """The passage as HTML with the theme's cue phrases in bold, so a trainer sees why it was tagged."""
    out, pos = [], 0
    for m in theme.pattern.finditer(text):
        out += [html.escape(text[pos : m.start()]), f"<b>{html.escape(m.group(0))}</b>"]
        pos = m.end()
    return "".join(out) + html.escape(text[pos:])


def show_view(view: ThemeView) -> None:
    if not view.reviews:
        st.info("No passage in the chosen sections is tagged with this theme.")
        return
    st.subheader("Reviews touching this theme", anchor=False)
    st.dataframe(
        [
            {
                "Review": r.title,
                "Type": r.review_type or "",
                "Tagged passages": r.passages,
                "Strongest tag": round(r.max_score, 2),
            }
            for r in view.reviews
        ],
        hide_index=True,
        width="stretch",
    )
    st.subheader(f"Passages ({len(view.passages)})", anchor=False)
    for passage in view.passages:
        c = passage.chunk
        with st.container(border=True):
            st.markdown(
                f"**{html.md_escape(c.review_title)}** — {html.md_escape(c.section_label)} · "
                f"{KIND_LABELS[passage.kind]} · {html.pages_label(c.pages)} · tag score {passage.score:.2f} · "
                f"[open in the reader]({reader_link(passage)})"
            )
            st.markdown(html.block(marked(c.text, view.theme)), unsafe_allow_html=True)


def show_brief(brief: Brief) -> None:
    for notice in brief.notices:
        st.warning(html.md_escape(notice))
    stem = file_stem(brief)
    markdown = to_markdown(brief)
    left, right = st.columns(2)
    left.download_button(
        "Download Markdown",
        markdown,
        file_name=f"{stem}.md",
        mime="text/markdown",
        key="brief_md",
    )
    right.download_button(
        "Download Word (.docx)",
        to_docx_bytes(brief),
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="brief_docx",
    )
    # The brief quotes review text: shown as its Markdown source, never rendered (no links or images from content).
    st.code(markdown, language="markdown", wrap_lines=True)


def build_brief(briefs: BriefBuilder, theme: str, reviews: list[str]) -> None:
    try:
        with st.spinner("Building the brief…"):
            st.session_state["trainer_brief"] = (
                theme,
                tuple(reviews),
                briefs.build(theme=theme, reviews=reviews),
            )
    except CasewiseError as exc:
        st.error(f"No brief: {html.md_escape(str(exc))}")


def main() -> None:
    settings = resources.settings()
    if not session.current_user(settings).can_train:
        st.error("The trainer's workspace is for trainers and administrators.")
        st.stop()
    opened = resources.ready(settings)
    resources.page_header(
        "Trainer's workspace",
        "Follow a safeguarding theme across the reviews, then build a learning brief for a "
        "session: every point quoted from a review and cited to its section and pages.",
    )
    explorer = ThemeExplorer(opened.index.catalog, opened.themes)
    if explorer.tags_stale():
        st.warning(
            "The theme tags were computed with another theme file. Run `casewise ingest` to tag the "
            "reviews with the current themes."
        )
    counts = {c.theme.name: c for c in explorer.counts()}
    names = list(counts)
    theme = st.selectbox(
        "Theme",
        names,
        key="trainer_theme",
        format_func=lambda n: f"{n} — {counts[n].reviews} review(s), {counts[n].passages} passage(s)",
    )
    kinds = st.pills(
        "Sections",
        SECTION_KINDS,
        selection_mode="multi",
        format_func=lambda kind: KIND_LABELS[kind],
        key="trainer_kinds",
        default=None,
        help="Only passages from these kinds of section (none chosen: all).",
    )
    view = explorer.explore(theme, kinds=kinds or ())
    st.caption(html.md_escape(counts[theme].theme.description))
    show_view(view)
    st.divider()
    st.subheader("Learning brief", anchor=False)
    index = opened.index.reviews()
    touching = [r.review_id for r in explorer.explore(theme).reviews]
    reviews = st.multiselect(
        "Reviews in the brief",
        touching,
        format_func=lambda rid: index[rid].title,
        key="trainer_reviews",
        placeholder="All reviews touching the theme",
    )
    if st.button("Build brief", type="primary", disabled=not touching):
        build_brief(opened.briefs, theme, reviews)
    stored = st.session_state.get("trainer_brief")
    if stored and stored[0] == theme and stored[1] == tuple(reviews):
        show_brief(stored[2])


main()
