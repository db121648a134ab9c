"""The README's command-line examples are what the program prints (scripts/readme_examples.py, run in a
subprocess that runs the real CLI), and its prose about the flagship sample's gold labels is true."""

from __future__ import annotations

import re
import subprocess
import sys

import dialogue

from conftest import ROOT, SAMPLES

SCRIPT = ROOT / "scripts" / "readme_examples.py"
README = ROOT / "README.md"


def examples(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)


def test_the_readme_examples_are_current():
    proc = examples("--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_stale_example_is_caught_with_a_diff_and_rewritten(tmp_path):
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^<!-- example: (dialogue [^\n]+) -->$", text, flags=re.MULTILINE)
    assert 2 <= len(blocks) <= 4 and "dialogue analyze samples/duet.lyrics.txt" in blocks
    stale = text.replace("closing   reconciled", "closing   standoff", 1)
    assert stale != text
    copy = tmp_path / "README.md"
    copy.write_text(stale, encoding="utf-8")
    proc = examples("--check", "--readme", str(copy))
    assert proc.returncode == 1
    assert "-closing   standoff" in proc.stdout and "+closing   reconciled" in proc.stdout
    assert copy.read_text(encoding="utf-8") == stale                        # --check changes nothing
    assert examples("--write", "--readme", str(copy)).returncode == 0
    assert copy.read_text(encoding="utf-8") == text


def test_a_failing_command_is_an_error_not_an_example(tmp_path):
    copy = tmp_path / "README.md"
    copy.write_text("<!-- example: dialogue analyze no-such-file.txt -->\n```console\n```\n<!-- /example -->\n",
                    encoding="utf-8")
    proc = examples("--check", "--readme", str(copy))
    assert proc.returncode == 2 and "no-such-file.txt" in proc.stderr


def test_the_examples_show_everything_and_nothing_of_this_machine():
    text = README.read_text(encoding="utf-8")
    for body in re.findall(r"^<!-- example: .*? -->\n(.*?)^<!-- /example -->$", text, re.MULTILINE | re.DOTALL):
        assert "\n   ...\n" not in body and "\x1b[" not in body                # nothing hidden, no colour codes
        assert str(ROOT) not in body and not re.search(r"\d+(\.\d+)? ?(ms|s)\b", body)


def test_the_readme_names_every_turn_where_the_duet_disagrees_with_its_gold():
    t = dialogue.parse((SAMPLES / "duet.lyrics.txt").read_text(encoding="utf-8"), source="duet.lyrics.txt")
    a = dialogue.analyze(t)
    annotated = [(turn, move) for turn, move in zip(t.turns, a.moves) if turn.gold]
    wrong = [(turn, move) for turn, move in annotated if turn.gold != move.label]
    text = README.read_text(encoding="utf-8")
    assert f"disagrees with {len(wrong)} of its {len(annotated)} annotated turns" in text
    for turn, move in wrong:
        assert re.search(rf"turn {turn.index} \(\"{re.escape(turn.text)}\", annotated `{turn.gold}`, "
                         rf"labelled `{move.label}`", text), turn.text
