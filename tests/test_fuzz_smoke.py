"""The atheris fuzz target for `dialogue.parse` (fuzz/fuzz_parse.py), run for ~20 seconds in a subprocess.

A short run in CI catches a crash the seeds and the dictionary reach quickly; long runs are by hand
(fuzz/README.md). Skipped when atheris is not installed (it ships wheels for Linux x86_64 only).
"""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
import sys

import pytest
from conftest import ROOT

TARGET = ROOT / "fuzz" / "fuzz_parse.py"
SECONDS = 20


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("atheris") is None,
                    reason="atheris is not installed (pip install atheris; Linux x86_64 wheels only)")
def test_fuzz_target_runs_without_a_crash(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), DIALOGUE_FUZZ_ANALYZE="1")
    proc = subprocess.run(
        [sys.executable, str(TARGET), f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=2048",
         f"-dict={ROOT / 'fuzz' / 'dialogue.dict'}", f"-artifact_prefix={tmp_path}/", str(corpus),
         str(ROOT / "fuzz" / "seeds")],
        capture_output=True, cwd=tmp_path, env=env, timeout=SECONDS + 120, check=False)
    log = proc.stderr.decode("utf-8", "replace")
    crashes = sorted(p for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-", "leak-")))
    found = "; ".join(f"{p.name}: {base64.b64encode(p.read_bytes()[:400]).decode()}" for p in crashes)
    assert proc.returncode == 0 and not crashes, f"fuzzing found {found or 'a failure'}:\n{log[-3000:]}"
    runs = [line for line in log.splitlines() if line.startswith("Done ")]
    assert runs and int(runs[-1].split()[1]) > 100, log[-2000:]     # it really executed inputs
    assert list(corpus.iterdir()), "the run grew no corpus: the target does not reach the parser"
