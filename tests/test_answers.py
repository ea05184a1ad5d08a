"""What answers say, asked through `Casewise.ask` with the real model over the invented dev corpus and the seeds:
complete lists by section kind, every relevant review, plain "not mentioned", refusals by name and by premise,
and never "not covered" for a child the corpus does review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from core.settings import Settings
from ingest.pipeline import ingest
from retriever.abstention import refuse_before_search
from retriever.models import Answer, Turn
from retriever.pipeline import Casewise
from retriever.question import read_question
from retriever.units import list_items

pytestmark = pytest.mark.integration

DEV_REVIEWS = ROOT / "evals" / "corpus-dev" / "reviews"


def _open(corpus: Path, home: Path, embedder) -> Casewise:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(env={}, home=home)
    report = ingest([corpus], settings, lambda: embedder)
    assert not report.failed, report.failed
    return Casewise.open(settings, embedder)


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    return _open(DEV_REVIEWS, tmp_path_factory.mktemp("dev") / "home", real_embedder)


@pytest.fixture(scope="module")
def seeds(seed_index: Path, real_embedder) -> Casewise:  # type: ignore[no-untyped-def]
    return Casewise.open(Settings.from_env(env={}, home=seed_index), real_embedder)


def test_no_subject_of_any_review_is_ever_not_covered(dev: Casewise) -> None:
    """Every subject, in every naming form the index records for it, is recognised as a reviewed child."""
    index = dev.review_index()
    names = [(rid, n) for rid, meta in index.items() for s in meta.subjects for n in s.names if len(n) > 2]
    assert len(names) >= 13  # every dev review names its children; the thematic review names three
    for review_id, name in names:
        question = read_question(f"What happened to {name}?", index)
        assert refuse_before_search(question, index) is None, name
        assert review_id in question.reviews, name
    answer = dev.ask("What happened to Infant W?")
    assert not answer.abstained and "do not cover" not in answer.text


def test_a_child_no_review_is_about_is_refused_by_name(dev: Casewise) -> None:
    for name in ("Child Z", "Baby U", "Sibling Group O", "Siblings C and D"):
        answer = dev.ask(f"What did the review of {name} find?")
        assert answer.abstained and "do not cover" in answer.text and not answer.citations, name
    assert "Child D" in dev.ask("What happened to Child Q?").text  # the refusal says which children it does cover


def test_a_review_the_corpus_does_not_hold_is_refused(dev: Casewise) -> None:
    answer = dev.ask("What did the Seaton Moor thematic review recommend?")
    assert answer.abstained and "thematic review" in answer.text


@pytest.mark.parametrize(
    ("question", "review_id", "kind"),
    [
        ("What were the recommendations of the Child D review?", "child-d-lcspr", "recommendations"),
        ("List every recommendation made in the Northmere thematic review.", "northmere-thematic-review-self-harm",
         "recommendations"),
        ("What immediate actions were taken after the Young Person T rapid review?", "young-person-t-rapid-review",
         "actions"),
        ("What learning did the Baby N rapid review identify?", "baby-n-rapid-review", "learning"),
    ],
)  # fmt: skip
def test_a_list_question_gets_every_item_of_that_kind_in_order(
    dev: Casewise, question: str, review_id: str, kind: str
) -> None:
    answer = dev.ask(question)
    chunks = sorted(
        (c for c in dev.catalog.all_chunks(review_id) if c.section_kind == kind),
        key=lambda c: (c.section_ordinal, c.part),
    )
    items = [item.unit.text for item in list_items(chunks)]
    assert len(items) >= 3
    assert [c.quote for c in answer.citations] == items  # every item, in the review's order, nothing else
    assert all(c.review_id == review_id for c in answer.citations)


def test_a_list_question_without_a_review_gives_one_labelled_list_per_review(dev: Casewise) -> None:
    """Each review's recommendations, and a review without a recommendations section its actions, labelled so."""
    answer = dev.ask("What recommendations were made?")
    chunks = dev.catalog.all_chunks()
    with_kind = {c.review_id for c in chunks if c.section_kind == "recommendations"}
    nearest = {c.review_id for c in chunks if c.section_kind == "actions"} - with_kind
    assert nearest and {c.review_id for c in answer.citations} == with_kind | nearest
    assert answer.text.count("The recommendations of ") == len(with_kind)
    assert answer.text.count("(it has no recommendations section)") == len(nearest)


