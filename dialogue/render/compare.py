"""Many arcs in one picture: small multiples of tension curves on a common time axis, and a table beside them.

This module owns `dialogue compare`: one row per transcript, named by its source; the tension curve over the
turn position normalised to 0..1 (first turn 0, last turn 1), so a 12-turn quarrel and a 300-turn play line
up; the phases shaded behind it; the climax a red dot; the closing a mark at the curve's end; and the figures
(turns, insults, deflections, repairs, closing, who escalates first) in columns to the right.

Data first: `ArcRow` is what a row needs (built from an `Analysis`, or read from a corpus database written by
`dialogue batch -o corpus.sqlite`), `layout` places shapes on a canvas (plain data), and two small writers
draw those shapes: as a self-contained SVG (also inlined in the HTML page, which adds the table in HTML;
neither needs Graphviz) and as a Graphviz graph with every node pinned (`neato -n2`) for PNG.
"""

from __future__ import annotations

import html
import os
import sqlite3
from collections.abc import Iterable, Sequence

import attrs
import graphviz

from .. import labels
from ..analysis import DEFLECTION, INSULT, Analysis, Phase
from ..errors import UsageError
from ..pipeline import analyze, read_transcript
from ..store import connect, is_sqlite_path
from ..textio import write_atomic
from .legend import PHASE_FILLS
from .output import pipe

#: Output suffixes `compare` writes.
FORMATS = (".svg", ".png", ".html")

_NAME_W, _CURVE_W, _ROW_H, _CURVE_H, _MARGIN, _TOP = 250.0, 460.0, 50.0, 38.0, 14.0, 40.0
#: Table columns right of the curves: (title, width).
_COLUMNS = (("turns", 50.0), ("insults", 58.0), ("deflections", 82.0), ("repairs", 62.0), ("closing", 96.0),
            ("escalates first", 130.0))
#: How each closing is marked at the end of the curve: (colour, glyph).
CLOSING_MARKS = {"reconciled": ("#2e7d32", "●"), "standoff": ("#c62828", "■"), "withdrawal": ("#6a1b9a", "▼"),
                 "third-party": ("#00838f", "◆"), "none": ("#9e9e9e", "○")}
_NAME_CHARS = 38


@attrs.frozen
class ArcRow:
    """One transcript as the comparison draws it."""

    source: str
    tension: tuple[float, ...]
    phases: tuple[Phase, ...] = ()
    climax: int | None = None
    closing: str = "none"
    insults: int = 0
    deflections: int = 0
    repairs: int = 0
    escalated_first: str | None = None

    @property
    def turns(self) -> int:
        return len(self.tension)

    @classmethod
    def from_analysis(cls, analysis: Analysis) -> "ArcRow":
        arc, found = analysis.arc, [m.label for m in analysis.moves]
        repair = {label.name for label in labels.REGISTRY if label.role == labels.REPAIR}
        return cls(analysis.transcript.source, tuple(arc.tension), tuple(arc.phases), arc.climax, arc.closing,
                   found.count(INSULT), found.count(DEFLECTION), sum(label in repair for label in found),
                   arc.escalated_first)


def rows_from_corpus(path: str | os.PathLike[str], where: str | None = None) -> list[ArcRow]:
    """The rows of the transcripts in a corpus database (`dialogue batch -o X.sqlite`) matching `where`, an SQL
    condition on the `transcripts` table (e.g. `closing = 'standoff' AND dialect = 'lyrics'`), by source."""
    db = connect(path, create=False)
    repair = sorted(label.name for label in labels.REGISTRY if label.role == labels.REPAIR)
    marks = ", ".join("?" * len(repair))
    try:
        heads = db.execute("SELECT id, source, climax, closing, escalated_first FROM transcripts"
                           + (f" WHERE {where}" if where else "") + " ORDER BY source").fetchall()
        rows = []
        for key, source, climax, closing, first in heads:
            tension = tuple(t or 0.0 for (t,) in db.execute(
                "SELECT tension FROM turns WHERE transcript_id = ? ORDER BY idx", (key,)))
            phases = tuple(Phase(*p) for p in db.execute(
                "SELECT name, start, end FROM phases WHERE transcript_id = ? ORDER BY idx", (key,)))
            insults, deflections, repairs = db.execute(
                f"SELECT coalesce(sum(label = ?), 0), coalesce(sum(label = ?), 0), "
                f"coalesce(sum(label IN ({marks})), 0) FROM turns WHERE transcript_id = ?",
                (INSULT, DEFLECTION, *repair, key)).fetchone()
            rows.append(ArcRow(source, tension, phases, climax, closing, insults, deflections, repairs, first))
    except sqlite3.Error as exc:
        raise UsageError(f"{os.fspath(path)}: cannot select transcripts"
                         + (f" --where {where!r}" if where else "") + f": {exc}") from None
    finally:
        db.close()
    return rows


