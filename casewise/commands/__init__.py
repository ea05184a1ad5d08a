"""One module per subcommand; each has register(subparsers) and sets args.run."""

from casewise.commands import ask_cmd, beir_cmd, ingest_cmd, search_cmd, show_cmd

COMMANDS = [ingest_cmd, search_cmd, ask_cmd, show_cmd, beir_cmd]
