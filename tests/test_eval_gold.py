"""Gold files: the seed set loads and matches the corpus; each author mistake is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SEED_FILES

from core.errors import CasewiseError
from evals.gold import KINDS, check_evidence, load_gold
from ingest.loaders import load
from ingest.normalise import build_review

SEED_GOLD = ROOT / "evals" / "gold_seed.jsonl"
GOOD = {
    "id": "q1",
    "question": "How many referrals?",
    "kind": "factual",
    "reviews": ["ypf"],
    "evidence": [["8 occasions"]],
    "key_facts": [["8 occasions", "eight occasions"]],
    "reference_answer": "Eight.",
}
UNANSWERABLE = {
    "id": "q2",
    "question": "What about Child Q?",
    "kind": "unanswerable",
    "reviews": [],
    "evidence": [],
    "key_facts": [],
    "reference_answer": "Not covered.",
}


def write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_the_seed_gold_set_loads() -> None:
    questions = load_gold(SEED_GOLD)
    assert len(questions) == 89
    assert {q.kind for q in questions} == set(KINDS) - {"list"}  # the seed set has no list questions
    follow_ups = [q for q in questions if q.kind == "follow-up"]
    assert follow_ups and all(q.history for q in follow_ups)
    assert questions[0].line == 1 and questions[0].evidence == (("referred to CSC on 8 occasions",),)


def test_every_seed_evidence_string_is_in_its_reviews_normalised_text() -> None:
    texts = {}
    for path in SEED_FILES:
        review, _ = build_review(path, load(path, 10**7))
        texts[review.review_id] = review.text
    assert check_evidence(load_gold(SEED_GOLD), texts.get, "gold_seed.jsonl") == []


def test_check_evidence_names_the_line_and_the_missing_string(tmp_path: Path) -> None:
    questions = load_gold(write(tmp_path, GOOD, {**GOOD, "id": "q3", "reviews": ["gone"]}))
    problems = check_evidence(questions, {"ypf": "Referred on 8\n  OCCASIONS."}.get, "gold.jsonl")
    assert problems == [
        "gold.jsonl line 2 (q3): review 'gone' is not in the index",
        "gold.jsonl line 2 (q3): evidence group 1 alternative '8 occasions' is not in gone",
    ]


def test_blank_lines_are_skipped_and_lines_counted(tmp_path: Path) -> None:
    questions = load_gold(write(tmp_path, GOOD, "", UNANSWERABLE))
    assert [(q.id, q.line, q.answerable) for q in questions] == [("q1", 1, True), ("q2", 3, False)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{not json", "line 2 is not JSON"),
        ("[1, 2]", "line 2 is not a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "key_facts"}, "line 2: missing field(s) key_facts"),
        ({**GOOD, "answer": "x"}, "line 2: unknown field(s) answer"),
        ({**GOOD, "id": ""}, "line 2: 'id' must be a non-empty string"),
        ({**GOOD, "question": 3}, "line 2: 'question' must be a non-empty string"),
        ({**GOOD, "kind": "unanswerble"}, "line 2: unknown kind 'unanswerble'; use one of factual"),
        ({**GOOD, "reviews": "ypf"}, "line 2: 'reviews' must be a list of non-empty strings"),
        ({**GOOD, "evidence": ["8 occasions"]}, "line 2: 'evidence' must be a list of groups"),
        ({**GOOD, "key_facts": [[]]}, "line 2: 'key_facts' must be a list of groups"),
        ({**GOOD, "evidence": [[""]]}, "line 2: 'evidence' must be a list of groups"),
        ({**UNANSWERABLE, "evidence": [["x"]]}, "line 2: an unanswerable question has empty reviews"),
        ({**GOOD, "evidence": []}, "line 2: a factual question needs at least one review, evidence group"),
        ({**GOOD, "history": [{"role": "bot", "content": "hi"}]}, 'line 2: "history" must be a list'),
        ({**GOOD, "history": "hi"}, 'line 2: "history" must be a list'),
        (GOOD, "line 2: id 'q1' is already used on line 1"),
    ],
)
def test_each_mistake_is_one_error_naming_file_and_line(tmp_path: Path, row: object, message: str) -> None:
    path = write(tmp_path, GOOD, row)
    with pytest.raises(CasewiseError) as caught:
        load_gold(path)
    assert str(caught.value).startswith(f"{path} ")
    assert message in str(caught.value)


def test_an_empty_gold_file(tmp_path: Path) -> None:
    with pytest.raises(CasewiseError, match="has no questions"):
        load_gold(write(tmp_path, ""))


def test_a_missing_or_binary_gold_file(tmp_path: Path) -> None:
    with pytest.raises(CasewiseError, match="cannot read gold file .*missing.jsonl"):
        load_gold(tmp_path / "missing.jsonl")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CasewiseError, match="pass a UTF-8 JSONL file"):
        load_gold(binary)
