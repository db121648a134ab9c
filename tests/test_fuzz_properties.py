"""Property tests over transcripts built from dialect fragments (issue 5).

Strategies assemble whole transcripts for every dialect from the pieces real ones are made of (cues,
headers, timestamps, voice tags, directions, gold labels) mixed with junk lines. Properties: parsing returns
a Transcript or raises TranscriptError (nothing else), whatever it returns keeps the model's promises,
analysis and every output format take any parsed transcript, and the canonical chat form reads back to the
same turns. A well-formed chat reads back exactly the turns it was made from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dialogue
from dialogue import TranscriptError, grammars
from dialogue.model import DIALECTS, Transcript

#: DIALOGUE_FUZZ_EXAMPLES=2000 for a long session by hand; CI runs the default.
EXAMPLES = int(os.environ.get("DIALOGUE_FUZZ_EXAMPLES", "60"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _available() -> tuple[str, ...]:
    from dialogue.parse import _TRANSFORMERS
    families = _TRANSFORMERS
    return tuple(d for d in DIALECTS if grammars.FAMILY[d] in families)


AVAILABLE = _available()

# -- fragments ----------------------------------------------------------------------------------------------

#: Names whose case-folded forms differ (the parser merges spellings that differ only in case).
NAMES = ["ROSA", "Leo", "MAYA", "Jürgen", "Beyoncé", "O’Brien", "Mary Anne", "Dr. Kim", "ليلى", "Zoe\u0308",
         "प्रिया", "K2", "Ann-Marie"]
name = st.sampled_from(NAMES)
caps_name = st.sampled_from(["ROSA", "LEO", "MAYA", "JÜRGEN", "DR. KIM", "MARY ANNE"])
nick = st.from_regex(r"[a-z][a-z0-9_\-]{0,8}", fullmatch=True)
word = st.one_of(
    st.sampled_from(["you", "never", "listen", "sorry", "idiot", "fine", "what", "about", "you?", "okay.",
                     "10:30", "time:", "http://x.org/a:b", "C:\\new", "\\", "&amp;", "<b>", "|", "{", "}", "<",
                     ">", "\"", "'", "#", "--", "😀", "👩\u200d👧", "مرحبا", "שלום", "e\u0301", "\u200e", "\u202f"]),
    st.from_regex(r"[A-Za-z]{1,8}[.,!?]?", fullmatch=True),
)
speech = st.lists(word, min_size=1, max_size=10).map(" ".join)
gold = st.sampled_from(["", "", " {insult}", " {deflection}", " {reconciliation}", " {neutral}"])
direction = st.builds(lambda o, w, c: f"{o}{w}{c}", st.sampled_from("(["), speech.map(lambda s: s.replace(")", "")
                      .replace("]", "")), st.sampled_from(")]"))
junk = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30)
clock = st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
date = st.builds(lambda d, m, y: f"{d:02d}/{m:02d}/{y}", st.integers(1, 28), st.integers(1, 12),
                 st.integers(2000, 2030))
cue_time = st.builds(lambda s, ms: f"00:{s // 60:02d}:{s % 60:02d}{{}}{ms:03d}", st.integers(0, 3599),
                     st.integers(0, 999))


def lines(*options: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A transcript: lines drawn from `options` and some junk, joined with newlines."""
    return st.lists(st.one_of(*options, junk, st.just("")), max_size=25).map(lambda ls: "\n".join(ls) + "\n")


def _block(parts: list[str]) -> str:
    return "\n".join(p for p in parts if p is not None)


