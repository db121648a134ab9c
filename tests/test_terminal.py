"""What a person sees at a terminal (issue 14): labels in colour on a terminal only, commands that say what they
wrote, and a `--help` that lists every command with a one-line summary.

Colour is tried on a real pseudo-terminal (tests/conftest.py, `run_on_a_terminal`), in a pipe and with NO_COLOR.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import SAMPLES, run_cli, run_on_a_terminal

from dialogue import labels, report
from dialogue.cli import build_parser

DUET = str(SAMPLES / "duet.lyrics.txt")
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
QUIET = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color", "COLORTERM": None}


def analyze_on_a_terminal(tmp_path, **env: str | None) -> str:
    code, shown = run_on_a_terminal("analyze", DUET, cwd=tmp_path, stream="stdout", env={**QUIET, **env})
    assert code == 0, shown
    return shown.replace("\r\n", "\n")


def test_labels_are_in_their_registry_colour_on_a_terminal(tmp_path):
    shown = analyze_on_a_terminal(tmp_path)
    piped = run_cli("analyze", DUET, env={"FORCE_COLOR": None}).stdout.decode("utf-8")
    for name in ("insult", "deflection", "reconciliation", "neutral"):
        assert f"{report.ansi(labels.get(name).colour, {})}{name}\x1b[0m" in shown, name
    assert ESCAPE.sub("", shown) == piped          # the same text, columns and all, once the escapes go
    assert "\x1b" not in piped


def test_truecolour_where_the_terminal_says_it_has_it(tmp_path):
    shown = analyze_on_a_terminal(tmp_path, COLORTERM="truecolor")
    assert "\x1b[38;2;198;40;40minsult\x1b[0m" in shown          # #c62828


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"NO_COLOR": ""}, {"NO_COLOR": "1", "FORCE_COLOR": "1"},
                                 {"TERM": "dumb"}], ids=["no-color", "no-color-empty", "no-color-wins", "dumb"])
def test_no_colour_on_a_terminal_with_no_color_or_a_dumb_terminal(tmp_path, env):
    shown = analyze_on_a_terminal(tmp_path, **env)
    assert "insult" in shown and "\x1b[" not in shown


def test_force_color_colours_a_pipe_and_json_never_has_colour():
    forced = run_cli("analyze", DUET, env={"FORCE_COLOR": "1"}).stdout.decode("utf-8")
    assert "\x1b[38;5;" in forced
    doc = run_cli("analyze", "--json", DUET, env={"FORCE_COLOR": "1"}).stdout.decode("utf-8")
    assert "\x1b" not in doc and json.loads(doc)["turns"]


def test_use_colour_reads_the_environment_and_the_stream():
    pipe = io.StringIO()
    assert not report.use_colour(pipe, {})
    assert report.use_colour(pipe, {"FORCE_COLOR": "1"}) and not report.use_colour(pipe, {"FORCE_COLOR": "0"})
    assert not report.use_colour(pipe, {"FORCE_COLOR": "1", "NO_COLOR": ""})


def test_export_says_what_it_wrote(tmp_path):
    out = tmp_path / "corpus"
    proc = run_cli("export", DUET, str(SAMPLES / "standup.irc.txt"), "--to", "convokit", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    last = proc.stderr.decode().strip().splitlines()[-1]
    assert re.fullmatch(rf"wrote {re.escape(str(out))}/ \(2 conversations, \d+ utterances, \d+ speakers\)", last)
    utterances = (out / "utterances.jsonl").read_text(encoding="utf-8").count("\n")
    assert f", {utterances} utterances," in last


def test_batch_says_what_it_wrote(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run_cli("batch", DUET, str(SAMPLES / "standup.irc.txt"), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    turns = sum(len(json.loads(line)["analysis"]["turns"]) for line in out.read_text(encoding="utf-8").splitlines())
    assert proc.stderr.decode().strip().splitlines()[-1] == f"wrote {out} (2 transcripts, {turns} turns)"


def test_help_lists_every_command_with_a_one_line_summary():
    proc = run_cli("--help", env={"COLUMNS": "80"})
    assert proc.returncode == 0
    shown = proc.stdout.decode()
    commands = next(a for a in build_parser()._subparsers._actions if a.dest == "command").choices
    assert len(commands) >= 9
    lines = shown.splitlines()
    for name in commands:
        [row] = [i for i, line in enumerate(lines) if re.match(rf"    {name} +\S", line)]
        assert not re.match(r" {8,}\S", lines[row + 1]), f"{name}'s summary wraps: {lines[row + 1]!r}"
        assert len(lines[row]) <= 80
    assert "dialogue COMMAND --help" in shown
