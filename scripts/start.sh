#!/usr/bin/env bash
# Set everything up, bring the index in step with corpus/ (built when missing, updated when stale),
# and serve the app on http://127.0.0.1:8501 (extra arguments go to Streamlit, e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/casewise app "$@"
