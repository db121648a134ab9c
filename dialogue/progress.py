"""Progress on a terminal for the long commands: a tqdm bar (the `progress` extra), a plain counter without it,
nothing when standard error is not a terminal (a pipe, a log file, CI)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


class PlainCounter:
    """A plain progress line on a terminal when tqdm is not installed."""

    def __init__(self, total: int, initial: int, desc: str = "dialogue") -> None:
        self.total, self.n, self.last, self.desc = total, initial, 0.0, desc

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self.last > 0.2 or self.n == self.total:
            self.last = now
            sys.stderr.write(f"\r{self.desc}: {self.n}/{self.total} files")
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(progress: bool | None, total: int, initial: int = 0, desc: str = "dialogue") -> Any:
    """A bar on a terminal (tqdm, the `progress` extra), a counter without tqdm, nothing in a pipe."""
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return _Silent()
    try:
        from tqdm import tqdm  # lazy: start-up time (and an optional extra)
    except ImportError:
        return PlainCounter(total, initial, desc)
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
        columns, rows = size.columns, size.lines
    except (OSError, ValueError):
        columns = rows = 0
    # a terminal that reports no size (a bare pty, `script`, some CI consoles) would hide the bar
    return tqdm(total=total, initial=initial, unit="file", desc=desc, file=sys.stderr,
                ncols=columns or 100, nrows=rows or 24, smoothing=0.1)
