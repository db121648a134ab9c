"""Packaging: the grammar files travel inside the wheel and are found after a non-editable install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES


def _installed_script() -> Path | None:
    script = Path(sys.executable).parent / "dialogue"
    return script if script.exists() else None


@pytest.mark.slow
def test_wheel_carries_grammar_and_lexicons(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {result.stderr.strip().splitlines()[-1:]}")
    wheel = next(tmp_path.glob("dialogue-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for grammar in (ROOT / "grammar").glob("*.lark"):
        assert f"dialogue/grammar/{grammar.name}" in names
    assert "dialogue/py.typed" in names
    assert any(n.startswith("dialogue/classify/lexicons/") for n in names)
    assert {"dialogue/data/cmudict.rhymes.gz", "dialogue/data/CMUDICT-LICENSE", "dialogue/data/valence.tsv",
            "dialogue/data/VADER-LICENSE"} <= names


def test_installed_console_script_works_from_another_folder(tmp_path):
    script = _installed_script()
    if script is None:
        pytest.skip("dialogue is not installed in this interpreter's environment (scripts/test.sh installs it)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    shutil.copy(SAMPLES / "harbour.play.txt", tmp_path / "scene.txt")
    result = subprocess.run([str(script), "parse", "scene.txt"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "7 turns, dialect play" in result.stdout
    where = subprocess.run([sys.executable, "-c", "import dialogue.grammars as g; print(g.grammar_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    found = Path(where.stdout.strip())
    assert (found / "play.lark").is_file()
    if ROOT not in found.parents:  # a real install: the packaged copy, identical to the source tree's
        assert (found / "play.lark").read_text() == (ROOT / "grammar" / "play.lark").read_text()


def test_grammar_dir_prefers_the_source_tree_in_a_checkout():
    from dialogue.grammars import grammar_dir
    if (ROOT / "dialogue" / "grammars.py").resolve() != Path(sys.modules["dialogue.grammars"].__file__).resolve():
        pytest.skip("tests run against an installed copy")
    assert grammar_dir() == ROOT / "grammar"
