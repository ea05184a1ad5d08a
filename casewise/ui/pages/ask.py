"""The chat page: questions in, cited answers out; conversations kept in the user's history unless it is off."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from casewise.auth import User
from casewise.feedback import FeedbackStore
from casewise.history import Exchange, HistoryStore
from casewise.redact import redact_text
from casewise.ui import answer_view, html, resources, session, sidebar
from core.errors import CasewiseError
from core.settings import Settings
from retriever.models import Answer, SearchFilter, Turn
from retriever.privacy import describe, find_personal_data, redact, remote_llm_host

if TYPE_CHECKING:
    from retriever.index import Index  # for its type only: it imports numpy

PROMPT = "Ask a question about the case reviews"


def history(messages: list[dict]) -> list[Turn]:
    """The conversation so far, as the pipeline reads it."""
    return [
        Turn("user", m["content"]) if m["role"] == "user" else Turn("assistant", m["answer"].text) for m in messages
    ]


def examples(index: Index) -> list[str]:
    subjects = [m.subject for m in index.reviews().values() if m.subject]
    asks = [f"What were the concerns about {s}?" for s in subjects[:2]]
    return asks + ["What do the reviews say about using interpreters with families?"]


def _new_conversation() -> None:
    st.session_state["messages"] = []
    st.session_state.pop("conversation", None)


def _reopen(conversation_id: int) -> None:
    st.session_state["reopen"] = conversation_id


def _search_everything(question: str) -> None:
    """The refusal's "search all reviews": drop every filter and ask the same question again."""
    sidebar.clear_filters()
    st.session_state["pending"] = question


def _load_reopened(store: HistoryStore, user: User, index: Index) -> None:
    wanted = st.session_state.pop("reopen", None)
    if wanted is None:
        return
    messages: list[dict] = []
    for exchange in store.exchanges(user.user_id, wanted, index.catalog.chunks):
        messages += [
            {"role": "user", "content": exchange.question},
            {"role": "assistant", "answer": exchange.answer, "filters": exchange.filters},
        ]
    st.session_state["messages"] = messages
    st.session_state["conversation"] = wanted
    for key in [k for k in st.session_state if str(k).startswith(("thumbs-", "fb-"))]:
        del st.session_state[key]


def show_answer(message: dict, turn: int, index: Index, feedback: FeedbackStore, user: User) -> None:
    answer: Answer = message["answer"]
    chosen: SearchFilter = message["filters"]
    build = index.stamp()

    def scope() -> None:
        if chosen.empty:
            return
        st.markdown(f"*{html.md_escape(sidebar.describe(chosen, index.catalog))}*")
        if answer.abstained:
            st.button(
                "Search all reviews",
                key=f"search-all-{turn}",
                on_click=_search_everything,
                args=(answer.question,),
                help="Ask the same question again with every filter removed",
            )

    answer_view.render(
        answer, turn, index, scope, lambda: answer_view.feedback_row(message, turn, feedback, user, build)
    )


def ask(question: str, messages: list[dict], chosen: SearchFilter, casewise) -> Answer | None:
    """Run the pipeline, streaming the draft into a placeholder when a language model answers."""
    placeholder = st.empty()
    tokens: list[str] = []

    def on_token(token: str) -> None:
        tokens.append(token)
        placeholder.markdown(html.block(html.escape("".join(tokens)) + " ▌"), unsafe_allow_html=True)

    try:
        with st.spinner("Searching the reviews…"):
            answer = casewise.ask(question, history(messages), chosen, on_token=on_token if casewise.streams else None)
    except CasewiseError as exc:
        placeholder.error(f"No answer: {html.md_escape(redact_text(str(exc)))}")
        return None
    placeholder.empty()
    return answer


def _checked(question: str, settings: Settings, keeps: bool) -> str | None:
    """The question to ask: as typed when it holds no likely personal data, else once the user has chosen to
    redact it or to ask it as written (None while the choice is pending)."""
    spans = find_personal_data(question)
    if not spans or st.session_state.get("asked_as_written") == question:
        return question
    where = [w for w in ("kept in your history" if keeps else "", remote_llm_host(settings) or "") if w]
    sent = f" It will be {' and sent to '.join(where)}." if where else ""
    st.warning(f"This question seems to hold personal data ({describe(spans)}).{sent} Case reviews answer "
               "questions about practice; details of a live case are not needed.")  # fmt: skip
    left, right = st.columns(2)
    if left.button("Remove it and ask", type="primary"):
        return redact(question, spans)
    if right.button("Ask as written"):
        st.session_state["asked_as_written"] = question
        return question
    st.session_state["pending_private"] = question  # asked again once the user has chosen
    return None


def _remember(store: HistoryStore | None, user: User, exchange: Exchange) -> None:
    if store is None:
        return
    conversation = st.session_state.get("conversation")
    if conversation is None:
        conversation = st.session_state["conversation"] = store.start(user.user_id, exchange.question)
    store.append(user.user_id, conversation, exchange)


def main() -> None:
    settings = resources.settings()
    user = session.current_user(settings)
    store = HistoryStore.in_home(settings.home) if settings.history else None
    if store is not None and settings.history_days and not st.session_state.get("history_pruned"):
        store.forget_older_than(settings.history_days)  # the retention setting, applied once a session
        st.session_state["history_pruned"] = True
    feedback = FeedbackStore.in_home(settings.home)
    messages: list[dict] = st.session_state.setdefault("messages", [])

    resources.page_header(
        "Casewise",
        "Questions answered from child-safeguarding case reviews. Every "
        "statement is cited to the review section it comes from, with the words quoted.",
    )
    typed = st.chat_input(PROMPT, max_chars=2000)  # sent early: the browser shows it first (it sits at the bottom)
    ready = resources.progress_panel(settings)
    index = resources.index(settings) if ready else None
    chosen = sidebar.filters(index.catalog) if index else SearchFilter()
    if store is not None:
        if index is not None:
            _load_reopened(store, user, index)
            messages = st.session_state["messages"]
        sidebar.conversations(store, user.user_id, st.session_state.get("conversation"), _reopen, _new_conversation)
    else:
        st.sidebar.caption("History is off here: questions are not kept after you close the tab.")
        if messages:
            st.sidebar.button("Start a new conversation", on_click=_new_conversation)

    for turn, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.text(message["content"])
            elif index is not None:
                show_answer(message, turn, index, feedback, user)

    question = typed or st.session_state.pop("pending", None) or st.session_state.pop("pending_private", None)
    if not messages and not question and index is not None:
        st.markdown("Ask in your own words; follow-up questions keep the context. For example:")
        for number, example in enumerate(examples(index)):
            if st.button(html.md_escape(example), key=f"example-{number}"):
                question = example
    if question:
        question = _checked(question, settings, keeps=store is not None)
    if not question:
        return
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        casewise = resources.pipeline(settings)  # a question typed while the model loads waits for it here
        if not ready:
            chosen = SearchFilter()
        answer = ask(question, messages, chosen, casewise)
    if answer is None:
        return
    messages += [{"role": "user", "content": question}, {"role": "assistant", "answer": answer, "filters": chosen}]
    _remember(store, user, Exchange(question, answer, chosen))
    st.rerun()  # draw the new answer through the same path as the history, with its widgets


main()
