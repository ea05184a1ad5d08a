"""Theme tagging: the threshold rule on hand-made cases, tags stored and deleted with their chunks, re-tagging."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, HashingEmbedder

from core.errors import CasewiseError, SettingsError
from core.settings import Settings
from evals.theme_tagging import LABELS, fit_rule, load_labels, precision_recall
from ingest.catalog import Catalog
from ingest.kinds import is_reference_matter
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.pipeline import ingest
from ingest.themes import (
    DEFAULT_RULE,
    TagRule,
    Theme,
    ThemeTag,
    ThemeTagger,
    cue_matrix,
    load_themes,
    tag_fingerprint,
)
from trainer.brief import BriefBuilder
from trainer.explorer import ThemeExplorer

KNIFE = Theme("serious youth violence", "Violence by and against young people.", ("knife", "stabbing"))
SLEEP = Theme("safer sleep", "Unsafe sleeping arrangements for babies.", ("co-sleeping", "safe sleep"))


class FixedEmbedder:
    """Returns a given vector per text, so similarities are exactly what the test says."""

    name = "fixed"
    dimension = 2

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [np.array(self.vectors.get(t, [0.0, 0.0]), dtype=np.float32) for t in texts]
        return np.array([r / (np.linalg.norm(r) or 1.0) for r in rows], dtype=np.float32).reshape(len(texts), 2)


# -- the rule ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("similarity", "cue", "tagged"),
    [
        (0.70, False, True),  # a close paraphrase needs no cue
        (0.55, False, False),  # just under the bar without a cue
        (0.10, True, True),  # a cue phrase carries a loosely related chunk
        (-0.05, True, False),  # ... but not one plainly about something else
    ],
)
def test_the_default_rule_on_hand_made_cases(similarity: float, cue: bool, tagged: bool) -> None:
    assert DEFAULT_RULE.tagged(similarity, cue) is tagged


def test_the_score_is_similarity_plus_the_cue_bonus() -> None:
    rule = TagRule(threshold=0.5, cue_bonus=0.3)
    assert rule.score(0.4, False) == pytest.approx(0.4)
    assert rule.score(0.4, True) == pytest.approx(0.7)
    sims = np.array([[0.4, 0.1], [0.55, 0.6]])
    cues = np.array([[True, False], [False, False]])
    assert (rule.scores(sims, cues) >= rule.threshold).tolist() == [[True, False], [True, True]]


def test_cues_match_whole_words_with_regular_endings_and_either_spacing() -> None:
    texts = [
        "Two stabbings were reported.",  # stabbing + s
        "The parents were co sleeping.",  # the cue's hyphen matches a space
        "He was held at knifepoint.",  # not a whole word
        "He carried knives.",  # irregular plurals need their own cue
    ]
    assert cue_matrix(texts, [KNIFE, SLEEP]).tolist() == [[True, False], [False, True], [False, False], [False, False]]


def test_an_apostrophe_in_a_cue_matches_typed_curly_and_modifier_apostrophes() -> None:
    voice = Theme("voice of the child", "", ("child's views",))
    texts = [
        "The child's views were not recorded.",
        "The child\u2019s views were not recorded.",  # as a word processor types it
        "The child\u02bcs views were not recorded.",
        "The childs views were not recorded.",  # no apostrophe is another word
    ]
    assert cue_matrix(texts, [voice]).tolist() == [[True], [True], [True], [False]]
    assert cue_matrix(texts[:2], [Theme("curly", "", ("child\u2019s views",))]).tolist() == [[True], [True]]


def test_cue_matching_finds_exactly_what_case_blind_matching_finds_whatever_the_characters() -> None:
    themes = [*load_themes(), Theme("Odd cues", "", ("\u017fcare", "\u0130ll", "caf\u00e9 visit"))]
    phrases = [c for t in themes for c in t.cues[:3]]
    forms = [
        lambda c: c,
        str.upper,
        str.title,
        lambda c: c.replace("s", "\u017f"),  # long s, case-blind equal to s
        lambda c: c.replace("k", "\u212a").replace("K", "\u212a"),  # Kelvin sign, case-blind equal to k
        lambda c: c.replace("i", "\u0131"),  # dotless i
        lambda c: c.upper().replace("I", "\u0130"),  # dotted capital I
        lambda c: f"\u00ab{c}\u00bb \u2013 it\u2019s {c.upper()}s",  # caseless characters beyond ASCII
        lambda c: f"CAF\u00c9 {c}",  # a cased character beyond ASCII
    ]
    texts = [form(p) for p in phrases for form in forms] + ["scare", "ill", "CAF\u00c9 VISIT", "caf\u00e9 visits"]
    expected = [[bool(t.pattern.search(text)) for t in themes] for text in texts]  # the case-blind patterns
    assert cue_matrix(texts, themes).tolist() == expected
    assert any(map(any, expected)) and not all(map(all, expected))


def test_the_tagger_combines_cue_and_similarity_and_orders_tags_by_score() -> None:
    embedder = FixedEmbedder({})
    tagger = ThemeTagger([KNIFE, SLEEP], embedder, TagRule(threshold=0.5, cue_bonus=0.3))
    tagger._profiles = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)  # knife along x, sleep along y
    texts = ["a knife was found", "nothing relevant here", "an infant slept on the sofa"]
    vectors = np.array([[0.3, 0.95], [0.1, 0.2], [0.0, 1.0]], dtype=np.float32)
    tags = tagger.tag(texts, vectors)
    assert [t.theme for t in tags[0]] == ["safer sleep", "serious youth violence"]  # 0.95 > 0.3 + 0.3
    assert tags[0][1].score == pytest.approx(0.6)
    assert tags[1] == ()
    assert tags[2] == (ThemeTag("safer sleep", 1.0),)


def test_fitting_the_rule_finds_the_separating_threshold() -> None:
    sims = np.array([[0.80], [0.70], [0.30], [0.20], [0.10]])
    cues = np.array([[False], [False], [True], [False], [False]])
    gold = np.array([[True], [True], [True], [False], [False]])
    rule = fit_rule(sims, cues, gold)
    assert precision_recall(rule.scores(sims, cues) >= rule.threshold, gold) == (1.0, 1.0, 1.0)
    assert 0.3 < rule.threshold <= 0.7 and rule.cue_bonus > 0


def test_the_labelled_sample_covers_every_dev_review_and_is_split_by_review() -> None:
    passages = load_labels(LABELS, load_themes())
    assert len(passages) >= 120 and len({p.id for p in passages}) == len(passages)
    halves: dict[str, set[str]] = {}
    for p in passages:
        halves.setdefault(p.split, set()).add(p.id.rsplit(":", 1)[0])  # the id is review_id:start
    assert set(halves) == {"calibration", "heldout"}
    assert not halves["calibration"] & halves["heldout"]  # never split within a review
    reviews = {path.stem for path in (ROOT / "evals" / "corpus-dev" / "reviews").iterdir()}
    assert len(halves["calibration"] | halves["heldout"]) == len(reviews) == 12


def test_labelled_passages_are_the_dev_reviews_own_words_at_their_offsets() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    for path in sorted((ROOT / "evals" / "corpus-dev" / "reviews").iterdir()):
        review, _ = build_review(path, load(path, 10_000_000))
        mine = [r for r in rows if r["review_id"] == review.review_id]
        assert mine and all(review.text[r["start"] : r["end"]] == r["text"] for r in mine), review.review_id


def test_a_label_naming_an_unknown_theme_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    row = {"id": "x", "split": "dev", "review_title": "T", "section": "S", "text": "t", "themes": ["bulying"]}
    bad.write_text(json.dumps(row) + "\n")
    with pytest.raises(CasewiseError, match="unknown theme"):
        load_labels(bad, load_themes())


def test_the_fingerprint_follows_the_taxonomy() -> None:
    assert tag_fingerprint([KNIFE]) == tag_fingerprint([KNIFE])
    assert tag_fingerprint([KNIFE]) != tag_fingerprint([KNIFE, SLEEP])
    assert tag_fingerprint([KNIFE]) != tag_fingerprint([KNIFE], TagRule(0.1, 0.1))


# -- stored with the index -----------------------------------------------------------------------------------


def tags_by_review(settings: Settings) -> dict[str, set[tuple[str, str]]]:
    catalog = Catalog(settings.db_path)
    out: dict[str, set[tuple[str, str]]] = {}
    for chunk in catalog.all_chunks():
        for tag in catalog.chunk_themes([chunk.chunk_id]).get(chunk.chunk_id, []):
            out.setdefault(chunk.review_id, set()).add((chunk.chunk_id, tag.theme))
    return out


def rows_in_table(settings: Settings) -> int:
    return int(Catalog(settings.db_path)._db.execute("SELECT count(*) FROM chunk_themes").fetchone()[0])


def test_tags_are_stored_with_their_chunks_and_deleted_with_them(docs: Path, settings: Settings) -> None:
    ingest([docs], settings, HashingEmbedder)
    tags = tags_by_review(settings)
    assert set(tags) == {"young-person-f-rapid-review", "child-m-serious-case-review"}
    catalog = Catalog(settings.db_path)
    interpreter = [c for c in catalog.all_chunks("young-person-f-rapid-review") if "interpreter" in c.text]
    assert all(
        "language and interpreters" in {t.theme for t in catalog.chunk_themes([c.chunk_id])[c.chunk_id]}
        for c in interpreter
    )
    (docs / "young-person-f-rapid-review.txt").unlink()
    ingest([docs], settings, HashingEmbedder)
    assert set(tags_by_review(settings)) == {"child-m-serious-case-review"}
    assert rows_in_table(settings) == len({pair for pairs in tags_by_review(settings).values() for pair in pairs})
    Catalog(settings.db_path).clear()
    assert rows_in_table(settings) == 0


def test_a_glossary_gets_no_theme_while_the_findings_it_explains_do(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "child-v-review.md").write_text(
        "# Child Practice Review: Child V\n\n## Findings\n\n"
        "Agencies did not see that V, aged 14, was being groomed and sexually exploited by older men who gave her "
        "alcohol and lifts; the sexual exploitation screening tool was completed once and never reviewed.\n\n"
        "## Glossary of terms\n\n"
        "CSE: child sexual exploitation. CAMHS: child and adolescent mental health services. MARAC: multi-agency "
        "risk assessment conference, which hears cases of domestic abuse.\n",
        encoding="utf-8",
    )
    ingest([folder], settings, HashingEmbedder)
    catalog = Catalog(settings.db_path)
    chunks = catalog.all_chunks("child-v-review")
    themes = catalog.chunk_themes([c.chunk_id for c in chunks])
    by_section = {c.section: {t.theme for t in themes.get(c.chunk_id, [])} for c in chunks}
    assert "child sexual exploitation" in by_section["Findings"]
    assert by_section["Glossary of terms"] == set()


@pytest.mark.parametrize(
    ("trail", "reference"),
    [
        (("Glossary",), True),
        (("Appendix 2: Abbreviations used in this report",), True),
        (("Appendices", "References"), True),
        (("Terms of reference",), False),
        (("Findings", "Agencies made no reference to her culture"), False),
    ],
)
def test_reference_matter_is_known_by_its_heading(trail: tuple[str, ...], reference: bool) -> None:
    assert is_reference_matter(trail) is reference


def test_a_changed_file_replaces_its_tags(docs: Path, settings: Settings) -> None:
    ingest([docs], settings, HashingEmbedder)
    ypf = docs / "young-person-f-rapid-review.txt"
    ypf.write_text(ypf.read_text(encoding="utf-8").replace("interpreter", "translator"), encoding="utf-8")
    ingest([docs], settings, HashingEmbedder)
    catalog = Catalog(settings.db_path)
    live = {c.chunk_id for c in catalog.all_chunks()}
    stored = {r[0] for r in catalog._db.execute("SELECT chunk_id FROM chunk_themes")}
    assert stored <= live  # no tag outlives its chunk


def test_a_new_theme_file_retags_the_index_without_reindexing(docs: Path, settings: Settings, tmp_path: Path) -> None:
    ingest([docs], settings, HashingEmbedder)
    custom = tmp_path / "themes.json"
    custom.write_text(
        json.dumps({"themes": {"interpreting": {"description": "Interpreters.", "cues": ["interpreter"]}}})
    )
    calls: list[int] = []

    def factory() -> HashingEmbedder:
        calls.append(1)
        return HashingEmbedder()

    report = ingest([docs], Settings.from_env(env={"CASEWISE_THEMES_FILE": str(custom)}, home=settings.home), factory)
    assert {r.status for r in report.results} == {"unchanged"}
    assert calls == [1]
    themes = {t for pairs in tags_by_review(settings).values() for _, t in pairs}
    assert themes == {"interpreting"}
    calls.clear()
    ingest([docs], Settings.from_env(env={"CASEWISE_THEMES_FILE": str(custom)}, home=settings.home), factory)
    assert calls == []  # nothing changed: the model is not even loaded


def test_a_bad_theme_file_stops_ingest_before_anything_is_touched(
    docs: Path, settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "themes.json"
    bad.write_text('{"themes": {"x": {"description": "no cues"}}}')
    with pytest.raises(SettingsError, match=f"cannot read the theme file {bad}"):
        ingest([docs], Settings.from_env(env={"CASEWISE_THEMES_FILE": str(bad)}, home=settings.home), HashingEmbedder)
    assert not settings.db_path.exists()


def test_the_themes_file_setting_defaults_to_the_packaged_taxonomy(tmp_path: Path) -> None:
    assert Settings.from_env(env={}).themes_path.name == "themes.json"
    chosen = Settings.from_env(env={"CASEWISE_THEMES_FILE": str(tmp_path / "mine.json")})
    assert chosen.themes_path == tmp_path / "mine.json"


# -- what a trainer sees -------------------------------------------------------------------------------------

# A review written for these tests: each finding says what it is about in the words practice uses for it, never
# the theme's own name, so only the taxonomy's vocabulary can tag it.
WRITTEN_REVIEW = """# Local Child Safeguarding Practice Review: Child Q

