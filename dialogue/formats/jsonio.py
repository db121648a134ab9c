"""JSON out and back in: the contract's document shape, its schema version, and nothing else.

This module owns how the model (`model.Transcript`, `analysis.Analysis`) maps to plain JSON data and back.
The models know nothing about JSON (cattrs' principle: the rules live apart from the classes), so every
field is named here once, in the writer and in the reader.

Documents carry `"version"` (`SCHEMA_VERSION`); `dialogue/schema/analysis.schema.json` describes both the
transcript document (`dialogue parse --json`) and the analysis document (`dialogue analyze --json`). The
keys of the contract come first, in the contract's order; the fields the contract leaves open (column,
timestamp, directions, sections, arc figures ...) follow, so that `load_json(dumps(to_dict(x))) == x`.
Reading checks a document against that schema first (`schema.check`, errors at the value's line and
column), then builds the model from it without checking types again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..analysis import Analysis, Arc, Cue, Exchange, Flow, Move, Phase, SpeakerFigures
from ..errors import TranscriptError
from ..model import Diagnostic, Direction, Section, Speaker, Transcript, Turn
from ..textio import write_atomic
from .jsontext import JSONSource, dumps, locate, read_json
from .schema import SCHEMA_PATH, check, dotted, kind_of, load_schema  # noqa: F401 (API.md names jsonio's)

#: The version of the document shape. Readers accept documents up to this version (and unversioned ones,
#: read as the contract's shape); a newer version is refused with a clear message.
SCHEMA_VERSION = 1



# -- writing -----------------------------------------------------------------------------------------------

def _direction(d: Direction) -> dict[str, Any]:
    return {"text": d.text, "line": d.line, "column": d.column, "kind": d.kind, "turn": d.turn}


def _turn(turn: Turn) -> dict[str, Any]:
    return {"index": turn.index, "speaker": turn.speaker, "text": turn.text, "line": turn.line,
            "section": turn.section, "gold": turn.gold}


def _turn_extras(turn: Turn) -> dict[str, Any]:
    return {"column": turn.column, "timestamp": turn.timestamp, "end": turn.end,
            "extension": turn.extension, "directions": [_direction(d) for d in turn.directions]}


def _speaker_names(t: Transcript) -> list[str]:
    # The contract's list: who speaks, in order of first turn (a cast list may name more, or order them
    # differently; the cast travels separately).
    return list(t.speaker_names)


def _transcript_head(t: Transcript) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "source": t.source, "speakers": _speaker_names(t)}


def _transcript_tail(t: Transcript) -> dict[str, Any]:
    tail: dict[str, Any] = {"dialect": t.dialect}
    # The cast (aliases, joint members, silent or reordered characters, or no speaker list at all) is
    # written only when the `speakers` names alone would not rebuild it.
    names = _speaker_names(t)
    if tuple(Speaker(n) for n in names) != t.speakers:
        tail["cast"] = [{"name": s.name, "aliases": list(s.aliases), "members": list(s.members)}
                        for s in t.speakers]
    tail["sections"] = [{"name": s.name, "line": s.line, "kind": s.kind, "performers": list(s.performers)}
                        for s in t.sections]
    tail["directions"] = [_direction(d) for d in t.directions]
    # Pairs, not an object: metadata keys may repeat (e.g. subtitle headers) and order matters.
    tail["metadata"] = [[k, v] for k, v in t.metadata]
    tail["warnings"] = [{"message": w.message, "line": w.line, "column": w.column, "severity": w.severity}
                        for w in t.warnings]
    return tail


def transcript_to_dict(t: Transcript) -> dict[str, Any]:
    """The transcript document: the contract's JSON without the classification fields, plus `version`."""
    doc = _transcript_head(t)
    doc["turns"] = [{**_turn(turn), **_turn_extras(turn)} for turn in t.turns]
    doc.update(_transcript_tail(t))
    return doc


def _cue(c: Cue) -> dict[str, Any]:
    return {"rule": c.rule, "span": [c.span[0], c.span[1]], "label": c.label, "weight": c.weight,
            "note": c.note}


def _figures(f: SpeakerFigures) -> dict[str, Any]:
    return {"speaker": f.speaker, "turns": f.turns, "insults": f.insults, "accusations": f.accusations,
            "deflections": f.deflections, "repairs_offered": f.repairs_offered,
            "repairs_accepted": f.repairs_accepted, "first_attack": f.first_attack,
            "first_repair": f.first_repair}


