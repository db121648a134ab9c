"""The absolute speed limits, kept out of the unit tests: `python -m pytest benchmarks/test_limits.py`.

The unit tests (tests/, what the README's test command runs) time nothing on the wall clock: on a loaded
machine any limit in seconds fails for reasons the code does not own. They check how the cost grows instead
(CPU time at n against 10n, tests/scaling.py). The limits the project promised are checked here, in CPU seconds
of this process, with the inputs the unit tests build. Render times (1,000 turns to SVG under 5 s, the play text
under 10 s) are benchmarks/render_bench.py's targets; parse, memory, cold start and analysis figures are
benchmarks/run.py's.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import dialogue  # noqa: E402
from dialogue.classify import classify  # noqa: E402
from dialogue.model import DIALECTS, Transcript  # noqa: E402
from test_hostile import UNITS, _long_line, _parse_or_refuse, _patterns, available_dialects  # noqa: E402
from test_screenplay import PATHOLOGICAL as SCREENPLAY  # noqa: E402
from test_subtitles import PATHOLOGICAL as SUBTITLES  # noqa: E402


def seconds(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """CPU seconds of this process (as benchmarks/run.py measures: a shared machine's other jobs do not count)."""
    start = time.process_time()
    result = call(*args, **kwargs)
    return time.process_time() - start, result


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_two_megabyte_line_parses_in_5_s_and_analyses_in_10(dialect):
    if dialect not in available_dialects():
        pytest.skip(f"the {dialect} grammar has not landed")
    took, transcript = seconds(dialogue.parse, _long_line(dialect), dialect=dialect)
    assert took < 5, f"{dialect}: {took:.1f} s for a 2 MB line"
    took, _ = seconds(dialogue.analyze, transcript)
    assert took < 10, f"analysis of a 2 MB turn took {took:.1f} s"


@pytest.mark.parametrize("dialect", (None, *DIALECTS))
def test_adversarial_lines_of_100k_characters_parse_in_2_s(dialect):
    if dialect is not None and dialect not in available_dialects():
        pytest.skip(f"the {dialect} grammar has not landed")
    slow = [(unit, round(took, 1)) for unit in UNITS
            for took, _ in [seconds(_parse_or_refuse, unit * (100_000 // len(unit)) + "!", dialect)] if took > 2]
    assert not slow, slow


def test_adversarial_turns_of_30k_characters_analyse_in_2_s():
    slow = []
    for unit in UNITS:
        transcript = dialogue.parse("ROSA: " + unit.replace("\n", " ") * (30_000 // len(unit)) + "\n")
        took, _ = seconds(dialogue.analyze, transcript)
        if took > 2:
            slow.append((unit, round(took, 1)))
    assert not slow, slow


def test_every_pattern_takes_under_half_a_second_on_20k_characters():
    slow = []
    strings = [u * (20_000 // len(u)) + e for u in UNITS[:26] for e in ("", "!\n")]
    for name, (pattern, methods) in _patterns().items():
        for text in strings:
            for method in sorted(methods):
                call = getattr(pattern, method)
                took, _ = seconds(call, *(("", text) if method == "sub" else (text,)))
                if took > 0.5:
                    slow.append((name, method, text[:12], round(took, 2)))
    assert not slow, slow


@pytest.mark.parametrize("name", SCREENPLAY)
def test_pathological_screenplays_of_2_mb_parse_in_3_s(name):
    took, _ = seconds(dialogue.parse, SCREENPLAY[name](2_000_000), dialect="screenplay")
    assert took < 3.0, f"{name}: {took:.1f} s"


@pytest.mark.parametrize("dialect", ["srt", "webvtt"])
@pytest.mark.parametrize("name", SUBTITLES)
def test_pathological_subtitles_of_2_mb_parse_in_3_s(name, dialect):
    took, _ = seconds(dialogue.parse, SUBTITLES[name](2_000_000), dialect=dialect)
    assert took < 3.0, f"{dialect} {name}: {took:.1f} s"


def test_classify_spends_under_300_us_of_cpu_a_turn():
    lines = ["You're a complete idiot, you know that?", "I'm sorry, I didn't mean it.",
             "What about the time you forgot my birthday?", "Let us be friends again, good cousin.",
             "The weather is fine today and the ships are in the harbour."]
    transcript = Transcript.from_pairs([(f"S{i % 3}", lines[i % len(lines)]) for i in range(3000)])
    classify(Transcript.from_pairs([("A", "warm up")]))
    start = time.process_time()
    moves, _ = classify(transcript)
    assert (time.process_time() - start) / len(moves) < 300e-6


@pytest.mark.parametrize("unit", ["you idiot ", "what a fool, ", 'she said "shut up" ', "I'm sorry, what? "])
def test_one_turn_of_40k_characters_is_classified_in_4_s_of_cpu(unit):
    text = unit * (40_000 // len(unit))
    start = time.process_time()
    classify(Transcript.from_pairs([("A", text), ("B", text)]))
    assert time.process_time() - start < 4.0


def test_the_first_classify_in_a_fresh_process_takes_under_1_s_of_cpu():
    # was ~1.5 s when every pattern was compiled up front; ~0.3 s since they are compiled on first use
    code = ("import time; t = time.process_time(); from dialogue.classify import classify; "
            "from dialogue.model import Transcript; "
            "classify(Transcript.from_pairs([('A', 'you idiot'), ('B', 'sorry, I did not mean it')])); "
            "print(time.process_time() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert float(out.stdout) < 1.0
