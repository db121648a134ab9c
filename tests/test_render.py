"""Rendering: the graph as data and DOT, escaping, formats through `dot`, the HTML page, the terminal report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_arc import FIGHT_RECONCILED, FRIENDLY, A, D, I, N, R, analysis_of

from dialogue import labels
from dialogue.analysis import Analysis, Cue, Exchange, Move
from dialogue.arc import build_arc
from dialogue.errors import GraphvizMissing, RenderError, UsageError
from dialogue.model import Transcript
from dialogue.render import FORMATS, output_format, render
from dialogue.render import dot as dotmod
from dialogue.render import graph as graphmod
from dialogue.render.output import pipe
from dialogue.render.html import _SCRIPT, _script_hash, html_page, tension_svg
from dialogue.report import format_analysis, sparkline

ROOT = Path(__file__).resolve().parent.parent

NASTY = [
    "C:\\new folder",
    "a line ending in a backslash\\",
    "<b>wholly markup</b>",
    '<<table><tr><td href="javascript:alert(1)">click</td></tr></table>>',
    'quotes "double" and \\"escaped\\" and \'single\'',
    "{braces} | pipes | <angle>",
    "&amp; &lt; & entities",
    "two\nlines",
    "\\N \\G \\L \\E substitutions",
    "</svg><script>alert(1)</script>",
]


def nasty_analysis() -> Analysis:
    speakers = ["DR. WHO: 1", 'Q "the" <Q>']
    t = Transcript.from_pairs([(speakers[i % 2], text) for i, text in enumerate(NASTY)], source="nasty<&>.txt")
    labels = [A, D, I, I, R, R, N, A, I, N]
    moves = tuple(Move(i, label=label, score=0.7, cues=(Cue("rule<&>", (0, 3), label),) if label != N else ())
                  for i, label in enumerate(labels))
    exchanges = tuple(Exchange(i - 1, i, labels[i]) for i in range(1, len(labels)))
    return Analysis(t, moves, exchanges, build_arc(t, moves, exchanges))


def synthetic(n: int, speakers: int = 2) -> Analysis:
    """A long transcript with a realistic label mix (mostly neutral), linked turn to turn."""
    cycle = [N, N, N, N, A, D, N, I, N, N, I, D, N, N, R, N, N, N, N, N, R]
    spec = [(f"S{(i * 7 // 5) % speakers}", cycle[(i * 13) % len(cycle)]) for i in range(n)]
    return analysis_of(spec, source=f"synthetic-{n}.txt")


def svg_root(svg: str) -> ET.Element:
    return ET.fromstring(svg[svg.index("<svg"):])


def svg_texts(root: ET.Element) -> str:
    return "\n".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))


# -- the graph as data ------------------------------------------------------------------------------------

def test_graph_has_a_node_per_turn_in_timeline_order_and_phases_as_clusters():
    analysis = analysis_of(FIGHT_RECONCILED)
    graph = graphmod.build_graph(analysis)
    assert [n.id for n in graph.nodes] == [f"t{i}" for i in range(len(FIGHT_RECONCILED))]
    assert not graph.summarised and graph.lanes
    assert [c.name for c in graph.clusters] == [p.name for p in analysis.arc.phases]
    for cluster in graph.clusters:
        members = sorted(int(node_id[1:]) for node_id in cluster.nodes)
        assert members == list(range(cluster.first, cluster.last + 1))   # consecutive turns, not speakers
    timeline = [(e.tail, e.head) for e in graph.edges if e.kind in ("timeline", "exchange") and e.constraint]
    assert timeline == [(f"t{i}", f"t{i + 1}") for i in range(len(FIGHT_RECONCILED) - 1)]


def test_dot_source_is_stable_and_sorted():
    a, b = analysis_of(FIGHT_RECONCILED), analysis_of(FIGHT_RECONCILED)
    assert dotmod.digraph(a).source == dotmod.digraph(b).source
    source = dotmod.digraph(a).source
    positions = [source.index(f"\tt{i} [") for i in range(len(FIGHT_RECONCILED))]
    assert positions == sorted(positions)


def test_speakers_differ_by_colour_and_shape_and_labels_by_line_style():
    source = dotmod.digraph(analysis_of(FIGHT_RECONCILED)).source
    rosa = re.search(r"\tt0 \[.*", source).group(0)
    leo = re.search(r"\tt1 \[.*", source).group(0)
    fill = re.compile(r'fillcolor="([^"]+)"')
    shape = re.compile(r"shape=(\w+)")
    assert fill.search(rosa).group(1) != fill.search(leo).group(1)
    assert shape.search(rosa).group(1) != shape.search(leo).group(1)
    styles = {label: labels.get(label).edge[1:3] for label in (I, A, D, R, "humour")}
    assert len(set(styles.values())) == 5          # line style + arrowhead tell labels apart in grey
    assert 'class="exchange insult"' in source and "arrowhead=tee" in source


def test_legend_names_speakers_and_labels_in_the_graph_label():
    source = dotmod.digraph(analysis_of(FIGHT_RECONCILED)).source
    label = re.search(r"graph \[.*?label=<(.*?)> labelloc", source).group(1)
    assert "<I>speakers</I>" in label and "<I>replies</I>" in label
    for name, shape in (("ROSA", "rounded box"), ("LEO", "oval")):
        assert re.search(rf'BGCOLOR="#[0-9a-f]+"[^>]*>{name} <FONT POINT-SIZE="8">\({shape}\)', label), name
    for word in ("insult", "accusation", "deflection", "reconciliation"):
        assert f"{labels.get(word).glyph}</B> {word}" in label
    assert "subgraph cluster_legend" not in source   # the legend takes no rank of its own in the layout


def test_climax_and_root_cause_are_marked():
    analysis = analysis_of(FIGHT_RECONCILED)
    graph = graphmod.build_graph(analysis)
    by_id = {n.id: n for n in graph.nodes}
    assert "climax" in by_id[f"t{analysis.arc.climax}"].marks
    assert any(m.startswith("root cause") for m in by_id[f"t{analysis.arc.root_cause}"].marks)


def test_node_ids_are_opaque_even_for_names_with_colons_and_quotes():
    source = dotmod.digraph(nasty_analysis()).source
    ids = re.findall(r"^\t+(\S+) \[", source, flags=re.MULTILINE)
    assert all(re.fullmatch(r"t\d+|legend_\w+|graph|node|edge", i) for i in ids), ids
    assert "DR. WHO: 1" not in re.findall(r"->\s*(\S+)", source)


# -- escaping, checked on what dot really draws -------------------------------------------------------------

@pytest.mark.dot
def test_every_label_survives_dot_literally_and_nothing_becomes_a_link():
    analysis = nasty_analysis()
    svg = dotmod.svg_text(analysis, full=True)
    root = svg_root(svg)
    drawn = svg_texts(root)
    assert "C:\\new" in drawn                                   # not "C:" + newline + "ew"
    assert "a line ending in a backslash\\" in drawn
    assert "<b>wholly markup</b>" in drawn
    assert '<<table><tr><td' in drawn
    assert "{braces} | pipes | <angle>" in drawn
    assert "&amp; &lt; & entities" in drawn
    assert "\\N \\G \\L \\E substitutions" in drawn
    assert "DR. WHO: 1" in drawn and 'Q "the" <Q>' in drawn
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in ("script", "foreignObject")
        for name, value in element.attrib.items():
            assert not name.endswith("href"), (tag, name, value)
            assert not name.startswith("on")
    tips = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("title")]
    assert any("C:\\new folder" in tip for tip in tips)          # the full text in the tooltip, literally
    assert any("two\nlines" in tip for tip in tips)
    assert any('quotes "double" and \\"escaped\\"' in tip for tip in tips)
    assert any("rule<&>" in tip for tip in tips)                 # the evidence too


@pytest.mark.dot
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_binary_formats_render(tmp_path, fmt):
    out = tmp_path / f"arc.{fmt}"
    render(nasty_analysis(), out)
    magic = {"png": b"\x89PNG", "pdf": b"%PDF"}[fmt]
    assert out.read_bytes().startswith(magic)


def test_dot_output_needs_no_graphviz_binary(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    out = tmp_path / "arc.dot"
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from test_render import nasty_analysis; "
            "from dialogue.render import render; render(nasty_analysis(), sys.argv[1])")
    proc = subprocess.run([sys.executable, "-c", code, str(out), str(ROOT / "tests")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("digraph arc {")


def test_missing_dot_is_graphviz_missing_and_leaves_the_old_file(tmp_path):
    out = tmp_path / "arc.svg"
    out.write_text("old picture")
    env = dict(os.environ, PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from test_render import nasty_analysis; "
            "from dialogue.render import render; from dialogue.errors import GraphvizMissing\n"
            "try:\n    render(nasty_analysis(), sys.argv[1])\n"
            "except GraphvizMissing as exc:\n    print(exc); sys.exit(3)")
    proc = subprocess.run([sys.executable, "-c", code, str(out), str(ROOT / "tests")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "install Graphviz" in proc.stdout and len(proc.stdout.strip().splitlines()) == 1
    assert out.read_text() == "old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arc.svg"]


@pytest.mark.dot
def test_a_dot_failure_is_a_render_error():
    with pytest.raises(RenderError, match="dot failed"):
        pipe(dotmod.digraph(analysis_of(FRIENDLY)), "cgimage")  # a format this dot was not built with


def test_graphviz_missing_is_a_render_error():
    assert issubclass(GraphvizMissing, RenderError)


# -- dispatch ---------------------------------------------------------------------------------------------

def test_unknown_suffix_is_a_usage_error_listing_the_formats(tmp_path):
    with pytest.raises(UsageError) as info:
        render(analysis_of(FRIENDLY), tmp_path / "arc.gif")
    for suffix in FORMATS:
        assert suffix in str(info.value)
    assert not (tmp_path / "arc.gif").exists()


def test_aif_json_is_told_apart_from_json():
    assert output_format("x/arc.aif.json") == ".aif.json"
    assert output_format("ARC.JSON") == ".json"
    assert output_format("a.b.svg") == ".svg"
    with pytest.raises(UsageError):
        output_format(".json")


def test_json_and_aif_outputs(tmp_path):
    analysis = analysis_of(FIGHT_RECONCILED)
    render(analysis, tmp_path / "arc.json")
    doc = json.loads((tmp_path / "arc.json").read_text(encoding="utf-8"))
    assert doc["arc"]["climax"] == analysis.arc.climax
    assert [p["name"] for p in doc["arc"]["phases"]] == [p.name for p in analysis.arc.phases]
    render(analysis, tmp_path / "arc.aif.json")
    aif = json.loads((tmp_path / "arc.aif.json").read_text(encoding="utf-8"))
    assert {"nodes", "edges", "locutions"} <= set(aif)


# -- large transcripts ------------------------------------------------------------------------------------

def test_long_transcripts_are_summarised_unless_full():
    analysis = synthetic(1000)
    graph = graphmod.build_graph(analysis)
    assert graph.summarised and not graph.clusters
    assert len(graph.nodes) <= graphmod.SUMMARY_BUDGET + len(analysis.arc.phases) + 10
    covered = graphmod.nodes_for_turns(graph)
    assert sorted(covered) == list(range(1000))                 # every turn is shown somewhere
    assert any(n.kind == "run" for n in graph.nodes)
    assert [n.label for n in graph.nodes if n.kind == "phase"] == [p.name for p in analysis.arc.phases]
    climax = analysis.arc.climax
    assert covered[climax] == f"t{climax}"                      # the climax keeps a node of its own
    full = graphmod.build_graph(analysis, full=True)
    assert sum(n.kind == "turn" for n in full.nodes) == 1000 and not full.clusters


@pytest.mark.dot
def test_thousand_turns_render_to_svg(tmp_path):
    # how fast: benchmarks/render_bench.py and benchmarks/test_limits.py (a unit test times nothing)
    render(synthetic(1000, speakers=4), tmp_path / "big.svg")
    assert (tmp_path / "big.svg").stat().st_size > 10_000


# -- HTML -------------------------------------------------------------------------------------------------

def test_html_escapes_user_text_and_locks_the_page_down():
    page = html_page(nasty_analysis())
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert "javascript:" not in page.replace("javascript:alert(1)", "")  # only as escaped text
    assert '<td href="javascript' not in page
    assert "&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and _script_hash(_SCRIPT) in csp
    assert f"<script>{_SCRIPT}</script>" in page                 # the hash is of exactly this text
    assert not re.search(r"(src|href)=\"(https?:)?//", page)     # nothing from the network


def test_html_has_transcript_curve_and_figures():
    analysis = analysis_of(FIGHT_RECONCILED)
    page = html_page(analysis)
    for i in range(len(FIGHT_RECONCILED)):
        assert f'id="turn-{i}"' in page
    assert 'class="turn insult"' in page and 'class="badge reconciliation"' in page
    assert 'id="curve"' in page and "climax #6" in page
    assert "<th>repairs offered</th>" in page and "reconciled" in page


def test_html_without_dot_still_shows_transcript_and_curve(tmp_path):
    out = tmp_path / "page.html"
    env = dict(os.environ, PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from test_arc import analysis_of, FIGHT_RECONCILED; "
            "from dialogue.render import render; render(analysis_of(FIGHT_RECONCILED), sys.argv[1])")
    proc = subprocess.run([sys.executable, "-c", code, str(out), str(ROOT / "tests")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert 'class="note"' in page and "install Graphviz" in page
    assert 'id="turn-10"' in page and 'id="curve"' in page and "<svg role" not in page


@pytest.mark.dot
def test_html_inlines_the_graph_with_node_ids_the_script_can_find():
    page = html_page(analysis_of(FIGHT_RECONCILED))
    assert '<svg role="img" aria-label="argument graph"' in page
    assert '<g id="t6" class="node turn insult">' in page
    assert 'data-node="t6"' in page and "<?xml" not in page and "<!--" not in page


def test_tension_curve_is_inline_svg_with_one_point_per_turn():
    svg = tension_svg((0.0, 0.5, 1.0, 0.2), (), 2)
    root = ET.fromstring(svg)
    points = next(e for e in root.iter() if e.tag.endswith("polyline")).attrib["points"].split()
    assert len(points) == 4
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[2] < ys[1] < ys[0]                                  # higher tension is drawn higher
    assert root.attrib["data-n"] == "4"


# -- the terminal report ----------------------------------------------------------------------------------

def test_format_analysis_lists_every_turn_and_ends_with_the_arc():
    analysis = nasty_analysis()
    text = format_analysis(analysis)
    lines = text.splitlines()
    assert sum(1 for line in lines if re.match(r"\s+\d+  ", line)) == len(NASTY)
    assert 'rule<&> "C:\\' in text                              # the deciding cue and what it matched
    tail = text[text.index("── arc"):]
    assert len(tail.splitlines()) <= 24                          # one screen
    for word in ("phases", "climax", "closing", "tension", "speakers", "DR. WHO: 1"):
        assert word in tail
    assert re.search("[▁▂▃▄▅▆▇█]{5,}", tail)


def test_sparkline_is_absolute_and_bounded():
    assert sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([0.1] * 5) == "▁" * 5                       # a calm chat stays low
    assert len(sparkline([0.3] * 1000)) == 64
    assert sparkline([0.0] * 99 + [1.0]).endswith("█")           # a bin shows its highest tension


# -- through the command line, on the project's samples ----------------------------------------------------

def dialogue_cli(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "dialogue", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)


DUET = ROOT / "samples" / "duet.lyrics.txt"
needs_duet = pytest.mark.skipif(not DUET.is_file(), reason="samples/duet.lyrics.txt not there")


@needs_duet
def test_cli_without_dot_exits_1_with_one_line_and_keeps_the_old_file(tmp_path):
    out = tmp_path / "duet.png"
    out.write_bytes(b"old")
    proc = dialogue_cli("render", str(DUET), "-o", str(out), path=str(tmp_path))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "install Graphviz" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert out.read_bytes() == b"old"
    dot_out = tmp_path / "duet.dot"
    assert dialogue_cli("render", str(DUET), "-o", str(dot_out), path=str(tmp_path)).returncode == 0
    assert dot_out.read_text(encoding="utf-8").startswith("digraph arc {")


@needs_duet
def test_cli_unknown_format_is_a_usage_error(tmp_path):
    proc = dialogue_cli("render", str(DUET), "-o", str(tmp_path / "duet.gif"))
    assert proc.returncode == 2 and ".svg" in proc.stderr and ".aif.json" in proc.stderr


@needs_duet
def test_cli_analyze_ends_with_the_arc(tmp_path):
    proc = dialogue_cli("analyze", str(DUET))
    assert proc.returncode == 0, proc.stderr
    tail = proc.stdout[proc.stdout.index("── arc"):]
    assert "closing   reconciled" in tail and "resolution" in tail
    assert re.search("tension   [▁▂▃▄▅▆▇█]+", tail)


@pytest.mark.dot
@needs_duet
def test_cli_renders_the_model_case_to_png(tmp_path):
    out = tmp_path / "duet.png"
    proc = dialogue_cli("render", str(DUET), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.dot
def test_play_text_renders_summarised(shakespeare_text, tmp_path):
    import dialogue
    analysis = dialogue.analyze(dialogue.parse(shakespeare_text, source="input.txt"))
    render(analysis, tmp_path / "play.svg")
    assert (tmp_path / "play.svg").stat().st_size > 10_000
    graph = graphmod.build_graph(analysis)
    assert graph.summarised and len(graph.nodes) < 500


_AWKWARD = list("ab \\\"'<>{}|&;#:\n[]/=-.") + ["é", "😀", "&amp;", "\\n", "\\N", "<<", ">>", "-->", "]]>"]


@pytest.mark.dot
@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_AWKWARD), min_size=1, max_size=12).map("".join), min_size=2, max_size=6))
def test_any_text_reaches_the_svg_tooltip_literally(texts):
    t = Transcript.from_pairs([(f"S{i % 2}", text) for i, text in enumerate(texts)])
    moves = tuple(Move(i, label=I if i % 2 else N, score=0.5) for i in range(len(texts)))
    analysis = Analysis(t, moves, (), build_arc(t, moves))
    root = svg_root(dotmod.svg_text(analysis))
    titles = {e.attrib.get("id"): e for e in root.iter() if e.attrib.get("id", "").startswith("a_t")}
    for i, text in enumerate(texts):
        anchor = next(iter(titles[f"a_t{i}"]))
        tip = next(v for k, v in anchor.attrib.items() if k.endswith("title"))
        # Graphviz keeps runs of spaces as no-break spaces; everything else arrives as written.
        assert tip.replace("\xa0", " ").split("\n", 1)[1].startswith(text), (text, tip)


def test_a_calm_chat_is_drawn_and_reported_without_a_climax():
    analysis = analysis_of(FRIENDLY)
    graph = graphmod.build_graph(analysis)
    assert not any(n.marks for n in graph.nodes) and "no conflict" in graph.title
    assert "No conflict" in html_page(analysis) and "climax #" not in html_page(analysis)
    assert "climax    none" in format_analysis(analysis)


@pytest.mark.dot
def test_an_empty_transcript_renders_in_every_format(tmp_path):
    t = Transcript(turns=())
    analysis = Analysis(t, (), (), build_arc(t, ()))
    for suffix in FORMATS:
        render(analysis, tmp_path / f"empty{suffix}")
        assert (tmp_path / f"empty{suffix}").stat().st_size > 0, suffix
    assert "0 turns" in format_analysis(analysis)