def test_numbered_items_keep_the_reviews_own_numbers(dev: Casewise) -> None:
    answer = dev.ask("What were the recommendations of the Adolescent X review?")
    assert re.search(r"^8\.1 ", answer.text, re.M)  # the review numbers its paragraphs 8.1, 8.2, ...


def test_a_question_across_reviews_groups_by_review_and_says_how_many_had_something(dev: Casewise) -> None:
    answer = dev.ask(
        "How many times were police called to the home in the Child G, Siblings A and E and Baby N reviews?"
    )
    cited = {c.review_id for c in answer.citations}
    assert cited == {"child-g-rapid-review", "siblings-a-and-e-serious-case-review", "baby-n-rapid-review"}
    assert re.match(r"3 of the 3 reviews searched have something on this", answer.text)
    first = {}
    for citation in answer.citations:
        first.setdefault(citation.review_id, citation.quote)
    assert all(re.search(r"\b(?:times|occasions)\b", quote) for quote in first.values()), first  # each count first


def test_a_question_naming_two_reviews_shows_each_reviews_section_on_the_matter_early(dev: Casewise) -> None:
    answer = dev.ask("How did COVID-19 affect the services around Child D and Child S?")
    first = [(h.chunk.review_id, h.chunk.section) for h in answer.evidence[:4]]
    assert {rid for rid, _ in first[:2]} == {"child-d-lcspr", "child-s-lcspr"}  # each review's best before a second
    for review_id in ("child-d-lcspr", "child-s-lcspr"):
        assert any(rid == review_id and "COVID-19" in section for rid, section in first), first


def test_a_question_naming_several_reviews_quotes_passages_on_its_topic_not_on_their_names(dev: Casewise) -> None:
    """The names of the reviews asked about are not what is asked: no passage is quoted for sharing their words
    ("Child D ... met the reviewer")."""
    answer = dev.ask("What do the Child D and Child C reviews say about escalation?")
    assert answer.citations
    assert all(re.search(r"escalat", c.quote, re.I) for c in answer.citations), [c.quote for c in answer.citations]


def test_recommendations_about_a_matter_are_those_on_it_not_every_recommendation(dev: Casewise) -> None:
    answer = dev.ask("What recommendations were made about escalation?")
    assert answer.citations and not answer.abstained
    assert re.search(r"escalat", answer.citations[0].quote, re.I), answer.citations[0].quote
    assert all("recommend" in " ".join(c.section_path).lower() for c in answer.citations), answer.citations
    every = len(list_items(dev.catalog.chunks_of_kind("recommendations")))
    assert len(answer.citations) < every / 4  # the ones on escalation, not a list of every recommendation


def test_the_learning_on_a_matter_is_chosen_for_the_matter_not_for_saying_learning(dev: Casewise) -> None:
    """In learning sections, "The review identified five areas of learning" says the kind's name and nothing of
    what is asked; plural acronyms ("GPs") are the reviews' "GP"."""
    for question in ("What is the learning for GPs?", "Any learning for GPs?"):
        answer = dev.ask(question)
        assert answer.citations and not answer.abstained, question
        assert all(re.search(r"\bGP\b", c.quote) for c in answer.citations), [c.quote for c in answer.citations]


def test_a_glossary_answers_what_a_word_means_but_not_what_happened(dev: Casewise) -> None:
    def glossary(answer: Answer) -> bool:
        return any("glossary" in " ".join(c.section_path).lower() for c in answer.citations)

    happened = dev.ask("What happened to Young Person H after she went missing?")
    assert happened.citations and not glossary(happened)
    assert glossary(dev.ask("What is a return home interview?"))


def test_a_question_typed_in_lower_case_names_its_child(dev: Casewise) -> None:
    answer = dev.ask("how old was child d when he was found")
    assert answer.citations and {c.review_id for c in answer.citations} == {"child-d-lcspr"}
    assert re.search(r"\b(?:9|nine)\b", answer.text)


