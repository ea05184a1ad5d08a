"""The safeguarding theme taxonomy (ingest/themes.json, or CASEWISE_THEMES_FILE) and cue matching."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.errors import SettingsError

DEFAULT_THEMES = Path(__file__).with_name("themes.json")


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
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    # a space or a hyphen in a cue matches either in the text ("co-sleeping", "co sleeping")
    parts = [re.sub(r"\\[ -]", r"[\\s-]+", re.escape(c)) + r"(?:s|es|ed|d|ing)?" for c in cues]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


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
