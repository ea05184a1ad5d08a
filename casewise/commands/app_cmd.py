"""`casewise app [--home PATH] [--no-ingest] [STREAMLIT OPTIONS ...]`: start the Streamlit app.

The server starts at once and so does the app's background load: it brings the index in step with corpus/
(incrementally: unchanged files are only hashed; built on a first start), loads the model and opens the index,
its progress shown on the page and here. The process runs `streamlit run casewise/ui/app/main.py` with the
remaining options passed through and telemetry off.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casewise.commands.common import settings_from
from core.settings import Settings

APP = Path(__file__).resolve().parents[1] / "ui" / "app" / "main.py"  # inside the package: runs from an installed wheel
QUIET = {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}  # always: nothing leaves the machine
# As in .streamlit/config.toml, which Streamlit reads only when started from the repository folder:
# no browser launch or first-run e-mail prompt, and no "Deploy" button on a local tool.
# Served on this machine only unless told otherwise (--server.address 0.0.0.0): case material stays local.
# A fixed address also stops Streamlit looking up the machine's external IP on the internet at start-up.
# No file watcher: a served app does not reload on edits, and watching the tree floods the log.
DEFAULTS = {
    "STREAMLIT_SERVER_HEADLESS": "true",
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    "STREAMLIT_CLIENT_TOOLBAR_MODE": "minimal",
    "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
}


class _PassThroughParser(argparse.ArgumentParser):
    """Keeps options it does not know (Streamlit's own) in args.streamlit_args instead of failing on them."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> Any:
        namespace, extras = super().parse_known_args(args, namespace)
        namespace.streamlit_args = list(extras)
        return namespace, []


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "app",
        help="start the Streamlit app (Streamlit options such as --server.port 8600 pass through)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.__class__ = _PassThroughParser
    parser.add_argument("--home", type=Path, help="where the index lives (default: $CASEWISE_HOME or .casewise/)")
    parser.add_argument(
        "--no-ingest", action="store_true", help="start without bringing the index in step with corpus/ first"
    )
    parser.set_defaults(run=run, streamlit_args=[])


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    return launch(args.streamlit_args, app_environment(settings, os.environ), sync=not args.no_ingest)


def app_environment(settings: Settings, base: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The app's environment: the same index (absolute path), telemetry off, headless unless told not."""
    env = {**DEFAULTS, **base, **QUIET}
    env["CASEWISE_HOME"] = str(settings.home.resolve())
    return env


def launch(streamlit_args: list[str], env: dict[str, str], sync: bool) -> int:
    """Start the app's background load (syncing the index with corpus/ first when asked), then serve the app in
    this process, so the load is under way, or done, by the first visit."""
    os.environ.update(env)  # read by Streamlit's options and by the app's settings alike
    from streamlit.web import cli

    from casewise.ui import resources

    resources.loading(Settings.from_env(), sync=sync)
    return cli.main(args=["run", str(APP), *streamlit_args], prog_name="streamlit")
