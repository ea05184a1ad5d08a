"""Rule-based rewrite of a follow-up question into one that stands alone (an LLM does this when configured)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.subjects import NAMED
from retriever.models import Turn

_PRONOUN = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|theirs)\b", re.IGNORECASE)
_POSSESSIVE = {"his", "her", "their"}
# Words pointing back at something said before that a name cannot replace: the previous question is kept.
_ANAPHOR = re.compile(r"\b(it|its|that|those|this|these|there|other|else|then|same)\b", re.IGNORECASE)
_ELLIPTIC = re.compile(r"^\s*(and|what about|how about|also|then|so)\b", re.IGNORECASE)


def needs_context(question: str) -> bool:
    """A question that leans on what was said before: pronouns, 'and …', 'what about …', or very short."""
    return bool(
        _PRONOUN.search(question)
        or _ANAPHOR.search(question)
        or _ELLIPTIC.match(question)
        or len(question.split()) <= 3
    )


def rewrite(question: str, history: Sequence[Turn], known_subjects: Sequence[str]) -> str:
    """The question made standalone from the last user turns; unchanged when it already stands alone."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous or not needs_context(question) or NAMED.search(question):
        return question
    subject = _last_subject(previous, known_subjects)
    replaced = _PRONOUN.sub(lambda m: _replace(m.group(0), subject), question) if subject else question
    if _ANAPHOR.search(question) or not subject:
        return f"{_strip_ellipsis(replaced)}{_context(previous)}"
    if replaced != question:
        return replaced
    return f"{_strip_ellipsis(question)} in the {subject} review"


def as_asked(standalone: str, history: Sequence[Turn]) -> str:
    """The follow-up without the previous question `rewrite` appended to it: that finds where to look, but the
    passage that answers is the one that answers what is asked now ("Where did she go after that?")."""
    context = _context([t.content for t in history if t.role == "user"])
    return standalone.removesuffix(context) if context and standalone.endswith(context) else standalone


def _context(previous: Sequence[str]) -> str:
    return f" ({previous[-1].strip()})" if previous else ""


def _last_subject(previous: Sequence[str], known_subjects: Sequence[str]) -> str | None:
    for text in reversed(previous):
        for subject in known_subjects:
            if subject.lower() in text.lower():
                return subject
        match = NAMED.search(text)
        if match:
            return match.group(0)
    return None


def _replace(pronoun: str, subject: str) -> str:
    return f"{subject}'s" if pronoun.lower() in _POSSESSIVE else subject


def _strip_ellipsis(question: str) -> str:
    stripped = _ELLIPTIC.sub("", question).strip(" ,?")
    return (stripped[:1].upper() + stripped[1:]) if stripped else question
