"""Whether the passage an answer opens with says yes or no to a yes/no question, read from its own words.

A wrong "no" or "yes" can mislead a decision about a child, so the reading is narrow and says nothing when unsure:
- "no" when a negation (no, not, never, without ...) is bound to a word the question asks about ("the mother was
  never seen alone", "no exclusions", "is not a close relative"), in a sentence holding every word the question
  asks about, with nothing before the negation in its clause but the question's own words, and nothing that
  weakens it (a report of what someone said, a modal, "until", "only", "but", "almost");
- "yes" when one sentence holds every word of the question (its verb too: "made", "told"), with no negation at
  all, its subject being the child asked about (or a pronoun) or words of the question, and nothing that weakens
  it;
- nothing for a question that asks two things ("... or ...", "..., and when?"), across reviews, in the negative,
  or about what could or should have happened.
Every test is a pass over the passage's words: linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.catalog import STOPWORDS, query_terms
from ingest.subjects import NAMED
from retriever.question import Question
from retriever.vocabulary import formal

# -- constants: closed classes of general English, not any review's words. Calibrated on evals/corpus-dev/gold.jsonl
# and evals/gold_seed.jsonl only (never the holdout): of their 32 yes/no questions, two get an opening, both right
# ("No" for dev-p16 and g036), the other 30 none; on each gold evidence sentence of those questions the same. -------
STEM = 5  # words compared by their first five letters, as the answerer does ("excluded" meets "exclusions")
MAX_RUN = 4  # a negated phrase is read up to this many words ("no special educational needs")
# Questions whose answer a review states as a fact (not "could", "should", "would": what might have been).
_ASKS_FACT = re.compile(r"^\s*(?:was|were|did|does|do|is|are|has|had|have)\b", re.I)
_PRESENT = frozenset({"is", "are", "does", "do"})  # a question in the present may be answered by a general rule
_NEGATIONS = frozenset({"no", "not", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"})
_NOUN_NEGATIONS = frozenset({"no", "none", "nobody", "nothing", "neither", "nor", "without"})  # negate what follows
_ARTICLES = frozenset({"a", "an", "the", "any"})
_SKIPPED = frozenset({"be", "been", "being", "have", "had", "has", "ever"})  # between a negation and its word
# Words that end a negated phrase or a clause's subject: prepositions, conjunctions, relatives, pronouns.
_FUNCTION_TEXT = (
    "about after against among around because before behind below beside between beyond during except if into "
    "near nor off onto over since than though through throughout till toward towards under unless until upon "
    "whereas whether while whilst whom whose him hers herself himself itself our ours ourselves themselves us "
    "those these any anyone anybody anything someone somebody something ever also still really actually own "
    "all every each both either one"
)
_FUNCTION = STOPWORDS | frozenset(_FUNCTION_TEXT.split())
_PERSONAL = frozenset({"he", "she", "they", "his", "her", "their"})  # may stand for the child asked about
_OWNERS = frozenset({"his", "her", "their"})
_PRONOUNS = _PERSONAL | {"it", "its"}
_RELATIVES = frozenset({"that", "which", "who", "whom"})
# A name after one of these is not the subject ("the brother of Child K").
_PREPOSITIONS = frozenset({"of", "to", "for", "with", "by", "from", "about", "on", "at", "in", "against", "towards"})
_CLAUSE_BREAKS = frozenset({"and", "but", "or", "because", "although", "though", "while", "whilst", "whereas", "so"})
# After a negation, a word that makes it partial, temporary or one of several ("not ... until", "not only", "no
# further", "not ... at the time", "not ... this year", "did not attend on five occasions"), unless the question
# says it too ("during her pregnancy").
_QUALIFIERS = frozenset(
    {"but", "however", "although", "though", "until", "till", "unless", "except", "only", "yet", "later", "apart",
     "other", "another", "instead", "longer", "further", "more", "again", "new", "additional", "subsequent",
     "always", "often", "usually", "fully", "properly", "consistently", "before", "time", "then", "stage", "point",
     "prior", "previously", "initially", "first", "second", "once", "twice", "some", "several", "many", "most",
     "few", "occasion", "occasions", "times", "sometimes", "two", "three", "four", "five", "six", "seven", "eight",
     "nine", "ten", "year", "years", "month", "months", "week", "weeks", "term", "period", "recently", "since",
     "during", "when", "while", "whilst", "after"}
)  # fmt: skip
_DEGREE = frozenset({"almost", "nearly", "hardly", "barely", "scarcely", "virtually", "practically"})
# Someone's account or belief rather than the review's finding, anywhere in the sentence.
_REPORTED = frozenset(
    {"said", "says", "told", "tells", "reported", "reports", "claimed", "claims", "stated", "states", "denied",
     "denies", "alleged", "allegedly", "according", "believed", "believes", "thought", "felt", "recalled",
     "suspected", "suspicion", "suspicions", "appeared", "appears", "seemed", "seems", "described", "disclosed"}
)  # fmt: skip
# What might, should or would happen rather than what did, in the same clause.
_MODAL = frozenset(
    {"may", "might", "could", "would", "should", "must", "can", "will", "shall", "expected", "expects", "if",
     "whether", "possibly", "perhaps", "probably", "likely", "unlikely", "unclear", "unknown", "risk", "ought"}
)  # fmt: skip
# Words that tell of what happened: auxiliaries and the common irregular past forms (regular ones end in "-ed").
_PAST_WORDS = frozenset(
    {"was", "were", "had", "did", "has", "have", "been", "made", "took", "taken", "gave", "given", "saw", "seen",
     "went", "gone", "came", "got", "knew", "known", "left", "kept", "found", "put", "met", "sent", "held", "brought",
     "began", "became", "fell", "lost", "paid", "set", "sat", "stood", "wrote", "written", "spoke", "spoken", "chose",
     "broke", "broken", "drove", "ate", "slept", "done", "shown", "heard", "understood", "hit", "let", "ran", "led"}
)  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*|[.!?;:,()\u2013\u2014\n]")
_SENTENCE_ENDS = frozenset(".!?\n")
_PUNCTUATION = frozenset(".!?;:,()\u2013\u2014\n")


@dataclass(frozen=True)
class _Asked:
    """What a yes/no question asks about, as word stems."""

    terms: tuple[frozenset[str], ...]  # each content word asked about, with its formal forms ("mum" -> "mother")
    stated: tuple[frozenset[str], ...]  # every word a "yes" must hold, the question's verb too ("made", "seen")
    words: frozenset[str]  # every word of the question and its formal forms (for a clause's subject)
    children: tuple[str, ...]  # the children it names, lower-cased token runs ("young person f")
    owned: bool  # it asks about someone of the child's ("Child K's mother"), not the child
    present: bool


def verdict(question: Question, passage: str) -> str:
    """'yes' or 'no' when the passage itself settles the yes/no question, '' when it does not or is unsure."""
    asked = _asked(question)
    if asked is None:
        return ""
    found = {_Sentence(asked, tokens).verdict() for tokens in _sentences(passage)} - {""}
    return found.pop() if len(found) == 1 else ""  # a passage saying both is not settled


def opening(answer_word: str, source: str) -> str:
    """The line an answer opens with: which it is and where that is said ("No, according to the Baby N review")."""
    return f"{answer_word.capitalize()}, according to {source} [1]:" if answer_word else ""


def _asked(question: Question) -> _Asked | None:
    """What a question asks about, or None when it is not a yes/no question this reading can settle."""
    match = _ASKS_FACT.match(question.text)
    if match is None or not question.yes_no or question.across or question.later_part:
        return None
    words = [w.lower() for w in _TOKEN.findall(question.text)]
    if "or" in words or any(_negation(w) for w in words):  # two things asked, or asked in the negative
        return None
    children = tuple(" ".join(w.lower() for w in _TOKEN.findall(c)) for c in question.children)
    named = {w for name in children for w in name.split()}
    unnamed = [w for w in query_terms(NAMED.sub(" ", question.text)) if w not in named]
    terms = tuple(_forms(t) for t in dict.fromkeys(question.terms) if _asked_about(t))
    if not terms:
        return None
    return _Asked(
        terms=terms,
        stated=tuple(_forms(w) for w in unnamed if _asked_about(w)),
        words=frozenset(_stem(w) for w in query_terms(formal(question.text))),
        children=children,
        owned=any(re.search(rf"\b{re.escape(name)}['\u2019]s\b", " ".join(words)) for name in children),
        present=match.group(0).strip().lower() in _PRESENT,
    )


def _asked_about(word: str) -> bool:
    return word not in _FUNCTION and word not in _PRONOUNS and word.isalpha() and len(word) > 1


def _forms(term: str) -> frozenset[str]:
    """A question word's stem and the stems of the formal words for it ("mum" -> "mother")."""
    return frozenset(_stem(w) for w in query_terms(f"{term} {formal(term)} {formal(term.upper())}"))


