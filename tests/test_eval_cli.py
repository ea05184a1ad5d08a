"""`casewise eval` as a user runs it: the side-by-side table, the JSON result, the report, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, HashingEmbedder

from casewise.cli import main
from core.settings import Settings
from ingest.pipeline import ingest

SEED_GOLD = ROOT / "evals" / "gold_seed.jsonl"
PICKED = ("g001", "g024", "g065", "g075", "g085")


@pytest.fixture
def home(clean_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean CASEWISE_HOME and environment; the model is the hashing embedder."""
    monkeypatch.setattr("casewise.commands.eval_cmd.load_embedder", lambda name: HashingEmbedder())
    return clean_home


@pytest.fixture
def indexed(home: Path) -> Path:
    ingest([CORPUS], Settings.from_env(env={}, home=home), HashingEmbedder)
    return home


@pytest.fixture
def small_gold(tmp_path: Path) -> Path:
    rows = [line for line in SEED_GOLD.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] in PICKED]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("casewise: error: "), lines
    return lines[0]


def test_eval_prints_the_table_and_writes_json_and_report(
    indexed: Path, small_gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, report = tmp_path / "out" / "result.json", tmp_path / "report"
    assert main(["eval", str(small_gold), "--json", str(out_json), "--report", str(report)]) == 0
    out, err = capsys.readouterr()
    assert "| metric | casewise | baseline |" in out
    assert "| quotes verbatim | 1.000 | 1.000 |" in out
    assert "eval: casewise 5/5" in err and "eval: baseline 5/5" in err
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["answerer"] == "extractive" and document["dataset"] == str(small_gold)
    assert set(document["systems"]) == {"casewise", "baseline"}
    casewise = document["systems"]["casewise"]
    assert [r["id"] for r in casewise["records"]] == list(PICKED)
    assert set(casewise["per_kind"]) == {"factual", "follow-up", "unanswerable"}
    assert {p.name for p in report.iterdir()} == {
        "summary.md",
        "result.json",
        "accuracy_by_kind.png",
        "metrics.png",
        "latency.png",
    }
    summary = (report / "summary.md").read_text(encoding="utf-8")
    assert "## Accuracy per question kind" in summary and "## Problems: casewise" in summary
    assert (report / "latency.png").read_bytes()[:4] == b"\x89PNG"


def test_eval_json_on_stdout_holds_nothing_else(
    indexed: Path, small_gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(small_gold), "--json", "-", "--no-baseline"]) == 0
    out, _ = capsys.readouterr()
    document = json.loads(out)
    assert list(document["systems"]) == ["casewise"]


def test_eval_without_an_index_says_to_ingest(home: Path, small_gold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(small_gold)]) == 1
    line = error_line(capsys.readouterr().err)
    assert f"no index yet at {home} — run `casewise ingest`" in line
    assert not home.exists()  # checking did not create an empty index


def test_eval_with_a_bad_gold_file_names_the_line(
    indexed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["eval", str(bad)]) == 1
    assert f"{bad} line 1: missing field(s)" in error_line(capsys.readouterr().err)


def test_eval_warns_about_evidence_the_index_does_not_hold(
    indexed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    row["evidence"] = [["words that are in no review"]]
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert main(["eval", str(path), "--no-baseline"]) == 0
    out, err = capsys.readouterr()
    assert "eval: warning: " in err and "'words that are in no review' is not in young-person-f" in err
    assert "| metric | casewise |" in out


def test_eval_rejects_an_unknown_answerer(small_gold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["eval", str(small_gold), "--answerer", "gpt"])
    assert exited.value.code == 2


def test_eval_refuses_unusable_output_paths_before_running(
    indexed: Path, small_gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(small_gold), "--json", str(tmp_path)]) == 1
    assert f"--json {tmp_path} is a folder" in error_line(capsys.readouterr().err)
    a_file = tmp_path / "report.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["eval", str(small_gold), "--report", str(a_file)]) == 1
    assert f"--report {a_file} is a file" in error_line(capsys.readouterr().err)


def test_eval_reports_a_write_failure_in_one_line(
    indexed: Path, small_gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")  # a file where the output folder should go
    assert main(["eval", str(small_gold), "--no-baseline", "--json", str(blocker / "out.json")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("casewise: error: ")]
    assert f"cannot write {blocker}" in line and "choose another --json/--report path" in line
