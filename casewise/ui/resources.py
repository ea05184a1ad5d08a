"""What the app builds once per process (settings, model, index, pipeline, brief builder), loaded in the background.

The page and the chat box paint at once; the model loads (and, on a first start, the index is built) in a
thread, with its progress shown until it is ready. Pages that need these wait for them; each page is handed
only what it uses (the index for reading reviews, the pipeline for answers, the brief builder for briefs).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from casewise.answer_export import DISCLAIMER
from casewise.audit import AuditLog
from casewise.library import Library, public_message
from core.errors import CasewiseError, IndexMissingError
from core.settings import Settings

BANNER = DISCLAIMER
POLL_S = 0.5


@dataclass
class Loading:
    """The background start-up: how far it has got, then what it opened or the error that stopped it.
    (The retriever's classes are imported lazily: they are slow to import.)"""

    step: str = "Starting…"
    fraction: float = 0.0
    index: Any = None  # retriever.index.Index
    casewise: Any = None  # retriever.pipeline.Casewise
    briefs: Any = None  # trainer.brief.BriefBuilder
    themes: tuple = ()  # the theme taxonomy (ingest.themes.Theme)
    error: str | None = None
    built: list[str] = field(default_factory=list)  # lines about a first index build, shown once ready
    done: threading.Event = field(default_factory=threading.Event)


def settings() -> Settings:
    """Settings from the environment, read on every run (cheap); a bad setting stops the page with its fix."""
    try:
        return Settings.from_env()
    except CasewiseError as exc:
        st.error(f"Casewise cannot start: {exc}")
        st.stop()
        raise  # unreachable: st.stop() ends the run


def corpus(settings: Settings) -> Path:
    return settings.corpus_dir


@st.cache_resource(show_spinner=False)
def embedder(name: str):
    """The embedding model, loaded once per process."""
    from ingest.embedding import load_embedder

    return load_embedder(name)


@st.cache_resource(show_spinner=False)
def loading(settings: Settings) -> Loading:
    """Start loading the pipeline for these settings in the background, once per process."""
    state = Loading()
    threading.Thread(target=_load, args=(settings, state), name="casewise-load", daemon=True).start()
    return state


def _load(settings: Settings, state: Loading) -> None:
    try:
        if not index_ready(settings):
            _build(settings, state)
        state.step, state.fraction = "Loading the language libraries and the embedding model…", max(state.fraction, 0.3)
        model = embedder(settings.embedding_model)
        state.step, state.fraction = "Opening the index…", 0.9
        _open(settings, model, state)
        state.step, state.fraction = "Ready", 1.0
    except CasewiseError as exc:
        state.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - shown on the page rather than lost in a thread
        state.error = f"{type(exc).__name__}: {exc}"
    finally:
        state.done.set()


def _open(settings: Settings, model: Any, state: Loading) -> None:
    """The app's parts, each opened once and shared: one index, one searcher, one answerer."""
    from ingest.themes import load_themes
    from retriever.index import Index
    from retriever.llm import generator_from_settings
    from retriever.pipeline import Casewise
    from trainer.brief import BriefBuilder

    generator = generator_from_settings(settings)
    themes = load_themes(settings.themes_path)
    index = Index.open(settings)
    searcher = index.searcher(model)
    state.casewise = Casewise(index, searcher, generator, themes)
    state.briefs = BriefBuilder(index, searcher, generator, themes)
    state.index, state.themes = index, themes


def index_ready(settings: Settings) -> bool:
    from retriever.index import Index

    try:
        Index.open(settings).catalog.close()
    except IndexMissingError:
        return False
    return True


def _build(settings: Settings, state: Loading) -> None:
    from ingest.pipeline import FileStatus, ingest

    folder = corpus(settings)

    def progress(done: int, total: int, path: str) -> None:
        state.fraction = 0.3 * (done / total if total else 1.0)
        state.step = f"Building the index (first start only): {done + 1} of {total} files" if path else "Finishing…"

    report = ingest([folder], settings, lambda: embedder(settings.embedding_model), progress=progress)
    added = report.count(FileStatus.ADDED) + report.count(FileStatus.UPDATED)
    state.built.append(f"Index built: {added} review{'s' if added != 1 else ''} from {folder.name}/")
    state.built += [f"Skipped a file: {public_message(f)}" for f in report.failed]
    if not index_ready(settings):
        raise CasewiseError(
            f"no review could be indexed from {folder.name}/. Add review files (.txt, .md, .pdf, .docx, .html) "
            "there, or run `casewise ingest PATH`, then reload this page"
        )


def progress_panel(settings: Settings) -> bool:
    """Show start-up progress while the pipeline loads; True once it is ready (then nothing is shown)."""
    state = loading(settings)
    if state.done.is_set():
        _stop_on_error(state)
        return True

    @st.fragment(run_every=POLL_S)
    def panel() -> None:
        if state.done.is_set():
            st.rerun()  # the whole page, now with the pipeline
        st.progress(state.fraction, text=f"Getting ready: {state.step} You can type your question meanwhile.")

    panel()
    return False


def ready(settings: Settings) -> Loading:
    """What the background load opened, waiting (with a spinner) for it if need be."""
    state = loading(settings)
    if not state.done.is_set():
        with st.spinner(f"Getting ready: {state.step}"):
            state.done.wait()
    _stop_on_error(state)
    return state


def pipeline(settings: Settings):
    """The question-answering pipeline (retriever.pipeline.Casewise) for these settings."""
    return ready(settings).casewise


def index(settings: Settings):
    """The open index (retriever.index.Index): the reviews, their sections and texts."""
    return ready(settings).index


def _stop_on_error(state: Loading) -> None:
    if state.error:
        st.error(f"Casewise cannot start: {state.error}")
        st.stop()


def audit(settings: Settings) -> AuditLog:
    return AuditLog.in_home(settings.home)


def library(settings: Settings) -> Library:
    return Library(settings, corpus(settings), lambda: embedder(settings.embedding_model), audit(settings))


def page_header(title: str, subtitle: str | None = None) -> None:
    """Every page's title and the standing reminder of what the answers are."""
    st.title(title)
    if subtitle:
        st.markdown(subtitle)
    st.info(BANNER)
