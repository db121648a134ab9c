"""Running Graphviz's `dot` binary: the one place that knows it may be missing or fail."""

from __future__ import annotations

import graphviz

from ..errors import GraphvizMissing, RenderError


def pipe(dot: graphviz.Digraph | graphviz.Graph, fmt: str, **options: object) -> bytes:
    """Run the graph's engine (`dot`) on it; GraphvizMissing when it is not installed, RenderError when it
    fails. `options` go to `graphviz`'s `pipe` (e.g. `neato_no_op=2` for pinned positions)."""
    try:
        return dot.pipe(format=fmt, quiet=True, **options)  # type: ignore[arg-type]
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing(fmt) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else str(exc)
        message = " ".join(detail.split())[:300] or f"exit status {exc.returncode}"
        raise RenderError(f"Graphviz dot failed: {message}") from None
