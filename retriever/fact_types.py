"""The types of fact a question can ask for (a number, a date, an age, a weight, an amount, a name, a place ...):
how to see that a question asks for one, and how to see that a passage gives one. General English patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from core.text import MONTH

_NUMBER_WORDS = (
    r"(?:once|twice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|\d[\d,.]*)"
)
_AGE = (
    rf"\b(?:aged?|age of|was|were|is|are|then)\s+(?:just |only |nearly |almost |about )?{_NUMBER_WORDS}\b(?! ?%)"
    rf"|\b{_NUMBER_WORDS}[\s-]+(?:years?|months?|weeks?|days?)[\s-]+old\b"
    r"|\b\d{1,2}-year-old\b|\b(?:years?|months?|weeks?) old\b"
    rf"|\b(?:boy|girl|baby|child|infant|teenager|young (?:man|woman)) of {_NUMBER_WORDS}\b"  # "a girl of two"
)
_DATE = (
    rf"\b{MONTH}\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    r"|\b(?:days?|weeks?|months?|years?) (?:later|after|before)\b"
)
FACT_TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "a weight",
        re.compile(
            r"\bhow (?:much|heavy) did \w+(?: \w+)? weigh\b|\b(?:kilograms|kg|grams|pounds)\b|\bbirth ?weight\b"
            r"|\bhow much weight\b"
            r"|\bwhat (?:(?:was|is) (?:the|his|her|their|(?:[\w-]+ ){0,2}[\w-]+['\u2019]s) )?weight\b(?! loss| gain)",
            re.I,
        ),
        re.compile(r"\b\d[\d.,]*\s?(?:kg|kilograms?|g|grams?|lbs?|pounds?|ounces?|oz)\b", re.I),
    ),
    (
        "an amount of money",
        re.compile(r"\bhow much (?:money|did \w+(?: \w+)? (?:pay|cost|owe))\b", re.I),
        re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:pounds|euros|dollars)\b", re.I),
    ),
    ("an age", re.compile(r"\bhow old\b|\b(?:what|which) age\b|\bat what age\b", re.I), re.compile(_AGE, re.I)),
    (
        "an exact date",  # a day: a month or a year does not answer it
        re.compile(r"\bexact (?:date|day)\b|\b(?:what|which) day\b|\bdate of birth\b", re.I),
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)? {MONTH}\b|\b{MONTH} \d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
            r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b",
            re.I,
        ),
    ),
    (
        "a date",
        re.compile(r"\b(?:what|which) (?:exact )?(?:date|day|year|month)\b", re.I),
        re.compile(_DATE, re.I),
    ),
    (
        "a time",
        re.compile(r"^\s*when\b|\band when\b", re.I),  # "When ...?" or "..., and when?"
        re.compile(_DATE + r"|\b(?:once|until|after|before|when|while|during|by the time)\b", re.I),
    ),
    (
        "an agency",
        re.compile(r"\bwhich (?:agencies|services|organisations|organizations|professionals|teams)\b", re.I),
        re.compile(
            r"\b(?:police|school|nursery|college|social (?:care|work\w*)|health(?: visit\w*)?|GP|doctor|hospital|"
            r"midwi\w+|CAMHS|NHS|council|housing|probation|youth (?:justice|offending)|early help|children's services|"
            r"ambulance|emergency department|paediatric\w*|family support|charity|voluntary)\b",
            re.I,
        ),
    ),
    (
        "a name",
        re.compile(
            r"\bname of\b|\bwhat (?:was|is|were) (?:[\w'-]+ ){0,12}called\b|\bwhat was (?:\w+ ){0,3}name\b"
            r"|\b(?:which|what) (?:school|academy|college|nursery|hospital|trust)\b",  # one the review names
            re.I,
        ),
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z]"
            r"|\b[A-Z][a-z]+ (?:School|Academy|College|Hospital|Infirmary|Nursery|Trust|Centre|Clinic|Surgery)\b"
            r"|\b(?:Ysgol|Ysbyty) [A-Z]"  # Welsh names put the word first: "Ysgol Gynradd Pen-y-bryn"
        ),
    ),
    (
        "a place",
        re.compile(
            r"\bwhich (?:[\w-]+ ){0,2}(?:country|station)\b"  # "which (West African) country", "which railway station"
            r"|\bwhich (?:town|city|area|county|borough|region|local authority|council|village|street|road)\b"
            r"|\bwhere did (?:\w+ ){1,4}live\b|\bwhat (?:town|city|area)\b",
            re.I,
        ),
        re.compile(r"\b(?:in|from|to|at|near) (?!the\b|a\b|an\b)[A-Z][a-z]{3,}\b"),
    ),
    (
        "the current position",  # "Where do they live now?": not where they lived when the review began
        re.compile(
            r"(?:\b(?:live|lives|living|is|are|doing|stay|stays|staying)|['\u2019](?:s|re))\s+(?:[\w'-]+\s+){0,4}?"
            r"(?:now|currently|at present|these days|today)\b"
            r"|\b(?:now|currently)\s+(?:live|lives|living|is|are|stay|stays|staying)\b",
            re.I,
        ),
        re.compile(r"\b(?:now|currently|today|at present|continues? to|remains?|still|lives|live)\b", re.I),
    ),
    (
        "a length of time",
        re.compile(r"\bhow (?:long|soon)\b", re.I),
        re.compile(
            rf"\b{_NUMBER_WORDS}(?: and a half)?[\s-]+(?:hours?|days?|weeks?|months?|years?|minutes?)\b"
            rf"|\bsame day\b|\bfortnight\b"
            rf"|\bfrom (?:\w+ )?{MONTH}?\s*(?:19|20)\d\d (?:until|to|till) (?:\w+ )?{MONTH}?\s*(?:19|20)\d\d\b",
            re.I,
        ),
    ),
    (
        "a number of times",
        re.compile(r"\bhow many times\b|\bhow often\b|\bon how many occasions\b", re.I),
        re.compile(
            rf"\b{_NUMBER_WORDS}\s+(?:\w+\s+)?(?:times|occasions)\b|\b(?:once|twice|every|daily|weekly|monthly)\b",
            re.I,
        ),
    ),
    (
        "a number",
        re.compile(r"\bhow many\b(?! times)|\bwhat (?:proportion|percentage|number)\b", re.I),
        re.compile(rf"(?!\b(?:19|20)\d\d\b)\b{_NUMBER_WORDS}\b|%", re.I),
    ),
)

# Someone a review gives an age to beside the child's: a parent, partner, relative or other adult. An age right after
# one of them ("her mother, who was 20", "Baby E's parents were 17 and 19") is theirs (kinship, general English).
_OTHERS = (
    r"mother|father|mum|dad|parents?|partner|step\w+|grand\w+|brothers?|sisters?|siblings?|aunt|uncle|cousins?"
    r"|carers?|boyfriend|girlfriend|man|woman|men|women|adults?"
)
_SOMEONE_ELSE = re.compile(rf"\b({_OTHERS})\b[^.;:\d]{{0,12}}$", re.I)
# "How old was J's stepfather (when ...)?": whose age the question asks, when it is one of those others.
_AGE_OF = re.compile(
    r"\bhow old (?:was|were|is|are) (?:(?:the|her|his|their|its|a|an|(?-i:[A-Z][\w-]*)|[\w-]+['\u2019]s)\s+){0,4}?"
    rf"({_OTHERS})\b(?!['\u2019]|\s+(?-i:[A-Z])\b)",  # not "Siblings A and E", children named so
    re.I,
)
OWNER_WINDOW = 40  # characters before an age looked at for whose it is


class FactPattern(Protocol):
    """What states a fact of a type: a compiled pattern, or one that also asks whose fact it is."""

    def search(self, string: str, /) -> re.Match[str] | None: ...


@dataclass(frozen=True)
class AgeOfOneAsked:
    """Ages stated of whoever the question asks about: an age given right after someone else (a mother, a partner)
    is theirs, not the child's, unless the question asks about them ("How old was her mother?"). `asked`: the
    question's words, in lower case and with their formal forms ("mum" -> "mother")."""

    ages: re.Pattern[str]
    asked: frozenset[str]
    of: frozenset[str] = frozenset()  # the other person whose age is asked ("mum", "mother"): an age given after them

    def search(self, string: str, /) -> re.Match[str] | None:
        for match in self.ages.finditer(string):
            owner = _SOMEONE_ELSE.search(string, max(0, match.start() - OWNER_WINDOW), match.start())
            if self.of and (owner is None or owner.group(1).lower() not in self.of):
                continue
            if owner is None or owner.group(1).lower() in self.asked:
                return match
        return None


