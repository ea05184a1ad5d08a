"""Section kinds: what a section of a review is for, from its heading (and its parents' headings).

The vocabulary below is the sector's own: the headings that statutory guidance ("Working Together") and the
national panel's templates ask reviews to use, and that partnerships' reviews share whatever their house style.
It names kinds of section, never one review's wording; a heading it does not recognise takes its parent's kind.
"""

from __future__ import annotations

import re
from enum import StrEnum


class SectionKind(StrEnum):
    """The fixed set of section kinds every section is given."""

    SUMMARY = "summary"
    INTRODUCTION = "introduction"  # introduction, scope, terms of reference, method, purpose
    BACKGROUND = "background"  # background, family, the child, history
    AGENCY_INVOLVEMENT = "agency_involvement"  # agency involvement, chronology, what happened, key episodes
    FINDINGS = "findings"  # analysis, findings, themes, issues
    LEARNING = "learning"
    RECOMMENDATIONS = "recommendations"
    ACTIONS = "actions"  # actions taken, immediate actions, improvements made, implementing change
    GOOD_PRACTICE = "good_practice"
    VIEWS = "views"  # the child's and family's views
    CONCLUSION = "conclusion"  # conclusion, outcome, decision, next steps
    OTHER = "other"


# Checked in order: the first kind whose pattern matches the heading wins, so "Learning and recommendations"
# is a recommendations section and "Good practice and learning" is good practice.
_RULES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            SectionKind.GOOD_PRACTICE,
            r"\bgood practice\b|\bwhat (?:went|worked) well\b|\bstrengths?\b|\bpositive practice\b",
        ),
        (SectionKind.RECOMMENDATIONS, r"\brecommend"),
        (
            SectionKind.ACTIONS,
            r"\bactions?\b|\bimplementing\b|\bimprovements?\b|\bchanges? (?:made|already)\b|\bprogress\b|\bdevelopments since\b",
        ),
        (
            SectionKind.VIEWS,
            r"\bviews?\b|\bvoice\b|\btold us\b|\btold the review\b|\bperspective\b|\bcontribution of the family\b|\bfamily'?s? (?:contribution|involvement in the review)\b",
        ),
        (SectionKind.LEARNING, r"\blearning\b|\blessons?\b"),
        (
            SectionKind.FINDINGS,
            r"\bfindings?\b|\banalysis\b|\bthemes?\b|\bissues?\b|\bappraisal\b|\bpractice issues\b|\bwhat (?:we|the review) found\b",
        ),
        (SectionKind.SUMMARY, r"\bsummary\b|\boverview\b|\bat a glance\b|\bkey points\b"),
        (
            SectionKind.CONCLUSION,
            r"\bconclu|\boutcomes?\b|\bdecision\b|\bnext steps\b|\bclosing\b|\bhow (?:the|we) will know\b|\bdifference\b",
        ),
        (
            SectionKind.AGENCY_INVOLVEMENT,
            r"\bagency\b|\bagencies\b|\bchronolog|\bwhat happened\b|\bpractice episodes?\b|\bepisodes?\b|\bincident\b|\btimeline\b|\bevents?\b|\bcontacts?\b|\bprofessional involvement\b|\bservices? involved\b",
        ),
        (
            SectionKind.INTRODUCTION,
            r"\bintroduc|\bscope\b|\bmethod|\bterms of reference\b|\bpurpose\b|\bwhy (?:we|this)\b|\bthe review\b|\breview process\b|\bprocess\b|\bpublishing\b|\bparticipation\b|\bcontext\b",
        ),
        (
            SectionKind.BACKGROUND,
            r"\bbackground\b|\bfamily\b|\bhistory\b|\babout (?:the )?(?:child|young|baby|infant)|\bcircumstances\b|\bconcerns\b|\bthe (?:child|children|young people|young person|baby|babies|infants?|siblings?)\b",
        ),
    )
)


def section_kind(path: tuple[str, ...]) -> SectionKind:
    """The kind of the section at `path`: its own heading's kind, else the nearest parent's, else OTHER."""
    for heading in reversed(path):
        kind = heading_kind(heading)
        if kind is not SectionKind.OTHER:
            return kind
    return SectionKind.OTHER


def heading_kind(heading: str) -> SectionKind:
    """The kind one heading names, or OTHER."""
    for kind, pattern in _RULES:
        if pattern.search(heading):
            return kind
    return SectionKind.OTHER
