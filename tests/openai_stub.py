"""A scripted OpenAI-compatible chat server on 127.0.0.1 (stdlib only), for tests and benchmarks.

POST /v1/chat/completions answers with whatever the script returns for that request: a JSON completion, a
streamed SSE reply, an HTTP error, malformed JSON, or a reply held back past the client's timeout.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """What the server does with one request."""

    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    malformed: bool = False


Script = Callable[[dict], Reply]


class StubOpenAI:
    """Use as `with StubOpenAI(script) as server:`; `server.base_url` ends in /v1; requests are recorded."""

    def __init__(self, script: Script | None = None) -> None:
        self.script: Script = script or (lambda request: Reply("The evidence does not answer this."))
        self.requests: list[dict] = []
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> StubOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()  # replies held back for a timeout test end now
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, request: dict) -> Reply:
        self.requests.append(request)
        return self.script(request)


def _handler(stub: StubOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (quiet test output)
            pass

        def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._send(404, b'{"error": {"message": "not found"}}')
            request = json.loads(body)
            reply = stub.reply_for(request)
            if reply.delay_s and stub._released.wait(reply.delay_s):
                return
            try:
                if reply.status != 200:
                    self._send(reply.status, json.dumps({"error": {"message": "scripted failure"}}).encode())
                elif reply.malformed and request.get("stream"):
                    self._send(
                        200,
                        b'data: {"id": "chatcmpl-1", "choices": [{"delta": {"content": "Pol\n\ndata: [DONE]\n\n',
                        "text/event-stream",
                    )
                elif reply.malformed:
                    self._send(200, b'{"id": "chatcmpl-1", "choices": [{"message": {"content": "Pol')
                elif request.get("stream"):
                    self._stream(request, reply.text)
                else:
                    self._send(200, json.dumps(completion(request, reply.text)).encode())
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                pass

        def _send(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, request: dict, text: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            for piece in pieces(text):
                self._event(chunk(request, {"content": piece}, None))
            self._event(chunk(request, {}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _event(self, data: dict) -> None:
            self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

    return Handler


def pieces(text: str) -> list[str]:
    """The text in word-sized pieces, as a model streams it."""
    return re.findall(r"\S+\s*|\s+", text)


def completion(request: dict, text: str) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "stub"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def chunk(request: dict, delta: dict, finish: str | None) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": request.get("model", "stub"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def user_prompt(request: dict) -> str:
    return "\n".join(m["content"] for m in request["messages"] if m["role"] == "user")


def block_with(request: dict, phrase: str) -> int:
    """The number of the evidence block in the prompt that contains phrase (0 when none does)."""
    for match in re.finditer(r"<<<DATA (\d+)>>>(.*?)<<<END DATA \1>>>", user_prompt(request), re.DOTALL):
        if phrase in match.group(2):
            return int(match.group(1))
    return 0
