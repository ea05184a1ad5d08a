"""`casewise serve [--host 127.0.0.1] [--port 8765]`: the HTTP JSON API, with the model and index loaded once."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from casewise.commands.common import add_common, note, port_number, settings_from
from core.errors import CasewiseError
from core.settings import ANSWERERS

DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve", help="serve /ask, /search, /reviews, /health and /openapi.json over HTTP (JSON as the CLI's)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)"
    )
    parser.add_argument("--answerer", choices=ANSWERERS, help="override CASEWISE_ANSWERER")
    add_common(parser, json_flag=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.answerer:
        settings = replace(settings, answerer=args.answerer)
    from casewise.server import make_server
    from retriever.index import Index
    from retriever.pipeline import Casewise

    index = Index.open(settings)
    casewise = Casewise.open(settings, index=index)
    try:
        server = make_server(casewise, index, args.host, args.port)
    except OSError as exc:
        raise CasewiseError(f"cannot listen on {args.host}:{args.port} ({exc}); pick another --port") from exc
    host, port = str(server.server_address[0]), server.server_address[1]
    note(f"casewise serve: http://{host}:{port} (index {settings.home}; API at /openapi.json; Ctrl-C stops)")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        note("casewise serve: stopped")
    finally:
        server.server_close()
    return 0
