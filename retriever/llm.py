"""Language-model answerers through LangChain chat models (OpenAI-compatible, Ollama, llama.cpp)."""

from __future__ import annotations

import importlib
import json
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import SettingsError
from core.settings import Answerer, Settings
from retriever.answerers import AnswererUnavailable, GenerativeAnswerer
from retriever.models import Draft, Hit, ScoredUnit, Turn
from retriever.support import draft_from_text

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

PROMPTS = Path(__file__).with_name("prompts")
CONTEXT_TOKENS = 8192  # local servers default to small windows that would silently cut the evidence off
MAX_REPLY_TOKENS = 1024
_SECTION = re.compile(r"^# (system|user)\s*$", re.MULTILINE)


class LLMAnswerer:
    """Answers from the evidence through any LangChain chat model; every sentence must cite its support."""

    def __init__(
        self,
        model: BaseChatModel,
        name: str = "llm",
        endpoint: str = "the configured endpoint",
        timeout_s: float | None = None,
    ) -> None:
        self.model = model
        self.name = name
        self.endpoint = endpoint
        self.timeout_s = timeout_s

    def draft(
        self,
        question: str,
        evidence: Sequence[Hit],
        scored: Sequence[ScoredUnit],
        on_token: Callable[[str], None] | None = None,
    ) -> Draft:
        """Ask the model, then keep only the sentences the cited evidence supports, with verbatim quotes."""
        reply = self.complete(answer_messages(question, evidence), on_token)
        return draft_from_text(reply, question, evidence, self.name)

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """The follow-up as a question that stands alone, written by the model."""
        reply = self.complete(rewrite_messages(question, history))
        line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
        line = re.sub(r"^(?:standalone question:\s*)", "", line, flags=re.IGNORECASE).strip().strip("\"'“”")
        if not line or len(line) > 500:
            raise AnswererUnavailable(f"The language model at {self.endpoint} gave no usable standalone question.")
        return line

    def complete(self, messages: list[BaseMessage], on_token: Callable[[str], None] | None = None) -> str:
        """The model's whole reply, streamed to on_token when given; failures as one sentence."""
        if on_token is None:
            try:
                text = str(self.model.invoke(messages).text)
            except Exception as exc:  # any backend failure: the pipeline falls back to the offline answerer
                raise self._unavailable(exc) from exc
        else:
            pieces = []
            for piece in self._pieces(messages):
                on_token(piece)  # outside the try: a failing front end is not a failing model
                pieces.append(piece)
            text = "".join(pieces)
        if not text.strip():
            raise AnswererUnavailable(f"The language model at {self.endpoint} returned an empty reply.")
        return text

    def _pieces(self, messages: list[BaseMessage]) -> Iterator[str]:
        try:
            stream = iter(self.model.stream(messages))
            while True:
                try:
                    chunk = next(stream)
                except StopIteration:
                    return
                if chunk.text:
                    yield str(chunk.text)
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> AnswererUnavailable:
        return AnswererUnavailable(f"The language model at {self.endpoint} {describe_failure(exc, self.timeout_s)}.")


def describe_failure(exc: BaseException, timeout_s: float | None = None) -> str:
    """What went wrong talking to the model, as the end of a sentence ('could not be reached (…)')."""
    chain = _chain(exc)
    if any(isinstance(e, TimeoutError) or "Timeout" in type(e).__name__ for e in chain):
        return f"did not reply within {timeout_s:g} s (timed out)" if timeout_s else "did not reply in time"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "could not be reached (connection refused)"
    status = next((s for e in chain if isinstance(s := getattr(e, "status_code", None), int)), None)
    if status is not None:
        hint = {
            401: "; check CASEWISE_LLM_API_KEY",
            403: "; check CASEWISE_LLM_API_KEY",
            404: "; check CASEWISE_LLM_BASE_URL and CASEWISE_LLM_MODEL",
        }.get(status, "")
        return f"replied with an error (HTTP {status}{hint})"
    if any(isinstance(e, json.JSONDecodeError) or "json" in str(e).lower() for e in chain):
        return "sent a reply that is not valid JSON"
    if any("no generation chunks" in str(e).lower() for e in chain):
        return "returned an empty reply"
    if any(isinstance(e, ConnectionError) or "Connect" in type(e).__name__ for e in chain):
        return f"could not be reached ({_short(chain[-1])})"
    return f"failed ({type(exc).__name__}: {_short(exc)})"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in out and len(out) < 10:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# -- prompts -------------------------------------------------------------------------------------------------


@cache
def load_prompt(name: str) -> tuple[str, str]:
    """The system and user parts of retriever/prompts/NAME.txt ('# system' and '# user' headings)."""
    parts = _SECTION.split((PROMPTS / f"{name}.txt").read_text(encoding="utf-8"))
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    return sections["system"], sections["user"]


