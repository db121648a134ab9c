"""How the picture looks and its key: speaker fills and shapes, phase fills, label styles, the legend.

Each label's colour, line style, arrowhead and legend glyph live in its record in `dialogue.labels`; this
module reads them, so a registered label is drawn and explained with no change here. The title and legend
sit in the graph label (an HTML table: no rank of its own, so no gap in the layout).
"""

from __future__ import annotations

from .. import labels
from ..analysis import NEUTRAL
from .escape import html_text
from .graph import ArcGraph


def label_colour(label: str) -> str:
    return labels.get(label).colour


def edge_style(label: str) -> tuple[str, str, str, str]:
    return labels.get(label).edge


SPEAKER_FILLS = ("#d6e6f5", "#fde3c8", "#dcefd6", "#ecd9e8", "#fff4c2", "#d3eaea", "#f2d7d5", "#e3e3f3")
SPEAKER_SHAPES = ("box", "ellipse", "hexagon", "octagon", "box", "ellipse", "hexagon", "octagon")
SPEAKER_STYLES = ("filled,rounded", "filled", "filled", "filled", "filled,dashed", "filled,dashed",
                  "filled,dashed", "filled,dashed")
OTHER_FILL = "#f5f5f5"
PHASE_FILLS = {"opening": "#f7f7f7", "escalation": "#fff3e0", "climax": "#ffebee", "de-escalation": "#eef5fb",
               "resolution": "#e8f5e9", "standoff": "#eceff1"}


def title_label(graph: ArcGraph, styles: dict[str, int]) -> str:
    """The graph label: the title lines, then the legend."""
    head, *rest = graph.title.splitlines()
    lines = "".join(f"<TR><TD>{html_text(line)}</TD></TR>" for line in rest)
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD><FONT POINT-SIZE="16"><B>'
            f'{html_text(head)}</B></FONT></TD></TR>{lines}<TR><TD>{legend_table(graph, styles)}</TD></TR></TABLE>>')


#: How each label's edge looks, in glyphs the legend can print (the legend lives in the graph label, an HTML
#: table, so that it takes no rank of its own in the layout).
SHAPE_WORDS = ("rounded box", "oval", "hexagon", "octagon", "dashed box", "dashed oval", "dashed hexagon",
                "dashed octagon")


def legend_table(graph: ArcGraph, styles: dict[str, int]) -> str:
    """The legend: speakers (colour and shape), reply styles by label, and what the marks mean."""
    speakers = [f'<TD BGCOLOR="{SPEAKER_FILLS[k]}" BORDER="1" COLOR="#9e9e9e">{html_text(name)}'
                f' <FONT POINT-SIZE="8">({SHAPE_WORDS[k]})</FONT></TD>' for name, k in styles.items()]
    if len(graph.speakers) < len({n.speaker for n in graph.nodes if n.kind == "turn"}):
        speakers.append(f'<TD BGCOLOR="{OTHER_FILL}" BORDER="1" COLOR="#9e9e9e">other speakers '
                        '<FONT POINT-SIZE="8">(box)</FONT></TD>')
    replies = [f'<TD><FONT COLOR="{label_colour(label)}"><B>'
               f'{labels.get(label).glyph}</B> {html_text(label)}</FONT></TD>'
               for label in graph.labels or (NEUTRAL,)]
    notes = ("an arrow leads from a turn to its reply, drawn in the style of the reply&#39;s move · "
             "node border: the move&#39;s label · double border: the climax · red bar: tension (0 to 1)")
    kinds = sorted({e.label for e in graph.edges if e.kind == "flow"})
    flows = [f'<TD><FONT COLOR="#7b1fa2"><B>{"- - -" if kind == "rhyme" else "· · ·"}</B> shared '
             f'{html_text(kind)}</FONT></TD>' for kind in kinds]
    rows = [("speakers", speakers), ("replies", replies), ("flows", flows)]
    body = "".join(f'<TR><TD ALIGN="RIGHT"><I>{title}</I></TD><TD><TABLE BORDER="0" CELLSPACING="4"><TR>'
                   f'{"".join(cells)}</TR></TABLE></TD></TR>' for title, cells in rows if cells)
    return ('<TABLE BORDER="1" COLOR="#bdbdbd" STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
            f'{body}<TR><TD></TD><TD><FONT POINT-SIZE="9">{notes}</FONT></TD></TR></TABLE>')