def age_asked_of(question: str) -> str:
    """The other person a question asks the age of ("How old was J's stepfather?": "stepfather"); '' when it asks
    a child's ("How old was J when her stepfather moved in?")."""
    match = _AGE_OF.search(question)
    return match.group(1).lower() if match else ""


_NAME_OF = re.compile(r"\bname of\b([^?.!\n]{0,120})")
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "this", "that"})
_ENDS_PHRASE = frozenset({"he", "she", "they", "it", "who", "that", "which", "where", "when", "was", "were", "is",
                          "did", "had", "in", "at", "on", "with", "and", "or"})  # fmt: skip
# How a review gives the name it calls someone by: "referred to in this review as Ms Q", "known as", "called".
_NAMED_AS = (
    r"(?:(?:who[ \t]+)?(?:is|was|are|were|hereafter)[ \t]+)?(?:referred[ \t]+to|known)"
    r"(?:[ \t]+(?:in|within|throughout)[ \t]+(?:this|the)[ \t]+[a-z]+|[ \t]+here)?[ \t]+as[ \t]+|(?:called|named)[ \t]+"
)
_TITLED_NAME = r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)?[A-Z][\w'\u2019-]*"
# A name set after the thing it names: "her sister, Amy,", "the key worker (Ms Patel)", "the school, Hillside",
# "her former partner, referred to in this summary as Mr Doyle".
_NAME_AFTER = re.compile(rf"[ \t]*+[,(:\u2013-]?[ \t]*+(?:{_NAMED_AS})?{_TITLED_NAME}")  # runs taken whole: linear
# A name the review gives someone it then calls by it ("she is referred to in this review as Ms Q"), which names
# an adult the question calls only by what they are ("the woman Child R lived with") when it does not say that.
_GIVEN_NAME = re.compile(rf"\b(?:{_NAMED_AS}){_TITLED_NAME}")
_SOMEONE = frozenset({"woman", "man", "person", "adult", "friend", "carer", "relative", "lady", "gentleman"})
INSTITUTIONS = frozenset({"school", "academy", "college", "hospital", "infirmary", "nursery", "trust", "centre",
                          "clinic", "surgery"})  # fmt: skip
# A named school, hospital or the like: capitalised words before the kind of place, itself capitalised ("Hillside
# Primary School", "Oakfield Academy"), asked for as a school or any other kind of place.
_INSTITUTION_NAME = re.compile(
    r"\b[A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*)* (?:" + "|".join(w.title() for w in sorted(INSTITUTIONS)) + r")\b"
)


@dataclass(frozen=True)
class NameOfOneAsked:
    """A name given to the thing a question asks the name of ("the name of her younger sister"): one set right after
    a mention of it ("her younger sister, Amy,") or, for a school, hospital or the like, a name of that kind
    ("Hillside Academy"); a name given to someone else in the passage ("his mother, Ms D, and his younger sister")
    does not name it."""

    thing: str

    def search(self, string: str, /) -> re.Match[str] | None:
        if self.thing in INSTITUTIONS:
            return _INSTITUTION_NAME.search(string)
        mentioned = False
        for mention in re.finditer(rf"\b{re.escape(self.thing)}s?\b", string, re.I):
            mentioned = True
            if (name := _NAME_AFTER.match(string, mention.end())) is not None:
                return name
        return _GIVEN_NAME.search(string) if self.thing in _SOMEONE and not mentioned else None


def name_of_one_asked(names: re.Pattern[str], text: str) -> FactPattern:
    """What gives the name a question asks for: of the thing after "name of", when it says which ("What was the name
    of Callum's younger sister?": "sister"); else any name (`names`)."""
    match = _NAME_OF.search(text)
    words: list[str] = []
    for word in re.findall(r"[\w'\u2019-]+", match.group(1)) if match else []:
        named = word[:1].isupper()  # "Child N's", "Young Person F's"; not "children's" in "children's home"
        if words and (named or word in _ENDS_PHRASE):
            break  # the thing's phrase ends: "the school he attended", "the adult Child M was with"
        if not named and word.lower() not in _DETERMINERS:
            words.append(word.lower())
    return NameOfOneAsked(words[-1]) if words else names
