"""The offline answerer: quotes the review sentences and list items that answer the question, and nothing else.

Three shapes of answer:
- a direct answer: the passage that answers first, then only passages that add a part of the question it
  leaves out (or, for a fact, the passage that states it);
- a list: every item of the sections of the kind asked for, in the review's order, numbered as it numbers them,
  one list per review;
- an answer across reviews: each review's best passage when it clears the support threshold, grouped by review,
  with how many reviews were searched and how many had something.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress

import numpy as np

from core.models import Chunk
from core.settings import Answerer
from core.units import Unit, neutral, span, split_units
from ingest.embedding import Embedder
from ingest.unit_vectors import UnitVectors
from retriever.abstention import MIN_SUPPORT
from retriever.fact_types import FactPattern
from retriever.models import Citation, Draft, Hit, ScoredUnit, cite
from retriever.question import Question, main_clause, stems
from retriever.units import Item, comment_after, item_numbered, list_items

# Chosen on the dev corpus's gold.jsonl (`casewise eval`, per-kind citation precision and key facts): a passage
# within WIDER_MARGIN of the best joins the direct answer only when it covers a word of the question the chosen
# ones miss.
MARGIN = 0.08
WIDER_MARGIN = 0.12
# A passage giving the fact asked for joins an answer whose best passage does not give it when it scores within
# FACT_MARGIN of the best ("Niamh died from a head injury." first, "the death of a two-year-old girl" further down);
# so does one giving the reason a why question asks for (REASON), or the sentence after the best when it gives it
# (on gold.jsonl: one more paraphrase answered, "Why wasn't X's family moved ...?", and no answer lost).
# On gold.jsonl and the seeds, 0.15 to 0.4 change no answer; 0.25 is about twice WIDER_MARGIN, as a fact asked for
# tells more than a shared word.
FACT_MARGIN = 0.25
MAX_UNITS = 3
ACROSS_MARGIN = 0.2  # a review joins an answer across reviews when its best passage is this close to the best (a
# "which reviews" question names every review whose best passage clears MIN_SUPPORT)
UNITS_PER_REVIEW = 2
MAX_LIST_UNITS = 12
READ_ON_MAX = 2  # sentences an answer reads on through its paragraph for what is asked (_through_asked)
MIN_UNIT_WORDS = 3  # a passage of fewer words ("Estyn", a form's empty row) says nothing it could answer with
LEXICAL_WEIGHT = 0.25
CHUNK_WEIGHT = 0.1
# A passage of the shape the question asks for comes first among near equals: for a question asking a type of
# fact (an age, a date, how many), one stating a fact of that type; for a "why" question, one giving a reason
# (connectives of cause, general English). Added to its score, not to its support (which abstention is
# calibrated on). The passage is judged as it would be quoted (read on), and one saying what should be done
# states no fact. Chosen on gold.jsonl: facts alone, flat from 0.1 to 0.3 (accuracy 0.719 -> 0.733, key facts
# 0.772 -> 0.785; seeds' key facts 0.885 -> 0.899); reasons 0.05 -> 0.2, one more paraphrase answered (0.3: one
# more, but a seed question lost); judged read on and not when prescribing, accuracy 0.763 -> 0.770.
SHAPE_BONUS = 0.2
# A question with a clause setting its scene or placing it in time ("What injury did E have when the police entered
# the home?") is asked by its main clause: the passages are ordered by their similarity to the whole question moved
# this share of the way towards their similarity to the main clause alone, so the passage restating the event does
# not outrank the one saying what is asked of it. Support (which abstention is calibrated on) stays the whole
# question's. Chosen on gold.jsonl: 0.4 and 0.5 alike (accuracy 0.815 -> 0.830, paraphrase 0.632 -> 0.737, citation
# precision 0.724 -> 0.737), 0.6 and above lose a factual answer; seeds' accuracy unchanged (0.910) at 0.5.
MAIN_CLAUSE_WEIGHT = 0.5
RECENT_QUESTIONS = 8  # question texts whose vectors are kept
SubjectOf = Callable[[str], str | None]
StoredUnits = Callable[[Sequence[str]], Mapping[str, UnitVectors]]  # chunk ids -> their unit vectors from ingest
AGENT_WORDS = 3  # words opening a sentence that name who acts in it ("The GP recorded ...")
_WHAT_DID = re.compile(r"^\s*what did the\b", re.I)  # "What did the GP do about ...?": what the one asked about did
# A question asking what came of something ("What came of her email?", "What was the outcome of the referral?"):
# the passage telling of the thing is followed, in its paragraph, by what came of it (general English).
_OUTCOME = re.compile(
    r"\bwhat (?:came|become|became) of\b|\bwhat (?:happened|followed) (?:after|next|then|as a result)\b"
    r"|\b(?:outcome|result|upshot) of\b|\bwhat did [^?]{1,60}?\blead to\b"
    r"|\bwhat did [^?]{1,60}?\bdo (?:after|next|then|once)\b",  # what was done after it is told after it
    re.I,
)
_WHY = re.compile(r"^\s*why\b|\bwhat (?:was|were) the reasons?\b|\bfor what reason\b", re.I)
# A sentence that opens with a pronoun, determiner or number word refers back to the one before it (closed-class
# English words, not the corpus's; possessives are left out: "His mother worked nights." starts a new fact).
# With `leans_back`'s definite-article test, measured on gold.jsonl: accuracy 0.674 -> 0.711, key facts 0.716 -> 0.762,
# median answer 41 -> 44 words; seeds unchanged.
_LEANS_BACK = re.compile(
    r"(?:he|she|it|they|this|these|those|such|both|each|neither|none"
    r"|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.I,
)
_DEFINITE = re.compile(r"the\s+([a-z]+)", re.I)
_PRESCRIBES = re.compile(r"\b(?:should|must|ought to|needs? to)\b", re.I)
_CAUSE = re.compile(r"\b(?:due to|because|based on|as a result|led to|owing to|so that|concerns? that)\b", re.I)


class _Reason:
    """What gives a reason to a why question: a connective of cause, in a passage that does not say what should be
    done (a recommendation "so that ..." gives a purpose, not the reason something happened)."""

    def search(self, string: str, /) -> re.Match[str] | None:
        return None if _PRESCRIBES.search(string) else _CAUSE.search(string)


REASON = _Reason()


class UnitScorer:
    """Scores evidence units against a question: embedding similarity plus a share of shared content words.

    Unit vectors come from the index (`stored`, computed at ingest); a unit without one is encoded here, once."""

    def __init__(self, embedder: Embedder, stored: StoredUnits | None = None) -> None:
        self.embedder = embedder
        self.stored = stored
        self._cache: dict[tuple[str, int], np.ndarray] = {}  # vectors encoded here, for units the index lacks
        # the vectors of the last few texts scored against: one question is scored as asked, as put to the sections
        # of a kind, and beside the previous question, each encoded once
        self._questions: OrderedDict[str, np.ndarray] = OrderedDict()

    neutral = staticmethod(neutral)

    def vectors(self, units: Sequence[Unit]) -> dict[tuple[str, int], np.ndarray]:
        """(chunk id, start) -> each unit's vector: stored at ingest when the index has it, else encoded."""
        found: dict[tuple[str, int], np.ndarray] = {}
        stored = self.stored([u.chunk.chunk_id for u in units]) if self.stored else {}
        missing = []
        for unit in units:
            key = (unit.chunk.chunk_id, unit.start)
            held = stored.get(key[0])
            vector = held.lookup(unit.start, self.neutral(unit.text)) if held else None
            if vector is None:
                vector = self._cache.get(key)
            if vector is None:
                missing.append(unit)
            else:
                found[key] = vector
        if missing:
            for unit, vector in zip(
                missing, self.embedder.encode([self.neutral(u.text) for u in missing]), strict=True
            ):
                found[(unit.chunk.chunk_id, unit.start)] = self._cache[(unit.chunk.chunk_id, unit.start)] = vector
        return found

    def score(self, question: str, hits: Sequence[Hit], facts: Sequence[FactPattern] = ()) -> list[ScoredUnit]:
        """Every quotable unit of the hits, best first; one of the shape asked for (stating a fact of a type in
        `facts`, or giving a reason to a why question) first among near equals."""
        siblings = {hit.chunk.chunk_id: split_units(hit.chunk) for hit in hits}
        every = [u for hit in hits for u in siblings[hit.chunk.chunk_id]]
        units = [u for u in dedupe(every) if not u.text.endswith(":") and len(u.text.split()) >= MIN_UNIT_WORDS]
        if not units:
            return []
        vectors = self.vectors(units)
        main = main_clause(question)
        question = self.neutral(question)
        q = self._vector(question)
        q_main = self._vector(self.neutral(main)) if main else None
        terms = stems(question)
        why = bool(_WHY.search(question))
        found = {hit.chunk.chunk_id: hit.score for hit in hits}
        top = max(found.values()) or 1.0
        unit_terms = [stems(self.neutral(u.text)) for u in units]
        weights = _term_weights(terms, unit_terms)
        total = sum(weights.values()) or 1.0
        scored = []
        for unit, words in zip(units, unit_terms, strict=True):
            vector = vectors[(unit.chunk.chunk_id, unit.start)]
            dense = float(vector @ q)
            asked = MAIN_CLAUSE_WEIGHT * (float(vector @ q_main) - dense) if q_main is not None else 0.0
            overlap = sum(weights[t] for t in terms & words) / total
            context = CHUNK_WEIGHT * found[unit.chunk.chunk_id] / top
            support = dense + LEXICAL_WEIGHT * overlap + context
            shaped = (why or facts) and _of_shape(_read_on(unit, siblings[unit.chunk.chunk_id]).text, why, facts)
            scored.append(ScoredUnit(unit, support + asked + (SHAPE_BONUS if shaped else 0.0), support))
        return sorted(scored, key=lambda s: -s.score)

    def _vector(self, text: str) -> np.ndarray:
        """A question text's vector, encoded once while it is among the last few scored against."""
        vector = self._questions.get(text)  # one look-up: the app shares one scorer between sessions' threads
        if vector is None:
            vector = self._questions[text] = self.embedder.encode([text])[0]
            while len(self._questions) > RECENT_QUESTIONS:
                with suppress(KeyError):  # another session's thread took the oldest first
                    self._questions.popitem(last=False)
        return vector


