"""Hybrid search over the seed corpus: filters, clear errors, index consistency, the LangChain adapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HashingEmbedder

from casewise.cli import main
from core.errors import CasewiseError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.pipeline import ingest
from ingest.store import EXACT_CHUNKS, VectorStore
from retriever.index import Index, open_searcher
from retriever.langchain_adapter import CasewiseRetriever
from retriever.models import SearchFilter
from retriever.search import Searcher

YPF = "young-person-f-rapid-review"
CHILD_M = "child-m-serious-case-review"


@pytest.fixture
def searcher(docs: Path, settings: Settings) -> Searcher:
    embedder = HashingEmbedder()
    ingest([docs], settings, lambda: embedder)
    return Searcher(Catalog(settings.db_path), VectorStore(settings), embedder, reranker=None)


def test_exact_acronym_is_matched_by_the_lexical_signal(searcher: Searcher) -> None:
    top = searcher.search("MSET", k=1, mode="bm25")[0]
    assert "(MSET)" in top.chunk.text
    assert top.ranks_by_signal.get("bm25") == 1


def test_review_filter_keeps_only_that_review(searcher: Searcher) -> None:
    hits = searcher.search("child protection plan", k=10, filters=SearchFilter(reviews=(CHILD_M,)))
    assert hits and {h.chunk.review_id for h in hits} == {CHILD_M}


def test_review_filter_accepts_the_title(searcher: Searcher) -> None:
    hits = searcher.search("interpreter", k=3, filters=SearchFilter(reviews=("Rapid Reviews: Young Person F",)))
    assert {h.chunk.review_id for h in hits} == {YPF}


def test_section_filter_is_case_insensitive_and_exact(searcher: Searcher) -> None:
    hits = searcher.search(
        "what should professionals do", k=10, filters=SearchFilter(sections=("learning", "Recommendations"))
    )
    assert hits
    assert {h.chunk.section for h in hits} <= {"Learning", "Recommendations"}
    assert {h.chunk.section_label for h in hits} >= {"Learning (1 of 2)", "Learning (2 of 2)"}


@pytest.mark.parametrize(("kinds", "sections"), [(["learning"], []), ([], ["learning", "recommendations"])])
def test_a_filter_admitting_few_chunks_finds_what_the_graph_search_finds(
    searcher: Searcher, kinds: list[str], sections: list[str]
) -> None:
    """Few admitted chunks are compared directly; more go to Chroma's filtered graph search: the same nearest."""
    vector = searcher.embed_query("what should professionals do")
    among = searcher.catalog.chunk_ids_within([], sections, kinds, EXACT_CHUNKS)
    assert among is not None and len(among) > 2
    direct = searcher.store.query(vector, 2, sections=sections, kinds=kinds, among=among)
    graph = searcher.store.query(vector, 2, sections=sections, kinds=kinds)
    assert [cid for cid, _ in direct] == [cid for cid, _ in graph]
    assert [score for _, score in direct] == pytest.approx([score for _, score in graph], abs=1e-5)
    assert searcher.catalog.chunk_ids_within([], sections, kinds, len(among) - 1) is None


def test_review_type_filter(searcher: Searcher) -> None:
    hits = searcher.search("assault", k=10, filters=SearchFilter(review_types=("serious case review",)))
    assert hits and {h.chunk.review_id for h in hits} == {CHILD_M}


@pytest.mark.parametrize(
    ("filters", "listed"),
    [
        (SearchFilter(reviews=("child-q",)), CHILD_M),
        (SearchFilter(sections=("Conclusions",)), "recommendations"),
        (SearchFilter(review_types=("domestic homicide review",)), "rapid review"),
    ],
)
def test_unknown_filter_names_the_valid_ones(searcher: Searcher, filters: SearchFilter, listed: str) -> None:
    with pytest.raises(CasewiseError, match="unknown") as error:
        searcher.search("anything", filters=filters)
    assert listed in str(error.value)


def test_results_spread_across_reviews(searcher: Searcher) -> None:
    hits = searcher.search("child protection plan assault violence", k=4)
    assert {h.chunk.review_id for h in hits} == {YPF, CHILD_M}


def test_a_dense_search_within_a_review_ranks_that_reviews_chunks_as_the_whole_index_does(
    docs: Path, settings: Settings
) -> None:
    embedder = HashingEmbedder()
    ingest([docs], settings, lambda: embedder)
    store = VectorStore(settings)
    vector = embedder.encode(["an interpreter for the mother at the strategy meeting"])[0]
    everything = store.query(vector, 1000)
    within = [(cid, score) for cid, score in everything if cid.startswith(YPF)]
    found = store.query(vector, 4, [YPF])
    assert [cid for cid, _ in found] == [cid for cid, _ in within[:4]]
    assert [round(s, 5) for _, s in found] == [round(s, 5) for _, s in within[:4]]


