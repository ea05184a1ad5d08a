"""Section kinds: what a section of a review is for, from its heading (and its parents' headings).

The vocabulary below is the sector's own: the headings that statutory guidance ("Working Together") and the
national panel's templates ask reviews to use, and that partnerships' reviews share whatever their house style.
It names kinds of section, never one review's wording. A sub-section takes the kind its own heading names,
except that a sub-section of a finding, learning, recommendations or good practice section is of that kind when
its heading names only a kind that tells the case: under "Findings", "Escalation between agencies" is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from core.models import SectionKind
from ingest.metadata import without_review_types

# Checked in order: the first kind whose pattern matches the heading wins, so "Learning and recommendations"
# is a recommendations section, "Good practice and learning" is good practice and "Summary of agency
# involvement" is agency involvement.
_RULES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(alternatives), re.IGNORECASE))
    for kind, alternatives in (
        (
            SectionKind.GOOD_PRACTICE,
            (
                r"\bgood practice\b",
                r"\bwhat (?:went|worked) well\b",
                r"\bstrengths?\b",
                r"\b(?:positive|effective|notable) practice\b",
            ),
        ),
        # Scotland's learning reviews set out what must improve as "areas for development" (or improvement)
        (SectionKind.RECOMMENDATIONS, (r"\brecommend", r"\bareas? for (?:development|improvement)\b")),
        (
            SectionKind.ACTIONS,
            (
                r"\bactions?\b",
                r"\bimplementing\b",
                r"\bwill do\b",  # "What agencies will do", a briefing's actions
                r"\bimprov(?:ing|ements?)\b",  # "Improving systems and practice", Wales's template
                r"\bchanges? (?:made|already)\b",
                r"\bprogress\b",
                r"\bdevelopments since\b",
                r"\b(?:happened|changed) since\b",  # "What has happened since?", a heading put as a question
            ),
        ),
        (
            SectionKind.VIEWS,
            (
                r"\bviews?\b",
                r"\btold us\b",
                r"\btold the review\b",
                r"\bperspective\b",
                r"\bcontribution of the family\b",
                r"\bfamily'?s? (?:contribution|involvement in the review)\b",
            ),
        ),
        (
            SectionKind.LEARNING,
            (
                r"\blearn(?:ing|ed|t)?\b",  # "What did we learn?"
                r"\blessons?\b",
                r"\bkey messages?\b",  # "Key messages for practitioners", as briefings head their learning
                r"\bmessages for\b",
                r"\bwhat (?:to do|(?:you|practitioners|professionals) (?:should|can|need to) do)\b",  # a briefing's
            ),
        ),
        (
            SectionKind.FINDINGS,
            (
                r"\bfindings?\b",
                r"\banalysis\b",
                r"\bthemes?\b",
                r"\bissues?\b",
                r"\bappraisal\b",
                r"\bwhat (?:we|the review) found\b",
            ),
        ),
        (
            SectionKind.CONCLUSION,
            (
                r"\bconclu",
                r"\boutcomes?\b",
                r"\bdecision\b",
                r"\bnext steps\b",
                r"\bclosing\b",
                r"\bwill know\b",
            ),
        ),
        (
            SectionKind.AGENCY_INVOLVEMENT,
            (
                r"\bagency\b",
                r"\bagencies\b",
                r"\bchronolog",
                r"\bwhat happened\b",
                r"\b(?:practice|key) episodes?\b",
                r"\bincident\b",
                r"\btimeline\b",
                r"\bevents?\b",
                r"\bcontacts?\b",
                r"\bprofessional involvement\b",
                r"\bservices? involve(?:d|ment)\b",
                r"^who (?:is|was|are|were) involved\b",
            ),
        ),
        # before the review's own words: "Circumstances leading to the review" tells the case
        (SectionKind.BACKGROUND, (r"\bcircumstances\b",)),
        (
            SectionKind.INTRODUCTION,
            (
                r"\bintroduc",
                r"\bscope\b",
                r"\bmethod",
                r"\bterms of reference\b",
                r"\bpurpose\b",
                r"\bwhy (?:we|this)\b",
                r"\b(?:this|the) review\b",  # "Why did we carry out this review?"
                r"\breview process\b",
                r"\bprocess\b",
                r"\bpublishing\b",
                r"\bparticipation\b",
                r"(?<!family )\bcontext\b",  # "Background and family context" tells the family's
                r"^what (?:is|are)\b",
                r"\bdefinitions?\b",
            ),
        ),
        (
            SectionKind.SUMMARY,
            (
                r"\bsummary\b",
                r"\boverview\b",
                r"\bat a glance\b",
                r"\bkey points\b",
            ),
        ),
        (
            SectionKind.BACKGROUND,
            (
                r"\bbackground\b",
                r"\bfamily\b",
                r"\bhistory\b",
                r"\babout (?:the )?(?:child|young|baby|infant)",
                r"^who (?:is|was|are|were)\b",  # "Who is Maya?"
                r"\bconcerns\b",
            ),
        ),
    )
)
# Kinds that judge the case, and kinds that tell it: a sub-section of a judging section whose short heading
# names a telling kind is still of the judging kind ("Findings > 4.2 Escalation between agencies" is a finding),
# while a telling section's sub-section may judge ("Agency involvement > Learning for the police") and a judging
# section's may give views or actions ("Findings > What young people told us").
JUDGING = frozenset(
    {SectionKind.FINDINGS, SectionKind.LEARNING, SectionKind.RECOMMENDATIONS, SectionKind.GOOD_PRACTICE}
)
TELLING = frozenset(
    {
        SectionKind.AGENCY_INVOLVEMENT,
        SectionKind.BACKGROUND,
        SectionKind.INTRODUCTION,
        SectionKind.SUMMARY,
        SectionKind.CONCLUSION,
    }
)
SUBHEADING_MAX_WORDS = 6
_GROUPS = re.compile(r"\bthemes?\b", re.I)  # a word naming a group of items as well as a kind (findings)
# A heading asking a yes/no question, as the national panel's rapid review form does ("Is a local child safeguarding
# practice review recommended?", "Do the safeguarding partners agree with the recommendation?").
_YES_NO_HEADING = re.compile(r"\W*(?:is|are|was|were|do|does|did|has|have|should|will|would|can)\b[^?]*\?\W*$", re.I)
HEADINGS_CACHED = 4096  # headings whose kind is kept: a section's kind reads every heading above it, again and again
LABEL_MAX_WORDS = 3  # a long sub-heading's label before its colon ("Finding 2", "Key learning") names its kind
# A heading naming children ("The three young people", "Young Person J") is background when nothing else names
# its kind; a weak sign, so it does not make the heading one that only names a kind of section. "Children's social
# care", "Children's Services" and "a children's home" name services, not children (the sector's usage).
_CHILDREN = re.compile(
    r"\b(?:child|children|young (?:person|people)|baby|babies|infants?|siblings?|twins?)\b"
    r"(?!['\u2019]s[ \t]+(?:social|services?|homes?|cent(?:re|er)s?|hospitals?|trusts?|commissioner|act)\b)",
    re.I,
)


# Kinds a heading can name together with recommendations ("Findings and recommendations", "Learning and
# recommendations"): its sections hold both, and are read as the other kind where the review gathers its
# recommendations in a section of their own.
SHARED_WITH_RECOMMENDATIONS = frozenset({SectionKind.FINDINGS, SectionKind.LEARNING})
REPEAT_MIN_WORDS = 5  # a line this long found in two sections is one repeated, not a phrase they share by chance


# A heading naming an organisation by the noun English gives one ("Family Nurse Partnership", "Family Support
# Service", "Early Help Hub"): under a heading of another kind, that kind's part, though a word of it ("family")
# names background on its own.
_ORGANISATION = re.compile(
    r"\b(?:Partnership|Services?|Team|Trust|Hub|Unit|Centre|Council|Board|Agency|Project|Programme|Clinic|Practice"
    r"|Department|Police|School|Academy|Nursery)\b"
)


def names_organisation(heading: str) -> bool:
    """Whether a heading names an organisation ("Family Nurse Partnership", "Early Help Hub")."""
    return _ORGANISATION.search(heading) is not None


def section_kind(path: tuple[str, ...], without: SectionKind | None = None) -> SectionKind:
    """The kind of the section at `path`: the nearest heading that names a kind, where a sub-heading counts only
    when it is short (a long one describes its content: "Parents with learning disabilities were not given the
    help they needed" under "Analysis" is a finding) or by its short label ("Finding 2: ..."); a path naming
    only children is background; a telling kind under a judging one gives way to it (JUDGING, TELLING). `without`
    reads the headings as if they did not name that kind."""
    kind, _ = _kind_and_heading(path, without)
    return kind


def _kind_and_heading(path: tuple[str, ...], without: SectionKind | None) -> tuple[SectionKind, str]:
    """The section's kind and the heading (or a long heading's label) that names it ('' when none does)."""
    named = []  # (kind, heading), nearest heading first
    for depth in range(len(path) - 1, -1, -1):
        heading = path[depth]
        label, colon, _ = heading.partition(":")  # "Finding 2: Adult services did not ..." is labelled a finding
        if depth and len(heading.split()) > SUBHEADING_MAX_WORDS:
            heading = label if colon and len(label.split()) <= LABEL_MAX_WORDS else ""
        kind = heading_kind(heading, weak=False, without=without)
        if kind is not SectionKind.OTHER:
            named.append((kind, heading))
    if not named:
        children = any(_CHILDREN.search(without_review_types(h)) for h in path)  # not "child safeguarding ... review"
        return (SectionKind.BACKGROUND if children else SectionKind.OTHER), ""
    if named[0][0] is SectionKind.BACKGROUND and names_organisation(named[0][1]) and len(named) > 1:
        named = named[1:]  # "Agency involvement > Family Nurse Partnership": an agency, though "family" is background
    if named[0][0] in TELLING:  # under "Findings", "4.2 Escalation between agencies" is still a finding
        return next((pair for pair in named if pair[0] in JUDGING), named[0])
    if _GROUPS.search(named[0][1]) and heading_kind(named[0][1], weak=False, without=named[0][0]) is SectionKind.OTHER:
        # "Recommendations > Theme A: Safer sleep": a theme groups the section's own items
        return next((pair for pair in named[1:] if pair[0] in JUDGING), named[0])
    return named[0]


@lru_cache(maxsize=HEADINGS_CACHED)
def heading_kind(heading: str, weak: bool = True, without: SectionKind | None = None) -> SectionKind:
    """The kind one heading names, or OTHER; `weak=False` ignores headings that only name children; `without`
    skips one kind (what else the heading names). The name of a type of review names no kind of section: "Learning
    Review: Callum", a title set as a heading over the whole review, is not its learning."""
    heading = without_review_types(heading)
    decision = _YES_NO_HEADING.match(heading) is not None
    for kind, pattern in _RULES:
        if decision and kind is SectionKind.RECOMMENDATIONS:
            continue  # "Is a local review recommended?" holds a decision (Yes. / No.), not recommendations
        if kind is not without and pattern.search(heading):
            return kind
    return SectionKind.BACKGROUND if weak and _CHILDREN.search(heading) else SectionKind.OTHER


