"""The real app (`casewise app`) in Debian's headless Chromium via Playwright, as a user would use it: ask, see a
marker's quote, take the answer away, give feedback and read it back, reopen a conversation, upload reviews.

Every request the browser makes is recorded: none may leave 127.0.0.1. Full-page screenshots go to
test-artifacts/ (gitignored)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import CHROMIUM_ARGS, MISSING, find_chromium
from conftest import ROOT, SEED_FILES, ingest_lock_held

from core.settings import Settings
from ingest.pipeline import ingest

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "Was Young Person F ever excluded from school?"
QUOTE = "had good school attendance, no exclusions"
SOURCE_LINE = "Rapid Reviews: Young Person F — Background, paragraph 1"
LOCAL_HOSTS = {"127.0.0.1"}
START_TIMEOUT_S = 120
ANSWER_TIMEOUT_MS = 120_000  # the first question of a fresh server waits for the model to load


def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
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


def scratch_corpus(tmp: Path) -> Path:
    """A copy of the seed reviews in tmp/corpus."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus)
    return corpus


@contextmanager
def casewise_app(home: Path, corpus: Path, tmp: Path) -> Iterator[tuple[str, int]]:
    """`casewise app` on a free port over home and corpus, once it reports healthy (its URL and process id);
    stopped at the end."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    env.update(CASEWISE_HOME=str(home), CASEWISE_CORPUS=str(corpus))
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
        yield url, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """`casewise app` over a prebuilt index of a scratch corpus, stopped after the module."""
    tmp = tmp_path_factory.mktemp("browser")
    home, corpus = tmp / "home", scratch_corpus(tmp)
    assert not ingest([corpus], Settings.from_env(env={}, home=home), lambda: real_embedder).failed
    with casewise_app(home, corpus, tmp) as (url, _):
        yield url


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    """Every URL the browser asked for during the module (checked by the last test)."""
    return []


@pytest.fixture
def browser(tmp_path: Path, requests_seen: list[str]):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "profile"
    profile.mkdir()
    with sync_playwright() as playwright:

        def launch(**options):  # type: ignore[no-untyped-def]
            context = playwright.chromium.launch_persistent_context(
                str(profile / str(len(contexts))),
                executable_path=chromium(),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
                accept_downloads=True,
                **options,
            )
            context.on("request", lambda request: requests_seen.append(request.url))
            contexts.append(context)
            return context.pages[0] if context.pages else context.new_page()

        contexts: list = []
        try:
            yield launch
        finally:
            for context in contexts:
                context.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    return browser()


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run is over: no element is still marked stale from the previous run."""
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    # Streamlit scrolls inside its main and sidebar panes, so the page itself is one screen high: make the
    # window as tall as the longest pane for the shot, then put it back.
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent', 'stSidebarUserContent'].map("
        "id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight || 0))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    data = path.read_bytes()
    assert len(data) > 1000 and data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return path


def ask(page, question: str):  # type: ignore[no-untyped-def]
    """Type a question and wait for its answer's first marker; returns the answer's chat message."""
    from playwright.sync_api import expect

    chat = page.get_by_role("textbox", name="Ask a question about the case reviews")
    expect(chat).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    chat.fill(question)
    chat.press("Enter")
    answer = page.get_by_test_id("stChatMessage").filter(has=page.locator("a.cw-marker")).last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    settled(page)
    return answer


def review_docx(path: Path) -> Path:
    """A short review written for this test, laid out as a Word user would."""
    import docx

    document = docx.Document()
    document.add_heading("Local Child Safeguarding Practice Review: Child Q", level=0)
    document.add_heading("Background", level=1)
    document.add_paragraph("Child Q lived with a grandparent who kept a pet heron named Basil in the garden.")
    document.add_heading("Learning", level=1)
    document.add_paragraph("Practitioners should ask about every adult in the household, including lodgers.")
    document.save(str(path))
    return path


