"""The arc as a Graphviz graph: plain data first (`build_graph`), DOT second (`to_digraph`), `dot` last.

This module owns the picture's design and its safety:
  - a node per turn in timeline order (top to bottom), each speaker in its own lane with its own colour AND
    shape, the short text and the move's label written inside; exchange edges styled by label with colour
    plus line style plus arrowhead, so they stay apart in grey; phases as clusters of consecutive turns
    (never per speaker: interleaved clusters make `dot` fail in init_rank); a tension bar in each node; the
    title and legend in the graph label (an HTML table: no rank of its own, so no gap in the layout); SVG
    tooltips with the full text and the evidence;
  - long transcripts (more than `FULL_LIMIT` turns) are summarised unless `full=True`: runs of neutral turns
    collapse into one node and, past `SUMMARY_BUDGET` nodes, stretches between the key turns collapse too;
    phases become marker nodes on the timeline instead of clusters (clusters cost `dot` minutes at 3,000
    nodes);
  - every piece of user text reaches DOT only through `_html` (HTML-like labels) or `_tip` (tooltips); node
    ids are opaque (`t12`), user text never reaches `URL`/`href`/`id`/`class`.
"""

from __future__ import annotations

import html
import itertools
import os
import re
from collections import Counter
from collections.abc import Sequence

import attrs
import graphviz

from ..analysis import NEUTRAL, Analysis, Cue, Move
from .. import labels
from ..errors import GraphvizMissing, RenderError
from ..model import Turn
from ..report import speakers_phrase
from ..textio import write_atomic

#: Above this many turns the default view is summarised, and phases are never drawn as clusters.
FULL_LIMIT = 300
#: The summarised view aims at no more nodes than this.
SUMMARY_BUDGET = 360
#: Speakers past this many (by number of turns) share the "other speakers" style.
MAX_STYLED_SPEAKERS = 8
#: More speakers than this and the lanes are dropped: a lane per speaker would make the picture too wide.
MAX_LANES = 6

#: How each label is drawn (colour, line style, arrowhead, pen width, legend glyph) lives in its record in
#: `dialogue.labels`; these read it.


def label_colour(label: str) -> str:
    return labels.get(label).colour


def edge_style(label: str) -> tuple[str, str, str, str]:
    return labels.get(label).edge


SPEAKER_FILLS = ("#d6e6f5", "#fde3c8", "#dcefd6", "#ecd9e8", "#fff4c2", "#d3eaea", "#f2d7d5", "#e3e3f3")
SPEAKER_SHAPES = ("box", "ellipse", "hexagon", "octagon", "box", "ellipse", "hexagon", "octagon")
_SPEAKER_STYLES = ("filled,rounded", "filled", "filled", "filled", "filled,dashed", "filled,dashed",
                   "filled,dashed", "filled,dashed")
_OTHER_FILL = "#f5f5f5"
PHASE_FILLS = {"opening": "#f7f7f7", "escalation": "#fff3e0", "climax": "#ffebee", "de-escalation": "#eef5fb",
               "resolution": "#e8f5e9", "standoff": "#eceff1"}
_FACE_CHARS = 30
_FACE_LINES = 2
_TIP_CHARS = 1500
_BAR_WIDTH = 60


@attrs.frozen
class Node:
    """A node of the picture: one turn (`kind` "turn"), a collapsed stretch ("run") or a phase marker."""

    id: str
    kind: str
    first: int
    last: int
    speaker: str | None = None
    label: str = NEUTRAL
    face: str = ""
    detail: str = ""
    phase: str | None = None
    marks: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    tension: float | None = None


@attrs.frozen
class Edge:
    """`kind` is "timeline", "exchange" (styled by `label`) or "lane" (invisible, keeps a speaker's column)."""

    tail: str
    head: str
    kind: str
    label: str = NEUTRAL
    count: int = 1
    constraint: bool = True


