#!/usr/bin/env bash
# The whole test suite: lint, format, types, then every test (unit, integration, eval floors, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "casewise: installing Debian's chromium for the browser test" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "casewise: the browser test needs Debian's chromium: sudo apt-get install -y chromium" >&2
    fi
fi
export CASEWISE_HOME="${CASEWISE_TEST_HOME:-$(mktemp -d)}"  # tests never touch your own index
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy core ingest retriever trainer evals casewise app.py
.venv/bin/python -m pytest -m "" "$@"
