"""Secrets taken out of anything the app shows: passwords in URLs, keys and tokens in query strings."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HIDDEN = "***"
_SECRET_PARAM = re.compile(r"key|token|secret|password|passwd|pwd|auth|signature|sig|credential", re.I)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.I)


def redact_url(url: str) -> str:
    """The URL with any user:password and any secret-looking query value replaced by ***."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return HIDDEN  # not a URL we can read: show nothing of it rather than risk a secret
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc += f":{port}"
    if parts.username or parts.password:
        netloc = f"{HIDDEN}@{netloc}"
    query = urlencode(
        [(k, HIDDEN if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def redact_text(text: str) -> str:
    """Every URL inside a message redacted (notices may quote the language-model URL)."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text)
