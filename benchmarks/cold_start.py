"""Cold-start wall time of `casewise` commands, beside `python -c "import torch"` as the floor.

Each command runs in a fresh interpreter, --runs times, the commands taking turns: a usage error, a missing
index, `casewise search` and `casewise ask` on an index of the seed reviews (built once into
benchmarks/results/), the same `ask` through a running `casewise serve` (`--server`), and for reference the
bare floors: importing torch, and importing sentence-transformers, loading the model and encoding one sentence
(what the query path cost before it moved to ONNX Runtime). Prints median and worst wall time and peak RSS.

Then the app, driven in headless Chromium (--app-runs times each; 0 skips it): a fresh `casewise app` on the seed
index and on no index yet (it builds one from corpus/), each visited at once with a question typed as soon as the
chat box shows, beside a bare Streamlit page holding only a chat box as the floor (see app_start.py).

Example (from the repository root)::

    .venv/bin/python benchmarks/cold_start.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app_start import AppStart, bare_page, casewise_app
from common import REPO_ROOT, RESULTS, table

from core.settings import DEFAULT_MODEL
from ingest.embedding import resolve_model_path

QUESTION = "What were the recommendations in the Child M review?"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one run of command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO_ROOT)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-runs", type=int, default=3, help="fresh app servers per case (0: skip the app)")
    args = parser.parse_args()
    python = sys.executable
    home = RESULTS / "cold-start-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_")}
    env.update(CASEWISE_HOME=str(home), PYTHONPATH=str(REPO_ROOT))
    if not (home / "casewise.sqlite3").is_file():
        subprocess.run([python, "-m", "casewise", "ingest", "corpus"], check=True, env=env, cwd=REPO_ROOT)
    server = subprocess.Popen(
        [python, "-m", "casewise", "serve", "--port", "0"], stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT
    )
    assert server.stderr is not None
    url = server.stderr.readline().split()[2]
    model = resolve_model_path(DEFAULT_MODEL)
    casewise = [python, "-m", "casewise"]
    commands = {
        'python -c "import torch" (floor)': [python, "-c", "import torch"],
        "import sentence-transformers, load the model, encode one sentence": [
            python,
            "-c",
            f"from sentence_transformers import SentenceTransformer as S; S({model!r}).encode(['q'])",
        ],
        "casewise usage error (search --bogus)": [*casewise, "search", "--bogus"],
        "casewise ask, no index": [*casewise, "ask", QUESTION, "--home", str(RESULTS / "no-such-home")],
        "casewise search (seed index)": [*casewise, "search", "school exclusion"],
        "casewise ask (seed index)": [*casewise, "ask", QUESTION],
        "casewise ask --server (warm service)": [*casewise, "ask", QUESTION, "--server", url],
    }
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    try:
        for _ in range(args.runs):
            for name, command in commands.items():
                figures[name].append(timed(command, env))
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = [
        [
            name,
            f"{statistics.median(w for w, _ in runs):.2f}",
            f"{max(w for w, _ in runs):.2f}",
            f"{max(r for _, r in runs):.0f}",
        ]
        for name, runs in figures.items()
    ]
    print(f"## Cold start, {args.runs} runs each, commands taking turns (load average {os.getloadavg()[0]:.1f})\n")
    print(table(["command", "median wall s", "worst wall s", "peak RSS MB"], rows))
    if args.app_runs:
        print(f"\n## App, {args.app_runs} fresh servers each, first visit in headless Chromium\n")
        print(app_table(python, env, home, args.app_runs))
        print(f"\n(load average {os.getloadavg()[0]:.1f} at the end)")
    return 0


def app_table(python: str, env: dict[str, str], home: Path, runs: int) -> str:
    """Median (worst) seconds to each thing the user sees, per case, the cases taking turns."""
    cases: dict[str, list[AppStart]] = {"bare Streamlit page with a chat box (floor)": [],
                                        "casewise app, seed index": [], "casewise app, no index yet": []}  # fmt: skip
    served = {**env, "CASEWISE_CORPUS": str(REPO_ROOT / "corpus")}
    for _ in range(runs):
        cases["bare Streamlit page with a chat box (floor)"].append(bare_page(python, env))
        for case, seeded in (("casewise app, seed index", True), ("casewise app, no index yet", False)):
            fresh = Path(tempfile.mkdtemp(prefix="app-home-", dir=RESULTS))  # no conversations of earlier runs
            try:
                if seeded:
                    shutil.copytree(home, fresh, dirs_exist_ok=True, ignore=shutil.ignore_patterns("history.*"))
                cases[case].append(casewise_app(python, {**served, "CASEWISE_HOME": str(fresh)}, RESULTS, QUESTION))
            finally:
                shutil.rmtree(fresh)
    header = ["case", "launch to healthy", "visit to chat box", "visit to status", "visit to first answer"]
    fields = ("health", "chat_box", "status", "answer")
    rows = [[name, *(spread([getattr(f, field) for f in found]) for field in fields)] for name, found in cases.items()]
    return (
        table(header, rows)
        + "\n\nSeconds, median (worst); '-': never shown or not asked (there is no status once the app is ready)."
    )


def spread(seconds: list[float | None]) -> str:
    """'median (worst)' of the runs that got there, with how many did when not all; '-' when none did."""
    known = [s for s in seconds if s is not None]
    if not known:
        return "-"
    runs = f", {len(known)} of {len(seconds)} runs" if len(known) < len(seconds) else ""
    return f"{statistics.median(known):.2f} ({max(known):.2f}{runs})"


if __name__ == "__main__":
    sys.exit(main())