def arc_to_dict(arc: Arc) -> dict[str, Any]:
    """The `arc` object: the contract's tension, climax and phases first, then the figures."""
    return {"tension": list(arc.tension), "climax": arc.climax,
            "phases": [{"name": p.name, "start": p.start, "end": p.end} for p in arc.phases],
            "closing": arc.closing, "speakers": [_figures(f) for f in arc.speakers],
            "escalated_first": arc.escalated_first, "repaired_first": arc.repaired_first,
            "root_cause": arc.root_cause, "root_cause_answered": arc.root_cause_answered,
            "humour": list(arc.humour)}


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    """The analysis document: all of the contract's JSON, plus `version` and the open fields."""
    t = a.transcript
    doc = _transcript_head(t)
    doc["turns"] = [{**_turn(turn), "label": move.label, "score": move.score,
                     "cues": [_cue(c) for c in move.cues], **_turn_extras(turn),
                     "responds_to": move.responds_to}
                    for turn, move in zip(t.turns, a.moves)]
    doc["exchanges"] = [{"initiation": e.initiation, "response": e.response, "label": e.label}
                        for e in a.exchanges]
    doc["arc"] = arc_to_dict(a.arc)
    doc["flows"] = [flow_to_dict(f) for f in a.flows]
    doc.update(_transcript_tail(t))
    return doc


def flow_to_dict(f: Flow) -> dict[str, Any]:
    """One entry of `flows`: the contract's turns, kind and words, then the strength."""
    return {"turns": list(f.turns), "kind": f.kind, "words": list(f.words), "strength": f.strength}


def to_json(obj: Analysis | Transcript) -> str:
    """The JSON document of an analysis or a transcript."""
    if isinstance(obj, Analysis):
        return dumps(analysis_to_dict(obj))
    return dumps(transcript_to_dict(obj))


def write_json(obj: Analysis | Transcript, path: str | os.PathLike[str]) -> None:
    """Write the JSON document of `obj` to `path`, whole or not at all."""
    write_atomic(path, to_json(obj))


# -- reading -----------------------------------------------------------------------------------------------
# The document has passed the schema (`schema.check`) before any of this runs: every key read here has the
# right type, and an absent optional key takes the model's default.

def _read_direction(d: Mapping[str, Any]) -> Direction:
    return Direction(text=d["text"], line=d["line"], column=d.get("column", 1), kind=d.get("kind", "direction"),
                     turn=d.get("turn"))


def _read_turn(d: Mapping[str, Any]) -> Turn:
    return Turn(index=d["index"], speaker=d["speaker"], text=d["text"], line=d["line"],
                column=d.get("column", 1), section=d.get("section"), gold=d.get("gold"),
                timestamp=d.get("timestamp"), end=d.get("end"), extension=d.get("extension"),
                directions=tuple(_read_direction(x) for x in d.get("directions", ())))


def _read_transcript(doc: Mapping[str, Any], source: str | None) -> Transcript:
    turns = tuple(_read_turn(x) for x in doc["turns"])
    for position, turn in enumerate(turns):
        if turn.index != position:   # the one rule about turns a schema cannot state
            raise _Unlocated(["turns", position, "index"], f"expected {position}, got {turn.index}")
    if "cast" in doc:
        speakers = tuple(Speaker(name=s["name"], aliases=tuple(s.get("aliases", ())),
                                 members=tuple(s.get("members", ()))) for s in doc["cast"])
    else:
        speakers = tuple(Speaker(n) for n in doc["speakers"])
    return Transcript(
        turns=turns, source=doc.get("source", "<input>"), dialect=doc.get("dialect", "chat"),
        sections=tuple(Section(name=s["name"], line=s["line"], kind=s.get("kind", "section"),
                               performers=tuple(s.get("performers", ()))) for s in doc.get("sections", ())),
        speakers=speakers, directions=tuple(_read_direction(x) for x in doc.get("directions", ())),
        metadata=tuple((k, v) for k, v in doc.get("metadata", ())),
        warnings=tuple(Diagnostic(message=w["message"], line=w["line"], column=w.get("column", 1),
                                  severity=w.get("severity", "warning")) for w in doc.get("warnings", ())))


def _read_move(d: Mapping[str, Any]) -> Move:
    cues = tuple(Cue(rule=c["rule"], span=(c["span"][0], c["span"][1]), label=c.get("label", "neutral"),
                     weight=float(c.get("weight", 0.0)), note=c.get("note", "")) for c in d.get("cues", ()))
    return Move(index=d["index"], label=d.get("label", "neutral"), score=float(d.get("score", 0.0)), cues=cues,
                responds_to=d.get("responds_to"))


_COUNTS = ("turns", "insults", "accusations", "deflections", "repairs_offered", "repairs_accepted")


