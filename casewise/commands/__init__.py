"""One module per subcommand; each has register(subparsers) and sets args.run."""

from casewise.commands import ingest_cmd, show_cmd

COMMANDS = [ingest_cmd, show_cmd]
