"""The AIF nodeset: AIFdb's shape, IAT anchoring, the label mapping, and reading it back."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogue
from dialogue.analysis import Analysis, Move
from dialogue.errors import TranscriptError
from dialogue.model import Transcript, Turn
from dialogue.formats.aif import ILLOCUTIONS, from_aif, restates, to_aif, write_aif

ROOT = Path(__file__).resolve().parent.parent


def analysis_of(turns: list[tuple[str, str, str]], responds: dict[int, int] | None = None,
                source: str = "quarrel.txt") -> Analysis:
    """An analysis from (speaker, text, label) triples; `responds` sets Move.responds_to."""
    t = Transcript.from_pairs([(s, x) for s, x, _ in turns], source=source)
    responds = responds or {}
    return Analysis(transcript=t, moves=tuple(Move(i, label, 0.5, responds_to=responds.get(i))
                                             for i, (_, _, label) in enumerate(turns)))


QUARREL = [
    ("ROSA", "Where were you last night?", "neutral"),
    ("LEO", "Out. Why do you care?", "deflection"),
    ("ROSA", "You lied to me again.", "accusation"),
    ("LEO", "You're a spineless little toad.", "insult"),
    ("ROSA", "Because you never tell me anything.", "neutral"),
    ("LEO", "Fair point. I'm sorry.", "reconciliation"),
    ("Mary Ann", "You never tell me anything either!", "accusation"),
]


class Graph:
    """Lookups over a nodeset for the assertions below."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.nodes = {n["nodeID"]: n for n in doc["nodes"]}
        self.out: dict[str, list[str]] = {}
        self.into: dict[str, list[str]] = {}
        for e in doc["edges"]:
            self.out.setdefault(e["fromID"], []).append(e["toID"])
            self.into.setdefault(e["toID"], []).append(e["fromID"])

    def of_type(self, type_: str) -> list[dict]:
        return [n for n in self.doc["nodes"] if n["type"] == type_]

    def sources(self, node_id: str, type_: str) -> list[dict]:
        return [self.nodes[i] for i in self.into.get(node_id, []) if self.nodes[i]["type"] == type_]

    def targets(self, node_id: str, type_: str) -> list[dict]:
        return [self.nodes[i] for i in self.out.get(node_id, []) if self.nodes[i]["type"] == type_]

    def i_node(self, turn: int) -> dict:
        return self.of_type("I")[turn]

    def l_node(self, turn: int) -> dict:
        return self.of_type("L")[turn]


def assert_well_formed(doc: dict, analysis: Analysis) -> Graph:
    """The shape checks every nodeset must pass."""
    assert set(doc) == {"nodes", "edges", "locutions", "participants"} | ({"flows"} if analysis.flows else set())
    g = Graph(doc)
    ids = [n["nodeID"] for n in doc["nodes"]]
    assert len(ids) == len(set(ids)) and all(isinstance(i, str) for i in ids)
    assert len({e["edgeID"] for e in doc["edges"]}) == len(doc["edges"])
    for n in doc["nodes"]:
        assert set(n) >= {"nodeID", "text", "type", "timestamp"}
        assert n["type"] in {"L", "I", "YA", "TA", "CA", "MA", "RA"}
        assert ("scheme" in n) == (n["type"] not in {"L", "I"})
    for e in doc["edges"]:
        assert e["fromID"] in g.nodes and e["toID"] in g.nodes, f"dangling edge {e}"
    turns = analysis.transcript.turns
    assert [n["text"] for n in g.of_type("L")] == [f"{t.speaker} : {t.text}" for t in turns]
    assert [n["text"] for n in g.of_type("I")] == [t.text for t in turns]
    for i_node in g.of_type("I"):  # every I anchored: L -> YA -> I
        assert any(g.sources(ya["nodeID"], "L") for ya in g.sources(i_node["nodeID"], "YA")), i_node
    for s_node in g.of_type("CA") + g.of_type("MA") + g.of_type("RA"):
        assert len(g.sources(s_node["nodeID"], "I")) == 1 and len(g.targets(s_node["nodeID"], "I")) == 1
        anchors = g.sources(s_node["nodeID"], "YA")
        assert len(anchors) == 1 and g.sources(anchors[0]["nodeID"], "TA"), s_node
    for ta in g.of_type("TA"):
        assert len(g.sources(ta["nodeID"], "L")) == 1 and len(g.targets(ta["nodeID"], "L")) == 1
    for before, after in zip(g.of_type("L"), g.of_type("L")[1:]):  # consecutive locutions are linked
        assert any(g.targets(ta["nodeID"], "L") == [after] for ta in g.targets(before["nodeID"], "TA"))
    people = {p["participantID"] for p in doc["participants"]}
    assert [loc["nodeID"] for loc in doc["locutions"]] == [n["nodeID"] for n in g.of_type("L")]
    assert all(loc["personID"] in people for loc in doc["locutions"])
    assert len(people) == len(analysis.transcript.speaker_names)
    return g


