"""Types: the package ships `py.typed` and `mypy dialogue` (configured in pyproject.toml) finds nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_package_is_marked_typed():
    assert (ROOT / "dialogue" / "py.typed").is_file()


def test_mypy_is_clean_for_the_whole_package():
    pytest.importorskip("mypy")
    proc = subprocess.run([sys.executable, "-m", "mypy", "dialogue"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "Success" in proc.stdout


def test_every_module_compiles_without_warnings(tmp_path):
    """No invalid escape sequences (regex docs in plain strings) or other compile-time warnings: they become
    errors in later Pythons."""
    script = ("import compileall, sys; "
              f"sys.exit(0 if compileall.compile_dir({str(ROOT / 'dialogue')!r}, quiet=1, force=True, "
              f"ddir='dialogue', legacy=False) else 1)")
    proc = subprocess.run([sys.executable, "-W", "error", "-X", f"pycache_prefix={tmp_path}", "-c", script],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