@attrs.frozen
class Cluster:
    """A phase drawn as a box around consecutive turns."""

    id: str
    name: str
    first: int
    last: int
    nodes: tuple[str, ...]


@attrs.frozen
class ArcGraph:
    """The whole picture as plain data: what `to_digraph` turns into DOT."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    clusters: tuple[Cluster, ...]
    speakers: tuple[str, ...]
    labels: tuple[str, ...]
    summarised: bool
    lanes: bool


# -- escaping: the only two ways user text reaches DOT ------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def _html(text: str) -> str:
    """Text for an HTML-like label: entities for markup, doubled backslashes (Graphviz expands `\\N`, `\\G`
    ... even inside HTML labels), `<BR/>` for newlines, `]` as an entity (Graphviz 2.43 rejects a cell that
    is only `]`)."""
    return (html.escape(_clean(text), quote=True).replace("\\", "\\\\").replace("]", "&#93;")
            .replace("\n", "<BR/>"))


def _tip(text: str) -> str:
    """Text for a tooltip (an escString): entities for markup and `&` (Graphviz passes entities through to
    SVG as they are), backslashes quadrupled (Graphviz 2.43 unescapes tooltips twice), `\\n` for newlines."""
    text = html.escape(_clean(text)[:_TIP_CHARS], quote=True).replace("\\", "\\\\\\\\")
    return graphviz.nohtml(text.replace("\n", "\\n"))


def _css(word: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", word.lower()) or "other"


# -- plain data ------------------------------------------------------------------------------------------

def build_graph(analysis: Analysis, full: bool | None = None) -> ArcGraph:
    """The picture of `analysis` as data: summarised past `FULL_LIMIT` turns unless `full` is true."""
    turns = analysis.transcript.turns
    summarised = not full and len(turns) > FULL_LIMIT
    phase_of = _phase_index(analysis)
    speakers = _ranked_speakers(analysis)
    lanes = not summarised and len(speakers) <= MAX_LANES and len(turns) <= FULL_LIMIT
    if summarised:
        nodes = _summary_nodes(analysis, phase_of)
    else:
        nodes = [_turn_node(analysis, i, phase_of) for i in range(len(turns))]
    clustered = not summarised and len(turns) <= FULL_LIMIT
    if not clustered:
        nodes = _with_phase_markers(analysis, nodes)
    edges = _edges(analysis, nodes, lanes)
    clusters = _clusters(analysis, nodes) if clustered else ()
    present = {m.label for m in analysis.moves} | {e.label for e in analysis.exchanges}
    shown = tuple(label for label in labels.NAMES if label in present) + tuple(sorted(present - set(labels.NAMES)))
    return ArcGraph(title=_title(analysis), nodes=tuple(nodes), edges=edges, clusters=clusters,
                    speakers=speakers, labels=shown, summarised=summarised, lanes=lanes)


def _ranked_speakers(analysis: Analysis) -> tuple[str, ...]:
    """Speakers in order of appearance; past `MAX_STYLED_SPEAKERS` only the most frequent keep a style."""
    order = analysis.transcript.speaker_names
    if len(order) <= MAX_STYLED_SPEAKERS:
        return order
    counts = Counter(t.speaker for t in analysis.transcript.turns)
    first = {s: i for i, s in enumerate(order)}   # order.index in the key was quadratic in speakers
    top = set(sorted(order, key=lambda s: (-counts[s], first[s]))[:MAX_STYLED_SPEAKERS])
    return tuple(s for s in order if s in top)


def _phase_index(analysis: Analysis) -> list[str | None]:
    out: list[str | None] = [None] * len(analysis.transcript.turns)
    for phase in analysis.arc.phases:
        for i in range(max(phase.start, 0), min(phase.end + 1, len(out))):
            out[i] = phase.name
    return out


def _marks(analysis: Analysis, i: int) -> tuple[str, ...]:
    arc = analysis.arc
    marks = []
    if arc.climax == i and arc.closing != "none":
        marks.append("climax")
    if arc.root_cause == i:
        marks.append("root cause" + ("" if arc.root_cause_answered else ", never answered"))
    if i in arc.humour:
        marks.append("humour breaks the tension")
    return tuple(marks)


def _face(text: str) -> str:
    """The first words of a turn, wrapped to at most two short lines."""
    words = " ".join(_clean(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if len(word) > _FACE_CHARS:
            word = word[:_FACE_CHARS - 1] + "…"
        if current and len(current) + 1 + len(word) > _FACE_CHARS:
            lines.append(current)
            current = word
            if len(lines) == _FACE_LINES:
                break
        else:
            current = f"{current} {word}" if current else word
    else:
        lines.append(current)
        return "\n".join(line for line in lines if line)
    lines[-1] = lines[-1].rstrip(".,;:!? ") + " …"
    return "\n".join(lines)


def _evidence(turn: Turn, move: Move, cues: Sequence[Cue]) -> str:
    parts = []
    for cue in cues:
        a, b = cue.span
        quoted = turn.text[a:b] if 0 <= a <= b <= len(turn.text) else ""
        parts.append(f"{cue.rule}" + (f" on \u201c{quoted}\u201d" if quoted else "")
                     + (f" ({cue.label})" if cue.label not in (NEUTRAL, move.label) else ""))
    return "; ".join(parts)


def _turn_node(analysis: Analysis, i: int, phase_of: Sequence[str | None]) -> Node:
    turn, move = analysis.transcript.turns[i], analysis.moves[i]
    marks = _marks(analysis, i)
    detail = [f"#{i} {turn.speaker} (line {turn.line})", turn.text, "",
              f"{move.label} {move.score:.2f}" + (f", tension {analysis.arc.tension[i]:.2f}"
                                                    if i < len(analysis.arc.tension) else "")]
    evidence, lost = _evidence(turn, move, move.deciding), _evidence(turn, move, move.also_seen)
    if evidence:
        detail.append("evidence: " + evidence)
    if lost:   # cues that did not decide the label are named apart, never as its evidence
        detail.append("also seen: " + lost)
    if marks:
        detail.append(" · ".join(marks))
    tension = analysis.arc.tension[i] if i < len(analysis.arc.tension) else None
    return Node(id=f"t{i}", kind="turn", first=i, last=i, speaker=turn.speaker, label=move.label,
                face=_face(turn.text), detail="\n".join(detail), phase=phase_of[i], marks=marks, tension=tension)


def _run_node(analysis: Analysis, a: int, b: int, phase_of: Sequence[str | None]) -> Node:
    counts = Counter(analysis.moves[i].label for i in range(a, b + 1))
    hostile = {k: v for k, v in counts.items() if k != NEUTRAL}
    label = max(hostile, key=lambda k: (hostile[k], k)) if hostile else NEUTRAL
    speakers = Counter(analysis.transcript.turns[i].speaker for i in range(a, b + 1))
    names = ", ".join(name for name, _ in speakers.most_common(3)) + (" …" if len(speakers) > 3 else "")
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    detail = f"turns {a}–{b} ({b - a + 1} turns) by {names}\n{summary}"
    return Node(id=f"r{a}", kind="run", first=a, last=b, label=label, face=f"{b - a + 1} turns: {summary}",
                detail=detail, phase=phase_of[a], counts=tuple(sorted(counts.items())))


def _summary_nodes(analysis: Analysis, phase_of: Sequence[str | None]) -> list[Node]:
    """Non-neutral turns kept, neutral runs collapsed; past the budget, only key turns are kept."""
    n = len(analysis.moves)
    keep = {i for i, m in enumerate(analysis.moves) if m.label != NEUTRAL}
    if 2 * len(keep) + 1 > SUMMARY_BUDGET:
        keep = _key_turns(analysis, SUMMARY_BUDGET // 2)
    boundaries = {p.start for p in analysis.arc.phases}
    nodes: list[Node] = []
    i = 0
    while i < n:
        if i in keep:
            nodes.append(_turn_node(analysis, i, phase_of))
            i += 1
            continue
        j = i
        while j + 1 < n and j + 1 not in keep and j + 1 not in boundaries:
            j += 1
        nodes.append(_turn_node(analysis, i, phase_of) if j == i else _run_node(analysis, i, j, phase_of))
        i = j + 1
    return nodes


def _key_turns(analysis: Analysis, budget: int) -> set[int]:
    """The turns a summary must show: climax and its neighbours, root cause, first attack and repair, then
    the strongest attacks and repairs up to `budget`."""
    arc, n = analysis.arc, len(analysis.moves)
    key: set[int] = set()
    if arc.climax is not None and arc.closing != "none":
        key |= set(range(max(0, arc.climax - 2), min(n, arc.climax + 3)))
    key |= {i for i in (arc.root_cause,) if i is not None}
    # each speaker's first attack and repair, the busiest speakers first, while the budget lasts
    for f in sorted(arc.speakers, key=lambda f: -f.turns):
        if len(key) >= budget // 2:
            break
        key |= {i for i in (f.first_attack, f.first_repair) if i is not None}
    tension = arc.tension or (0.0,) * n
    ranked = sorted((i for i, m in enumerate(analysis.moves) if m.label != NEUTRAL and i not in key),
                    key=lambda i: (-(analysis.moves[i].score + tension[i]), i))
    key |= set(ranked[:max(0, budget - len(key))])
    return key


def _with_phase_markers(analysis: Analysis, nodes: list[Node]) -> list[Node]:
    """Phases as marker nodes on the timeline: cheap for `dot`, unlike clusters."""
    starts = {p.start: p for p in analysis.arc.phases}
    out: list[Node] = []
    for node in nodes:
        phase = starts.get(node.first)
        if phase is not None:
            out.append(Node(id=f"p{phase.start}", kind="phase", first=phase.start, last=phase.end,
                            label=phase.name, face=f"{phase.name}: {turns_text(phase.start, phase.end)}",
                            detail=f"phase {phase.name}, turns {phase.start} to {phase.end}", phase=phase.name))
        out.append(node)
    return out


def _edges(analysis: Analysis, nodes: Sequence[Node], lanes: bool) -> tuple[Edge, ...]:
    owner: dict[int, str] = {}
    for node in nodes:
        if node.kind != "phase":
            for i in range(node.first, node.last + 1):
                owner[i] = node.id
    singles = {node.id for node in nodes if node.kind == "turn"}
    adjacent = {(a.id, b.id) for a, b in itertools.pairwise(nodes)}
    exchanges: Counter[tuple[str, str, str]] = Counter()
    for ex in analysis.exchanges:
        tail, head = owner.get(ex.initiation), owner.get(ex.response)
        if tail and head and tail != head and tail in singles and head in singles:
            exchanges[(tail, head, ex.label)] += 1
    edges = []
    covered = set()
    for (tail, head, label), count in exchanges.items():
        edges.append(Edge(tail, head, "exchange", label, count, constraint=(tail, head) in adjacent))
        covered.add((tail, head))
    for a, b in itertools.pairwise(nodes):
        if (a.id, b.id) not in covered:
            edges.append(Edge(a.id, b.id, "timeline"))
    if lanes:
        last: dict[str | None, str] = {}
        for node in nodes:
            if node.kind == "turn":
                if node.speaker in last:
                    edges.append(Edge(last[node.speaker], node.id, "lane"))
                last[node.speaker] = node.id
    order = {node.id: k for k, node in enumerate(nodes)}
    kinds = {"timeline": 0, "exchange": 1, "lane": 2}
    return tuple(sorted(edges, key=lambda e: (order[e.tail], order[e.head], kinds.get(e.kind, 3), e.label)))


def turns_text(first: int, last: int) -> str:
    """`turn 4` or `turns 4–9`."""
    return f"turn {first}" if first == last else f"turns {first}–{last}"


def _clusters(analysis: Analysis, nodes: Sequence[Node]) -> tuple[Cluster, ...]:
    out = []
    for k, phase in enumerate(analysis.arc.phases):
        members = tuple(node.id for node in nodes if phase.start <= node.first <= phase.end)
        if members:
            out.append(Cluster(f"cluster_p{k}", phase.name, phase.start, phase.end, members))
    return tuple(out)


def _title(analysis: Analysis) -> str:
    arc, t = analysis.arc, analysis.transcript
    head = f"{os.path.basename(t.source) or t.source}: {len(t.turns)} turns, {speakers_phrase(t)}"
    if arc.climax is None or arc.closing == "none":
        return head + "\nno conflict: no insult or accusation"
    peak = arc.tension[arc.climax] if arc.climax < len(arc.tension) else 0.0
    return (f"{head}\nclosing: {arc.closing} · climax at turn {arc.climax} (tension {peak:.2f})"
            + (f" · escalated first: {arc.escalated_first}" if arc.escalated_first else "")
            + (f" · repaired first: {arc.repaired_first}" if arc.repaired_first else "")
            + (f"\nroot cause: turn {arc.root_cause}, "
               + ("answered" if arc.root_cause_answered else "never answered, only deflected or attacked")
               if arc.root_cause is not None else ""))


# -- DOT -------------------------------------------------------------------------------------------------

def to_digraph(graph: ArcGraph) -> graphviz.Digraph:
    """The DOT of an `ArcGraph`; attribute order and statement order are stable, so tests read `.source`."""
    dot = graphviz.Digraph("arc", graph_attr={
        "rankdir": "TB", "newrank": "true", "nodesep": "0.35", "ranksep": "0.22", "fontname": "Helvetica",
        "labelloc": "t", "label": _title_label(graph, {name: k for k, name in enumerate(graph.speakers)}),
        "tooltip": _tip(graph.title), "id": "arcgraph"},
        node_attr={"fontname": "Helvetica", "fontsize": "10", "margin": "0.06,0.03"},
        edge_attr={"arrowsize": "0.7"})
    styles = {name: k for k, name in enumerate(graph.speakers)}
    groups = {name: f"s{k}" for k, name in enumerate(dict.fromkeys(
        n.speaker for n in graph.nodes if n.kind == "turn"))}
    clustered = {node_id for c in graph.clusters for node_id in c.nodes}
    by_id = {node.id: node for node in graph.nodes}
    for node in graph.nodes:
        if node.id not in clustered:
            dot.node(node.id, **_node_attrs(node, styles, groups if graph.lanes else {}))
    for k, cluster in enumerate(graph.clusters):
        with dot.subgraph(name=cluster.id) as sub:
            sub.attr(label=f"<<I>{_html(cluster.name)}</I>  <FONT POINT-SIZE=\"9\">"
                           f"{turns_text(cluster.first, cluster.last)}</FONT>>", style="filled,rounded", color="#bdbdbd",
                     fillcolor=PHASE_FILLS.get(cluster.name, "#fafafa"), fontname="Helvetica",
                     labeljust="l", id=f"phase{k}")
            for node_id in cluster.nodes:
                sub.node(node_id, **_node_attrs(by_id[node_id], styles, groups if graph.lanes else {}))
    for edge in graph.edges:
        dot.edge(edge.tail, edge.head, **_edge_attrs(edge))
    return dot


def _title_label(graph: ArcGraph, styles: dict[str, int]) -> str:
    head, *rest = graph.title.splitlines()
    lines = "".join(f"<TR><TD>{_html(line)}</TD></TR>" for line in rest)
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD><FONT POINT-SIZE="16"><B>{_html(head)}'
            f'</B></FONT></TD></TR>{lines}<TR><TD>{_legend_table(graph, styles)}</TD></TR></TABLE>>')


def _node_attrs(node: Node, styles: dict[str, int], groups: dict[str | None, str]) -> dict[str, str]:
    colour = label_colour(node.label)
    if node.kind == "phase":
        return {"shape": "cds", "style": "filled", "fillcolor": PHASE_FILLS.get(node.label, "#fafafa"),
                "color": "#9e9e9e", "label": f"<<I>{_html(node.face)}</I>>", "tooltip": _tip(node.detail),
                "id": node.id, "class": "phase"}
    if node.kind == "run":
        return {"shape": "box", "style": "filled,dashed", "fillcolor": "#ffffff", "color": colour,
                "fontcolor": "#424242", "label": f"<{_html(node.face)}>", "tooltip": _tip(node.detail),
                "id": node.id, "class": f"run {_css(node.label)}"}
    k = styles.get(node.speaker or "")
    fill = SPEAKER_FILLS[k] if k is not None else _OTHER_FILL
    shape = SPEAKER_SHAPES[k] if k is not None else "box"
    style = _SPEAKER_STYLES[k] if k is not None else "filled"
    badge = node.label.upper() if node.label != NEUTRAL else "neutral"
    rows = [(f'<TR><TD ALIGN="LEFT"><B>#{node.first} {_html(node.speaker or "")}</B></TD>'
            f'<TD ALIGN="RIGHT"><FONT COLOR="{colour}" POINT-SIZE="9"><B>{_html(badge)}</B></FONT></TD></TR>'),
            f'<TR><TD ALIGN="LEFT" COLSPAN="2">{_html(node.face)}</TD></TR>']
    if node.tension is not None:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2">{_bar(node.tension)}</TD></TR>')
    if node.marks:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="#b71c1c" POINT-SIZE="9"><B>'
                    f'{_html(" · ".join("★ " + m for m in node.marks))}</B></FONT></TD></TR>')
    attrs_ = {"shape": shape, "style": style, "fillcolor": fill, "color": colour,
              "penwidth": "1" if node.label == NEUTRAL else "2.2",
              "label": f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}'
                       "</TABLE>>",
              "tooltip": _tip(node.detail), "id": node.id, "class": f"turn {_css(node.label)}"}
    if "climax" in node.marks:
        attrs_["peripheries"] = "2"
    if node.speaker in groups:
        attrs_["group"] = groups[node.speaker]
    return attrs_


def _bar(tension: float) -> str:
    """A small bar with its value: the red part is the turn's tension on the absolute 0..1 scale."""
    filled = round(max(0.0, min(1.0, tension)) * _BAR_WIDTH)
    cells = [(filled, "#e53935"), (_BAR_WIDTH - filled, "#cfcfcf")]
    bar = "".join(f'<TD WIDTH="{w}" HEIGHT="5" FIXEDSIZE="TRUE" BGCOLOR="{c}"></TD>' for w, c in cells if w)
    # The bar sits in a fixed-size table of its own: a table stretched to its cell spreads its cells apart.
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" WIDTH="{_BAR_WIDTH}" '
            f'HEIGHT="5" FIXEDSIZE="TRUE"><TR>{bar}</TR></TABLE></TD>'
            f'<TD WIDTH="4"></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="7" COLOR="#616161">tension '
            f"{tension:.2f}</FONT></TD></TR></TABLE>")


