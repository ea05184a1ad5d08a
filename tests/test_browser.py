"""The real app (`casewise app`) in Debian's headless Chromium via Playwright: ask, open a source, read."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from ingest.pipeline import ingest
from ingest.settings import Settings

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "Was Young Person F ever excluded from school?"
QUOTE = "had good school attendance, no exclusions"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
START_TIMEOUT_S = 120
ANSWER_TIMEOUT_MS = 120_000  # the first question of a fresh server waits for the model to load


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def casewise_command() -> list[str]:
    script = Path(sys.executable).with_name("casewise")
    return [str(script)] if script.exists() else [sys.executable, "-m", "casewise"]


def wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`casewise app` exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"no /_stcore/health within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`casewise app` on a free port over a prebuilt index of corpus/, stopped after the module."""
    tmp = tmp_path_factory.mktemp("browser")
    home = tmp / "home"
    assert not ingest([CORPUS], Settings.from_env(env={}, home=home), lambda: real_embedder).failed
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    env["CASEWISE_HOME"] = str(home)
    log = tmp / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*casewise_command(), "app", "--server.port", str(port), "--server.headless", "true"],
            env=env,
            cwd=tmp,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def page(tmp_path: Path):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "profile"
    profile.mkdir()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium(),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run is over: no element is still marked stale from the previous run."""
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert len(data) > 1000 and data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return path


def test_ask_open_a_source_and_read_the_review(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(app_url)
    chat = page.get_by_role("textbox", name="Ask a question about the case reviews")
    expect(chat).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_text("do not replace professional judgement")).to_be_visible()
    screenshot(page, "app-1-first-visit.png")

    chat.fill(QUESTION)
    chat.press("Enter")
    source = page.get_by_text("[1] Rapid Reviews: Young Person F — Background, page 1")
    expect(source).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    answer = page.get_by_test_id("stChatMessage").filter(has_text=QUOTE).last
    marker = answer.get_by_role("link", name="[1]")
    expect(marker).to_be_visible()
    settled(page)
    marker.click()  # the marker leads to its source
    expect(source).to_be_in_viewport()

    source.click()
    mark = page.locator("mark.cw-quote").first
    expect(mark).to_be_visible()
    expect(mark).to_contain_text(QUOTE)
    expect(page.get_by_text("▶ quoted:").first).to_be_visible()
    screenshot(page, "app-2-answer-with-source.png")

    page.get_by_role("button", name="Open the whole review at this section").first.click()
    expect(page.get_by_role("heading", name="▶ Background (cited)")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("combobox", name="Review")).to_have_value("Rapid Reviews: Young Person F")
    reader_mark = page.locator("mark.cw-quote").first
    expect(reader_mark).to_contain_text(QUOTE)
    expect(reader_mark).to_be_in_viewport()
    assert "review=young-person-f-rapid-review" in page.url
    screenshot(page, "app-3-reader.png")
