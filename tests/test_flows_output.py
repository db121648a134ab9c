"""Shared flows where people look: JSON (schema, round trip, bad input), DOT, HTML, the terminal, AIF,
ConvoKit and the SQLite rows."""

from __future__ import annotations

import json
from html import escape as html_escape

import attrs
import jsonschema
import pytest

import dialogue
from dialogue.analysis import Cue
from conftest import SAMPLES, run_cli
from dialogue.formats import aif, convokit, jsonio
from dialogue.render import dot, graph, html
from dialogue.store import rows_of

BATTLE = SAMPLES / "flows-battle.lyrics.txt"


@pytest.fixture(scope="module")
def battle() -> dialogue.Analysis:
    return dialogue.analyze(dialogue.parse_file(BATTLE))


def test_analyze_json_has_the_flows_and_loads_back(battle):
    proc = run_cli("analyze", "--json", str(BATTLE))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout.decode())
    assert doc["flows"][0] == {"turns": [0, 1], "kind": "rhyme", "words": ["skrrt", "hurt"], "strength": 0.8}
    assert len(doc["flows"]) == len(battle.flows)
    jsonschema.validate(doc, jsonio.load_schema())
    again = jsonio.load_json(doc)
    assert again.flows == battle.flows and again == battle


def test_no_flows_is_an_empty_list_and_old_documents_load():
    proc = run_cli("analyze", "--json", "-", stdin=b"ROSA: You are a toad.\nLEO: Look who's talking.\n")
    doc = json.loads(proc.stdout.decode())
    assert doc["flows"] == []
    del doc["flows"]
    assert jsonio.load_json(doc).flows == ()


@pytest.mark.parametrize("flow, message", [
    ({"turns": [3, 1], "kind": "rhyme", "words": []}, "flows[0].turns: must be two turn indexes"),
    ({"turns": [0, 99], "kind": "rhyme", "words": []}, "flows[0].turns: must be two turn indexes"),
    ({"turns": [0, 1], "kind": "assonance", "words": []}, 'flows[0].kind: "assonance" is not one of "rhyme" or "metre"'),
    ({"turns": [0, 1], "kind": "rhyme", "words": [3]}, "flows[0].words[0]: expected a string"),
    ({"turns": [0, 1], "kind": "rhyme", "words": [], "strength": 2}, "flows[0].strength: 2 is greater than the maximum of 1"),
])
def test_bad_flows_in_json_are_located_errors(tmp_path, battle, flow, message):
    doc = jsonio.analysis_to_dict(battle)
    doc["flows"] = [flow]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(dialogue.TranscriptError) as info:
        jsonio.load_json(path)
    assert message in info.value.located() and str(path) in info.value.located()


def test_dot_has_a_flow_edge_with_the_words_escaped(battle):
    hostile = dialogue.analyze(dialogue.parse(
        "[V: A & B]\nA: I sang it loud into the <b>night\nB: You sang it back, \"alright\"\n",
        source="x.lyrics.txt", dialect="lyrics"))
    assert hostile.flows
    source = dot.digraph(hostile).source
    edge = next(line for line in source.splitlines() if 'class="flow rhyme"' in line)
    assert edge.lstrip().startswith("t0 -> t1") and "night / alright" in edge and "<b>" not in edge
    edges = [e for e in graph.build_graph(battle).edges if e.kind == "flow"]
    assert [(e.tail, e.head, e.label) for e in edges][:2] == [("t0", "t1", "rhyme"), ("t2", "t3", "metre")]
    assert dot.digraph(battle).source == dot.digraph(battle).source  # stable


def test_html_marks_the_rhyme_words_in_both_turns_and_draws_the_track(battle):
    page = html.html_page(battle)
    for word in ("skrrt", "hurt", "ringtone", "throne"):
        assert f'<mark class="rhyme">{word}</mark>' in page
    assert 'id="flowtrack"' in page and page.count('<path class="flow rhyme"') == \
        sum(f.kind == "rhyme" for f in battle.flows)


def test_a_rhyme_inside_whole_turn_evidence_is_still_marked_nested(battle):
    # A whole-turn cue (an unengaged reply, say) must not hide the rhyme words it covers.
    flow = next(f for f in battle.flows if f.kind == "rhyme")
    index = flow.turns[1]
    text = battle.transcript.turns[index].text
    move = attrs.evolve(battle.moves[index], label="deflection",
                        cues=(Cue("deflection.unengaged", (0, len(text)), "deflection", 1.0),))
    moves = battle.moves[:index] + (move,) + battle.moves[index + 1:]
    page = html.html_page(attrs.evolve(battle, moves=moves))
    word = flow.words[1]
    at = text.lower().rindex(word)
    marked = (html_escape(text[:at]) + f'<mark class="rhyme">{html_escape(text[at:at + len(word)])}</mark>'
              + html_escape(text[at + len(word):]))
    assert f"<mark>{marked}</mark>" in page


def test_analyze_prints_a_line_per_flow(battle):
    proc = run_cli("analyze", str(BATTLE))
    lines = [line for line in proc.stdout.decode().splitlines() if line.startswith("flow ")]
    assert len(lines) == len(battle.flows)
    assert lines[0] == "flow      turn 1 (NOVA) picks up the rhyme of turn 0 (VEX): \u201cskrrt\u201d / \u201churt\u201d (full)"


def test_aif_and_convokit_carry_the_flows(battle):
    doc = aif.to_aif(battle)
    l_nodes = [n["nodeID"] for n in doc["nodes"] if n["type"] == "L"]
    assert doc["flows"][0] == {"fromID": l_nodes[0], "toID": l_nodes[1], "kind": "rhyme", "words": ["skrrt", "hurt"]}
    assert "flows" not in aif.to_aif(dialogue.analyze(dialogue.parse("A: hi\nB: hello\n", source="c.txt")))
    utts = convokit.utterances(battle, "battle")
    assert utts[1]["meta"]["flows"] == [{"from": "battle-0", "kind": "rhyme", "words": ["skrrt", "hurt"],
                                         "strength": 0.8}]
    assert utts[0]["meta"]["flows"] == []


def test_sqlite_rows_hold_the_flows(battle):
    rows = rows_of(battle)[6]
    assert [(r[2], r[3], r[4], json.loads(r[5])) for r in rows] == \
        [(f.turns[0], f.turns[1], f.kind, list(f.words)) for f in battle.flows]


def test_flows_are_the_same_whatever_the_hash_seed():
    import os
    import subprocess
    import sys

    from conftest import ROOT
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run([sys.executable, "-m", "dialogue", "analyze", "--json", str(BATTLE)],
                              capture_output=True, env=env, cwd=ROOT, timeout=120)
        outputs.add(json.dumps(json.loads(proc.stdout)["flows"]))
    assert len(outputs) == 1