def _edge_attrs(edge: Edge) -> dict[str, str]:
    if edge.kind == "lane":
        return {"style": "invis", "weight": "4"}
    if edge.kind == "timeline":
        return {"color": "#cfcfcf", "arrowhead": "none", "weight": "8"}
    colour, style, head, width = edge_style(edge.label)
    out = {"color": colour, "style": style, "arrowhead": head, "penwidth": width,
           "tooltip": _tip(f"{edge.label}: turn {edge.tail[1:]} answered by turn {edge.head[1:]}"),
           "class": f"exchange {_css(edge.label)}"}
    if edge.count > 1:
        out["label"] = f"<×{edge.count}>"
    if edge.constraint:
        out["weight"] = "8"
    else:
        out["constraint"] = "false"
    return out


#: How each label's edge looks, in glyphs the legend can print (the legend lives in the graph label, an HTML
#: table, so that it takes no rank of its own in the layout).
_SHAPE_WORDS = ("rounded box", "oval", "hexagon", "octagon", "dashed box", "dashed oval", "dashed hexagon",
                "dashed octagon")


def _legend_table(graph: ArcGraph, styles: dict[str, int]) -> str:
    """The legend: speakers (colour and shape), reply styles by label, and what the marks mean."""
    speakers = [f'<TD BGCOLOR="{SPEAKER_FILLS[k]}" BORDER="1" COLOR="#9e9e9e">{_html(name)}'
                f' <FONT POINT-SIZE="8">({_SHAPE_WORDS[k]})</FONT></TD>' for name, k in styles.items()]
    if len(graph.speakers) < len({n.speaker for n in graph.nodes if n.kind == "turn"}):
        speakers.append(f'<TD BGCOLOR="{_OTHER_FILL}" BORDER="1" COLOR="#9e9e9e">other speakers '
                        '<FONT POINT-SIZE="8">(box)</FONT></TD>')
    replies = [f'<TD><FONT COLOR="{label_colour(label)}"><B>'
               f'{labels.get(label).glyph}</B> {_html(label)}</FONT></TD>'
               for label in graph.labels or (NEUTRAL,)]
    notes = ("an arrow leads from a turn to its reply, drawn in the style of the reply&#39;s move · "
             "node border: the move&#39;s label · double border: the climax · red bar: tension (0 to 1)")
    rows = [("speakers", speakers), ("replies", replies)]
    body = "".join(f'<TR><TD ALIGN="RIGHT"><I>{title}</I></TD><TD><TABLE BORDER="0" CELLSPACING="4"><TR>'
                   f'{"".join(cells)}</TR></TABLE></TD></TR>' for title, cells in rows if cells)
    return ('<TABLE BORDER="1" COLOR="#bdbdbd" STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
            f'{body}<TR><TD></TD><TD><FONT POINT-SIZE="9">{notes}</FONT></TD></TR></TABLE>')


