"""The Streamlit app through AppTest (real model, real index over the seed corpus) and `casewise app`."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import docx
import numpy as np
import pytest
from conftest import CORPUS, ROOT, SEED_FILES, HashingEmbedder, ingest_lock_held
from openai_stub import Reply, StubOpenAI, user_prompt
from streamlit.testing.v1 import AppTest

from casewise.cli import main
from casewise.commands import app_cmd
from casewise.feedback import FeedbackStore
from casewise.history import HistoryStore
from casewise.ui import html, resources
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.pipeline import ingest
from retriever.models import Answer

APP = ROOT / "app.py"
YPF = "young-person-f-rapid-review"
CHILD_M = "child-m-serious-case-review"
EXCLUDED = "Was Young Person F ever excluded from school?"
NO_EXCLUSIONS = "Young Person F was one of several siblings and had good school attendance, no exclusions"
INTERPRETERS = "What did the reviews say about interpreters?"  # Young Person F's review answers; Child M's not
TIMEOUT = 180  # the first run in a process imports sentence-transformers and loads the model
FEEDBACK_PAGE = "casewise/ui/pages/feedback.py"
MANAGE_PAGE = "casewise/ui/pages/manage.py"


@pytest.fixture(scope="session")
def seed_home(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index over corpus/ built once with the real model; the app tests share it."""
    home = tmp_path_factory.mktemp("app") / "home"
    report = ingest([CORPUS], Settings.from_env(env={}, home=home), lambda: real_embedder)
    assert not report.failed
    return home


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, seed_home: Path, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment whose CASEWISE_HOME is the seed index and whose corpus is a scratch copy."""
    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(seed_home))
    monkeypatch.setenv("CASEWISE_CORPUS", str(tmp_path / "corpus"))
    return monkeypatch


def start(page: str | None = None) -> AppTest:
    """The app run once, then again after its background load is over (what the polling page does)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    resources.loading(Settings.from_env()).done.wait(TIMEOUT)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> Answer:
    """Ask through the chat input; the answer the page stored for the last assistant message."""
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at.session_state["messages"][-1]["answer"]


def markdown(at: AppTest) -> str:
    return "\n".join(md.value for md in at.markdown)


def marked(at: AppTest) -> list[str]:
    """The text inside each <mark> the page shows."""
    return re.findall(r"<mark[^>]*>(.*?)</mark>", markdown(at))


# -- asking and citations -------------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_marker_shows_its_quote_and_opens_its_source(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    assert any("do not replace professional judgement" in i.value for i in at.info)
    answer = ask(at, EXCLUDED)
    citation = answer.citations[0]
    page = markdown(at)
    marker = re.search(r'<a class="cw-marker" href="#cw-src-1-1" title="([^"]*)" aria-label="([^"]*)">\[1\]</a>', page)
    assert marker, page
    tooltip, label = marker.groups()
    assert NO_EXCLUSIONS in tooltip and "Rapid Reviews: Young Person F — Background, paragraph 1" in tooltip
    assert label.startswith("Source 1: Rapid Reviews: Young Person F — Background, paragraph 1. Quoted: ")
    # the numbered list: one entry per source, opening its section with the quote marked
    assert '<li class="cw-src" id="cw-src-1-1" value="1">' in page
    assert "page 1" not in page  # a text review has no pages to speak of
    assert NO_EXCLUSIONS in marked(at)[0]
    reader = f"read?review={YPF}&amp;start={citation.start}&amp;end={citation.end}"
    assert f'<a href="{reader}" target="_blank" rel="noopener">Open the whole review here ↗</a>' in page


@pytest.mark.integration
def test_the_reader_opens_at_the_cited_section(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    citation = ask(at, EXCLUDED).citations[0]
    at.query_params.update({"review": YPF, "start": str(citation.start), "end": str(citation.end)})
    at.switch_page("casewise/ui/pages/reader.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Read a review"
    assert [s.value for s in at.subheader][0] == "▶ Background (cited)"
    assert marked(at) == [html.escape(citation.quote)]
    facts = next(md.value for md in at.markdown if "sections" in md.value and "file" in md.value)
    assert "page" not in facts  # no page count for a text file


@pytest.mark.integration
def test_an_answer_can_be_taken_away(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    answer = ask(at, EXCLUDED)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Markdown", "Word"]
    [copy] = [c.value for c in at.code]
    assert copy.startswith(answer.text) and "[1] Rapid Reviews: Young Person F — Background, paragraph 1: “" in copy
    assert "do not replace professional judgement" in copy


@pytest.mark.integration
def test_a_follow_up_passes_the_history(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    ask(at, "How many times did police refer Young Person F to CSC?")
    answer = ask(at, "Did they have a child protection plan?")
    assert answer.standalone_question != answer.question and "Young Person F" in answer.standalone_question


# -- filters --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_section_filter_matches_headings_in_any_case(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.text_input(key="f_sections").set_value("learn").run()
    answer = ask(at, "What should professionals do when they disagree with a referral decision?")
    assert {h.chunk.section for h in answer.evidence} == {"Learning"}
    assert "*Searched only sections\\: Learning*" in [m.value for m in at.markdown]


@pytest.mark.integration
def test_a_kind_filter_searches_sections_of_that_kind_whatever_their_heading(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.multiselect(key="f_kinds").set_value(["learning"]).run()
    answer = ask(at, "What should professionals do when they disagree with a referral decision?")
    assert answer.evidence and {h.chunk.section_kind for h in answer.evidence} == {"learning"}
    assert "*Searched only kinds of section\\: Learning*" in [m.value for m in at.markdown]


@pytest.mark.integration
def test_a_refusal_under_a_filter_says_what_was_searched_and_offers_everything(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.multiselect(key="f_reviews").set_value([CHILD_M]).run()
    answer = ask(at, INTERPRETERS)
    assert answer.abstained and {h.chunk.review_id for h in answer.evidence} == {CHILD_M}
    page = markdown(at)
    assert "*Searched only reviews\\: Serious Case Review\\: Child M*" in page
    closest = re.findall(r"<li><strong>(Serious Case Review: Child M — [^<]*)</strong>", page)
    assert len(closest) == 3, page  # "the closest sections are listed below" — and they are
    at.button(key="search-all-1").click().run()
    assert not at.exception, at.exception
    again: Answer = at.session_state["messages"][-1]["answer"]
    assert again.question == INTERPRETERS and not again.abstained
    assert at.session_state["messages"][-1]["filters"].empty and at.sidebar.multiselect(key="f_reviews").value == []


# -- history --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_conversation_is_kept_reopened_renamed_and_deleted(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = index_copy(tmp_path / "history-home")
    at = start()
    question = f"Was Young Person F ever excluded from school? ({tmp_path.name})"
    answer = ask(at, question)

    later = start()  # another visit: the conversation is in the sidebar
    [conversation] = HistoryStore.in_home(home).conversations("local")
    assert conversation.title == question
    later.button(key=f"history_open_{conversation.id}").click().run()
    assert not later.exception, later.exception
    reopened: Answer = later.session_state["messages"][-1]["answer"]
    assert (reopened.text, reopened.citations) == (answer.text, answer.citations)
    assert any(NO_EXCLUSIONS in mark for mark in marked(later))  # its quotes are marked as when it was asked

    later.text_input(key=f"history_title_{conversation.id}").set_value("School exclusions")
    later.button(key=f"history_rename_{conversation.id}").click().run()
    assert HistoryStore.in_home(home).conversations("local")[0].title == "School exclusions"
    later.button(key=f"history_delete_{conversation.id}").click().run()
    assert HistoryStore.in_home(home).conversations("local") == []
    assert tmp_path.name.encode() not in (home / "history.sqlite3").read_bytes()  # gone from disk


def index_copy(home: Path) -> Path:
    """A copy of the shared seed index alone (no history or feedback), with CASEWISE_HOME pointing at it."""
    shutil.copytree(os.environ["CASEWISE_HOME"], home, ignore=shutil.ignore_patterns("history.*", "feedback.*"))
    os.environ["CASEWISE_HOME"] = str(home)  # restored by the app_env fixture's monkeypatch
    return home


@pytest.mark.integration
def test_history_off_keeps_nothing(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = index_copy(tmp_path / "no-history")
    app_env.setenv("CASEWISE_HISTORY", "off")
    at = start()
    ask(at, EXCLUDED)
    assert not (home / "history.sqlite3").exists()
    assert any("History is off here" in c.value for c in at.sidebar.caption)


@pytest.mark.integration
def test_a_question_with_personal_data_is_held_until_the_user_removes_it_or_asks_as_written(
    app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = index_copy(tmp_path / "private")
    at = start()
    private = "Was Young Person F ever excluded? Her mum's number is 07700 900123."
    at.chat_input[0].set_value(private).run()
    assert any("personal data (a phone)" in w.value for w in at.warning)
    assert not at.session_state["messages"] and not (home / "history.sqlite3").read_bytes().count(b"07700")
    next(b for b in at.button if b.label == "Remove it and ask").click().run()
    assert not at.exception, at.exception
    asked = at.session_state["messages"][-2]["content"]
    assert "07700" not in asked and "[phone]" in asked
    assert b"07700" not in (home / "history.sqlite3").read_bytes()  # never stored


@pytest.mark.integration
def test_conversations_older_than_the_retention_setting_are_deleted(
    app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = index_copy(tmp_path / "retention")
    store = HistoryStore.in_home(home)
    old = store.start("local", "An old question about exclusions")
    with sqlite3.connect(str(home / "history.sqlite3")) as db:
        db.execute("UPDATE conversations SET updated_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,))
    kept = store.start("local", "A recent question")
    app_env.setenv("CASEWISE_HISTORY_DAYS", "30")
    start()
    assert [c.id for c in store.conversations("local")] == [kept]
    assert b"An old question" not in (home / "history.sqlite3").read_bytes()


# -- feedback -------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_thumbs_down_with_a_reason_is_stored_and_shown_to_the_admin(
    app_env: pytest.MonkeyPatch, seed_home: Path
) -> None:
    at = start()
    answer = ask(at, EXCLUDED)
    at.get("feedback")[0].set_value(0).run()  # one click: saved at once
    entry_id = at.session_state["messages"][-1]["feedback_id"]
    [entry] = [e for e in FeedbackStore.in_home(seed_home).entries() if e.id == entry_id]
    assert not entry.helpful and entry.question == EXCLUDED and entry.owner == "local"
    assert entry.citations[0]["quote"] == answer.citations[0].quote
    assert entry.index_build == Catalog(seed_home / "casewise.sqlite3").get_meta("built_at")

    comment = f'=HYPERLINK("http://evil") {entry_id}'
    at.get("button_group")[0].set_value(["missed_something"])
    at.text_area(key="fb-comment-1").set_value(comment)
    at.button(key="FormSubmitter:feedback-1-Send").click().run()
    [entry] = [e for e in FeedbackStore.in_home(seed_home).entries() if e.id == entry_id]
    assert (entry.reasons, entry.comment) == (("missed_something",), comment)

    at.switch_page(FEEDBACK_PAGE).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[table["Comment"] == comment].iloc[0]
    assert (row["Helpful"], row["What was wrong"], row["Question"]) == ("No", "Missed something", EXCLUDED)
    assert str(seed_home) not in markdown(at) + "".join(c.value for c in at.caption)  # no server path


@pytest.mark.integration
def test_a_practitioner_sees_no_admin_pages(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    roles = tmp_path / "roles.toml"
    roles.write_text('local_role = "practitioner"\nadministrators = ["admin@example.org"]\n')
    app_env.setenv("CASEWISE_ROLES_FILE", str(roles))
    at = start()
    assert at.chat_input
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # the page is not offered at all
        at.switch_page(FEEDBACK_PAGE)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(MANAGE_PAGE)


@pytest.mark.integration
def test_sign_in_is_required_when_configured(app_env: pytest.MonkeyPatch) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x"}
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"] and not at.chat_input


# -- adding and removing reviews ------------------------------------------------------------------------------


def review_docx(path: Path) -> Path:
    """A short review written for this test, with headings a Word user would use."""
    document = docx.Document()
    document.add_heading("Local Child Safeguarding Practice Review: Child Q", level=0)
    document.add_heading("Background", level=1)
    document.add_paragraph("Child Q lived with a grandparent who kept a pet heron named Basil in the garden.")
    document.add_heading("Learning", level=1)
    document.add_paragraph("Practitioners should ask about every adult in the household, including lodgers.")
    document.save(str(path))
    return path


@pytest.mark.integration
def test_an_admin_uploads_a_review_and_a_bad_file_gets_its_message(
    app_env: pytest.MonkeyPatch, tmp_path: Path, real_embedder
) -> None:  # type: ignore[no-untyped-def]
    corpus, home = tmp_path / "corpus", tmp_path / "upload-home"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus)
    ingest([corpus], Settings.from_env(env={}, home=home), lambda: real_embedder)
    app_env.setenv("CASEWISE_HOME", str(home))
    at = start(MANAGE_PAGE)
    upload = review_docx(tmp_path / "child-q.docx").read_bytes()
    at.file_uploader[0].set_value(
        [
            ("child-q.docx", upload, "application/octet-stream"),
            ("broken.pdf", b"%PDF-1.4 not really", "application/pdf"),
        ]
    )
    at.button(key="FormSubmitter:upload-Add to the index").click().run()
    assert not at.exception, at.exception
    [added] = [s.value for s in at.success]
    assert added.startswith("Added\\: “Local Child Safeguarding Practice Review\\: Child Q”")
    [failed] = [e.value for e in at.error]
    assert failed.startswith("broken\\.pdf\\:") and str(corpus) not in failed
    assert sorted(p.name for p in corpus.iterdir()) == sorted([*(p.name for p in SEED_FILES), "child-q.docx"])
    actions = [(e.action, e.target) for e in resources.audit(Settings.from_env()).entries()]
    assert any(action == "ingested" and "child-q" in target for action, target in actions), actions
    assert ("ingest-failed", "broken.pdf") in actions

    at.switch_page("casewise/ui/pages/ask.py").run()
    answer = ask(at, "What pet did Child Q's grandparent keep?")
    assert not answer.abstained and "heron" in answer.text

    at.switch_page(MANAGE_PAGE).run()
    index = Catalog(home / "casewise.sqlite3").review_index()
    child_q = next(rid for rid, meta in index.items() if "Child Q" in meta.title)
    at.selectbox(key="rm_review").set_value(child_q)
    at.checkbox(key="rm_sure").check().run()
    at.button(key="rm_go").click().run()
    assert not at.exception, at.exception
    assert child_q not in Catalog(home / "casewise.sqlite3").review_index()
    assert not (corpus / "child-q.docx").exists()
    assert ("removed", child_q) in [(e.action, e.target) for e in resources.audit(Settings.from_env()).entries()]


# -- start-up, bad settings, language models ------------------------------------------------------------------


@pytest.mark.integration
def test_a_missing_index_is_built_from_the_corpus_and_a_skipped_file_is_named(
    app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home, corpus = tmp_path / "fresh", tmp_path / "corpus"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus / path.name)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n% not a real PDF body\n")
    app_env.setenv("CASEWISE_HOME", str(home))
    app_env.setenv("CASEWISE_CORPUS", str(corpus))
    at = start()
    assert Catalog(home / "casewise.sqlite3").chunk_count() > 0
    built, skipped = [c.value for c in at.sidebar.caption][-2:]
    assert built == html.md_escape("Index built: 2 reviews from corpus/")
    assert skipped.startswith(html.md_escape("Skipped a file: broken.pdf: not a readable PDF"))
    assert html.md_escape(str(tmp_path)) not in skipped  # no server folders on the page
    answer = ask(at, EXCLUDED)
    assert answer.citations and NO_EXCLUSIONS in answer.citations[0].quote


@pytest.mark.integration
def test_the_page_paints_before_the_model_is_ready(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The first run shows the chat box and a progress bar; it does not wait for the pipeline."""
    index_copy(tmp_path / "slow")
    app_env.setattr(resources, "_load", lambda settings, state, sync: None)  # a load that has not finished yet
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert at.chat_input and at.get("progress")
    assert "Getting ready" in at.get("progress")[0].proto.text


@pytest.mark.integration
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"CASEWISE_ANSWERER": "gpt"}, "unknown answerer 'gpt'; set CASEWISE_ANSWERER to one of"),
        ({"CASEWISE_HISTORY": "maybe"}, "CASEWISE_HISTORY must be on or off"),
    ],
)
def test_a_bad_setting_stops_the_app_with_its_fix(
    app_env: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        app_env.setenv(name, value)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith("Casewise cannot start: ") and message in error.value
    assert not at.chat_input


@pytest.mark.integration
def test_a_dead_llm_backend_is_named_with_its_secrets_redacted(app_env: pytest.MonkeyPatch) -> None:
    url = "http://casewise:s3cret@127.0.0.1:9/v1?api_key=sk-123"
    app_env.setenv("CASEWISE_ANSWERER", "openai")
    app_env.setenv("CASEWISE_LLM_BASE_URL", url)
    app_env.setenv("CASEWISE_LLM_MODEL", "local-model")
    app_env.setenv("CASEWISE_LLM_TIMEOUT_S", "5")
    at = start()
    answer = ask(at, EXCLUDED)
    assert answer.answerer == "extractive" and answer.citations
    shown = markdown(at) + "".join(m.value for m in at.sidebar.markdown) + "".join(w.value for w in at.warning)
    assert "s3cret" not in shown and "sk-123" not in shown
    assert any("\\*\\*\\*\\@127\\.0\\.0\\.1\\:9" in m.value for m in at.sidebar.markdown)
    assert any("could not be reached" in w.value for w in at.warning)


@pytest.mark.integration
def test_a_live_llm_answer_is_streamed_and_cited(app_env: pytest.MonkeyPatch) -> None:
    def script(request: dict) -> Reply:
        prompt = user_prompt(request)
        block = next(n for n, text in re.findall(r"<<<DATA (\d+)>>>(.*?)<<<END", prompt, re.S) if "8 occasions" in text)
        return Reply(f"Police referred Young Person F to CSC on 8 occasions [{block}].")

    with StubOpenAI(script) as server:
        app_env.setenv("CASEWISE_ANSWERER", "openai")
        app_env.setenv("CASEWISE_LLM_BASE_URL", server.base_url)
        app_env.setenv("CASEWISE_LLM_MODEL", "stub")
        at = start()
        answer = ask(at, "How many times did police refer Young Person F to CSC?")
    assert answer.answerer == "openai"
    assert answer.text == "Police referred Young Person F to CSC on 8 occasions [1]."
    assert server.requests[-1].get("stream") is True
    assert "Rapid Reviews: Young Person F — Background" in markdown(at)


# -- `casewise app` ------------------------------------------------------------------------------------------


def test_app_command_passes_streamlit_options_through(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    launched: list[tuple[list[str], dict[str, str], bool]] = []
    monkeypatch.setattr(app_cmd, "launch", lambda args, env, sync: launched.append((args, env, sync)) or 0)
    monkeypatch.setenv("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "true")
    monkeypatch.chdir(tmp_path)
    argv = ["app", "--home", "rel-home", "--no-ingest", "--server.port", "8600", "--server.headless=true"]
    assert main(argv) == 0
    assert main(argv[:3]) == 0
    [(args, env, sync), (_, _, synced)] = launched
    assert args == ["--server.port", "8600", "--server.headless=true"]
    assert not sync and synced  # --no-ingest: the index is not brought in step with corpus/ first
    assert env["CASEWISE_HOME"] == str((tmp_path / "rel-home").resolve())
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert env["STREAMLIT_SERVER_HEADLESS"] == "true" and env["STREAMLIT_CLIENT_TOOLBAR_MODE"] == "minimal"
    assert env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] == "none"


def test_app_command_starts_the_load_that_the_page_then_finds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from streamlit.web import cli

    monkeypatch.setattr(resources, "_LOADS", {})
    started: list[bool] = []
    ran = threading.Event()
    monkeypatch.setattr(resources, "_load", lambda settings, state, sync: started.append(sync) or ran.set())
    served: list[tuple[list[str], resources.Loading]] = []

    def serve(args: list[str], prog_name: str) -> int:
        served.append((args, resources.loading(resources.settings())))  # what the page's first run gets
        return 0

    monkeypatch.setattr(cli, "main", serve)
    env = app_cmd.app_environment(Settings.from_env(env={}, home=tmp_path / "home"), os.environ)
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # launch() sets them for the server; restored after the test
    assert app_cmd.launch(["--server.port", "8600"], env, sync=True) == 0
    [(args, state)] = served
    assert args == ["run", str(app_cmd.APP), "--server.port", "8600"]
    assert ran.wait(TIMEOUT) and started == [True]
    assert list(resources._LOADS.values()) == [state]  # one load, begun before serving


def loaded(settings: Settings, sync: bool = True) -> resources.Loading:
    """One background load run to its end (here, in this thread)."""
    state = resources.Loading()
    resources._load(settings, state, sync)
    assert state.error is None, state.error
    return state


def test_the_app_brings_the_index_in_step_incrementally(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(resources, "embedder", lambda name: HashingEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus / path.name)
    settings = Settings.from_env(env={"CASEWISE_CORPUS": str(corpus)}, home=tmp_path / "home")
    assert loaded(settings).built == ["Index built: 2 reviews from corpus/"]
    assert loaded(settings).built == []  # nothing changed: files are hashed, nothing is indexed again
    (corpus / SEED_FILES[0].name).unlink()
    state = loaded(settings)
    assert len(state.index.reviews()) == 1 and state.casewise is not None
    err = capsys.readouterr().err
    assert f"index in step with {corpus}: 2 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in err
    assert f"index in step with {corpus}: 0 added, 0 updated, 1 unchanged, 1 removed, 0 failed" in err
    runs = re.findall(r"casewise app: indexing: (\d+/\d+) files, (\d+) chunks indexed in", err)
    assert [files for files, _ in runs] == ["2/2", "2/2", "1/1"]
    assert int(runs[0][1]) > 0 and [chunks for _, chunks in runs[1:]] == ["0", "0"]


def test_a_first_start_waits_for_another_ingest_then_builds_the_index(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    state = resources.Loading()
    steps: list[str] = []  # what the page says while each batch is encoded

    class Watched(HashingEmbedder):
        def encode(self, texts: list[str]) -> np.ndarray:
            steps.append(state.step)
            return super().encode(texts)

    monkeypatch.setattr(resources, "embedder", lambda name: Watched())
    settings = Settings.from_env(env={"CASEWISE_CORPUS": str(CORPUS)}, home=tmp_path / "home")
    with ingest_lock_held(settings.home):  # as `casewise ingest` in another terminal holds it
        worker = threading.Thread(target=resources._load, args=(settings, state, True))
        worker.start()
        while not state.step.startswith("Waiting"):
            assert worker.is_alive(), state.error
            time.sleep(0.05)
        assert state.step == "Waiting for another ingest of this index to finish…" and not state.done.is_set()
    worker.join(TIMEOUT)
    assert state.error is None and state.built == ["Index built: 2 reviews from corpus/"]
    building = "Building the index from corpus/ (first start only): "
    assert steps and all(re.match(re.escape(building) + r"\d/2 files", step) for step in steps), steps


def test_the_audit_log_is_append_only_sqlite(tmp_path: Path) -> None:
    log = resources.audit(Settings.from_env(env={}, home=tmp_path))
    log.record("a@example.org", "exported", "feedback.csv")
    log.record("b@example.org", "removed", "child-x", "Review X")
    assert [(e.user_id, e.action, e.target) for e in log.entries()] == [
        ("b@example.org", "removed", "child-x"),
        ("a@example.org", "exported", "feedback.csv"),
    ]
    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM audit").fetchone() == (2,)
