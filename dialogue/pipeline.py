"""The stages chained: transcript -> moves and exchanges (classify) -> arc, and the shared flows (rhyme and
metre, from the transcript alone). Nothing else lives here."""

from __future__ import annotations

from typing import Sequence

from .analysis import Analysis
from .model import Transcript


def analyze(transcript: Transcript, lexicons: Sequence[object] = (), model: object = None) -> Analysis:
    """Classify every move of `transcript` in context and compute the argument arc.

    `model`: the learned judge to use: None for the bundled model, a model file's path (see
    `dialogue train`), or a `Judge` already loaded."""
    # lazy: start-up time (`import dialogue` and `dialogue parse` need no classifier)
    from .arc import build_arc
    from .classify import classify
    from .classify.judge import as_judge
    from .flows import find_flows

    moves, exchanges = classify(transcript, lexicons=lexicons, judge=as_judge(model))
    return Analysis(transcript=transcript, moves=moves, exchanges=exchanges,
                    arc=build_arc(transcript, moves, exchanges), flows=find_flows(transcript))
