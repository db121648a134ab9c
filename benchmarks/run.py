"""The benchmark of `dialogue`: one command, a readable table, the figures saved as JSON.

    python benchmarks/run.py [-o benchmarks/results.json] [--repeat 5] [--dask] [--batch-files 400] [--profile]

Sections (each skipped with a message when its piece is missing):
  machine     CPU model, cores, Python, lark
  parse       MB/s on the shared play text at 1x, 4x and 10x, interleaved in one loop with the floor (one
              compiled cue pattern matched line by line, building the same frozen Turn objects); the ratio
              parse/floor and the 1x -> 10x time ratio
  memory      peak memory of a parse per MB of input (a fresh process each: ru_maxrss growth, tracemalloc peak)
  cold start  `python -m dialogue parse small.txt` beside `python -c "import lark"` (best of N), and what the
              CLI's imports spend their time on (`-X importtime`)
  analysis    turns/s of `dialogue.analyze` on the play text, and its time against the parse's; the share
              of flow detection in it (benchmarks/flows_bench.py: warm, and on first use with the dictionary)
  render      benchmarks/render_bench.py's `run()` (render time against turns)
  batch       files/s of `dialogue batch` on a generated corpus with 1 and 2 workers (and Dask with --dask)
  corpus      benchmarks/corpus_bench.py: the 10,010-file generated corpus into SQLite against JSON lines
              (files/s, same workers, same run), and `dialogue compare` of 50 transcripts (.svg .html .png)
  profile     (--profile) the top costs of parsing the play text, by cProfile

Medians of `--repeat` runs; the targets are ratios measured in the same run, so they hold on any machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The shared play text (1.1 MB, 7,222 speeches); `--text` or $DIALOGUE_PLAY_TEXT point elsewhere.
PLAY_TEXT = Path(os.environ.get("DIALOGUE_PLAY_TEXT")
                 or ROOT.parent / "shared" / "data" / "tinyshakespeare" / "input.txt")
SCALES = (1, 4, 10)
TARGETS = {  # name: (limit, "min" if the value must reach it, "max" if it must stay under it)
    "parse / floor throughput": (0.25, "min"),
    "parse time 10x / 1x": (11.0, "max"),
    "peak memory / input size": (6.0, "max"),
    "cold start / import lark": (2.5, "max"),
    "analysis time / parse time": (3.0, "max"),
    "flows / rest of analysis": (0.2, "max"),
    "SQLite / JSON lines files/s": (0.8, "min"),
    "compare 50 transcripts, s": (5.0, "max"),
}


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process). On a shared machine the CPU time is the steadier
    figure: waiting for a core another job holds counts in the wall time only."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeat` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        _, wall, cpu = timed(fn)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def repeated(text: str, scale: int) -> str:
    """The text `scale` times, a blank line between copies so every copy starts with a cue."""
    return "\n".join([text.rstrip("\n") + "\n"] * scale)


# -- machine ------------------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import lark
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "implementation": platform.python_implementation(), "system": platform.platform(terse=True),
            "lark": lark.__version__, "load_average_at_start": list(os.getloadavg())}


# -- parse beside the floor ---------------------------------------------------------------------------------

#: The floor's one cue pattern: a line that is a name and a colon and nothing else.
FLOOR_CUE = re.compile(r"([A-Za-z][\w' .,&\-]*):")


def floor_parse(text: str) -> list:
    """The floor of issue 2: split lines, one compiled pattern per line, the same frozen Turn objects."""
    from dialogue.model import Turn
    turns: list = []
    speaker, lines, start = None, [], 0
    for number, line in enumerate(text.split("\n"), 1):
        match = FLOOR_CUE.fullmatch(line)
        if match:
            if speaker is not None:
                turns.append(Turn(len(turns), speaker, "\n".join(lines), start))
            speaker, lines, start = match.group(1), [], number
        elif line and speaker is not None:
            lines.append(line)
    if speaker is not None:
        turns.append(Turn(len(turns), speaker, "\n".join(lines), start))
    return turns


def bench_parse(text: str, repeat: int) -> dict[str, Any]:
    import dialogue
    texts = {scale: repeated(text, scale) for scale in SCALES}
    dialogue.parse(texts[1], source="warm-up")       # the grammar is built (or loaded from cache) once
    runs: dict[tuple[str, str, int], list[float]] = {}
    turns = {}
    for _ in range(repeat):          # interleaved: each repetition runs every size of both
        for scale in SCALES:
            text_s = texts[scale]
            for name, fn in (("parse", lambda: dialogue.parse(text_s, source="play")),  # noqa: B023 - called at once
                             ("floor", lambda: floor_parse(text_s))):  # noqa: B023
                # Each timing starts from a collected heap and ends when the result is built: freeing the
                # last run's tens of thousands of turns is not this run's work, for the parser or the floor.
                gc.collect()
                result, wall, cpu = timed(fn)
                runs.setdefault((name, "wall", scale), []).append(wall)
                runs.setdefault((name, "cpu", scale), []).append(cpu)
                if name == "parse":
                    turns[scale] = len(result.turns)
                del result
    med = {key: statistics.median(values) for key, values in runs.items()}
    rows = []
    for scale in SCALES:
        mb = len(texts[scale].encode("utf-8")) / 1e6
        parse_c, floor_c = med["parse", "cpu", scale], med["floor", "cpu", scale]
        parse_w, floor_w = med["parse", "wall", scale], med["floor", "wall", scale]
        rows.append({"scale": scale, "mb": round(mb, 3), "turns": turns[scale],
                     "parse_cpu_s": parse_c, "floor_cpu_s": floor_c, "parse_mb_s": mb / parse_c,
                     "floor_mb_s": mb / floor_c, "ratio": floor_c / parse_c,
                     "parse_s": parse_w, "floor_s": floor_w, "ratio_wall": floor_w / parse_w})
    one, ten = rows[0], rows[-1]
    return {"rows": rows, "ratio": min(r["ratio"] for r in rows),
            "ratio_wall": min(r["ratio_wall"] for r in rows),
            "scaling_10x": ten["parse_cpu_s"] / one["parse_cpu_s"],
            "floor_scaling_10x": ten["floor_cpu_s"] / one["floor_cpu_s"],
            "scaling_10x_wall": ten["parse_s"] / one["parse_s"]}


# -- memory -------------------------------------------------------------------------------------------------

def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _reset_peak() -> int:
    """Start a fresh peak-RSS count (Linux: clear_refs 5 resets VmHWM); the RSS now, in kB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kb("VmRSS") or 0
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak() -> int:
    import resource
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _memory_child(scale: int, path: str) -> None:
    """In a fresh process: peak memory of one parse, beyond what the text and the built parser take."""
    import tracemalloc

    import dialogue
    text = repeated(Path(path).read_text(encoding="utf-8"), scale)
    dialogue.parse(text[:5000], source="warm-up")   # the same grammar, built or loaded from lark's cache
    before = _reset_peak()
    transcript = dialogue.parse(text, source="play")
    after = _peak()
    del transcript
    tracemalloc.start()
    transcript = dialogue.parse(text, source="play")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"scale": scale, "input_mb": len(text.encode("utf-8")) / 1e6,
                      "rss_growth_mb": (after - before) * 1024 / 1e6, "traced_peak_mb": peak / 1e6,
                      "turns": len(transcript.turns)}))


