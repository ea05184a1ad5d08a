"""Theme tags for chunks, computed at ingest from cue phrases and embedding similarity to each theme.

A chunk's score for a theme is its embedding similarity to the theme's profile (name, description and
cues), plus a bonus when one of the theme's cue phrases occurs in its text; the chunk is tagged when the score
reaches the threshold. Both numbers were set on the hand-labelled sample in evals/theme_labels.jsonl by
`python -m evals.theme_tagging --fit`, which also prints the precision and recall they give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.embedding import Embedder
from ingest.models import Chunk
from ingest.themes import Theme

TAGGER_VERSION = "cue+embedding-v1"


@dataclass(frozen=True)
class TagRule:
    """score = similarity + cue_bonus (when a cue phrase occurs); tagged when score >= threshold."""

    threshold: float
    cue_bonus: float

    def score(self, similarity: float, cue: bool) -> float:
        return similarity + (self.cue_bonus if cue else 0.0)

    def tagged(self, similarity: float, cue: bool) -> bool:
        return self.score(similarity, cue) >= self.threshold

    def scores(self, similarities: np.ndarray, cues: np.ndarray) -> np.ndarray:
        """The rule's scores for (texts x themes) similarities and a same-shaped boolean matrix of cues."""
        return similarities + self.cue_bonus * cues.astype(similarities.dtype)


# Fit on the dev split of evals/theme_labels.jsonl (best micro-F1): a cue phrase tags a chunk unless the
# chunk is plainly about something else (similarity below 0.58 - 0.60 = -0.02, rare); without a cue the
# similarity alone must reach 0.58, which only close paraphrases do. With this small model, similarity alone
# is a weak tagger (precision and recall near 0.4): cues make most decisions and the similarity mostly ranks.
DEFAULT_RULE = TagRule(threshold=0.58, cue_bonus=0.60)


@dataclass(frozen=True)
class ThemeTag:
    """A theme a chunk is tagged with, and how strongly (the rule's score)."""

    theme: str
    score: float


def tag_fingerprint(themes: Sequence[Theme], rule: TagRule = DEFAULT_RULE) -> str:
    """Changes whenever stored tags would: another taxonomy, rule or tagger version.

    (The model is part of the index's own fingerprint; changing it rebuilds everything.)
    """
    spec = repr((TAGGER_VERSION, rule, [(t.name, t.description, t.cues) for t in themes]))
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]


def theme_profile(theme: Theme) -> str:
    """The text a theme is embedded as: its name, description and cue phrases."""
    return f"{theme.name}: {theme.description} Signs: {', '.join(theme.cues)}."


def cue_matrix(texts: Sequence[str], themes: Sequence[Theme]) -> np.ndarray:
    """(texts x themes) booleans: does any of the theme's cue phrases occur in the text."""
    return np.array([[bool(t.pattern.search(text)) for t in themes] for text in texts], dtype=bool).reshape(
        len(texts), len(themes)
    )


class ThemeTagger:
    """Tags texts (chunks) with themes; the theme profiles are embedded once, by the ingest's own model."""

    def __init__(self, themes: Sequence[Theme], embedder: Embedder, rule: TagRule = DEFAULT_RULE) -> None:
        self.themes = tuple(themes)
        self.embedder = embedder
        self.rule = rule
        self._profiles: np.ndarray | None = None

    def profiles(self) -> np.ndarray:
        if self._profiles is None:
            self._profiles = self.embedder.encode([theme_profile(t) for t in self.themes])
        return self._profiles

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(texts x themes) cosine similarities, from the texts' L2-normalised vectors."""
        if not self.themes or len(vectors) == 0:
            return np.zeros((len(vectors), len(self.themes)), dtype=np.float32)
        return np.asarray(vectors @ self.profiles().T)

    def tag(self, texts: Sequence[str], vectors: np.ndarray) -> list[tuple[ThemeTag, ...]]:
        """Each text's themes, strongest first; `vectors` are the texts' embeddings (as indexed)."""
        scores = self.rule.scores(self.similarities(vectors), cue_matrix(texts, self.themes))
        out = []
        for row in scores:
            hits = [
                ThemeTag(self.themes[j].name, round(float(row[j]), 4))
                for j in np.flatnonzero(row >= self.rule.threshold)
            ]
            out.append(tuple(sorted(hits, key=lambda h: -h.score)))
        return out

    def tag_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> dict[str, tuple[ThemeTag, ...]]:
        """chunk_id -> tags, from chunks and the vectors ingest computed for them (cues read in the text)."""
        return {c.chunk_id: tags for c, tags in zip(chunks, self.tag([c.text for c in chunks], vectors), strict=True)}