# -- layout: shapes on a canvas, y downwards ------------------------------------------------------------------

@attrs.frozen
class Shape:
    """One thing drawn: a `rect` (x, y, w, h), a `line` (points), a `dot` (x, y, r) or a `text` at (x, y)."""

    kind: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    points: tuple[tuple[float, float], ...] = ()
    colour: str = "#212121"
    text: str = ""
    size: float = 11.0
    anchor: str = "start"
    title: str = ""


@attrs.frozen
class Canvas:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _short(source: str) -> str:
    return source if len(source) <= _NAME_CHARS else "…" + source[-(_NAME_CHARS - 1):]


def _curve(row: ArcRow, top: float) -> list[Shape]:
    n, left = row.turns, _MARGIN + _NAME_W
    def x(i: float) -> float:
        return left + (min(max(i, 0.0), n - 1) / (n - 1) if n > 1 else 0.5) * _CURVE_W
    def y(v: float) -> float:
        return top + _CURVE_H - v * _CURVE_H
    shapes = [Shape("rect", left, top, _CURVE_W, _CURVE_H, colour="#ffffff")]
    for phase in row.phases:
        a, b = x(phase.start - 0.5), x(phase.end + 0.5)
        shapes.append(Shape("rect", a, top, max(b - a, 0.5), _CURVE_H, colour=PHASE_FILLS.get(
            phase.name, "#fafafa"), title=f"{phase.name}: turns {phase.start} to {phase.end}"))
    if n:
        points = tuple((x(i), y(v)) for i, v in enumerate(row.tension)) if n > 1 else (
            (left, y(row.tension[0])), (left + _CURVE_W, y(row.tension[0])))
        shapes.append(Shape("line", points=points, colour="#c62828", w=1.6))
    if row.climax is not None and row.closing != "none" and 0 <= row.climax < n:
        shapes.append(Shape("dot", x(row.climax), y(row.tension[row.climax]), 3.5, colour="#b71c1c",
                            title=f"climax: turn {row.climax}, tension {row.tension[row.climax]:.2f}"))
    colour, glyph = CLOSING_MARKS.get(row.closing, CLOSING_MARKS["none"])
    end = row.tension[-1] if n else 0.0
    shapes.append(Shape("text", left + _CURVE_W + 4, y(end) + 4, text=glyph, colour=colour, size=11,
                        title=f"closing: {row.closing}"))
    return shapes


