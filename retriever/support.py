"""Turn a language model's reply into a Draft where every kept sentence quotes the evidence that supports it.

The model cites evidence blocks `[n]`; each sentence is checked against the units (bullets, sentences) of the
blocks it cites, and the best-matching unit becomes the verbatim quote. Sentences with no valid citation, or
whose content words the cited units do not cover, are removed and recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.text import BULLET, CITED_STOP, SPACED_MARKER, tidy
from core.units import Unit, split_units
from ingest.catalog import query_terms
from retriever.models import Citation, Draft, Hit, cite

# Share of a sentence's claim words (content words beyond the question's) that its quoted units must contain,
# and share of all its content words. On the seed gold set's reference answers, each sentence cited to its
# gold block, these keep 64 of 72 sentences, while 1 of 324 citations to a wrong block passes (a bullet
# saying "no exclusions" for "the brother had been excluded": the limit of a word-overlap check).
# MIN_CLAIM_COVERAGE 0.5 would keep 67 of 72, and let 3 wrong-block citations through.
MIN_CLAIM_COVERAGE = 0.6
MIN_OVERALL = 0.5
MIN_MARKER_SUPPORT = 0.25  # a cited block whose best unit covers less than this does not support the sentence
MIN_MARKER_WORDS = 3  # ... unless it covers this many of its words (long sentences drawing on two reviews)
EXTRA_UNIT_GAIN = 0.2  # a second unit from a cited block is quoted when it adds this much of the sentence
MAX_ABSTAIN_WORDS = 30

_MARKER = SPACED_MARKER
_MARKER_LIST = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})+)\]")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_SENTENCE_END = re.compile(CITED_STOP + r"(?=\s+[\"'(]?[A-Z0-9])")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_NUMBER_WORDS = {
    "once": "1",
    "twice": "2",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
}
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|cannot)\b|n't\b", re.IGNORECASE)
_ANSWER_WORD = re.compile(r"^(?:yes|no)\b[,;:.!]?\s*", re.IGNORECASE)  # 'No; English is a second language'
_NEGATIVE = re.compile(
    r"\b(?:not|no|never|none|nor|cannot|without|lack\w*|fail\w*|declin\w*|refus\w*|"
    r"denied|absen\w*|miss\w*|unable|insufficient\w*)\b|n't\b",
    re.IGNORECASE,
)
_ABSTAIN = re.compile(
    r"\b(?:evidence|reviews?|documents?|sources?|blocks?|information)\b.{0,40}?"
    r"\b(?:does not|do not|doesn't|don't|did not|didn't|cannot|can't)\b.{0,20}?"
    r"\b(?:say|state|answer|mention|contain|cover|address|include|provide|specify|tell|show)"
    r"|\bnot (?:stated|mentioned|covered|specified|addressed|answered) (?:in|by) the\b"
    r"|\bno information\b|\bI (?:cannot|can't|could not|am unable to) (?:find|answer|tell)",
    re.IGNORECASE,
)
_ABSTAIN_VOCABULARY = """
    evidence provided given reviews review documents document sources source blocks block information say says
    state states stated answer answers mention mentions mentioned contain contains cover covers covered
    address addresses include includes specify specified tell show question find unable able available whether
    details detail specific specifically explicitly clear clearly there any not does cannot can
"""
_LEAD_IN_VOCABULARY = """
    review reviews evidence following include includes included these those points learning findings
    recommendations key main says said set out
"""
_ABSTAIN_WORDS = frozenset(w[:5] for w in _ABSTAIN_VOCABULARY.split())
_LEAD_IN_WORDS = frozenset(w[:5] for w in _LEAD_IN_VOCABULARY.split())


@dataclass
class _Checker:
    """State of one reply's check: the evidence, the citations made so far, what was removed."""

    question: str
    evidence: Sequence[Hit]
    question_terms: set[str] = field(default_factory=set)
    citations: list[Citation] = field(default_factory=list)
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    unsupported: int = 0
    _units: dict[int, list[tuple[Unit, set[str]]]] = field(default_factory=dict)

    def units(self, block: int) -> list[tuple[Unit, set[str]]]:
        if block not in self._units:
            self._units[block] = [(u, stems(u.text)) for u in split_units(self.evidence[block - 1].chunk)]
        return self._units[block]

    def marker_for(self, unit: Unit) -> int:
        key = (unit.chunk.chunk_id, unit.start)
        if key not in self.numbers:
            self.numbers[key] = len(self.citations) + 1
            self.citations.append(cite(self.numbers[key], unit))
        return self.numbers[key]


def draft_from_text(reply: str, question: str, evidence: Sequence[Hit], answerer: str) -> Draft:
    """The reply as a Draft whose sentences each carry verbatim quotes from the blocks they cite."""
    checker = _Checker(question, evidence, stems(question))
    text = _MARKER_LIST.sub(
        lambda m: "".join(f"[{n}]" for n in re.split(r"\s*[,;]\s*", m.group(1))), _THINK.sub("", reply)
    )
    lines: list[str] = []
    for line in text.strip().splitlines():
        bullet = BULLET.match(line)
        prefix = bullet.group(0).strip() + " " if bullet else ""
        body = line[bullet.end() :] if bullet else line
        kept = [s for s in (_check(checker, sentence) for sentence in split_sentences(body)) if s]
        if kept:
            lines.append(prefix + " ".join(kept))
        elif not line.strip() and lines and lines[-1]:
            lines.append("")
    notices: tuple[str, ...] = ()
    if checker.unsupported:
        notices = (f"{checker.unsupported} sentence(s) were removed because the reviews do not support them.",)
    return Draft(
        text="\n".join(lines).strip(),
        citations=tuple(checker.citations),
        answerer=answerer,
        notices=notices,
        removed=tuple(checker.removed),
    )


