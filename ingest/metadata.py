"""Review metadata (title, subject, type, partnership, year) from the text, overridable by a sidecar."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

from ingest.errors import DocumentError
from ingest.models import ReviewMeta

_SUBJECT = re.compile(r"\b(Child|Young Person|Baby|Infant|Sibling|Children|Family|Adult)\s+([A-Z]{1,2}\d?)\b")
_TYPES = (  # most specific first: a practice review often mentions the rapid review that preceded it
    ("child safeguarding practice review", re.compile(r"child safeguarding practice review|\bCSPR\b", re.I)),
    ("serious case review", re.compile(r"seri(?:ous|es) case review|\bSCR\b", re.I)),
    ("rapid review", re.compile(r"rapid review", re.I)),
)
_PARTNERSHIP = re.compile(
    r"((?:[A-Z][\w'&-]*\s+){1,5}(?:Safeguarding Children Partnership|Safeguarding Partnership|"
    r"Children'?s Safeguarding Partnership|Safeguarding Children Board|Safeguarding Children's Board))"
)
_YEAR = re.compile(r"\b(?:published|date[d]?|review date)\b[^\n\d]{0,20}(?:\w+\s+)?((?:19|20)\d\d)\b", re.I)
SIDECAR_SUFFIX = ".meta.json"


def extract_meta(text: str, title_line: str | None, fallback_title: str) -> ReviewMeta:
    """Metadata stated in the review text; what it does not state stays None."""
    subjects = Counter(" ".join(m.groups()) for m in _SUBJECT.finditer(text))
    subject = subjects.most_common(1)[0][0] if subjects else None
    review_type = _review_type(title_line or "") or _review_type(text)
    partnership = m.group(1).strip() if (m := _PARTNERSHIP.search(text)) else None
    year = int(m.group(1)) if (m := _YEAR.search(text)) else None
    if title_line:
        title = title_line
    elif review_type and subject:
        title = f"{review_type.title()}: {subject}"
    else:
        title = fallback_title
    return ReviewMeta(title=title, subject=subject, review_type=review_type, partnership=partnership, year=year)


def _review_type(text: str) -> str | None:
    for name, pattern in _TYPES:
        if pattern.search(text):
            return name
    return None


def sidecar_path(source: Path) -> Path:
    """`review.pdf` -> `review.meta.json` beside it."""
    return source.with_name(source.stem + SIDECAR_SUFFIX)


def apply_sidecar(meta: ReviewMeta, source: Path) -> ReviewMeta:
    """Override extracted metadata with the fields of an optional sidecar file."""
    path = sidecar_path(source)
    if not path.exists():
        return meta
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(path), f"sidecar is not valid JSON ({exc}); fix or remove it") from exc
    known = {f.name for f in fields(ReviewMeta)}
    if not isinstance(data, dict) or set(data) - known:
        raise DocumentError(str(path), f"sidecar must be a JSON object with keys from {', '.join(sorted(known))}")
    for key, value in data.items():
        if not _valid_value(key, value):
            kind = "a whole number" if key == "year" else "a non-empty string" if key == "title" else "a string or null"
            raise DocumentError(str(path), f"sidecar field {key!r} must be {kind}, got {value!r}; fix or remove it")
    if data.get("year") is not None:
        data["year"] = int(data["year"])
    return replace(meta, **data)


def _valid_value(key: str, value: object) -> bool:
    if key == "title":
        return isinstance(value, str) and bool(value.strip())
    if key == "year":
        return value is None or (isinstance(value, int | str) and str(value).strip().isdigit())
    return value is None or isinstance(value, str)
