"""One file in a batch worker: parse, analyse, and hand back the finished JSON line (or SQLite rows).

Owns what travels between the batch's parent and its workers (`Options` out, `Outcome` back, both picklable
for processes and Dask) and the rule that a bad file never raises: its error is its result.
"""

from __future__ import annotations

import json
import signal
from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from .classify import load_lexicons
from .errors import DialogueError, TranscriptError
from .formats.jsonio import analysis_to_dict
from .pipeline import analyze, read_transcript
from .store import rows_of


@attrs.frozen
class Options:
    """What every worker needs to know besides the file: picklable, so it travels to processes and Dask."""

    dialect: str | None = None
    encoding: str | None = None
    lexicon_files: tuple[str, ...] = ()
    model_file: str | None = None
    rows: bool = False     # build SQLite rows (`store.rows_of`) instead of the JSON line


@attrs.frozen
class Outcome:
    """One file's result as the parent needs it: the finished JSON line (or SQLite rows) and the figures for
    the summary."""

    file: str
    line: str
    ok: bool
    turns: int = 0
    labels: tuple[tuple[str, int], ...] = ()
    closing: str | None = None
    error: str | None = None
    rows: tuple = ()


_LEXICONS: dict[tuple[str, ...], Any] = {}


def lexicons_of(files: tuple[str, ...]) -> Any:
    """The user's lexicons, loaded once per process (workers see many files)."""
    if files not in _LEXICONS:
        _LEXICONS[files] = load_lexicons(list(files))
    return _LEXICONS[files]


def _line(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def analyze_file(name: str, options: Options, path: str | None = None) -> Outcome:
    """Parse and analyse one file into its output line. Never raises for a bad file: the error is the result.

    `name` is what the output calls the file; `path` (default `name`) is where to read it.
    """
    try:
        # a file with no turns is that file's failure (NoTurnsError), like a binary one
        transcript = read_transcript(path or name, dialect=options.dialect, encoding=options.encoding)
        analysis = analyze(transcript, lexicons=lexicons_of(options.lexicon_files), model=options.model_file)
        if options.rows:
            rows, line = rows_of(analysis, name), ""
        else:
            doc = analysis_to_dict(analysis)
            doc["source"] = name
            rows, line = (), _line({"file": name, "ok": True, "analysis": doc})
    except TranscriptError as exc:
        return _failure(name, exc.located(name))
    except DialogueError as exc:
        return _failure(name, f"{name}: error: {' '.join(str(exc).split())}")
    except Exception as exc:  # noqa: BLE001 - an internal error on one file must not end a batch of thousands
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        return _failure(name, f"{name}: internal error: {type(exc).__name__}: {message}")
    labels = Counter(move.label for move in analysis.moves)
    return Outcome(name, line, True, len(analysis.moves), tuple(sorted(labels.items())), analysis.arc.closing,
                   rows=rows)


def _failure(name: str, error: str) -> Outcome:
    return Outcome(name, _line({"file": name, "ok": False, "error": error}), False, error=error)


def analyze_chunk(items: Sequence[tuple[str, str]], options: Options) -> list[Outcome]:
    """A worker's unit of work: `(name, path)` pairs in, outcomes out."""
    return [analyze_file(name, options, path) for name, path in items]


def ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what an interrupt means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