def split_sentences(text: str) -> list[str]:
    """Sentences of one line; markers written after the full stop stay with the sentence they follow."""
    out, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[begin : match.end()].strip())
        begin = match.end()
    out.append(text[begin:].strip())
    return [s for s in out if s]


def stems(text: str) -> set[str]:
    """Content words cut to 5 characters, as the extractive scorer compares them; number words as digits."""
    return {_NUMBER_WORDS.get(t, t)[:5] for t in query_terms(text) if t not in ("s", "t")}


def _check(checker: _Checker, sentence: str) -> str | None:
    """The sentence with its markers renumbered to quotes that support it, or None when it is removed."""
    plain = tidy(_MARKER.sub("", sentence))
    markers = list(dict.fromkeys(int(m.group(2)) for m in _MARKER.finditer(sentence)))
    if not stems(plain):
        return None
    if _is_abstention(checker, plain):
        return plain  # the model saying the evidence does not answer needs no citation
    if not markers and plain.endswith(":") and _is_lead_in(checker, plain):
        return plain
    valid = [n for n in markers if 1 <= n <= len(checker.evidence)]
    for n in markers:
        if n not in valid:
            checker.removed.append(f"[{n}] is not one of the {len(checker.evidence)} evidence blocks: {plain}")
    key = _key_terms(checker, plain)
    support = _support(checker, valid, key)
    why = _unsupported_reason(plain, markers, valid, key, support)
    if why:
        checker.removed.append(f"unsupported ({why}): {plain}")
        checker.unsupported += 1
        return None
    for n in valid:
        if n not in support:
            checker.removed.append(f"[{n}] does not support: {plain}")
    numbers = {n: "".join(f"[{checker.marker_for(u)}]" for u in units) for n, units in support.items()}
    text = _MARKER.sub(lambda m: m.group(1) + numbers[int(m.group(2))] if int(m.group(2)) in numbers else "", sentence)
    return tidy(text)


def _key_terms(checker: _Checker, sentence: str) -> set[str]:
    """What the sentence claims beyond the question's own words (names, topic), which any block may repeat."""
    terms = stems(_ANSWER_WORD.sub("", sentence))
    return (terms - checker.question_terms) or terms


def _support(checker: _Checker, blocks: list[int], key: set[str]) -> dict[int, list[Unit]]:
    """For each cited block, the unit that best covers the claim (plus a second if it adds much).

    Blocks are taken best first; a block whose best unit covers too little, or nothing the others did not, is
    left out.
    """
    best = {n: max(checker.units(n), key=lambda u: len(key & u[1])) for n in blocks if checker.units(n)}
    covered: set[str] = set()
    support: dict[int, list[Unit]] = {}
    for n in sorted(best, key=lambda n: -len(key & best[n][1])):
        unit, words = best[n]
        enough = len(key & words) / len(key) >= MIN_MARKER_SUPPORT or len(key & words) >= MIN_MARKER_WORDS
        if not enough or not (key & words) - covered:
            continue
        covered |= key & words
        chosen = [unit]
        extra, extra_words = max(checker.units(n), key=lambda u: len((key - covered) & u[1]))
        if len((key - covered) & extra_words) / len(key) >= EXTRA_UNIT_GAIN:
            covered |= key & extra_words
            chosen.append(extra)
        support[n] = sorted(chosen, key=lambda u: u.start)
    return support


def _unsupported_reason(
    sentence: str, markers: list[int], valid: list[int], key: set[str], support: dict[int, list[Unit]]
) -> str:
    """Why the cited units do not back the sentence ('' when they do)."""
    if not markers:
        return "no citation"
    if not valid:
        return "cites no evidence block that exists"
    quoted = " ".join(u.text for units in support.values() for u in units)
    coverage = len(key & stems(quoted)) / len(key)
    if coverage < MIN_CLAIM_COVERAGE:
        return f"the cited text covers {coverage:.0%} of what it says"
    terms = stems(_ANSWER_WORD.sub("", sentence))
    overall = len(terms & stems(quoted)) / len(terms)
    if overall < MIN_OVERALL:
        return f"the cited text covers {overall:.0%} of its words"
    missing = _numbers(sentence) - _numbers(quoted)
    if missing:
        return f"the cited text does not give {', '.join(sorted(missing))}"
    if _NEGATION.search(_ANSWER_WORD.sub("", sentence)) and not _NEGATIVE.search(quoted):
        return "it negates what the cited text says"
    return ""


def _numbers(text: str) -> set[str]:
    found = set(_NUMBER.findall(text))
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return found


def _is_abstention(checker: _Checker, sentence: str) -> bool:
    """'The evidence does not say how often the police referred Young Person F.': a claim about the evidence.

    Beyond the question's own words and the vocabulary of saying so, at most two other words are allowed, so a
    claim cannot ride along uncited inside an abstention.
    """
    if not _ABSTAIN.search(sentence) or len(sentence.split()) > MAX_ABSTAIN_WORDS:
        return False
    extra = stems(sentence) - stems(checker.question) - _ABSTAIN_WORDS
    return len(extra) <= 2


def _is_lead_in(checker: _Checker, sentence: str) -> bool:
    """'In the Young Person F review, the learning was:' introduces cited bullets and claims nothing."""
    known = stems(checker.question) | _LEAD_IN_WORDS
    for hit in checker.evidence:
        known |= stems(f"{hit.chunk.review_title} {hit.chunk.section_label}")
    return stems(sentence) <= known
