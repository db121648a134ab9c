"""Plain-text views for a person at a terminal: the turns of a transcript, and an analysis with its arc."""

from __future__ import annotations

from .model import Transcript


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.split("\n"))


def format_turns(transcript: Transcript) -> str:
    """One turn a line: index, speaker, text, source line; a header names the source and dialect."""
    lines = [f"# {transcript.source}: {len(transcript.turns)} turns, dialect {transcript.dialect}, "
             f"{len(transcript.speaker_names)} speakers"]
    width = max((len(t.speaker) for t in transcript.turns), default=0)
    width = min(width, 24)
    for turn in transcript.turns:
        where = f"line {turn.line}"
        extra = f" [{turn.section}]" if turn.section else ""
        lines.append(f"{turn.index:>4}  {turn.speaker:<{width}}  {_one_line(turn.text)}  ({where}{extra})")
    return "\n".join(lines) + "\n"
