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


# Notes, in the page itself, when each thing first appears: a transient status is caught however briefly it shows.
WATCH = """(() => {
  const first = window.__firstSeen = {};
  const checks = {
    chat_box: () => document.querySelector('textarea[aria-label="PROMPT"]'),
    status: () => document.body && document.body.textContent.includes("STATUS"),
    answer: () => document.querySelector('[data-testid="stChatMessage"] a.cw-marker'),
  };
  const look = () => { for (const [k, f] of Object.entries(checks)) if (!(k in first) && f()) first[k] = Date.now(); };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
})();""".replace("PROMPT", PROMPT).replace("STATUS", STATUS)


def _first_visit(url: str, question: str | None) -> dict[str, float]:
    """Seconds from a fresh browser profile's visit to url until the chat box, the status and (with a question,
    typed as soon as the chat box shows) the answer's first marker first appeared."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.add_init_script(WATCH)
            visited = time.time()
            page.goto(url)
            chat = page.get_by_role("textbox", name=PROMPT)
            chat.wait_for(timeout=TIMEOUT_S * 1000)
            if question:
                chat.fill(question)
                chat.press("Enter")
                page.locator('[data-testid="stChatMessage"] a.cw-marker').first.wait_for(timeout=TIMEOUT_S * 1000)
            seen = page.evaluate("window.__firstSeen")
        finally:
            context.close()
    return {name: at / 1000 - visited for name, at in seen.items()}


def casewise_app(python: str, env: dict[str, str], cwd: Path, question: str | None) -> AppStart:
    """A fresh `casewise app` over env's CASEWISE_HOME and CASEWISE_CORPUS, and its first visit; the question
    (if any) typed as soon as the chat box shows."""
    with _served([python, "-m", "casewise", "app"], env, cwd) as (url, health):
        seen = _first_visit(url, question)
    return AppStart(health, seen.get("chat_box"), seen.get("status"), seen.get("answer"))


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
        with _served(command, quiet, Path(folder)) as (url, health):
            return AppStart(health, _first_visit(url, None).get("chat_box"))