def digraph(analysis: Analysis, full: bool | None = None) -> graphviz.Digraph:
    """`to_digraph(build_graph(analysis, full))`."""
    return to_digraph(build_graph(analysis, full))


# -- output ----------------------------------------------------------------------------------------------

def pipe(dot: graphviz.Digraph | graphviz.Graph, fmt: str, **options: object) -> bytes:
    """Run the graph's engine (`dot`) on it; GraphvizMissing when it is not installed, RenderError when it
    fails. `options` go to `graphviz`'s `pipe` (e.g. `neato_no_op=2` for pinned positions)."""
    try:
        return dot.pipe(format=fmt, quiet=True, **options)  # type: ignore[arg-type]
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing(fmt) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else str(exc)
        message = " ".join(detail.split())[:300] or f"exit status {exc.returncode}"
        raise RenderError(f"Graphviz dot failed: {message}") from None


def svg_text(analysis: Analysis, full: bool | None = None) -> str:
    """The picture as SVG text (needs `dot`)."""
    return pipe(digraph(analysis, full), "svg").decode("utf-8")


def render_graph(analysis: Analysis, path: str | os.PathLike[str], fmt: str, full: bool | None = None) -> None:
    """Write the picture as `fmt` ("dot", "svg", "png", "pdf") to `path`, whole or not at all."""
    dot = digraph(analysis, full)
    data: str | bytes = dot.source if fmt == "dot" else pipe(dot, fmt)
    write_atomic(path, data)


def nodes_for_turns(graph: ArcGraph) -> dict[int, str]:
    """Turn index -> id of the node that shows it (a turn node or the run that holds it)."""
    out: dict[int, str] = {}
    for node in graph.nodes:
        if node.kind != "phase":
            out.update(dict.fromkeys(range(node.first, node.last + 1), node.id))
    return out