def layout(rows: Sequence[ArcRow]) -> Canvas:
    """Place every row: name, curve, closing mark, table cells; a header above and the axis and legend below."""
    table_x = _MARGIN + _NAME_W + _CURVE_W + 24
    width = table_x + sum(w for _, w in _COLUMNS) + _MARGIN
    shapes = [Shape("text", _MARGIN, 18, text=f"tension arcs of {len(rows)} transcripts", size=13)]
    x = table_x
    for title, w in _COLUMNS:
        shapes.append(Shape("text", x + w / 2, _TOP - 8, text=title, size=10, anchor="middle", colour="#616161"))
        x += w
    for k, row in enumerate(rows):
        top = _TOP + k * _ROW_H + (_ROW_H - _CURVE_H) / 2
        middle = top + _CURVE_H / 2 + 4
        shapes.append(Shape("text", _MARGIN, middle, text=_short(row.source), size=11, title=row.source))
        shapes.extend(_curve(row, top))
        cells = (str(row.turns), str(row.insults), str(row.deflections), str(row.repairs), row.closing,
                 row.escalated_first or "-")
        x = table_x
        for (_, w), cell in zip(_COLUMNS, cells):
            shapes.append(Shape("text", x + w / 2, middle, text=cell, size=11, anchor="middle"))
            x += w
    bottom = _TOP + len(rows) * _ROW_H + 6
    left = _MARGIN + _NAME_W
    for tick in (0.0, 0.5, 1.0):
        shapes.append(Shape("text", left + tick * _CURVE_W, bottom + 8, text=f"{tick:g}", size=10,
                            anchor="middle", colour="#757575"))
    shapes.append(Shape("text", left + _CURVE_W / 2, bottom + 22, size=10, anchor="middle", colour="#757575",
                        text="turn position (0 = first turn, 1 = last) · tension 0..1 · red dot: climax"))
    x, legend_y = _MARGIN, bottom + 42
    for name, fill in PHASE_FILLS.items():
        shapes.append(Shape("rect", x, legend_y - 9, 12, 12, colour=fill))
        shapes.append(Shape("text", x + 16, legend_y + 1, text=name, size=10, colour="#616161"))
        x += 24 + 6.5 * len(name)
    for name, (colour, glyph) in CLOSING_MARKS.items():
        shapes.append(Shape("text", x, legend_y + 1, text=f"{glyph} {name}", size=10, colour=colour))
        x += 20 + 6.5 * len(name)
    return Canvas(max(width, x + _MARGIN), legend_y + 16, tuple(shapes))


# -- writers --------------------------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def svg(canvas: Canvas) -> str:
    """The canvas as a self-contained SVG document: no script, no external reference, text escaped."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{canvas.width:.0f}" height="{canvas.height:.0f}" '
           f'viewBox="0 0 {canvas.width:.0f} {canvas.height:.0f}" font-family="Helvetica, Arial, sans-serif" '
           'role="img" aria-label="tension arcs compared">',
           f'<rect width="{canvas.width:.0f}" height="{canvas.height:.0f}" fill="#ffffff"/>']
    for s in canvas.shapes:
        title = f"<title>{_esc(s.title)}</title>" if s.title else ""
        if s.kind == "rect":
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" '
                       f'fill="{s.colour}" stroke="{"#e0e0e0" if s.colour == "#ffffff" else "none"}">{title}</rect>')
        elif s.kind == "line":
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in s.points)
            out.append(f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="{s.w}"/>')
        elif s.kind == "dot":
            out.append(f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.w}" fill="{s.colour}">{title}</circle>')
        else:
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:g}" fill="{s.colour}" '
                       f'text-anchor="{s.anchor}">'
                       f"{title}{_esc(s.text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def graph(canvas: Canvas) -> graphviz.Graph:
    """The canvas as a Graphviz graph with every node pinned (render with `neato -n2`): for PNG."""
    g = graphviz.Graph("compare", engine="neato", graph_attr={
        "bgcolor": "white", "splines": "line", "outputorder": "nodesfirst", "pad": "0.1",
        "bb": f"0,0,{canvas.width:.0f},{canvas.height:.0f}"},
        node_attr={"label": "", "fontname": "Helvetica", "penwidth": "0", "margin": "0"})
    def pos(x: float, y: float) -> str:
        return f"{x:.1f},{canvas.height - y:.1f}!"
    n = 0
    for s in canvas.shapes:
        n += 1
        if s.kind == "rect":
            g.node(f"r{n}", shape="box", style="filled", fillcolor=s.colour, fixedsize="true",
                   width=f"{s.w / 72:.4f}", height=f"{s.h / 72:.4f}", pos=pos(s.x + s.w / 2, s.y + s.h / 2),
                   color="#e0e0e0", penwidth="1" if s.colour == "#ffffff" else "0")
        elif s.kind == "dot":
            g.node(f"d{n}", shape="circle", style="filled", fillcolor=s.colour, fixedsize="true",
                   width=f"{2 * s.w / 72:.4f}", pos=pos(s.x, s.y))
        elif s.kind == "line":
            ids = [f"p{n}_{k}" for k in range(len(s.points))]
            for node, (px, py) in zip(ids, s.points):
                g.node(node, shape="point", width="0.01", pos=pos(px, py))
            for a, b in zip(ids, ids[1:]):
                g.edge(a, b, color=s.colour, penwidth=f"{s.w}")
        else:
            # a plaintext node is centred on its position: shift by an estimate of the text's width
            wide = 0.55 * s.size * len(s.text)
            shift = {"start": wide / 2, "middle": 0.0, "end": -wide / 2}[s.anchor]
            g.node(f"t{n}", label=graphviz.escape(s.text), shape="plaintext", fontsize=f"{s.size:g}",
                   fontcolor=s.colour, width=f"{wide / 72:.4f}", height="0.18", fixedsize="true",
                   pos=pos(s.x + shift, s.y - s.size * 0.35))
    return g


def _table(rows: Sequence[ArcRow]) -> str:
    head = "".join(f"<th>{_esc(title)}</th>" for title in ("source", *(t for t, _ in _COLUMNS)))
    body = "".join(
        f"<tr><td>{_esc(r.source)}</td><td>{r.turns}</td><td>{r.insults}</td><td>{r.deflections}</td>"
        f"<td>{r.repairs}</td><td>{_esc(r.closing)}</td><td>{_esc(r.escalated_first or '-')}</td></tr>"
        for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_page(rows: Sequence[ArcRow]) -> str:
    """A self-contained page: the picture inline and the same figures as an HTML table (no script at all)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>tension arcs of {len(rows)} transcripts</title>