def kinds_of(paths: list[tuple[str, ...]], bodies: list[str]) -> list[SectionKind]:
    """The kinds of a review's sections (`bodies` their texts), in order. Where a review gathers its
    recommendations in a section of their own ("Summary of recommendations") and also gives them with its findings
    or learning, a list of them should give each once: a section so repeated under a heading naming both
    ("Findings and recommendations") is a finding (or learning), and a recommendations section within a finding
    ("Finding 1 > Recommendations") is a copy, of no kind of its own."""
    rec = SectionKind.RECOMMENDATIONS
    kinds = [section_kind(path) for path in paths]
    shared = {
        i
        for i, (path, kind) in enumerate(zip(paths, kinds, strict=True))
        if kind is rec and section_kind(path, without=rec) in SHARED_WITH_RECOMMENDATIONS
    }
    gathered = {line for i, kind in enumerate(kinds) if kind is rec and i not in shared for line in _lines(bodies[i])}
    for i in shared:
        if _lines(bodies[i]) & gathered:  # the gathered section repeats it
            _, naming = _kind_and_heading(paths[i], None)
            both = heading_kind(naming, weak=False, without=rec) in SHARED_WITH_RECOMMENDATIONS
            kinds[i] = section_kind(paths[i], without=rec) if both else SectionKind.OTHER
    return _summaries_restate(paths, kinds)


