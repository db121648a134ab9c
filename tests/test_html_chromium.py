"""The HTML report in a real browser (headless Chromium): it loads, shows graph and transcript, a click on a
node highlights its turn; a screenshot is kept in artifacts/ as the test's artefact."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_arc import FIGHT_RECONCILED, analysis_of
from test_render import nasty_analysis

from dialogue.render import render

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [pytest.mark.chromium, pytest.mark.dot,
              pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed")]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def selected(dom: str) -> tuple[list[str], list[str], str | None]:
    turns = re.findall(r'<li id="turn-(\d+)" class="[^"]*\bselected\b', dom)
    nodes = re.findall(r'<g id="(t\d+)" class="[^"]*\bselected\b', dom)
    by = re.search(r'data-selected-by="(\w+)"', dom)
    return turns, nodes, by.group(1) if by else None


def test_page_loads_and_a_click_on_a_node_highlights_its_turn(tmp_path):
    page = tmp_path / "arc.html"
    analysis = analysis_of(FIGHT_RECONCILED)
    render(analysis, page)
    climax = analysis.arc.climax
    proc = chromium(tmp_path, "--dump-dom", f"{page.as_uri()}#turn={climax}")
    dom = proc.stdout
    assert "<svg role=\"img\" aria-label=\"argument graph\"" in dom, proc.stderr[-2000:]
    assert dom.count('<li id="turn-') == len(FIGHT_RECONCILED)
    turns, nodes, by = selected(dom)
    # The script ran under the page's CSP and went through the node's click handler.
    assert by == "graph"
    assert turns == [str(climax)] and nodes == [f"t{climax}"]


def test_plain_load_selects_nothing_and_user_markup_stays_text(tmp_path):
    page = tmp_path / "nasty.html"
    render(nasty_analysis(), page)
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert 'id="turn-9"' in dom
    assert selected(dom) == ([], [], None)
    assert "<script>alert(1)</script>" not in dom
    assert dom.count("<script") == 1
    assert not re.search(r'<(a|td)\b[^>]*href="javascript', dom, flags=re.IGNORECASE)


def test_screenshot_is_kept_as_an_artefact(tmp_path):
    page = tmp_path / "arc.html"
    analysis = analysis_of(FIGHT_RECONCILED)
    render(analysis, page)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html_report.png"
    if shot.exists():
        shot.unlink()
    proc = chromium(tmp_path, "--window-size=1400,1000", f"--screenshot={shot}",
                    f"{page.as_uri()}#turn={analysis.arc.climax}")
    assert shot.is_file(), proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000      # a page with content, not a blank one
    print(f"screenshot: {shot}")
