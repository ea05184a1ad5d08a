"""The children a review is about, in every naming form reviews use, and which child each section is about.

Naming forms: a role word and a letter or number ("Child D", "Young Person J", "Baby N", "Infant P", "Adolescent
X", "Sibling A", "Child 2"), lists ("Siblings A and E", "Infants P and W", "Child A and Child B"), a role word and
a word pseudonym ("Child Wren", when the review never uses the word in lower case and it is not inside a longer
capitalised name), and pseudonyms the review introduces for a child ("referred to as Arthur", "we call the
children Ash, Birch and Cedar"). A review's subjects are the children its title names; without one, those its
headings name (a thematic review's section per child), else the one it names most often. An adult ("Mr Dean",
"the mother's partner") is never a subject: only names introduced for a child count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from core.models import Subject
from core.text import NAME_CAPITAL as _CAP
from core.text import NAME_LOWER as _LOW
from ingest.metadata import names_only_a_type, without_review_types

ROLES = ("Young Person", "Young People", "Child", "Children", "Baby", "Babies", "Infant", "Adolescent", "Sibling",
         "Twin", "Girl", "Boy")  # fmt: skip
_ROLE = r"(Young Person|Young People|Child(?:ren)?|Bab(?:y|ies)|Infants?|Adolescents?|Siblings?|Twins?|Girls?|Boys?)"
_LETTER = r"(?:[A-Z]{1,2}\d?|\d{1,2})"  # "Child D", "Child A1", and in thematic reviews "Child 1", "Child 2"
NAMED = re.compile(  # "Child D", "Siblings A and E", and a redacted "Child [X]"
    rf"\b{_ROLE}(?:[ \t]+(?:Group|Family))?[ \t]+\[?({_LETTER})\b\]?"
    rf"((?:[ \t]*,[ \t]*(?:{_ROLE}[ \t]+)?{_LETTER}\b){{0,8}}"
    rf"(?:,?[ \t]+(?:and|&)[ \t]+(?:{_ROLE}[ \t]+)?{_LETTER}\b)?)"
)
_MORE_NAMES = re.compile(rf"(?:{_ROLE}[ \t]+)?\b({_LETTER})\b")
# A role word and a word pseudonym ("Child Wren", "Young Person Rook"): a name only when the text never uses the
# word in lower case ("Child Protection" is no child), and never a law's name: "the Children Act 1989", a word for
# legislation or one a year follows (general English).
NAMED_BY_WORD = re.compile(
    rf"\b{_ROLE}[ \t]+(?!(?:Acts?|Orders?|Regulations|Rules|Bill)\b)({_CAP}{_LOW}{{2,20}})\b(?![ \t]+(?:19|20)\d\d\b)"
)
_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'-]*[ \t]+$")
_CAPITAL_AFTER = re.compile(r"[ \t]+[A-Z]")
# quoted or emphasised
_NAME = rf"[\"'\u201c\u2018*_]{{0,2}}(?:{_CAP}{_LOW}{{1,20}}|[A-Z])[\"'\u201d\u2019*_]{{0,2}}"
_PSEUDONYM = re.compile(
    r"\b(?:(?:referred to|known|called|named)(?:[ \t]+(?:here|in[ \t]+this[ \t]+(?:review|report)))?[ \t]+as"
    r"|(?:[Ww]e|is|are|was|be|been)[ \t]+call(?:ed)?(?:[ \t]+[a-z]+){0,3})[ \t]+"
    rf"({_NAME}(?:[ \t]*,[ \t]*{_NAME}){{0,8}}(?:,?[ \t]+and[ \t]+{_NAME})?)"
)
# "Sam (not his real name)", "Leah (a pseudonym chosen by her mother)": a name the review says is not the real one.
_NOT_REAL_NAME = re.compile(
    rf"\b({_CAP}{_LOW}{{1,20}})[ \t]*\((?:not (?:his|her|their)(?: real| actual)? name"
    r"|(?:a )?pseudonym\b[^()\n]{0,60}"
    r"|name changed)\)"
)
_AGE_NUMBER = (
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen)"
)
# ... of a child: the sentence names a child or an age, or the review says it concerns the name ("This review
# concerns Sam (not his real name), who was 14"); not the name after an adult's role ("his mother, Sarah (...)").
_CHILD_CONTEXT = re.compile(
    rf"\b(?:aged|age of)[ \t]+{_AGE_NUMBER}\b|\b{_AGE_NUMBER}(?:-year-old|[ \t]+(?:years?|months?)[ \t]+old)\b"
    rf"|\bwho was {_AGE_NUMBER}\b"
    r"|\b(?:concerns|is about|was about)[ \t]+$",
    re.I,
)
_ADULT_BEFORE = re.compile(
    r"\b(?:mother|father|mum|dad|parent|partner|step(?:father|mother)|grand(?:mother|father)|aunt|uncle|carer"
    r"|boyfriend|girlfriend|man|woman|adult|worker|officer|teacher)'?s?,?[ \t]+$",
    re.I,
)
# "We call them ...": the children of the sentence before.
_REFERS_BACK = re.compile(r"\bcall(?:ed)?[ \t]+(?:them|him|her)[ \t]*$")
_LISTED_NAME = re.compile(rf"\b({_CAP}{_LOW}{{1,20}}|[A-Z])\b")
# a title's: 'Review: "Arthur"'
_QUOTED_NAME = re.compile(rf"[\"'\u201c\u2018]({_CAP}{_LOW}{{1,20}})[\"'\u201d\u2019]")
_CHILD_WORDS = re.compile(
    r"\b(?:child|children|sibling|siblings|twins?|baby|babies|infant|boy|girl|son|daughter|young (?:person|people))\b",
    re.I,
)
_HONORIFIC = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Auntie", "Uncle"})
_SINGULAR = {"Young People": "Young Person", "Children": "Child", "Babies": "Baby"}
_NAME_PARTS = re.compile(r"[ \t]*(?:,|\band\b|&)[ \t]*")  # "Ruby, Jake and Lily": three names
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|of|across|within|around|near|into|for|by)[ \t]+$", re.I)
MAX_NAME_WORDS = 3  # a child's name in a title: "Leo", "Liam Corrigan"
_TITLE_PUNCTUATION = " \t:;|-\u2013\u2014"  # what parts a title's names from its type ("Review: Leo", "Leo - LCSPR")
MAX_LINE_NAMES = 6  # names a title may list ("Ruby, Jake and Lily")
_WORD = re.compile(r"\w+")
MIN_NAME_USES = 3  # times a review writes a name it is about (a title's word it writes once is no child)
_SENTENCE = re.compile(r"[^.!?\n]{1,600}[.!?]?")


def named_children(text: str) -> list[tuple[str, str]]:
    """(role, letter) for every child named by role and letter in the text, lists expanded, in order."""
    out: list[tuple[str, str]] = []
    for match in NAMED.finditer(text):
        role = _singular(match.group(1))
        out.append((role, match.group(2)))
        for more in _MORE_NAMES.finditer(match.group(3) or ""):
            role = _singular(more.group(1)) if more.group(1) else role
            out.append((role, more.group(2)))
    return out


def named_by_word(text: str, common: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(role, name) for every child named by role and a word pseudonym ("Child Wren"), in order. Not a name: a
    word `common` tells is in ordinary use ("protection"), or the role and word inside a longer capitalised name
    ("Local Child Safeguarding Practice Review", "Safeguarding Children Partnership")."""
    out = []
    for match in NAMED_BY_WORD.finditer(text):
        inside = _CAPITAL_BEFORE.search(text, max(0, match.start() - 30), match.start()) or _CAPITAL_AFTER.match(
            text, match.end()
        )
        if not inside and not common(match.group(2).lower()):
            out.append((_singular(match.group(1)), match.group(2)))
    return out


