"""Helpers every command shares: settings with --home, JSON on stdout, messages on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from core.settings import Settings


def add_common(parser: argparse.ArgumentParser, json_flag: bool = True) -> None:
    parser.add_argument("--home", type=Path, help="where the index lives (default: $CASEWISE_HOME or .casewise/)")
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(home=getattr(args, "home", None))


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


def note(message: str) -> None:
    print(message, file=sys.stderr)


def usage_error(command: str, message: str) -> NoReturn:
    """Bad usage: one line on stderr and exit status 2, as argparse does."""
    print(f"casewise {command}: error: {message}", file=sys.stderr)
    raise SystemExit(2)
