"""Bad usage of every command exits 2 with one error line, as docs/INTERFACE.md promises; nothing is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from casewise.cli import main

BAD_USAGE = {
    "no command": [],
    "unknown command": ["summarise"],
    "ingest: unknown option": ["ingest", "--bogus"],
    "search: neither a query nor a file": ["search"],
    "search: k of 0": ["search", "school", "-k", "0"],
    "search: k not a number": ["search", "school", "-k", "many"],
    "search: unknown mode": ["search", "school", "--mode", "psychic"],
    "ask: a question and a file": ["ask", "What happened?", "--questions", "questions.jsonl"],
    "ask: unknown answerer": ["ask", "What happened?", "--answerer", "oracle"],
    "ask: empty question": ["ask", "  "],
    "show: no chunk id": ["show"],
    "beir: k of 0": ["beir", "scifact", "-k", "0"],
    "eval: no gold file": ["eval"],
    "brief: neither theme nor question": ["brief", "--out", "brief.md"],
    "brief: theme and question": ["brief", "--theme", "neglect", "--question", "Why?", "--out", "brief.md"],
    "brief: unknown format": ["brief", "--theme", "neglect", "--out", "brief.md", "--format", "pdf"],
    "serve: port out of range": ["serve", "--port", "70000"],
    "app: --home without a folder": ["app", "--home"],
}


@pytest.mark.parametrize("argv", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_usage_exits_2_with_one_error_line(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASEWISE_HOME", str(tmp_path / "home"))
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("casewise"), err
    assert "Traceback" not in err
    assert not (tmp_path / "home").exists()  # bad usage touches nothing
