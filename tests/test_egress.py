"""Nothing leaves the machine: `casewise ingest` and `casewise ask` run under strace, every connect() is local."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

pytestmark = pytest.mark.integration
CASEWISE = Path(sys.executable).with_name("casewise")  # the venv running the tests (a worktree may have none)
_INET = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?, [^}]*?(?:inet_addr\(|inet_pton\(AF_INET6?, )\"([^\"]+)\"")
_LOCAL = re.compile(r"^(?:127\.|::1$|::ffff:127\.)")


def connections(command: list[str], env: dict[str, str], log: Path) -> list[str]:
    """Every internet address the command (and its children) tried to connect to."""
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log), *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return _INET.findall(log.read_text(errors="replace"))


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_ingest_and_ask_connect_only_to_this_machine(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWISE_") and not k.startswith("HF_")}
    env["CASEWISE_HOME"] = str(tmp_path / "home")
    addresses = connections([str(CASEWISE), "ingest", str(CORPUS)], env, tmp_path / "ingest.strace")
    addresses += connections(
        [str(CASEWISE), "ask", "Did mum decline an interpreter?", "--json"], env, tmp_path / "ask.strace"
    )
    outside = [a for a in addresses if not _LOCAL.match(a)]
    assert outside == [], f"connections left the machine: {outside}"


def test_the_strace_parser_sees_internet_connections() -> None:
    log = (
        '12 connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("18.164.1.2")}, 16) = -1\n'
        "12 connect(4, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2600:9000::1", &sin6_addr), sin6_scope_id=0}, 28) = 0\n'
        '12 connect(5, {sa_family=AF_INET, sin_port=htons(8000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        '12 connect(6, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1\n'
    )
    addresses = _INET.findall(log)
    assert addresses == ["18.164.1.2", "2600:9000::1", "127.0.0.1"]
    assert [a for a in addresses if not _LOCAL.match(a)] == ["18.164.1.2", "2600:9000::1"]
