"""JSON text as `dialogue` writes and reads it, below the document formats that share it (JSON, AIF).

This module owns the house formatting (`dumps`), turning a path, text, bytes or a parsed object into
parsed JSON with a source name for messages (`read_json`), and finding where a value sits in the text
(`locate`: the json module gives no positions); it knows nothing of the documents' shapes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, but not in typeshed
from typing import Any, Union

from ..errors import TranscriptError
from ..textio import read_text

#: What the readers accept: a path, JSON text (a string starting with `{` or `[`), bytes, or a parsed object.
JSONSource = Union[str, bytes, "os.PathLike[str]", Mapping[str, Any]]


def dumps(obj: Any) -> str:
    """JSON text as `dialogue` writes it: indented by 2, UTF-8 kept as is, keys in the order they were built.

    A list of plain values (a span, the tension curve) stays on one line, so a document reads turn by turn.
    """
    return _format(obj, 0) + "\n"


def _format(obj: Any, depth: int) -> str:
    if isinstance(obj, dict) and obj:
        pad = "  " * (depth + 1)
        body = ",\n".join(f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {_format(v, depth + 1)}"
                          for k, v in obj.items())
        return "{\n" + body + "\n" + "  " * depth + "}"
    if isinstance(obj, (list, tuple)) and obj and any(isinstance(v, (dict, list, tuple)) for v in obj):
        pad = "  " * (depth + 1)
        return "[\n" + ",\n".join(pad + _format(v, depth + 1) for v in obj) + "\n" + "  " * depth + "]"
    return json.dumps(obj, ensure_ascii=False)


def read_json(source: JSONSource) -> tuple[Any, str | None, str | None]:
    """(parsed JSON, source name for messages, the JSON text) from a path, JSON text, bytes or an already
    parsed object (which has no text: None)."""
    if isinstance(source, Mapping):
        return source, None, None
    name: str | None = None
    if isinstance(source, bytes):
        text = source.decode("utf-8-sig", errors="replace")
    elif isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    elif isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        text = read_text(name)
    else:
        raise TypeError(f"load_json takes a path, JSON text or a dict, not {type(source).__name__}")
    try:
        return json.loads(text), name, text
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                              source=name) from None
    except RecursionError:
        raise TranscriptError("JSON nested too deeply to be a dialogue document", source=name) from None


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def locate(text: str, path: Sequence[str | int]) -> tuple[int, int]:
    """(line, column), 1-based, of the value at `path` (keys and list indexes) in the JSON `text`; as deep
    as the path can be followed (a missing key gives the object that lacks it). Values on the way are
    skipped by the C decoder, so this costs one parse of what precedes the value, and runs only on an error."""
    at = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    for step in path:
        found = None
        if text.startswith("{", at) and isinstance(step, str):
            i = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            while text.startswith('"', i):
                key, i = scanstring(text, i + 1)
                i = _SPACE.match(text, _SPACE.match(text, i).end() + 1).end()  # type: ignore[union-attr]
                if key == step:
                    found = i
                    break
                i = _after(text, i)
        elif text.startswith("[", at) and isinstance(step, int):
            i = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            for _ in range(step):
                if text.startswith("]", i):
                    break
                i = _after(text, i)
            else:
                found = i if not text.startswith("]", i) else None
        if found is None:
            break
        at = found
    line = text.count("\n", 0, at) + 1
    return line, at - text.rfind("\n", 0, at)


def _after(text: str, i: int) -> int:
    """The start of the next element after the value at `i` (past its comma), or the closing bracket."""
    _, i = _DECODER.raw_decode(text, i)
    i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
    if text.startswith(",", i):
        i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
    return i
