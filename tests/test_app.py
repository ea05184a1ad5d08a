"""The Streamlit app through AppTest (real model, real index over the seed corpus) and `casewise app`."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SEED_FILES, HashingEmbedder
from openai_stub import Reply, StubOpenAI, user_prompt
from streamlit.testing.v1 import AppTest

from casewise.cli import main
from casewise.commands import app_cmd
from casewise.feedback import FeedbackStore
from casewise.ui import html
from ingest.catalog import Catalog
from ingest.pipeline import ingest
from ingest.settings import Settings
from retriever.models import Answer, Citation

APP = ROOT / "app.py"
YPF = "young-person-f-rapid-review"
CHILD_M = "child-m-serious-case-review"
EXCLUDED = "Was Young Person F ever excluded from school?"
NO_EXCLUSIONS = "Young Person F was one of several siblings and had good school attendance, no exclusions"
TIMEOUT = 180  # the first run in a process imports sentence-transformers and loads the model


@pytest.fixture(scope="session")
def seed_home(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """An index over corpus/ built once with the real model; the app tests share it."""
    home = tmp_path_factory.mktemp("app") / "home"
    report = ingest([CORPUS], Settings.from_env(env={}, home=home), lambda: real_embedder)
    assert not report.failed
    return home


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, seed_home: Path) -> pytest.MonkeyPatch:
    """A clean environment whose CASEWISE_HOME is the seed index."""
    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(seed_home))
    return monkeypatch


def start() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> Answer:
    """Ask through the chat input; the answer the page stored for the last assistant message."""
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at.session_state["messages"][-1]["answer"]


def source_labels(at: AppTest) -> list[str]:
    return [e.label.replace("\\", "") for e in at.expander if re.match(r"\\?\[\d+", e.label)]


def marked(at: AppTest) -> list[str]:
    """The text inside each <mark> the page shows."""
    return [m for md in at.markdown for m in re.findall(r"<mark[^>]*>(.*?)</mark>", md.value)]


# -- asking --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_seed_question_gets_a_cited_answer_with_its_quote_highlighted(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    assert any("do not replace professional judgement" in i.value for i in at.info)
    assert any("Rapid Reviews: Young Person F" in m.value for m in at.sidebar.markdown)
    assert any(e.label.startswith("Index: 2 reviews, built ") for e in at.sidebar.expander)
    answer = ask(at, EXCLUDED)
    assert not answer.abstained and answer.citations
    [assistant] = [m for m in at.chat_message if m.name == "assistant"]
    linked = "[\\[1\\]](#cw-src-1-1)"  # the marker links to its source below
    assert any(NO_EXCLUSIONS in md.value and linked in md.value for md in assistant.markdown)
    assert source_labels(at)[0] == "[1] Rapid Reviews: Young Person F — Background, page 1"
    assert any(NO_EXCLUSIONS in m for m in marked(at))
    assert any(html.QUOTE_LABEL in md.value for md in assistant.markdown)


@pytest.mark.integration
def test_a_citation_opens_the_whole_review_at_the_cited_section(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    citation: Citation = ask(at, EXCLUDED).citations[0]
    at.button(key=f"open-1-{citation.marker}").click().run()
    assert not at.exception, at.exception
    assert at.query_params == {"review": YPF, "start": str(citation.start), "end": str(citation.end)}
    assert at.title[0].value == "Read a review"
    assert [s.value for s in at.subheader] == [
        "▶ Background (cited)",
        "Family Circumstances",
        "Learning (1 of 2)",
        "Learning (2 of 2)",
    ]
    assert marked(at) == [html.escape(citation.quote)]
    outline = next(md.value for md in at.markdown if md.value.startswith("**Sections**"))
    assert "1. [Background](#cw-sec-1) — **▶ cited**" in outline


@pytest.mark.integration
def test_a_follow_up_passes_the_history(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    ask(at, "How many times did police refer Young Person F to CSC?")
    answer = ask(at, "Did they have a child protection plan?")
    assert answer.standalone_question != answer.question and "Young Person F" in answer.standalone_question
    assert len([m for m in at.chat_message if m.name == "assistant"]) == 2


@pytest.mark.integration
def test_filtering_to_child_m_keeps_young_person_f_out(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.multiselect(key="f_reviews").set_value([CHILD_M]).run()
    answer = ask(at, EXCLUDED)
    assert answer.abstained or {c.review_id for c in answer.citations} == {CHILD_M}
    assert {h.chunk.review_id for h in answer.evidence} == {CHILD_M}
    assert not any("Young Person F" in label for label in source_labels(at))
    assert any(m.value == "*Searched only reviews: Serious Case Review: Child M*" for m in at.markdown)


@pytest.mark.integration
def test_section_filter_restricts_the_evidence(app_env: pytest.MonkeyPatch) -> None:
    at = start()
    at.sidebar.multiselect(key="f_sections").set_value(["Learning"]).run()
    answer = ask(at, "What should professionals do when they disagree with a referral decision?")
    assert {h.chunk.section for h in answer.evidence} == {"Learning"}


# -- feedback ------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_feedback_is_saved_and_listed_on_the_feedback_page(app_env: pytest.MonkeyPatch, seed_home: Path) -> None:
    at = start()
    answer = ask(at, EXCLUDED)
    comment = f"Should mention the sibling's exclusion ({id(at)})"
    at.button(key="FormSubmitter:feedback-1-Send feedback").click().run()
    assert any("Choose “Helpful” or “Not helpful” first" in w.value for w in at.warning)
    at.radio(key="fb-verdict-1").set_value("Not helpful")
    at.text_area(key="fb-comment-1").set_value(comment)
    at.button(key="FormSubmitter:feedback-1-Send feedback").click().run()
    assert not at.exception, at.exception
    assert any("your feedback was saved" in s.value for s in at.success)

    [entry] = [e for e in FeedbackStore.in_home(seed_home).entries() if e.comment == comment]
    assert (entry.question, entry.answer, entry.answerer) == (EXCLUDED, answer.text, "extractive")
    assert not entry.helpful and entry.citations[0]["quote"] == answer.citations[0].quote

    at.switch_page("casewise/ui/pages/feedback.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    row = table[table["Comment"] == comment].iloc[0]
    assert (row["Helpful"], row["Question"], row["Answerer"]) == ("No", EXCLUDED, "extractive")


def test_feedback_store_round_trip(tmp_path: Path) -> None:
    store = FeedbackStore.in_home(tmp_path / "home")
    citation = Citation(
        1,
        "c1",
        YPF,
        "Rapid Reviews: Young Person F",
        "Background",
        "Background",
        ("Background",),
        (1,),
        45,
        60,
        "no exclusions",
    )
    answer = Answer(
        question="q?", text="a [1]", citations=(citation,), abstained=False, answerer="extractive", evidence=()
    )
    first = store.add(answer, helpful=True)
    second = store.add(answer, helpful=False, comment="  too short  ")
    assert (first, second) == (1, 2)
    newest, oldest = store.entries()
    assert (newest.helpful, newest.comment, oldest.helpful) == (False, "too short", True)
    assert newest.citations == (citation.to_dict(),)
    assert (tmp_path / "home" / "feedback.sqlite3").is_file()


# -- index missing, backend dead -----------------------------------------------------------------------------


@pytest.mark.integration
def test_a_missing_index_is_built_from_the_corpus(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    app_env.setenv("CASEWISE_HOME", str(home))
    at = start()
    [status] = at.status
    assert status.label == "Index built: 2 reviews from corpus/"
    assert status.proto.state == status.proto.COMPLETE
    assert at.get("progress")[0].value == 100
    assert Catalog(home / "casewise.sqlite3").chunk_count() > 0
    answer = ask(at, EXCLUDED)
    assert answer.citations and NO_EXCLUSIONS in answer.citations[0].quote


@pytest.mark.integration
def test_a_dead_llm_backend_is_named_and_the_offline_answer_shown(app_env: pytest.MonkeyPatch) -> None:
    url = "http://127.0.0.1:9/v1"
    app_env.setenv("CASEWISE_ANSWERER", "openai")
    app_env.setenv("CASEWISE_LLM_BASE_URL", url)
    app_env.setenv("CASEWISE_LLM_MODEL", "local-model")
    app_env.setenv("CASEWISE_LLM_TIMEOUT_S", "5")
    at = start()
    assert any("openai `local-model` at http://127.0.0.1:9/v1" in m.value for m in at.sidebar.markdown)
    answer = ask(at, EXCLUDED)
    assert answer.answerer == "extractive" and answer.citations
    [assistant] = [m for m in at.chat_message if m.name == "assistant"]
    notices = [w.value for w in assistant.warning]
    assert any(f"The language model at {url} could not be reached" in n and "offline answerer" in n for n in notices), (
        notices
    )
    assert any(NO_EXCLUSIONS in m for m in marked(at))


@pytest.mark.integration
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"CASEWISE_ANSWERER": "gpt"}, "unknown answerer 'gpt'; set CASEWISE_ANSWERER to one of"),
        ({"CASEWISE_ANSWERER": "openai"}, "the openai answerer needs CASEWISE_LLM_BASE_URL and CASEWISE_LLM_MODEL"),
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
    assert source_labels(at)[0].startswith("[1] Rapid Reviews: Young Person F — Background")


# -- `casewise app` ------------------------------------------------------------------------------------------


def test_app_command_passes_streamlit_options_through(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    launched: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(app_cmd, "launch", lambda command, env: launched.append((command, env)) or 0)
    monkeypatch.setattr(app_cmd, "sync_index", lambda settings: pytest.fail("--no-ingest must skip the sync"))
    monkeypatch.setenv("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "true")
    monkeypatch.chdir(tmp_path)
    argv = ["app", "--home", "rel-home", "--no-ingest", "--server.port", "8600", "--server.headless=true"]
    assert main(argv) == 0
    [(command, env)] = launched
    assert command == [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        "8600",
        "--server.headless=true",
    ]
    assert env["CASEWISE_HOME"] == str((tmp_path / "rel-home").resolve())
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert env["STREAMLIT_SERVER_HEADLESS"] == "true" and env["STREAMLIT_CLIENT_TOOLBAR_MODE"] == "minimal"
    assert env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] == "none"


def test_app_command_brings_the_index_in_step_incrementally(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loads: list[str] = []
    monkeypatch.setattr(app_cmd, "load_embedder", lambda name: loads.append(name) or HashingEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, corpus / path.name)
    settings = Settings.from_env(env={}, home=tmp_path / "home")
    app_cmd.sync_index(settings, corpus)
    app_cmd.sync_index(settings, corpus)  # nothing changed: files are hashed, the model is not loaded
    (corpus / SEED_FILES[0].name).unlink()
    app_cmd.sync_index(settings, corpus)
    assert len(loads) == 1
    err = capsys.readouterr().err
    assert "2 added, 0 updated, 0 unchanged, 0 removed, 0 failed" in err
    assert "0 added, 0 updated, 2 unchanged, 0 removed, 0 failed" in err
    assert "0 added, 0 updated, 1 unchanged, 1 removed, 0 failed" in err


def test_highlighting_escapes_the_review_text() -> None:
    text = "Before <b>$5</b>\n\nthe quoted words & more"
    start = text.index("the quoted")
    out = html.highlighted(text, start, start + len("the quoted words"))
    assert "<b>" not in out and "&lt;b&gt;&#36;5&lt;/b&gt;" in out and "\n" not in out
    assert re.search(r"▶ quoted:</span> <mark[^>]*>the quoted words</mark>", out)
    assert html.answer_markdown("It cost $5 [2].", 3) == "It cost \\$5 [\\[2\\]](#cw-src-3-2)."