def test_a_review_about_several_children_is_named_by_its_title_in_quotes_when_it_does_not_answer(
    dev: Casewise,
) -> None:
    answer = dev.ask("Which platform was Infant W's mother contacted on?")
    assert answer.abstained
    assert answer.text.startswith("The review “Local Child Safeguarding Practice Review: Infants P and W” does not")


def test_a_premise_the_review_never_states_is_refused(dev: Casewise) -> None:
    """Interpreters appear in other reviews, never in the Child G review: the question's premise is not in it."""
    answer = dev.ask("Which interpreter was used for Child G's mother?")
    assert answer.abstained and "“interpreter”" in answer.text and "Child G review" in answer.text


def test_a_question_turning_on_what_other_reviews_say_and_the_named_one_never_does_is_refused(dev: Casewise) -> None:
    """Other reviews tell of exclusions from school; the Child D review never does, however well "school" matches."""
    answer = dev.ask("When was Child D excluded from school?")
    assert answer.abstained and "\u201cexcluded\u201d" in answer.text and "Child D review" in answer.text
    assert not dev.ask("When was Adolescent X excluded from school?").abstained  # his review says he was


def test_a_fact_the_review_does_not_give_is_refused(dev: Casewise) -> None:
    answer = dev.ask("How many kilograms did Child D weigh when he was found?")
    assert answer.abstained and "does not give a weight" in answer.text


def test_a_which_question_the_review_answers_only_with_an_unnamed_one_says_it_does_not_say_which(dev: Casewise) -> None:
    answer = dev.ask("Which platform was Young Person T contacted on?")
    assert answer.text.startswith("The Young Person T review does not say which platform.")


def test_a_yes_no_question_whose_words_the_review_says_in_another_order_is_not_said_to_be_unmentioned(
    dev: Casewise,
) -> None:
    answer = dev.ask("Was a crime recorded?")
    assert "not mention" not in answer.text
    assert any("recorded as a crime" in c.quote for c in answer.citations)


def test_a_direct_answer_quotes_the_fact_asked_for_first(dev: Casewise) -> None:
    answer = dev.ask("How many of Child D's teeth had to be removed?")
    assert not answer.abstained and "eight teeth" in answer.citations[0].quote


def test_a_case_described_not_named_is_answered_from_that_review_alone(dev: Casewise) -> None:
    """A practitioner describes the case in their own words; a count from another child's review would answer
    about someone else."""
    answer = dev.ask(
        "How many times did the police go to the flat before the nine-year-old was found outside at night?"
    )
    assert answer.citations and {c.review_id for c in answer.citations} == {"child-d-lcspr"}


def test_a_child_of_a_thematic_review_described_not_named_is_answered_from_that_childs_passages(dev: Casewise) -> None:
    answer = dev.ask("What went wrong with the interpreter for the refugee boy who took an overdose?")
    assert any("Amharic" in c.quote for c in answer.citations)  # K's own account, not the theme in general


def test_what_is_asked_of_a_case_after_describing_it_is_what_the_answer_quotes(dev: Casewise) -> None:
    """The description finds the case; the sentences quoted answer what comes after the dash, not the description."""
    answer = dev.ask("The girl in care who was exploited by a gang - how many return home interviews happened?")
    assert answer.citations and "took place on 5" in answer.citations[0].quote


def test_a_question_about_more_children_than_one_review_holds_is_not_held_to_one_review(seeds: Casewise) -> None:
    answer = seeds.ask("How did the two children get on at school?")
    assert len({c.review_id for c in answer.citations}) == 2


@pytest.mark.parametrize(
    ("question", "review", "kind"),
    [
        ("List the recommendations of the review about the girl who was privately fostered.", "child-r", "rec"),
        ("What were the findings after the children were taken out of school to be home educated?", "siblings", "find"),
        ("What should change after the death of the baby who slept on the sofa?", "infants-p-and-w", "rec"),
    ],
)
def test_a_list_of_a_review_described_not_named_is_that_reviews_list(
    dev: Casewise, question: str, review: str, kind: str
) -> None:
    answer = dev.ask(question)
    assert answer.citations and all(c.review_id.startswith(review) for c in answer.citations)
    assert answer.text.lower().startswith(f"the {kind}")  # "The recommendations of ...": the list, said as such


