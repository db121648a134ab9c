"""Plain-text views for a person at a terminal: the turns of a transcript, and an analysis with its arc.

Also owns when and how the terminal gets colour: each label in its colour from the registry (dialogue/labels.py),
only on a terminal, never with NO_COLOR set, always with FORCE_COLOR (`use_colour`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TextIO

from . import labels
from .analysis import NEUTRAL, RHYME, Analysis, Arc, Cue, Flow, Move, SpeakerFigures
from .model import Transcript, Turn

SPARK = "▁▂▃▄▅▆▇█"
#: The sparkline is at most this wide; longer curves are binned (each bin shows its highest tension).
SPARK_WIDTH = 64
_TEXT_WIDTH = 56
#: The arc shows at most this many people's figures, and this many joint voices' after them (one screen).
SPEAKER_ROWS, JOINT_ROWS = 8, 3
#: At most this many losing cues on a turn's "also seen" line.
ALSO_SEEN = 2


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.split("\n"))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def speakers_phrase(transcript: Transcript, most: int = 3) -> str:
    """How many people speak, the joint voices counted apart: "2 speakers (+1 joint voice: KATE & LEO)"."""
    joint = transcript.joint_voices
    phrase = _plural(len(transcript.people), "speaker")
    if joint:
        named = ", ".join(joint[:most]) + (", …" if len(joint) > most else "")
        phrase += f" (+{_plural(len(joint), 'joint voice')}: {named})"
    return phrase


def format_turns(transcript: Transcript) -> str:
    """One turn a line: index, speaker, text, source line; a header names the source and dialect."""
    lines = [(f"# {transcript.source}: {len(transcript.turns)} turns, dialect {transcript.dialect}, "
             f"{speakers_phrase(transcript)}")]
    width = max((len(t.speaker) for t in transcript.turns), default=0)
    width = min(width, 24)
    for turn in transcript.turns:
        where = f"line {turn.line}"
        extra = f" [{turn.section}]" if turn.section else ""
        lines.append(f"{turn.index:>4}  {turn.speaker:<{width}}  {_one_line(turn.text)}  ({where}{extra})")
    return "\n".join(lines) + "\n"


def _short(text: str, width: int = _TEXT_WIDTH) -> str:
    flat = " ".join(_one_line(text).split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def sparkline(values: Sequence[float], width: int = SPARK_WIDTH) -> str:
    """Tension on an absolute 0..1 scale as ▁..█, binned to at most `width` characters (max per bin)."""
    if not values:
        return ""
    bins = min(width, len(values))
    out = []
    for b in range(bins):
        chunk = values[b * len(values) // bins:(b + 1) * len(values) // bins] or values[-1:]
        level = max(0.0, min(1.0, max(chunk)))
        out.append(SPARK[min(len(SPARK) - 1, int(level * len(SPARK)))])
    return "".join(out)


def _quoted(turn: Turn, cue: Cue, width: int = 30) -> str:
    a, b = cue.span
    return f'"{_short(turn.text[a:b], width)}"' if 0 <= a < b <= len(turn.text) else ""


def deciding_cue(turn: Turn, move: Move) -> str:
    """The cue that decided the label (the heaviest cue for that label), as `rule "quoted span"`; "" for a
    neutral move or one whose label no cue supports (a cue that lost never stands in for one that decided)."""
    if not move.deciding:
        return ""
    cue = max(move.deciding, key=lambda c: c.weight)
    quoted = _quoted(turn, cue)
    return cue.rule + (f" {quoted}" if quoted else "")


def also_seen(turn: Turn, move: Move, most: int = ALSO_SEEN) -> str:
    """The rules that fired for a label the move did not get, as `rule "span" (label)`, "" if none. Matches
    set aside (negated, reported) and context signals carry no label and are left to the JSON and HTML."""
    lost = [c for c in move.also_seen if c.label != NEUTRAL]
    if not lost:
        return ""
    shown = [" ".join(filter(None, (c.rule, _quoted(turn, c, 20), f"({c.label})"))) for c in lost[:most]]
    return "also seen: " + "; ".join(shown) + (f"; +{len(lost) - most} more" if len(lost) > most else "")


def _phase_line(arc: Arc) -> str:
    return " · ".join(f"{p.name} {p.start}" + (f"–{p.end}" if p.end != p.start else "") for p in arc.phases)


def _speaker_line(f: SpeakerFigures, width: int) -> str:
    parts = [_plural(f.turns, "turn"),
             f"{_plural(f.insults + f.accusations, 'attack')} ({f.insults} insult, {f.accusations} accusation)",
             _plural(f.deflections, "deflection"),
             f"{_plural(f.repairs_offered, 'repair')} offered, {f.repairs_accepted} accepted"]
    if f.first_attack is not None:
        parts.append(f"first attack #{f.first_attack}")
    if f.first_repair is not None:
        parts.append(f"first repair #{f.first_repair}")
    return f"  {f.speaker[:width]:<{width}}  " + " · ".join(parts)


def format_arc(analysis: Analysis) -> str:
    """The arc on one screen: phases, climax, closing, root cause, per-speaker figures, a tension sparkline."""
    arc, turns = analysis.arc, analysis.transcript.turns
    peak = max(arc.tension, default=0.0)
    lines = ["", "── arc " + "─" * 40]
    lines.append(f"phases    {_phase_line(arc) or '(none)'}")
    if arc.climax is None or arc.closing == "none":
        lines.append("climax    none: no insult or accusation")
    else:
        c = turns[arc.climax]
        lines.append(f"climax    turn {arc.climax} ({c.speaker}, tension {arc.tension[arc.climax]:.2f}): "
                     f"\u201c{_short(c.text, 48)}\u201d")
    lines.append(f"closing   {arc.closing}")
    if arc.root_cause is not None:
        r = turns[arc.root_cause]
        verdict = "answered" if arc.root_cause_answered else "never answered, only deflected or attacked"
        lines.append(f"cause     turn {arc.root_cause} ({r.speaker}): \u201c{_short(r.text, 40)}\u201d, {verdict}")
    for i in arc.humour:
        lines.append(f"humour    breaks the tension at turn {i} ({turns[i].speaker}): \u201c{_short(turns[i].text, 40)}\u201d")
    if arc.escalated_first or arc.repaired_first:
        lines.append(f"first     to escalate: {arc.escalated_first or '-'} · to repair: {arc.repaired_first or '-'}")
    lines.append(f"tension   {sparkline(arc.tension)}  peak {peak:.2f}")
    # people first; joint voices (performances, `KATE & LEO`, `ALL`) after them, under their own heading
    people, joint = arc.people, arc.joint_voices
    shown, shown_joint = people[:SPEAKER_ROWS], joint[:JOINT_ROWS]
    width = min(max((len(f.speaker) for f in (*shown, *shown_joint)), default=0), 20)
    lines.append("speakers" + ("" if len(shown) == len(people)
                               else f" ({SPEAKER_ROWS} of {len(people)}, in order of appearance)"))
    lines += [_speaker_line(f, width) for f in shown]
    if joint:
        lines.append("joint voices, counted apart" + ("" if len(shown_joint) == len(joint)
                                                      else f" ({JOINT_ROWS} of {len(joint)})"))
        lines += [_speaker_line(f, width) for f in shown_joint]
    lines += [_flow_line(f, turns) for f in analysis.flows]
    return "\n".join(lines) + "\n"


def _flow_line(flow: Flow, turns: Sequence[Turn]) -> str:
    """`flow      turn 3 (NOVA) picks up the rhyme of turn 2 (VEX): "frenzy" / "friendly" (slant)`."""
    i, j = flow.turns
    words = " / ".join(f"\u201c{_one_line(w)}\u201d" for w in flow.words)
    grade = "" if flow.kind != RHYME else (" (full)" if flow.strength >= 0.7 else " (slant)")
    return (f"flow      turn {j} ({turns[j].speaker}) picks up the {flow.kind} of turn {i} "
            f"({turns[i].speaker}): {words}{grade}")


def format_analysis(analysis: Analysis, colour: bool = False) -> str:
    """Every turn with its label, score and deciding cue, then the arc (`format_arc`); with `colour`, each
    label in its registry colour (ANSI escapes around the word, the padding outside them: columns stay)."""
    t = analysis.transcript
    lines = [f"# {t.source}: {len(t.turns)} turns, dialect {t.dialect}, {speakers_phrase(t)}"]
    width = min(max((len(turn.speaker) for turn in t.turns), default=0), 16)
    label_width = max((len(m.label) for m in analysis.moves), default=7)
    # the losing cues go on a line of their own under the text, so the deciding one stands alone after "←"
    indent = " " * (4 + 2 + width + 2 + label_width + 1 + 4 + 2)
    for turn, move in zip(t.turns, analysis.moves):
        cue = deciding_cue(turn, move)
        label = f"{move.label:<{label_width}}"
        if colour:   # the escapes go around the word only, so the padding (and every column after it) stays
            label = label.replace(move.label, paint(move.label), 1)
        lines.append(f"{turn.index:>4}  {turn.speaker[:width]:<{width}}  {label} "
                     f"{move.score:.2f}  {_short(turn.text)}" + (f"  \u2190 {cue}" if cue else ""))
        seen = also_seen(turn, move)
        if seen:
            lines.append(indent + seen)
    return "\n".join(lines) + "\n" + format_arc(analysis)


# -- colour ---------------------------------------------------------------------------------------------------

_RESET = "\x1b[0m"


def use_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour what goes to `stream`: NO_COLOR set (to any value, even empty) means never; else
    FORCE_COLOR set (to anything but "" or "0") means always; else only on a terminal that is not TERM=dumb."""
    if "NO_COLOR" in environ:
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and environ.get("TERM") != "dumb"


def ansi(hex_colour: str, environ: Mapping[str, str] = os.environ) -> str:
    """The escape that sets `#rrggbb` as the text colour: 24-bit where COLORTERM says the terminal has it,
    else the nearest of xterm's 256 (its 6x6x6 cube), which every colour terminal of today shows."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return f"\x1b[38;2;{r};{g};{b}m"

    def level(v: int) -> int:
        return 0 if v < 48 else 1 if v < 115 else (v - 35) // 40
    return f"\x1b[38;5;{16 + 36 * level(r) + 6 * level(g) + level(b)}m"


def paint(label: str) -> str:
    """`label` in its registry colour (an unknown label in the default one), then the reset."""
    return f"{ansi(labels.get(label).colour)}{label}{_RESET}"
