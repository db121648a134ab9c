"""Shared flows in the HTML report: where each rhyme word sits in its turn, and the flow track.

The track is an inline SVG strip on the tension curve's x scale (same width, same padding, one step per
turn), so a flow's arc stands under the turns it joins: rhyme solid, metre dotted, a `<title>` with the
words. Every piece of user text goes through `html.escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..analysis import RHYME, Analysis, Flow

TRACK_H = 46.0
COLOUR = "#7b1fa2"


def rhyme_spans(analysis: Analysis) -> dict[int, list[tuple[int, int]]]:
    """Per turn, the character spans of its rhyme words (the last occurrence of the word in the text; an
    ad-lib's word is not in the text and is not marked)."""
    out: dict[int, list[tuple[int, int]]] = {}
    turns = analysis.transcript.turns
    for flow in analysis.flows:
        if flow.kind != RHYME:
            continue
        for index, word in zip(flow.turns, flow.words):
            pattern = re.escape(word).replace("'", "['\u2019]?").replace("in['\u2019]?$", "in['\u2019g]?")
            found = list(re.finditer(rf"(?i)(?<![\w'\u2019]){pattern}(?![\w])", turns[index].text))
            if found:
                span = found[-1].span()
                if span not in out.setdefault(index, []):
                    out[index].append(span)
    return out


def _title(flow: Flow, speakers: Sequence[str]) -> str:
    i, j = flow.turns
    return (f"turn {j} ({speakers[j]}) picks up the {flow.kind} of turn {i} ({speakers[i]}): "
            + " / ".join(flow.words))


def flow_track(analysis: Analysis, width: float, pad_x: float) -> str:
    """The flow track as inline SVG, on the curve's x scale."""
    n = len(analysis.transcript.turns)
    speakers = [t.speaker for t in analysis.transcript.turns]
    step = (width - 2 * pad_x) / max(n - 1, 1)
    base = TRACK_H - 14
    parts = [f'<svg id="flowtrack" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {TRACK_H:.0f}" '
             f'role="img" aria-label="shared flows: {len(analysis.flows)}">',
             f'<line x1="{pad_x}" x2="{width - pad_x}" y1="{base}" y2="{base}" stroke="#e0e0e0"/>']
    for flow in analysis.flows:
        a, b = (pad_x + k * step for k in flow.turns)
        rise = min(base - 4, 8 + (b - a) * 0.6)
        dash = "" if flow.kind == RHYME else ' stroke-dasharray="2 3"'
        parts.append(f'<path class="flow {html.escape(flow.kind)}" d="M{a:.1f},{base} Q{(a + b) / 2:.1f},'
                     f'{base - 2 * rise:.1f} {b:.1f},{base}" fill="none" stroke="{COLOUR}" '
                     f'stroke-width="{1 + flow.strength:.1f}"{dash}><title>{html.escape(_title(flow, speakers))}'
                     "</title></path>")
    label = (f"shared flows: {len(analysis.flows)} (rhyme solid, metre dotted; hover for the words)"
             if analysis.flows else "no shared rhyme or metre")
    parts.append(f'<text x="{width / 2:.0f}" y="{TRACK_H - 2:.0f}" font-size="10" text-anchor="middle" '
                 f'fill="#757575">{label}</text></svg>')
    return "".join(parts)