def test_which_reviews_are_about_what_a_childs_name_calls_them_finds_the_reviews_saying_it(dev: Casewise) -> None:
    """ "Baby N" is a baby: the word of the name is what "which reviews involved a baby" asks about, not a name;
    and "which cases" asks which of the reviews, not which one case a passage names."""
    answer = dev.ask("In which reviews was a baby harmed?")
    assert {c.review_id for c in answer.citations} == {"baby-n-rapid-review", "infants-p-and-w-lcspr"}
    assert not dev.ask("Which cases were about babies?").abstained


def test_is_there_any_case_where_is_answered_from_the_reviews_in_which_it_happened(dev: Casewise) -> None:
    """ "Is there any case where ...?" and "Which of the reviews ...?" ask which reviews, as "in which reviews" does."""

    def cited(question: str) -> set[str]:
        return {c.review_id for c in dev.ask(question).citations}

    which = cited("In which reviews did a family member interpret for a parent?")
    assert which and cited("Is there any case where a family member interpreted for a parent?") == which
    assert cited("Which of the reviews had a family member interpreting for a parent?") == which


def test_whether_a_thing_was_held_for_a_child_is_said_plainly_not_mentioned_when_the_review_never_says_it(
    dev: Casewise,
) -> None:
    answer = dev.ask("Was a family group conference arranged for Child D?")
    assert answer.text.startswith("The Child D review does not mention \u201cfamily group conference\u201d")


def test_a_reviews_findings_are_those_it_heads_as_findings_not_its_analysis_as_well(dev: Casewise) -> None:
    """Young Person H's review has an analysis, of the findings kind, and a section of six numbered findings."""
    answer = dev.ask("List the findings of the Young Person H review.")
    assert len(answer.citations) == 6
    assert all(any("finding" in h.lower() for h in c.section_path) for c in answer.citations)


def test_which_reviews_say_a_hyphenated_word_is_answered_by_those_saying_it_not_one_of_its_parts(dev: Casewise) -> None:
    """ "self-harm": the Siblings A and E review's "parental self-report" does not say it."""
    cited = {c.review_id for c in dev.ask("Which reviews involved self-harm?").citations}
    assert cited and "siblings-a-and-e-serious-case-review" not in cited


# -- the five questions practitioners asked of the seeds through the app (issue 11) --------------------------
def test_list_every_recommendation_of_child_m(seeds: Casewise) -> None:
    answer = seeds.ask("List every recommendation made in the Child M review.")
    assert not answer.abstained and len(answer.citations) == 4
    assert {c.section for c in answer.citations} == {"Recommendations"}


def test_which_agencies_is_answered_only_with_passages_naming_an_agency(seeds: Casewise) -> None:
    answer = seeds.ask("Which agencies were involved with Child M before the incident?")
    agency = re.compile(r"\b(?:school|police|social care|health|GP|conference|agenc)", re.I)
    assert answer.abstained or all(agency.search(c.quote) for c in answer.citations)


def test_a_learning_question_across_both_reviews_says_what_no_review_mentions(seeds: Casewise) -> None:
    answer = seeds.ask("What is the learning about professional curiosity across both reviews?")
    assert "“curiosity”" in answer.text or {c.review_id for c in answer.citations} == set(seeds.review_index())


def test_a_yes_no_question_about_something_never_mentioned_says_so_first(seeds: Casewise) -> None:
    answer = seeds.ask("Was there any involvement from a youth offending team?")
    assert answer.text.startswith("The reviews in this corpus do not mention “youth offending team”")


def test_answers_are_short(seeds: Casewise) -> None:
    """A direct answer quotes the passage that answers, not everything near it."""
    answer = seeds.ask("How long was Child M's custodial sentence?")
    assert not answer.abstained and "six years" in answer.text
    assert len(answer.citations) <= 3


