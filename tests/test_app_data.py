"""What the app keeps and shows, without Streamlit: history, feedback and its CSV, exports, roles, redaction,
escaping, places of quotes, uploads, and the CLI's section filters and feedback candidates."""

from __future__ import annotations

import csv
import html as html_module
import io
import json
import re
from pathlib import Path

import docx
import pytest
from conftest import HashingEmbedder
from markdown_it import MarkdownIt

from casewise.answer_export import DISCLAIMER, Source, to_docx, to_markdown, to_text
from casewise.audit import AuditLog
from casewise.auth import Role, load_roles, local_user, signed_in_user
from casewise.cli import main
from casewise.feedback import FeedbackStore, csv_cell, gold_candidates, to_csv
from casewise.history import Exchange, HistoryStore
from casewise.library import Library, check_upload, safe_name
from casewise.locate import has_pages, paragraph_number, where
from casewise.redact import redact_text, redact_url
from casewise.ui import html
from core.errors import DocumentError, SettingsError
from core.models import Review, ReviewMeta, Section
from core.settings import Settings
from ingest.pipeline import ingest
from retriever.models import Answer, Citation, SearchFilter

QUOTE = "no exclusions"


def citation(marker: int = 1, quote: str = QUOTE) -> Citation:
    return Citation(marker, "c1", "ypf", "Rapid Reviews: Young Person F", "Background", "Background",
                    ("Background",), (1,), 45, 45 + len(quote), quote)  # fmt: skip


def answer(text: str = "Young Person F had no exclusions [1].", question: str = "Excluded?") -> Answer:
    return Answer(question=question, text=text, citations=(citation(),), abstained=False, answerer="extractive",
                  evidence=())  # fmt: skip


def source(quote: str = QUOTE, place: str = "paragraph 1") -> Source:
    return Source(1, "ypf", "Rapid Reviews: Young Person F", "Background", place, quote, 45, 45 + len(quote))


# -- history --------------------------------------------------------------------------------------------------


def test_history_is_per_user_and_deleting_removes_the_words_from_disk(tmp_path: Path) -> None:
    store = HistoryStore.in_home(tmp_path)
    mine = store.start("alice", "What happened to the zebra-striped ferret?")
    store.append("alice", mine, Exchange("What happened to the zebra-striped ferret?", answer(), SearchFilter()))
    store.append("bob", mine, Exchange("bob writes into alice's", answer(), SearchFilter()))  # not his: ignored
    assert [c.title for c in store.conversations("alice")] == ["What happened to the zebra-striped ferret?"]
    assert store.conversations("bob") == [] and store.exchanges("bob", mine, lambda ids: {}) == []
    [exchange] = store.exchanges("alice", mine, lambda ids: {})
    assert exchange.answer.citations == (citation(),) and exchange.answer.text == answer().text
    store.rename("bob", mine, "stolen")
    store.rename("alice", mine, "  Ferrets  ")
    assert store.conversations("alice")[0].title == "Ferrets"
    store.delete("bob", mine)
    assert store.conversations("alice")
    store.delete("alice", mine)
    assert store.conversations("alice") == []
    assert b"zebra-striped" not in (tmp_path / "history.sqlite3").read_bytes()


# -- feedback -------------------------------------------------------------------------------------------------


def test_feedback_keeps_reasons_owner_and_index_build(tmp_path: Path) -> None:
    store = FeedbackStore.in_home(tmp_path)
    entry = store.add(answer(), helpful=False, owner="alice", index_build="2026-01-01T00:00:00+00:00")
    store.explain(entry, "bob", "not mine", ["other"])  # another user cannot change it
    store.explain(entry, "alice", "  Missed the sibling  ", ["missed_something", "wrong_review"])
    [saved] = store.entries(owner="alice")
    assert (saved.comment, saved.reasons, saved.index_build) == (
        "Missed the sibling",
        ("missed_something", "wrong_review"),
        "2026-01-01T00:00:00+00:00",
    )
    assert store.entries(owner="bob") == []
    with pytest.raises(ValueError, match="unknown feedback reason"):
        store.explain(entry, "alice", "", ["bogus"])


