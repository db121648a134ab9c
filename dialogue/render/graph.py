"""The arc picture as plain data (`build_graph` -> `ArcGraph`): what `dot.to_digraph` turns into DOT.

This module owns what the picture shows, with no graphviz in sight:
  - a node per turn in timeline order, each speaker in its own lane; exchange edges by label; flow edges
    between turns that share a rhyme or metre (docs/FLOWS.md); phases as
    clusters of consecutive turns (never per speaker: interleaved clusters make `dot` fail in init_rank);
  - long transcripts (more than `FULL_LIMIT` turns) are summarised unless `full=True`: runs of neutral turns
    collapse into one node and, past `SUMMARY_BUDGET` nodes, stretches between the key turns collapse too;
    phases become marker nodes on the timeline instead of clusters (clusters cost `dot` minutes at 3,000
    nodes);
  - node ids are opaque (`t12`, `r40`, `p7`): user text never becomes an id.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Sequence

import attrs

from .. import labels
from ..analysis import NEUTRAL, RHYME, Analysis, Cue, Move
from ..model import Turn
from ..report import speakers_phrase
from .escape import clean

#: Above this many turns the default view is summarised, and phases are never drawn as clusters.
FULL_LIMIT = 300
#: The summarised view aims at no more nodes than this.
SUMMARY_BUDGET = 360
#: Speakers past this many (by number of turns) share the "other speakers" style.
MAX_STYLED_SPEAKERS = 8
#: More speakers than this and the lanes are dropped: a lane per speaker would make the picture too wide.
MAX_LANES = 6
_FACE_CHARS = 30
_FACE_LINES = 2


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
    """`kind` is "timeline", "exchange" (styled by `label`), "lane" (invisible, keeps a speaker's column) or
    "flow" (a shared rhyme or metre: `label` is the flow's kind, `text` its words)."""

    tail: str
    head: str
    kind: str
    label: str = NEUTRAL
    count: int = 1
    constraint: bool = True
    text: str = ""


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



def build_graph(analysis: Analysis, full: bool | None = None) -> ArcGraph:
    """The picture of `analysis` as data: summarised past `FULL_LIMIT` turns unless `full` is true."""
    turns = analysis.transcript.turns
    summarised = not full and len(turns) > FULL_LIMIT
    phase_of = _phase_index(analysis)
    speakers = ranked_speakers(analysis)
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


def ranked_speakers(analysis: Analysis) -> tuple[str, ...]:
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
    words = " ".join(clean(text).split()).split(" ")
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
    for flow in analysis.flows:  # only between turns drawn as themselves: a run has no one word to show
        tail, head = owner.get(flow.turns[0]), owner.get(flow.turns[1])
        if tail in singles and head in singles and tail != head:
            words = " / ".join(clean(w) for w in flow.words)
            edges.append(Edge(tail, head, "flow", flow.kind, constraint=False,
                              text=words if flow.kind == RHYME else f"metre ({words})"))
    if lanes:
        last: dict[str | None, str] = {}
        for node in nodes:
            if node.kind == "turn":
                if node.speaker in last:
                    edges.append(Edge(last[node.speaker], node.id, "lane"))
                last[node.speaker] = node.id
    order = {node.id: k for k, node in enumerate(nodes)}
    kinds = {"timeline": 0, "exchange": 1, "lane": 2, "flow": 3}
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



def nodes_for_turns(graph: ArcGraph) -> dict[int, str]:
    """Turn index -> id of the node that shows it (a turn node or the run that holds it)."""
    out: dict[int, str] = {}
    for node in graph.nodes:
        if node.kind != "phase":
            out.update(dict.fromkeys(range(node.first, node.last + 1), node.id))
    return out
