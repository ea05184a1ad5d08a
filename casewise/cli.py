"""Entry point of the `casewise` command: parse arguments, run one command, turn domain errors into one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casewise.commands import COMMANDS
from core.errors import CasewiseError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casewise", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; exit 0 on success, 1 on a user error, 2 on bad usage."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CasewiseError as exc:
        print(f"casewise: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early; nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("casewise: interrupted; re-run the command to finish (nothing indexed is lost)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
