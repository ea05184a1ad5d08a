"""Theme explorer, learning briefs and their export, on the seed corpus with the real model."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from casewise.cli import main
from core.errors import CasewiseError
from core.models import Chunk
from core.settings import Settings
from core.text import MARKER
from core.units import Unit, split_units
from ingest.catalog import Catalog
from ingest.kinds import section_kind
from ingest.themes import find_theme
from retriever.answerers import AnswererUnavailable
from retriever.models import Draft, ScoredUnit, cite
from retriever.pipeline import Casewise
from trainer.brief import (
    MAX_PER_REVIEW,
    Brief,
    BriefBuilder,
    BriefPoint,
    is_recommendation,
    select_units,
    without_link_text,
)
from trainer.explorer import ThemeExplorer
from trainer.export import HEADINGS, PROMPTS_NOTE, to_docx, to_markdown

YPF = "young-person-f-rapid-review"
CHILD_M = "child-m-serious-case-review"
PARENTS = "Parents and wider family members need effective support"
ENGAGEMENT = "Develop an engagement strategy"


@pytest.fixture(scope="module")
def seed_home(seed_index: Path) -> Path:
    return seed_index


@pytest.fixture(scope="module")
def casewise(seed_home: Path, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    return Casewise.open(Settings.from_env(env={}, home=seed_home), real_embedder)


@pytest.fixture(scope="module")
def builder(casewise: Casewise) -> BriefBuilder:
    return BriefBuilder(casewise.index, casewise.searcher, casewise.generator, casewise.themes)


def points(brief: Brief) -> list[BriefPoint]:
    return [p for s in brief.summaries for p in s.points] + list(brief.learning) + list(brief.recommendations)


def assert_cited_and_verbatim(brief: Brief, casewise: Casewise) -> None:
    """Every point carries a citation; every marker has a source; every quote is the review's text."""
    assert points(brief)
    numbers = [c.marker for c in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    for point in points(brief):
        assert point.citations, point
        assert {int(m) for m in MARKER.findall(point.text)} == {c.marker for c in point.citations}
    for c in brief.sources:
        review = casewise.review(c.review_id)
        assert review is not None and review.text[c.start : c.end] == c.quote
        assert c.pages and c.section_label
        if not any(s.phrased_by != "extractive" for s in brief.summaries):
            assert any(p.text == f"{c.quote} [{c.marker}]" for p in points(brief))
    assert not brief.removed


# -- the explorer --------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_the_explorer_shows_both_reviews_touching_serious_youth_violence(casewise: Casewise) -> None:
    explorer = ThemeExplorer(casewise.catalog, casewise.themes)
    view = explorer.explore("serious youth violence")
    assert {r.review_id for r in view.reviews} == {YPF, CHILD_M}
    assert all(r.passages >= 1 and r.max_score > 0 for r in view.reviews)
    assert [r.max_score for r in view.reviews] == sorted((r.max_score for r in view.reviews), reverse=True)
    learning = explorer.explore("child criminal exploitation", kinds=["learning"])
    assert learning.passages and all(p.kind == "learning" and p.chunk.section == "Learning" for p in learning.passages)
    assert {r.review_id for r in learning.reviews} == {YPF}
    assert not explorer.tags_stale()
    counts = {c.theme.name: c for c in explorer.counts()}
    assert counts["serious youth violence"].reviews == 2 and counts["neglect"].reviews == 0
    # Child M's review names "sexual exploitation or criminality", never criminal exploitation
    assert counts["child criminal exploitation"].reviews == 1


@pytest.mark.integration
def test_the_explorer_rejects_unknown_themes_kinds_and_reviews(casewise: Casewise) -> None:
    explorer = ThemeExplorer(casewise.catalog, casewise.themes)
    with pytest.raises(CasewiseError, match=r"unknown theme 'gangs'; known themes: child criminal exploitation, "):
        explorer.explore("gangs")
    with pytest.raises(CasewiseError, match="unknown section kind 'lessons'; use summary, introduction, background"):
        explorer.explore("neglect", kinds=["lessons"])
    with pytest.raises(CasewiseError, match=f"unknown review 'child-x'; the index holds: {CHILD_M}, {YPF}"):
        explorer.explore("neglect", reviews=["child-x"])


def test_theme_names_and_section_kinds_are_matched_loosely() -> None:
    from ingest.themes import load_themes

    assert find_theme(load_themes(), "Early Help and Step Down").name == "early help and step-down"
    headings = ("The Findings", "Learning", "Recommendations", "Immediate actions", "Background")
    assert [_unit("Text.", h).chunk.section_kind for h in headings] == [
        "findings",
        "learning",
        "recommendations",
        "actions",
        "background",
    ]


# -- briefs --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_criminal_exploitation_brief_draws_learning_from_the_review_tagged_with_it(
    builder: BriefBuilder, casewise: Casewise
) -> None:
    brief = builder.build(theme="child criminal exploitation")
    assert brief.title == "Learning brief: child criminal exploitation" and brief.answerer == "extractive"
    drawn = {p.review_id for p in list(brief.learning) + list(brief.recommendations)}
    assert drawn == {YPF} and {s.review_id for s in brief.summaries} == {YPF}
    assert not brief.recommendations  # the review has learning sections and no recommendations section
    for point in list(brief.learning) + list(brief.recommendations):
        assert section_kind(point.citations[0].section_path) in ("learning", "findings", "recommendations", "actions")
    assert any("criminal exploitation" in p.text for p in brief.learning)
    assert_cited_and_verbatim(brief, casewise)


