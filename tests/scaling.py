"""Complexity checks that hold on a loaded machine: CPU time of size n against size 10n, never wall-clock.

A test here guards against a blow-up (quadratic joins, catastrophic backtracking), not against a slow machine:
it compares the CPU seconds of this process (`time.process_time`, which another busy process does not inflate)
for n and for 10n. Linear work gives about 10, n log n about 13, quadratic about 100; the limit sits between.
The absolute speed targets live in benchmarks/ (benchmarks/test_limits.py, benchmarks/run.py).
"""

from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

T = TypeVar("T")

#: The largest CPU-time ratio allowed for 10x the input (linear ~10, quadratic ~100).
LIMIT = 30.0
#: CPU seconds under which the larger run counts as fast whatever the ratio: below it the timer's noise and
#: the fixed costs of a call dominate, and a blow-up at 10n would cost far more than this.
FLOOR = 0.2


def cpu(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """CPU seconds of this process spent in `call(*args, **kwargs)`, and its result."""
    start = time.process_time()
    result = call(*args, **kwargs)
    return time.process_time() - start, result


def assert_linear(call: Callable[[T], Any], make: Callable[[int], T], n: int, what: str = "",
                  repeat: int = 3) -> Any:
    """`call(make(n))` and `call(make(10 * n))` (inputs built outside the timing): the larger may take at most
    LIMIT times the CPU of the smaller (best of `repeat`, caches warmed first). Returns the larger call's result.

    The larger run is tried a second time before failing: one pause (a page-fault storm, a collector pass
    another test left due) must not decide it."""
    small_input = make(n)
    call(small_input)                                                  # warm caches: grammars, lexicons
    small = min(cpu(call, small_input)[0] for _ in range(repeat))
    large_input = make(10 * n)
    large, result = cpu(call, large_input)
    if large > max(LIMIT * small, FLOOR):
        large = min(large, cpu(call, large_input)[0])
    assert large <= max(LIMIT * small, FLOOR), (
        f"{what or getattr(call, '__name__', 'call')}: {small:.3f} s CPU at n={n}, {large:.3f} s at 10n "
        f"({large / max(small, 1e-9):.0f}x; linear work is ~10x)")
    return result
