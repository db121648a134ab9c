"""The HTML report: one self-contained page (no network) with the picture, the transcript and the tension curve.

This module owns the page: the Graphviz SVG inline (or a note when `dot` is missing: the transcript and the
curve never need it), the transcript beside it with labels coloured and the evidence marked (and the words
rhymed with another voice, `flowview`), the tension curve drawn here as inline SVG with the flow track under it, and a small script so that clicking a node (or a point of the curve) highlights its
turn and clicking a turn highlights its node. Opening the page as `report.html#turn=12` selects turn 12
through the same click path (a link to a turn, and what the Chromium test uses; `#t12` would make the browser
jump to the node's own id and scroll the whole page).

Safety: every piece of user text goes through `html.escape`; the Graphviz SVG is checked before it is inlined
(no script, foreignObject, event handler or link attribute, see `_checked_svg`); a Content-Security-Policy
allows nothing but inline styles, `data:` images and the one script, by its sha256 hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from .. import labels
from ..analysis import NEUTRAL, Analysis, Move, Phase
from ..errors import RenderError
from ..report import speakers_phrase
from ..textio import write_atomic
from . import dot as dotmod
from . import graph as graphmod
from .escape import css_name
from .flowview import flow_track, rhyme_spans
from .legend import PHASE_FILLS, SPEAKER_FILLS
from .output import pipe

_CURVE_W, _CURVE_H, _PAD_X, _PAD_Y = 1000.0, 170.0, 36.0, 18.0
#: Up to this many speakers the figures table starts unfolded.
_OPEN_FIGURES = 8
#: The rule name of the judge's weighed words (shown together, after the rules that decided).
_WORDS = "judge.words"

_STYLE = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #212121; }
body { margin: 0; padding: 12px 18px; background: #fafafa; }
h1 { font-size: 1.25rem; margin: 0 0 4px; }
.summary { margin: 0 0 8px; color: #424242; }
summary { cursor: pointer; color: #424242; font-size: .85rem; }
.figures { border-collapse: collapse; font-size: .85rem; margin: 4px 0 10px; }
.figures th, .figures td { border: 1px solid #ddd; padding: 2px 8px; text-align: right; }
.figures .joint { color: #757575; }
.figures th:first-child, .figures td:first-child { text-align: left; }
#curve { width: 100%; height: auto; max-height: 190px; background: #fff; border: 1px solid #ddd; cursor: pointer; }
#panes { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px; margin-top: 10px; }
@media (max-width: 900px) { #panes { grid-template-columns: 1fr; } }
#graph, #transcript { background: #fff; border: 1px solid #ddd; height: 78vh; overflow: auto; }
#graph svg { max-width: 100%; height: auto; }
#graph g.node { cursor: pointer; }
#graph g.node.selected { filter: drop-shadow(0 0 4px #ff6f00) drop-shadow(0 0 3px #ff6f00); }
.note { padding: 1em; color: #5d4037; background: #fff8e1; margin: 0; }
#turns { list-style: none; margin: 0; padding: 0; font-size: .9rem; }
#turns li { padding: 4px 8px; border-bottom: 1px solid #eee; border-left: 5px solid transparent; cursor: pointer; }
#turns li.selected { background: #fff3cd; border-left-color: #ff8f00; }
.idx { color: #9e9e9e; font-variant-numeric: tabular-nums; }
.spk { font-weight: 600; padding: 0 4px; border-radius: 3px; }
.badge { font-size: .72rem; font-weight: 700; text-transform: uppercase; padding: 0 5px; border-radius: 3px;
  color: #fff; background: #757575; }
.text { white-space: pre-wrap; display: block; margin-top: 2px; }
.cue { display: block; font-size: .75rem; color: #616161; }
mark { background: #ffe0b2; }
details.also { font-size: .75rem; color: #757575; }
details.also summary { font-size: .75rem; color: #9e9e9e; }
details.also ul { margin: 0; padding-left: 1.2em; }
mark.rhyme { background: #f3e5f5; border-bottom: 2px solid #7b1fa2; }
#flowtrack { width: 100%; height: auto; max-height: 60px; background: #fff; border: 1px solid #ddd;
  border-top: 0; display: block; }
.phase { font-size: .75rem; color: #757575; font-style: italic; }
"""


