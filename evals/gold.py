"""Gold sets: load and validate JSONL questions with their evidence, key facts and reference answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import CasewiseError
from evals.matching import find_spans

ANSWERABLE_KINDS = ("factual", "paraphrase", "cross-review", "list", "follow-up")
UNANSWERABLE = "unanswerable"
KINDS = (*ANSWERABLE_KINDS, UNANSWERABLE)
REQUIRED = ("id", "question", "kind", "reviews", "evidence", "key_facts", "reference_answer")
OPTIONAL = ("history", "notes")

Groups = tuple[tuple[str, ...], ...]  # each group: alternative phrasings, any one of which satisfies it


@dataclass(frozen=True)
class GoldQuestion:
    """One gold question; `evidence` and `key_facts` are groups of alternative strings."""

    id: str
    question: str
    kind: str
    reviews: tuple[str, ...]
    evidence: Groups
    key_facts: Groups
    reference_answer: str
    history: tuple[dict[str, str], ...] = ()
    line: int = 0

    @property
    def answerable(self) -> bool:
        return self.kind != UNANSWERABLE


def load_gold(path: Path) -> list[GoldQuestion]:
    """Every question of a gold file, or a CasewiseError naming the file, the line and the fix."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CasewiseError(f"cannot read gold file {path} ({exc}); pass a UTF-8 JSONL file") from exc
    questions: list[GoldQuestion] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CasewiseError(f"{where} is not JSON ({exc.msg}); write one JSON object per line") from exc
        question = parse_question(row, where)
        if question.id in seen:
            raise CasewiseError(
                f"{where}: id {question.id!r} is already used on line {seen[question.id]}; "
                "give every question its own id"
            )
        seen[question.id] = number
        questions.append(replace(question, line=number))
    if not questions:
        raise CasewiseError(f"gold file {path} has no questions; add one JSON object per line (see evals/README.md)")
    return questions


def parse_question(row: Any, where: str) -> GoldQuestion:
    """One validated gold question from a decoded JSON row; `where` names it in error messages."""
    if not isinstance(row, dict):
        raise CasewiseError(f"{where} is not a JSON object; each line is one question object")
    missing = [name for name in REQUIRED if name not in row]
    if missing:
        raise CasewiseError(f"{where}: missing field(s) {', '.join(missing)}; see evals/README.md for the format")
    unknown = sorted(set(row) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise CasewiseError(
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(REQUIRED + OPTIONAL)}"
        )
    for name in ("id", "question", "reference_answer"):
        if not isinstance(row[name], str) or not row[name].strip():
            raise CasewiseError(f"{where}: {name!r} must be a non-empty string")
    kind = row["kind"]
    if kind not in KINDS:
        raise CasewiseError(f"{where}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    reviews = _strings(row["reviews"], "reviews", where)
    evidence = _groups(row["evidence"], "evidence", where)
    key_facts = _groups(row["key_facts"], "key_facts", where)
    if kind == UNANSWERABLE and (evidence or key_facts or reviews):
        raise CasewiseError(f"{where}: an unanswerable question has empty reviews, evidence and key_facts")
    if kind != UNANSWERABLE and not (evidence and key_facts and reviews):
        raise CasewiseError(
            f"{where}: a {kind} question needs at least one review, evidence group and key-fact "
            'group; use kind "unanswerable" if the reviews do not answer it'
        )
    return GoldQuestion(
        id=row["id"],
        question=row["question"],
        kind=kind,
        reviews=reviews,
        evidence=evidence,
        key_facts=key_facts,
        reference_answer=row["reference_answer"],
        history=_history(row.get("history"), where),
    )


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CasewiseError(f"{where}: {name!r} must be a list of non-empty strings")
    return tuple(value)


def _groups(value: Any, name: str, where: str) -> Groups:
    ok = isinstance(value, list) and all(
        isinstance(g, list) and g and all(isinstance(a, str) and a.strip() for a in g) for g in value
    )
    if not ok:
        raise CasewiseError(
            f"{where}: {name!r} must be a list of groups, each a non-empty list of alternative "
            f'strings, e.g. [["8 occasions", "eight occasions"]]'
        )
    return tuple(tuple(group) for group in value)


def _history(value: Any, where: str) -> tuple[dict[str, str], ...]:
    if value is None:
        return ()
    ok = isinstance(value, list) and all(
        isinstance(t, dict)
        and set(t) == {"role", "content"}
        and t["role"] in ("user", "assistant")
        and isinstance(t["content"], str)
        for t in value
    )
    if not ok:
        raise CasewiseError(
            f'{where}: "history" must be a list of {{"role": "user"|"assistant", "content": ...}} objects'
        )
    return tuple({"role": t["role"], "content": t["content"]} for t in value)


def check_evidence(
    questions: Sequence[GoldQuestion], review_text: Callable[[str], str | None], source: str = "gold file"
) -> list[str]:
    """Evidence strings not found in their named reviews (whitespace- and case-insensitive); [] = fine."""
    problems = []
    for q in questions:
        texts = {rid: review_text(rid) for rid in q.reviews}
        for rid, text in texts.items():
            if text is None:
                problems.append(f"{source} line {q.line} ({q.id}): review {rid!r} is not in the index")
        available = [t for t in texts.values() if t is not None]
        for number, group in enumerate(q.evidence, start=1):
            for alternative in group:
                if not any(find_spans(alternative, text) for text in available):
                    problems.append(
                        f"{source} line {q.line} ({q.id}): evidence group {number} alternative "
                        f"{alternative!r} is not in {', '.join(q.reviews)}"
                    )
    return problems
