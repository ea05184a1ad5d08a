"""What the app builds once per process (settings, model, pipeline), and the index when it is missing."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from ingest.catalog import Catalog
from ingest.embedding import Embedder, load_embedder
from ingest.errors import CasewiseError
from ingest.pipeline import ingest
from ingest.settings import Settings
from retriever.pipeline import Casewise

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
BANNER = (
    "Answers come from published case reviews. They do not replace professional judgement "
    "or your local safeguarding procedures."
)


def settings() -> Settings:
    """Settings from the environment, read on every run (cheap); a bad setting stops the page with its fix."""
    try:
        return Settings.from_env()
    except CasewiseError as exc:
        st.error(f"Casewise cannot start: {exc}")
        st.stop()
        raise  # unreachable: st.stop() ends the run


@st.cache_resource(show_spinner="Loading the embedding model…")
def embedder(name: str) -> Embedder:
    return load_embedder(name)


@st.cache_resource(show_spinner="Opening the index…")
def _open(settings: Settings) -> Casewise:
    return Casewise.open(settings, embedder(settings.embedding_model))


def pipeline(settings: Settings) -> Casewise:
    """The pipeline for these settings, opened once per process and shared by every session."""
    try:
        return _open(settings)
    except CasewiseError as exc:
        st.error(f"Casewise cannot start: {exc}")
        st.stop()
        raise


@st.cache_resource
def _build_lock() -> threading.Lock:
    return threading.Lock()


@st.cache_resource
def _ready_homes() -> set[Path]:
    return set()


def index_ready(settings: Settings) -> bool:
    return settings.db_path.exists() and Catalog(settings.db_path).chunk_count() > 0


def ensure_index(settings: Settings, corpus: Path = CORPUS) -> None:
    """Build the index from corpus/ with visible progress when it is missing or empty (first start)."""
    ready = _ready_homes()
    if settings.home in ready:  # checked once per process, not on every rerun
        return
    with _build_lock():  # two sessions opening the app at once build it once
        if not index_ready(settings):
            _build(settings, corpus)
        ready.add(settings.home)


def _build(settings: Settings, corpus: Path) -> None:
    with st.status(f"Building the index from {corpus.name}/ (first start only)…", expanded=True) as status:
        bar = st.progress(0.0, text="Looking for review files…")

        def progress(done: int, total: int, path: str) -> None:
            text = f"Indexing {Path(path).name} ({done + 1} of {total})" if path else "Finishing…"
            bar.progress(done / total if total else 1.0, text=text)

        def model() -> Embedder:
            st.write("Loading the embedding model…")
            return embedder(settings.embedding_model)

        report = ingest([corpus], settings, model, progress=progress)
        for result in report.results:
            if result.status in ("added", "updated"):
                st.write(f"Indexed **{result.title}**: {result.sections} sections, {result.chunks} passages")
        for failure in report.failed:
            st.warning(f"Skipped a file: {failure.message}")
        if not index_ready(settings):
            status.update(label="No index could be built", state="error", expanded=True)
            st.error(
                f"No review could be indexed from {corpus}. Add review files (.txt, .md, .pdf, .docx, "
                ".html) there, or run `casewise ingest PATH`, then reload this page."
            )
            st.stop()
        added = report.count("added") + report.count("updated")
        status.update(
            label=f"Index built: {added} review{'s' if added != 1 else ''} from {corpus.name}/",
            state="complete",
            expanded=False,
        )


def page_header(title: str, subtitle: str | None = None) -> None:
    """Every page's title and the standing reminder of what the answers are."""
    st.title(title)
    if subtitle:
        st.markdown(subtitle)
    st.info(BANNER, icon=":material/info:")