def _of_shape(passage: str, why: bool, facts: Sequence[FactPattern]) -> bool:
    """Whether the passage (as it would be quoted, read on) states a fact of a type asked for, or for a why
    question gives a reason; a passage saying what should be done states neither (a target is not a fact)."""
    if _PRESCRIBES.search(passage):
        return False
    return (why and bool(_CAUSE.search(passage))) or any(f.search(passage) for f in facts)


def _term_weights(terms: set[str], unit_terms: Sequence[set[str]]) -> dict[str, float]:
    """Each question word weighted by how few of the candidate passages use it (inverse document frequency over
    the evidence): a word every passage shares ("child") tells them apart less than one few use ("burn")."""
    n = len(unit_terms)
    return {t: math.log((1 + n) / (1 + sum(t in words for words in unit_terms))) + 1.0 for t in terms}


class ExtractiveAnswerer:
    """Deterministic, offline: only verbatim review text plus minimal connective words."""

    name = Answerer.EXTRACTIVE

    def __init__(self, subject_of: SubjectOf) -> None:
        self.subject_of = subject_of

    def draft(self, question: Question, scored: Sequence[ScoredUnit], searched: int = 0) -> Draft:
        """A direct answer, or for a question across reviews each review's best passage."""
        if question.across:
            return self.across(question, scored, searched)
        return compose(direct_units(question, scored), self.subject_of, self.name)

    def across(self, question: Question, scored: Sequence[ScoredUnit], searched: int) -> Draft:
        """Each review's passages that answer, grouped by review, with how many reviews had something."""
        per_review: dict[str, list[ScoredUnit]] = {}
        named = len(question.reviews) > 1  # every review the question names is answered from when it can be
        best = max((s.support for s in scored), default=0.0)
        floor = MIN_SUPPORT if named or question.which or not scored else max(MIN_SUPPORT, best - ACROSS_MARGIN)
        for item in scored:
            per_review.setdefault(item.unit.chunk.review_id, []).append(item)
        per_review = {r: items for r, items in per_review.items() if max(s.support for s in items) >= floor}
        units = [u for items in per_review.values() for u in direct_units(question, items, UNITS_PER_REVIEW)]
        draft = compose(units, self.subject_of, self.name)
        if searched:
            verb = "has" if len(per_review) == 1 else "have"
            count = f"{len(per_review)} of the {searched} reviews searched {verb} something on this."
            draft = Draft(f"{count}\n\n{draft.text}", draft.citations, draft.answerer)
        return draft

    def lists(
        self, sections: dict[str, list[Chunk]], kind: str, topic: str = "", heading: str = "", number: str = ""
    ) -> Draft:
        """Every item of the given sections, one list per review, in the review's order and numbering (those that
        mention `topic`, when any does: "Which of them are about the police?"); a review whose sections are of
        another kind than the one asked for says so. `heading`: the one section asked for by its heading, which
        names the list. `number`: the one item asked for by its number, with the comment set after it ('Response:
        ...'), where the review has it."""
        lines: list[str] = []
        citations: list[Citation] = []
        listed = {review_id: list_items(chunks) for review_id, chunks in sections.items()}
        if number and any(item_numbered(items, number) for items in listed.values()):
            return self._one_item(sections, listed, kind, number)
        if number:  # "recommendation 9" of a review with four: say so over the list it has
            of = self._of_one(sections)
            lines.append(f"None of the {_label(kind)}{of} is numbered {number}; here is each of them.")
        if wanted := stems(topic):
            about = {
                r: [i for i in items if wanted & stems(f"{i.heading} {i.unit.text}")] for r, items in listed.items()
            }
            if any(about.values()):
                listed = about
            else:
                of = self._of_one(sections)
                lines.append(f"None of the {_label(kind)}{of} mentions \u201c{topic}\u201d; here is each of them.")
        for review_id, chunks in sections.items():
            items = listed[review_id]
            if not items:
                continue
            entries = []
            for item in items:
                citations.append(cite(len(citations) + 1, item.unit))
                entries.append(_item_line(item, len(citations)))
            found = chunks[0].section_kind
            label = f"The {heading.lower() or _label(found)} of {self._name(review_id, chunks[0])}"
            if found != kind:
                label += f" (it has no {_label(kind)} section)"
            lines.append(f"{label}:\n" + "\n".join(entries))
        return Draft(text="\n\n".join(lines), citations=tuple(citations), answerer=self.name)

    def _one_item(
        self, sections: dict[str, list[Chunk]], listed: dict[str, list[Item]], kind: str, number: str
    ) -> Draft:
        """The item each review numbers `number`, under its label, and the comment after it when there is one."""
        lines: list[str] = []
        citations: list[Citation] = []
        for review_id, items in listed.items():
            item = item_numbered(items, number)
            if item is None:
                continue
            entries = []
            for unit in (item.unit, comment_after(item, sections[review_id])):
                if unit is not None:
                    citations.append(cite(len(citations) + 1, unit))
                    entries.append(_item_line(Item(item.label if unit is item.unit else "", unit), len(citations)))
            name = _label(kind).removesuffix("s").capitalize()
            lines.append(f"{name} {number} of {self._name(review_id, sections[review_id][0])}:\n" + "\n".join(entries))
        return Draft(text="\n\n".join(lines), citations=tuple(citations), answerer=self.name)

    def _of_one(self, sections: dict[str, list[Chunk]]) -> str:
        """' of the Child P review' when the sections are one review's; '' for several."""
        (review_id, chunks), *others = sections.items()
        return "" if others else f" of {self._name(review_id, chunks[0])}"

    def _name(self, review_id: str, chunk: Chunk) -> str:
        subject = self.subject_of(review_id)
        return f"the {subject} review" if subject else chunk.review_title


