"""The JSON documents: contract shape and key order, version, schema, round trips, located errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogue
from dialogue.formats import jsonio
from dialogue.analysis import Analysis, Arc, Cue, Exchange, Move, Phase, SpeakerFigures
from dialogue.errors import TranscriptError
from dialogue.model import Diagnostic, Direction, Section, Speaker, Transcript, Turn

ROOT = Path(__file__).resolve().parent.parent

jsonschema = pytest.importorskip("jsonschema")


def rich_transcript() -> Transcript:
    """Every field of the model set to something other than its default."""
    turns = (
        Turn(index=0, speaker="ROSA", text="You never call.\nNot once.", line=3, column=2, section="Verse 1",
             gold="accusation", timestamp="00:00:01.500", end="00:00:03.000", extension="(V.O.)",
             directions=(Direction("sighs", line=3, column=7, kind="adlib", turn=0),)),
        Turn(index=1, speaker="LEO & KATE", text="Talk to the hand — ça suffit.", line=5, section="Verse 1"),
    )
    return Transcript(
        turns=turns, source="songs/call.txt", dialect="lyrics",
        sections=(Section("Verse 1", line=2, kind="verse", performers=("ROSA", "LEO & KATE")),),
        speakers=(Speaker("ROSA", aliases=("R.",)), Speaker("LEO & KATE", members=("LEO", "KATE"))),
        directions=(Direction("Lights down.", line=1, kind="stage"),),
        metadata=(("title", "Call"), ("note", "one"), ("note", "two")),
        warnings=(Diagnostic("line fits no rule", line=4, column=1),),
    )


def rich_analysis() -> Analysis:
    t = rich_transcript()
    moves = (Move(0, "accusation", 0.75, (Cue("you-never", (0, 9), "accusation", 0.6, "absolute"),)),
             Move(1, "deflection", 0.5, (Cue("talk-to-the-hand", (0, 16), "deflection", 0.8),), responds_to=0))
    arc = Arc(tension=(0.5, 0.625), phases=(Phase("escalation", 0, 0), Phase("standoff", 1, 1)), climax=1,
              closing="standoff", speakers=(SpeakerFigures("ROSA", turns=1, accusations=1, first_attack=0),
                                           SpeakerFigures("LEO & KATE", turns=1, deflections=1)),
              escalated_first="ROSA", root_cause=0, root_cause_answered=False)
    return Analysis(transcript=t, moves=moves, exchanges=(Exchange(0, 1, "deflection"),), arc=arc)


def validator() -> jsonschema.Draft202012Validator:
    schema = jsonio.load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# -- shape -------------------------------------------------------------------------------------------------

def test_analysis_document_has_the_contract_keys_in_order():
    doc = json.loads(jsonio.dumps(jsonio.analysis_to_dict(rich_analysis())))
    assert list(doc)[:6] == ["version", "source", "speakers", "turns", "exchanges", "arc"]
    assert doc["version"] == jsonio.SCHEMA_VERSION
    assert doc["speakers"] == ["ROSA", "LEO & KATE"]
    assert list(doc["turns"][0])[:9] == ["index", "speaker", "text", "line", "section", "gold", "label",
                                         "score", "cues"]
    assert doc["turns"][0]["cues"][0]["span"] == [0, 9]
    assert doc["turns"][1]["text"] == "Talk to the hand — ça suffit."
    assert list(doc["arc"])[:3] == ["tension", "climax", "phases"]
    assert doc["arc"]["phases"][1] == {"name": "standoff", "start": 1, "end": 1}
    assert doc["exchanges"] == [{"initiation": 0, "response": 1, "label": "deflection"}]


def test_transcript_document_has_no_classification_fields():
    doc = jsonio.transcript_to_dict(rich_transcript())
    assert list(doc)[:4] == ["version", "source", "speakers", "turns"]
    assert not {"exchanges", "arc"} & set(doc)
    assert all(not {"label", "score", "cues"} & set(turn) for turn in doc["turns"])
    assert doc["turns"][0]["gold"] == "accusation"


def test_dumps_is_indented_utf8_with_one_line_leaf_lists():
    text = jsonio.dumps(jsonio.analysis_to_dict(rich_analysis()))
    assert text.endswith("}\n")
    assert "ça suffit" in text and "\\u" not in text
    assert '\n  "source": "songs/call.txt",' in text
    assert '"span": [0, 9]' in text
    assert '"tension": [0.5, 0.625]' in text


# -- round trips -------------------------------------------------------------------------------------------

def test_transcript_round_trip_keeps_every_field():
    t = rich_transcript()
    assert jsonio.load_json(jsonio.dumps(jsonio.transcript_to_dict(t))) == t


def test_analysis_round_trip_from_text_dict_and_path(tmp_path):
    a = rich_analysis()
    text = jsonio.dumps(jsonio.analysis_to_dict(a))
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    assert jsonio.load_json(text) == a
    assert jsonio.load_json(json.loads(text)) == a
    assert jsonio.load_json(path) == a
    assert dialogue.load_json(str(path)) == a


def test_plain_speaker_list_needs_no_cast():
    t = Transcript.from_pairs([("A", "hi"), ("B", "yo")])
    doc = jsonio.transcript_to_dict(t)
    assert "cast" not in doc
    assert jsonio.load_json(doc) == t
    bare = Transcript(turns=t.turns)  # no speaker list at all still round-trips
    assert jsonio.load_json(jsonio.transcript_to_dict(bare)) == bare


def test_speakers_lists_who_speaks_and_the_cast_travels_apart():
    t = Transcript.from_turns([Turn(index=0, speaker="LEO", text="Hi.", line=1)],
                              speakers=(Speaker("NURSE"), Speaker("LEO", aliases=("Leonard",))))
    doc = jsonio.transcript_to_dict(t)
    assert doc["speakers"] == ["LEO"]
    assert [c["name"] for c in doc["cast"]] == ["NURSE", "LEO"]
    assert jsonio.load_json(doc) == t


def test_contract_example_without_version_loads():
    doc = {"source": "name.txt", "speakers": ["ROSA", "LEO"],
           "turns": [{"index": 0, "speaker": "ROSA", "text": "...", "line": 1, "section": None, "gold": None,
                      "label": "insult", "score": 0.92, "cues": [{"rule": "second-person-epithet",
                                                                  "span": [7, 15]}]},
                     {"index": 1, "speaker": "LEO", "text": "...", "line": 2, "section": None, "gold": None,
                      "label": "deflection", "score": 1, "cues": []}],
           "exchanges": [{"initiation": 0, "response": 1, "label": "deflection"}],
           "arc": {"tension": [0.4, 0.55], "climax": 1, "phases": [{"name": "escalation", "start": 0, "end": 1}]}}
    a = jsonio.load_json(doc)
    assert isinstance(a, Analysis)
    assert a.moves[0].cues[0] == Cue("second-person-epithet", (7, 15))
    assert a.moves[1].score == 1.0 and a.arc.climax == 1
    assert not list(validator().iter_errors(doc))


_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
_labels = st.sampled_from(["insult", "deflection", "reconciliation", "accusation", "neutral", "sarcasm"])
_unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    pairs = draw(st.lists(st.tuples(_names, st.text(max_size=40)), min_size=0, max_size=6))
    t = Transcript.from_turns(
        [Turn(index=0, speaker=s, text=x, line=i + 1, gold=draw(st.none() | _labels),
              timestamp=draw(st.none() | _names)) for i, (s, x) in enumerate(pairs)],
        source=draw(_names))
    n = len(t.turns)
    moves = tuple(Move(i, draw(_labels), draw(_unit),
                       tuple(Cue(draw(_names), (draw(st.integers(0, 50)), draw(st.integers(0, 50))),
                                 draw(_labels), draw(_unit)) for _ in range(draw(st.integers(0, 2)))),
                       responds_to=draw(st.none() | st.integers(0, max(n - 1, 0))))
                  for i in range(n))
    arc = Arc(tension=tuple(draw(_unit) for _ in range(n)),
              phases=(Phase("opening", 0, n - 1),) if n else (), climax=draw(st.none() | st.integers(0, 9)),
              closing=draw(st.sampled_from(["none", "reconciled", "unreconciled"])))
    return Analysis(transcript=t, moves=moves, arc=arc,
                    exchanges=tuple(Exchange(i - 1, i, m.label) for i, m in enumerate(moves) if i))


@settings(max_examples=60, deadline=None)
@given(analyses())
def test_any_analysis_round_trips_and_fits_the_schema(a):
    text = jsonio.dumps(jsonio.analysis_to_dict(a))
    assert jsonio.load_json(text) == a
    assert not [e.message for e in validator().iter_errors(json.loads(text))]
    t = a.transcript
    doc = json.loads(jsonio.dumps(jsonio.transcript_to_dict(t)))
    assert jsonio.load_json(doc) == t
    assert not [e.message for e in validator().iter_errors(doc)]


# -- schema ------------------------------------------------------------------------------------------------

def test_schema_ships_inside_the_package():
    assert jsonio.SCHEMA_PATH.is_file()
    assert jsonio.SCHEMA_PATH.parent.parent == Path(dialogue.__file__).parent
    assert jsonio.load_schema()["$defs"]["analysisDocument"]["required"] == ["exchanges", "arc"]


def test_schema_accepts_both_documents_and_rejects_drift():
    v = validator()
    good = json.loads(jsonio.dumps(jsonio.analysis_to_dict(rich_analysis())))
    assert not list(v.iter_errors(good))
    assert not list(v.iter_errors(jsonio.transcript_to_dict(rich_transcript())))
    bad = json.loads(json.dumps(good))
    bad["turns"][0]["score"] = 1.5
    bad["turns"][1]["labell"] = "typo"
    messages = " ".join(e.message for e in v.iter_errors(bad))
    assert "1.5 is greater than the maximum of 1" in messages and "labell" in messages
    transcript_with_label = jsonio.transcript_to_dict(rich_transcript())
    transcript_with_label["turns"][0]["label"] = "insult"
    assert list(v.iter_errors(transcript_with_label))
    newer = dict(good, version=2)
    assert list(v.iter_errors(newer))


# -- errors ------------------------------------------------------------------------------------------------

def test_bad_json_is_located():
    with pytest.raises(TranscriptError) as info:
        jsonio.load_json('{\n  "turns": [\n    {"index": 0,,}\n  ]\n}')
    assert (info.value.line, info.value.column) == (3, 17)
    assert "invalid JSON" in info.value.message


def test_bad_json_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"turns": [}', encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        jsonio.load_json(path)
    assert info.value.located().startswith(f"{path}:1:12: error: invalid JSON")


@pytest.mark.parametrize("doc, message", [
    ('[1, 2]', "expected a JSON object at the top level, got a list"),
    ('{"version": 99, "turns": []}', "version: document version 99 is newer"),
    ('{"version": "1", "turns": []}', "version: expected a positive integer"),
    ('{"source": "x"}', "missing key 'turns'"),
    ('{"turns": [{"index": 0, "speaker": "A", "text": "x"}]}', "turns[0]: missing key 'line'"),
    ('{"turns": [{"index": 0, "speaker": 7, "text": "x", "line": 1}]}', "turns[0].speaker: expected a string, got an integer"),
    ('{"turns": [{"index": 1, "speaker": "A", "text": "x", "line": 1}]}', "turns[0].index: expected 0, got 1"),
    ('{"arc": {}, "turns": [{"index": 0, "speaker": "A", "text": "x", "line": 1, "score": 2}]}',
     "turns[0].score: must lie in 0..1"),
    ('{"arc": {"tension": [true]}, "turns": []}', "arc.tension[0]: expected a number, got a boolean"),
    (('{"exchanges": [], "turns": [{"index": 0, "speaker": "A", "text": "x", "line": 1, '
      '"cues": [{"rule": "r", "span": [1]}]}]}'), "turns[0].cues[0].span: expected [start, end]"),
])
def test_wrong_shape_is_a_clear_transcript_error(doc, message):
    with pytest.raises(TranscriptError) as info:
        jsonio.load_json(doc)
    assert message in info.value.message
    assert isinstance(info.value, ValueError)


def test_load_analysis_insists_on_an_analysis(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(jsonio.dumps(jsonio.transcript_to_dict(rich_transcript())), encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        jsonio.load_analysis(path)
    assert info.value.located().startswith(f"{path}: error: a transcript document, not an analysis")
    assert jsonio.load_analysis(jsonio.analysis_to_dict(rich_analysis())) == rich_analysis()


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000])
def test_absurd_nesting_is_an_input_error_not_a_crash(text):
    with pytest.raises(TranscriptError, match="nested too deeply"):
        jsonio.load_json(text)


def test_missing_file_is_a_transcript_error(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        jsonio.load_json(tmp_path / "nope.json")


# -- the command line writes what the reader reads ----------------------------------------------------------

def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dialogue", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, timeout=60, check=False)


def test_parse_json_from_the_cli_loads_back_and_fits_the_schema():
    proc = _run("parse", "--json", "-", stdin="ROSA: You never call. {accusation}\nLEO: I called twice.\n")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert not [e.message for e in validator().iter_errors(doc)]
    t = jsonio.load_json(doc)
    assert isinstance(t, Transcript)
    assert [(turn.speaker, turn.text, turn.gold) for turn in t.turns] == [
        ("ROSA", "You never call.", "accusation"), ("LEO", "I called twice.", None)]


def test_analyze_json_from_the_cli_loads_back_and_fits_the_schema():
    proc = _run("analyze", "--json", "-", stdin="ROSA: You are a toad.\nLEO: Look who's talking.\n"
                                                 "ROSA: Sorry, that was unfair.\n")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert not [e.message for e in validator().iter_errors(doc)]
    a = jsonio.load_json(doc)
    assert isinstance(a, Analysis) and len(a.moves) == 3
    assert jsonio.dumps(jsonio.analysis_to_dict(a)) == proc.stdout