def test_quarrel_nodeset_is_well_formed_and_reads_back():
    a = analysis_of(QUARREL)
    doc = to_aif(a)
    assert_well_formed(doc, a)
    assert Counter(n["type"] for n in doc["nodes"])["L"] == len(QUARREL)
    assert from_aif(doc) == a.transcript
    assert from_aif(json.loads(json.dumps(doc))) == a.transcript


def test_illocutions_follow_the_label_mapping():
    g = Graph(to_aif(analysis_of(QUARREL)))
    forces = [g.sources(g.i_node(i)["nodeID"], "YA")[0]["text"] for i in range(len(QUARREL))]
    assert forces[:4] == ["Pure Questioning", "Rhetorical Questioning", "Challenging", "Asserting"]
    assert forces[5] == "Asserting"
    assert set(ILLOCUTIONS) >= {"insult", "deflection", "reconciliation", "accusation", "neutral"}


def test_attacks_are_conflicts_anchored_by_disagreeing():
    g = Graph(to_aif(analysis_of(QUARREL)))
    ca_pairs = {(g.sources(ca["nodeID"], "I")[0]["text"], g.targets(ca["nodeID"], "I")[0]["text"])
                for ca in g.of_type("CA")}
    assert ("You're a spineless little toad.", "You lied to me again.") in ca_pairs  # insult -> answered turn
    assert ("Out. Why do you care?", "Where were you last night?") in ca_pairs  # deflection
    assert all(g.sources(ca["nodeID"], "YA")[0]["text"] == "Disagreeing" for ca in g.of_type("CA"))
    assert len(g.of_type("CA")) == 4  # deflection, accusation, insult, accusation; none for neutral


def test_reconciliation_agrees_with_the_turn_it_answers():
    g = Graph(to_aif(analysis_of(QUARREL, responds={5: 2})))
    agreeing = [ya for ya in g.of_type("YA") if ya["text"] == "Agreeing"]
    assert len(agreeing) == 1
    assert g.targets(agreeing[0]["nodeID"], "I") == [g.i_node(2)]
    ta = g.sources(agreeing[0]["nodeID"], "TA")[0]
    assert g.sources(ta["nodeID"], "L") == [g.l_node(2)] and g.targets(ta["nodeID"], "L") == [g.l_node(5)]


def test_echo_is_a_rephrase_and_because_is_an_argument():
    g = Graph(to_aif(analysis_of(QUARREL)))
    (ma,) = g.of_type("MA")
    assert g.sources(ma["nodeID"], "I") == [g.i_node(6)] and g.targets(ma["nodeID"], "I") == [g.i_node(4)]
    assert g.sources(ma["nodeID"], "YA")[0]["text"] == "Restating"
    (ra,) = g.of_type("RA")
    assert g.sources(ra["nodeID"], "I") == [g.i_node(4)] and g.targets(ra["nodeID"], "I") == [g.i_node(2)]
    assert g.sources(ra["nodeID"], "YA")[0]["text"] == "Arguing"


def test_responding_to_an_earlier_turn_adds_its_own_transition():
    a = analysis_of([("A", "You broke it.", "accusation"), ("A", "Say something.", "neutral"),
                     ("B", "Whatever.", "deflection")], responds={2: 0})
    g = assert_well_formed(to_aif(a), a)
    assert len(g.of_type("TA")) == 3
    (ca,) = g.of_type("CA")
    assert g.targets(ca["nodeID"], "I") == [g.i_node(0)]


def test_a_long_monologue_builds_in_linear_time():
    n = 20000  # one speaker: a scan back for "the other speaker" per turn would be quadratic
    a = analysis_of([("ROSA", "Because I said so.", "neutral")] * n)
    doc = to_aif(a)
    assert sum(1 for node in doc["nodes"] if node["type"] == "RA") == n - 1
    assert not [node for node in doc["nodes"] if node["type"] == "CA"]


def test_unknown_label_is_default_illocuting_without_relations():
    g = Graph(to_aif(analysis_of([("A", "Hi there.", "neutral"), ("B", "Nice hat.", "sarcasm")])))
    assert g.sources(g.i_node(1)["nodeID"], "YA")[0]["text"] == "Default Illocuting"
    assert not g.of_type("CA") and not g.of_type("MA")


def test_restates_needs_most_words_shared():
    assert restates("You never tell me anything either!", "Because you never tell me anything.")
    assert restates("Whatever.", "whatever")
    assert not restates("I love you.", "You are a toad.")
    assert not restates("", "anything")


def test_timestamps_use_the_turns_own_time_else_a_synthetic_clock():
    turns = [Turn(index=0, speaker="A", text="x", line=1, timestamp="00:01:02,500", end="00:01:04,000"),
             Turn(index=1, speaker="B", text="y", line=2, timestamp="2024-03-05T14:05:00"),
             Turn(index=2, speaker="A", text="z", line=3, timestamp="yesterday"),
             Turn(index=3, speaker="B", text="w", line=4),
             Turn(index=4, speaker="A", text="v", line=5, timestamp="12/03/2024, 19:02"),
             Turn(index=5, speaker="B", text="u", line=6, timestamp="3/14/24, 7:05 PM")]
    a = Analysis(transcript=Transcript.from_turns(turns), moves=tuple(Move(i) for i in range(6)))
    doc = to_aif(a)
    stamps = [loc["timestamp"] for loc in doc["locutions"]]
    assert stamps == ["2000-01-01 00:01:02", "2024-03-05 14:05:00", "2000-01-01 00:00:02", "2000-01-01 00:00:03",
                      "2024-03-12 19:02:00", "2024-03-14 19:05:00"]
    assert doc["locutions"][0]["start"] == "00:01:02,500" and doc["locutions"][0]["end"] == "00:01:04,000"