def test_which_reviews_answers_only_from_reviews_that_say_what_few_reviews_say(dev: Casewise) -> None:
    """Exclusion from school is in a few reviews; a review that never mentions it is not listed as having
    something on it."""
    answer = dev.ask("In which reviews was a young person excluded from school?")
    cited = {c.review_id for c in answer.citations}
    assert cited and not answer.abstained
    texts = {rid: (review.text.lower() if (review := dev.review(rid)) else "") for rid in dev.review_index()}
    assert all("exclu" in texts[rid] for rid in cited), cited
    assert re.match(rf"{len(cited)} of the {len(texts)} reviews searched ha(?:s|ve) something on this", answer.text)


def test_which_children_answers_from_what_is_said_of_them_not_from_the_words_selecting_them(dev: Casewise) -> None:
    """ "Which young people ..." selects young people; a passage that only mentions young people says nothing
    about being excluded."""
    answer = dev.ask("Which young people in the reviews were excluded from school?")
    assert answer.citations
    assert all(re.search(r"exclu", c.quote, re.I) for c in answer.citations), [c.quote for c in answer.citations]


def test_what_the_reviews_say_about_a_matter_draws_on_every_review_saying_it(dev: Casewise) -> None:
    answer = dev.ask("What do the reviews say about fathers?")
    cited = {c.review_id for c in answer.citations}
    assert len(cited) >= 2, cited
    assert re.match(rf"{len(cited)} of the {len(dev.review_index())} reviews searched have something", answer.text)


def test_which_reviews_reads_every_review_that_uses_the_telling_word(dev: Casewise) -> None:
    """Each review saying "interpret..." is searched on its own, so none is crowded out of the evidence by reviews
    that say more about parents and children in general."""
    found = dev.assess("In which reviews did a child interpret for a parent?")
    texts = {rid: (review.text.lower() if (review := dev.review(rid)) else "") for rid in dev.review_index()}
    saying = {rid for rid, text in texts.items() if "interpret" in text}
    assert saying and saying < set(texts)
    assert {hit.chunk.review_id for hit in found.evidence} == saying


def test_a_follow_up_is_answered_by_what_answers_it_not_by_the_previous_question(dev: Casewise) -> None:
    first = dev.ask("What happened to Child D on the night he was found?")
    history = (Turn("user", "What happened to Child D on the night he was found?"), Turn("assistant", first.text))
    answer = dev.ask("Where did the children go that night?", history=history)
    assert not answer.abstained
    assert any("grandmother" in c.quote for c in answer.citations), answer.text  # where they went, not the night


def test_what_happened_after_that_is_answered_from_later_in_the_account(dev: Casewise) -> None:
    asked = "When did Adolescent X's mother ask the council for a housing transfer?"
    first = dev.ask(asked)
    assert "urgent housing transfer" in first.citations[0].quote
    answer = dev.ask("What happened after that?", history=(Turn("user", asked), Turn("assistant", first.text)))
    opening, before = answer.citations[0], first.citations[0]
    assert opening.review_id == before.review_id and opening.start >= before.end, answer.text  # later, not again
    assert opening.section_path == before.section_path, answer.text  # the account goes on in its own section


@pytest.mark.parametrize(
    ("question", "review_id", "heading"),
    [
        ("What were the key practice episodes in the Adolescent X review?", "adolescent-x-lcspr",
         "KEY PRACTICE EPISODES"),
        ("What are the cross-cutting themes of the Northmere review?", "northmere-thematic-review-self-harm",
         "Part 3: Cross-cutting themes"),
    ],
)  # fmt: skip
def test_a_list_asked_for_by_its_heading_is_that_section_in_full(
    dev: Casewise, question: str, review_id: str, heading: str
) -> None:
    """A review's own heading of no set kind, asked for in the plural, is listed in full from that section alone,
    labelled by the heading without its number."""
    answer = dev.ask(question)
    chunks = sorted(
        (c for c in dev.catalog.all_chunks(review_id) if c.section_path[0] == heading),
        key=lambda c: (c.section_ordinal, c.part),
    )
    items = [item.unit.text for item in list_items(chunks)]
    assert len(items) >= 3
    assert [c.quote for c in answer.citations] == items
    assert answer.text.lower().startswith(f"the {heading.split(': ')[-1].lower()} of ")