def direct_units(question: Question, scored: Sequence[ScoredUnit], limit: int = MAX_UNITS) -> list[Unit]:
    """The passage that answers best (scoring puts one of the shape asked for first), the sentence after it when
    that completes it, and for a question of several parts, passages close to it that answer a part it leaves
    out."""
    if not scored:
        return []
    best = scored[0].score
    terms = stems(question.text)
    chosen = [_read_through(question, scored[0].unit, terms)]
    covered = stems(chosen[0].text) & terms
    following = _next_unit(chosen[0], scored)
    if following is not None and _completes(question, chosen[0], following, terms, covered):
        chosen.append(following)
        covered |= stems(following.text) & terms
    facts = question.fact_patterns
    for close in [s for s in scored[1:] if s.score >= best - MARGIN and not _within(s.unit, chosen)]:
        given = facts and all(any(f.search(u.text) for u in chosen) for f in facts)
        if given and not any(f.search(close.unit.text) for f in facts):
            continue  # every fact asked for is given: a passage close in score that gives none adds nothing
        if len(chosen) >= limit:
            break
        chosen.append(_read_on(close.unit))  # too close to call: the reader sees each
    reason = (REASON,) if _WHY.search(question.text) else ()  # a why question asks for a reason
    if len(chosen) < limit and (giving := _giving_fact((*facts, *reason), chosen, scored)) is not None:
        chosen.append(giving)  # the passage giving the fact asked for, where the best does not
    chosen = _with_its_list(_without_contained(chosen))
    later = stems(question.later_part)
    if not later or later & covered:
        return chosen
    for item in scored[1:]:  # the second part of a two-part question, when the answer so far misses it
        if len(chosen) >= limit:
            break
        if not _within(item.unit, chosen) and item.score >= best - WIDER_MARGIN and stems(item.unit.text) & later:
            chosen.append(item.unit)
            break
    return chosen


