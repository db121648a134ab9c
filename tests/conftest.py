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
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m dialogue ARGS` in a real subprocess, the package importable from the checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "dialogue", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def run_on_a_terminal(*args: str, cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run `python -m dialogue ARGS` with standard error on a pseudo-terminal; its exit code and what it showed."""
    import pty
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dialogue", *args], stdout=subprocess.DEVNULL,
                                stderr=secondary, env=env, cwd=cwd)
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