def test_first_visit_then_a_marker_shows_and_opens_its_quote(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(app_url)
    chat = page.get_by_role("textbox", name="Ask a question about the case reviews")
    expect(chat).to_be_visible(timeout=30_000)
    expect(page.get_by_text("do not replace professional judgement")).to_be_visible()
    screenshot(page, "app-1-first-visit.png")

    answer = ask(page, QUESTION)
    marker = answer.locator("a.cw-marker").first
    expect(marker).to_have_attribute("title", re.compile(re.escape(QUOTE)))
    expect(marker).to_have_attribute("aria-label", re.compile(r"^Source 1: " + re.escape(SOURCE_LINE)))
    marker.hover()
    body = page.locator("#cw-src-1-1 .cw-src-body")
    expect(body).to_be_hidden()  # sources stay a compact list until one is opened
    marker.focus()
    page.keyboard.press("Enter")  # the keyboard opens it as a click does
    expect(body).to_be_visible()
    expect(body.locator("mark.cw-quote")).to_contain_text(QUOTE)
    expect(body.locator("mark.cw-quote")).to_be_in_viewport()
    expect(page.get_by_text("page 1")).to_have_count(0)  # a text review: paragraphs, not pages
    screenshot(page, "app-2-marker-opens-source.png")
    link = body.get_by_role("link", name="Open the whole review here")
    expect(link).to_have_attribute("href", re.compile(r"^read\?review=young-person-f-rapid-review&start=\d+&end=\d+$"))


def test_dark_theme_keeps_the_quote_readable(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser(color_scheme="dark")
    page.goto(app_url)
    answer = ask(page, QUESTION)
    answer.locator("a.cw-marker").first.click()
    mark = page.locator("#cw-src-1-1 mark.cw-quote")
    expect(mark).to_be_visible()
    colours = mark.evaluate("m => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]")
    assert colours == ["rgb(17, 17, 17)", "rgb(255, 232, 163)"]  # dark text on light yellow in either theme
    screenshot(page, "app-3-dark-theme.png")


def test_the_markdown_export_has_numbered_sources(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    ask(page, QUESTION)
    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown").last.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Casewise answer\n\n**Question:** Was Young Person F ever excluded from school?")
    sources = text.split("## Sources\n\n", 1)[1]
    assert re.match(r"\*\*\[1\]\*\* " + re.escape(SOURCE_LINE) + r": “[^”]*" + re.escape(QUOTE), sources), sources
    assert "do not replace professional judgement" in text


def test_thumbs_down_with_a_reason_is_read_back_by_the_admin(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(app_url)
    answer = ask(page, QUESTION)
    answer.get_by_role("radio", name="Thumbs down").click()
    form = answer.get_by_test_id("stForm")
    expect(form).to_be_visible(timeout=30_000)
    form.get_by_role("button", name="Missed something").click()
    comment = "It should mention the sibling's exclusion (browser test)"
    form.get_by_role("textbox", name="Comment").fill(comment)
    form.get_by_role("button", name="Send").click()
    expect(answer.get_by_text("your feedback was saved")).to_be_visible(timeout=30_000)
    screenshot(page, "app-4-feedback-given.png")

    page.get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("heading", name="Feedback on answers")).to_be_visible(timeout=30_000)
    entry = page.get_by_test_id("stExpander").filter(has_text="Not helpful").first
    entry.click()
    expect(entry.get_by_text(comment)).to_be_visible()
    expect(entry.get_by_text("What was wrong: Missed something")).to_be_visible()
    screenshot(page, "app-5-feedback-page.png")


def test_a_conversation_is_reopened_from_history(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    question = "How many times did police refer Young Person F to CSC?"
    first = browser()
    first.goto(app_url)
    ask(first, question)
    later = browser()  # another visit, another browser session
    later.goto(app_url)
    entry = later.get_by_test_id("stSidebar").get_by_role("button", name=re.compile(re.escape(question[:30])))
    expect(entry.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    entry.first.click()
    expect(later.get_by_test_id("stChatMessage").filter(has_text="8 occasions").first).to_be_visible(timeout=30_000)
    expect(later.locator("a.cw-marker").first).to_be_visible()
    later.mouse.move(700, 5)  # no tooltip over the shot
    screenshot(later, "app-6-history-reopened.png")


def test_an_upload_succeeds_a_corrupt_one_is_named_and_the_index_still_answers(
    app_url: str, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n% not a real PDF body\n")
    page.goto(f"{app_url}/manage")
    expect(page.get_by_role("heading", name="Manage reviews")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.locator("input[type=file]").set_input_files([str(review_docx(tmp_path / "child-q.docx")), str(broken)])
    expect(page.get_by_text("broken.pdf").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Add to the index").click()
    expect(page.get_by_text(re.compile("Added: “Local Child Safeguarding Practice Review: Child Q”"))).to_be_visible(
        timeout=ANSWER_TIMEOUT_MS
    )
    error = page.get_by_test_id("stAlertContentError").filter(has_text="broken.pdf:")
    expect(error).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert "/" not in error.inner_text().split("broken.pdf:", 1)[0]  # no server folders in the message
    screenshot(page, "app-7-upload.png")

    page.get_by_role("link", name="Ask").click()
    answer = ask(page, "What pet did Child Q's grandparent keep?")
    expect(answer).to_contain_text("heron")
    source = page.get_by_text(re.compile("Local Child Safeguarding Practice Review: Child Q — Background"))
    expect(source.first).to_be_visible()
    screenshot(page, "app-8-answer-from-upload.png")


def test_a_refusal_under_a_filter_says_so_and_offers_every_review(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(app_url)
    reviews = page.get_by_test_id("stSidebar").get_by_role("combobox", name=re.compile("Reviews"))
    expect(reviews).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    reviews.click()
    page.get_by_role("option", name="Serious Case Review: Child M").click()
    page.keyboard.press("Escape")
    settled(page)
    chat = page.get_by_role("textbox", name="Ask a question about the case reviews")
    chat.fill("What did the reviews say about interpreters?")
    chat.press("Enter")
    everything = page.get_by_role("button", name="Search all reviews")
    expect(everything).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_text("Searched only reviews: Serious Case Review: Child M")).to_be_visible()
    expect(page.locator("ol.cw-closest > li")).to_have_count(3)  # the closest sections, listed
    screenshot(page, "app-9-filtered-refusal.png")
    everything.click()
    expect(page.locator("a.cw-marker").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_text(re.compile("Rapid Reviews: Young Person F — Family Circumstances")).first).to_be_visible()


def test_the_app_opens_before_its_index_and_model_then_answers_a_question_asked_meanwhile(
    browser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A first start while another ingest holds the index: the page, the chat box and the status show at once;
    a question asked then is answered, with its citations, once the index is built and the model loaded."""
    from playwright.sync_api import expect

    home, corpus = tmp_path / "home", scratch_corpus(tmp_path)
    with ExitStack() as running:
        with ingest_lock_held(home):  # nothing can be indexed or loaded until it is released
            url, server = running.enter_context(casewise_app(home, corpus, tmp_path))
            page = browser()
            page.goto(url)
            chat = page.get_by_role("textbox", name="Ask a question about the case reviews")
            expect(chat).to_be_visible(timeout=30_000)
            status = page.get_by_text(re.compile("^Getting ready: Waiting for another ingest of this index"))
            expect(status).to_be_visible()
            screenshot(page, "app-0-opening-while-not-ready.png")
            chat.fill(QUESTION)
            chat.press("Enter")
            expect(page.get_by_test_id("stChatMessage").filter(has_text=QUESTION)).to_be_visible()
            expect(page.get_by_text("Getting ready: Waiting for another ingest").last).to_be_visible()
        answer = page.get_by_test_id("stChatMessage").filter(has=page.locator("a.cw-marker")).last
        expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        expect(answer.locator("a.cw-marker").first).to_have_attribute("title", re.compile(re.escape(QUOTE)))
        settled(page)
        expect(page.get_by_text("Getting ready")).to_have_count(0)
        watches = [os.readlink(fd) for fd in Path(f"/proc/{server}/fd").iterdir() if "inotify" in os.readlink(fd)]
        assert watches == []  # no file watcher on a served app (it floods the log on big folders)


def test_no_request_left_127_0_0_1(requests_seen: list[str]) -> None:
    """Runs last in the module: the browser fetched nothing from outside the app (no fonts, icons or images)."""
    assert requests_seen, "the browser tests above made no requests at all"
    outside = sorted({u for u in requests_seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                      and urlsplit(u).hostname not in LOCAL_HOSTS})  # fmt: skip
    assert outside == []