def test_an_old_feedback_file_gains_the_new_columns(tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "feedback.sqlite3") as db:
        db.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT "
            "NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, answerer TEXT NOT NULL, abstained INTEGER NOT "
            "NULL, helpful INTEGER NOT NULL, comment TEXT NOT NULL)"
        )
        db.execute("INSERT INTO feedback VALUES (1, 't', 'q', 'a', '[]', 'extractive', 0, 1, '')")
    [old] = FeedbackStore.in_home(tmp_path).entries()
    assert (old.question, old.owner, old.reasons) == ("q", "", ())


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\t=x", '=HYPERLINK("http://evil")'])
def test_csv_cells_that_look_like_formulas_are_neutralised(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell
    assert csv_cell("Plain words") == "Plain words"


def test_feedback_csv_round_trips_with_every_cell_safe(tmp_path: Path) -> None:
    store = FeedbackStore.in_home(tmp_path)
    entry = store.add(answer(question="=cmd|' /C calc'!A0"), helpful=False, owner="@alice")
    store.explain(entry, "@alice", "-1 star", ["wrong_refusal"])
    rows = list(csv.DictReader(io.StringIO(to_csv(store.entries()))))
    assert [(r["question"], r["user"], r["comment"], r["reasons"]) for r in rows] == [
        ("'=cmd|' /C calc'!A0", "'@alice", "'-1 star", "wrong_refusal")
    ]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_negative_feedback_becomes_gold_candidates(tmp_path: Path) -> None:
    store = FeedbackStore.in_home(tmp_path)
    store.add(answer(question="Good one?"), helpful=True)
    refuse = store.add(answer(question="Did Child Z move abroad?"), helpful=False)
    store.explain(refuse, "", "there is no Child Z", ["should_have_refused"])
    missed = store.add(answer(question="Was F excluded?"), helpful=False)
    by_id = {c["id"]: c for c in gold_candidates(store.entries())}
    assert set(by_id) == {f"feedback-{refuse}", f"feedback-{missed}"}
    assert by_id[f"feedback-{refuse}"]["kind"] == "unanswerable" and by_id[f"feedback-{refuse}"]["reviews"] == []
    assert "Should have refused. there is no Child Z" in str(by_id[f"feedback-{refuse}"]["notes"])
    assert by_id[f"feedback-{missed}"]["reviews"] == ["ypf"]


def test_casewise_eval_writes_feedback_candidates(clean_home: Path, tmp_path: Path) -> None:
    store = FeedbackStore.in_home(clean_home)
    store.add(answer(question="Was F excluded?"), helpful=False)
    out = tmp_path / "candidates.jsonl"
    assert main(["eval", "--feedback-candidates", str(out)]) == 0
    [line] = out.read_text().splitlines()
    assert json.loads(line)["question"] == "Was F excluded?"


def test_casewise_eval_without_feedback_says_where_it_looked(
    clean_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--feedback-candidates", str(tmp_path / "c.jsonl")]) == 1
    assert "no feedback in" in capsys.readouterr().err


# -- exports --------------------------------------------------------------------------------------------------


def test_markdown_export_numbers_its_sources_and_keeps_content_as_text() -> None:
    hostile = answer(text="See ![x](http://evil/img.png) and [link](http://evil) [1].")
    found = [source(quote="**bold** <b>tag</b>", place="paragraph 2")]
    text = to_markdown(hostile, found)
    assert (
        "\n**[1]** Rapid Reviews: Young Person F — Background, paragraph 2: “\\*\\*bold\\*\\* \\<b\\>tag\\</b\\>”"
        in text
    )
    assert "](http" not in text and "![" not in text and " [1]." in text
    assert text.rstrip().endswith(f"*{DISCLAIMER}*")
    assert to_text(hostile, found).startswith(hostile.text + "\n\nSources:\n[1] Rapid Reviews")


LIST_ANSWER = (
    "The recommendations of the Child P review:\n3. Schools should tell [1]\n4. Nurses should send [2]\n"
    "9) Staff should ask [3]\n(b) Leaders should check [4]\n- Partners should report [5]\n"
    "4.2 Referrals closed by telephone\n+ Housing should pause [6]"
)


def test_a_list_answer_exported_as_markdown_renders_each_item_under_its_own_label() -> None:
    """Rendered by a Markdown viewer (markdown-it, CommonMark), the export shows each line of the answer as its own
    paragraph, labels as printed and in order, and no list the viewer numbers or bullets itself."""
    listed = answer(text=LIST_ANSWER, question="What did the Child P review recommend?")
    rendered = MarkdownIt("commonmark").render(to_markdown(listed, [source()]))
    assert not re.search(r"<(ol|ul|li|pre|code|hr|h2)\b", rendered.split("<h2>Sources</h2>")[0]), rendered
    paragraphs = [html_module.unescape(p) for p in re.findall(r"<p>(.*?)</p>", rendered, re.S)]
    assert paragraphs[1 : 1 + len(LIST_ANSWER.split("\n"))] == LIST_ANSWER.split("\n")
    assert (
        "<p><strong>[1]</strong> Rapid Reviews: Young Person F — Background, paragraph 1: “no exclusions”</p>"
        in rendered
    )


def test_word_export_has_the_answer_the_sources_and_the_disclaimer(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(to_docx(answer(), [source()]))
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Young Person F had no exclusions [1]." in paragraphs
    assert "[1] Rapid Reviews: Young Person F — Background, paragraph 1: “no exclusions”" in paragraphs
    assert paragraphs[-1] == DISCLAIMER


# -- where a quote is -----------------------------------------------------------------------------------------


def review(text: str, source_path: str = "r.txt", page_starts: tuple[int, ...] = (0,)) -> Review:
    return Review("r", ReviewMeta("R"), source_path, text, page_starts)


def test_pages_only_for_paged_documents_else_the_paragraph() -> None:
    text = "Intro line.\n\nFirst para.\n\n- bullet one\n- bullet two about the cat\n"
    section = Section(("S",), "S", 1, 0, len(text))
    start = text.index("the cat")
    assert paragraph_number(text, section, start) == 4
    assert where(review(text), [section], start, start + 7, (1,)) == "paragraph 4"
    assert where(review(text, "r.PDF"), [section], start, start + 7, (1,)) == "page 1"
    assert where(review(text, page_starts=(0, 20)), [section], start, start + 7, (2,)) == "page 2"
    assert not has_pages(review(text, "r.md")) and has_pages(review(text, "r.docx"))


def test_paragraph_numbering_is_linear_in_the_section_size() -> None:
    text = "x\n\n" * 200_000
    section = Section(("S",), "S", 1, 0, len(text))
    assert paragraph_number(text, section, len(text) - 1) == 200_000


# -- escaping and redaction -----------------------------------------------------------------------------------


def test_review_text_never_becomes_markup() -> None:
    found = [source(quote='"><img src=http://evil/x.png> [y](http://evil)')]
    out = html.answer_html("Text <script>alert(1)</script> ![i](http://evil/i.png) [1] [9].", 0, found)
    assert "<script>" not in out and "<img" not in out
    assert out.count("<a ") == 1 and "[9]" in out  # an unknown marker stays text
    assert 'title="“&quot;&gt;&lt;img' in out
    escaped = html.md_escape("[x](http://evil) www.evil.com *b* a@b.org")
    assert "](" not in escaped and "http://" not in escaped and "www." not in escaped and "*b*" not in escaped


def test_a_reviews_own_bracketed_number_in_a_quote_is_not_a_marker_link() -> None:
    quote = "The nurse recorded the bruise on the body map [1] and told nobody."
    out = html.answer_html(f"In the Child V review: {quote} [1]", 0, [source(quote=quote)])
    assert out.count("<a ") == 1 and "body map [1] and" in out


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pw@127.0.0.1:8080/v1", "http://***@127.0.0.1:8080/v1"),
        ("https://api.example.org/v1?api_key=sk-1&model=m", "https://api.example.org/v1?api_key=***&model=m"),
        ("http://127.0.0.1:11434", "http://127.0.0.1:11434"),
        ("http://[::1]:9/v1?token=t", "http://[::1]:9/v1?token=***"),
    ],
)
def test_secrets_are_redacted_from_urls(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert redact_text(f"The model at {url} could not be reached.") == f"The model at {shown} could not be reached."


# -- roles ----------------------------------------------------------------------------------------------------


def test_roles_come_from_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text('administrators = ["Admin@Example.org"]\ntrainers = ["t@example.org"]\n')
    roles = load_roles(path)
    assert signed_in_user({"email": "admin@example.org"}, roles).role is Role.ADMINISTRATOR
    assert signed_in_user({"email": "t@example.org", "name": "T"}, roles).can_train
    assert signed_in_user({"email": "p@example.org"}, roles).role is Role.PRACTITIONER
    assert signed_in_user({"sub": "abc"}, roles).role is Role.PRACTITIONER
    assert local_user(load_roles(None)).is_admin
    path.write_text('local_role = "boss"\n')
    with pytest.raises(SettingsError, match="local_role must be one of practitioner, trainer, administrator"):
        load_roles(path)
    path.write_text("administrators = 'one'\n")
    with pytest.raises(SettingsError, match="administrators must be a list"):
        load_roles(path)


def test_history_setting_reads_on_and_off() -> None:
    assert not Settings.from_env(env={"CASEWISE_HISTORY": "off"}).history
    assert Settings.from_env(env={}).history
    with pytest.raises(SettingsError, match="CASEWISE_HISTORY must be on or off"):
        Settings.from_env(env={"CASEWISE_HISTORY": "sometimes"})


# -- uploads --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.exe", b"MZ", "unsupported file type .exe; upload one of .pdf, .docx"),
        ("big.txt", b"x" * (2 * 1024 * 1024), "2.0 MB is over the 1 MB limit (CASEWISE_MAX_FILE_MB)"),
        ("empty.md", b"  \n", "the file is empty"),
        ("fake.pdf", b"hello", "this is not a PDF file"),
        ("fake.docx", b"%PDF-1.4", "this is not a DOCX file"),
    ],
)
def test_uploads_are_checked_before_anything_is_saved(name: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=re.escape(message)):
        check_upload(name, data, max_mb=1)