def _read_arc(d: Mapping[str, Any]) -> Arc:
    figures = tuple(SpeakerFigures(speaker=f["speaker"], **{k: f.get(k, 0) for k in _COUNTS},
                                   first_attack=f.get("first_attack"), first_repair=f.get("first_repair"))
                    for f in d.get("speakers", ()))
    return Arc(tension=tuple(float(x) for x in d.get("tension", ())),
               phases=tuple(Phase(name=p["name"], start=p["start"], end=p["end"]) for p in d.get("phases", ())),
               climax=d.get("climax"), closing=d.get("closing", "none"), speakers=figures,
               escalated_first=d.get("escalated_first"), repaired_first=d.get("repaired_first"),
               root_cause=d.get("root_cause"), root_cause_answered=d.get("root_cause_answered"),
               humour=tuple(d.get("humour", ())))


def _read_flow(d: Mapping[str, Any], position: int, turns: int) -> Flow:
    first, second = d["turns"]
    if not 0 <= first < second < turns:   # what the schema cannot state: indexes of this document's turns
        raise _Unlocated(["flows", position, "turns"],
                         f"must be two turn indexes below {turns}, the earlier first, got {[first, second]!r}")
    return Flow(turns=(first, second), kind=d["kind"], words=tuple(d["words"]),
                strength=float(d.get("strength", 1.0)))


def _read_analysis(doc: Mapping[str, Any], source: str | None) -> Analysis:
    turns = len(doc["turns"])
    return Analysis(transcript=_read_transcript(doc, source), moves=tuple(_read_move(x) for x in doc["turns"]),
                    exchanges=tuple(Exchange(initiation=e["initiation"], response=e["response"], label=e["label"])
                                    for e in doc.get("exchanges", ())),
                    arc=_read_arc(doc["arc"]) if "arc" in doc else Arc(),
                    flows=tuple(_read_flow(f, k, turns) for k, f in enumerate(doc.get("flows", ()))))


class _Unlocated(Exception):
    """A document error found after the schema check, before its text position is known."""

    def __init__(self, path: list[str | int], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def is_analysis_document(doc: Mapping[str, Any]) -> bool:
    """An analysis document has classification fields; a transcript document has none."""
    return "arc" in doc or "exchanges" in doc or "flows" in doc


def load_json(source: JSONSource) -> Analysis | Transcript:
    """Read a document written by `dialogue` back into the model.

    `source` is a path (`str` or `os.PathLike`), JSON text (a string starting with `{`), bytes, or an already
    parsed dict. An analysis document gives an `Analysis`, a transcript document (`dialogue parse --json`)
    a `Transcript`, and an AIF nodeset (`.aif.json`) the `Transcript` its locutions hold. Bad JSON raises
    `TranscriptError` with the line and column; a document the shipped JSON Schema rejects, or of a newer
    version, raises `TranscriptError` naming the offending key, at its line and column when read from text.
    """
    doc, name, text = read_json(source)

    def fail(path: list[str | int], message: str) -> TranscriptError:
        line, column = locate(text, path) if text is not None else (0, 0)
        where = dotted(path)
        return TranscriptError(f"{where}: {message}" if where else message, line, column, name)

    if not isinstance(doc, dict):
        raise fail([], f"expected a JSON object at the top level, got {kind_of(doc)}")
    version = doc.get("version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail(["version"], f"expected a positive integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise fail(["version"], f"document version {version} is newer than this dialogue reads "
                                f"({SCHEMA_VERSION}); upgrade dialogue")
    if "turns" not in doc and ("nodes" in doc or "AIF" in doc):
        from .aif import from_aif  # lazy: start-up time (writing JSON needs no AIF reader)
        try:
            # The transcript keeps the source its locutions name; errors name the file read.
            return from_aif(doc)
        except TranscriptError as exc:
            exc.source = name or exc.source
            raise
    check(doc, text, name)
    try:
        return _read_analysis(doc, name) if is_analysis_document(doc) else _read_transcript(doc, name)
    except _Unlocated as exc:
        raise fail(exc.path, exc.message) from None
    except (ValueError, TypeError) as exc:
        # attrs validators (turn order, one move per turn) speak for what the schema cannot.
        raise fail([], f"inconsistent document: {exc}") from None


def load_analysis(source: JSONSource) -> Analysis:
    """Like `load_json`, but the document must be an analysis."""
    result = load_json(source)
    if not isinstance(result, Analysis):
        name = os.fspath(source) if isinstance(source, os.PathLike) else None
        if isinstance(source, str) and source.lstrip()[:1] not in ("{", "["):
            name = source
        raise TranscriptError("a transcript document, not an analysis (no 'arc' or 'exchanges')", source=name)
    return result
