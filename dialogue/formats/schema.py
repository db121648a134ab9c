"""The shipped JSON Schema (`dialogue/schema/analysis.schema.json`) and checking a document against it.

This module owns the document's shape as the readers enforce it: `check` validates a parsed document with
`jsonschema_rs` (draft 2020-12, compiled once per process) and turns the most specific failure into one
`TranscriptError` naming the key path, at the line and column of the offending value in the JSON text.
The readers build the model from a checked document and test only what a schema cannot say (turn order).

Why `jsonschema_rs`: on the 7 MB analysis of the play text it validates in about 20 ms (import about
20 ms), where the pure-Python `jsonschema` takes about 3.4 s (import about 170 ms); `fastjsonschema` reads
drafts 4 to 7 only, not the 2020-12 schema shipped here. Figures in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TranscriptError
from .jsontext import locate

#: Where the JSON Schema lives inside the package.
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "analysis.schema.json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema shipped with the package (for both document kinds)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema_rs  # lazy: start-up time (writing JSON, as `dialogue parse --json` does, needs no validator)
    return jsonschema_rs.validator_for(load_schema())


def check(doc: Mapping[str, Any], text: str | None = None, source: str | None = None) -> None:
    """Raise TranscriptError for the first thing in `doc` the schema rejects (None when it fits).

    `text` is the JSON the document was parsed from, to give the error a line and column."""
    validator = _validator()
    if validator.is_valid(doc):
        return
    # The most specific failure: the deepest path, and there a wrong value before a missing key.
    error = max(validator.iter_errors(doc), key=lambda e: (len(e.instance_path), _kind(e) != "Required"))
    path = list(error.instance_path)
    line, column = locate(text, path) if text is not None else (0, 0)
    where = dotted(path)
    message = _message(error)
    raise TranscriptError(f"{where}: {message}" if where else message, line, column, source)


def dotted(path: Sequence[str | int]) -> str:
    """`turns[0].cues[1].span` for ["turns", 0, "cues", 1, "span"]."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


_TYPES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
          "array": "a list", "object": "an object", "null": "null"}


def _kind(error: Any) -> str:
    return type(error.kind).__name__


def _message(error: Any) -> str:
    """The validator's message, in the words the old hand-written reader used where it had them."""
    kind = _kind(error)
    if kind == "Required":
        return f"missing key {error.kind.property!r}"
    if kind == "Type":
        types = error.kind.types if isinstance(error.kind.types, list) else [error.kind.types]
        expected = " or ".join(_TYPES.get(str(t), str(t)) for t in sorted(types, key=lambda t: t == "null"))
        return f"expected {expected}, got {kind_of(error.instance)}"
    if kind in ("UnevaluatedProperties", "AdditionalProperties"):
        unexpected = getattr(error.kind, "unexpected", [])
        return "unknown key" + ("s " if len(unexpected) > 1 else " ") + ", ".join(repr(k) for k in unexpected)
    return str(error.message)


def kind_of(value: Any) -> str:
    """A JSON value's type in words: 'an integer', 'a list' ..."""
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)