def bench_memory(scales: tuple[int, ...] = (1, 10)) -> dict[str, Any]:
    rows = []
    for scale in scales:
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(scale), str(PLAY_TEXT)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        row = json.loads(out.stdout)
        row["rss_per_mb"] = row["rss_growth_mb"] / row["input_mb"]
        row["traced_per_mb"] = row["traced_peak_mb"] / row["input_mb"]
        rows.append(row)
    return {"rows": rows, "ratio": max(max(r["rss_per_mb"], r["traced_per_mb"]) for r in rows)}


# -- cold start ---------------------------------------------------------------------------------------------

def _children_cpu() -> float:
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _best_of(command: list[str], runs: int, cwd: str, env: dict[str, str]) -> tuple[float, float]:
    """Best wall and best CPU seconds (the child's user + system time) of `runs` runs of `command`."""
    best_wall = best_cpu = float("inf")
    for _ in range(runs):
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, _children_cpu() - cpu)
    return best_wall, best_cpu


def import_times(stderr: str) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) from `python -X importtime` output."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((match.group(4), int(match.group(1)), int(match.group(2))))
    return rows


def bench_cold_start(runs: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.txt"
        small.write_text("ROSA: You forgot the rent again.\nLEO: Look who's talking.\nROSA: I'm sorry.\n",
                         encoding="utf-8")
        parse_cmd = [sys.executable, "-m", "dialogue", "parse", str(small)]
        subprocess.run(parse_cmd, cwd=folder, env=env, check=True, capture_output=True)   # caches warm
        cli, cli_cpu = _best_of(parse_cmd, runs, folder, env)
        lark_t, lark_cpu = _best_of([sys.executable, "-c", "import lark"], runs, folder, env)
        bare, bare_cpu = _best_of([sys.executable, "-c", "pass"], runs, folder, env)
        # not a target, but what a user waits for: the classifier builds its vocabulary on first use
        analyze_cmd = [sys.executable, "-m", "dialogue", "analyze", str(small), "--json"]
        try:
            subprocess.run(analyze_cmd, cwd=folder, env=env, check=True, capture_output=True)
            analyze, analyze_cpu = _best_of(analyze_cmd, max(3, runs // 3), folder, env)
        except subprocess.CalledProcessError:
            analyze = analyze_cpu = float("nan")
        traced = subprocess.run([sys.executable, "-X", "importtime", *parse_cmd[1:]], cwd=folder, env=env,
                                check=True, capture_output=True, text=True)
    rows = import_times(traced.stderr)
    by_package: dict[str, int] = {}
    for name, self_us, _ in rows:
        top = name.split(".")[0] if not name.startswith("dialogue") else ".".join(name.split(".")[:2])
        by_package[top] = by_package.get(top, 0) + self_us
    # what `parse` has no use for: the picture, the classifier, the engines of `batch`
    heavy = sorted({name.split(".")[0] if not name.startswith("dialogue.") else name for name, _, _ in rows
                    if name.split(".")[0] in ("graphviz", "dask", "distributed", "tqdm", "jsonschema")
                    or name.startswith(("dialogue.classify", "dialogue.render.", "dialogue.arc",
                                        "dialogue.batch"))})
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:10]
    return {"cli_s": cli, "import_lark_s": lark_t, "python_s": bare, "ratio_wall": cli / lark_t,
            "cli_cpu_s": cli_cpu, "import_lark_cpu_s": lark_cpu, "python_cpu_s": bare_cpu,
            "analyze_s": analyze, "analyze_cpu_s": analyze_cpu,
            "ratio": cli_cpu / lark_cpu,
            "excess_ms": {"cli": (cli - bare) * 1000, "import_lark": (lark_t - bare) * 1000},
            "imports_ms": [[name, us / 1000] for name, us in top], "heavy_imports": heavy,
            "total_imports_ms": sum(us for _, us, _ in rows) / 1000}


# -- analysis, render, batch --------------------------------------------------------------------------------

def bench_analysis(text: str, repeat: int, parse_cpu_s: float) -> dict[str, Any]:
    """Analysis of the play text against its parse, the two interleaved (each repetition parses, then
    analyses), so a change in the machine's load moves both alike; `parse_cpu_s` (the parse section's figure)
    is reported beside it."""
    import dialogue
    transcript = dialogue.parse(text, source="play")
    dialogue.analyze(transcript)
    parses, walls, cpus = [], [], []
    for _ in range(repeat):
        gc.collect()
        parses.append(timed(lambda: dialogue.parse(text, source="play"))[2])
        gc.collect()
        _, wall, cpu = timed(lambda: dialogue.analyze(transcript))
        walls.append(wall)
        cpus.append(cpu)
    parse_here = statistics.median(parses)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    # the two stages apart, so each owner sees their share
    from dialogue.arc import build_arc
    from dialogue.classify import classify
    moves, exchanges = classify(transcript)
    classify_s = median_time(lambda: classify(transcript), repeat)[1]
    arc_s = median_time(lambda: build_arc(transcript, moves, exchanges), repeat)[1]
    n = len(transcript.turns)
    return {"turns": n, "analysis_cpu_s": cpu, "analysis_s": wall, "turns_per_s": n / cpu,
            "parse_cpu_s": parse_here, "parse_section_cpu_s": parse_cpu_s, "classify_cpu_s": classify_s,
            "arc_cpu_s": arc_s, "ratio": cpu / parse_here, "ratio_to_parse_section": cpu / parse_cpu_s}


def bench_render() -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import render_bench
    return render_bench.run()


def bench_batch(files: int, dask: bool) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))   # the corpus generator is a test helper
    from make_corpus import make_corpus

    from dialogue.batch import run_batch
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        corpus = os.path.join(folder, "corpus")
        make_corpus(corpus, files, seed=11, broken=max(1, files // 200))
        engines = [("local", 1), ("local", 2)] + ([("dask", 2)] if dask else [])
        outputs = []
        for engine, workers in engines:
            out = os.path.join(folder, f"{engine}-{workers}.jsonl")
            summary = run_batch([corpus], out, workers=workers, engine=engine, progress=False)
            outputs.append(sorted(Path(out).read_text(encoding="utf-8").splitlines()))
            rows.append({"engine": engine, "workers": workers, "files": summary.analysed, "seconds": summary.seconds,
                         "files_per_s": summary.files_per_second, "failures": len(summary.failures),
                         "turns": summary.turns})
    return {"rows": rows, "identical": all(o == outputs[0] for o in outputs[1:])}


def profile_parse(text: str, top: int = 18) -> str:
    import dialogue
    dialogue.parse(text, source="warm-up")
    profiler = cProfile.Profile()
    profiler.enable()
    dialogue.parse(text, source="play")
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return stream.getvalue()


# -- the report ---------------------------------------------------------------------------------------------

def _check(name: str, value: float) -> dict[str, Any]:
    limit, kind = TARGETS[name]
    ok = value >= limit if kind == "min" else value <= limit
    return {"target": name, "value": value, "limit": limit, "kind": kind, "ok": ok}


def report(results: dict[str, Any]) -> str:
    out = []
    m = results["machine"]
    out.append(f"machine: {m['cpu']}, {m['cores']} cores, {m['implementation']} {m['python']}, "
               f"lark {m['lark']}, {m['system']}")
    out.append(f"load average at start: {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])} "
               f"(other work on the machine slows every figure; the targets are ratios within this run)")
    parse = results.get("parse")
    if parse:
        out.append(f"\nparse (shared play text; medians of {results['repeat']} interleaved runs; CPU seconds, "
                   "wall seconds after the bar)")
        out.append(f"  {'size':>5} {'MB':>6} {'turns':>6} {'parse s':>8} {'MB/s':>6} {'floor s':>8} {'MB/s':>6} "
                   f"{'parse/floor':>11} | {'wall: parse':>11} {'floor':>6} {'ratio':>5}")
        for r in parse["rows"]:
            out.append(f"  {str(r['scale']) + 'x':>5} {r['mb']:6.2f} {r['turns']:6d} {r['parse_cpu_s']:8.3f} "
                       f"{r['parse_mb_s']:6.2f} {r['floor_cpu_s']:8.3f} {r['floor_mb_s']:6.2f} {r['ratio']:11.2f} | "
                       f"{r['parse_s']:11.3f} {r['floor_s']:6.3f} {r['ratio_wall']:5.2f}")
        out.append(f"  time 10x / 1x: parse {parse['scaling_10x']:.2f} (wall {parse['scaling_10x_wall']:.2f}), "
                   f"floor {parse['floor_scaling_10x']:.2f}")
    mem = results.get("memory")
    if mem:
        out.append("\nmemory (a fresh process per size)")
        for r in mem["rows"]:
            out.append(f"  {r['scale']:>3}x {r['input_mb']:6.2f} MB in: RSS grew {r['rss_growth_mb']:6.1f} MB "
                       f"({r['rss_per_mb']:.2f}x), tracemalloc peak {r['traced_peak_mb']:6.1f} MB "
                       f"({r['traced_per_mb']:.2f}x)")
    cold = results.get("cold_start")
    if cold:
        out.append(f"\ncold start (best of {results['cold_runs']})")
        out.append(f"  {'':36} {'CPU ms':>7} {'wall ms':>8}")
        for label, key in (("python -m dialogue parse small.txt", "cli"), ("python -c 'import lark'", "import_lark"),
                           ("python -c pass", "python"), ("python -m dialogue analyze small.txt", "analyze")):
            out.append(f"  {label:36} {cold[key + '_cpu_s'] * 1000:7.1f} {cold[key + '_s'] * 1000:8.1f}")
        out.append(f"  ratio dialogue parse / import lark: CPU {cold['ratio']:.2f}, wall {cold['ratio_wall']:.2f}")
        out.append("  imports by self time (ms): " + ", ".join(f"{n} {ms:.1f}" for n, ms in cold["imports_ms"]))
        out.append("  heavy modules imported by `parse`: " + (", ".join(cold["heavy_imports"]) or "none"))
    ana = results.get("analysis")
    if ana:
        out.append("\nanalysis (play text)")
        out.append(f"  {ana['turns']} turns in {ana['analysis_cpu_s']:.3f} s CPU ({ana['analysis_s']:.3f} s wall): "
                   f"{ana['turns_per_s']:,.0f} turns/s; parse {ana['parse_cpu_s']:.3f} s CPU (interleaved with the "
                   f"analyses; the parse section's 1x: {ana['parse_section_cpu_s']:.3f} s, ratio "
                   f"{ana['ratio_to_parse_section']:.2f})")
        out.append(f"  classify alone {ana['classify_cpu_s']:.3f} s, arc alone {ana['arc_cpu_s']:.3f} s (CPU)")
    flo = results.get("flows")
    if flo:
        out.append(f"\nflows (play text, benchmarks/flows_bench.py): {flo['flows']} flows in {flo['flows_cpu_s']:.3f} s "
                   f"CPU, {flo['ratio']:.0%} of the rest of the analysis ({flo['rest_of_analysis_cpu_s']:.3f} s); "
                   f"first use in a fresh process {flo['first_flows_cpu_s']:.3f} s + dictionary "
                   f"{flo['dictionary_load_cpu_s']:.3f} s ({flo['cold_ratio']:.0%})")
    rend = results.get("render")
    if rend:
        out.append("\nrender (benchmarks/render_bench.py: SVG through dot)")
        rows = list(rend.get("rows", []))
        if isinstance(rend.get("play"), dict):
            rows.append({"turns": rend["play"].get("turns"), **rend["play"]})
        out.extend(f"  {line}" for line in _table(rows))
        out.extend(f"  {line}" for line in _flat({k: v for k, v in rend.items() if k not in ("rows", "play")}))
    batch = results.get("batch")
    if batch:
        out.append(f"\nbatch (generated corpus; outputs identical across engines: {batch['identical']})")
        for r in batch["rows"]:
            out.append(f"  {r['engine']:>5} {r['workers']} worker(s): {r['files']} files in {r['seconds']:.2f} s, "
                       f"{r['files_per_s']:.0f} files/s ({r['failures']} broken files recorded)")
    if results.get("corpus"):
        import corpus_bench
        out.append("")
        out.extend(corpus_bench.report(results["corpus"]))
    for name, message in results.get("skipped", {}).items():
        out.append(f"\n{name}: skipped: {message}")
    if results["targets"]:
        out.append("\ntargets")
        for t in results["targets"]:
            sign = ">=" if t["kind"] == "min" else "<="
            out.append(f"  {'ok  ' if t['ok'] else 'MISS'} {t['target']:<28} {t['value']:6.2f}  ({sign} {t['limit']})")
    if results.get("profile"):
        out.append("\nprofile of one parse of the play text (cProfile, by own time)\n" + results["profile"])
    return "\n".join(out)


def _table(rows: list[dict[str, Any]]) -> list[str]:
    """Rows of dicts as aligned columns (the union of their keys, in order of appearance)."""
    if not rows:
        return []
    keys = list(dict.fromkeys(k for row in rows for k in row if not isinstance(row[k], (dict, list))))
    cells = [[f"{row.get(k):.3f}" if isinstance(row.get(k), float) else str(row.get(k, "")) for k in keys]
             for row in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    return ["  ".join(k.rjust(w) for k, w in zip(keys, widths))] + [
        "  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]


def _flat(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _flat(v, f"{prefix}{k}.")]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [line for i, v in enumerate(value) for line in _flat(v, f"{prefix}{i}.")]
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    return [f"{prefix.rstrip('.')}: {shown}"]


def main(argv: list[str] | None = None) -> int:
    global PLAY_TEXT
    parser = argparse.ArgumentParser(description="The dialogue benchmark: prints a table, saves JSON.")
    parser.add_argument("-o", "--output", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--cold-runs", type=int, default=10, help="runs of each cold start (best)")
    parser.add_argument("--batch-files", type=int, default=1000, help="size of the generated batch corpus")
    parser.add_argument("--corpus-files", type=int, default=10_000,
                        help="transcripts of the SQLite-against-JSON-lines corpus (0: skip the section)")
    parser.add_argument("--only", help="run only these sections (comma-separated: parse,memory,cold,analysis,"
                                       "render,batch,corpus)")
    parser.add_argument("--text", help=f"the play text (default {PLAY_TEXT})")
    parser.add_argument("--dask", action="store_true", help="also run the batch on a Dask LocalCluster")
    parser.add_argument("--profile", action="store_true", help="print the top costs of a parse (cProfile)")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.text:
        PLAY_TEXT = Path(args.text)
    if args.memory_child:
        _memory_child(int(args.memory_child[0]), args.memory_child[1])
        return 0

    results: dict[str, Any] = {"machine": machine(), "repeat": args.repeat, "cold_runs": args.cold_runs,
                               "skipped": {}, "targets": []}
    skipped = results["skipped"]
    only = set(args.only.split(",")) if args.only else None
    def want(name: str) -> bool:
        return only is None or name in only
    needs_text = want("parse") or want("memory") or want("analysis")
    text = PLAY_TEXT.read_text(encoding="utf-8") if needs_text and PLAY_TEXT.is_file() else None
    if needs_text and text is None:
        for name in ("parse", "memory", "analysis"):
            skipped[name] = f"the shared play text is absent ({PLAY_TEXT})"
    elif text is not None:
        results["parse"] = bench_parse(text, args.repeat)   # the analysis section is measured against it
        results["targets"].append(_check("parse / floor throughput", results["parse"]["ratio"]))
        results["targets"].append(_check("parse time 10x / 1x", results["parse"]["scaling_10x"]))
        if want("memory"):
            results["memory"] = bench_memory()
            results["targets"].append(_check("peak memory / input size", results["memory"]["ratio"]))
    if want("cold"):
        results["cold_start"] = bench_cold_start(args.cold_runs)
        results["targets"].append(_check("cold start / import lark", results["cold_start"]["ratio"]))
    if text is not None and want("analysis"):
        try:
            results["analysis"] = bench_analysis(text, args.repeat, results["parse"]["rows"][0]["parse_cpu_s"])
            results["targets"].append(_check("analysis time / parse time", results["analysis"]["ratio"]))
            import flows_bench
            results["flows"] = flows_bench.run(str(args.text or PLAY_TEXT), results["analysis"]["analysis_cpu_s"],
                                               args.repeat, median_time)
            results["targets"].append(_check("flows / rest of analysis", results["flows"]["ratio"]))
        except ImportError as exc:
            skipped["analysis"] = f"the classifier is not importable yet ({exc})"
    if want("render") and (Path(__file__).resolve().parent / "render_bench.py").is_file():
        try:
            results["render"] = bench_render()
        except ImportError as exc:
            skipped["render"] = f"render_bench could not run ({exc})"
    elif want("render"):
        skipped["render"] = "benchmarks/render_bench.py is not there yet"
    if args.dask:
        try:
            import dask.bag  # noqa: F401
            import distributed  # noqa: F401
        except ImportError:
            skipped["dask"] = "Dask is not installed (pip install 'dialogue[dask]')"
    if want("batch"):
        try:
            results["batch"] = bench_batch(args.batch_files, args.dask and "dask" not in skipped)
        except ImportError as exc:
            skipped["batch"] = f"the batch pipeline is not importable yet ({exc})"
    if want("corpus") and args.corpus_files > 0:
        import corpus_bench
        results["corpus"] = corpus_bench.run(args.corpus_files)
        results["targets"].append(_check("SQLite / JSON lines files/s", results["corpus"]["sqlite_over_jsonl"]))
        compare_s = results["corpus"]["compare_50_s"]
        results["targets"].append(_check("compare 50 transcripts, s", max(
            (v if v is not None else float("inf")) for v in compare_s.values())))
    if args.profile and text is not None:
        results["profile"] = profile_parse(text)
    print(report(results))
    if only is not None and os.path.isfile(args.output):
        # a partial run updates its sections in the saved figures and keeps the others
        saved = json.loads(Path(args.output).read_text(encoding="utf-8"))
        names = {t["target"] for t in results["targets"]}
        saved["targets"] = [t for t in saved.get("targets", []) if t["target"] not in names] + results["targets"]
        saved.update({k: v for k, v in results.items() if k != "targets"})
        results = saved
    from dialogue.textio import write_atomic
    write_atomic(args.output, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nsaved {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
