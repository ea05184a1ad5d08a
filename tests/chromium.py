"""Debian's Chromium as the browser tests and the app benchmark start it: headless, and never reaching out."""

from __future__ import annotations

import shutil
from pathlib import Path

# Without these, Chromium tries (and fails) to reach the internet for updates, sync and field trials.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MISSING = "Debian's chromium is not installed (apt-get install -y chromium)"


def find_chromium() -> str | None:
    """The chromium binary, or None when it is not installed."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
