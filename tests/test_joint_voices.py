"""Joint voices (`KATE & LEO`, `ALL`, `BOTH`) are performances, not people: counted apart in every view,
kept as they were in the JSON."""

from __future__ import annotations

import json

import pytest

import dialogue
from dialogue.model import Speaker, is_joint_voice
from dialogue.render import dot as dotmod
from dialogue.render.html import html_page
from dialogue.report import format_analysis, format_turns

from conftest import SAMPLES, run_cli

DUET = SAMPLES / "duet.lyrics.txt"
FIGHT_THEN_BOTH = """ROSA:
You lied to me about the money.

LEO:
You're a pathetic liar yourself.

ROSA:
You idiot.

BOTH:
I'm sorry, let's stop this.
"""


@pytest.mark.parametrize("name, joint", [
    ("KATE & LEO", True), ("A & B & C", True), ("ALL", True), ("Both", True), ("Both Tribunes", True),
    ("All Conspirators", True), ("everyone", True), ("KATE", False), ("AT&T", False), ("Allan", False),
    ("Chorus", False), ("Tom & ", False), ("", False)])
def test_which_names_are_joint_voices(name, joint):
    assert is_joint_voice(name) is joint
    assert Speaker(name).is_joint is joint


def duet():
    return dialogue.analyze(dialogue.parse(DUET.read_text(encoding="utf-8"), source="duet.lyrics.txt"))


def test_the_duet_has_two_people_and_one_joint_voice():
    analysis = duet()
    t = analysis.transcript
    assert t.people == ("KATE", "LEO") and t.joint_voices == ("KATE & LEO",)
    assert [f.speaker for f in analysis.arc.people] == ["KATE", "LEO"]
    assert [f.speaker for f in analysis.arc.joint_voices] == ["KATE & LEO"]
    assert "2 speakers (+1 joint voice: KATE & LEO)" in format_turns(t)
    text = format_analysis(analysis)
    assert "2 speakers (+1 joint voice: KATE & LEO)" in text.splitlines()[0]
    arc = text[text.index("── arc"):].splitlines()
    people, joint = arc.index("speakers"), arc.index("joint voices, counted apart")
    assert [line.split()[0] for line in arc[people + 1:joint]] == ["KATE", "LEO"]
    assert arc[joint + 1].lstrip().startswith("KATE & LEO")


def test_the_html_and_the_graph_count_people_apart_from_joint_voices():
    analysis = duet()
    page = html_page(analysis)
    assert "20 turns, 2 speakers (+1 joint voice: KATE &amp; LEO)</h1>" in page
    assert "per-speaker figures (2 speakers, 1 joint voice)" in page
    assert '<tr class="joint"><td>KATE &amp; LEO <span class="joint">(joint voice)</span>' in page
    assert "3 speakers" not in page
    assert "2 speakers (+1 joint voice: KATE & LEO)" in dotmod.build_graph(analysis).title


def test_the_json_keeps_every_voice_and_round_trips():
    proc = run_cli("analyze", str(DUET), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["speakers"] == ["KATE & LEO", "KATE", "LEO"]                # the contract: every turn speaker
    assert [f["speaker"] for f in doc["arc"]["speakers"]] == ["KATE & LEO", "KATE", "LEO"]
    again = dialogue.load_json(proc.stdout.decode("utf-8"))
    assert [f.speaker for f in again.arc.joint_voices] == ["KATE & LEO"]


def test_a_collective_voice_repairing_is_the_disputants_own_repair():
    analysis = dialogue.analyze(dialogue.parse(FIGHT_THEN_BOTH, source="both.txt"))
    assert analysis.transcript.dialect == "play" and analysis.moves[3].label == "reconciliation"
    assert analysis.arc.closing == "reconciled"                            # not a third party's
    assert analysis.transcript.people == ("ROSA", "LEO")
    assert "2 speakers (+1 joint voice: BOTH)" in format_analysis(analysis)


def test_the_parse_command_counts_people():
    proc = run_cli("parse", str(DUET))
    assert proc.returncode == 0, proc.stderr
    assert "2 speakers (+1 joint voice: KATE & LEO)" in proc.stdout.decode("utf-8").splitlines()[0]