def _css_classes() -> str:
    rules = [f".spk.s{k} {{ background: {fill}; }}" for k, fill in enumerate(SPEAKER_FILLS)]
    rules += [f".badge.{css_name(label)} {{ background: {colour}; }}\n"
              f"#turns li.{css_name(label)} {{ border-left-color: {colour}; }}"
              for label, colour in ((known.name, known.colour) for known in labels.REGISTRY) if label != NEUTRAL]
    rules.append("#turns li.neutral { border-left-color: transparent; }")
    return "\n".join(rules)


_SCRIPT = """
(function () {
  "use strict";
  var list = document.getElementById("turns");
  var graph = document.getElementById("graph");
  var curve = document.getElementById("curve");
  function clear() {
    var old = document.querySelectorAll(".selected");
    for (var k = 0; k < old.length; k++) { old[k].classList.remove("selected"); }
  }
  function reveal(pane, el) {
    if (!pane || !el) { return; }
    var a = pane.getBoundingClientRect(), b = el.getBoundingClientRect();
    pane.scrollTop += (b.top + b.bottom) / 2 - (a.top + a.bottom) / 2;
    pane.scrollLeft += (b.left + b.right) / 2 - (a.left + a.right) / 2;
  }
  function select(i, from) {
    var li = document.getElementById("turn-" + i);
    if (!li) { return; }
    clear();
    li.classList.add("selected");
    var node = li.getAttribute("data-node") ? document.getElementById(li.getAttribute("data-node")) : null;
    if (node) { node.classList.add("selected"); }
    if (from !== "list") { reveal(document.getElementById("transcript"), li); }
    if (node && from !== "graph") { reveal(graph, node); }
    var marker = document.getElementById("curve-marker");
    if (marker && curve) {
      var x = curve.getAttribute("data-x0") * 1 + i * curve.getAttribute("data-step");
      marker.setAttribute("x1", x); marker.setAttribute("x2", x); marker.setAttribute("visibility", "visible");
    }
    document.body.setAttribute("data-selected", String(i));
    document.body.setAttribute("data-selected-by", from);
  }
  if (graph) {
    graph.addEventListener("click", function (ev) {
      var g = ev.target.closest ? ev.target.closest("g.node") : null;
      var m = g ? /^[tr]([0-9]+)$/.exec(g.id) : null;
      if (m) { select(+m[1], "graph"); }
    });
  }
  list.addEventListener("click", function (ev) {
    var li = ev.target.closest ? ev.target.closest("li.turn") : null;
    if (li) { select(+li.getAttribute("data-turn"), "list"); }
  });
  if (curve) {
    curve.addEventListener("click", function (ev) {
      var pt = curve.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
      var p = pt.matrixTransform(curve.getScreenCTM().inverse());
      var n = curve.getAttribute("data-n") * 1, step = curve.getAttribute("data-step") * 1;
      var i = Math.round((p.x - curve.getAttribute("data-x0")) / (step || 1));
      select(Math.max(0, Math.min(n - 1, i)), "curve");
    });
  }
  var h = /^#turn=([0-9]+)$/.exec(location.hash);
  if (h) {
    var target = document.getElementById("t" + h[1]);
    var inner = target ? target.querySelector("text, polygon, ellipse, path") : null;
    if (inner) {
      inner.dispatchEvent(new MouseEvent("click", {bubbles: true}));
      reveal(graph, target);
    } else { select(+h[1], "hash"); }
  }
})();
""".strip()


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _csp(script: str) -> str:
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src '{_script_hash(script)}'; base-uri 'none'; form-action 'none'")


_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "use", "image", "animate", "set",
                   "handler", "listener"}