def _without_contained(chosen: list[Unit]) -> list[Unit]:
    """The chosen passages less any that another one, read on over it, already quotes."""
    return [
        u
        for u in chosen
        if not any(c is not u and c.end - c.start > u.end - u.start and _within(u, [c]) for c in chosen)
    ]


def _giving_fact(facts: Sequence[FactPattern], chosen: list[Unit], scored: Sequence[ScoredUnit]) -> Unit | None:
    """The best passage within FACT_MARGIN of the best that gives a fact asked for that no chosen one gives
    (read on as it would be quoted); None when every fact is given or none is near."""
    missing = [f for f in facts if not any(f.search(u.text) for u in chosen)]
    if not missing:
        return None
    near = [s for s in scored[1:] if s.score >= scored[0].score - FACT_MARGIN and not _within(s.unit, chosen)]
    found = next((s for s in near if missing[0].search(s.unit.text)), None)
    return _read_on(found.unit) if found else None


def _with_its_list(chosen: list[Unit]) -> list[Unit]:
    """When the answer is a bullet of a list its lead-in introduces ("...was based on a view that:"), the rest
    of that list comes with it: the lead-in says the items belong together."""
    first = chosen[0]
    if not first.is_bullet:
        return chosen
    siblings = split_units(first.chunk)
    index = next((i for i, u in enumerate(siblings) if u.start == first.start), None)
    if index is None:
        return chosen
    begin = index
    while begin > 0 and siblings[begin - 1].is_bullet:
        begin -= 1
    end = index
    while end + 1 < len(siblings) and siblings[end + 1].is_bullet:
        end += 1
    if begin == 0 or not siblings[begin - 1].text.rstrip().endswith(":"):
        return chosen
    listed = siblings[begin : end + 1][:MAX_LIST_UNITS]
    return [*chosen, *(u for u in listed if all(u.start != c.start for c in chosen))]