CHAT = lines(
    st.builds(lambda n, s, g: f"{n}: {s}{g}", name, speech, gold),
    st.builds(lambda n, d, s: f"{n}: {d} {s}", name, direction, speech),
    st.builds(lambda n, d: f"{n} ({d}): ", name, speech.map(lambda s: s.replace(")", "").replace("(", ""))),
    st.builds(lambda t, n, s: f"[{t}] {n}: {s}", clock, name, speech),
    direction, st.just("# a comment"), speech.map(lambda s: "    " + s),
)
WHATSAPP = lines(
    st.builds(lambda d, t, n, s: f"{d}, {t} - {n}: {s}", date, clock, name, speech),
    st.builds(lambda d, t, n, s: f"[{d}, {t}:00] {n}: {s}", date, clock, name, speech),
    st.builds(lambda d, t: f"{d}, {t} - Messages are end-to-end encrypted", date, clock),
    speech,
)
IRC = lines(
    st.builds(lambda t, n, s: f"[{t}] <{n}> {s}", clock, nick, speech),
    st.builds(lambda n, s: f"<@{n}> {s}", nick, speech),
    st.builds(lambda n, s: f"* {n} {s}", nick, speech),
    st.builds(lambda n: f"-!- {n} has quit", nick),
)
PLAY = st.lists(st.one_of(
    st.builds(lambda n, s, d: _block([f"{n}:", s, d]), caps_name, speech, st.one_of(st.none(), direction)),
    st.builds(lambda n, d, s: _block([f"{n} [{d[1:-1]}]:", s]), caps_name, direction, speech),
    st.sampled_from(["ACT I", "SCENE 2. A kitchen.", "PROLOGUE"]), direction, junk,
), max_size=12).map(lambda blocks: "\n\n".join(blocks) + "\n")
SCREENPLAY = st.lists(st.one_of(
    st.sampled_from(["INT. KITCHEN - NIGHT", "EXT. ROOF - DAY", "CUT TO:", ".FLASHBACK"]),
    st.builds(lambda n, e, p, s: _block([f"{n}{e}", p, s]), caps_name,
              st.sampled_from(["", " (V.O.)", " (O.S.)", " (CONT'D)", " ^"]),
              st.one_of(st.none(), st.just("(beat)"), st.just("(quietly)")), speech),
    st.builds(lambda n, s: f"@{n}\n{s}", name, speech),
    speech, junk,
), max_size=12).map(lambda blocks: "\n\n".join(blocks) + "\n")
LYRICS = lines(
    st.builds(lambda k, n, p: f"[{k} {n}: {p}]", st.sampled_from(["Verse", "Chorus", "Bridge"]), st.integers(1, 3),
              st.lists(name, min_size=1, max_size=3).map(" & ".join)),
    st.sampled_from(["[Intro]", "[Chorus]", "[Outro]"]),
    st.builds(lambda n, s: f"{n}: {s}", name, speech),
    st.builds(lambda s, a: f"{s} ({a})", speech, speech.map(lambda x: x.replace(")", "").replace("(", ""))),
    speech,
)
WEBVTT = st.lists(st.builds(
    lambda a, b, n, s: f"{a.format('.')} --> {b.format('.')}\n" + (f"<v {n}>{s}</v>" if n else s),
    cue_time, cue_time, st.one_of(st.none(), name), speech,
), max_size=10).map(lambda cues: "WEBVTT\n\n" + "\n\n".join(cues) + "\n")
SRT = st.lists(st.builds(
    lambda a, b, s, d: f"{a.format(',')} --> {b.format(',')}\n{s}" + (f"\n- {d}" if d else ""),
    cue_time, cue_time, st.one_of(speech, st.builds(lambda n, s: f"{n.upper()}: {s}", name, speech)),
    st.one_of(st.none(), direction)), max_size=10,
).map(lambda cues: "".join(f"{i}\n{c}\n\n" for i, c in enumerate(cues, 1)))

BY_DIALECT = {"chat": CHAT, "whatsapp": WHATSAPP, "irc": IRC, "play": PLAY, "screenplay": SCREENPLAY,
              "lyrics": LYRICS, "webvtt": WEBVTT, "srt": SRT}
assert set(BY_DIALECT) == set(DIALECTS), "a dialect without a strategy"

#: A dialect and a transcript in it (or a splice of two dialects, which real files sometimes are).
any_transcript = st.one_of(
    st.sampled_from(AVAILABLE).flatmap(lambda d: st.tuples(st.just(d), BY_DIALECT[d])),
    st.tuples(st.just(None), st.sampled_from(AVAILABLE).flatmap(lambda d: BY_DIALECT[d])),
    st.tuples(st.just(None), st.tuples(st.sampled_from(AVAILABLE), st.sampled_from(AVAILABLE)).flatmap(
        lambda ds: st.tuples(BY_DIALECT[ds[0]], BY_DIALECT[ds[1]]).map("".join))),
)


def parse_or_none(text: str, dialect: str | None) -> Transcript | None:
    """Parse; TranscriptError is an allowed outcome (None), any other exception fails the property."""
    try:
        return dialogue.parse(text, source="gen.txt", dialect=dialect)
    except TranscriptError as exc:
        assert exc.message and "\n" not in exc.message and exc.line >= 0
        return None


def assert_model_promises(t: Transcript, text: str) -> None:
    last = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
    for i, turn in enumerate(t.turns):
        assert turn.index == i and 1 <= turn.line <= last
        assert turn.speaker and turn.speaker == turn.speaker.strip() and "\n" not in turn.speaker
        assert turn.text == turn.text.strip()
        assert turn.gold is None or re.fullmatch(r"[a-z][\w\-]*", turn.gold)
    assert [s.name for s in t.speakers] == list(t.speaker_names)


# -- properties --------------------------------------------------------------------------------------------

@PROFILE
@given(any_transcript)
def test_parse_returns_a_transcript_or_raises_transcript_error(case):
    dialect, text = case
    t = parse_or_none(text, dialect)
    if t is not None:
        assert isinstance(t, Transcript)
        assert dialect is None or t.dialect == dialect
        assert_model_promises(t, text)


@PROFILE
@given(any_transcript)
def test_strict_parse_agrees_with_a_clean_lenient_parse(case):
    dialect, text = case
    t = parse_or_none(text, dialect)
    assume(t is not None and not t.warnings)
    assert dialogue.parse(text, source="gen.txt", dialect=t.dialect, strict=True).turns == t.turns


