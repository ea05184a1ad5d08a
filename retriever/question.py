"""What a question asks, read against the index's own subjects and reviews: which reviews and children it names,
whether it wants a whole list of a kind of section, an answer from every review, a yes or no, or a fact of a
particular type (a number, a date, an age, a weight, an amount)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from core.models import ReviewMeta, SectionKind
from core.text import NAME_CAPITAL, NAME_LOWER
from core.units import neutral
from ingest.catalog import STOPWORDS, query_terms
from ingest.subjects import NAMED, named_by_word, named_children
from retriever.catalogue import COLLECTION, COLLECTION_WORDS
from retriever.fact_types import FACT_TYPES, AgeOfOneAsked, FactPattern, age_asked_of, name_of_one_asked
from retriever.review_types import (
    TYPE_WORDS,
    of_type,
    type_named,
    type_not_held,
    without_types,
)
from retriever.vocabulary import EVERYDAY, formal

# Kinds of section a question can ask for the whole of, and the words that ask for each.
LIST_KINDS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (SectionKind.RECOMMENDATIONS, re.compile(r"\brecommend\w*|\brecs\b", re.I)),
    (SectionKind.ACTIONS, re.compile(r"\b(?:immediate )?actions?\b|\bimprovements?\b", re.I)),
    (SectionKind.GOOD_PRACTICE, re.compile(r"\bgood practice\b|\bwhat (?:went|worked) well\b", re.I)),
    (
        SectionKind.LEARNING,
        re.compile(
            # not a compound naming something else: "learning difficulties", "learning mentor", "learning event"
            r"\blearning(?: points?)?\b(?! (?:difficult|disabilit|needs\b|mentors?\b|events?\b|support\b"
            r"|assistants?\b))"
            r"|\blessons?(?: (?:that )?(?:were |have been )?(?:learned|learnt))?\b"
            r"|\bkey messages?\b",
            re.I,
        ),
    ),
    (SectionKind.FINDINGS, re.compile(r"\bfindings?\b|\bthemes\b", re.I)),
    (SectionKind.CONCLUSION, re.compile(r"\bconclusions?\b", re.I)),
)
# Asking for a kind in full with a verb rather than its name ("What did the review find?", "What needs to change?"):
# read as a list question only, never as "the findings about X". What the review (or "it") found is its findings;
# what "they" or the police found is a fact.
_REVIEW_DID = (
    r"\b(?:did|does|do|has|have)\s+"
    r"(?:it|(?:[\w'-]+\s+){0,5}?(?:review|reviews|reviewers|panel|report)(?:\s+[\w'-]+){0,4}?)\s+"
)
_LIST_VERB_KINDS: tuple[tuple[SectionKind, re.Pattern[str]], ...] = (
    (
        SectionKind.RECOMMENDATIONS,
        re.compile(r"\b(?:needs? to|should|must) change\b|\b(?:do|done) differently\b", re.I),
    ),
    (SectionKind.FINDINGS, re.compile(_REVIEW_DID + r"find\b|\bwent wrong\b|\bmissed opportunit", re.I)),
    (SectionKind.CONCLUSION, re.compile(_REVIEW_DID + r"conclude\b", re.I)),
    (  # "What did we learn from the Maya review?", "What can be learned from it?"
        SectionKind.LEARNING,
        re.compile(
            _REVIEW_DID + r"learn\b|\b(?:did|do|can|should|could|must) (?:we|you|they|practitioners|professionals|"
            r"agencies) learn\b|\b(?:can|could|should) be (?:learned|learnt)\b",
            re.I,
        ),
    ),
    (  # "What did the reviewer give people credit for?", "What did the review praise?"
        SectionKind.GOOD_PRACTICE,
        re.compile(
            r"\b(?:give|gave|given) (?:\w+ ){0,2}credit\b|" + _REVIEW_DID + r"(?:praise|commend)\b|\bwent well\b", re.I
        ),
    ),
    (  # "What has happened since the review?", "What's already been changed since Infant P died?"
        SectionKind.ACTIONS,
        re.compile(
            r"\bwhat(?:'s|\u2019s| has| have)? (?:already )?(?:been )?(?:changed|happened|done|improved) since\b", re.I
        ),
    ),
)
# Reviews put the same matter under different kinds of heading: learning in findings, actions beside
# recommendations.
NEAR_KINDS = {
    SectionKind.LEARNING: (SectionKind.FINDINGS,),
    SectionKind.FINDINGS: (SectionKind.LEARNING,),
    SectionKind.RECOMMENDATIONS: (SectionKind.ACTIONS,),
    SectionKind.ACTIONS: (SectionKind.RECOMMENDATIONS,),
    SectionKind.CONCLUSION: (SectionKind.FINDINGS,),  # what a review without a conclusion concluded: its findings
}
_ABOUT = re.compile(r"\s+(?:about|on|around|regarding|concerning|for|to|in relation to)\b", re.I)
# The same after a passive verb ("the recommendations that were made about X", "what learning is there about X"):
# not after any words, or "what action did the police take for X" would be searched in actions sections only.
_ABOUT_SOON = re.compile(
    r"(?:\s+(?:that|which))?(?:\s+(?:were|was|are|is|have been|has been))?(?:\s+there)?"
    r"(?:\s+(?:made|identified|given|drawn|found|agreed|set out))?" + _ABOUT.pattern,
    re.I,
)
# "What did the police do well?": asked within good practice, of whoever did it (not "went well" of anything).
_DID_WELL = re.compile(r"\b(?:did|does|do|has|have)\s+(?:[\w'-]+\s+){1,5}?(?:do|done|did)\s+well\b", re.I)
# Why the review itself was held ("Why was the Maya review carried out?", "Why did the partnership commission a
# review?"): a review says so where it introduces itself, not in the story's reasons.
_WHY_REVIEWED = re.compile(
    r"^\s*why\b[^?]{0,80}?\b(?:review\w*\b[^?]{0,40}?\b(?:carried out|commissioned|undertaken|conducted|held|done|"
    r"needed|started)|(?:carry|carried) out\b[^?]{0,40}?\breview|commission\w*\b[^?]{0,40}?\breview)",
    re.I,
)
# "Were any recommendations made about schools?": "any" asks for those there are ("any learning difficulties" is
# no kind of section, so "learning" is left out).
_ANY_BEFORE_KIND = re.compile(r"\bany\s+(?=recommendations\b|findings\b|actions\b|lessons\b)", re.I)
_RECOMMENDING = re.compile(r"recommend(?:s|ed|ing)?", re.I)  # the verb, with what is recommended after it
# A list asked of a review the question describes rather than names: the words after "the review about / into /
# of ..." or "after the ..." ("What were the recommendations after the baby died on the sofa?") describe the case.
_CASE_DESCRIBED = re.compile(
    r"\b(?:review|case|report)s?\s+(?:about|into|of|on|concerning|regarding|involving|where|in which|when)\s+", re.I
)
# ... or named by what it was about, in lower case: "the learning from the sextortion case", "the county lines
# review" ("the Birmingham review" names a place, and a review the corpus may not hold: not a case to guess at).
_CASE_CALLED = re.compile(r"\b(?:from|of|in|after|for)\s+the\s+((?:(?-i:[a-z])[\w-]*\s+){1,3}?)(?:case|review)\b", re.I)
_CASE_AFTER = re.compile(r"(?:\s+\w+){0,4}?\s+(?:after|following)\s+(?=(?:the|a|an|his|her|their)\s)", re.I)
# Where a description of a case gives way to what is asked of it: a dash set apart, an ellipsis, a colon.
_DESCRIPTION_ENDS = re.compile(r"\s[-\u2013\u2014]+\s|\u2026|\.{3}|:\s")
_ASKS = re.compile(
    r"\s*(?:who|whom|whose|what|when|where|why|how|which|did|does|do|was|were|is|are|has|have|had|can|could)\b", re.I
)
MIN_DESCRIPTION_WORDS = 3
MIN_ASKED_WORDS = 3  # content words the part after it must have of its own to be asked without the description
SEPARATORS_TRIED = 3  # the last few: each try reads the rest of the question (linear however many dashes it has)
# A list question names the kind and little else: at most this many content words of its own beyond it,
# the review's names and the words that ask for a list ("what", "make", "identify", "list").
LIST_MAX_OTHER_WORDS = 1
_LIST_VERBS = frozenset(
    {"list", "give", "show", "tell", "summarise", "summarize", "make", "made", "identify", "identified", "every",
     "all", "main", "key", "set", "out", "did", "were", "was", "are", "is", "review", "reviews", "taken", "take",
     "after", "agreed", "case", "from", "according", "since", "agencies", "partnership", "report", "briefing",
     "document", "reviewer", "reviewers"}
)  # fmt: skip
_ACROSS = re.compile(
    r"\b(?:across|both|each|all|any|every|which|compare|compared|between)\b(?:\s+\w+){0,3}?\s+"
    r"(?:reviews?|cases?|child(?:ren)?|young (?:people|person)|bab(?:y|ies)|famil(?:y|ies))\b"
    r"|\bin which reviews?\b|\bwhich (?:children|reviews?)\b"
    r"|\b(?:the|these|those|our|do|did|does|have|what)\s+(?:" + TYPE_WORDS + r"\s+)?reviews\b"  # "the (rapid) reviews"
    r"|\bhow many (?:of the )?reviews\b",
    re.I,
)
# Asks which reviews or children something is true of, rather than about each of them ("in both reviews").
_WHICH = re.compile(
    r"\b(?:which|what) (?:of (?:the|these) )?(?:\w+ )?(?:reviews?|cases?|children|young people|babies|families)\b"
    r"|\bin which\b|\bin any (?:of the )?reviews?\b|\bhow many (?:of the )?reviews\b"
    r"|\bany (?:of the )?(?:reviews?|cases?) (?:where|in which|that|when|involving|about)\b",  # "any case where"
    re.I,
)
# Words that frame a question rather than name what it is about (general English, not any review's wording).
_FRAME_WORDS = frozenset(
    {
    "do", "does", "doing", "many", "much", "long", "old", "often", "soon", "far", "ever", "happen", "happened",
    "happens", "outcome", "outcomes", "take", "taken", "took", "get", "got", "go", "goes", "went", "gone", "come",
    "came", "say", "says", "talk", "talked", "talking", "speak", "spoke", "spoken", "speaking",
    "said", "tell", "told", "know", "knew", "known", "make", "made", "give", "given", "gave", "use", "used",
    "done", "actually", "really", "exactly", "anyone", "anybody", "anything", "someone", "somebody", "something",
    "thing", "things", "way", "time", "times", "not", "also", "still", "then", "why", "whose", "whom", "kind",
    "sort", "type", "about", "above", "across", "after", "against", "along", "among", "around", "before", "behind",
    "below", "beside", "between", "beyond", "down", "during", "except", "inside", "near", "off", "onto", "out",
    "outside", "over", "past", "since", "through", "throughout", "toward", "towards", "under", "until", "up",
    "upon", "within", "without", "again", "ago", "already", "always", "away", "back", "even", "here", "just",
    "later", "least", "less", "more", "most", "never", "now", "once", "only", "perhaps", "quite", "rather", "too",
    "very", "well", "yet", "may", "might", "must", "shall", "should", "would", "could", "can", "will", "being",
    "been", "become", "became", "able", "each", "every", "either", "neither", "both", "few", "other", "others",
    "another", "such", "same", "own", "one", "ones", "everyone", "nobody", "none", "there", "these", "those",
    "whether", "while", "whilst", "though", "although", "because", "however", "yes", "mention", "mentions",
    "mentioned", "name", "names", "compare", "compared", "comparing", "comparison", "contrast", "role", "roles",
    "affect", "affects", "affected", "effect", "effects", "cause", "causes", "caused", "reason", "reasons",
    "similar", "similarity", "similarities", "difference", "differences", "differ", "alike", "common"
    }
)  # fmt: skip
_PARTS = re.compile(
    r"(?:,|\band)\s+(?:(?:at|in|for|from|by|with|to) )?(?:what|how|when|where|who|whom|why|which|did|was|were|is|are|"
    r"had|has|does|do)\b",
    re.I,
)
_FOCUS = re.compile(  # after a preposition too: "At which railway station ...?"
    r"^\s*(?:(?:in|at|on|from|to|by|with|for) )?(?:(?:who|what|which) (?:was|were|is|are) the ([a-z]+)\b"
    r"|(?:which|what) (?:[a-z]+ ){0,2}?([a-z]+) (?:was|were|did|is|are|does|do|had|has)\b"
    r"|what did the ([a-z]+) (?!of\b))",
    re.I,
)
_AUXILIARY_ANY = re.compile(r"\s*\w+\s+(?=(?:any|a|an)\b)", re.I)  # "Did any ...", "Was a ...": "any" opens the subject
# "a" in lower case: a capital "A" inside a question is a letter naming a child ("Siblings A and E"), not an article.
# What a yes/no question says was done to the thing it asks about, and for whom, after it: "Was a family group
# conference held for Child C?" asks whether there was a family group conference (general English participles;
# the one it is done for named, so "a referral to a youth offending team" keeps its own words).
_DONE_FOR_NAMED = re.compile(
    r"(?:\s+(?P<done>held|used|made|arranged|offered|convened|completed|done|given|involved|considered|called"
    r"|carried out|put in place|set up))?(?:\s+(?:for|with|about|in|to|by|on|at)\s+(?:the\s+)?(?-i:[A-Z])[\w'\u2019-]*"
    r"(?:\s+(?-i:[A-Z])[\w'\u2019-]*){0,3}(?:\s+[a-z]+)?)?(?=\s*\?*\s*$)",
    re.I,
)
_TAIL_CHARS = 120  # the end of a question its closing phrase is looked for in
_WHETHER = re.compile(r"\b(?-i:any|a|an)\s+((?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*+)\s*+\?*+\s*$", re.I)
# Asking for a review in brief ("Summarise the Child G review", "Give me an overview of ...", "What was the Child D
# review about?", "Tell me about Child R", "What happened to Baby N?" naming the child and nothing more): a summary
# when it names a review and nothing else (`_asks_summary`).
_SUMMARY = re.compile(
    r"\bsummar(?:y|ise|ize)\b|\boverview\b|\bin (?:brief|short|a nutshell)\b|\btell me about\b"
    r"|^\s*what (?:is|was)\b.*\babout\W*$"
    r"|^\s*what (?:has )?happened to (?:the )?(?-i:(?:[A-Z][\w'\u2019-]*+|and)\s*){1,5}\?*\s*$",  # "... to Baby N?"
    re.I,
)
_SUMMARY_WORDS = re.compile(r"\bsummar\w*|\boverview\b|\bin (?:brief|short|a nutshell)\b|\btell me\b|\babout\b", re.I)
_DEFINES = re.compile(
    r"^\s*what (?:is|are) (?:a |an )?[\w'-]+(?: [\w'-]+){0,3}\s*\?*\s*$|\bmeans?\b|\bmeaning\b|\bstands? for\b|\bdefin",
    re.I,
)
_POSSESSIVE_LETTER = re.compile(r"\b([A-Z]{1,2})['\u2019]s\b")
_AUXILIARIES = r"was|were|did|does|do|is|are|has|had|have|could|can|should|would"  # opening a yes/no question
_YES_NO = re.compile(rf"^\s*(?:{_AUXILIARIES})\b", re.I)
# A clause setting the scene before the question proper ("While J was on the CAMHS list, did anyone keep in touch?",
# "In the Child D review, was ..."): what is asked is in the clause after its comma (English subordinators).
# The clause ends at the comma after which the question proper opens, on an auxiliary or a question word ("When
# Baby N's mother, who spoke little English, was pregnant, was she ..."); one opening on a question word of its
# own ("In what year ...", "When did ...", "When exactly ...") is the question, not a clause before it.
_SETTING_CLAUSE = re.compile(
    r"^\s*(?:while|when|after|before|once|since|if|following|during|given|as|in|at|by|on)\b"
    r"(?!\s+(?:was|were|did|does|do|is|are|has|had|have|will|would|could|what|which|how|whose|who|whom|exactly)\b)",
    re.I,
)
_AUXILIARY = rf"(?:{_AUXILIARIES}|will)\b"
_QUESTION_PROPER = re.compile(  # an auxiliary, or a question word with one close after it ("what did", "how long
    # did"); "who spoke little English" is a relative clause, not a question
    rf"{_AUXILIARY}|(?:what|which|who|whom|whose|where|when|why|how)(?:[ \t]+[\w'-]+){{0,2}}?[ \t]+{_AUXILIARY}",
    re.I,
)
SETTING_MAX_CHARS = 200  # a scene-setting clause is read this far for the comma closing it
# A clause after the question proper placing what it asks in time ("What injury did E have when the police entered
# the home?"): it says which event, not what is asked of it (English subordinators; no comma or second question in
# it, so "..., and at what time?" stays).
_TIME_CLAUSE_AFTER = re.compile(r"\s+(?:when|while|after|before|during|once)\s+[^,?]{3,200}\?*\s*$", re.I)


@dataclass(frozen=True)
class Question:
    """A question read against the index."""

    text: str
    reviews: tuple[str, ...]  # the reviews it names (by subject, alias, partnership or title words)
    children: tuple[str, ...]  # subjects it names, as the index names them
    unknown_children: tuple[str, ...]  # children it names that no review is about
    unknown_review: str  # a review it names that the index does not hold ('' when none)
    list_kind: SectionKind | None  # asks for every item of sections of this kind
    list_topic: str  # ... or those about this word ("Which of them are about schools?"); '' for every item
    list_case: str  # ... of the review these words describe ("the review about the boy who was stabbed"); '' if none
    list_item: str  # ... or the one item it numbers ("What was recommendation 3 ...?": "3"); '' for every item
    kinds: tuple[str, ...]  # sections of the kinds it names ("the learning about X" is in learning or findings)
    across: bool  # asks across reviews ("which reviews", "in both", "across the reviews")
    which: str  # the words selecting what a "which" question asks about ("Which young people"); '' when none
    yes_no: bool
    focus: str  # the thing a "which/what/who ... the X" question asks about ("Which interpreter was used?")
    asked_whether: str  # what a yes/no question asks there was ("... any involvement from a youth offending team?")
    defines: bool  # asks what a word means ("What is a return home interview?", "What does CSE stand for?")
    summary: bool  # asks for a review in brief ("Summarise the Child G review"), naming nothing else
    collection: bool  # asks which or how many of the collection's reviews, by type, partnership or year only
    review_type: str  # the type of review it names ("rapid review"), '' when none
    later_part: str  # of a question asking two things ("How old was he, and at what time?"), the second
    fact_type: str  # "a number", "an age", ... or ""
    fact_pattern: FactPattern | None
    fact_patterns: tuple[FactPattern, ...]  # every type of fact it asks for ("how many times ... and how long")
    terms: tuple[str, ...]  # content words beyond the names of children and reviews


def read_question(
    text: str,
    index: Mapping[str, ReviewMeta],
    in_use: Callable[[str], bool] | None = None,
    mentioned: Callable[[str], bool] | None = None,
) -> Question:
    """What the question asks, and which of the index's reviews and children it names. `in_use` tells a word the
    reviews use, so that "Child Plover" names a child the index does not hold and "Child Protection" none (without
    it, a role and a word name only the index's own children); `mentioned` tells a name the reviews' text uses, so
    that a child they name beside their subjects ("His sibling, Child 4, ...") is not a child they do not hold."""
    names = _tables(index).subject_names
    found: dict[str, str] = {}  # review id -> child
    children: list[str] = []  # every child named, of whichever review ("Infant P or Infant W")
    unknown: list[str] = []
    namesakes: list[set[str]] = []  # the reviews each of several about a child of one name ("Child A")
    by_word = named_by_word(text, lambda _word: False)
    for role, name in [*named_children(text), *by_word]:
        form = f"{role} {name}"
        hits = names.get(form.lower(), [])
        if hits:
            found.update(hits)
            children += [child for _, child in hits]
            if len({review for review, _ in hits}) > 1:
                namesakes.append({review for review, _ in hits})
        elif (role, name) in by_word and (in_use is None or in_use(name.lower())):
            continue  # a word the reviews use ("Child Protection")
        elif mentioned is None or not mentioned(form):
            unknown.append(form)  # a letter no subject has and no review names, or a word no review uses
    for word in _ONE_WORD_NAME.findall(text):  # pseudonyms ("Arthur", "Ciarán") and other one-word names
        found.update(names.get(word.lower(), []))
    letters = _tables(index).letter_names
    for letter in _POSSESSIVE_LETTER.findall(text):  # "K's mum": a bare letter, when one review's child has it
        if len(letters.get(letter, [])) == 1:
            found.update(letters[letter])
    reviews = list(dict.fromkeys(found))
    named_by_words, unknown_review = _reviews_by_words(text, index)
    if not set(named_by_words) & set(reviews):  # "the Child S and Northmere reviews": both are named; a word
        reviews += named_by_words  # of the named child's own review ("Harrowfield's Child D") adds no other
    for group in (g for g in namesakes if g & set(named_by_words)):  # "the Southby Child A review": that one
        reviews = [r for r in reviews if r not in group or r in named_by_words]
    kinds = _named_kinds(text)
    unnamed = _TOPIC_BEFORE_TYPE.sub(" the review", text) if named_by_words else text  # its title's words are no topic
    kind, list_topic, list_case = _list_kind(without_types(unnamed, " review "), index, bool(kinds), bool(reviews))
    asked = _question_proper(text)
    facts = [(name, of_one_asked(answer, text) if name == "an age" else name_of_one_asked(answer, text)
              if name == "a name" else answer) for name, asks, answer in FACT_TYPES if asks.search(asked)]  # fmt: skip
    fact = facts[0] if facts else ("", None)
    yes_no = bool(_YES_NO.match(asked))
    main = _IN_REVIEWS.sub("", main_clause(asked))  # "Was a private fostering assessment done (when ...)?"
    terms = _content_terms(_without_fact_asked(unnamed), index)
    collection = bool(COLLECTION.search(text)) and all(t in COLLECTION_WORDS for t in terms) and kind is None
    defines = bool(_DEFINES.search(text))
    review_type = type_named(text)
    return Question(
        text=text,
        reviews=tuple(reviews),
        children=tuple(dict.fromkeys(children + list(found.values()))),
        unknown_children=tuple(dict.fromkeys(unknown)),
        unknown_review=(unknown_review or ("" if collection or defines else type_not_held(review_type, index)))
        if not reviews
        else "",
        list_kind=kind,
        list_topic=list_topic,
        list_case=list_case,
        list_item=m.group(1) if kind is not None and (m := _ITEM_NUMBER.search(text)) else "",
        kinds=kinds,
        across=bool(_ACROSS.search(text)) or len(reviews) > 1 or (bool(kinds) and not reviews),
        which=m.group(0) if (m := _WHICH.search(text)) else "",
        yes_no=yes_no,
        focus=_focus(text),
        asked_whether=_asked_whether(_IN_REVIEWS.sub("", asked)) or _asked_whether(main) if yes_no else "",
        defines=defines,
        summary=_asks_summary(text, index, bool(named_by_words)),
        later_part=text[m.end() :] if (m := _PARTS.search(text)) else "",
        fact_type=fact[0],
        fact_pattern=fact[1],
        fact_patterns=tuple(answer for _, answer in facts),
        collection=collection,
        review_type=review_type,
        terms=tuple(terms),
    )


# Phrases that ask for a judgment, not about their words ("what went wrong with the referral" asks what the
# reviews found about it; a review need not say "wrong", nor call what it found a "missed opportunity"), and
# everyday ones asking what happened ("what was the deal with the private fostering", "what was going on with").
_FRAMING = re.compile(
    r"\b(?:went|go|goes|gone|going) wrong\b|\bmissed opportunit(?:y|ies)\b"
    r"|\bthe (?:deal|story) (?:with|behind)\b|\bgoing on\b",
    re.I,
)
# Where a yes/no question is asked ("... a strategy discussion in any of the reviews?"), left out of what it asks.
_IN_REVIEWS = re.compile(
    r"(?<!\s)\s+(?:in|across|from)\s+(?:(?:any|all|both|each)\s+)?(?:of\s+)?(?:the\s+|these\s+)?(?:reviews?|cases?)\W*$",
    re.I,
)
_SAYING = frozenset({"mention", "mentions", "mentioned", "say", "says", "said", "tell", "tells", "told"})
_LEADING = frozenset({"of", "about", "a", "an", "the", "any", "anything"})
_VICTIM_OF = re.compile(r"^(?:victims? of|subject(?:ed)? to)\s+(?:an?\s+|the\s+)?", re.I)


def of_one_asked(ages: re.Pattern[str], text: str) -> AgeOfOneAsked:
    """The ages a passage states of whoever the question asks about (see `AgeOfOneAsked`)."""
    asked = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", formal(text)))
    of = age_asked_of(text)  # "How old was Niamh's mum?": an age set after "mum" or "mother"
    return AgeOfOneAsked(ages, asked, frozenset({of, EVERYDAY.get(of, of)} - {""}))


def _without_fact_asked(text: str) -> str:
    """The question without the words asking a type of fact ("which agencies", "how much did ... weigh") or a
    kind of section ("the key messages"): they say what kind of answer is wanted, and are not words the reviews
    must use."""
    for _, asks, _ in FACT_TYPES:
        text = asks.sub(" ", text)
    return without_kinds(text)


def without_kinds(text: str) -> str:
    """The question without the words naming a kind of section ("the learning for GPs" -> "the for GPs"): when
    its sections are the ones searched, what is asked within them is the rest, and a passage that only speaks of
    learning ("The review identified five areas of learning") does not answer it."""
    for _, kind in LIST_KINDS:
        text = kind.sub(" ", text)
    return text


def _asks_summary(text: str, index: Mapping[str, ReviewMeta], by_words: bool = False) -> bool:
    """Whether the question asks for a review in brief and names nothing else it is about ("Tell me about Young
    Person T's contact with the police" asks about the contact); `by_words`: it names a review by words of its
    title before its type ("the neglect thematic review"), which are its name, not a topic."""
    if not _SUMMARY.search(text):
        return False
    if by_words:
        text = _TOPIC_BEFORE_TYPE.sub(" ", text)
    return not [t for t in _content_terms(_SUMMARY_WORDS.sub(" ", text), index) if t not in _LIST_VERBS]


def setting_clause(text: str) -> str:
    """What a question's clause setting its scene or placing it in time says ("social workers met the parents ..."
    of "Was an interpreter used when social workers met the parents ...?"); '' when it has none."""
    main = main_clause(text)
    if not main:
        return ""
    proper = _question_proper(text)
    before = text[: len(text) - len(proper)] if proper != text else ""
    after = proper[len(main) - 1 :] if proper != main else ""  # the main clause ends in the "?" put on it
    return f"{before} {after}".strip(" ,?")


def main_clause(text: str) -> str:
    """The question without the clause setting its scene before it or placing it in time after it, when it has
    one: "did anyone keep in touch with her or her family?" of "While J was on the CAMHS list, did anyone ...?",
    "What injury did E have?" of "What injury did E have when the police entered the home?"; '' when it has none,
    or when what is left asks nothing of its own ("What should happen when a baby is seen with a bruise?" asks
    about the bruise: "What should happen?" alone names nothing)."""
    proper = _question_proper(text)
    timed = _TIME_CLAUSE_AFTER.search(proper)
    if timed is not None and _QUESTION_PROPER.match(proper[: timed.start()].lstrip()):
        proper = proper[: timed.start()] + "?"
    names_something = any(t not in _FRAME_WORDS for t in query_terms(proper))
    return "" if proper == text or not names_something else proper


def _question_proper(text: str) -> str:
    """The question after a clause setting its scene ("While J was on the CAMHS list, did anyone keep in touch?"):
    the text after the first comma that the question proper follows; the whole text when there is none."""
    if not _SETTING_CLAUSE.match(text):
        return text
    at = text.find(",")
    while 0 <= at <= SETTING_MAX_CHARS:
        rest = text[at + 1 :].lstrip()
        if _QUESTION_PROPER.match(rest):
            return rest
        at = text.find(",", at + 1)
    return text


def _asked_whether(text: str) -> str:
    """What a yes/no question asks there was ("Was there any involvement from a youth offending team?"); nothing
    when "any" opens its subject ("Did any child go missing?" asks what a child did, not whether there was one),
    unless it asks what a review mentions ("Does any review mention county lines?")."""
    head, tail = text[:-_TAIL_CHARS], text[-_TAIL_CHARS:]
    done = _DONE_FOR_NAMED.search(tail)
    match = _WHETHER.search(head + (tail[: done.start()] if done else tail))
    if match is None:
        return ""
    subject = _AUXILIARY_ANY.match(text)
    held = done is not None and done.group("done") is not None  # "Was a conference held?": was there one
    if (
        subject
        and subject.end() >= match.start()
        and not held
        and not _SAYING & {w.lower() for w in match.group(1).split()}
    ):
        return ""
    return _thing_asked(match.group(1))


def _thing_asked(phrase: str) -> str:
    """What a yes/no question asks there was, after any verb framing it ("any review mention county lines" ->
    "county lines") and any kind of section it is asked within ("any recommendations for schools" -> "schools");
    nothing for a question asking which of two it was."""
    words = phrase.split()
    last = max((i for i, w in enumerate(words) if w.lower() in _SAYING), default=-1)
    rest = words[last + 1 :]
    while last >= 0 and rest and rest[0].lower() in _LEADING:  # "any mention of a dog" -> "dog"
        rest = rest[1:]
    thing = _VICTIM_OF.sub("", " ".join(rest) or phrase)  # "a victim of modern slavery": was there modern slavery?
    if re.search(r"\bor\b", thing, re.I):  # "a victim or an offender": which of two, not whether there was one
        return ""
    for _, pattern in LIST_KINDS:  # "any recommendations for schools": the sections are there; are schools?
        if (kind := pattern.match(thing)) and (about := _ABOUT.match(thing, kind.end())):
            return thing[about.end() :].strip() or thing
    return thing


def _focus(text: str) -> str:
    match = _FOCUS.search(text)
    word = (match.group(1) or match.group(2) or match.group(3) or "").lower() if match else ""
    return "" if word in _FRAME_WORDS else word


_ONE_WORD_NAME = re.compile(rf"\b{NAME_CAPITAL}{NAME_LOWER}{{2,}}\b")
_ROLE_AND_LETTER = re.compile(r"\b([A-Za-z]{3,12})[ \t]+([A-Za-z])(?!\w)")  # a word and a letter: "chlid G"


@dataclass(frozen=True)
class _Tables:
    """The index's names, read once per index rather than per question (thousands of reviews in a large corpus)."""

    subject_names: dict[str, list[tuple[str, str]]]
    letter_names: dict[str, list[tuple[str, str]]]
    subject_words: frozenset[str]  # words of the subjects' names ("young", "person")
    name_words: frozenset[str]  # words of every name and alias, and of the partnerships
    title_owners: dict[str, set[str]]  # a capitalised word of a title, partnership or author -> the reviews named
    written: dict[str, str]  # a subject's name, lower-cased -> as the review writes it
    roles: dict[tuple[str, str], str]  # a role and letter ("child", "g") -> the name as written ("Child G")
    written_pattern: re.Pattern[str] | None  # a name of several words in any case, or of one owning ("ruby's")


_TABLES: list[tuple[Mapping[str, ReviewMeta], _Tables]] = []  # the last index read and its tables


def names_as_written(text: str, index: Mapping[str, ReviewMeta]) -> str:
    """The question with the index's children's names written as the reviews write them ("child d" -> "Child D";
    a one-word name only when it owns something, "ruby's dad" -> "Ruby's dad", as a lone lower-case word may be
    an ordinary one), so a question typed in lower case names its child; a role before a lower-case "a" or "i"
    ("was the child a victim?") is left alone."""
    tables = _tables(index)
    if tables.written_pattern is None:
        return text

    def written(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.split()[-1] in ("a", "i"):
            return found
        return tables.written[found.lower()]

    return _respelt_roles(tables.written_pattern.sub(written, text), tables.roles)


def _respelt_roles(text: str, roles: Mapping[tuple[str, str], str]) -> str:
    """A child's name typed with its role word misspelt ("chlid G", "bby N") as the reviews write it ("Child G"):
    a word one edit from the role of one of the index's names (`roles`) with the same letter (a letter changed,
    added, left out, or two swapped); a lower-case "a" or "i" after it is an article or a pronoun, not a letter."""
    if not roles:
        return text

    def respelt(match: re.Match[str]) -> str:
        word, letter = match.group(1).lower(), match.group(2)
        if letter in ("a", "i") or (word, letter.lower()) in roles:
            return match.group(0)
        near = [form for (role, named), form in roles.items() if named == letter.lower() and _one_apart(word, role)]
        return near[0] if len(near) == 1 else match.group(0)

    return _ROLE_AND_LETTER.sub(respelt, text)


def _one_apart(typed: str, word: str) -> bool:
    """Whether two words differ by one edit: a letter changed, added, left out, or two beside each other swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]]
        return len(diff) == 1
    short, long = sorted((typed, word), key=len)
    at = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[at:] == long[at + 1 :]


def _naming_words(name: str) -> list[str]:
    """The words of a child's name that name them: the letter of "Baby N" names the child, "baby" is what they are
    ("Which reviews involved a baby?" asks about babies, not about Baby N's review). A longer name's words are all
    kept: "young" or "person" alone does not say what "Young Person H" is."""
    words = name.split()
    return words[-1:] if len(words) == 2 and len(words[-1]) == 1 else words


def _tables(index: Mapping[str, ReviewMeta]) -> _Tables:
    """The name tables of this index (the index object is the same until its build changes)."""
    last = _TABLES[0] if _TABLES else None
    if last is not None and last[0] is index:
        return last[1]
    owners: dict[str, set[str]] = {}
    for review_id, meta in index.items():
        named = without_types(f"{meta.title} {meta.partnership or ''} {meta.author or ''}")  # "the Whitlock review"
        for word in re.findall(r"\b[A-Za-z][\w'-]{2,}", named):  # "Self-Harm", "online contact"
            if word.lower() not in STOPWORDS:
                owners.setdefault(word.lower(), set()).add(review_id)
    metas = list(index.values())
    written = {form.lower(): form for meta in metas for s in meta.subjects for n in s.names for form in _forms(n)}
    single = {low: form for low, form in written.items() if " " not in low and len(low) > 2}  # "Ruby", "Wren"
    written = {low: form for low, form in written.items() if " " in low}
    roles: dict[tuple[str, str], str] = {}  # ("child", "g") -> "Child G"
    for low, form in written.items():
        role, _, letter = low.partition(" ")
        if len(letter) == 1:
            roles[(role, letter)] = form
    alternatives = "|".join(re.escape(low) for low in sorted(written, key=len, reverse=True))
    owned = "|".join(re.escape(low) for low in sorted(single, key=len, reverse=True))
    tables = _Tables(
        subject_names=_subject_names(index),
        letter_names=_letter_names(index),
        subject_words=frozenset(w.lower() for meta in metas for s in meta.subjects for w in s.name.split()),
        name_words=frozenset(
            {w.lower() for meta in metas for s in meta.subjects for n in s.names for w in _naming_words(n)}
            | {w.lower() for meta in metas for w in re.findall(r"[A-Za-z]+", meta.partnership or "")}
        ),
        title_owners=owners,
        written={**written, **single},
        roles=roles,
        written_pattern=re.compile(
            "|".join(
                ([rf"(?<![\w'])(?:{alternatives})(?![\w'])"] if written else [])
                + ([rf"(?<![\w'])(?:{owned})(?=['\u2019]s\b)"] if single else [])  # a one-word name owning: "ruby's"
            ),
            re.I,
        )
        if written or single
        else None,
    )
    _TABLES[:] = [(index, tables)]
    return tables


def _subject_names(index: Mapping[str, ReviewMeta]) -> dict[str, list[tuple[str, str]]]:
    """Every lower-cased name of every subject -> [(review id, subject name)]; bare letters are left out."""
    names: dict[str, list[tuple[str, str]]] = {}
    for review_id, meta in index.items():
        own = {name.lower(): subject.name for subject in meta.subjects for name in subject.names[:1]}
        for subject in meta.subjects:
            for name in subject.names:
                if len(name) > 2:
                    for form in _forms(name):  # "Infant P" of "Infants P and W" is Infant P, whose alias it is
                        named = (review_id, own.get(form.lower(), subject.name) if form != name else subject.name)
                        if named not in names.setdefault(form.lower(), []):
                            names[form.lower()].append(named)
    return names


def _letter_names(index: Mapping[str, ReviewMeta]) -> dict[str, list[tuple[str, str]]]:
    """Every bare-letter alias ("K") -> [(review id, subject name)]."""
    letters: dict[str, list[tuple[str, str]]] = {}
    for review_id, meta in index.items():
        for subject in meta.subjects:
            for name in subject.names:
                if len(name) <= 2 and name.isupper():
                    letters.setdefault(name, []).append((review_id, subject.name))
    return letters


def _forms(name: str) -> list[str]:
    """A name and, for a list name ('Siblings A and E'), each child in it ('Sibling A')."""
    children = named_children(name)
    return [name] + [f"{role} {letter}" for role, letter in children] if children else [name]


# The words between "the" and "review" or a review type ("the neglect thematic review", "the online contact
# review"), which name it as its title does.
_TOPIC_BEFORE_TYPE = re.compile(r"\bthe ((?:[a-z][\w'-]{2,} ){1,3})(?:" + TYPE_WORDS + r" )?reviews?\b")


def _reviews_by_words(text: str, index: Mapping[str, ReviewMeta]) -> tuple[list[str], str]:
    """Reviews named by a distinctive word of their title or partnership ('the Northmere thematic review'),
    narrowed by a review type the question names; and a review it names that the index does not hold."""
    untyped = without_types(text)
    tables = _tables(index)
    words = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]{2,}", untyped)} - tables.subject_words  # not "Young"
    words |= {w.lower() for m in _TOPIC_BEFORE_TYPE.finditer(text) for w in m.group(1).split()}  # "the self-harm ..."
    if not words or not index:
        return [], ""
    owners = tables.title_owners
    # A word is distinctive when it names at most a third of the reviews (so "Review" or "Safeguarding" is not).
    limit = max(1, len(index) // 3)
    matched = [owners[w] for w in words if w in owners and len(owners[w]) <= limit]
    if not matched:
        return [], _unheld_name(text, tables)
    reviews = set.intersection(*matched)
    asked_type = type_named(text)
    if asked_type:
        typed = {r for r in reviews if of_type(index[r], asked_type)}
        if reviews and not typed:
            place = " ".join(sorted(w.capitalize() for w in words if w in owners and len(owners[w]) <= limit))
            return [], f"{asked_type} from {place}"
        reviews = typed
    return sorted(reviews), ""


# A review named by a capitalised word before "review" ("the Birmingham review", "Birmingham's review"), a word
# of no title, partnership or child of the index: a review the corpus does not hold.
_NAMED_REVIEW = re.compile(r"(?<=\s)((?-i:[A-Z])[\w-]{2,})(?:['\u2019]s)?\s+(?:[A-Za-z]+\s+){0,2}?reviews?\b", re.I)


_TYPE_WORD_SET = frozenset(re.findall(r"[a-z]+", TYPE_WORDS)) | {"safeguarding", "local", "review", "overview"}


def _unheld_name(text: str, tables: _Tables) -> str:
    """'Birmingham review' when the question names a review by a word nothing in the index has; '' otherwise."""
    for match in _NAMED_REVIEW.finditer(text):
        word = match.group(1)
        lower = word.lower()
        if lower not in tables.title_owners and lower not in tables.name_words and lower not in _TYPE_WORD_SET:
            return f"{word} review"
    return ""


def _named_kinds(text: str) -> tuple[str, ...]:
    """The section kinds a question asks within ("the learning about X", "recommendations on Y"), with the
    kind that holds the same matter in other reviews."""
    for kind, pattern in LIST_KINDS:
        match = pattern.search(text)
        if match is None:
            continue
        verb = _RECOMMENDING.fullmatch(match.group(0)) is not None and bool(text[match.end() :].strip(" ?."))
        if verb or _ABOUT_SOON.match(text, match.end()):  # "which reviews recommend training?"
            return tuple(k.value for k in (kind, *NEAR_KINDS.get(kind, ())))
    if _DID_WELL.search(text):  # "What did schools do well?": the good practice of schools
        return (SectionKind.GOOD_PRACTICE.value,)
    if _WHY_REVIEWED.search(text):  # "Why was the review carried out?": where it introduces itself
        return (SectionKind.INTRODUCTION.value, SectionKind.SUMMARY.value)
    return ()


# One item of a list named by its number: "recommendation 3", "Finding no. 2", "learning point 4".
_ITEM_NUMBER = re.compile(
    r"\b(?:recommendation|finding|learning(?:[ \t]point)?|lesson|action|priority)[ \t]+(?:no\.?[ \t]*|number[ \t]+)?"
    r"(\d{1,3})\b(?![.,]\d)",
    re.I,
)
# The words that put a topic to a list ("Which of them is about the police?", "... mentioning schools").
_TOPIC_BEFORE = r"\b(?:about|on|for|regarding|concerning|involving|to|mentions?|mentioning)\s+(?:(?:the|a|an)\s+)?"


def _list_kind(
    text: str, index: Mapping[str, ReviewMeta], within_kind: bool, of_named: bool
) -> tuple[SectionKind | None, str, str]:
    """The kind of section a question asks for in full (it names the kind and little else), and the one word of
    its own it names beside it, if any ("Which recommendations are about schools?"). `within_kind`: it names a
    kind with a topic ("the recommendations about escalation"; see `_named_kinds`), a list of the items that name
    the topic when it is one word and `of_named` reviews ("the Child D review's recommendations for schools"): a
    review's few items are each read, where across every review those on it are searched for."""
    for kind, pattern in LIST_KINDS + _LIST_VERB_KINDS:
        match = pattern.search(text)
        if not match:
            continue
        if _YES_NO.match(text) and _RECOMMENDING.fullmatch(match.group(0)):  # "Was a review recommended?"
            return None, "", ""
        rest = pattern.sub(" ", _ANY_BEFORE_KIND.sub(" ", text))  # "were any recommendations made": those made
        other = [t for t in _content_terms(rest, index) if t not in _LIST_VERBS]
        about = [t for t in other if re.search(_TOPIC_BEFORE + re.escape(t) + r"\b", text, re.I)]
        if other and not of_named and (called := _CASE_CALLED.search(text)):
            return kind, "", called.group(1)  # "the learning from the sextortion case": that case's learning
        if other and within_kind and (about != other or not of_named):  # "the recommendations about information
            return None, "", ""  # sharing": those on it, searched for in the kind's sections of every review
        by_verb = (kind, pattern) in _LIST_VERB_KINDS  # "what should the police do differently?" is about them
        if len(other) <= (0 if by_verb else LIST_MAX_OTHER_WORDS):
            return kind, " ".join(about), ""  # "immediate actions": no topic; "for schools": those naming schools
        described = _CASE_DESCRIBED.search(text) or _CASE_AFTER.match(text, match.end())  # "the recommendations
        if described and not of_named:  # made after the baby died", "the review about the boy who was stabbed"
            return kind, "", text[described.end() :]
        return None, "", ""
    return None, "", ""


_HEADING_NUMBER = re.compile(r"^(?:[A-Za-z]+[ \t])?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})[.:)]?[ \t]+")  # "Part 3: "
_PLURAL = re.compile(r"[^su]s$|[^aeiou]ies$")  # "areas", "issues", "priorities"; not "analysis", "focus", "class"


def unnumbered(heading: str) -> str:
    """A heading without the number or label-and-number opening it ("Cross-cutting themes" of "Part 3: Cross-cutting
    themes")."""
    return _HEADING_NUMBER.sub("", heading)


def names_heading(question: Question, heading: str, index: Mapping[str, ReviewMeta]) -> bool:
    """Whether a question asks for the list a section sets out by its heading and little else: every content word
    of the heading is in it, one of them or the noun after them in the plural ("What are the areas for development
    in the Ailsa review?" of "Areas for development", "the shared learning themes" of "Shared learning"), with at
    most LIST_MAX_OTHER_WORDS content words of its own beside them and the words asking for a list."""
    named = stems(" ".join(_content_terms(unnumbered(heading), index)))
    words = re.findall(r"[a-z]+", question.text.lower())
    if not named or not named <= stems(" ".join(words)):
        return False
    heading_word = [bool(stems(w)) and stems(w) <= named for w in words]
    plural = any(  # a heading word in the plural, or the noun right after them ("the shared learning themes")
        _PLURAL.search(w) and (heading_word[i] or (i > 0 and heading_word[i - 1])) for i, w in enumerate(words)
    )  # not "the background to it"
    other = [t for t in question.terms if t not in _LIST_VERBS and not stems(t) <= named]
    return plural and len(other) <= LIST_MAX_OTHER_WORDS


def asked_after_description(text: str) -> str:
    """What a question asks of a case it first describes, set apart by a dash, an ellipsis or a colon ("the girl in
    care who was sexually exploited - how many return home interviews happened?" asks how many happened); the
    question itself when it has no such part."""
    for separator in list(_DESCRIPTION_ENDS.finditer(text))[-SEPARATORS_TRIED:][::-1]:
        rest = text[separator.end() :]
        enough = len(query_terms(rest)) >= MIN_ASKED_WORDS  # "NSCP guidance - when would I use it?" names a topic
        if _ASKS.match(rest) and enough and len(text[: separator.start()].split()) >= MIN_DESCRIPTION_WORDS:
            return rest.strip()
    return text


def said_words(phrase: str) -> str:
    """The words of a phrase a review must say for it to say the phrase: without the ones that frame it ("advice
    about crying" is said by "advice on coping with crying"); the phrase itself when it is all such words."""
    words = [w for w in query_terms(phrase) if w not in _FRAME_WORDS]
    return " ".join(words) or phrase


def _content_terms(text: str, index: Mapping[str, ReviewMeta]) -> list[str]:
    """Content words that are not the names of the index's children, reviews, partnerships or review types,
    nor the words that frame a question ("how many times", "did anyone ever")."""
    text = without_types(_FRAMING.sub(" ", NAMED.sub(" ", re.sub(r"n['\u2019]t\b", " not", text))))
    tables = _tables(index)
    names = tables.name_words
    if tables.written_pattern is not None:  # "child f" typed in lower case is Child F's name, not a child
        text = tables.written_pattern.sub(" ", text)
    return [t for t in query_terms(text) if t not in names and t not in _FRAME_WORDS and t.isalpha() and len(t) > 1]


# A phrase naming several reviews ("in the Child D, Child G and Child C reviews", "the Child S and Northmere
# thematic reviews"), read once children's names are "the child": a run of names is matched once and never
# re-tried from inside, and what comes before and after it is looked at in a fixed window (linear in the text).
_NAME_RUN = re.compile(r"(?:the child|[A-Z][\w-]*)(?:(?:,\s*|\s+and\s+)(?:the\s+)?(?:the child|[A-Z][\w-]*))*")
_BEFORE_RUN = re.compile(r"(?:\b(?:in|of|from|for|across|between)\s+)?(?:the\s+)+$")
_AFTER_RUN = re.compile(r"(?:\s+thematic)?\s+reviews?\b")
_WINDOW = 40


def without_review_names(text: str, standing_for: str = "the reviews") -> str:
    """The question as put to each of the reviews it names, searched one by one: the phrase naming them left out
    ("How did professionals use escalation in the Child D and Child C reviews?" -> "How did professionals use
    escalation?"), so that no passage is chosen for sharing the names' words ("the child ... reviewer"). Where the
    phrase is the subject ("What did the X and Y reviews say ...?") `standing_for` takes its place."""
    text = neutral(text)
    out, kept = [], 0
    for run in _NAME_RUN.finditer(text):
        after = _AFTER_RUN.match(text, run.end())
        window = max(kept, run.start() - _WINDOW)
        before = _BEFORE_RUN.search(text[window : run.start()])
        if after is None or before is None:
            continue
        start = window + before.start()
        within = before.group(0).split()[0] != "the"  # "in the X and Y reviews" goes; "the X and Y reviews" says
        out.append(text[kept:start].rstrip() if within else f"{text[kept:start]}{standing_for}")
        kept = after.end()
    return "".join(out) + text[kept:]


def stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'excluded' meets 'exclusion'."""
    return {t[:5] for t in query_terms(text)}
