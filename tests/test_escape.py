"""dialogue.render.escape and the outputs it guards: hostile names and text reach DOT, SVG and the HTML page
only as escaped text (no injected node, no script, no handler), in `dot` and in a real browser."""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import HOSTILE_WHATSAPP, INJECTED_IDS, err, hostile_analysis, run_cli

import dialogue
from dialogue.model import Transcript


def _titles(svg_root: ET.Element, kind: str) -> set[str]:
    """Graphviz titles its node groups with the node name and edge groups with `tail->head`."""
    ns = "{http://www.w3.org/2000/svg}"
    return {g.findtext(f"{ns}title") or "" for g in svg_root.iter(f"{ns}g") if kind in (g.get("class") or "").split()}


def assert_inert_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)                       # well-formed: a `</svg>` in text did not end the document
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        assert local not in ("script", "foreignobject", "iframe", "object", "embed"), local
        for attribute, value in element.attrib.items():
            key = attribute.rsplit("}", 1)[-1].lower()
            assert not key.startswith("on"), (attribute, value)
            if key in ("href", "src", "action", "formaction"):
                bare = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not bare.startswith(("javascript:", "data:text/html")), value
    return root


@pytest.mark.dot
def test_dot_and_svg_keep_hostile_text_inside_labels(tmp_path):
    analysis = hostile_analysis()
    dialogue.render(analysis, tmp_path / "a.dot")
    proc = subprocess.run(["dot", "-Tsvg", str(tmp_path / "a.dot")], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode()         # the DOT file is valid
    from_dot = assert_inert_svg(proc.stdout.decode("utf-8"))
    dialogue.render(analysis, tmp_path / "a.svg")
    root = assert_inert_svg((tmp_path / "a.svg").read_text(encoding="utf-8"))
    for svg in (root, from_dot):
        nodes = _titles(svg, "node")
        assert len(nodes) >= 1 and not nodes & INJECTED_IDS, nodes
        ends = {end for edge in _titles(svg, "edge") for end in re.split(r"->|--", edge)}
        assert ends <= nodes, ends - nodes               # no edge to a node the payload made up
    words = " ".join(root.itertext())
    assert "alert(4)" in words or "&lt;script" not in words      # shown as text, if shown at all
    assert any(name in words for name in ("<script>alert(1)</script>", "</svg><svg onload=alert(2)>"))


@pytest.mark.dot
def test_a_turn_of_lone_metacharacters_renders(tmp_path):
    """Graphviz 2.43 rejected an HTML-label cell that was only `]`; each lone character must draw."""
    lone = ["]", "[", "]]>", "\\", "\\N", "{", "}", "|", "<>", "&", '"', "'", "-->", "\n]", "]\n]"]
    analysis = dialogue.analyze(Transcript.from_pairs([(f"S{i % 2}", text) for i, text in enumerate(lone)]))
    dialogue.render(analysis, tmp_path / "lone.svg", full=True)
    root = assert_inert_svg((tmp_path / "lone.svg").read_text(encoding="utf-8"))
    assert len(_titles(root, "node")) >= len(lone)


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_html_report_escapes_hostile_text_and_has_a_strict_csp(tmp_path):
    pytest.importorskip("dialogue.render.html")
    dialogue.render(hostile_analysis(), tmp_path / "a.html")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    csp = [a.get("content") or "" for t, a in parser.tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(csp) == 1, "the report carries one Content-Security-Policy"
    policy = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
    assert policy.get("default-src") == ["'none'"], csp[0]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []) or directive == "style-src"
    assert "'unsafe-eval'" not in csp[0] and "*" not in csp[0].split()
    assert all("alert(" not in script for script in parser.scripts)         # only the page's own script runs
    assert sum(1 for t, _ in parser.tags if t == "script") <= 1
    for tag, attrs in parser.tags:
        assert tag not in ("iframe", "object", "embed", "foreignobject", "img"), tag
        for key, value in attrs.items():
            assert not key.startswith("on"), (tag, key, value)
            if key in ("href", "src", "xlink:href", "action"):
                assert not (value or "").strip().lower().startswith("javascript:"), value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page                   # the name is shown, escaped


def test_hostile_whatsapp_renders_through_the_command_line(tmp_path):
    source = tmp_path / "evil.txt"
    source.write_text(HOSTILE_WHATSAPP, encoding="utf-8")
    suffixes = [".json", ".aif.json", ".dot", ".html"] + ([".svg"] if shutil.which("dot") else [])
    for suffix in suffixes:
        out = tmp_path / f"evil{suffix}"
        proc = run_cli("render", str(source), "-o", str(out))
        assert proc.returncode == 0 and "Traceback" not in err(proc), (suffix, err(proc))
    if shutil.which("dot"):
        assert_inert_svg((tmp_path / "evil.svg").read_text(encoding="utf-8"))
        assert subprocess.run(["dot", "-Tsvg", str(tmp_path / "evil.dot")], capture_output=True,
                              check=False).returncode == 0


@pytest.mark.chromium
@pytest.mark.dot
def test_hostile_text_stays_text_in_a_real_browser(tmp_path):
    """Payloads that would retitle the page if any of them ran, loaded in headless Chromium."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium not installed")
    payloads = ["<script>document.title='pwned1'</script>", "<img src=x onerror=\"document.title='pwned2'\">",
                "</svg><svg onload=\"document.title='pwned3'\">", "<a href=\"javascript:document.title='pwned4'\">x</a>"]
    pairs_ = [(f"<b>S{i % 2}</b>", text) for i, text in enumerate(payloads * 2)]
    page = tmp_path / "hostile.html"
    dialogue.render(dialogue.analyze(Transcript.from_pairs(pairs_)), page)
    profile = tmp_path / "profile"
    proc = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", f"--user-data-dir={profile}", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=90, check=False)
    dom = proc.stdout
    assert "</html>" in dom, proc.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    assert title and "pwned" not in title.group(1)
    parsed = _Tags()
    parsed.feed(dom)                                                     # the DOM after the page's script ran
    assert not [t for t, _ in parsed.tags if t in ("img", "iframe", "object", "embed")]
    assert not [(t, k) for t, a in parsed.tags for k in a if k.startswith("on")]
    assert all("pwned" not in script for script in parsed.scripts)
    assert "&lt;script&gt;document.title" in dom                         # shown as text
