"""Language-model answerers through LangChain chat models (OpenAI-compatible, Ollama, llama.cpp)."""

from __future__ import annotations

from ingest.settings import Settings
from retriever.answerers import GenerativeAnswerer


def generator_from_settings(settings: Settings) -> GenerativeAnswerer | None:
    """The configured language-model answerer, or None for the offline answerer."""
    return None