def _checked_svg(svg: str) -> str:
    """The Graphviz SVG without prolog and comments; RenderError if it holds anything
    active (it never should: every label was escaped, no URL attribute was set)."""
    start = svg.find("<svg")
    if start < 0:
        raise RenderError("Graphviz produced no SVG")
    svg = re.sub(r"<!--.*?-->", "", svg[start:], flags=re.DOTALL)
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise RenderError(f"Graphviz produced invalid SVG: {exc}") from None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        names = [name.rsplit("}", 1)[-1].lower() for name in element.attrib]
        if tag in _FORBIDDEN_TAGS or any(n == "href" or n.startswith("on") for n in names):
            raise RenderError(f"refusing to inline SVG with <{tag}> {' '.join(names)}")
    return svg.replace("<svg ", '<svg role="img" aria-label="argument graph" ', 1)


def _text_with_cues(text: str, move: Move, rhymes: Sequence[tuple[int, int]] = ()) -> str:
    """The turn's text with the deciding evidence marked (a cue that lost is never marked: it did not decide),
    and the words it rhymes on with another voice (`mark.rhyme`), nested inside an evidence mark when the
    evidence covers them (a whole-turn cue must not hide the rhyme)."""
    evidence = _merged((c.span for c in move.deciding), len(text))
    rhyming = _merged(rhymes, len(text))
    cuts = sorted({0, len(text), *(x for span in (*evidence, *rhyming) for x in span)})
    out: list[str] = []
    in_evidence = in_rhyme = False
    for a, b in zip(cuts, cuts[1:]):
        ev = any(s <= a and b <= e for s, e in evidence)
        rh = any(s <= a and b <= e for s, e in rhyming)
        if in_rhyme and (not rh or ev != in_evidence):
            out.append("</mark>")
            in_rhyme = False
        if ev != in_evidence:
            out.append("<mark>" if ev else "</mark>")
            in_evidence = ev
        if rh and not in_rhyme:
            out.append('<mark class="rhyme">')
            in_rhyme = True
        out.append(html.escape(text[a:b]))
    out += ["</mark>"] * (in_rhyme + in_evidence)
    return "".join(out)