def test_participants_split_names_and_keep_joint_voices_whole():
    a = analysis_of([("Mary Ann Evans", "Hello.", "neutral"), ("LEO & KATE", "Hi!", "neutral"),
                     ("ROSA", "Line one\nline two", "neutral")])
    doc = to_aif(a)
    assert [(p["firstname"], p["surname"]) for p in doc["participants"]] == [
        ("Mary", "Ann Evans"), ("LEO & KATE", ""), ("ROSA", "")]
    assert from_aif(doc) == a.transcript


def test_reads_an_aifdb_style_nodeset_in_dialogue_order():
    # No locutions or participants, a wrapper, and nodes listed out of order: the TA chain decides.
    doc = {"AIF": {"nodes": [
        {"nodeID": "12", "text": "BOB : Because I am hungry.", "type": "L"},
        {"nodeID": "10", "text": "ANN : We should eat.", "type": "L"},
        {"nodeID": "14", "text": "Default Transition", "type": "TA"},
        {"nodeID": "11", "text": "We should eat.", "type": "I"}],
        "edges": [{"edgeID": "1", "fromID": "10", "toID": "14"}, {"edgeID": "2", "fromID": "14", "toID": "12"}],
        "locutions": []}}
    t = from_aif(doc, source="nodeset.json")
    assert [(turn.speaker, turn.text) for turn in t.turns] == [("ANN", "We should eat."),
                                                              ("BOB", "Because I am hungry.")]
    assert t.source == "nodeset.json"


def test_an_outside_aif_reader_sees_our_arguments():
    arguebuf = pytest.importorskip("arguebuf")  # recap-utr's argument graph library, when installed
    graph = arguebuf.load.aif(to_aif(analysis_of(QUARREL)))
    assert sorted(a.plain_text for a in graph.atom_nodes.values()) == sorted(x for _, x, _ in QUARREL)
    kinds = sorted(type(n.scheme).__name__ for n in graph.scheme_nodes.values())
    assert kinds == ["Attack"] * 4 + ["Rephrase", "Support"]


def test_odd_lists_in_a_nodeset_are_ignored():
    doc = {"nodes": [{"nodeID": "1", "text": "ANN : Hi.", "type": "L"}, "junk"], "edges": 5,
           "locutions": {"a": 1}, "participants": [None]}
    assert [(t.speaker, t.text) for t in from_aif(doc).turns] == [("ANN", "Hi.")]


@pytest.mark.parametrize("doc", [{}, {"nodes": "x"}, {"nodes": [{"nodeID": "1", "text": "p", "type": "I"}]}])
def test_not_a_dialogue_nodeset_is_a_transcript_error(doc):
    with pytest.raises(TranscriptError):
        from_aif(doc)


def test_write_aif_writes_json_that_reads_back(tmp_path):
    a = analysis_of(QUARREL)
    out = tmp_path / "q.aif.json"
    write_aif(a, out)
    assert from_aif(json.loads(out.read_text(encoding="utf-8"))) == a.transcript
    assert dialogue.load_json(out) == a.transcript  # load_json knows a nodeset when it sees one


_speakers = st.sampled_from(["ROSA", "LEO", "Mary Ann", "A & B"])
_texts = st.sampled_from(["You liar.", "Why?", "Because I said so.", "Sorry.", "You liar!", "Fine.", ""])
_labels = st.sampled_from(["insult", "deflection", "reconciliation", "accusation", "neutral", "other"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_speakers, _texts, _labels), max_size=8), st.data())
def test_any_analysis_gives_a_well_formed_nodeset(turns, data):
    n = len(turns)
    responds = {i: data.draw(st.integers(0, i)) for i in range(n) if data.draw(st.booleans())}
    a = analysis_of(turns, responds=responds)
    doc = to_aif(a)
    assert_well_formed(doc, a)
    assert from_aif(doc) == a.transcript if turns else not from_aif(doc).turns


def test_render_aif_json_from_the_command_line(tmp_path):
    src = tmp_path / "quarrel.txt"
    src.write_text("".join(f"{s}: {x}\n" for s, x, _ in QUARREL), encoding="utf-8")
    out = tmp_path / "quarrel.aif.json"
    proc = subprocess.run([sys.executable, "-m", "dialogue", "render", str(src), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    t = from_aif(doc)
    assert [(turn.speaker, turn.text) for turn in t.turns] == [(s, x) for s, x, _ in QUARREL]
    assert len([n for n in doc["nodes"] if n["type"] == "L"]) == len(QUARREL)