def _read_on(unit: Unit, siblings: Sequence[Unit] | None = None) -> Unit:
    """The unit and, when the next sentence of its paragraph leans back on it ("Four were assessed as medium
    risk."), that sentence too, quoted as one passage: a sentence that restates what was asked is often followed
    by the one that answers it. `siblings` are its chunk's units, when already split."""
    if unit.is_bullet:
        return unit
    chunk = unit.chunk
    following = next((u for u in siblings or split_units(chunk) if u.start >= unit.end), None)
    if following is None or not leans_back(following.text, unit.text) or not _same_paragraph(unit, following):
        return unit
    return span(chunk, unit.start, following.end, False)


def _read_through(question: Question, best: Unit, terms: set[str]) -> Unit:
    """The best passage as it is quoted: read on over a sentence leaning back on it, and through its paragraph for
    what the question asks that it leaves out. For a yes/no question, a word of the question; for "What did the GP
    do ...?", what the GP did; for another question about one review, a content word of the question (not a name),
    unless the passage gives every fact asked for: "What did the Emergency Department diagnose when Baby N was
    eight weeks old?" is answered two sentences after the one restating its premise. On gold.jsonl: accuracy
    0.815 -> 0.822, citation precision 0.698 -> 0.712; on the seeds, accuracy 0.899 -> 0.910."""
    unit = _read_on(best)
    if question.yes_no:
        return _through_asked(unit, terms)
    if _OUTCOME.search(question.text) and (rest := _rest_of_paragraph(unit)):
        return span(unit.chunk, unit.start, rest[0].end, False)  # what came of it: the sentence after
    if (
        question.focus
        and _WHAT_DID.match(question.text)
        and (doings := _through_doings(unit, question.focus)) is not unit
    ):
        return doings
    given = bool(question.fact_patterns) and all(f.search(unit.text) for f in question.fact_patterns)
    if unit is not best or question.across or given:
        return unit
    return _through_asked(unit, {t[:5] for t in question.terms})