def _merged(spans: Iterable[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """The non-empty spans inside the text (`limit` its length), joined where they overlap or touch (a word
    inside a phrase cue is marked once)."""
    merged: list[list[int]] = []
    for a, b in sorted(span for span in spans if 0 <= span[0] < span[1] <= limit):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _quote(text: str, span: tuple[int, int]) -> str:
    a, b = span
    return f" \u201c{html.escape(text[a:b])}\u201d" if 0 <= a < b <= len(text) else ""


def _evidence(text: str, move: Move) -> str:
    """The deciding rules, then the words that weighed most (one line), then the cues that lost, folded
    away under "also seen" with the label each argued for and the rule's note (why it was set aside)."""
    deciding = [c for c in move.deciding if c.rule != _WORDS]
    words = [q for q in dict.fromkeys(_quote(text, c.span) for c in move.deciding if c.rule == _WORDS) if q]
    parts = [f"{html.escape(c.rule)}{_quote(text, c.span)}" for c in deciding]
    if words:
        parts.append("words:" + ",".join(words))
    out = f'<span class="cue">{"; ".join(parts)}</span>' if parts else ""
    lost = move.also_seen
    if lost:
        items = "".join(f"<li>{html.escape(c.rule)}{_quote(text, c.span)}"
                        + (f" ({html.escape(c.label)})" if c.label != NEUTRAL else "")
                        + (f': <span class="why">{html.escape(c.note)}</span>' if c.note else "") + "</li>"
                        for c in lost)
        out += (f'<details class="also"><summary>also seen ({len(lost)})</summary>'
                f"<ul>{items}</ul></details>")
    return out


def _turn_items(analysis: Analysis, node_of: dict[int, str]) -> str:
    styled = {name: k for k, name in enumerate(graphmod.ranked_speakers(analysis))}
    phase_at = {p.start: p for p in analysis.arc.phases}
    rhymes = rhyme_spans(analysis)
    items = []
    for turn, move in zip(analysis.transcript.turns, analysis.moves):
        i = turn.index
        label = css_name(move.label)
        phase = phase_at.get(i)
        if phase is not None:
            items.append(f'<li class="phase" aria-hidden="true">{html.escape(phase.name)}: '
                         f"{graphmod.turns_text(phase.start, phase.end)}</li>")
        speaker_class = f"s{styled[turn.speaker]}" if turn.speaker in styled else "other"
        node = f' data-node="{node_of[i]}"' if i in node_of else ""
        items.append(
            f'<li id="turn-{i}" class="turn {label}" data-turn="{i}"{node}>'
            f'<span class="idx">#{i}</span> <span class="spk {speaker_class}">{html.escape(turn.speaker)}</span> '
            f'<span class="badge {label}">{html.escape(move.label)}</span>'
            f'<span class="text">{_text_with_cues(turn.text, move, rhymes.get(i, ()))}</span>'
            + _evidence(turn.text, move) + "</li>")
    return "\n".join(items)


def tension_svg(tension: Sequence[float], phases: Sequence[Phase], climax: int | None) -> str:
    """The tension curve as inline SVG: phase bands, the curve, the climax; `data-*` let the script map a
    click to a turn."""
    n = len(tension)
    step = (_CURVE_W - 2 * _PAD_X) / max(n - 1, 1)
    def x(i: float) -> float:
        return _PAD_X + i * step
    def y(v: float) -> float:
        return _CURVE_H - _PAD_Y - v * (_CURVE_H - 2 * _PAD_Y)
    parts = [(f'<svg id="curve" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_CURVE_W:.0f} {_CURVE_H:.0f}" '
             f'data-n="{n}" data-x0="{_PAD_X:.2f}" data-step="{step:.5f}" role="img" '
             'aria-label="tension per turn">')]
    for phase in phases:
        a, b, name = phase.start, phase.end, phase.name
        left, right = x(a - 0.5) if a else _PAD_X, x(b + 0.5) if b < n - 1 else x(n - 1)
        fill = PHASE_FILLS.get(name, "#fafafa")
        parts.append(f'<rect x="{left:.1f}" y="{_PAD_Y:.1f}" width="{max(right - left, 0.5):.1f}" '
                     f'height="{_CURVE_H - 2 * _PAD_Y:.1f}" fill="{fill}"/>')
        if right - left > 8 * len(name):
            parts.append(f'<text x="{left + 4:.1f}" y="{_CURVE_H - _PAD_Y - 4:.1f}" font-size="11" fill="#616161" '
                         f'font-style="italic">{html.escape(name)}</text>')
    for v in (0.0, 0.5, 1.0):
        parts.append(f'<line x1="{_PAD_X}" x2="{_CURVE_W - _PAD_X}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#e0e0e0"/>'
                     f'<text x="{_PAD_X - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#757575">{v:.1f}</text>')
    if n:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(tension))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#c62828" stroke-width="2"/>')
    if climax is not None and 0 <= climax < n:
        cx, cy = x(climax), y(tension[climax])
        anchor = "end" if cx > _CURVE_W * 0.85 else "start" if cx < _CURVE_W * 0.15 else "middle"
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="#b71c1c"/>'
                     f'<text x="{cx:.1f}" y="{max(cy - 8, 10):.1f}" font-size="11" text-anchor="{anchor}" '
                     f'fill="#b71c1c">climax #{climax}</text>')
    parts.append(f'<line id="curve-marker" x1="0" x2="0" y1="{_PAD_Y}" y2="{_CURVE_H - _PAD_Y}" '
                 'stroke="#ff8f00" stroke-width="2" visibility="hidden"/>')
    parts.append(f'<text x="{_CURVE_W / 2:.0f}" y="{_CURVE_H - 3:.0f}" font-size="10" text-anchor="middle" '
                 f'fill="#757575">turn (0 to {max(n - 1, 0)}) · tension 0..1 · click to find the turn</text>')
    parts.append("</svg>")
    return "".join(parts)


