"""The signed-in user for this browser session: Streamlit's OpenID Connect login when configured, else local."""

from __future__ import annotations

import streamlit as st

from casewise.auth import User, load_roles, local_user, signed_in_user
from casewise.ui.html import md_escape
from core.errors import CasewiseError
from core.settings import Settings


def sign_in_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] table (sign-in is then required)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, OSError, ValueError):
        return False
    except Exception:  # noqa: BLE001 - Streamlit raises its own error for a missing or unreadable secrets file
        return False


def current_user(settings: Settings) -> User:
    """Who is here; with sign-in configured and nobody signed in, the sign-in page is shown and the run stops."""
    try:
        roles = load_roles(settings.roles_file)
    except CasewiseError as exc:
        st.error(f"Casewise cannot start: {exc}")
        st.stop()
        raise
    if not sign_in_configured():
        return local_user(roles)
    if not getattr(st.user, "is_logged_in", False):
        st.title("Casewise")
        st.markdown("Sign in with your organisation's account to ask questions of the case reviews.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    return signed_in_user(st.user.to_dict(), roles)


def sign_out_button(user: User) -> None:
    """Who is signed in, and a way out (only when sign-in is on)."""
    if sign_in_configured():
        with st.sidebar:
            st.caption(f"Signed in as {md_escape(user.name)} ({user.role.value})")
            st.button("Sign out", on_click=st.logout, key="sign_out")