@PROFILE
@given(any_transcript)
def test_analysis_and_rendering_take_any_parsed_transcript(case):
    from dialogue.formats.jsonio import analysis_to_dict
    dialect, text = case
    t = parse_or_none(text, dialect)
    assume(t is not None)
    analysis = dialogue.analyze(t)
    assert len(analysis.moves) == len(t.turns) and len(analysis.arc.tension) == len(t.turns)
    assert all(0.0 <= m.score <= 1.0 for m in analysis.moves)
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".json", ".aif.json", ".dot", ".html"):
            dialogue.render(analysis, Path(folder) / f"out{suffix}")
        doc = json.loads((Path(folder) / "out.json").read_text(encoding="utf-8"))
        assert doc == json.loads(json.dumps(analysis_to_dict(analysis)))
        if len(t.turns) <= 15 and shutil.which("dot"):
            dialogue.render(analysis, Path(folder) / "out.svg")
            assert (Path(folder) / "out.svg").read_text(encoding="utf-8").rstrip().endswith("</svg>")


@PROFILE
@given(any_transcript)
def test_format_then_parse_gives_the_same_turns(case):
    fmt = pytest.importorskip("dialogue.fmt")
    dialect, text = case
    t = parse_or_none(text, dialect)
    assume(t is not None)
    again = dialogue.parse(fmt.format_chat(t), dialect="chat")
    assert [(x.speaker, x.text, x.gold) for x in again.turns] == [(x.speaker, x.text, x.gold) for x in t.turns]


clean_word = st.from_regex(r"[A-Za-z][a-z]{0,7}[.,!?]?|10:30|time:|&|<b>|\||\\|C:\\new|😀|مرحبا", fullmatch=True)
clean_turn = st.tuples(name, st.lists(clean_word, max_size=8).map(" ".join),
                       st.sampled_from([None, "insult", "deflection", "reconciliation"]))


@PROFILE
@given(st.lists(clean_turn, max_size=20))
def test_a_well_formed_chat_reads_back_exactly(turns):
    text = "".join(f"{n}: {s}{f' {{{g}}}' if g else ''}\n" for n, s, g in turns)
    t = dialogue.parse(text, dialect="chat", strict=True)
    assert [(x.speaker, x.text, x.gold) for x in t.turns] == turns
    assert [x.line for x in t.turns] == list(range(1, len(turns) + 1))


@PROFILE
@given(st.lists(st.tuples(name, speech), min_size=1, max_size=8),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_line_ends_and_bom_do_not_change_the_turns(turns, ending, bom):
    from dialogue.textio import decode
    text = "".join(f"{n}: {s}\n" for n, s in turns)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode("utf-8")
    assert dialogue.parse(decode(raw)).turns == dialogue.parse(text).turns


# -- the command line on any bytes ------------------------------------------------------------------------

def _encoded(text: str, how: str) -> bytes:
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "utf-16":
        return text.encode("utf-16")
    data = text.encode("utf-8", "surrogatepass")
    return {"bom": b"\xef\xbb\xbf" + data, "crlf": data.replace(b"\n", b"\r\n"), "cr": data.replace(b"\n", b"\r"),
            "utf-8": data}[how]


file_bytes = st.one_of(
    st.binary(max_size=300),
    st.tuples(any_transcript.map(lambda c: c[1]),
              st.sampled_from(["utf-8", "bom", "crlf", "cr", "latin-1", "utf-16"])).map(lambda p: _encoded(*p)),
    st.tuples(any_transcript.map(lambda c: c[1]), st.binary(min_size=1, max_size=4), st.integers(0, 400)).map(
        lambda p: p[0].encode("utf-8")[:p[2]] + p[1] + p[0].encode("utf-8")[p[2]:]),   # one bad splice
)
command = st.sampled_from([["parse"], ["parse", "--json"], ["analyze", "--json"], ["render", "-o", "OUT.json"],
                           ["render", "-o", "OUT.dot"], ["render", "-o", "OUT.aif.json"], ["fmt"]])
options = st.lists(st.sampled_from([["--strict"], ["--encoding", "latin-1"], ["--encoding", "utf-16"],
                                    *(["--dialect", d] for d in AVAILABLE)]), max_size=2).map(
    lambda chosen: [part for option in chosen for part in option])
_LINE = re.compile(r"(?:IN(?::\d+:\d+)?: (?:error|warning): \S.*|dialogue: error: \S.*|OUT\S*: error: \S.*)")


@PROFILE
@given(file_bytes, command, options)
def test_the_command_line_ends_in_0_or_2_with_located_lines(data, cmd, opts):
    import contextlib
    import io

    from dialogue.cli import main
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.txt", Path(folder) / "out"
        source.write_bytes(data)
        argv = [str(out) + part[3:] if part.startswith("OUT") else part for part in cmd] + opts + [str(source)]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(argv)
        lines = stderr.getvalue().replace(str(source), "IN").replace(str(out), "OUT").splitlines()
        assert code in (0, 2), lines
        assert all(_LINE.fullmatch(line) for line in lines), lines
        if code == 2:
            assert sum(" error: " in line for line in lines) == 1, lines
            assert not [p for p in Path(folder).iterdir() if p.name != "in.txt"]    # nothing half-written