@pytest.mark.integration
def test_an_engaging_parents_brief_has_the_learning_and_the_engagement_recommendation(
    builder: BriefBuilder, casewise: Casewise
) -> None:
    brief = builder.build(theme="engaging parents")
    parents = [p for p in points(brief) if PARENTS in p.text]
    engagement = [p for p in brief.recommendations if p.text.startswith(ENGAGEMENT)]
    assert parents and parents[0].review_id == YPF and parents[0] in brief.learning
    assert engagement and engagement[0].review_id == CHILD_M
    assert engagement[0].citations[0].section == "Recommendations"
    assert_cited_and_verbatim(brief, casewise)
    summary = {s.review_id: s for s in brief.summaries}[CHILD_M]
    assert summary.subject == "Child M" and summary.review_type == "serious case review"
    assert summary.points[0].citations[0].section == "Background" and 1 <= len(summary.points) <= 2
    assert brief.discussion and any("engaging parents" in q for q in brief.discussion)


@pytest.mark.integration
def test_a_language_brief_keeps_the_interpreter_learning_and_leaves_out_other_senses_of_interpreted(
    builder: BriefBuilder,
) -> None:
    brief = builder.build(theme="language and interpreters")
    assert [p.review_id for p in brief.learning if "interpreter was declined" in p.text] == [YPF]
    assert not any("interpreted solely as a criminal issue" in p.text for p in points(brief))


@pytest.mark.integration
def test_a_question_brief_and_a_review_brief_are_cited_too(builder: BriefBuilder, casewise: Casewise) -> None:
    asked = builder.build(question="What should professionals do when they disagree with a decision?")
    assert any("must challenge the decision" in p.text for p in asked.learning)  # a Learning section's "must"
    assert_cited_and_verbatim(asked, casewise)
    one = builder.build(reviews=[CHILD_M])
    assert {p.review_id for p in points(one)} == {CHILD_M}
    sections = [p.citations[0].section for p in one.recommendations]
    assert sections.count("Recommendations") == 4 and set(sections) == {"Recommendations", "Implementing Change"}
    assert_cited_and_verbatim(one, casewise)


@pytest.mark.integration
def test_a_theme_no_review_touches_gives_an_empty_brief_that_says_so(builder: BriefBuilder) -> None:
    brief = builder.build(theme="neglect")
    assert brief.empty and not brief.sources and not brief.discussion
    assert "No review in this index is tagged with the theme 'neglect'" in brief.notices[0]


@pytest.mark.integration
def test_a_brief_restricted_to_one_review_stays_in_it(builder: BriefBuilder) -> None:
    brief = builder.build(theme="child criminal exploitation", reviews=[CHILD_M])
    assert {p.review_id for p in points(brief)} == {CHILD_M}
    with pytest.raises(CasewiseError, match="give a theme or a question for the brief, not both"):
        builder.build(theme="neglect", question="why?")
    with pytest.raises(CasewiseError, match="a brief needs a theme, a question or at least one review"):
        builder.build()


# -- export --------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_the_markdown_has_the_sections_points_and_numbered_sources(builder: BriefBuilder) -> None:
    brief = builder.build(theme="engaging parents")
    text = to_markdown(brief)
    for heading in HEADINGS:
        assert f"## {heading}" in text
    assert PROMPTS_NOTE in text
    for c in brief.sources:
        assert f"[{c.marker}] {c.review_title} — {c.section_label}, p. 1 (characters {c.start}–{c.end})" in text
    assert re.search(r"- \*\*R1\.\*\* Develop an engagement strategy .* \[\d+\]", text)


