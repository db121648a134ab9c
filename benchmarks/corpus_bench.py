"""Corpus benchmarks: `dialogue batch` into SQLite against JSON lines, and `dialogue compare` of 50 transcripts.

    python benchmarks/corpus_bench.py [--files 10000] [--rounds 1] [--workers 2]

`run()` is what benchmarks/run.py calls. The generated corpus (tests/make_corpus.py, with one broken file
in 1,000) goes once into JSON lines and once into SQLite with the same workers, in the same run; with more
rounds the order alternates and the best of each counts (other work on the machine slows whichever runs then).
`compare` runs as a user runs it: a fresh `python -m dialogue compare` of 50 transcripts (parse, analysis,
picture), wall time, for .svg, .html and .png.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))   # tests/make_corpus.py, the corpus generator


def _batch(corpus: str, out: str, workers: int) -> dict[str, Any]:
    from dialogue.batch import run_batch
    started = time.perf_counter()
    summary = run_batch([corpus], out, workers=workers, progress=False)
    seconds = time.perf_counter() - started   # the whole call: finding files, the writer's setup and close
    return {"files": summary.analysed, "seconds": seconds, "files_per_s": summary.analysed / seconds,
            "turns": summary.turns, "failures": len(summary.failures), "bytes": os.path.getsize(out)}


def run(files: int = 10_000, rounds: int = 1, workers: int = 2) -> dict[str, Any]:
    from make_corpus import make_corpus
    with tempfile.TemporaryDirectory() as folder:
        corpus = os.path.join(folder, "corpus")
        paths = make_corpus(corpus, files, seed=11, broken=max(1, files // 1000))
        best: dict[str, dict[str, Any]] = {}
        for k in range(rounds):
            for kind in (("jsonl", "sqlite") if k % 2 == 0 else ("sqlite", "jsonl")):
                out = os.path.join(folder, f"out-{k}.{kind}")
                row = _batch(corpus, out, workers)
                if kind == "sqlite":
                    with closing(sqlite3.connect(out)) as db:
                        row["turn_rows"] = db.execute("SELECT count(*) FROM turns").fetchone()[0]
                if kind not in best or row["files_per_s"] > best[kind]["files_per_s"]:
                    best[kind] = row
                os.remove(out)
        ratio = best["sqlite"]["files_per_s"] / best["jsonl"]["files_per_s"]
        fifty = sorted(p for p in paths if "broken" not in p)[:: max(1, files // 50)][:50]
        timings = {}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for suffix in (".svg", ".html", ".png"):
            out = os.path.join(folder, f"arcs{suffix}")
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "dialogue", "compare", *fifty, "-o", out],
                                  capture_output=True, text=True, env=env, check=False)
            timings[suffix] = time.perf_counter() - started if done.returncode == 0 else None
    return {"files": len(paths), "workers": workers, "rounds": rounds, "jsonl": best["jsonl"],
            "sqlite": best["sqlite"], "sqlite_over_jsonl": ratio, "compare_50_s": timings}


def report(result: dict[str, Any]) -> list[str]:
    lines = [f"corpus ({result['files']} generated files, {result['workers']} workers, best of "
             f"{result['rounds']} round(s))"]
    for kind in ("jsonl", "sqlite"):
        r = result[kind]
        lines.append(f"  {kind:>6}: {r['files']} files in {r['seconds']:.2f} s, {r['files_per_s']:.0f} files/s, "
                     f"{r['turns']} turns, {r['failures']} failures, {r['bytes'] / 1e6:.1f} MB")
    lines.append(f"  SQLite / JSON lines files/s: {result['sqlite_over_jsonl']:.2f}")
    lines.append("  dialogue compare of 50 transcripts (wall, fresh process): " + ", ".join(
        f"{suffix} {'failed' if s is None else f'{s:.2f} s'}" for suffix, s in result["compare_50_s"].items()))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    result = run(args.files, args.rounds, args.workers)
    print("\n".join(report(result)))
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