def _through_asked(unit: Unit, terms: set[str]) -> Unit:
    """The passage read on through its paragraph to the sentence (at most READ_ON_MAX on)
    that has a word of the question the passage lacks: "A GP saw Niamh with bruising. Her mother said she had
    fallen. The GP did not make a referral." answers whether the GP referred her. As it was when none has."""
    missing = terms - stems(unit.text)
    found = next((f for f in _rest_of_paragraph(unit) if stems(f.text) & missing), None)
    return span(unit.chunk, unit.start, found.end, False) if found else unit


def _through_doings(unit: Unit, agent: str) -> Unit:
    """For "What did the GP do ...?", the passage read on through its paragraph (at most READ_ON_MAX on) to the
    last sentence opening on the one asked about: "The GP noticed a bruise. The father said it was the car seat.
    The GP recorded it but did not follow the protocol." As it was when none does."""
    opening = [f for f in _rest_of_paragraph(unit) if stems(agent) & stems(" ".join(f.text.split()[:AGENT_WORDS]))]
    return span(unit.chunk, unit.start, opening[-1].end, False) if opening else unit


def _rest_of_paragraph(unit: Unit) -> list[Unit]:
    """The sentences after a unit in its paragraph, at most READ_ON_MAX of them, up to a bullet; none after a
    bullet, which is a paragraph of its own."""
    if unit.is_bullet:
        return []
    rest = []
    for following in [u for u in split_units(unit.chunk) if u.start >= unit.end][:READ_ON_MAX]:
        if not _same_paragraph(unit, following) or following.is_bullet:
            break  # the paragraph ends
        rest.append(following)
    return rest


