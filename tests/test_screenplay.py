"""Screenplays (Fountain 1.1 and indented plain-text scripts): fixtures give exactly their turns."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st
from scaling import assert_linear

import dialogue
from dialogue.detect import detect
from dialogue.fmt import format_chat


def parse(text: str, **kw) -> dialogue.Transcript:
    return dialogue.parse(text, dialect="screenplay", **kw)


def turns(t) -> list[tuple[str, str, int]]:
    return [(x.speaker, x.text, x.line) for x in t.turns]


def round_trip_key(t) -> list[tuple[str, str, str | None]]:
    """What `dialogue fmt` must keep: speakers, texts and gold labels."""
    return [(x.speaker, x.text, x.gold) for x in t.turns]


def test_fountain_fixture_turns_sections_extensions_and_directions():
    t = dialogue.parse_file(FIXTURES / "screenplay.fountain")
    assert t.dialect == "screenplay"
    assert turns(t) == [
        ("MINA", "Who ate my noodles?", 19),
        ("OSCAR", 'Define "your."', 23),
        ("MINA", "Don't you dare.\nI wrote my name on the lid.", 26),
        ("OSCAR", "I was starving, Mina.\nStarving, starving, oh so starving", 34),
        ("McKAY", "Is everything all right in here?", 49),
        ("MINA", "No.", 52),
        ("OSCAR", "Yes.", 55),
    ]
    assert [x.extension for x in t.turns] == [None, "O.S.", "cont'd", None, None, None, None]
    assert {x.section for x in t.turns} == {"INT. KITCHEN - NIGHT"}
    assert [(s.name, s.line, s.kind) for s in t.sections] == [
        ("INT. KITCHEN - NIGHT", 15, "scene"), ("ext. garden - day", 60, "scene"), ("FLASHBACK", 62, "scene")]
    first = t.turns[0].directions
    assert [(d.text, d.kind, d.line, d.turn) for d in first] == [("flatly", "parenthetical", 20, 0)]
    assert [(d.text, d.kind, d.line) for d in t.directions] == [
        ("FADE IN:", "transition", 9),
        ("ACT ONE", "section", 11),
        ("Mina finds the empty box.", "synopsis", 13),
        ("The fridge hums. MINA (40s) holds an empty takeaway box.", "action", 17),
        ("NOBODY MOVES.\nOscar edges in.", "action", 31),
        ("cut this beat?", "note", 32),
        ("line 31 note", "note", 35),
        ("BANG.", "action", 44),
        ("THE DOOR BURSTS OPEN.\nA neighbour peers in.", "action", 46),
        ("OSCAR", "dual", 55),
        ("CUT TO:", "transition", 58),
        ("THE END", "centered", 64),
        ("FADE OUT.", "transition", 68),
    ]
    assert t.metadata == (("title", "Leftovers"), ("credit", "Written by"), ("author", "Fixture Writer"),
                          ("contact", "1 Test Lane\nNowhere"))
    assert t.warnings == ()
    # the boneyard is gone entirely: its cut line is neither a turn nor a direction
    assert not any("was cut" in x.text for x in t.turns) and not any("cut." in d.text for d in t.directions)


def test_indented_plain_text_script():
    t = dialogue.parse_file(FIXTURES / "screenplay_plain.txt")
    assert t.dialect == "screenplay"
    assert turns(t) == [
        ("PRIYA", "You took the last umbrella.", 7),
        ("GIL", "You left it by the door.", 10),
        ("PRIYA", "By the door is where umbrellas live,\nGil.", 14),
        ("GIL", "I'll walk you home, then.", 20),
        ("PRIYA", "Thanks. Truly.", 27),
    ]
    assert [x.section for x in t.turns] == ["INT. BUS STOP - EARLY MORNING"] * 4 + ["EXT. PRIYA'S STREET - LATER"]
    assert t.turns[2].extension == "CONT'D"
    assert [(d.text, d.kind) for d in t.turns[1].directions] == [("shrugging", "parenthetical")]
    assert ("CUT TO:", "transition") in [(d.text, d.kind) for d in t.directions]


def test_sample_is_an_argument_with_gold_labels():
    t = dialogue.parse_file(SAMPLES / "screenplay.fountain")
    assert t.dialect == "screenplay" and t.warnings == ()
    assert t.speaker_names == ("ARLO", "JUNO")
    golds = [x.gold for x in t.turns if x.gold]
    assert "insult" in golds and "deflection" in golds and golds[-1] == "reconciliation"
    assert not any("{" in x.text or "*" in x.text for x in t.turns)


@pytest.mark.parametrize("text, expected", [
    # forced cue keeps its mixed case; several extensions are joined
    ("@McCLANE (V.O.) (CONT'D)\nHello.\n", [("McCLANE", "Hello.", 1)]),
    # a capitals line with a blank line after it is action, not a cue
    ("BOB\n\nSomething happens.\n", []),
    # `!` forces action; a cue-looking line that ends like a sentence is action too
    ("!BOB\nHi.\n\nTHE WALLS SHAKE VIOLENTLY.\nDust falls.\n", []),
    # a camera direction in capitals above action is not a character
    ("CLOSE ON THE DOOR\nIt creaks.\n\nANGLE ON MINA\nShe frowns.\n", []),
    # a colon ends a play cue, not a Fountain cue
    ("BOB:\nHi.\n", []),
    # a lower-case letter outside ASCII rules out a cue; capitals outside ASCII are fine
    ("ÉCOLE ÉTÉ\nBonjour.\n\nJOSÉ\nHola.\n\nÉcole\nNot a cue.\n",
     [("ÉCOLE ÉTÉ", "Bonjour.", 1), ("JOSÉ", "Hola.", 4)]),
    # dialogue runs to the blank line; a caps line inside it is speech
    ("ANA\nOne.\nTWO!\n\nBEN\nThree.\n", [("ANA", "One.\nTWO!", 1), ("BEN", "Three.", 5)]),
    # emphasis markers go, escaped ones stay, snake_case stays
    ("ANA\n***Really*** _now_, \\*sigh\\* my_var.\n", [("ANA", "Really now, *sigh* my_var.", 1)]),
])
def test_cue_rules(text, expected):
    assert turns(parse(text)) == expected


def test_contd_after_action_is_a_new_turn_and_dual_dialogue_is_recorded():
    t = parse("ANA\nOne.\n\nShe sits.\n\nANA (CONT'D)\nTwo.\n\nBEN ^\nThree.\n")
    assert turns(t) == [("ANA", "One.", 1), ("ANA", "Two.", 6), ("BEN", "Three.", 9)]
    assert t.turns[1].extension == "CONT'D"
    assert [(d.text, d.kind, d.line) for d in t.directions] == [("She sits.", "action", 4), ("BEN", "dual", 9)]


def test_parentheticals_are_directions_not_text():
    t = parse("ANA\n(beat)\nI said no.\n(louder)\nNo. (quietly) No.\n")
    assert t.turns[0].text == "I said no.\nNo. No."
    assert [(d.text, d.kind, d.line) for d in t.turns[0].directions] == [
        ("beat", "parenthetical", 2), ("louder", "parenthetical", 4), ("quietly", "parenthetical", 5)]


def test_title_page_only_at_the_top_and_fade_in_is_not_a_key():
    t = parse("FADE IN:\n\nANA\nHi.\n")
    assert t.metadata == () and turns(t) == [("ANA", "Hi.", 3)]
    assert [(d.text, d.kind) for d in t.directions] == [("FADE IN:", "transition")]
    later = parse("ANA\nHi.\n\nTitle: not a title page\n")
    assert later.metadata == ()


def test_scene_headings_forced_numbered_and_not_ellipses():
    t = parse(".INSIDE THE VAN #12#\n\nANA\nGo.\n\n...and then silence.\n\nI/E. CAR - MOVING\n\nBEN\nStop.\n")
    assert [(s.name, s.line) for s in t.sections] == [("INSIDE THE VAN", 1), ("I/E. CAR - MOVING", 8)]
    assert [x.section for x in t.turns] == ["INSIDE THE VAN", "I/E. CAR - MOVING"]
    assert ("...and then silence.", "action") in [(d.text, d.kind) for d in t.directions]


def test_notes_spanning_lines_and_boneyard_inside_dialogue():
    t = parse("ANA\nOne [[a note\nover two lines]] two. /* cut */ three.\n")
    assert t.turns[0].text == "One\ntwo. three."
    assert [(d.text, d.kind, d.line, d.column) for d in t.directions] == [
        ("a note over two lines", "note", 2, 5)]


@pytest.mark.parametrize("text", [
    "INT. HOUSE - DAY\n\nANA\nHi.\n\nBEN\nHello.\n",
    "Title: Test\nAuthor: Me\nCredit: by\nDraft date: today\n\nANA\nHi.\n\nBEN (V.O.)\nHello.\n\nANA\nBye.\n",
    "ANA\nHi there.\n\nBEN\n(beat)\nHello.\n\nANA\nBye now.\n",
    "int. kitchen - day\n\nMAYA\nHi.\n",
])
def test_detected_as_screenplay(text):
    assert detect(text) == "screenplay"


@pytest.mark.parametrize("text, dialect", [
    ("HAMLET:\nTo be.\n\nOPHELIA:\nMy lord.\n", "play"),
    ("KATE: YOU NEVER LISTEN\nLEO: I DO\n\nKATE: NO\nLEO: YES\n", "chat"),
    ("Int. is short for interior.\nA: ok\nB: fine\n", "chat"),
    ("est. 1990 and still going\nA: ok\n", "chat"),
])
def test_detection_does_not_steal_plays_or_chat(text, dialect):
    assert detect(text) == dialect


@pytest.mark.parametrize("name", ["screenplay.fountain", "screenplay_plain.txt"])
def test_fmt_round_trip(name):
    t = dialogue.parse_file(FIXTURES / name)
    again = dialogue.parse(format_chat(t))
    assert round_trip_key(again) == round_trip_key(t)


def test_sample_fmt_round_trip():
    t = dialogue.parse_file(SAMPLES / "screenplay.fountain")
    again = dialogue.parse(format_chat(t))
    assert round_trip_key(again) == round_trip_key(t)


#: Inputs that once made a pattern backtrack or a join repeat, built at size n; the test compares n and 10n
#: (n = 200k: the 2 MB inputs that took seconds before the fixes).
PATHOLOGICAL = {
    "one-long-word": lambda n: "A" * n + "\n",
    "many-words": lambda n: "BOB\n" + "word " * (n // 5) + "\n",
    "spaces": lambda n: " " * n + "x\n",
    "stars": lambda n: "BOB\n " + "*" * n + " \n",
    "underscores": lambda n: "BOB\n " + "_" * n + " \n",
    "scene-heading-spaces": lambda n: "INT. " + " " * n + "x #1\n",
    "nested-parentheses": lambda n: "BOB\n" + "(" * (n // 40) + ")" * (n // 40) + "\n",
    "cue-parentheses": lambda n: "BOB " + "(" * (n // 40) + ")" * (n // 40) + "\nhi\n",
    "extensions": lambda n: "BOB" + " (x)" * (n // 20) + "\nhi\n",
    "forced-cue": lambda n: "@" + "A" * n + "\nhi\n",
    "open-boneyards": lambda n: "/*\n\n" * (n // 100),
    "open-notes": lambda n: "BOB\n" + "[[ x " * (n // 20) + "\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_input_stays_linear(name):
    assert_linear(parse, PATHOLOGICAL[name], 200_000, name, repeat=2)


FRAGMENTS = st.sampled_from([
    "ANA", "BEN (V.O.)", "@McKAY", "ANA ^", "(beat)", "INT. HOUSE - DAY", ".HEAD", "CUT TO:", "> FADE OUT.",
    "> THE END <", "# ACT", "= synopsis", "===", "~la la", "!LOUD", "[[note]]", "/*", "*/", "*", "_", "\\",
    "Title: x", "    more", "  ", "{insult}", "(", ")", "ÉTÉ", "\n", "\n\n", "words here.",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_any_text_parses_to_turns_or_a_transcript_error(text):
    try:
        t = parse(text)
    except dialogue.TranscriptError:
        return
    assert all(x.line >= 1 and x.speaker for x in t.turns)
    again = dialogue.parse(format_chat(t))
    assert round_trip_key(again) == round_trip_key(t)
