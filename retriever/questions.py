"""Questions as users type them: invalid text cleaned, length capped, batch files read line by line with limits."""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path
from typing import Any

from core.errors import CasewiseError
from ingest.limits import json_depth

MAX_QUESTION_CHARS = 2_000
MAX_LINE_CHARS = 100_000
MAX_LINES = 100_000
MAX_JSON_DEPTH = 8
MAX_NUMBER_DIGITS = 30


class EmptyQuestion(CasewiseError):
    """Nothing is left to ask once invalid characters are removed (bad usage)."""


def clean_question(text: str, what: str = "question") -> str:
    """The text without lone surrogates or control characters; refuses empty or over-long questions."""
    cleaned = "".join(_clean_char(c) for c in text)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise EmptyQuestion(f"the {what} is empty; type a question")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise CasewiseError(
            f"the {what} is {len(cleaned):,} characters, over the {MAX_QUESTION_CHARS:,} limit; shorten it"
        )
    return cleaned


def _clean_char(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cs":  # a lone surrogate: not text (from a bad byte in the terminal or an escape in JSON)
        return ""
    if category == "Cc" or char in "\u2028\u2029":
        return " "
    return char


def read_batch(path: Path, text_field: str) -> list[dict[str, Any]]:
    """Rows of a JSONL batch file, each with an "id" and a string `text_field`, parsed one line at a time."""
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # lines end at \n or \r only, never at U+2028
            for number, line in enumerate(handle, start=1):
                if number > MAX_LINES:
                    raise CasewiseError(f"{path} has over {MAX_LINES:,} lines; split it into smaller files")
                if line.strip():
                    rows.append(_row(path, number, line, text_field))
    except (OSError, UnicodeDecodeError) as exc:
        raise CasewiseError(f"cannot read {path} ({exc}); pass a UTF-8 JSONL file") from exc
    return rows


def _row(path: Path, number: int, line: str, text_field: str) -> dict[str, Any]:
    where = f"{path} line {number}"
    if len(line) > MAX_LINE_CHARS:
        raise CasewiseError(f"{where} is over {MAX_LINE_CHARS:,} characters; one short JSON object per line")
    if json_depth(line.encode("utf-8", "surrogatepass")) > MAX_JSON_DEPTH:
        raise CasewiseError(f"{where} is nested over {MAX_JSON_DEPTH} levels; one flat JSON object per line")
    try:
        row = json.loads(line, parse_constant=_no_constant, parse_int=_bounded_int, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise CasewiseError(f"{where} is not JSON ({exc.msg}); one JSON object per line") from exc
    except ValueError as exc:
        raise CasewiseError(f"{where}: {exc}") from exc
    if not isinstance(row, dict) or "id" not in row or not isinstance(row.get(text_field), str):
        raise CasewiseError(f'{where} needs "id" and a string "{text_field}"')
    return row


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON; use a number or a string")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number has {len(digits):,} digits, over {MAX_NUMBER_DIGITS}; use a string id")
    return int(digits)


def _finite_float(text: str) -> float:
    value = float(text) if len(text) <= 2 * MAX_NUMBER_DIGITS else math.inf
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is out of range; use a string id")
    return value