def _same_paragraph(unit: Unit, following: Unit) -> bool:
    """Whether a later unit of the same chunk is in the unit's paragraph: no line break between them."""
    chunk = unit.chunk
    return "\n" not in chunk.text[unit.end - chunk.start : following.start - chunk.start]


def leans_back(text: str, before: str) -> bool:
    """Whether a sentence refers back to the one before it: it opens with a pronoun, determiner or number word,
    or with "the" and a word of that sentence ("An interpreter was booked. The interpreter who arrived ...")."""
    definite = _DEFINITE.match(text)
    return bool(_LEANS_BACK.match(text)) or (definite is not None and definite.group(1)[:5].lower() in stems(before))


def _within(unit: Unit, chosen: Sequence[Unit]) -> bool:
    """Whether the unit is one of the chosen or part of one (a sentence read on with the one before it)."""
    return any(c.chunk.chunk_id == unit.chunk.chunk_id and c.start <= unit.start and unit.end <= c.end for c in chosen)


def _next_unit(unit: Unit, scored: Sequence[ScoredUnit]) -> Unit | None:
    """The unit that follows this one in its chunk (among the scored ones)."""
    after = [s.unit for s in scored if s.unit.chunk.chunk_id == unit.chunk.chunk_id and s.unit.start >= unit.end]
    return min(after, key=lambda u: u.start) if after else None


def _completes(question: Question, first: Unit, following: Unit, terms: set[str], covered: set[str]) -> bool:
    """Whether the next sentence carries what the first leaves out: the fact asked for, or the second part of a
    two-part question."""
    pattern = question.fact_pattern or (REASON if _WHY.search(question.text) else None)  # or a why's reason
    if pattern is not None and not pattern.search(first.text) and pattern.search(following.text):
        return True
    later = stems(question.later_part)
    return bool(later) and not (later & covered) and bool(stems(following.text) & later)


def compose(units: Sequence[Unit], subject_of: SubjectOf, answerer: str) -> Draft:
    """The units grouped by review, and within a review about several children by the child a passage is about
    (first answer first), in answer order, each with its marker."""
    groups: dict[tuple[str, str | None], list[Unit]] = {}
    for unit in units:
        groups.setdefault((unit.chunk.review_id, unit.chunk.child), []).append(unit)
    lines: list[str] = []
    citations: list[Citation] = []
    for (review_id, child), group in groups.items():
        subject = subject_of(review_id)
        name = f"the {subject} review" if subject else group[0].chunk.review_title
        if child and child != subject:
            name = f"{name}, about {child}"
        entries = []
        for unit in group:
            citations.append(cite(len(citations) + 1, unit))
            entries.append(f"{unit.text} [{len(citations)}]")
        if len(entries) == 1:
            lines.append(f"In {name}: {entries[0]}")
        else:
            lines.append(f"In {name}:\n" + "\n".join(f"- {e}" for e in entries))
    return Draft(text="\n\n".join(lines), citations=tuple(citations), answerer=answerer)


def dedupe(units: list[Unit]) -> list[Unit]:
    """The first of units with the same words in the same review."""
    seen: set[tuple[str, str]] = set()
    out = []
    for unit in units:
        key = (unit.chunk.review_id, " ".join(unit.text.lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(unit)
    return out


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _item_line(item: Item, marker: int) -> str:
    """An item under the label the review prints ('-' for a bullet or a paragraph), below its sub-heading if any."""
    line = f"{item.label or '-'} {item.unit.text} [{marker}]"
    return f"{item.heading}\n{line}" if item.heading else line
