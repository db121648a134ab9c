"""Shared test helpers: paths, the shared play text, a CLI runner that uses a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis times examples on the wall clock (a 200 ms deadline, the too_slow health check): on a loaded machine
# those fail for reasons the code does not own. Every property test inherits this; its own @settings override only what they name.
settings.register_profile("dialogue", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dialogue")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"
SHAKESPEARE = ROOT.parent / "shared" / "data" / "tinyshakespeare" / "input.txt"


#: marker -> the programs one of which a marked test needs (installed by .ci/run when it runs as root)
PROGRAMS = {"dot": ("dot",), "chromium": ("chromium", "chromium-browser")}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `dot` or `chromium` is skipped, with the reason, on a machine without the program."""
    for marker, programs in PROGRAMS.items():
        if item.get_closest_marker(marker) and not any(shutil.which(p) for p in programs):
            pytest.skip(f"needs {programs[0]}, which is not installed")


@pytest.fixture
def shakespeare_text() -> str:
    if not SHAKESPEARE.is_file():
        pytest.skip(f"shared play text not found at {SHAKESPEARE}")
    return SHAKESPEARE.read_text(encoding="utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            timeout: float = 120, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dialogue ARGS` in a real subprocess, the package importable from the checkout; `env` adds
    to (or with a value None removes from) the environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run([sys.executable, "-m", "dialogue", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def run_on_a_terminal(*args: str, cwd: Path, timeout: float = 60, stream: str = "stderr",
                      env: dict[str, str | None] | None = None) -> tuple[int, str]:
    """Run `python -m dialogue ARGS` with standard error (or `stream="stdout"`: standard output) on a
    pseudo-terminal, the other stream discarded; its exit code and what it showed. `env` adds to (or with a
    value None removes from) the environment."""
    import pty
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    env = {key: value for key, value in env.items() if value is not None}
    primary, secondary = pty.openpty()
    try:
        on_terminal = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: secondary}
        proc = subprocess.Popen([sys.executable, "-m", "dialogue", *args], **on_terminal, env=env, cwd=cwd)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        code = proc.wait(timeout=timeout)
    finally:
        os.close(primary)
    return code, seen.decode("utf-8", "replace")
