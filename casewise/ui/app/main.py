"""Casewise in the browser: run with `casewise app` (or `streamlit run app.py` in a checkout).

Thin by design: it reads the settings, finds out who is here (sign-in when configured), starts loading the
pipeline in the background and hands over to the pages in casewise/ui/pages/, which render its answers.
The page icon is an emoji and the pages have none: Material page icons would be fetched from outside the app.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from casewise.ui import resources, session, sidebar

st.set_page_config(page_title="Casewise", page_icon="📘", layout="centered")

settings = resources.settings()
user = session.current_user(settings)
loaded = resources.loading(settings)  # under way since `casewise app` started; else started by this first visit

PAGES = Path(__file__).parents[1] / "pages"  # casewise/ui/pages, in a checkout or an installed package
pages = [
    st.Page(f"{PAGES}/ask.py", title="Ask", default=True),
    st.Page(f"{PAGES}/reader.py", title="Read a review", url_path="read"),
]
if user.can_train:
    pages.append(st.Page(f"{PAGES}/trainer.py", title="Trainer", url_path="trainer"))
if user.is_admin:
    pages += [
        st.Page(f"{PAGES}/manage.py", title="Manage reviews", url_path="manage"),
        st.Page(f"{PAGES}/feedback.py", title="Feedback", url_path="feedback"),
    ]
page = st.navigation(pages)
session.sign_out_button(user)
page.run()
if loaded.done.is_set():
    sidebar.index_info(settings, resources.index(settings), resources.pipeline(settings), loaded.built)