<style>
body {{ font-family: system-ui, Helvetica, Arial, sans-serif; margin: 12px 18px; color: #212121; }}
svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: .85rem; margin-top: 12px; }}
th, td {{ border: 1px solid #ddd; padding: 2px 8px; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
</style>
</head>
<body>
{svg(layout(rows))}
{_table(rows)}
</body>
</html>
"""


def output_format(path: str | os.PathLike[str]) -> str:
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in FORMATS:
        raise UsageError(f"{os.fspath(path)}: compare writes {' '.join(FORMATS)}, not {suffix or '(no suffix)'!r}")
    return suffix


def compare(items: Iterable[Analysis | ArcRow], path: str | os.PathLike[str]) -> int:
    """Draw the arcs of `items` (analyses or rows), in the order given, to `path` (.svg .png .html), whole or
    not at all; return the number of rows. PNG needs Graphviz's `dot`; SVG and HTML do not."""
    fmt = output_format(path)
    rows = [item if isinstance(item, ArcRow) else ArcRow.from_analysis(item) for item in items]
    if not rows:
        raise UsageError("nothing to compare: no transcript selected")
    if fmt == ".svg":
        write_atomic(path, svg(layout(rows)))
    elif fmt == ".html":
        write_atomic(path, html_page(rows))
    else:
        write_atomic(path, pipe(graph(layout(rows)), "png", neato_no_op=2))
    return len(rows)


def compare_files(inputs: Sequence[str | os.PathLike[str]], path: str | os.PathLike[str], where: str | None = None,
                  dialect: str | None = None, encoding: str | None = None, lexicons: Sequence[object] = (),
                  model: object = None) -> int:
    """`dialogue compare`: transcripts are read and analysed, corpus databases (`.sqlite` `.sqlite3` `.db`)
    give the rows their `where` condition selects; rows in the order of the inputs."""
    output_format(path)   # a wrong suffix is a usage error before any work is done
    corpora = [name for name in inputs if is_sqlite_path(name)]
    if where and not corpora:
        raise UsageError("--where selects from a corpus database: name a .sqlite file written by dialogue batch")
    rows: list[ArcRow] = []
    for name in inputs:
        if is_sqlite_path(name):
            rows.extend(rows_from_corpus(name, where))
        else:
            transcript = read_transcript(name, dialect=dialect, encoding=encoding)   # no turns: an input error
            rows.append(ArcRow.from_analysis(analyze(transcript, lexicons=lexicons, model=model)))
    return compare(rows, path)

