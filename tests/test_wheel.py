"""Casewise runs from an installed wheel, outside the checkout: the CLI, its packaged data, and the app's pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel and unpacked into a folder of its own (dependencies from this venv)."""
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(work)], check=True)
    wheel = next(work.glob("casewise-*.whl"))
    site = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "CASEWISE_HOME": str(cwd / "home")}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_cli_runs_from_the_wheel_with_its_packaged_data(installed: Path, tmp_path: Path) -> None:
    where = _run(
        installed,
        tmp_path,
        "-c",
        "import casewise, ingest.themes as t; print(casewise.__file__, t.load_themes()[0].name)",
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.startswith(str(installed))  # not the checkout's copy
    usage = _run(installed, tmp_path, "-m", "casewise", "--help")
    assert usage.returncode == 0 and "ingest" in usage.stdout
    missing = _run(installed, tmp_path, "-m", "casewise", "show", "any-chunk")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        f"casewise: error: no index yet at {tmp_path / 'home'} — run `casewise ingest` to build it from your reviews"
    )


def test_the_app_and_its_pages_run_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    main = installed / "casewise" / "ui" / "app" / "main.py"
    assert (installed / "casewise" / "ui" / "pages" / "ask.py").exists()
    corpus = tmp_path / "corpus"  # corpus/ where Casewise runs: the app indexes it in the background
    corpus.mkdir()
    (corpus / "child-q-review.txt").write_text(
        "Rapid Review: Child Q\n\nBackground\n\nChild Q lived with her grandmother in a small town.\n", encoding="utf-8"
    )
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(main)!r}, default_timeout=120).run()\n"
        "assert not at.exception, at.exception\n"
        "print(len(at.chat_input), at.title[0].value if at.title else '', flush=True)\n"
        "import os; os._exit(0)  # the app's background index build may still be running: end without joining it\n"
    )
    run = _run(installed, tmp_path, "-c", script)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[0] == "1"  # the chat box is on the page
