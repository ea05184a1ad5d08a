"""One module per subcommand; each has register(subparsers) and sets args.run."""

from casewise.commands import (
    app_cmd,
    ask_cmd,
    beir_cmd,
    brief_cmd,
    eval_cmd,
    ingest_cmd,
    search_cmd,
    serve_cmd,
    show_cmd,
)

COMMANDS = [ingest_cmd, search_cmd, ask_cmd, show_cmd, beir_cmd, app_cmd, eval_cmd, brief_cmd, serve_cmd]