def _figures_table(analysis: Analysis) -> str:
    """Per-speaker figures; folded away (a click opens them) when there are many speakers."""
    people, joint = analysis.arc.people, analysis.arc.joint_voices
    rows = [("<tr><th>speaker</th><th>turns</th><th>insults</th><th>accusations</th><th>deflections</th>"
             "<th>repairs offered</th><th>accepted</th></tr>")]
    for f in (*people, *joint):   # joint voices (performances, not people) after the people, marked
        name = html.escape(f.speaker) + (' <span class="joint">(joint voice)</span>' if f.joint else "")
        row = '<tr class="joint">' if f.joint else "<tr>"
        rows.append(f"{row}<td>{name}</td><td>{f.turns}</td>"
                    f"<td>{f.insults}</td><td>{f.accusations}</td><td>{f.deflections}</td>"
                    f"<td>{f.repairs_offered}</td><td>{f.repairs_accepted}</td></tr>")
    is_open = " open" if len(people) + len(joint) <= _OPEN_FIGURES else ""
    counted = f"{len(people)} speaker{'' if len(people) == 1 else 's'}" + (
        f", {len(joint)} joint voice{'' if len(joint) == 1 else 's'}" if joint else "")
    return (f"<details{is_open}><summary>per-speaker figures ({counted})</summary>"
            f'<table class="figures">{"".join(rows)}</table></details>')


def _summary(analysis: Analysis) -> str:
    arc = analysis.arc
    if arc.climax is None or arc.closing == "none":
        return "No conflict: no insult or accusation, tension stays at its floor."
    bits = [f"Closing: <b>{html.escape(arc.closing)}</b>", f"climax at turn {arc.climax}"]
    if arc.escalated_first:
        bits.append(f"escalated first: {html.escape(arc.escalated_first)}")
    if arc.repaired_first:
        bits.append(f"repaired first: {html.escape(arc.repaired_first)}")
    if arc.root_cause is not None:
        bits.append(f"root cause: turn {arc.root_cause} "
                    f"({'answered' if arc.root_cause_answered else 'never answered, only deflected'})")
    return " · ".join(bits)


def html_page(analysis: Analysis, full: bool | None = None) -> str:
    """The whole page as text. Without `dot` (or when it fails) the graph pane holds a note saying why, and
    everything else still works."""
    graph = graphmod.build_graph(analysis, full)
    try:
        svg = _checked_svg(pipe(dotmod.to_digraph(graph), "svg").decode("utf-8"))
        node_of = graphmod.nodes_for_turns(graph)
    except RenderError as exc:  # GraphvizMissing included: the rest of the page needs no `dot`
        svg = f'<p class="note">The graph is missing: {html.escape(str(exc))}.</p>'
        node_of = {}
    t = analysis.transcript
    title = html.escape(os.path.basename(t.source) or t.source)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(_csp(_SCRIPT))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}: argument arc</title>
<style>{_STYLE}{_css_classes()}</style>
</head>
<body>
<h1>{title}: {len(t.turns)} turns, {html.escape(speakers_phrase(t))}</h1>
<p class="summary">{_summary(analysis)}</p>
{_figures_table(analysis)}
{tension_svg(analysis.arc.tension, analysis.arc.phases,
             analysis.arc.climax if analysis.arc.closing != "none" else None)}
{flow_track(analysis, _CURVE_W, _PAD_X)}
<div id="panes">
<div id="graph">{svg}</div>
<div id="transcript"><ol id="turns">
{_turn_items(analysis, node_of)}
</ol></div>
</div>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def write_html(analysis: Analysis, path: str | os.PathLike[str], full: bool | None = None) -> None:
    """Write the report page to `path`, whole or not at all."""
    write_atomic(path, html_page(analysis, full))
