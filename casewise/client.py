"""`casewise ask/search --server URL`: send the request to a running `casewise serve` instead."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from core.errors import CasewiseError

TIMEOUT_S = 600  # an answer from a slow language model can take minutes


def post(server: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """The service's JSON document for one request; its error message, or an unreachable server, raised."""
    request = urllib.request.Request(
        server.rstrip("/") + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]
        except (ValueError, KeyError, TypeError):
            message = f"{server} answered HTTP {exc.code} ({exc.reason}); is it a `casewise serve` URL?"
        raise CasewiseError(message) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CasewiseError(
            f"cannot reach a Casewise service at {server} ({reason}); start one with `casewise serve` or fix --server"
        ) from exc
