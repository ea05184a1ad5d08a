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


def at_least_one(text: str) -> int:
    """An option's value that must be a whole number of at least 1 (else bad usage, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def port_number(text: str) -> int:
    """A TCP port, 0 (any free port) to 65535 (else bad usage, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0 to 65535)")
    return value


def usage_error(command: str, message: str) -> NoReturn:
    """Bad usage: one line on stderr and exit status 2, as argparse does."""
    print(f"casewise {command}: error: {message}", file=sys.stderr)
    raise SystemExit(2)
