"""The app's cold start as a user meets it, driven in Debian's headless Chromium: a fresh `casewise app` server,
then the first visit, with the question typed as soon as the chat box shows.

Seconds from the server's launch to its health check answering, then from the first visit to the chat box, to the
start-up status ("Getting ready…") and to the first answer showing a cited marker. The floor beside it: the same
visit to a bare Streamlit page holding only a chat box, served the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests"))  # Chromium is started as the browser tests start it
from chromium import CHROMIUM_ARGS, MISSING, find_chromium  # noqa: E402

PROMPT = "Ask a question about the case reviews"
STATUS = "Getting ready"
TIMEOUT_S = 300
BARE_PAGE = f"import streamlit as st\nst.title('Casewise')\nst.chat_input({PROMPT!r})\n"


@dataclass
class AppStart:
    """Seconds to what a user sees (None: it never showed, or was not waited for)."""

    health: float  # from the server's launch
    chat_box: float | None  # the rest from the first visit
    status: float | None = None
    answer: float | None = None


def _chromium() -> str:
    path = find_chromium()
    if path is None:
        raise SystemExit(MISSING)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _served(command: list[str], env: dict[str, str], cwd: Path) -> Iterator[tuple[str, float]]:
    """A Streamlit server started by command (with --server.port added): its URL and seconds until healthy."""
    port = _free_port()
    launched = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--server.port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"{' '.join(command)} exited with {server.returncode}")
            if time.perf_counter() - launched > TIMEOUT_S:
                raise SystemExit(f"{' '.join(command)} never reported healthy")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.05)
        yield url, time.perf_counter() - launched
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def _first_visit(url: str) -> Iterator[tuple[Any, Any]]:
    """A fresh browser profile's page on url, and a function giving the seconds since the visit until a locator
    shows (None if it never does)."""
    from playwright.sync_api import Error, sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        page = context.pages[0] if context.pages else context.new_page()
        visited = time.perf_counter()
        page.goto(url)

        def seen(locator: Any) -> float | None:
            try:
                locator.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
            except Error:
                return None
            return time.perf_counter() - visited

        try:
            yield page, seen
        finally:
            context.close()


def casewise_app(python: str, env: dict[str, str], cwd: Path, question: str | None) -> AppStart:
    """A fresh `casewise app` over env's CASEWISE_HOME and CASEWISE_CORPUS, and its first visit; the question
    (if any) typed as soon as the chat box shows."""
    with _served([python, "-m", "casewise", "app"], env, cwd) as (url, health), _first_visit(url) as (page, seen):
        chat, status = page.get_by_role("textbox", name=PROMPT), page.get_by_text(STATUS).first
        first = seen(chat.or_(status))  # the status comes first on the page; there is none once ready
        figures = AppStart(health, seen(chat), first if status.is_visible() else None)
        if question and figures.chat_box is not None:
            chat.fill(question)
            chat.press("Enter")
            figures.answer = seen(page.get_by_test_id("stChatMessage").locator("a.cw-marker").first)
    return figures


def bare_page(python: str, env: dict[str, str]) -> AppStart:
    """The floor: a Streamlit page holding only a chat box, served as `casewise app` serves (headless, no file
    watcher, no usage statistics), and its first visit."""
    quiet = {
        **env,
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
    }
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bare.py"
        script.write_text(BARE_PAGE, encoding="utf-8")
        command = [python, "-m", "streamlit", "run", str(script)]
        with _served(command, quiet, Path(folder)) as (url, health), _first_visit(url) as (page, seen):
            return AppStart(health, seen(page.get_by_role("textbox", name=PROMPT)))