@pytest.mark.integration
def test_the_docx_opens_with_its_headings_points_and_sources(builder: BriefBuilder, tmp_path: Path) -> None:
    import docx

    brief = builder.build(theme="engaging parents")
    document = docx.Document(str(to_docx(brief, tmp_path / "brief.docx")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in paragraphs if style.startswith("Heading 1")]
    assert headings == list(HEADINGS)
    assert ("Title", brief.title) in paragraphs
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert any(PARENTS in t and t.startswith("L1. ") for t in bullets)
    assert any(t.startswith("R1. " + ENGAGEMENT) for t in bullets)
    sources = [text for _, text in paragraphs if re.match(r"\[\d+\] ", text)]
    assert len(sources) == len(brief.sources)
    assert all(f"“{c.quote}”" in s for c, s in zip(brief.sources, sources, strict=True))
    questions = [text for style, text in paragraphs if style == "List Number"]
    assert questions == list(brief.discussion)
    markers = [r for p in document.paragraphs for r in p.runs if MARKER.fullmatch(r.text)]
    assert markers and all(r.font.superscript for r in markers)


# -- the command line ----------------------------------------------------------------------------------------


def test_an_unknown_theme_exits_1_with_one_line_listing_the_themes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["brief", "--theme", "gang violence", "--out", str(tmp_path / "b.md"), "--home", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("casewise: error: unknown theme 'gang violence'; known themes: child criminal exploitation,")
    assert "language and interpreters" in err and not (tmp_path / "b.md").exists()


@pytest.mark.integration
def test_the_brief_command_writes_docx_and_rejects_an_unknown_review(
    seed_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cce.docx"
    home = ["--home", str(seed_home)]
    code = main(["brief", "--theme", "child criminal exploitation", "--format", "docx", "--out", str(out), *home])
    assert code == 0 and out.stat().st_size > 0
    assert "learning point(s)" in capsys.readouterr().err
    code = main(["brief", "--question", "What about interpreters?", "--review", "child-x", "--out", str(out), *home])
    err = capsys.readouterr().err
    assert code == 1 and err == f"casewise: error: unknown review 'child-x'; the index holds: {CHILD_M}, {YPF}\n"


@pytest.mark.integration
def test_the_brief_command_prints_json_with_its_sources(
    seed_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    out = tmp_path / "lang.md"
    code = main(
        ["brief", "--theme", "language and interpreters", "--out", str(out), "--json", "--home", str(seed_home)]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["format"] == "md" and summary["theme"] == "language and interpreters"
    assert summary["sources"] and all(s["quote"] in out.read_text(encoding="utf-8") for s in summary["sources"])


# -- the app -------------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_the_trainer_page_explores_a_theme_and_builds_a_brief(seed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    for name in list(os.environ):
        if name.startswith("CASEWISE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWISE_HOME", str(seed_home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("casewise/ui/pages/trainer.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="trainer_theme").set_value("engaging parents").run()
    assert sorted(at.dataframe[0].value["Review"]) == ["Rapid Reviews: Young Person F", "Serious Case Review: Child M"]
    # Child M's findings and recommendations; Young Person F's family circumstances and the learning that "parents
    # and wider family members need effective support"
    assert sum("open in the reader" in m.value for m in at.markdown) == 4
    at.button[0].click().run()
    assert not at.exception, at.exception
    preview = next(c.value for c in at.code if c.value.startswith("# Learning brief: engaging parents"))
    assert PARENTS in preview and ENGAGEMENT in preview
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download Markdown", "Download Word (.docx)"]
    assert Catalog(seed_home / "casewise.sqlite3").theme_counts()["engaging parents"][0] == 2


def _unit(text: str, section: str) -> Unit:
    chunk = Chunk(
        chunk_id="r:1",
        review_id="r",
        review_title="Review R",
        review_type=None,
        section_path=(section,),
        section_label=section,
        section_ordinal=1,
        part=1,
        start=0,
        end=len(text),
        pages=(1,),
        text=text,
        section_kind=section_kind((section,)),
    )
    return Unit(chunk=chunk, start=0, end=len(text), text=text, is_bullet=True)


@pytest.mark.parametrize(
    ("text", "section", "recommendation"),
    [
        ("The offer of an interpreter should have been revisited.", "Learning", False),
        ("More priority should be given to disrupting perpetrators.", "Learning", False),
        ("Professionals must challenge the decision.", "Findings", False),
        ("Invest time in critical thinking skills.", "Recommendations", True),
        ("The practice has trained every GP on the protocol.", "Immediate actions", True),
        ("Schools should record every exclusion.", "Summary of agency involvement", False),
    ],
)
def test_only_recommendations_and_actions_sections_give_recommendations(
    text: str, section: str, recommendation: bool
) -> None:
    assert is_recommendation(_unit(text, section)) is recommendation


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Plan with the MSET framework. See here for more information.", "Plan with the MSET framework."),
        ("Use the escalation protocol (click here to download it).", "Use the escalation protocol"),
        ("Seven-minute briefing on neglect - read more", "Seven-minute briefing on neglect"),
        ("Store medicines safely. For more information click here.", "Store medicines safely."),
        ("See here for more information.", None),
        ("Click here", None),
        ("Professionals should see mothers alone.", "Professionals should see mothers alone."),
        ("The review heard from the family here in Leeds.", "The review heard from the family here in Leeds."),
    ],
)
def test_link_text_without_its_link_is_cut_from_a_point(text: str, kept: str | None) -> None:
    unit = without_link_text(_unit(text, "Learning"))
    if kept is None:
        assert unit is None
    else:
        assert unit is not None and unit.text == kept and unit.end - unit.start == len(kept)


@pytest.mark.integration
def test_a_brief_never_shows_link_text(builder: BriefBuilder) -> None:
    brief = builder.build(theme="child criminal exploitation")
    markdown = to_markdown(brief)
    assert "MSET" in markdown  # the learning point stays, without its dead link
    assert not re.search(r"see here|click here|read more", markdown, re.I)


def test_units_are_chosen_near_the_best_with_cue_matches_kept_and_a_cap_per_review() -> None:
    units = [_unit(f"Point {i}.", "Learning") for i in range(7)]
    units = [Unit(u.chunk, i * 10, i * 10 + 8, u.text, True) for i, u in enumerate(units)]
    scored = [ScoredUnit(u, s, s) for u, s in zip(units, (0.9, 0.8, 0.7, 0.3, 0.2, 0.1, 0.05), strict=True)]
    cued = frozenset({(units[4].chunk.chunk_id, units[4].start)})
    chosen = select_units(scored, floor=0.5, margin=0.24, always=cued)
    assert [u.start for u in chosen] == [0, 10, 20, 40]  # 0.9, 0.8, 0.7 near the best; 0.2 by its cue
    assert len(select_units([ScoredUnit(u, 0.9, 0.9) for u in units], floor=0.5)) == MAX_PER_REVIEW
    assert select_units(scored, floor=0.95) == []


class FakeModel:
    """A language model that phrases summaries: one claim cited correctly, one cited to words not in the review."""

    name = "fake-llm"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.questions: list[str] = []

    def draft(self, question, evidence, scored, on_token=None) -> Draft:  # type: ignore[no-untyped-def]
        self.questions.append(question)
        if self.fail:
            raise AnswererUnavailable("The language model at http://127.0.0.1:9 did not answer.")
        unit = split_units(evidence[0].chunk)[0]
        good = cite(1, unit)
        bad = replace(cite(2, unit), quote="He led a gang.")
        text = "The child grew up in the UK in a family for whom English was a second language [1]. He led a gang [2]."
        return Draft(text=text, citations=(good, bad), answerer=self.name)

    def rewrite(self, question, history) -> str:  # type: ignore[no-untyped-def]
        return question


@pytest.mark.integration
def test_a_language_model_may_phrase_summaries_but_its_citations_are_checked(casewise: Casewise) -> None:
    model = FakeModel()
    brief = BriefBuilder(casewise.index, casewise.searcher, model, casewise.themes).build(theme="engaging parents")
    summary = {s.review_id: s for s in brief.summaries}[CHILD_M]
    assert summary.phrased_by == "fake-llm" and brief.answerer == "fake-llm"
    assert summary.points[0].text.startswith("The child grew up in the UK") and "gang" not in summary.points[0].text
    assert any("lost what did not check out" in n and "not verbatim" in n for n in brief.notices)
    assert all(casewise.review(c.review_id).text[c.start : c.end] == c.quote for c in brief.sources)  # type: ignore[union-attr]
    assert any(q.startswith("In one or two sentences, what is the background of Child M") for q in model.questions)
    assert "summary written by fake-llm" in to_markdown(brief)


@pytest.mark.integration
def test_an_unavailable_language_model_leaves_the_quoted_summaries(casewise: Casewise) -> None:
    brief = BriefBuilder(casewise.index, casewise.searcher, FakeModel(fail=True), casewise.themes).build(
        theme="language and interpreters"
    )
    assert brief.answerer == "extractive" and all(s.phrased_by == "extractive" for s in brief.summaries)
    assert any("did not answer. The case summaries quote the reviews instead." in n for n in brief.notices)
    assert_cited_and_verbatim(brief, casewise)