def test_a_section_asked_for_in_the_singular_is_not_read_out_whole(dev: Casewise) -> None:
    """ "What was the background ...?" asks what it was, not for every numbered paragraph of the section."""
    chunks = dev.catalog.chunks_of_kind("background", ["adolescent-x-lcspr"])
    assert sum(bool(item.label) for item in list_items(chunks)) >= 2  # it numbers its paragraphs
    answer = dev.ask("What was the background to the Adolescent X review?")
    assert not answer.text.lower().startswith("the background of")


def test_a_fact_about_one_child_of_a_thematic_review_is_not_answered_from_anothers_section(dev: Casewise) -> None:
    """Only Young Person L of the Northmere review went missing: asked how often Young Person J did, the answer
    quotes nothing from L's section (it does not say so of J); asked of L, it quotes hers."""
    children = {c.chunk_id: c.child for c in dev.catalog.all_chunks("northmere-thematic-review-self-harm")}
    of_j = dev.ask("How many times did Young Person J go missing before she died?")
    assert all(children[c.chunk_id] in (None, "Young Person J") for c in of_j.citations if not of_j.abstained)
    assert of_j.abstained or "twice" not in of_j.text
    of_l = dev.ask("How many times did Young Person L go missing?")
    assert not of_l.abstained and "twice" in of_l.citations[0].quote
    assert children[of_l.citations[0].chunk_id] == "Young Person L"


@pytest.mark.parametrize(
    ("question", "event", "followed"),
    [
        ("What happened after the nursery manager's first escalation about Child C was not upheld?",
         "the plan should be given more time", "escalated a second time"),
        ("What happened after Adolescent X was permanently excluded?",
         "permanently excluded him for possession", "lost him"),
    ],
)  # fmt: skip
def test_what_happened_after_an_event_is_what_the_review_tells_next(
    dev: Casewise, question: str, event: str, followed: str
) -> None:
    """The answer to "What happened after X?" is the account after the passage telling of X, not X again."""
    answer = dev.ask(question)
    first = answer.citations[0]
    assert followed in first.quote and event not in first.quote, answer.text
    told_at = dev.catalog.all_chunks(first.review_id)
    assert any(event in c.text and c.start + c.text.index(event) < first.start for c in told_at)


def test_a_case_described_in_a_time_clause_is_found_by_it_and_said_not_to_mention_the_thing(dev: Casewise) -> None:
    """ "Was an interpreter used when ... the parents with learning disabilities whose daughter had faltering
    growth?" is about Child C (the clause says which case), whose review never mentions an interpreter, though
    other reviews do: said plainly of that review, not answered from another."""
    answer = dev.ask(
        "Was an interpreter used when social workers met the parents with learning disabilities whose daughter "
        "had faltering growth?"
    )
    assert answer.text.startswith("The Child C review does not mention \u201cinterpreter\u201d"), answer.text
    assert {c.review_id for c in answer.citations} <= {"child-c-lcspr"}


def test_a_list_of_a_kind_the_review_lacks_gives_the_nearest_kind_and_says_so(dev: Casewise) -> None:
    """A review with findings but no learning section answers "what learning ...?" with its findings, labelled."""
    index = dev.review_index()
    lacking = [
        rid
        for rid in index
        if not dev.catalog.has_kinds(["learning"], [rid]) and dev.catalog.has_kinds(["findings"], [rid])
    ]
    assert lacking, "the dev corpus should hold a review with findings but no learning section"
    subject = index[lacking[0]].subjects[0].name
    answer = dev.ask(f"What learning did the {subject} review identify?")
    assert answer.text.startswith(f"The findings of the {subject} review (it has no learning section):")
    assert answer.citations and all(c.review_id == lacking[0] for c in answer.citations)
    assert not dev.catalog.has_kinds(["conclusion"], [lacking[0]])
    concluded = dev.ask(f"What did the {subject} review conclude?")
    assert concluded.text.startswith(f"The findings of the {subject} review (it has no conclusion section):")


def test_a_yes_no_question_the_quoted_passage_settles_opens_with_the_answer(dev: Casewise) -> None:
    answer = dev.ask("Was Baby N's mum ever seen on her own during her pregnancy?")
    assert answer.text.startswith("No, according to the Baby N review [1]:"), answer.text
    assert "the mother was never seen alone" in answer.citations[0].quote


