"""dialogue: model the structure of arguments in dialogue.

    import dialogue
    t = dialogue.parse(text, source="name.txt")   # -> Transcript
    a = dialogue.analyze(t)                       # -> Analysis (classification + arc)
    dialogue.render(a, "arc.svg")                 # format from the suffix
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Load the `render` subpackage before the `render` function below is defined: loading it later (the first
# call, or `import dialogue.render.dot`) would rebind `dialogue.render` to the module.
from . import render as _render_package  # noqa: F401
from .analysis import Analysis, Arc, Cue, Exchange, Flow, Move, Phase, SpeakerFigures
from .errors import (
    DialogueError,
    DialogueWarning,
    GraphvizMissing,
    NoTurnsError,
    PathAsTextWarning,
    RenderError,
    TranscriptError,
    UsageError,
)
from .model import Diagnostic, Direction, Section, Speaker, Transcript, Turn
from .parse import parse, parse_file
from .pipeline import analyze, analyze_file

from ._version import __version__
from ._moved import install as _install_moved

_install_moved()

if TYPE_CHECKING:
    from pathlib import Path


def render(analysis: Analysis, path: "str | Path", full: bool | None = None) -> None:
    """Write `analysis` to `path`; the format comes from the suffix (.svg .png .pdf .dot .html .json .aif.json)."""
    from .render import render as _render  # lazy: start-up time
    _render(analysis, path, full=full)


def compare(analyses: Any, path: "str | Path") -> int:
    """Draw the tension arcs of several analyses in one picture (.svg .png .html), one row per source."""
    from .render.compare import compare as _compare  # lazy: start-up time
    return _compare(analyses, path)


def load_json(source: Any) -> Analysis | Transcript:
    """Read a JSON document written by `dialogue` (a path, a JSON string or a parsed dict) back into the model."""
    from .formats.jsonio import load_json as _load  # lazy: start-up time
    return _load(source)


__all__ = [
    "Analysis", "Arc", "Cue", "DialogueError", "DialogueWarning", "Diagnostic", "Direction", "Exchange", "Flow",
    "GraphvizMissing", "Move", "NoTurnsError", "PathAsTextWarning", "Phase", "RenderError", "Section", "Speaker",
    "SpeakerFigures", "Transcript", "TranscriptError", "Turn", "UsageError", "analyze", "analyze_file", "compare",
    "load_json", "parse", "parse_file", "render", "__version__",
]