def _summaries_restate(paths: list[tuple[str, ...]], kinds: list[SectionKind]) -> list[SectionKind]:
    """An executive summary's findings or recommendations restate the report's own: where a review has sections of
    a judging kind both inside a summary ("Executive summary > Recommendations") and outside it, the summary's are
    summary, so that a list gives each item once, from the report."""
    inside = [any(heading_kind(h, weak=False) is SectionKind.SUMMARY for h in path[:-1]) for path in paths]
    outside = {kind for kind, summarised in zip(kinds, inside, strict=True) if not summarised}
    return [
        SectionKind.SUMMARY if summarised and kind in JUDGING and kind in outside else kind
        for kind, summarised in zip(kinds, inside, strict=True)
    ]


def _lines(text: str) -> set[str]:
    """The lines of a text that say something (several words), spaces normalised."""
    return {" ".join(words) for line in text.split("\n") if len(words := line.split()) >= REPEAT_MIN_WORDS}


# Sections that explain words rather than tell a case: a glossary or a list of abbreviations defines every theme's
# terms (a definition of "CSE" is not a passage about exploitation), and a reference list or notes name guidance.
# Their passages get no theme, whatever their cues (ingest/themes.py; on the calibration half: the one glossary,
# four false tags).
_REFERENCE_MATTER = re.compile(
    r"\b(?:glossary|abbreviations|acronyms|bibliography)\b"
    r"|^(?:[^:]*:\s*)?(?:references|further reading|useful (?:links|resources)|(?:foot|end)?notes)\s*$",
    re.IGNORECASE,
)


def is_reference_matter(section_path: Sequence[str]) -> bool:
    """Whether a section, by its heading trail, is a glossary, a list of abbreviations or of references."""
    return any(_REFERENCE_MATTER.search(heading.strip()) for heading in section_path)