def test_upload_names_stay_inside_the_corpus() -> None:
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\x.md") == "x.md"
    assert safe_name(".hidden.txt") == "hidden.txt"
    assert safe_name("Child Q (final).pdf") == "Child Q -final-.pdf"


def test_library_adds_and_removes_through_the_incremental_ingest(tmp_path: Path, docs: Path) -> None:
    settings = Settings.from_env(env={}, home=tmp_path / "home")
    ingest([docs], settings, HashingEmbedder)
    audit = AuditLog.in_home(settings.home)
    library = Library(settings, docs, HashingEmbedder, audit)
    job, path = library.add("admin", "child-q.md", b"# Review: Child Q\n\n## Background\n\nChild Q kept a heron.\n")
    assert job.done.wait(60) and job.error is None
    [result] = job.results_for(path)
    assert result.status == "added"
    bad, bad_path = library.add("admin", "broken.pdf", b"%PDF-1.4 garbage")
    assert bad.done.wait(60)
    [failed] = bad.results_for(bad_path)
    assert failed.status == "failed" and not bad_path.exists()
    gone = library.remove("admin", result.review_id or "", str(path), "Review: Child Q")
    assert gone.done.wait(60) and not path.exists()
    actions = [(e.action, e.target) for e in audit.entries()]
    assert actions == [("removed", result.review_id), ("ingest-failed", "broken.pdf"), ("ingested", result.review_id)]
    with pytest.raises(Exception, match="outside the app's corpus folder"):
        library.remove("admin", "x", str(tmp_path / "elsewhere.txt"), "X")


# -- the CLI's section filters --------------------------------------------------------------------------------


def test_cli_section_filter_matches_part_of_a_heading_in_any_case(
    clean_home: Path, docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import retriever.index

    monkeypatch.setattr("ingest.embedding.load_embedder", lambda name: HashingEmbedder())
    monkeypatch.setattr(retriever.index, "load_embedder", lambda name: HashingEmbedder(), raising=False)
    ingest([docs], Settings.from_env(), HashingEmbedder)
    assert main(["search", "what should professionals learn", "--section", "FINDINGS", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and {r["section"] for r in results} == {"The Findings"}
    assert main(["search", "anything", "--section", "nonesuch"]) == 1
    assert "no section heading contains 'nonesuch'; sections in the index: " in capsys.readouterr().err
