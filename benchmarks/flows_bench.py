"""Flow detection on the play text: its share of the analysis, warm and on first use (benchmarks/run.py).

    python benchmarks/flows_bench.py PLAY.txt     # the cold figure alone, in this fresh process

Warm: the median of `find_flows` on the parsed play, against the rest of the analysis (classify and arc)
timed in the same run. Cold: the first `find_flows` call in a fresh process, which also reads the
pronouncing dictionary and sounds out every word once (the analysis's own first-use costs, the judge's
vocabulary, are warmed before it so only the dictionary's are counted)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cold(path: str) -> dict[str, float]:
    import dialogue
    from dialogue.classify import classify
    from dialogue.flows import find_flows
    from dialogue.pronounce import _dictionary
    transcript = dialogue.parse(Path(path).read_text(encoding="utf-8"), source="play")
    classify(transcript)
    cpu = time.process_time()
    _dictionary()
    load = time.process_time() - cpu
    cpu = time.process_time()
    find_flows(transcript)
    return {"dictionary_load_cpu_s": load, "first_flows_cpu_s": time.process_time() - cpu}


def run(text_path: str, analysis_cpu_s: float, repeat: int, median_time) -> dict[str, float]:
    """`analysis_cpu_s`: the median of `dialogue.analyze` on the play (flows included)."""
    import dialogue
    from dialogue.flows import find_flows
    transcript = dialogue.parse(Path(text_path).read_text(encoding="utf-8"), source="play")
    flows = find_flows(transcript)
    warm = median_time(lambda: find_flows(transcript), repeat)[1]
    child = subprocess.run([sys.executable, __file__, text_path], capture_output=True, text=True, check=True)
    first = json.loads(child.stdout)
    rest = analysis_cpu_s - warm
    return {"flows": len(flows), "flows_cpu_s": warm, "rest_of_analysis_cpu_s": rest, "ratio": warm / rest,
            **first, "cold_ratio": (first["dictionary_load_cpu_s"] + first["first_flows_cpu_s"]) / rest}


if __name__ == "__main__":
    print(json.dumps(cold(sys.argv[1])))
