"""Parsing: each dialect's fixture gives exactly its turns; the shared play text; detection; errors."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

import dialogue
from dialogue.fmt import format_chat
from dialogue.model import DIALECTS

from conftest import FIXTURES, HOSTILE_WHATSAPP, SAMPLES, chat_turns, err, pairs, parse_json, run_cli
from scaling import assert_linear


def turns_of(name: str, **kw):
    t = dialogue.parse_file(FIXTURES / name, **kw)
    return t, [(x.speaker, x.text, x.line) for x in t.turns]


def test_chat_with_timestamps_cast_directions_and_gold():
    t, turns = turns_of("chat_timestamped.txt")
    assert t.dialect == "chat"
    assert turns == [
        ("KAT", "time: 10:30: fine", 7),
        ("Leo", "you're late\nand I waited", 8),
        ("KAT", "Whatever.", 11),
        ("Leo", "http://example.com is the link", 12),
    ]
    assert [x.gold for x in t.turns] == [None, "accusation", "deflection", None]
    assert [x.timestamp for x in t.turns[:2]] == ["19:02", "19:03"]
    assert t.turns[1].directions[0].text == "quietly"
    assert t.turns[2].directions[0].text == "sighs"
    assert dict(t.metadata)["title"] == "fixture"
    assert {d.kind for d in t.directions} >= {"comment", "direction"}
    kat = next(s for s in t.speakers if s.name == "KAT")
    assert {"k", "katherine"} <= set(kat.aliases)


def test_irc_actions_and_system_lines_are_not_turns():
    t, turns = turns_of("irc.txt")
    assert t.dialect == "irc"
    assert turns == [("ana", "hello there", 2), ("bo", "hi <3", 3), ("cy", "late again", 5)]
    kinds = [(d.kind, d.text) for d in t.directions]
    assert ("action", "bo waves") in kinds
    assert any(k == "system" for k, _ in kinds)


def test_whatsapp_android_and_ios_with_narrow_no_break_space_and_continuations():
    t, turns = turns_of("whatsapp.txt")
    assert t.dialect == "whatsapp"
    assert turns == [("Priya Shah", "who ate\nmy leftovers", 2), ("Sam", "not me", 4), ("Dev", "me", 5)]
    assert t.turns[0].timestamp == "12/03/2024, 7:02\u202fPM"
    assert t.turns[2].timestamp == "12/03/2024, 19:04:41"
    assert [d.kind for d in t.directions] == ["system"]


def test_play_cues_alone_speech_until_blank_and_headings():
    t, turns = turns_of("play.txt")
    assert t.dialect == "play"
    assert turns == [
        ("NELL", "Against him first: he's a very dog to the commonalty.\nSpeak:", 5),
        ("TOM", "I will not.", 9),
        ("Second murderer", "Ay.", 12),
    ]
    assert [s.name for s in t.sections] == ["ACT II", "SCENE 3. A kitchen."]
    assert [d.text for d in t.turns[1].directions] == ["aside", "Exit"]
    assert "Exeunt" in [d.text for d in t.directions]


def test_lyrics_headers_performers_cues_and_adlibs():
    t, turns = turns_of("lyrics.txt")
    assert t.dialect == "lyrics"
    assert [x[:2] for x in turns] == [
        ("Unknown", "Ooh, yeah"),
        ("Ana", "You never call"),
        ("Ana", "Listen: that's the truth"),
        ("Ana & Bo", "We sing together"),
        ("Bo", "my own line\nstill mine"),
        ("Bo", "Bo's verse here"),
    ]
    assert t.turns[1].adlibs == ("never call",)
    assert t.turns[1].gold == "accusation"
    assert [x.section for x in t.turns] == ["Intro", "Verse 1", "Verse 1", "Chorus", "Chorus", "Verse 2"]
    chorus = next(s for s in t.sections if s.name == "Chorus")
    assert chorus.performers == ("Ana", "Bo")
    joint = next(s for s in t.speakers if s.name == "Ana & Bo")
    assert joint.members == ("Ana", "Bo") and joint.is_joint


def test_model_case_duet_alternates_and_ends_reconciled_in_gold():
    t = dialogue.parse_file(SAMPLES / "duet.lyrics.txt")
    assert t.dialect == "lyrics"
    speakers = {x.speaker for x in t.turns}
    assert speakers == {"KATE", "LEO", "KATE & LEO"}
    golds = [x.gold for x in t.turns if x.gold]
    assert golds.count("insult") >= 5 and golds[-1] == "reconciliation"


@pytest.mark.parametrize("path", sorted(p.name for p in SAMPLES.glob("*") if p.is_file()))
def test_every_sample_parses_without_warnings(path):
    t = dialogue.parse_file(SAMPLES / path)
    assert len(t.turns) >= 5
    assert t.warnings == ()


def test_shared_play_text_has_exactly_its_speeches(shakespeare_text):
    t = dialogue.parse(shakespeare_text, source="input.txt")
    lines = shakespeare_text.split("\n")
    cues = [i + 1 for i, line in enumerate(lines) if line.endswith(":") and (i == 0 or not lines[i - 1])]
    assert t.dialect == "play"
    assert len(t.turns) == 7222 == len(cues)
    assert [x.line for x in t.turns] == cues
    # every word of speech is kept and no line of speech became a cue
    speech_words = sum(len(line.split()) for i, line in enumerate(lines) if line and i + 1 not in set(cues))
    assert sum(len(x.text.split()) for x in t.turns) == speech_words
    assert t.warnings == ()


def test_cast_maps_aliases_to_one_speaker():
    t = dialogue.parse("---\ncast:\n  KENDRICK: K, Kendrick\n---\nK: one\nKendrick: two\nKENDRICK: three\n")
    assert {x.speaker for x in t.turns} == {"KENDRICK"}


def test_case_variants_are_one_speaker_with_first_spelling():
    t = dialogue.parse("Maya: a\nMAYA: b\nmaya: c\n")
    assert [x.speaker for x in t.turns] == ["Maya"] * 3


@pytest.mark.parametrize("text, dialect", [
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi\n", "webvtt"),
    ("1\n00:00:01,000 --> 00:00:02,000\nAnn: hi\n", "srt"),
    ("[Verse 1: A]\nla la\n", "lyrics"),
    ("HAMLET:\nTo be.\n\nOPHELIA:\nMy lord.\n", "play"),
    ("A: hi\nB: hello\n", "chat"),
    ("[10:00] <a> hi\n[10:01] <b> yo\n", "irc"),
    ("12/03/2024, 19:02 - A: hi\n12/03/2024, 19:03 - B: yo\n", "whatsapp"),
])
def test_detection(text, dialect):
    from dialogue.detect import detect
    assert detect(text) == dialect


def test_forced_dialect_overrides_detection():
    t = dialogue.parse("A: hi\nB: hello\n", dialect="lyrics")
    assert t.dialect == "lyrics"
    with pytest.raises(dialogue.UsageError):
        dialogue.parse("A: hi\n", dialect="klingon")


def test_strict_fails_on_first_problem_and_default_warns():
    text = "stray words before anyone speaks\nA: hi\n"
    t = dialogue.parse(text)
    assert [x.text for x in t.turns] == ["hi"]
    assert t.warnings[0].line == 1
    with pytest.raises(dialogue.TranscriptError) as info:
        dialogue.parse(text, strict=True, source="x.txt")
    assert (info.value.line, info.value.column) == (1, 1)
    assert isinstance(info.value, ValueError)
    assert info.value.located().startswith("x.txt:1:1: error:")


def test_unclosed_parenthesis_is_a_located_warning_and_speech_is_kept():
    t = dialogue.parse("NELL:\nI never (said that\n\nTOM:\nNo.\n")
    assert t.turns[0].text == "I never (said that"
    assert (t.warnings[0].line, t.warnings[0].column) == (2, 9)
    assert t.warnings[0].message.endswith(": kept as speech")


@pytest.mark.parametrize("text, warning, error", [
    ("NELL:\nI never (said that\n\nTOM:\nNo.\n", "unclosed '(': kept as speech", "unclosed '('"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>hi\n\nstray words\n", "text outside any cue (no timing line "
     "above it): kept as speech", "text outside any cue (no timing line above it)"),
    ("stray words before anyone speaks\nA: hi\n", "text before the first speaker; kept as a direction",
     "text before the first speaker"),
    ("1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:02,000 --> 00:00:0x,000\nB: yo\n",
     "malformed timing line '00:00:02,000 --> 00:00:0x,000': its cue is kept without times",
     "malformed timing line '00:00:02,000 --> 00:00:0x,000'"),
])
def test_a_strict_error_says_what_is_wrong_not_what_a_warning_would_do(text, warning, error):
    """The warning tells what became of the line ("kept as speech", "skipped"); with --strict nothing
    becomes of it, so the error says only what is wrong."""
    t = dialogue.parse(text)
    if warning is not None:
        assert t.warnings[0].message == warning
    try:
        dialogue.parse(text, strict=True)
    except dialogue.TranscriptError as exc:
        assert "kept" not in exc.message and not exc.message.endswith("skipped"), exc.message
        if error is not None:
            assert exc.message == error
    else:
        assert not t.warnings


def test_cli_parse_plain_json_and_warnings(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("oops\nA: hi {insult}\nB: yo\n")
    plain = run_cli("parse", str(path))
    assert plain.returncode == 0
    assert re.search(r"^\s+0\s+A\s+hi\s+\(line 2\)$", plain.stdout.decode(), re.M)
    assert f"{path}:1:1: warning:" in plain.stderr.decode()
    js = run_cli("parse", "--json", str(path))
    import json
    doc = json.loads(js.stdout)
    assert doc["speakers"] == ["A", "B"]
    assert doc["turns"][0]["gold"] == "insult" and "label" not in doc["turns"][0]
    strict = run_cli("parse", "--strict", str(path))
    assert strict.returncode == 2
    assert strict.stderr.decode().strip() == f"{path}:1:1: error: text before the first speaker"


def test_cli_reads_standard_input():
    result = run_cli("parse", "-", stdin=b"A: hi\nB: yo\n")
    assert result.returncode == 0 and "<stdin>: 2 turns" in result.stdout.decode()


# -- fmt ------------------------------------------------------------------------------------------------

def key(t):
    return [(x.speaker, x.text, x.gold) for x in t.turns]


@pytest.mark.parametrize("path", sorted([*(f"fixtures/{p.name}" for p in FIXTURES.glob("*.txt")),
                                         *(f"../samples/{p.name}" for p in SAMPLES.glob("*.txt"))]))
def test_fmt_round_trip_on_fixtures_and_samples(path):
    from conftest import ROOT
    t = dialogue.parse_file(ROOT / "tests" / path)
    again = dialogue.parse(format_chat(t))
    assert again.dialect == "chat"
    assert key(again) == key(t)


def test_fmt_round_trip_on_shared_play_text(shakespeare_text):
    t = dialogue.parse(shakespeare_text)
    assert key(dialogue.parse(format_chat(t))) == key(t)


def test_cli_fmt_writes_canonical_chat(tmp_path):
    out = tmp_path / "out.txt"
    result = run_cli("fmt", str(FIXTURES / "play.txt"), "-o", str(out))
    assert result.returncode == 0
    assert out.read_text().startswith("---\ncast:\n  Second murderer: Second Murderer\n---\nNELL: Against him")


# -- properties -----------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "A: ", "Bo: ", "KATE:", "[Verse 1: A & B]", "[Chorus]", "(aside)", "[19:02] ", "<nick> ", "* nick ",
    "12/03/2024, 19:02 - ", "{insult}", "---", "cast:", "  ", "\t", ":", "(", ")", "[", "]", "{", "}",
    "WEBVTT", "-->", "00:00:01,000", "<v Ann>", "INT. HOUSE", "Jürgen", "بيت", "😀", "\u202f", "\u200e",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12), st.just("\n")), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_parse_returns_turns_or_raises_transcript_error(text):
    try:
        t = dialogue.parse(text)
    except dialogue.TranscriptError:
        return
    assert all(x.index == i for i, x in enumerate(t.turns))
    assert all(x.line >= 1 for x in t.turns)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_fmt_then_parse_gives_the_same_turns(text):
    try:
        t = dialogue.parse(text)
    except dialogue.TranscriptError:
        return
    assert key(dialogue.parse(format_chat(t))) == key(t)


def test_play_without_blank_lines_splits_on_capital_or_known_cues_only():
    t = dialogue.parse("HAMLET:\nTo be or not.\nProceed:\nOPHELIA:\nMy lord.\nHAMLET (aside):\nGo.\n\n"
                       "OPHELIA:\nNo.\nHamlet:\nYes\n")
    assert [(x.speaker, x.text, x.line) for x in t.turns] == [
        ("HAMLET", "To be or not.\nProceed:", 1), ("OPHELIA", "My lord.", 4), ("HAMLET", "Go.", 6),
        ("OPHELIA", "No.", 9), ("HAMLET", "Yes", 11)]
    assert t.turns[2].directions[0].text == "aside"


# == size and shape ============================================================================================


def one_turn_in(dialect: str, speech: str) -> str:
    """A transcript of one turn by Rosa in `dialect`, saying `speech` (on one line)."""
    return {
        "chat": f"ROSA: {speech}\n", "whatsapp": f"12/03/2024, 19:02 - Rosa: {speech}\n",
        "irc": f"[19:02] <rosa> {speech}\n", "play": f"ROSA:\n{speech}\n", "lyrics": f"[Verse 1: Rosa]\n{speech}\n",
        "screenplay": f"INT. KITCHEN - NIGHT\n\nROSA\n{speech}\n",
        "webvtt": f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Rosa>{speech}\n",
        "srt": f"1\n00:00:01,000 --> 00:00:02,000\n{speech}\n",
    }[dialect]


def _long_line(dialect: str, repeats: int = 45_000) -> str:
    """One turn of one line in `dialect`; 45,000 repeats make ~2.1 MB."""
    return one_turn_in(dialect, "the kettle sang while we argued about the map, " * repeats)


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_two_megabyte_line_is_one_turn_in_linear_time(dialect):
    transcript = assert_linear(lambda text: dialogue.parse(text, dialect=dialect),
                               lambda n: _long_line(dialect, n), 4_500, f"parse of one long {dialect} line")
    assert len(transcript.turns) == 1 and len(transcript.turns[0].text) > 2_000_000 - 100
    assert_linear(dialogue.analyze, lambda n: dialogue.parse(_long_line(dialect, n), dialect=dialect), 4_500,
                  "analysis of one long turn", repeat=2)


def test_a_two_megabyte_line_through_the_command_line(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(_long_line("chat"), encoding="utf-8")
    proc = run_cli("parse", str(path), timeout=120)
    assert proc.returncode == 0, err(proc)
    assert b"1 turns" in proc.stdout


@pytest.mark.slow
def test_turns_scale_linearly():
    """Parsing 100k turns takes ~10x the CPU of 10k, analysing 20k ~10x of 2k; quadratic would be ~100x."""
    transcript = assert_linear(dialogue.parse, chat_turns, 10_000, "parse", repeat=2)
    assert len(transcript.turns) == 100_000
    analysis = assert_linear(dialogue.analyze, lambda n: dialogue.parse(chat_turns(n)), 2_000, "analysis",
                             repeat=2)
    assert len(analysis.moves) == 20_000


@pytest.mark.slow
def test_distinct_speakers_scale_linearly():
    def text(n: int) -> str:
        return "".join(f"Speaker{i}: hello from number {i}\n" for i in range(n))
    transcript = assert_linear(dialogue.parse, text, 5_000, "parse of distinct speakers", repeat=2)
    assert len(transcript.speakers) == 50_000 and transcript.turns[-1].speaker == "Speaker49999"


@pytest.mark.slow
def test_distinct_speakers_analyse_and_draw_linearly(tmp_path):
    """Each speaker insults once: the parties of the conflict and the speaker lanes of the picture grow."""
    def run(text: str) -> None:
        dialogue.render(dialogue.analyze(dialogue.parse(text)), tmp_path / "speakers.dot")
    assert_linear(run, lambda n: "".join(f"Speaker{i}: you are a fool, number {i}\n" for i in range(n)), 2_000,
                  "analysis and picture of distinct speakers", repeat=2)


def _one_long_turn(dialect: str, n: int) -> str:
    line = "and another line of the same long speech\n"
    return {
        "chat": "ROSA: start\n" + line * n, "whatsapp": "12/03/2024, 19:02 - Rosa: start\n" + line * n,
        "irc": "<rosa> start\n" + line * n, "play": "ROSA:\n" + line * n,
        "screenplay": "INT. KITCHEN - NIGHT\n\nROSA\n" + line * n, "lyrics": "[Verse 1: Rosa]\n" + line * n,
        "webvtt": "WEBVTT\n\n" + "".join(f"00:00:{i % 60:02d}.000 --> 00:00:{i % 60:02d}.500\n<v Rosa>{line}\n"
                                        for i in range(n)),
        "srt": "".join(f"{i + 1}\n00:00:{i % 60:02d},000 --> 00:00:{i % 60:02d},500\nROSA: {line}\n" for i in range(n)),
    }[dialect]


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
def test_one_turn_of_many_lines_scales_linearly(dialect):
    """A speech of 50k lines (or one voice over 50k subtitle cues) is one turn, built in linear time."""
    transcript = assert_linear(lambda text: dialogue.parse(text, dialect=dialect),
                               lambda n: _one_long_turn(dialect, n), 5_000, f"{dialect}: one turn of many lines",
                               repeat=2)
    assert len(transcript.turns) == 1 and transcript.turns[0].text.count("\n") >= 49_999


def _nested(dialect: str, depth: int = 50_000) -> str:
    return one_turn_in(dialect, "well " + "(" * depth + "whisper" + ")" * depth + " then")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_fifty_thousand_nested_parentheses_do_not_recurse(dialect):
    for text in (_nested(dialect), _nested(dialect).replace("(", "[").replace(")", "]"),
                 _nested(dialect).replace(")", "")):                       # and 50k unclosed
        transcript = dialogue.parse(text, dialect=dialect)                 # a RecursionError would escape
        analysis = dialogue.analyze(transcript)
        assert len(analysis.moves) == len(transcript.turns)


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
def test_nesting_costs_linear_time(dialect):
    for shape in (lambda t: t, lambda t: t.replace("(", "[").replace(")", "]"), lambda t: t.replace(")", "")):
        assert_linear(lambda text: dialogue.analyze(dialogue.parse(text, dialect=dialect)),
                      lambda n: shape(_nested(dialect, n)), 5_000, f"{dialect}: nesting", repeat=2)


def test_deeply_nested_text_renders(tmp_path):
    analysis = dialogue.analyze(dialogue.parse(_nested("chat", 20_000) + "LEO: " + "{" * 20_000 + "\n"))
    for name in ("deep.dot", "deep.json", "deep.aif.json"):
        dialogue.render(analysis, tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0


def test_a_cue_with_no_speech_is_an_empty_turn():
    chat = dialogue.parse("ROSA:\nLEO: (shrugs)\nMAYA: fine\n")
    assert [(t.speaker, t.text) for t in chat.turns] == [("ROSA", ""), ("LEO", ""), ("MAYA", "fine")]
    assert [d.text for d in chat.turns[1].directions] == ["shrugs"]
    play = dialogue.parse("ROSA:\n\nLEO:\n(He shrugs.)\n\nMAYA:\nFine.\n", dialect="play")
    assert [(t.speaker, t.text) for t in play.turns] == [("ROSA", ""), ("LEO", ""), ("MAYA", "Fine.")]
    assert dialogue.analyze(play).moves[0].label == "neutral"


@pytest.mark.parametrize("line, speaker, text", [
    ("MAYA: time: 10:30: fine", "MAYA", "time: 10:30: fine"),
    ("MAYA: see https://example.org/a:b: it works", "MAYA", "see https://example.org/a:b: it works"),
    ("MAYA: :: : :", "MAYA", ":: : :"),
    ("MAYA: 10:30", "MAYA", "10:30"),
    ("MAYA:: twice", "MAYA", ": twice"),
])
def test_colons_everywhere_only_the_first_ends_the_cue(line, speaker, text):
    turns = dialogue.parse(f"LEO: hi\n{line}\n").turns
    assert (turns[-1].speaker, turns[-1].text) == (speaker, text)


def test_colons_everywhere_through_the_command_line(tmp_path):
    path = tmp_path / "colons.txt"
    path.write_text(":" * 50_000 + "\nLEO: when?\nMAYA: time: 10:30: fine\n", encoding="utf-8")
    proc = run_cli("parse", "--json", str(path))
    assert pairs(parse_json(proc)) == [("LEO", "when?"), ("MAYA", "time: 10:30: fine")]
    assert f"{path}:1:1: warning:" in err(proc)          # the line of colons is reported, not taken for a cue


UNICODE_CAST = [
    ("Beyoncé", "Ça va? 🙂"),
    ("Jürgen", "Grüß dich, 👩\u200d👩\u200d👧 zu Hause"),
    ("ليلى", "مرحبا، كيف حالك؟"),                             # right-to-left
    ("נועה", "\u200fשלום! מה שלומך?"),                         # with a right-to-left mark
    ("Zoe\u0308", "decomposed: e\u0301 and a\u0300"),        # combining marks in the name and the text
    ("प्रिया", "नमस्ते, कैसे हो?"),                                # vowel signs and a virama in the name
    ("محمّد", "zero\u200bwidth space and a joiner\u200d"),
    ("O’Brien", "curly apostrophe"),
    ("José María", "two words"),
]


def test_any_unicode_in_names_and_text_survives(tmp_path):
    text = "".join(f"{name}: {words}\n" for name, words in UNICODE_CAST)
    transcript = dialogue.parse(text)
    assert [(t.speaker, t.text) for t in transcript.turns] == UNICODE_CAST
    path = tmp_path / "unicode.txt"
    path.write_text(text, encoding="utf-8")
    assert pairs(parse_json(run_cli("parse", "--json", str(path)))) == UNICODE_CAST
    out = tmp_path / "unicode.json"
    assert run_cli("render", str(path), "-o", str(out)).returncode == 0
    assert [t["speaker"] for t in json.loads(out.read_text(encoding="utf-8"))["turns"]] == [
        n for n, _ in UNICODE_CAST]


def test_hostile_names_come_through_parsing_intact():
    transcript = dialogue.parse(HOSTILE_WHATSAPP)
    assert transcript.dialect == "whatsapp"
    names = {t.speaker for t in transcript.turns}
    assert '<script>alert(1)</script>' in names and '"]; evil [label="x"]; a -> b; //' in names

# -- a path where text was expected (issue 14) ----------------------------------------------------------------

def test_parse_given_a_path_reads_the_file():
    path = SAMPLES / "duet.lyrics.txt"
    read = dialogue.parse(path)
    assert read == dialogue.parse_file(path) and read.source == str(path) and len(read.turns) > 10
    assert dialogue.parse(path, source="duet").source == "duet"
    assert dialogue.parse(path, dialect="chat").dialect == "chat"


def test_parse_given_the_name_of_a_file_as_text_warns_and_names_parse_file():
    name = str(SAMPLES / "duet.lyrics.txt")
    with pytest.warns(dialogue.PathAsTextWarning, match=r"parse_file\(") as caught:
        transcript = dialogue.parse(name)
    assert transcript.turns == ()
    assert issubclass(dialogue.PathAsTextWarning, UserWarning)
    assert isinstance(caught[0].message, dialogue.DialogueWarning)
    assert caught[0].filename == __file__          # the warning points at the caller's line, not into dialogue


@pytest.mark.parametrize("text", ["ROSA: hello\nLEO: hi\n", "samples/no-such-file.txt", "", "\n",
                                  str(SAMPLES), "tests\x00x"])
def test_parse_does_not_warn_about_text_or_names_of_no_file(text):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dialogue.parse(text)


def test_a_file_whose_content_names_a_file_is_not_a_warning(tmp_path):
    import warnings
    inner = tmp_path / "inner.txt"
    inner.write_text("ROSA: hi\n", encoding="utf-8")
    outer = tmp_path / "outer.txt"
    outer.write_text(str(inner), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dialogue.parse_file(outer).turns == ()
        assert dialogue.parse(outer).turns == ()


def test_parse_still_refuses_bytes():
    with pytest.raises(TypeError, match="pathlib.Path"):
        dialogue.parse(b"ROSA: hi\n")  # type: ignore[arg-type]


def test_fmt_keeps_a_speaker_whose_name_opens_with_a_hash():
    """Found by the round-trip property: "#A" was aliased, and its cast line read back as a comment."""
    text = "12/03/2024, 19:02 - #A: hi\n12/03/2024, 19:03 - Bob: yo\n12/03/2024, 19:04 - #tag: ok\n"
    t = dialogue.parse(text)
    written = format_chat(t)
    assert key(dialogue.parse(written)) == key(t)
    assert [turn.speaker for turn in dialogue.parse(written).turns] == ["#A", "Bob", "#tag"]
