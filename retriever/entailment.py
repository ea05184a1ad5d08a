"""Does a cited passage say what an answer sentence says? A negation, antonym, number and name check.

No natural-language-inference model installs and loads offline here, so the check is explicit: a sentence is
contradicted when the passage holds one of its words only under a negation (or the sentence negates a word the
passage asserts), or holds the word's opposite (safe / unsafe, attended / missed) and not the word itself; it is
unsupported when it gives a number or names a person the passage (with its review title and section) does not.
Word overlap, the rest of "supported", is support.py's job. Every step is one pass over the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from core.text import CITED_STOP, MARKER
from retriever.models import Citation

_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[,;:.!?()\n]|\s[-–—]\s|\bbut\b|\bwhile\b|\balthough\b|\bhowever\b")
_NEGATOR_TEXT = "not no never none nobody nothing neither nor without cannot unable failed fail lack lacked lacking"
_NEGATORS = frozenset(_NEGATOR_TEXT.split())
_NEGATION_REACH = 2  # a negator covers the next two words in its clause ("not safe", "not been seen")
_PREFIXES = ("un", "in", "im", "ir", "il", "dis", "non")
_OPPOSITES = (  # verb and adjective pairs the prefix rule cannot see
    ("attended", "missed"),
    ("accepted", "declined"),
    ("accepted", "refused"),
    ("agreed", "declined"),
    ("agreed", "refused"),
    ("present", "absent"),
    ("increased", "decreased"),
    ("always", "never"),
    ("before", "after"),
    ("improved", "deteriorated"),
    ("improved", "worsened"),
    ("safe", "risk"),
    ("early", "late"),
    ("opened", "closed"),
    ("shared", "withheld"),
)
_OPPOSITE_STEMS: dict[str, set[str]] = {}
_STOP_TEXT = (
    "a an and are as at be been but by did do does for from had has have he her his in is it its of on or "
    "she that the their them they this to was we were which who with"
)
_STOP = frozenset(_STOP_TEXT.split())
_NUMBER_WORDS = {
    "once": "1", "one": "1", "twice": "2", "two": "2", "three": "3", "thrice": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip
_NAME = re.compile(
    r"\b(?:Child|Young Person|Baby|Infant|Sibling|Adult|Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][A-Za-z]?\b(?![a-z])"
    r"|\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+\b"
)


@dataclass(frozen=True)
class Verdict:
    """supported, contradicted or unsupported, and why (for the notice)."""

    label: str
    reason: str = ""


def judge(sentence: str, passage: str, context: str = "") -> Verdict:
    """How `passage` (with `context`: its review title and section) bears on `sentence`."""
    claim, evidence = _polarities(sentence), _polarities(passage)
    for stem, (word, polarity) in claim.items():
        if len(polarity) == 1 and stem in evidence and evidence[stem][1] == {not next(iter(polarity))}:
            said = "negates" if polarity == {False} else "asserts"
            return Verdict("contradicted", f"the cited passage {said} {word!r}")
    for stem, (word, polarity) in claim.items():
        if polarity != {False} or stem in evidence:
            continue
        opposite = _opposite_in(stem, evidence)
        if opposite:
            return Verdict("contradicted", f"the cited passage says {opposite!r}, not {word!r}")
    numbers = _numbers(sentence) - _numbers(passage + " " + context)
    if numbers:
        return Verdict("unsupported", f"the cited passage does not give the number {sorted(numbers)[0]}")
    names = {_norm_name(n) for n in _NAME.findall(sentence)} - {
        _norm_name(n) for n in _NAME.findall(passage + " " + context)
    }
    if names:
        return Verdict("unsupported", f"the cited passage is not about {sorted(names)[0]}")
    return Verdict("supported")


def _words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("n't", " not").replace("cannot", "can not")
    return _WORD.findall(text)


def _polarities(text: str) -> dict[str, tuple[str, set[bool]]]:
    """Each content word's stem -> (the word, whether it appears negated (True), plainly (False), or both)."""
    out: dict[str, tuple[str, set[bool]]] = {}
    for clause in _CLAUSE.split(text):
        reach = 0
        for word in _words(clause or ""):
            if word in _NEGATORS:
                reach = _NEGATION_REACH
                continue
            if word not in _STOP and not word.isdigit():
                out.setdefault(_stem(word), (word, set()))[1].add(reach > 0)
            reach = max(reach - 1, 0)
    return out


def _stem(word: str) -> str:
    """A crude stem, enough to match 'agrees', 'agreed' and 'agree'."""
    for suffix in ("ing", "ed", "es", "e"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


for _a, _b in _OPPOSITES:
    _OPPOSITE_STEMS.setdefault(_stem(_a), set()).add(_stem(_b))
    _OPPOSITE_STEMS.setdefault(_stem(_b), set()).add(_stem(_a))


def _opposite_in(stem: str, evidence: Mapping[str, tuple[str, set[bool]]]) -> str | None:
    """A plainly stated word of the passage that means the opposite of the word with this stem."""
    candidates = [p + stem for p in _PREFIXES] + [stem[len(p) :] for p in _PREFIXES if stem.startswith(p)]
    candidates += sorted(_OPPOSITE_STEMS.get(stem, ()))
    for candidate in candidates:
        if len(candidate) > 2 and candidate in evidence and evidence[candidate][1] == {False}:
            return evidence[candidate][0]
    return None


def _numbers(text: str) -> set[str]:
    found = set(re.findall(r"\b\d+\b", text))
    found |= {_NUMBER_WORDS[w] for w in _words(text) if w in _NUMBER_WORDS}
    return found


def _norm_name(name: str) -> str:
    return " ".join(name.replace(".", "").split())


_SENTENCE_END = re.compile(CITED_STOP + r"(?=\s|$)|\n")


def drop_unsupported(text: str, cited: Mapping[int, Citation]) -> tuple[str, list[str]]:
    """The text without sentences their cited quotes contradict or do not bear out; what was removed, and why."""
    kept: list[str] = []
    removed: list[str] = []
    for sentence in _sentences(text):
        markers = [int(m) for m in MARKER.findall(sentence) if int(m) in cited]
        verdicts = [_judge_citation(MARKER.sub("", sentence), cited[m]) for m in dict.fromkeys(markers)]
        failing = [v for v in verdicts if v.label != "supported"]
        if verdicts and len(failing) == len(verdicts):
            removed.append(f'"{" ".join(sentence.split())[:120]}" removed: {failing[0].reason}')
        else:
            kept.append(sentence)
    return "".join(kept), removed


def _sentences(text: str) -> list[str]:
    """The text cut after each sentence's end (and its markers); joined again, the pieces give the text."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    return [*pieces, text[start:]] if start < len(text) else pieces


def _judge_citation(sentence: str, citation: Citation) -> Verdict:
    context = f"{citation.review_title} {' '.join(citation.section_path)}"
    return judge(sentence, citation.quote, context)
