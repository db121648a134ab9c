"""The exceptions and warnings of `dialogue`: one root each, subclasses that also mix in built-ins.

Every error a user can cause carries enough to print `FILE:LINE:COLUMN: error: MESSAGE`.
"""

from __future__ import annotations


class DialogueError(Exception):
    """Root of every error this package raises on purpose."""


class TranscriptError(DialogueError, ValueError):
    """The input text could not be read as a transcript.

    `line` and `column` are 1-based (0 when the problem concerns the whole file); `message` is one line.
    """

    def __init__(self, message: str, line: int = 0, column: int = 0, source: str | None = None,
                 context: str = "") -> None:
        self.message = " ".join(message.split()) or "invalid transcript"
        self.line = line
        self.column = column
        self.source = source
        self.context = context
        super().__init__(self.message)

    def located(self, source: str | None = None) -> str:
        """`FILE:LINE:COLUMN: error: MESSAGE` (or `FILE: error: MESSAGE` for a whole-file problem)."""
        # a file name with a line break would split the one-line message
        name = (source or self.source or "<input>").replace("\n", "\\n").replace("\r", "\\r")
        if self.line:
            return f"{name}:{self.line}:{self.column or 1}: error: {self.message}"
        return f"{name}: error: {self.message}"


class NoTurnsError(TranscriptError):
    """A file in which no speaker turn was found (empty, blank, JSON, HTML ...), given to a stage that needs
    turns: `pipeline.read_transcript`, `analyze_file`, and so `dialogue analyze/render/eval/export/batch`.
    Located at line 1, column 1. `dialogue.parse` and `parse_file` return such a transcript empty instead."""

    def __init__(self, source: str, why: str) -> None:
        super().__init__(f"no speaker turns found: {why}", 1, 1, source)


class UsageError(DialogueError, ValueError):
    """A call or command line that asks for something impossible (unknown format, dialect, option)."""


class RenderError(DialogueError, RuntimeError):
    """Rendering or writing an output failed (for instance Graphviz's `dot` is missing or failed)."""


class GraphvizMissing(RenderError, FileNotFoundError):
    """Graphviz's `dot` program is not installed."""

    def __init__(self, fmt: str = "svg") -> None:
        super().__init__(
            f"rendering .{fmt} needs Graphviz's 'dot' program, which was not found; install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) "
            "or write .dot, .json or .html instead"
        )


class ModelError(DialogueError, ValueError):
    """A model file (`--model`, `dialogue.analyze(t, model=...)`) is missing, damaged or not a model at all,
    or training could not start. `source` names the file; an input error (exit 2)."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.message = " ".join(message.split())
        self.source = source
        super().__init__(self.message)

    def located(self) -> str:
        name = (self.source or "dialogue").replace("\n", "\\n").replace("\r", "\\r")
        return f"{name}: error: {self.message}"


class DialogueWarning(UserWarning):
    """Root of the warnings this package issues (through `warnings.warn`; filter them by this class)."""


class PathAsTextWarning(DialogueWarning):
    """`dialogue.parse` was given, as text, the name of an existing file and found no turns in the name:
    the caller most likely meant `dialogue.parse_file` (or a `pathlib.Path`, which `parse` reads)."""