_AGE_AFTER = re.compile(r"[ \t]*\((?:aged?|age)[ \t][^()\n]{1,30}\)[ \t]*$", re.I)


def find_subjects(title: str | None, headings: Iterable[str], text: str) -> tuple[Subject, ...]:
    """The children the review is about, with the other names it uses for each."""
    lower = set(re.findall(r"\b[a-z]{3,21}\b", text))  # words the review uses in lower case

    def named(part: str) -> list[tuple[str, str]]:
        return named_children(part) + named_by_word(part, lower.__contains__)

    counts = Counter(named(text))
    if title and title.upper() == title:  # "SERIOUS CASE REVIEW: YOUNG PERSON H"
        title = " ".join(w if len(w) <= 2 else w.capitalize() for w in title.split())
    title = _AGE_AFTER.sub("", title) if title else title  # "Rapid Review: Mila (aged 3)" names Mila
    chosen = _dedupe(named(title or "")) or _dedupe(n for h in headings for n in named(h))
    titled = _QUOTED_NAME.findall(title or "") or _titled(title or "", text)
    if not chosen and titled:  # a name beside the type of review ("Case Management Review: Aoife")
        chosen = [("", p) for p in titled]
    if not chosen and counts:  # the child the text names most often
        chosen = [counts.most_common(1)[0][0]]
    pseudonyms = _pseudonyms(text, title or "")
    if not chosen and pseudonyms:
        chosen = [("", p) for p in pseudonyms]
    letters = {letter for _, letter in chosen}
    subjects = []
    for role, letter in chosen:
        other_roles = sorted({f"{r} {letter}" for r, lt in counts if lt == letter and r != role})
        aliases = [*other_roles, letter] if role and not letter.isdigit() else other_roles  # "D", never "2"
        if not role and " " in letter:  # "Liam Corrigan" is "Liam" through the text
            aliases = [*aliases, letter.split()[0]]
        name = f"{role} {letter}" if role else letter
        subjects.append(Subject(name, tuple(a for a in dict.fromkeys(aliases) if a != name)))
    groups = _group_names(title or "", letters)
    if len(subjects) > 1 and groups:
        subjects = [Subject(s.name, (*s.aliases, *groups)) for s in subjects]
    return tuple(subjects)


def section_children(paths: Sequence[tuple[str, ...]], subjects: Sequence[Subject]) -> list[str | None]:
    """The one subject each section (by its heading trail) is about, in a review of several: the only one its
    nearest heading naming any names. The names are read into one table once, so a review about hundreds of
    children is read in time linear in its headings."""
    if len(subjects) < 2:
        return [None] * len(paths)
    names = _Names(subjects)
    out: list[str | None] = []
    for path in paths:
        named = next((found for heading in reversed(path) if len(found := names.mentioned(heading)) == 1), None)
        out.append(named[0] if named else None)
    return out


def names_a_subject(headings: Sequence[str], subjects: Sequence[Subject]) -> list[bool]:
    """Whether each heading names a child the review is about ("About Jaylen", "Jaylen's story")."""
    if not subjects:
        return [False] * len(headings)
    names = _Names(subjects)
    return [bool(names.mentioned(heading)) for heading in headings]


class _Names:
    """The subjects each name names, by its words: full names ("Child D", "Ash") and bare letters ("D", only as
    "D's"), to find the subjects a heading names by looking its runs of words up."""

    def __init__(self, subjects: Sequence[Subject]) -> None:
        self.order = {subject.name: i for i, subject in enumerate(subjects)}
        self.forms: dict[str, set[str]] = {}
        self.letters: dict[str, set[str]] = {}
        for subject in subjects:
            for name in subject.names:
                held = self.forms if " " in name or len(name) > 2 else self.letters
                held.setdefault(" ".join(_WORD.findall(name)), set()).add(subject.name)
        self.longest = max((len(form.split()) for form in self.forms), default=1)

    def mentioned(self, text: str) -> list[str]:
        """The subjects the text names, in the subjects' order; each run of its words looked up once."""
        words = list(_WORD.finditer(text))
        named: set[str] = set()
        for i, word in enumerate(words):
            run = word.group(0)
            named |= self.forms.get(run, set())
            for before, after in zip(words[i : i + self.longest - 1], words[i + 1 : i + self.longest], strict=False):
                if not text[before.end() : after.start()].isspace():
                    break  # "Child, A" is not "Child A"
                run = f"{run} {after.group(0)}"
                named |= self.forms.get(run, set())
            if text[word.end() : word.end() + 2] in ("'s", "\u2019s"):
                named |= self.letters.get(word.group(0), set())
        return sorted(named, key=self.order.__getitem__)


