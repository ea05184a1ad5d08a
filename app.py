"""Casewise in the browser: run with `casewise app` (or `streamlit run app.py`).

Thin by design: it reads the settings, builds the index on first start, opens the pipeline once per process
and hands over to the pages in casewise/ui/pages/ (Ask, Read a review, Feedback, Trainer), which render
its answers.
"""

from __future__ import annotations

import streamlit as st

from casewise.ui import resources, sidebar

st.set_page_config(page_title="Casewise", page_icon=":material/menu_book:", layout="centered")

settings = resources.settings()
resources.ensure_index(settings)
casewise = resources.pipeline(settings)

PAGES = "casewise/ui/pages"
page = st.navigation(
    [
        st.Page(f"{PAGES}/ask.py", title="Ask", icon=":material/chat:", default=True),
        st.Page(f"{PAGES}/reader.py", title="Read a review", icon=":material/menu_book:", url_path="read"),
        st.Page(f"{PAGES}/feedback.py", title="Feedback", icon=":material/rate_review:", url_path="feedback"),
        st.Page(f"{PAGES}/trainer.py", title="Trainer", icon=":material/school:", url_path="trainer"),
    ]
)
page.run()
sidebar.index_info(settings, casewise)