def test_a_yes_no_question_the_passages_do_not_settle_gets_no_yes_or_no(dev: Casewise) -> None:
    """The Child R review never says whether Ms Q was prosecuted: its nearest passages must not read as a no."""
    answer = dev.ask("Was Ms Q prosecuted for her treatment of Child R?")
    assert not answer.text.startswith(("No,", "Yes,")), answer.text


def test_a_review_asked_for_in_brief_is_summarised_in_its_own_words(dev: Casewise) -> None:
    """What happened (the opening naming the child), each finding once under its own sub-heading, and how many
    recommendations there are; every line quoted from that review."""
    answer = dev.ask("Summarise the Child D review")
    assert {c.review_id for c in answer.citations} == {"child-d-lcspr"}
    assert "Child D" in answer.citations[0].quote and "found" in answer.citations[0].quote
    for number in ("3.1", "3.2", "3.3", "3.4", "3.5"):  # the findings' sub-headings, each once
        assert len(re.findall(rf"^{re.escape(number)} ", answer.text, re.M)) == 1, answer.text
    every = len(list_items(dev.catalog.chunks_of_kind("recommendations", ["child-d-lcspr"])))
    assert f"It makes {every} recommendations" in answer.text
    assert dev.ask("What was the Child R review about?").citations[0].review_id == "child-r-learning-review"


def test_a_question_about_one_matter_of_a_review_is_not_read_as_asking_for_a_summary(dev: Casewise) -> None:
    answer = dev.ask("Tell me about Young Person T's contact with the police")
    assert "in brief" not in answer.text and answer.citations
    assert re.search(r"\bpolice\b", answer.citations[0].quote, re.I), answer.citations[0].quote


def test_a_child_of_a_review_about_several_is_answered_from_passages_about_that_child(dev: Casewise) -> None:
    """ "Infant W ... was unharmed" does not say what happened to Infant P; "the death of Infant P" says she died."""
    happened = dev.ask("What happened to Infant P?")
    assert happened.citations and not happened.abstained
    assert all(not re.search(r"Infant W\b", c.quote) or "Infant P" in c.quote for c in happened.citations)
    died = dev.ask("How old was Infant P when she died?")
    assert not died.abstained and "14 weeks" in died.text, died.text


def test_which_school_or_hospital_is_answered_by_the_one_the_review_names_or_not_at_all(dev: Casewise) -> None:
    assert "Eastfield Primary School" in dev.ask("Which school did Child D attend?").citations[0].quote
    assert "Kestermoor Royal Infirmary" in dev.ask("Which hospital was Baby N admitted to?").citations[0].quote
    unnamed = dev.ask("Which school excluded Adolescent X?")  # the review never names it
    assert unnamed.abstained and "does not give a name" in unnamed.text, unnamed.text


def test_where_a_child_lives_now_is_answered_by_what_the_review_says_of_now(dev: Casewise) -> None:
    """Not where she lived when the review's story began ("S lived with her mother ...")."""
    assert "now lives in a residential care home" in dev.ask("Where does Child S live now?").citations[0].quote
    assert "live together with foster carers" in dev.ask("Where do Siblings A and E live now?").citations[0].quote


def test_which_reviews_are_of_a_type_is_answered_from_the_catalogue_not_from_passages(dev: Casewise) -> None:
    """ "A rapid review was held within 15 working days" (the Child D review, an LCSPR) is not a rapid review."""
    answer = dev.ask("Which reviews are rapid reviews?")
    rapid = sorted(m.title for m in dev.review_index().values() if m.review_type == "rapid review")
    assert len(rapid) == 3 and all(f"- {title} (rapid review" in answer.text for title in rapid), answer.text
    assert answer.text.startswith("3 of the 12 reviews in the collection match") and "Child D" not in answer.text


def test_a_misspelt_kind_of_section_is_read_as_the_reviews_spell_it_and_the_reader_told(dev: Casewise) -> None:
    answer = dev.ask("recomendations of the Child D review")
    assert answer.text.startswith("The recommendations of the Child D review:"), answer.text
    assert "Read \u201crecomendations\u201d as \u201crecommendations\u201d." in answer.notices


