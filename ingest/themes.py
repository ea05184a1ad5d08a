"""Themes in one place: the taxonomy (ingest/themes.json, or CASEWISE_THEMES_FILE), cue matching, and the
tags computed for chunks at ingest.

A chunk's score for a theme is its embedding similarity to the theme's profile (name, description and cues),
plus a bonus when one of the theme's cue phrases occurs in its text; the chunk is tagged when the score reaches
the threshold. Both numbers are set on the calibration half of evals/theme_labels_dev.jsonl by
`python -m evals.theme_tagging --fit`, which prints precision and recall on both halves.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from core.errors import CasewiseError, SettingsError
from core.models import Chunk
from ingest.embedding import Embedder
from ingest.kinds import is_reference_matter

DEFAULT_THEMES = Path(__file__).with_name("themes.json")
APOSTROPHES = "['\u2019\u02bc]"  # typed, curly (right single quotation mark) and modifier-letter apostrophes


@dataclass(frozen=True)
class Theme:
    """A named theme with the phrases that signal it."""

    name: str
    description: str
    cues: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        return _cue_pattern(self.cues)


@cache
def _cue_pattern(cues: tuple[str, ...], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    # a space or a hyphen in a cue matches either in the text ("co-sleeping", "co sleeping"), and an apostrophe
    # any of the typed, curly and modifier ones ("child's views", "child’s views")
    parts = [
        re.sub(APOSTROPHES, APOSTROPHES, re.sub(r"\\[ -]", r"[\\s-]+", re.escape(c))) + r"(?:s|es|ed|d|ing)?"
        for c in cues
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", flags)


def _cases_only_in_ascii(text: str) -> bool:
    """Whether every character of the text that has a case is ASCII.

    When a text and a theme's cues both pass, case-blind matching finds what plain matching of the lowered cues
    finds in the lowered text, three times faster: no cased character beyond ASCII (the long s, the Kelvin sign,
    a dotted capital I) is there for case-blind matching to pair with an ASCII letter."""
    return text.isascii() or all(c.isascii() or c.lower() == c == c.upper() for c in set(text))


@cache
def _lowered_cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    """The cue pattern for lowered texts, or None when a cue has a cased character beyond ASCII."""
    if not all(_cases_only_in_ascii(c) for c in cues):
        return None
    return _cue_pattern(tuple(c.lower() for c in cues), 0)


def load_themes(path: Path = DEFAULT_THEMES) -> tuple[Theme, ...]:
    """Themes from a JSON file of {"themes": {name: {"description", "cues"}}}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Theme(name=name, description=spec.get("description", ""), cues=tuple(c.lower() for c in spec["cues"]))
            for name, spec in data["themes"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SettingsError(
            f'cannot read the theme file {path} ({exc}); it needs {{"themes": {{name: '
            '{"description": ..., "cues": [...]}}}}'
        ) from exc


def _key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def find_theme(themes: Sequence[Theme], name: str) -> Theme:
    """The theme with this name (case, spacing and hyphens aside); an unknown name lists the known ones."""
    for theme in themes:
        if _key(theme.name) == _key(name):
            return theme
    raise CasewiseError(f"unknown theme {name!r}; known themes: {', '.join(t.name for t in themes)}")


TAGGER_VERSION = "cue+embedding-v3"  # v3: reference matter (glossaries, abbreviations, references) is not tagged


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


# Fit on the calibration half of evals/theme_labels_dev.jsonl (six dev-corpus reviews, best micro-F1, by
# `python -m evals.theme_tagging --fit`): a cue phrase tags a chunk unless the chunk is plainly about something
# else (similarity below 0.56 - 0.56 = 0); without a cue the similarity alone must reach 0.56, which no
# calibration passage does. With this small model, similarity to a theme's profile barely separates passages
# about a theme from passages that mention it (gating cues by it never raised precision on calibration without
# costing more recall): cues make the decisions and the similarity ranks passages in the explorer and briefs.
# Thresholds per theme or per section kind fit the reviews they are fit on, not the next one (leaving one
# calibration review out, `python -m evals.theme_checks`), so one rule serves every theme.
DEFAULT_RULE = TagRule(threshold=0.56, cue_bonus=0.56)


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
    lowered_patterns = [_lowered_cue_pattern(t.cues) for t in themes]
    rows = []
    for text in texts:
        lowered = text.lower() if _cases_only_in_ascii(text) else None
        rows.append(
            [
                bool(fast.search(lowered) if fast and lowered is not None else theme.pattern.search(text))
                for theme, fast in zip(themes, lowered_patterns, strict=True)
            ]
        )
    return np.array(rows, dtype=bool).reshape(len(texts), len(themes))


class ThemeTagger:
    """Tags texts (chunks) with themes; the theme profiles are embedded once, by the ingest's own model."""

    def __init__(self, themes: Sequence[Theme], embedder: Embedder, rule: TagRule = DEFAULT_RULE) -> None:
        self.themes = tuple(themes)
        self.embedder = embedder
        self.rule = rule
        self._profiles: np.ndarray | None = None

    def profiles(self) -> np.ndarray:
        if self._profiles is None:
            self._profiles = self.embedder.encode(self.profile_texts())
        return self._profiles

    def profile_texts(self) -> list[str]:
        """The texts the themes are embedded as, one per theme (see theme_profile)."""
        return [theme_profile(t) for t in self.themes]

    def needs_profiles(self) -> bool:
        return self._profiles is None

    def use_profiles(self, vectors: np.ndarray) -> None:
        """Take the profiles' vectors, encoded by the caller (with other texts) from profile_texts()."""
        self._profiles = vectors

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(texts x themes) cosine similarities, from the texts' L2-normalised vectors."""
        if not self.themes or len(vectors) == 0:
            return np.zeros((len(vectors), len(self.themes)), dtype=np.float32)
        return np.asarray(vectors @ self.profiles().T)

    def tag(
        self, texts: Sequence[str], vectors: np.ndarray, section_paths: Sequence[Sequence[str]] | None = None
    ) -> list[tuple[ThemeTag, ...]]:
        """Each text's themes, strongest first; `vectors` are the texts' embeddings (as indexed) and
        `section_paths` their heading trails (a text in reference matter gets no theme)."""
        scores = self.rule.scores(self.similarities(vectors), cue_matrix(texts, self.themes))
        out = []
        for i, row in enumerate(scores):
            reference = section_paths is not None and is_reference_matter(section_paths[i])
            hits = [
                ThemeTag(self.themes[j].name, round(float(row[j]), 4))
                for j in np.flatnonzero(row >= self.rule.threshold)
                if not reference
            ]
            out.append(tuple(sorted(hits, key=lambda h: -h.score)))
        return out

    def tag_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> dict[str, tuple[ThemeTag, ...]]:
        """chunk_id -> tags, from chunks and the vectors ingest computed for them (cues read in the text)."""
        tags = self.tag([c.text for c in chunks], vectors, [c.section_path for c in chunks])
        return {c.chunk_id: t for c, t in zip(chunks, tags, strict=True)}
