"""The chat page: questions in, cited answers out; the conversation lives in st.session_state."""

from __future__ import annotations

import streamlit as st

from casewise.feedback import FeedbackStore
from casewise.ui import answer_view, resources, sidebar
from ingest.errors import CasewiseError
from retriever.models import Answer, SearchFilter, Turn
from retriever.pipeline import Casewise

PROMPT = "Ask a question about the case reviews"


def history(messages: list[dict]) -> list[Turn]:
    """The conversation so far, as the pipeline reads it."""
    return [
        Turn("user", m["content"]) if m["role"] == "user" else Turn("assistant", m["answer"].text) for m in messages
    ]


def examples(casewise: Casewise) -> list[str]:
    subjects = [m.subject for m in casewise.catalog.review_index().values() if m.subject]
    asks = [f"What were the concerns about {s}?" for s in subjects[:2]]
    return asks + ["What do the reviews say about using interpreters with families?"]


def show_answer(message: dict, turn: int, casewise: Casewise, store: FeedbackStore) -> None:
    answer_view.render(message["answer"], turn, casewise, store)
    chosen: SearchFilter = message["filters"]
    if not chosen.empty:
        st.markdown(f"*{sidebar.describe(chosen, casewise.catalog)}*")


def ask(question: str, messages: list[dict], chosen: SearchFilter, casewise: Casewise) -> Answer | None:
    """Run the pipeline, streaming the draft into a placeholder when a language model answers."""
    placeholder = st.empty()
    tokens: list[str] = []

    def on_token(token: str) -> None:
        tokens.append(token)
        placeholder.markdown("".join(tokens).replace("$", "\\$") + " ▌")

    try:
        with st.spinner("Searching the reviews…"):
            answer = casewise.ask(
                question, history(messages), chosen, on_token=on_token if casewise.generator else None
            )
    except CasewiseError as exc:
        placeholder.error(f"No answer: {exc}")
        return None
    placeholder.empty()
    return answer


def main() -> None:
    settings = resources.settings()
    casewise = resources.pipeline(settings)
    store = FeedbackStore.in_home(settings.home)
    chosen = sidebar.filters(casewise.catalog)
    messages: list[dict] = st.session_state.setdefault("messages", [])
    if messages:
        st.sidebar.button("Start a new conversation", on_click=messages.clear, icon=":material/refresh:")

    resources.page_header(
        "Casewise",
        "Questions answered from child-safeguarding case reviews. Every "
        "statement is cited to the review section it comes from, with the words quoted.",
    )
    for turn, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.text(message["content"])
            else:
                show_answer(message, turn, casewise, store)

    question = st.chat_input(PROMPT, max_chars=2000)
    if not messages and not question:
        st.markdown("Ask in your own words; follow-up questions keep the context. For example:")
        for number, example in enumerate(examples(casewise)):
            if st.button(example, key=f"example-{number}"):
                question = example
    if not question:
        return
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        answer = ask(question, messages, chosen, casewise)
    if answer is None:
        return
    messages += [{"role": "user", "content": question}, {"role": "assistant", "answer": answer, "filters": chosen}]
    st.rerun()  # draw the new answer through the same path as the history, with its widgets


main()
