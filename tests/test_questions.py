"""Questions as a clumsy user or an attacker types them: cleaned or refused with one line, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import HashingEmbedder

from casewise.cli import main
from core.errors import CasewiseError
from retriever.questions import MAX_QUESTION_CHARS, EmptyQuestion, clean_question, read_batch


class StrictEmbedder(HashingEmbedder):
    """Refuses text that is not valid Unicode, as the real model's tokenizer does (TypeError)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise TypeError("TextEncodeInput must be Union[TextInputSequence, ...]") from exc
        return super().encode(texts)


@pytest.fixture
def indexed(clean_home: Path, docs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setattr("casewise.commands.ingest_cmd.load_embedder", lambda name: HashingEmbedder())
    monkeypatch.setattr("retriever.index.load_embedder", lambda name: StrictEmbedder())
    monkeypatch.setattr("retriever.index.load_embedder", lambda name: StrictEmbedder())
    assert main(["ingest", str(docs)]) == 0
    capsys.readouterr()
    return clean_home


def _one_error(err: str) -> str:
    assert "Traceback" not in err
    [line] = [ln for ln in err.splitlines() if ln.strip()]
    return line


def test_clean_question_drops_surrogates_and_controls() -> None:
    assert clean_question("Was the \ud800child\x00 seen\u2028at home?\x1b[2J") == "Was the child seen at home? [2J"
    with pytest.raises(EmptyQuestion):
        clean_question("\ud800 \x00\t")
    with pytest.raises(CasewiseError, match=f"over the {MAX_QUESTION_CHARS:,} limit; shorten it"):
        clean_question("why " * MAX_QUESTION_CHARS)


@pytest.mark.parametrize("command", ["ask", "search"])
def test_a_lone_surrogate_in_a_question_is_cleaned(
    indexed: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "Did mum decline an \udcff interpreter?", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert json.loads(out)


@pytest.mark.parametrize("command", ["ask", "search"])
def test_an_empty_question_is_bad_usage(indexed: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, ""])
    assert exit_.value.code == 2
    assert "is empty" in _one_error(capsys.readouterr().err)


def test_an_over_long_question_is_one_line(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "was the child seen " * 6000]) == 1
    assert "limit; shorten it" in _one_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 1, "question": ' + "[" * 5000 + "]" * 5000 + "}", "nested over 8 levels"),
        ('{"id": ' + "9" * 5000 + ', "question": "x"}', "digits, over 30; use a string id"),
        ('{"id": NaN, "question": "x"}', "NaN is not valid JSON"),
        ('{"id": 1e999, "question": "x"}', "out of range"),
        ('{"id": 1, "question": "x"' + " " * 200_000 + "}", "over 100,000 characters"),
    ],
)
def test_hostile_batch_lines_are_one_line_naming_the_line(
    indexed: Path, tmp_path: Path, line: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "ok", "question": "Was an interpreter used?"}\n' + line + "\n", encoding="utf-8")
    assert main(["ask", "--questions", str(batch), "--json"]) == 1
    error = _one_error(capsys.readouterr().err)
    assert f"{batch} line 2" in error and message in error


def test_a_line_separator_inside_a_json_string_is_not_a_line_break(
    indexed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "a\u2028b", "text": "interpreter\u2029declined"}\n', encoding="utf-8")
    assert main(["search", "--queries", str(batch), "--json"]) == 0
    out, _ = capsys.readouterr()
    [row] = [json.loads(ln) for ln in out.split("\n") if ln]
    assert row["id"] == "a\u2028b" and row["results"]


def test_read_batch_keeps_ids_as_written(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": 7, "text": "a"}\r\n{"id": "x", "text": "b"}\r\n\n{"id": 1.5, "text": "c"}', "utf-8")
    assert [row["id"] for row in read_batch(batch, "text")] == [7, "x", 1.5]
