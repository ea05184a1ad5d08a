"""`casewise serve`: a small HTTP JSON API over one warm pipeline (the model and index loaded once).

Endpoints (documented in casewise/openapi.json, served at /openapi.json): POST /ask and POST /search return the
same JSON as `casewise ask --json` and `casewise search --json`; GET /reviews lists the indexed reviews; GET
/health says the service is up. A request the service cannot use gets 400 with {"error": "..."}.
"""

from __future__ import annotations

import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from casewise.documents import (
    RequestError,
    answer_document,
    checked,
    filters_from_body,
    history_from_body,
    reviews_document,
    search_document,
    text_field,
)
from core.errors import CasewiseError
from retriever.index import Index
from retriever.pipeline import Casewise
from retriever.search import MODES

OPENAPI = Path(__file__).with_name("openapi.json")
MAX_BODY = 1_000_000  # bytes: a question with its history is far smaller


class Service:
    """What the endpoints do, one request at a time (the pipeline is not shared between threads)."""

    def __init__(self, casewise: Casewise, index: Index) -> None:
        self.casewise = casewise
        self.index = index
        self._lock = threading.Lock()
        self.openapi = json.loads(OPENAPI.read_text(encoding="utf-8"))

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "answerer": self.casewise.answerer_name,
            "index": str(self.index.settings.home.resolve()),
        }

    def reviews(self) -> dict[str, Any]:
        with self._lock:
            return reviews_document(self.index.catalog)

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        query, filters = text_field(body, "query"), filters_from_body(body)
        k, mode = body.get("k", 5), body.get("mode", "default")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise RequestError('"k" must be a whole number of at least 1')
        if mode not in MODES:
            raise RequestError(f'"mode" must be one of {", ".join(MODES)}')
        with self._lock:
            filters = checked(filters, self.index.catalog)
            return search_document(query, self.casewise.search(query, k=k, filters=filters, mode=mode))

    def ask(self, body: dict[str, Any]) -> dict[str, Any]:
        question, filters = text_field(body, "question"), filters_from_body(body)
        history = history_from_body(body.get("history"), "the request")
        answerer = body.get("answerer")
        if answerer not in (None, self.casewise.answerer_name):
            raise RequestError(
                f"this service answers with {self.casewise.answerer_name}; "
                f"start `casewise serve --answerer {answerer}` for {answerer}"
            )
        with self._lock:
            filters = checked(filters, self.index.catalog)
            return answer_document(self.casewise.ask(question, history, filters))


def handler_for(service: Service) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one service."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "casewise"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            routes = {"/health": service.health, "/reviews": service.reviews, "/openapi.json": lambda: service.openapi}
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                self._error(HTTPStatus.NOT_FOUND, f"no endpoint GET {self.path}; see /openapi.json")
            else:
                self._respond(route)

        def do_POST(self) -> None:  # noqa: N802
            routes = {"/ask": service.ask, "/search": service.search}
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                self._error(HTTPStatus.NOT_FOUND, f"no endpoint POST {self.path}; see /openapi.json")
                return
            try:
                body = self._body()
            except RequestError as exc:
                self._error(HTTPStatus.BAD_REQUEST, str(exc))
                return
            self._respond(lambda: route(body))

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise RequestError(f"the request body is over {MAX_BODY} bytes")
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise RequestError(f"the request body is not JSON ({exc})") from exc
            if not isinstance(body, dict):
                raise RequestError("the request body must be a JSON object")
            return body

        def _respond(self, make: Any) -> None:
            try:
                document = make()
            except CasewiseError as exc:  # unknown review, bad field: the caller can fix it
                self._error(HTTPStatus.BAD_REQUEST, str(exc))
            except Exception as exc:  # noqa: BLE001  (one failed request must not stop the service)
                print(
                    f"casewise serve: {self.command} {self.path} failed: {type(exc).__name__}: {exc}", file=sys.stderr
                )
                self._error(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"the service failed on this request ({type(exc).__name__})"
                )
            else:
                self._send(HTTPStatus.OK, document)

        def _error(self, status: HTTPStatus, message: str) -> None:
            self._send(status, {"error": message})

        def _send(self, status: HTTPStatus, document: dict[str, Any]) -> None:
            data = json.dumps(document, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
            pass  # no access log: questions about children stay out of log files

    return Handler


def make_server(casewise: Casewise, index: Index, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: any free port), not yet serving, over the pipeline and its index."""
    server = ThreadingHTTPServer((host, port), handler_for(Service(casewise, index)))
    server.daemon_threads = True
    return server
