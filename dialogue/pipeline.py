"""The stages chained: transcript -> moves and exchanges (classify) -> arc. Nothing else lives here."""

from __future__ import annotations

from typing import Sequence

from .analysis import Analysis
from .model import Transcript


def analyze(transcript: Transcript, lexicons: Sequence[object] = ()) -> Analysis:
    """Classify every move of `transcript` in context and compute the argument arc."""
    from .arc import build_arc
    from .classify import classify

    moves, exchanges = classify(transcript, lexicons=lexicons)
    return Analysis(transcript=transcript, moves=moves, exchanges=exchanges,
                    arc=build_arc(transcript, moves, exchanges))
