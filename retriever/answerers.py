"""What every answerer provides, and the error an unavailable one raises so the pipeline can fall back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from core.errors import CasewiseError
from retriever.models import Draft, Hit, ScoredUnit, Turn


class AnswererUnavailable(CasewiseError):
    """The configured language model could not give a usable answer (down, slow, junk); the message says why."""


class GenerativeAnswerer(Protocol):
    """An answerer backed by a language model (see retriever/llm.py)."""

    name: str

    def draft(
        self,
        question: str,
        evidence: Sequence[Hit],
        scored: Sequence[ScoredUnit],
        on_token: Callable[[str], None] | None = None,
    ) -> Draft: ...

    def rewrite(self, question: str, history: Sequence[Turn]) -> str: ...