def test_lexical_index_and_chroma_stay_in_step(docs: Path, settings: Settings) -> None:
    embedder = HashingEmbedder()
    catalog, store = Catalog(settings.db_path), VectorStore(settings)

    def in_step() -> set[str]:
        ids = {c.chunk_id for c in catalog.all_chunks()}
        assert ids == store.ids()
        return ids

    ingest([docs], settings, lambda: embedder)
    before = in_step()
    extra = docs / "child-z.md"
    extra.write_text("# Child Z\n\n## Learning\n\nThe zebrafinch protocol was not followed.\n", encoding="utf-8")
    ingest([docs], settings, lambda: embedder)
    assert catalog.lexical_search("zebrafinch", 5)
    added = in_step()
    assert len(added) == len(before) + 1
    extra.write_text("# Child Z\n\n## Learning\n\nThe kingfisher protocol was not followed.\n", encoding="utf-8")
    ingest([docs], settings, lambda: embedder)
    assert not catalog.lexical_search("zebrafinch", 5) and catalog.lexical_search("kingfisher", 5)
    assert len(in_step()) == len(added)
    extra.unlink()
    ingest([docs], settings, lambda: embedder)
    assert not catalog.lexical_search("kingfisher", 5)
    assert in_step() == before


def test_langchain_adapter_returns_the_same_chunks(searcher: Searcher) -> None:
    query = "escalation guidance when a professional disagrees with a referral outcome"
    documents = CasewiseRetriever(searcher=searcher, k=4).invoke(query)
    assert [d.id for d in documents] == [h.chunk.chunk_id for h in searcher.search(query, k=4)]
    first = documents[0]
    assert first.metadata["rank"] == 1 and first.metadata["section_path"]
    review_text = searcher.catalog.review(first.metadata["review_id"]).text  # type: ignore[union-attr]
    assert review_text[first.metadata["start"] : first.metadata["end"]] == first.page_content


@pytest.mark.integration
def test_cli_search_matches_the_adapter_with_the_real_model(
    docs: Path,
    settings: Settings,
    real_embedder,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("retriever.index.load_embedder", lambda _name: real_embedder)
    ingest([docs], settings, lambda: real_embedder)
    query = "was he ever kicked out of school?"
    assert main(["search", query, "--json", "-k", "3", "--home", str(settings.home)]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    searcher = open_searcher(settings, real_embedder)
    adapter_ids = [d.id for d in CasewiseRetriever(searcher=searcher, k=3).invoke(query)]
    assert [r["chunk_id"] for r in results] == adapter_ids
    assert "no exclusions" in results[0]["text"]
    assert "(MSET)" in searcher.search("What is MSET?", k=1)[0].chunk.text


def test_cli_unknown_section_is_one_clear_line(
    searcher: Searcher,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("retriever.index.load_embedder", lambda _name: HashingEmbedder())
    code = main(["search", "anything", "--section", "Conclusions", "--home", str(settings.home)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert "no section heading contains 'Conclusions'" in err[0] and "learning" in err[0] and "Traceback" not in err[0]


def test_cli_batch_search_prints_one_line_per_query(
    searcher: Searcher,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("retriever.index.load_embedder", lambda _name: HashingEmbedder())
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "text": "interpreter"}\n{"id": 7, "text": "custodial sentence"}\n')
    assert main(["search", "--queries", str(queries), "-k", "2", "--json", "--home", str(settings.home)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", 7]
    assert all(len(x["results"]) == 2 for x in lines)
    assert "custodial sentence" in lines[1]["results"][0]["text"]


def test_cli_search_without_index_says_how_to_build_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "anything", "--home", str(tmp_path / "empty")]) == 1
    assert "run `casewise ingest`" in capsys.readouterr().err


def test_a_running_casewise_quotes_the_new_text_after_an_ingest_changes_a_review(
    docs: Path, settings: Settings
) -> None:
    """Review texts are cached by the index's build stamp: a quote is checked against the text as it is now."""
    from retriever.pipeline import Casewise

    embedder = HashingEmbedder()
    ingest([docs], settings, lambda: embedder)
    index = Index.open(settings)
    casewise = Casewise(index, Searcher(index.catalog, index.store, embedder, reranker=None))
    assert casewise.ask("What were the recommendations of the Child M review?").citations
    path = docs / "child-m-serious-case-review.txt"
    path.write_text("Serious Case Review: Child M\n\nAn added opening line.\n\n" + path.read_text(), encoding="utf-8")
    ingest([docs], settings, lambda: embedder)
    answer = casewise.ask("What were the recommendations of the Child M review?")
    review = casewise.catalog.review(CHILD_M)
    assert answer.citations and review is not None
    assert all(review.text[c.start : c.end] == c.quote for c in answer.citations)
