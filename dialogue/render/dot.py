"""The arc's `ArcGraph` (see `graph`) as Graphviz DOT (`to_digraph`), then through `dot` to files.

This module owns the DOT attributes: each speaker's colour AND shape, the short text and the move's label
inside each node; exchange edges styled by label with colour plus line style plus arrowhead, so they stay
apart in grey; shared-flow edges (rhyme dashed, metre dotted, the words on them); a tension bar in each node; SVG tooltips with the full text and the evidence. Every piece of
user text goes through `escape`; node ids are opaque, user text never reaches `URL`/`href`/`id`/`class`.
"""

from __future__ import annotations

import os

import graphviz

from ..analysis import NEUTRAL, Analysis
from ..textio import write_atomic
from .escape import css_name, html_text, tooltip
from .graph import ArcGraph, Edge, Node, build_graph, turns_text
from .legend import (PHASE_FILLS, SPEAKER_FILLS, SPEAKER_SHAPES, SPEAKER_STYLES, OTHER_FILL, edge_style,
                     label_colour, title_label)
from .output import pipe

_BAR_WIDTH = 60


def to_digraph(graph: ArcGraph) -> graphviz.Digraph:
    """The DOT of an `ArcGraph`; attribute order and statement order are stable, so tests read `.source`."""
    dot = graphviz.Digraph("arc", graph_attr={
        "rankdir": "TB", "newrank": "true", "nodesep": "0.35", "ranksep": "0.22", "fontname": "Helvetica",
        "labelloc": "t", "label": title_label(graph, {name: k for k, name in enumerate(graph.speakers)}),
        "tooltip": tooltip(graph.title), "id": "arcgraph"},
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
            sub.attr(label=f"<<I>{html_text(cluster.name)}</I>  <FONT POINT-SIZE=\"9\">"
                           f"{turns_text(cluster.first, cluster.last)}</FONT>>", style="filled,rounded", color="#bdbdbd",
                     fillcolor=PHASE_FILLS.get(cluster.name, "#fafafa"), fontname="Helvetica",
                     labeljust="l", id=f"phase{k}")
            for node_id in cluster.nodes:
                sub.node(node_id, **_node_attrs(by_id[node_id], styles, groups if graph.lanes else {}))
    for edge in graph.edges:
        dot.edge(edge.tail, edge.head, **_edge_attrs(edge))
    return dot



def _node_attrs(node: Node, styles: dict[str, int], groups: dict[str | None, str]) -> dict[str, str]:
    colour = label_colour(node.label)
    if node.kind == "phase":
        return {"shape": "cds", "style": "filled", "fillcolor": PHASE_FILLS.get(node.label, "#fafafa"),
                "color": "#9e9e9e", "label": f"<<I>{html_text(node.face)}</I>>", "tooltip": tooltip(node.detail),
                "id": node.id, "class": "phase"}
    if node.kind == "run":
        return {"shape": "box", "style": "filled,dashed", "fillcolor": "#ffffff", "color": colour,
                "fontcolor": "#424242", "label": f"<{html_text(node.face)}>", "tooltip": tooltip(node.detail),
                "id": node.id, "class": f"run {css_name(node.label)}"}
    k = styles.get(node.speaker or "")
    fill = SPEAKER_FILLS[k] if k is not None else OTHER_FILL
    shape = SPEAKER_SHAPES[k] if k is not None else "box"
    style = SPEAKER_STYLES[k] if k is not None else "filled"
    badge = node.label.upper() if node.label != NEUTRAL else "neutral"
    rows = [(f'<TR><TD ALIGN="LEFT"><B>#{node.first} {html_text(node.speaker or "")}</B></TD>'
            f'<TD ALIGN="RIGHT"><FONT COLOR="{colour}" POINT-SIZE="9"><B>{html_text(badge)}</B></FONT></TD></TR>'),
            f'<TR><TD ALIGN="LEFT" COLSPAN="2">{html_text(node.face)}</TD></TR>']
    if node.tension is not None:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2">{_bar(node.tension)}</TD></TR>')
    if node.marks:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="#b71c1c" POINT-SIZE="9"><B>'
                    f'{html_text(" · ".join("★ " + m for m in node.marks))}</B></FONT></TD></TR>')
    attrs_ = {"shape": shape, "style": style, "fillcolor": fill, "color": colour,
              "penwidth": "1" if node.label == NEUTRAL else "2.2",
              "label": f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}'
                       "</TABLE>>",
              "tooltip": tooltip(node.detail), "id": node.id, "class": f"turn {css_name(node.label)}"}
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
    if edge.kind == "flow":
        return _flow_attrs(edge)
    colour, style, head, width = edge_style(edge.label)
    out = {"color": colour, "style": style, "arrowhead": head, "penwidth": width,
           "tooltip": tooltip(f"{edge.label}: turn {edge.tail[1:]} answered by turn {edge.head[1:]}"),
           "class": f"exchange {css_name(edge.label)}"}
    if edge.count > 1:
        out["label"] = f"<×{edge.count}>"
    if edge.constraint:
        out["weight"] = "8"
    else:
        out["constraint"] = "false"
    return out



#: Shared flows: one violet for both kinds, told apart by line style (rhyme dashed, metre dotted) so the
#: picture reads in grey too; an open dot at each end: a flow is shared, not a reply.
FLOW_COLOUR = "#7b1fa2"
FLOW_STYLES = {"rhyme": "dashed", "metre": "dotted"}


def _flow_attrs(edge: Edge) -> dict[str, str]:
    return {"color": FLOW_COLOUR, "fontcolor": FLOW_COLOUR, "style": FLOW_STYLES.get(edge.label, "dashed"),
            "dir": "both", "arrowhead": "odot", "arrowtail": "odot", "penwidth": "1.4", "constraint": "false",
            "fontsize": "9", "label": f"<<I>{html_text(edge.text)}</I>>",
            "tooltip": tooltip(f"shared {edge.label}: turn {edge.head[1:]} picks up turn {edge.tail[1:]}"
                               + (f" ({edge.text})" if edge.text else "")),
            "class": f"flow {css_name(edge.label)}"}


def digraph(analysis: Analysis, full: bool | None = None) -> graphviz.Digraph:
    """`to_digraph(build_graph(analysis, full))`."""
    return to_digraph(build_graph(analysis, full))



def svg_text(analysis: Analysis, full: bool | None = None) -> str:
    """The picture as SVG text (needs `dot`)."""
    return pipe(digraph(analysis, full), "svg").decode("utf-8")


def render_graph(analysis: Analysis, path: str | os.PathLike[str], fmt: str, full: bool | None = None) -> None:
    """Write the picture as `fmt` ("dot", "svg", "png", "pdf") to `path`, whole or not at all."""
    dot = digraph(analysis, full)
    data: str | bytes = dot.source if fmt == "dot" else pipe(dot, fmt)
    write_atomic(path, data)