def answer_messages(question: str, evidence: Sequence[Hit]) -> list[BaseMessage]:
    """The instructions, then the evidence as numbered DATA blocks and the question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system, user = load_prompt("answer")
    blocks = "\n\n".join(evidence_block(n, hit) for n, hit in enumerate(evidence, start=1))
    return [SystemMessage(system), HumanMessage(user.format(evidence=blocks, question=question.strip()))]


def evidence_block(number: int, hit: Hit) -> str:
    """One fenced block: review title, section label and text; fence markers inside the text are defused."""
    c = hit.chunk
    return (
        f"<<<DATA {number}>>>\nReview: {_defuse(c.review_title)}\nSection: {_defuse(c.section_label)}\n"
        f"Text:\n{_defuse(c.text)}\n<<<END DATA {number}>>>"
    )


def rewrite_messages(question: str, history: Sequence[Turn]) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    system, user = load_prompt("rewrite")
    turns = "\n".join(f"{t.role}: {_defuse(' '.join(t.content.split()))}" for t in history[-6:])
    return [SystemMessage(system), HumanMessage(user.format(history=turns, question=question.strip()))]


def _defuse(text: str) -> str:
    """A document cannot close its own fence and pose as instructions."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


# -- construction from settings ------------------------------------------------------------------------------


def generator_from_settings(settings: Settings) -> GenerativeAnswerer | None:
    """The configured language-model answerer, or None for the offline answerer."""
    if settings.answerer == Answerer.EXTRACTIVE:
        return None
    if settings.answerer == Answerer.LLAMACPP:
        model, endpoint = _llamacpp(settings)
    elif settings.answerer in (Answerer.OPENAI, Answerer.OLLAMA):
        base_url, model_name = _endpoint(settings)
        model = (
            _openai(settings, base_url, model_name)
            if settings.answerer == Answerer.OPENAI
            else _ollama(settings, base_url, model_name)
        )
        endpoint = base_url
    else:
        raise SettingsError(
            f"unknown answerer {settings.answerer!r}; set CASEWISE_ANSWERER to extractive, openai, ollama or llamacpp"
        )
    return LLMAnswerer(model, name=settings.answerer, endpoint=endpoint, timeout_s=settings.llm_timeout_s)


def _endpoint(settings: Settings) -> tuple[str, str]:
    example = "http://localhost:11434" if settings.answerer == Answerer.OLLAMA else "http://127.0.0.1:8080/v1"
    missing = [
        name
        for name, value in (
            ("CASEWISE_LLM_BASE_URL", settings.llm_base_url),
            ("CASEWISE_LLM_MODEL", settings.llm_model),
        )
        if not value
    ]
    if missing:
        raise SettingsError(
            f"the {settings.answerer} answerer needs {' and '.join(missing)} (for example "
            f"CASEWISE_LLM_BASE_URL={example}); set them, or use CASEWISE_ANSWERER=extractive"
        )
    base_url = (settings.llm_base_url or "").rstrip("/")
    if not re.match(r"https?://[^/\s]+", base_url):
        raise SettingsError(
            f"CASEWISE_LLM_BASE_URL must be an http:// or https:// URL such as {example}, got {settings.llm_base_url!r}"
        )
    if settings.llm_timeout_s <= 0:
        raise SettingsError("CASEWISE_LLM_TIMEOUT_S must be a positive number of seconds")
    return base_url, settings.llm_model or ""


def _openai(settings: Settings, base_url: str, model: str) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=base_url,
        api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
        model=model,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
    )


def _ollama(settings: Settings, base_url: str, model: str) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    # Ollama's native API lives at the server root; a copied OpenAI-style '/v1' would 404.
    root = base_url.removesuffix("/v1")
    return ChatOllama(
        base_url=root,
        model=model,
        temperature=0,
        num_ctx=CONTEXT_TOKENS,
        num_predict=MAX_REPLY_TOKENS,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


def _llamacpp(settings: Settings) -> tuple[BaseChatModel, str]:
    path = settings.llm_model_path
    if not path:
        raise SettingsError("the llamacpp answerer needs CASEWISE_LLM_MODEL_PATH, the path of a GGUF model file")
    if not Path(path).expanduser().is_file():
        raise SettingsError(f"CASEWISE_LLM_MODEL_PATH {path}: no such file; give the path of a GGUF model file")
    try:
        importlib.import_module("llama_cpp")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community announces its sunset
            from langchain_community.chat_models import ChatLlamaCpp
    except ImportError as exc:
        raise SettingsError(
            "the llamacpp answerer needs llama-cpp-python and langchain-community: run "
            "`pip install llama-cpp-python langchain-community`, or run a llama.cpp server "
            "(`llama-server -m model.gguf --port 8080`) and use CASEWISE_ANSWERER=openai with "
            "CASEWISE_LLM_BASE_URL=http://127.0.0.1:8080/v1"
        ) from exc
    resolved = str(Path(path).expanduser())
    try:
        model = ChatLlamaCpp(
            model_path=resolved,
            n_ctx=CONTEXT_TOKENS,
            max_tokens=MAX_REPLY_TOKENS,
            temperature=0,
            verbose=False,
        )
    except Exception as exc:  # llama.cpp reports a bad file in several ways
        raise SettingsError(f"CASEWISE_LLM_MODEL_PATH {path}: cannot load it as a GGUF model ({_short(exc)})") from exc
    return model, resolved
