"""What the app builds once per process (settings, model, index, pipeline, brief builder), loaded in the background.

The page and the chat box paint at once; the model loads (and the index is brought in step with corpus/, or built
on a first start) in a thread, with its progress shown until it is ready. `casewise app` starts that thread with
the server, before anyone visits; `streamlit run` starts it on the first visit. Pages that need these wait for
them; each page is handed only what it uses (the index for reading reviews, the pipeline for answers, the brief
builder for briefs).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from casewise.answer_export import DISCLAIMER
from casewise.audit import AuditLog
from core.errors import CasewiseError, IndexMissingError
from core.settings import Settings

if TYPE_CHECKING:
    from casewise.library import Library  # for its type only: it imports the whole ingest pipeline

BANNER = DISCLAIMER
POLL_S = 0.5
_LOADS: dict[Settings, Loading] = {}
_EMBEDDERS: dict[str, Any] = {}
_STARTING = threading.Lock()


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
    built: list[str] = field(default_factory=list)  # lines about a first index build and skipped files
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


def embedder(name: str):
    """The embedding model, loaded once per process (whichever thread asks first loads it)."""
    with _STARTING:
        if name not in _EMBEDDERS:
            from ingest.embedding import load_embedder

            _EMBEDDERS[name] = load_embedder(name)
        return _EMBEDDERS[name]


def loading(settings: Settings, sync: bool = False) -> Loading:
    """The background load for these settings, started by the first call in the process. With sync, it first
    brings the index in step with corpus/ (as `casewise app` asks); otherwise it builds one only when missing."""
    with _STARTING:
        if settings not in _LOADS:
            state = _LOADS[settings] = Loading()
            threading.Thread(target=_load, args=(settings, state, sync), name="casewise-load", daemon=True).start()
        return _LOADS[settings]


def _load(settings: Settings, state: Loading, sync: bool = False) -> None:
    try:
        if sync and corpus(settings).is_dir() or not index_ready(settings):
            _build(settings, state)
        state.step, state.fraction = "Loading the embedding model…", max(state.fraction, 0.3)
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
    """Bring the index in step with corpus/ (building it on a first start), its progress on the page and on
    stderr; waits first for another ingest of this index to finish."""
    from casewise.library import public_message
    from casewise.progress import ProgressLine, describe
    from ingest.pipeline import FileStatus, Tally, ingest, ingest_running

    folder = corpus(settings)
    first = not index_ready(settings)
    while ingest_running(settings.home):
        state.step = "Waiting for another ingest of this index to finish…"
        time.sleep(POLL_S)
    if first and index_ready(settings):  # that ingest built it
        return
    doing = f"Building the index from {folder.name}/ (first start only)" if first else f"Checking {folder.name}/"
    terminal = ProgressLine("casewise app: indexing")
    started = time.monotonic()

    def track(tally: Tally) -> None:
        state.fraction = 0.3 * (tally.files_done / tally.files if tally.files else 1.0)
        state.step = f"{doing}: {describe(tally, time.monotonic() - started)}"
        terminal(tally)

    report = ingest([folder], settings, lambda: embedder(settings.embedding_model), tracker=track)
    counts = ", ".join(f"{report.count(s)} {s}" for s in FileStatus if s != FileStatus.FAILED)
    terminal.note(f"index in step with {folder}: {counts}, {len(report.failed)} failed")
    for failure in report.failed:
        terminal.note(f"warning: {failure.message}")
    if first:
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
    """What the background load opened, waiting for it (its progress shown) if need be."""
    state = loading(settings)
    if not state.done.is_set():
        shown = st.empty()
        while not state.done.wait(POLL_S):  # how far it has got, kept up to date while the page waits
            shown.progress(state.fraction, text=f"Getting ready: {state.step} Your question is answered then.")
        shown.empty()
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
    from casewise.library import Library

    return Library(settings, corpus(settings), lambda: embedder(settings.embedding_model), audit(settings))


def page_header(title: str, subtitle: str | None = None) -> None:
    """Every page's title and the standing reminder of what the answers are."""
    st.title(title)
    if subtitle:
        st.markdown(subtitle)
    st.info(BANNER)