def test_what_someone_did_well_is_answered_from_good_practice(dev: Casewise) -> None:
    """Not "The school telephoned the mother each week and was told that the children were well." """
    answer = dev.ask("What did schools do well?")
    good_practice = {c.chunk_id for c in dev.catalog.chunks_of_kind("good_practice")}
    assert answer.citations and all(c.chunk_id in good_practice for c in answer.citations), answer.text


def test_did_any_child_die_finds_every_review_saying_a_child_died(dev: Casewise) -> None:
    """Across the reviews, and in their words: "the death of Infant P" says that she died."""
    answer = dev.ask("Did any child die?")
    cited = {c.review_id for c in answer.citations}
    assert {"infants-p-and-w-lcspr", "adolescent-x-lcspr", "northmere-thematic-review-self-harm"} <= cited, answer.text


def test_a_follow_up_is_not_refused_for_a_word_of_the_previous_question(dev: Casewise) -> None:
    """The Child G review never says "looking"; "Did they tell the school?" does not turn on it."""
    before = "Who was looking after Child G at the time?"
    first = dev.ask(before)
    answer = dev.ask("Did they tell the school?", history=(Turn("user", before), Turn("assistant", first.text)))
    assert not answer.abstained and "looking" not in answer.text, answer.text


def test_a_summary_naming_no_review_of_a_larger_collection_lists_them_to_choose_from(dev: Casewise) -> None:
    answer = dev.ask("Summarise the reviews")
    assert answer.text.startswith("The collection holds 12 reviews:"), answer.text
    assert any("Name a review to have it summarised" in n for n in answer.notices), answer.notices


def test_a_question_naming_one_child_of_a_thematic_review_is_answered_from_that_childs_sections(
    dev: Casewise,
) -> None:
    """ "How long did Young Person J wait for CAMHS?": J's own wait (19 weeks), not only the service's average."""
    answer = dev.ask("How long did Young Person J wait for CAMHS?")
    assert any("19 weeks" in c.quote for c in answer.citations), answer.text


def test_which_reviews_say_a_phrase_is_answered_by_those_saying_it_not_one_of_its_words(dev: Casewise) -> None:
    """ "County lines" is said by "a county line run from Calderbrook", not by "Marlbury County Council"."""
    answer = dev.ask("Which reviews mention county lines?")
    assert {c.review_id for c in answer.citations} == {"adolescent-x-lcspr"}, answer.text
    assert "county line" in answer.citations[0].quote


def test_which_reviews_involved_a_phrase_no_passage_says_with_its_framing_words_names_those_saying_the_rest(
    dev: Casewise,
) -> None:
    """ "Which reviews involved elective home education?": no review says "reviews involved elective home
    education"; one says "elective home education". Six had been named, on "education" alone."""
    answer = dev.ask("Which reviews involved elective home education?")
    assert {c.review_id for c in answer.citations} == {"siblings-a-and-e-serious-case-review"}, answer.text
    assert answer.text.startswith("1 of the 12 reviews searched has something on this."), answer.text


def test_which_agencies_were_involved_is_answered_agency_by_agency_where_the_review_sets_them_out(
    dev: Casewise,
) -> None:
    """Baby N's review sets out its agencies' involvement under a heading each: the answer names each, in the
    review's order, quoting how each section opens. Child D's tells it as one story: it is answered from passages."""
    answer = dev.ask("Which agencies were involved with Baby N?")
    review = dev.review("baby-n-rapid-review")
    assert review is not None
    parts = ["Maternity", "Health visiting", "General practice", "Emergency Department", "Police"]
    named = [line.split(":")[0].lstrip("- ") for line in answer.text.split("\n") if line.startswith("- ")]
    assert named == parts, answer.text
    assert len(answer.citations) == len(parts) and all(c.quote in review.text for c in answer.citations)
    assert "Kestermoor Police were called to the family" in answer.citations[-1].quote
    story = dev.ask("Which agencies were involved with Child D?")
    assert "sets out the involvement" not in story.text
    narrower = dev.ask("Which agencies were involved with Baby N about the bruise on his ear?")
    assert "sets out the involvement" not in narrower.text  # what it asks about: answered from the passages