def _pseudonyms(text: str, title: str = "") -> list[str]:
    """Names a review says it uses for children ('two siblings, referred to as A and E'; 'The review is about
    two brothers. We call them Sorrel and Teasel.': "them" stands for the children of the sentence before); a name
    it says is not the real one is a child's when the sentence tells of a child or the title names it ('Child
    Safeguarding Practice Review: Kai' over 'Kai (a pseudonym chosen by his family) was 15 ...')."""
    titled = set(re.findall(rf"\b{_CAP}{_LOW}{{1,20}}\b", title))
    out: list[str] = []
    previous = ""
    for sentence in _SENTENCE.finditer(text):
        for match in _PSEUDONYM.finditer(sentence.group(0)):
            before = sentence.group(0)[: match.start(1)]
            if _REFERS_BACK.search(before):
                before = f"{previous} {before}"
            if not _CHILD_WORDS.search(before):
                continue
            out.extend(n for n in _LISTED_NAME.findall(match.group(1)) if n not in _HONORIFIC)
        for match in _NOT_REAL_NAME.finditer(sentence.group(0)):
            before = sentence.group(0)[: match.start(1)]
            if _ADULT_BEFORE.search(before) or match.group(1) in _HONORIFIC:
                continue
            told = sentence.group(0)
            child = _CHILD_WORDS.search(told) or _CHILD_CONTEXT.search(told) or _CHILD_CONTEXT.search(before)
            if child or match.group(1) in titled:
                out.append(match.group(1))
        previous = sentence.group(0)
    return list(dict.fromkeys(out))


_A_REVIEW = re.compile(r"\b(?:Review|Report)\s*$", re.I)


def _titled(title: str, text: str) -> list[str]:
    """The names a title gives beside its type of review ("Ruby, Jake and Lily: Local Child Safeguarding Practice
    Review", "Local Child Safeguarding Practice Review: Leo")."""
    head, colon, tail = title.partition(":")
    if colon and (names_only_a_type(head) or _A_REVIEW.search(head)):  # "Local Learning Review: Jayden", and a
        return names_in(tail, text)  # type no list holds ("Safeguarding Adolescents Review: Ellis")
    if colon and names_only_a_type(tail):  # "Jaden: A Child Safeguarding Practice Review"
        return names_in(head, text)
    rest = without_review_types(title)
    return names_in(rest, text) if rest != title else []


def names_in(line: str, text: str) -> list[str]:
    """The names a line is made of ("Leo", "Ruby, Jake and Lily", "Liam Corrigan"), when it is nothing else and the
    text uses each as a person's: its first word never in lower case and at least MIN_NAME_USES times on its own
    ("Liam was four"), not after a preposition ("in Kirkby") nor before another capitalised word ("Hillcrest
    Primary School", "Operation Kestrel", "Executive Summary"); [] otherwise. One pass over the text per name."""
    parts = [p.split() for p in _NAME_PARTS.split(line.strip(_TITLE_PUNCTUATION)) if p.strip()]
    if not parts or len(parts) > MAX_LINE_NAMES:
        return []
    words = [w for part in parts for w in part]
    if any(not _LISTED_NAME.fullmatch(w) or len(w) < 2 for w in words) or any(len(p) > MAX_NAME_WORDS for p in parts):
        return []
    for part in parts:
        uses = 0
        for match in re.finditer(rf"\b{re.escape(part[0])}\b", text, re.I):
            if match.group(0)[:1].islower():
                return []  # the text writes it in lower case: a word, not a name
            if match.group(0) != part[0]:
                continue  # in capitals ("JAYDEN" on a cover): neither a use nor a word
            longer = _CAPITAL_AFTER.match(text, match.end()) is not None  # "Liam Corrigan" is not "Liam" alone
            placed = _PLACE_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None
            uses += not longer and not placed
        if uses < MIN_NAME_USES:
            return []
    return [" ".join(part) for part in parts]


def _group_names(title: str, letters: set[str]) -> list[str]:
    """'Siblings A and E' as written in the title, an alias of each child it names."""
    return [m.group(0) for m in NAMED.finditer(title) if m.group(3) and m.group(2) in letters]


def _dedupe(names: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    for role, letter in names:
        seen.setdefault(letter, (role, letter))
    return list(seen.values())


def _singular(role: str) -> str:
    role = _SINGULAR.get(role, role)
    return role[:-1] if role.endswith("s") and role[:-1] in ROLES else role
