#!/usr/bin/env python3
"""An atheris (libFuzzer) target for `dialogue.parse`: any bytes in, a Transcript or a TranscriptError out.

The first byte picks the dialect (detected, or one forced) and whether the bytes are decoded as UTF-8 (the
command line's path: `textio.decode`, which refuses binary and locates bad bytes) or as Latin-1 (so every byte
string reaches the grammar). Anything else escaping `parse` is a crash, and so is a Transcript that breaks
the model's promises (checked in `_check`). Run by hand as long as you like; see fuzz/README.md.

    python fuzz/fuzz_parse.py -max_total_time=600 fuzz/seeds
"""

from __future__ import annotations

import importlib
import os
import re
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.setrecursionlimit(3000)  # an input that needs more stack than this is a bug worth reporting

with atheris.instrument_imports(include=["dialogue", "lark"]):
    import dialogue
    from dialogue.model import DIALECTS
    from dialogue.textio import decode

    # modules the package imports lazily: instrumented only if imported here, inside the block
    for _name in ("dialogue.dialects.chat", "dialogue.dialects.play", "dialogue.dialects.lyrics",
                  "dialogue.dialects.screenplay", "dialogue.dialects.subtitles", "dialogue.cleanup",
                  "dialogue.detect", "dialogue.classify", "dialogue.arc", "dialogue.formats.jsonio", "dialogue.render.dot"):
        try:
            importlib.import_module(_name)
        except ImportError:
            pass

#: DIALOGUE_FUZZ_ANALYZE=1 also classifies each parsed transcript and builds its JSON and DOT text.
_ANALYZE = os.environ.get("DIALOGUE_FUZZ_ANALYZE") == "1"
_GOLD = re.compile(r"[a-z][\w\-]*\Z")


_DIALECTS = tuple(DIALECTS)   # every dialect's grammar family has landed
_CHOICES = (None, *_DIALECTS)


def _check(transcript: dialogue.Transcript, text: str) -> None:
    """What every parsed transcript promises, whatever the input."""
    assert isinstance(transcript, dialogue.Transcript), type(transcript)
    last_line = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
    for position, turn in enumerate(transcript.turns):
        assert turn.index == position, (position, turn)
        assert isinstance(turn.speaker, str) and turn.speaker and "\n" not in turn.speaker, turn
        assert turn.speaker == turn.speaker.strip(), turn
        assert isinstance(turn.text, str) and turn.text == turn.text.strip(), turn
        assert 1 <= turn.line <= last_line, (turn.line, last_line)
        assert turn.gold is None or _GOLD.match(turn.gold), turn.gold
    for warning in transcript.warnings:
        assert "\n" not in warning.message and warning.line >= 0, warning


def test_one_input(data: bytes) -> None:
    if not data:
        return
    head, body = data[0], data[1:]
    dialect = _CHOICES[head % len(_CHOICES)]
    if head & 0x80:
        text = body.decode("latin-1")
    else:
        try:
            text = decode(body, "<fuzz>")
        except dialogue.TranscriptError as exc:
            assert "\n" not in exc.message
            return
    try:
        transcript = dialogue.parse(text, source="<fuzz>", dialect=dialect)
    except dialogue.TranscriptError as exc:
        assert "\n" not in exc.message and exc.line >= 0 and exc.column >= 0
        return
    except dialogue.UsageError as exc:
        if "not available" in str(exc) and set(_DIALECTS) != set(DIALECTS):
            return  # detection chose a family that has not landed yet
        raise
    _check(transcript, text)
    if _ANALYZE and len(transcript.turns) < 200:
        # what runs after parsing must take any transcript the parser returns
        from dialogue.formats import jsonio
        from dialogue.render.dot import digraph
        analysis = dialogue.analyze(transcript)
        assert len(analysis.moves) == len(transcript.turns)
        jsonio.dumps(jsonio.analysis_to_dict(analysis))
        assert digraph(analysis).source.lstrip().startswith(("digraph", "strict digraph"))
    if not transcript.warnings:
        # a clean parse must be clean under --strict too, with the same turns
        strict = dialogue.parse(text, source="<fuzz>", dialect=dialect, strict=True)
        assert strict.turns == transcript.turns


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