## Background

Child Q lived with his mother and two sisters in a rented house. He was seven when the review began.

## Findings

### Life at home

Police attended a domestic incident at the house in March. The mother later moved with the children to a refuge
and applied for a non-molestation order against her former partner.

### The children's care

When the children were seen at school they were unwashed and often unsupervised after dark. Q had untreated
tooth decay, and his sisters were said to sleep on a squalid mattress.

### How practitioners responded

Practitioners were reassured by the mother's plausible account of the bruise and did not check it against what
the school knew.
"""


@pytest.fixture
def child_q(tmp_path: Path, settings: Settings) -> Settings:
    """An index holding only the written review, tagged with the packaged taxonomy."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "child-q-lcspr.md").write_text(WRITTEN_REVIEW, encoding="utf-8")
    ingest([folder], settings, HashingEmbedder)
    return settings


@pytest.mark.parametrize(
    ("theme", "heading"),
    [
        ("domestic abuse", "Life at home"),
        ("neglect", "The children's care"),
        ("professional curiosity", "How practitioners responded"),
    ],
)
def test_the_explorer_finds_a_finding_written_in_practice_words(theme: str, heading: str, child_q: Settings) -> None:
    view = ThemeExplorer(Catalog(child_q.db_path), load_themes()).explore(theme)
    assert [r.review_id for r in view.reviews] == ["child-q-lcspr"]
    assert any(p.chunk.section.endswith(heading) for p in view.passages)
    assert not any(p.chunk.section.endswith("Background") for p in view.passages)  # nobody's care is described there


def test_a_neglect_brief_takes_its_learning_from_the_finding_about_care(child_q: Settings) -> None:
    brief = BriefBuilder.open(child_q, HashingEmbedder()).build(theme="neglect")
    learning = " ".join(p.text for p in brief.learning)
    assert "untreated tooth decay" in learning and "unsupervised" in learning
    assert "refuge" not in learning and "reassured" not in learning
