"""dialogue compare: small multiples of tension arcs, from transcripts or a corpus database, as SVG, PNG, HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import dialogue
from dialogue.batch import find_transcripts, run_batch
from dialogue.parse import parse, parse_file
from dialogue.pipeline import analyze
from dialogue.render.compare import CLOSING_MARKS, ArcRow, compare, layout, rows_from_corpus

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
from make_corpus import make_corpus  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def own_text(element: ET.Element) -> str:
    """What a <text> shows: its words, not its <title> tooltip."""
    title = element.find(f"{SVG}title")
    return (title.tail or "") if title is not None else (element.text or "")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("compare")
    make_corpus(str(folder / "files"), 50, seed=9)
    names = find_transcripts([folder / "files"])
    return folder, [analyze(parse_file(name)) for name in names]


def test_fifty_transcripts_one_row_each_on_a_common_axis(corpus, tmp_path: Path) -> None:
    _, analyses = corpus
    out = tmp_path / "arcs.svg"
    assert dialogue.compare(analyses, out) == 50
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    curves = root.findall(f"{SVG}polyline")
    assert len(curves) == 50
    # every curve spans the same width whatever its number of turns: turn position 0..1
    spans = {(round(float(c.get("points").split()[0].split(",")[0]), 1),
              round(float(c.get("points").split()[-1].split(",")[0]), 1)) for c in curves}
    assert len(spans) == 1
    assert {len(c.get("points").split()) for c in curves} == {len(a.transcript.turns) for a in analyses}
    texts = [own_text(t) for t in root.iter(f"{SVG}text")]
    assert all(any(a.transcript.source[-20:] in t for t in texts) for a in analyses)
    fights = sum(a.arc.closing != "none" for a in analyses)
    assert len(root.findall(f"{SVG}circle")) == fights > 0          # the climaxes
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    for closing in {a.arc.closing for a in analyses}:
        assert titles.count(f"closing: {closing}") == sum(a.arc.closing == closing for a in analyses)
        assert CLOSING_MARKS[closing][1] in texts


def test_the_table_holds_the_figures(corpus) -> None:
    _, analyses = corpus
    a = next(a for a in analyses if a.arc.escalated_first)
    row = ArcRow.from_analysis(a)
    assert row.turns == len(a.moves)
    assert row.insults == sum(m.label == "insult" for m in a.moves)
    assert row.deflections == sum(m.label == "deflection" for m in a.moves)
    assert row.repairs == sum(m.label == "reconciliation" for m in a.moves)
    texts = [s for s in layout([row]).shapes if s.kind == "text"]
    name = next(k for k, s in enumerate(texts) if s.title == row.source)
    assert [str(row.turns), str(row.insults), str(row.deflections), str(row.repairs), row.closing,
            row.escalated_first] == [s.text for s in texts[name + 2:name + 8]]


def test_names_are_escaped(tmp_path: Path) -> None:
    source = 'a<b>&"c\'.txt'
    a = analyze(parse("ROSA: You toad.\nLEO: Sorry, I was wrong.\n", source=source))
    compare([a], tmp_path / "x.svg")
    compare([a], tmp_path / "x.html")
    root = ET.fromstring((tmp_path / "x.svg").read_text(encoding="utf-8"))
    assert source in [own_text(t) for t in root.iter(f"{SVG}text")]
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "a&lt;b&gt;&amp;&quot;c&#x27;.txt" in page and "<script" not in page and "<b>" not in page


def test_the_html_page_is_self_contained(corpus, tmp_path: Path) -> None:
    _, analyses = corpus
    out = tmp_path / "arcs.html"
    compare(analyses[:5], out)
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr>") == 6 and page.count("<polyline") == 5
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "src=" not in page


@pytest.mark.skipif(shutil.which("dot") is None, reason="PNG needs Graphviz's dot")
def test_png_through_dot(corpus, tmp_path: Path) -> None:
    _, analyses = corpus
    out = tmp_path / "arcs.png"
    compare(analyses[:8], out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 1000 and height > 8 * 40


def test_from_a_corpus_database_with_a_condition(corpus, tmp_path: Path) -> None:
    folder, analyses = corpus
    db = tmp_path / "c.sqlite"
    run_batch([folder / "files"], db, workers=1, progress=False)
    by_source = {a.transcript.source: ArcRow.from_analysis(a) for a in analyses}
    rows = rows_from_corpus(db)
    assert [r.source for r in rows] == sorted(by_source)
    for row in rows:   # the database gives back exactly the rows the analyses give
        expected = by_source[row.source]
        assert row.tension == pytest.approx(expected.tension)
        assert attrs_without_tension(row) == attrs_without_tension(expected)
    out = tmp_path / "standoffs.svg"
    run = subprocess.run([sys.executable, "-m", "dialogue", "compare", str(db), "--where",
                          "closing = 'standoff' AND turns > 5", "-o", str(out)],
                         check=False, capture_output=True, text=True, env=ENV, timeout=60)
    assert run.returncode == 0, run.stderr
    wanted = [r for r in rows if r.closing == "standoff" and r.turns > 5]
    assert run.stderr.strip() == f"{out}: {len(wanted)} transcripts compared"
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert len(root.findall(f"{SVG}polyline")) == len(wanted) > 0


def attrs_without_tension(row: ArcRow) -> tuple:
    return (row.source, row.phases, row.climax, row.closing, row.insults, row.deflections, row.repairs,
            row.escalated_first)


def test_usage_errors(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    one = find_transcripts([folder / "files"])[0]
    cases = [([one, "-o", str(tmp_path / "x.pdf")], "compare writes .svg .png .html"),
             ([one, "--where", "turns > 3", "-o", str(tmp_path / "x.svg")], "--where selects from a corpus"),
             ([str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x.svg")], "no such database")]
    for args, message in cases:
        run = subprocess.run([sys.executable, "-m", "dialogue", "compare", *args], check=False,
                             capture_output=True, text=True, env=ENV, timeout=60)
        assert run.returncode == 2 and message in run.stderr, run.stderr
    assert not (tmp_path / "x.svg").exists()