def _stem(word: str) -> str:
    return word.lower()[:STEM]


def _negation(word: str) -> bool:
    return word in _NEGATIONS or word.endswith(("n't", "n\u2019t"))


def _past(word: str) -> bool:
    return word in _PAST_WORDS or (len(word) > 4 and word.endswith("ed"))


def _sentences(passage: str) -> list[list[str]]:
    """The passage's sentences as lower-cased tokens (words and punctuation marks within a sentence); a full stop
    after a short capitalised word ("Dr.", "G.P.") or inside a number ("2.5") does not end one."""
    tokens = _TOKEN.findall(passage)
    out: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        before, after = tokens[i - 1] if i else "", tokens[i + 1] if i + 1 < len(tokens) else ""
        short_name = before[:1].isupper() and len(before) <= 3
        within = token == "." and (short_name or (before.isdigit() and after.isdigit()))
        if token in _SENTENCE_ENDS and not within:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(token.lower())
    return [s for s in out if s]


class _Sentence:
    """One sentence read against the question, with what each test needs computed in one pass over its words."""

    def __init__(self, asked: _Asked, tokens: Sequence[str]) -> None:
        self.asked = asked
        self.tokens = tokens
        n = len(tokens)
        self.child_words = {w for name in asked.children for w in name.split()}
        if asked.owned:  # "Child K's mother": the child's name as owner is the question's own
            self.child_words |= {f"{w}{s}" for w in self.child_words for s in ("'s", "\u2019s")}
        self.clause_start = [0] * n  # where the clause holding each word starts
        self.last_odd = [-1] * n  # the last word so far that is not the question's, a name, a pronoun or function
        self.last_relative = [-1] * n  # the last relative pronoun so far
        self.last_anchor = [-1] * n  # the last name of the child asked about, or personal pronoun, so far
        self.modal_clauses: set[int] = set()  # the starts of clauses holding a modal ("should", "may", "nearly")
        start, odd, relative, anchor = 0, -1, -1, -1
        self.someone_else = False  # "his brother", "F's sister": someone the question does not ask about
        for i, t in enumerate(tokens):
            if i and (tokens[i - 1] in _OWNERS or tokens[i - 1].endswith(("'s", "\u2019s"))) and self._odd(t):
                self.someone_else = True
            if t in _PUNCTUATION or t in _CLAUSE_BREAKS:
                start = i + 1
            if t in _MODAL or t in _DEGREE:
                self.modal_clauses.add(start)
            if self._odd(t):
                odd = i
            relative = i if t in _RELATIVES else relative
            if t in _PERSONAL:
                anchor = i
            elif t in self.child_words:  # a name's first word, unless after "of", "with" ...; its next words
                before = tokens[i - 1] if i else ""
                if anchor == i - 1 if before in self.child_words else before not in _PREPOSITIONS:
                    anchor = i
            self.clause_start[i], self.last_odd[i], self.last_relative[i] = start, odd, relative
            self.last_anchor[i] = anchor
        self.last_qualifier = max(
            (i for i, t in enumerate(tokens) if (t in _QUALIFIERS and _stem(t) not in asked.words) or t.isdigit()),
            default=-1,
        )
        # Words narrowing a word asked about ("primary school", "formal exclusions"), counted up to each position.
        asked_about = [any(_stem(t) in forms for forms in asked.terms) for t in tokens]
        self.narrowed_before = [0] * (n + 1)
        for i in range(n):
            narrows = i + 1 < n and asked_about[i + 1] and not asked_about[i] and self._odd(tokens[i])
            self.narrowed_before[i + 1] = self.narrowed_before[i] + narrows
        self.clause_end = [n] * n  # where the clause holding each word ends
        for i in range(n - 2, -1, -1):
            breaks = tokens[i + 1] in _PUNCTUATION or tokens[i + 1] in _CLAUSE_BREAKS
            self.clause_end[i] = i + 1 if breaks else self.clause_end[i + 1]
        self.stems = {_stem(t) for t in tokens}

    def _odd(self, word: str) -> bool:
        """Whether a word is none of the question's own, a name of the child, a pronoun or a function word."""
        return not (
            word in _FUNCTION or word in _PRONOUNS or word in _RELATIVES or word in _SKIPPED
            or word in self.child_words or _stem(word) in self.asked.words or word in _PUNCTUATION
        )  # fmt: skip

    def verdict(self) -> str:
        """'no', 'yes' or '' for this sentence."""
        tokens, asked = self.tokens, self.asked
        if not all(forms & self.stems for forms in asked.terms):  # the sentence must hold everything asked about
            return ""
        if self.someone_else or any(t in _REPORTED for t in tokens):
            return ""
        if not (asked.present or any(_past(t) for t in tokens)):  # a general rule does not say what happened
            return ""
        negations = [i for i, t in enumerate(tokens) if _negation(t)]
        if negations:
            return "no" if any(self._bound_negation(i) for i in negations) else ""
        return "yes" if self._affirms() else ""

    def _bound_negation(self, at: int) -> bool:
        """Whether the negation at `at` negates a word the question asks about, plainly and in full."""
        tokens = self.tokens
        if (at and tokens[at - 1] in _DEGREE) or self.last_qualifier > at:  # "almost never", "not ... until"
            return False
        noun = tokens[at] in _NOUN_NEGATIONS
        i = at + 1
        while i < len(tokens) and (tokens[i] in _SKIPPED or tokens[i] in _ARTICLES):
            noun = noun or tokens[i] in _ARTICLES
            i += 1
        run: list[str] = []
        while i < len(tokens) and len(run) < MAX_RUN and tokens[i] not in _PUNCTUATION and tokens[i] not in _FUNCTION:
            run.append(tokens[i])
            i += 1
        if not run:
            return False
        head = run[-1] if noun else run[0]  # "no child protection conference" negates a conference; "never seen"
        if not any(_stem(head) in forms for forms in self.asked.terms):
            return False
        if self.narrowed_before[self.clause_end[at]] > self.narrowed_before[at + 1]:  # "not from primary school"
            return False
        return self.clause_start[at] not in self.modal_clauses and self._plain_subject(at)

    def _affirms(self) -> bool:
        """Whether the sentence states what was asked, every word of it, its subject being the child asked about
        (or a pronoun) or words of the question."""
        asked, tokens = self.asked, self.tokens
        if not asked.stated or not all(forms & self.stems for forms in asked.stated):
            return False
        first = next(i for i, t in enumerate(tokens) if any(_stem(t) in forms for forms in asked.stated))
        if self.clause_start[first] in self.modal_clauses or not self._plain_subject(first):
            return False
        subject = tokens[self.clause_start[first] : first]
        pronouns = _OWNERS if asked.owned else _PERSONAL
        return not asked.children or bool(pronouns & set(subject)) or _names_child(asked, subject)

    def _plain_subject(self, at: int) -> bool:
        """Whether what comes before `at` in its clause, back to the child's name or a pronoun if there is one, is
        only the question's own words, names, pronouns and function words: "In 2020 Child K was", "the mother
        was", not "children who are" or "his brother had"."""
        if at == 0:
            return True
        start = self.clause_start[at]
        relative = self.last_relative[at - 1]
        if relative >= start:  # "harm that was not recognised": the relative stands for the word before it
            start = max(relative - 1, start)
        odd, anchor = self.last_odd[at - 1], self.last_anchor[at - 1]
        return odd < start or anchor > odd


def _names_child(asked: _Asked, subject: Sequence[str]) -> bool:
    """Whether the subject names the child as the question does: as the one asked about, or as the owner of
    what is asked about ("Child K's mother")."""
    text = " ".join(subject)
    after = r"['\u2019]s\b" if asked.owned else r"\b(?!['\u2019]s)"
    return any(re.search(rf"\b{re.escape(name)}{after}", text) for name in asked.children)
