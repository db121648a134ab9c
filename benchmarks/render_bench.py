"""Render time against transcript size: SVG through Graphviz's `dot`, summarised view and `--full`.

    python benchmarks/render_bench.py [--sizes 50,200,1000,3000] [--repeat 3]

Transcripts of N turns are generated from the lines below (written for this project: small talk, a grievance,
insults, deflections, repairs), classified by `dialogue.analyze`, then rendered to SVG; only the rendering is
timed (graph as data, DOT, `dot`, the atomic write). The shared 7.2k-turn play text is parsed and rendered too
when it is present. `run()` returns the figures as a dict for benchmarks/run.py.

Targets (issue 4): 1,000 turns to SVG in under 5 s; the play text in its summarised view in under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAY_TEXT = ROOT.parent / "shared" / "data" / "tinyshakespeare" / "input.txt"
SIZES = (50, 200, 1000, 3000)
TARGETS = {1000: 5.0, "play": 10.0}

LINES = [
    "Morning. Did you see the post?", "The kettle is on, want some?", "I was thinking about the garden.",
    "You forgot the rent again, didn't you?", "That's not my fault, the bank was closed.",
    "You are a useless lump.", "Look who's talking.", "Nice going, Einstein.", "Whatever, I'm done.",
    "You never listen to me.", "Calm down, you're overreacting.", "I'm sorry, I didn't mean it.",
    "Fair point, that's on me.", "I love you, let's stop this.", "The bus was late again today.",
    "Did you call your mother back?", "Pass the salt, please.", "What time is the film?",
]


def transcript_text(n: int, speakers: int = 2) -> str:
    """A chat transcript of `n` turns cycling through `LINES` (mostly calm, with bursts of conflict)."""
    names = ["ROSA", "LEO", "INES", "KOFI"][:speakers]
    out = []
    for i in range(n):
        line = LINES[(i * 7 + i // 11) % len(LINES)]
        out.append(f"{names[i % speakers]}: {line}")
    return "\n".join(out) + "\n"


def _time_render(analysis: Any, full: bool, repeat: int) -> tuple[float, int]:
    from dialogue.render import render
    from dialogue.render.graph import build_graph
    nodes = len(build_graph(analysis, full).nodes)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            started = time.perf_counter()
            render(analysis, Path(tmp) / "arc.svg", full=full)
            times.append(time.perf_counter() - started)
    return statistics.median(times), nodes


def run(sizes: tuple[int, ...] = SIZES, repeat: int = 3, play: bool = True) -> dict[str, Any]:
    """Median render times (seconds) per size and view, and for the play text when present."""
    import dialogue
    rows = []
    for n in sizes:
        analysis = dialogue.analyze(dialogue.parse(transcript_text(n), source=f"generated-{n}.txt"))
        for full in (False, True):
            seconds, nodes = _time_render(analysis, full, repeat if n <= 1000 else 1)
            rows.append({"turns": n, "view": "full" if full else "default", "nodes": nodes, "svg_s": seconds})
    result: dict[str, Any] = {"rows": rows}
    if play and PLAY_TEXT.is_file():
        started = time.perf_counter()
        transcript = dialogue.parse(PLAY_TEXT.read_text(encoding="utf-8"), source=PLAY_TEXT.name)
        analysis = dialogue.analyze(transcript)
        prepared = time.perf_counter() - started
        seconds, nodes = _time_render(analysis, False, 1)
        result["play"] = {"turns": len(transcript.turns), "view": "default", "nodes": nodes, "svg_s": seconds,
                          "parse_and_analyze_s": prepared}
    checks = {}
    thousand = [r["svg_s"] for r in rows if r["turns"] == 1000 and r["view"] == "default"]
    if thousand:
        checks["1000 turns to svg < 5 s"] = thousand[0] < TARGETS[1000]
    if "play" in result:
        checks["play text summarised < 10 s"] = result["play"]["svg_s"] < TARGETS["play"]
    result["targets_met"] = checks
    return result


def format_result(result: dict[str, Any]) -> str:
    lines = [f"{'turns':>6}  {'view':<8} {'nodes':>6}  {'svg (s)':>8}"]
    for r in result["rows"]:
        lines.append(f"{r['turns']:>6}  {r['view']:<8} {r['nodes']:>6}  {r['svg_s']:>8.3f}")
    play = result.get("play")
    if play:
        lines.append(f"{play['turns']:>6}  {'play':<8} {play['nodes']:>6}  {play['svg_s']:>8.3f}"
                     f"   (parse + analyze {play['parse_and_analyze_s']:.2f} s, not counted)")
    for name, ok in result["targets_met"].items():
        lines.append(f"{'ok  ' if ok else 'MISS'} {name}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-play", action="store_true", help="skip the shared play text")
    args = parser.parse_args(argv)
    result = run(tuple(int(s) for s in args.sizes.split(",")), args.repeat, play=not args.no_play)
    print(format_result(result))
    return 0 if all(result["targets_met"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
