"""The stages chained: transcript -> moves and exchanges (classify) -> arc, and the shared flows (rhyme and
metre, from the transcript alone); and from a file: file -> transcript (which must have turns) -> analysis.
Nothing else lives here."""

from __future__ import annotations

import json
import os
from typing import Sequence

from .analysis import Analysis
from .errors import NoTurnsError
from .model import Transcript
from .parse import collector_paused, parse_text
from .textio import read_text


def analyze(transcript: Transcript, lexicons: Sequence[object] = (), model: object = None) -> Analysis:
    """Classify every move of `transcript` in context and compute the argument arc.

    `model`: the learned judge to use: None for the bundled model, a model file's path (see
    `dialogue train`), or a `Judge` already loaded."""
    # lazy: start-up time (`import dialogue` and `dialogue parse` need no classifier)
    from .arc import build_arc
    from .classify import classify
    from .classify.judge import as_judge
    from .flows import find_flows

    # The analysis makes no reference cycles worth chasing, but hundreds of thousands of objects (matches,
    # cues, features): the cyclic collector's passes over them, and over the judge's tables, cost a tenth of
    # the play's analysis. Paused as in `parse`.
    with collector_paused():
        moves, exchanges = classify(transcript, lexicons=lexicons, judge=as_judge(model))
        return Analysis(transcript=transcript, moves=moves, exchanges=exchanges,
                        arc=build_arc(transcript, moves, exchanges), flows=find_flows(transcript))


def read_transcript(path: str | os.PathLike[str], dialect: str | None = None, strict: bool = False,
                    encoding: str | None = None) -> Transcript:
    """`parse_file` for a stage that needs turns (analysis, rendering, evaluation, a batch): a file in which no
    speaker turn is found (empty, blank, prose) raises NoTurnsError, an input error located at 1:1, where
    `parse_file` returns the transcript empty with a warning. So does a JSON, HTML, SVG or XML document (unless
    `dialect` is given): its tags would otherwise read as IRC nicks, a picture of markup."""
    name = os.fspath(path)
    source = "<stdin>" if name == "-" else name
    text = read_text(name, encoding=encoding)
    kind = _document_kind(text)
    if kind and dialect is None:
        raise NoTurnsError(source, _not_a_transcript(kind))
    transcript = parse_text(text, source, dialect, strict)
    if not transcript.turns:
        if kind:
            why = _not_a_transcript(kind)
        elif not text.strip("\ufeff \t\r\n"):
            why = "the file is empty" if not text else "the file holds only blank lines"
        else:
            how = "docs/FORMATS.md lists the forms" if dialect else "detected; --dialect forces another"
            why = f"no line reads as a turn of the {transcript.dialect} dialect ({how})"
        raise NoTurnsError(source, why)
    return transcript


def analyze_file(path: str | os.PathLike[str], dialect: str | None = None, strict: bool = False,
                 encoding: str | None = None, lexicons: Sequence[object] = (), model: object = None) -> Analysis:
    """`read_transcript`, then `analyze`: a file with no turns is a NoTurnsError, never an empty analysis."""
    return analyze(read_transcript(path, dialect, strict, encoding), lexicons=lexicons, model=model)


def _document_kind(text: str) -> str | None:
    """"JSON", "HTML", "SVG" or "XML" when the whole text is such a document, else None. An IRC log may open
    with `<html> ...` (a nick), so markup counts only with its declaration or its closing tag."""
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        try:
            json.loads(head)
        except ValueError:   # `[19:02] <rosa> hi`, `[Verse 1: A]`: a transcript that opens with a bracket
            return None
        return "JSON"
    start, end = head[:4096].lower(), head[-1024:].rstrip().lower()
    if start.startswith("<!doctype html") or (start.startswith("<html") and end.endswith("</html>")):
        return "HTML"
    if start.startswith("<?xml") or (start.startswith("<svg") and end.endswith("</svg>")):
        return "SVG" if "<svg" in start else "XML"
    return None


def _not_a_transcript(kind: str) -> str:
    also = {"JSON": " (dialogue.load_json reads dialogue's own JSON back)",
            "HTML": " (dialogue's HTML report is an output, not an input)"}.get(kind, "")
    return f"this is {'a' if kind == 'JSON' else 'an'} {kind} document, not a transcript{also}"
