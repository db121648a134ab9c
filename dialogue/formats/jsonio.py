"""JSON out and back in: the contract's document shape, its schema version, and nothing else.

This module owns how the model (`model.Transcript`, `analysis.Analysis`) maps to plain JSON data and back.
The models know nothing about JSON (cattrs' principle: the rules live apart from the classes), so every
field is named here once, in the writer and in the reader.

Documents carry `"version"` (`SCHEMA_VERSION`); `dialogue/schema/analysis.schema.json` describes both the
transcript document (`dialogue parse --json`) and the analysis document (`dialogue analyze --json`). The
keys of the contract come first, in the contract's order; the fields the contract leaves open (column,
timestamp, directions, sections, arc figures ...) follow, so that `load_json(dumps(to_dict(x))) == x`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..analysis import METRE, RHYME, Analysis, Arc, Cue, Exchange, Flow, Move, Phase, SpeakerFigures
from ..errors import TranscriptError
from ..model import Diagnostic, Direction, Section, Speaker, Transcript, Turn
from ..textio import write_atomic
from .aif import from_aif
from .jsontext import JSONSource, dumps, read_json

#: The version of the document shape. Readers accept documents up to this version (and unversioned ones,
#: read as the contract's shape); a newer version is refused with a clear message.
SCHEMA_VERSION = 1

#: Where the JSON Schema lives inside the package.
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "analysis.schema.json"


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

class _Reader:
    """Typed access to a parsed document; every mistake becomes a TranscriptError naming the JSON path."""

    def __init__(self, source: str | None) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> TranscriptError:
        return TranscriptError(f"{where}: {message}" if where else message, source=self.source)

    def get(self, obj: Mapping[str, Any], key: str, where: str, kind: type, default: Any = ...,
            nullable: bool = False) -> Any:
        if key not in obj:
            if default is ...:
                raise self.fail(where, f"missing key {key!r}")
            return default
        return self.check(obj[key], f"{where}.{key}" if where else key, kind, nullable)

    def check(self, value: Any, where: str, kind: type, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        accepts, expected = _KINDS[kind]
        if not accepts(value):
            raise self.fail(where, f"expected {expected}, got {_kind(value)}")
        return float(value) if kind is float else value

    def items(self, obj: Mapping[str, Any], key: str, where: str,
              default: Any = ...) -> list[tuple[str, Any]]:
        """(path, element) for each element of the list at `key`."""
        seq = self.get(obj, key, where, list, default=default)
        base = f"{where}.{key}" if where else key
        return [(f"{base}[{i}]", element) for i, element in enumerate(seq or [])]

    def objects(self, obj: Mapping[str, Any], key: str, where: str,
                default: Any = ...) -> list[tuple[str, dict[str, Any]]]:
        """(path, object) for each element of the list at `key`, each checked to be an object."""
        return [(w, self.check(x, w, dict)) for w, x in self.items(obj, key, where, default)]

    def strings(self, obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        return tuple(self.check(v, w, str) for w, v in self.items(obj, key, where, default=[]))

    def optional(self, obj: Mapping[str, Any], key: str, where: str, kind: type) -> Any:
        """A key that may be absent or null (None either way)."""
        return self.get(obj, key, where, kind, None, nullable=True)

    # -- the model's pieces --

    def direction(self, d: Any, where: str) -> Direction:
        d = self.check(d, where, dict)
        return Direction(text=self.get(d, "text", where, str), line=self.get(d, "line", where, int),
                         column=self.get(d, "column", where, int, 1),
                         kind=self.get(d, "kind", where, str, "direction"),
                         turn=self.optional(d, "turn", where, int))

    def directions(self, obj: Mapping[str, Any], where: str) -> tuple[Direction, ...]:
        return tuple(self.direction(x, w) for w, x in self.items(obj, "directions", where, []))

    def turn(self, d: Any, where: str) -> Turn:
        d = self.check(d, where, dict)
        return Turn(index=self.get(d, "index", where, int), speaker=self.get(d, "speaker", where, str),
                    text=self.get(d, "text", where, str), line=self.get(d, "line", where, int),
                    column=self.get(d, "column", where, int, 1),
                    section=self.optional(d, "section", where, str),
                    gold=self.optional(d, "gold", where, str),
                    timestamp=self.optional(d, "timestamp", where, str),
                    end=self.optional(d, "end", where, str),
                    extension=self.optional(d, "extension", where, str),
                    directions=self.directions(d, where))

    def transcript(self, doc: Mapping[str, Any]) -> Transcript:
        turns = tuple(self.turn(x, w) for w, x in self.items(doc, "turns", ""))
        for position, turn in enumerate(turns):
            if turn.index != position:
                raise self.fail(f"turns[{position}].index", f"expected {position}, got {turn.index}")
        if "cast" in doc:
            speakers = tuple(Speaker(name=self.get(s, "name", w, str), aliases=self.strings(s, "aliases", w),
                                     members=self.strings(s, "members", w))
                             for w, s in self.objects(doc, "cast", ""))
        else:
            speakers = tuple(Speaker(n) for n in self.strings(doc, "speakers", ""))
        sections = tuple(Section(name=self.get(s, "name", w, str), line=self.get(s, "line", w, int),
                                 kind=self.get(s, "kind", w, str, "section"),
                                 performers=self.strings(s, "performers", w))
                         for w, s in self.objects(doc, "sections", "", []))
        metadata = []
        for w, pair in self.items(doc, "metadata", "", []):
            pair = self.check(pair, w, list)
            if len(pair) != 2:
                raise self.fail(w, "expected a [key, value] pair")
            metadata.append((self.check(pair[0], w + "[0]", str), self.check(pair[1], w + "[1]", str)))
        warnings = tuple(Diagnostic(message=self.get(x, "message", w, str), line=self.get(x, "line", w, int),
                                    column=self.get(x, "column", w, int, 1),
                                    severity=self.get(x, "severity", w, str, "warning"))
                         for w, x in self.objects(doc, "warnings", "", []))
        return Transcript(turns=turns, source=self.get(doc, "source", "", str, "<input>"),
                          dialect=self.get(doc, "dialect", "", str, "chat"), sections=sections,
                          speakers=speakers, directions=self.directions(doc, ""),
                          metadata=tuple(metadata), warnings=warnings)

    def cue(self, d: Any, where: str) -> Cue:
        d = self.check(d, where, dict)
        span = self.get(d, "span", where, list)
        if len(span) != 2:
            raise self.fail(f"{where}.span", "expected [start, end]")
        start, end = (self.check(x, f"{where}.span[{i}]", int) for i, x in enumerate(span))
        return Cue(rule=self.get(d, "rule", where, str), span=(start, end),
                   label=self.get(d, "label", where, str, "neutral"),
                   weight=self.get(d, "weight", where, float, 0.0), note=self.get(d, "note", where, str, ""))

    def move(self, d: Any, where: str) -> Move:
        d = self.check(d, where, dict)
        score = self.get(d, "score", where, float, 0.0)
        if not 0.0 <= score <= 1.0:
            raise self.fail(f"{where}.score", f"must lie in 0..1, got {score}")
        return Move(index=self.get(d, "index", where, int), label=self.get(d, "label", where, str, "neutral"),
                    score=score, cues=tuple(self.cue(x, w) for w, x in self.items(d, "cues", where, [])),
                    responds_to=self.optional(d, "responds_to", where, int))

    def figures(self, d: Any, where: str) -> SpeakerFigures:
        d = self.check(d, where, dict)
        counts = {k: self.get(d, k, where, int, 0) for k in
                  ("turns", "insults", "accusations", "deflections", "repairs_offered", "repairs_accepted")}
        return SpeakerFigures(speaker=self.get(d, "speaker", where, str), **counts,
                              first_attack=self.optional(d, "first_attack", where, int),
                              first_repair=self.optional(d, "first_repair", where, int))

    def arc(self, d: Any) -> Arc:
        w = "arc"
        d = self.check(d, w, dict)
        phases = tuple(Phase(name=self.get(p, "name", pw, str), start=self.get(p, "start", pw, int),
                             end=self.get(p, "end", pw, int)) for pw, p in self.objects(d, "phases", w, []))
        return Arc(tension=tuple(self.check(x, p, float) for p, x in self.items(d, "tension", w, [])),
                   phases=phases, climax=self.optional(d, "climax", w, int),
                   closing=self.get(d, "closing", w, str, "none"),
                   speakers=tuple(self.figures(x, p) for p, x in self.items(d, "speakers", w, [])),
                   escalated_first=self.optional(d, "escalated_first", w, str),
                   repaired_first=self.optional(d, "repaired_first", w, str),
                   root_cause=self.optional(d, "root_cause", w, int),
                   root_cause_answered=self.optional(d, "root_cause_answered", w, bool),
                   humour=tuple(self.check(x, p, int) for p, x in self.items(d, "humour", w, [])))

    def analysis(self, doc: Mapping[str, Any]) -> Analysis:
        transcript = self.transcript(doc)
        moves = tuple(self.move(x, w) for w, x in self.items(doc, "turns", ""))
        exchanges = tuple(Exchange(initiation=self.get(e, "initiation", w, int),
                                   response=self.get(e, "response", w, int),
                                   label=self.get(e, "label", w, str))
                          for w, e in self.objects(doc, "exchanges", "", []))
        return Analysis(transcript=transcript, moves=moves, exchanges=exchanges,
                        arc=self.arc(doc["arc"]) if "arc" in doc else Arc(),
                        flows=tuple(self.flow(f, w, len(moves)) for w, f in self.objects(doc, "flows", "", [])))

    def flow(self, d: Mapping[str, Any], where: str, turns: int) -> Flow:
        pair = self.get(d, "turns", where, list)
        if len(pair) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x < turns
                                     for x in pair) or pair[0] >= pair[1]:
            raise self.fail(f"{where}.turns", f"must be two turn indexes, the earlier first, got {pair!r}")
        kind = self.get(d, "kind", where, str)
        if kind not in (RHYME, METRE):
            raise self.fail(f"{where}.kind", f"must be 'rhyme' or 'metre', got {kind!r}")
        strength = self.get(d, "strength", where, float, 1.0)
        if not 0.0 <= strength <= 1.0:
            raise self.fail(f"{where}.strength", f"must lie in 0..1, got {strength!r}")
        return Flow(turns=(pair[0], pair[1]), kind=kind, words=self.strings(d, "words", where),
                    strength=float(strength))


def _not_bool(kinds: tuple[type, ...]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kinds) and not isinstance(value, bool)


#: What each expected JSON type accepts (JSON has no int/bool distinction Python would respect) and its name.
_KINDS: dict[type, tuple[Callable[[Any], bool], str]] = {
    float: (_not_bool((int, float)), "a number"),
    int: (_not_bool((int,)), "an integer"),
    bool: (lambda v: isinstance(v, bool), "true or false"),
    str: (lambda v: isinstance(v, str), "a string"),
    list: (lambda v: isinstance(v, list), "a list"),
    dict: (lambda v: isinstance(v, dict), "an object"),
}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def is_analysis_document(doc: Mapping[str, Any]) -> bool:
    """An analysis document has classification fields; a transcript document has none."""
    return "arc" in doc or "exchanges" in doc


def load_json(source: JSONSource) -> Analysis | Transcript:
    """Read a document written by `dialogue` back into the model.

    `source` is a path (`str` or `os.PathLike`), JSON text (a string starting with `{`), bytes, or an already
    parsed dict. An analysis document gives an `Analysis`, a transcript document (`dialogue parse --json`)
    a `Transcript`, and an AIF nodeset (`.aif.json`) the `Transcript` its locutions hold. Bad JSON raises `TranscriptError` with the line and column; a document of the wrong
    shape or a newer version raises `TranscriptError` naming the offending key.
    """
    doc, name = read_json(source)
    reader = _Reader(name)
    if not isinstance(doc, dict):
        raise reader.fail("", f"expected a JSON object at the top level, got {_kind(doc)}")
    version = doc.get("version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise reader.fail("version", f"expected a positive integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise reader.fail("version", f"document version {version} is newer than this dialogue reads "
                                     f"({SCHEMA_VERSION}); upgrade dialogue")
    if "turns" not in doc and ("nodes" in doc or "AIF" in doc):
        try:
            # The transcript keeps the source its locutions name; errors name the file read.
            return from_aif(doc)
        except TranscriptError as exc:
            exc.source = name or exc.source
            raise
    try:
        return reader.analysis(doc) if is_analysis_document(doc) else reader.transcript(doc)
    except TranscriptError:
        raise
    except (ValueError, TypeError) as exc:
        # attrs validators (score range, turn order, one move per turn) speak for the document's shape.
        raise reader.fail("", f"inconsistent document: {exc}") from None


def load_analysis(source: JSONSource) -> Analysis:
    """Like `load_json`, but the document must be an analysis."""
    result = load_json(source)
    if not isinstance(result, Analysis):
        name = os.fspath(source) if isinstance(source, os.PathLike) else None
        if isinstance(source, str) and source.lstrip()[:1] not in ("{", "["):
            name = source
        raise TranscriptError("a transcript document, not an analysis (no 'arc' or 'exchanges')", source=name)
    return result


def load_schema() -> dict[str, Any]:
    """The JSON Schema shipped with the package (for both document kinds)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema
