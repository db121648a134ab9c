"""JSON text as `dialogue` writes and reads it, below the document formats that share it (JSON, AIF).

This module owns the house formatting (`dumps`) and turning a path, text, bytes or a parsed object into
parsed JSON with a source name for messages (`read_json`); it knows nothing of the documents' shapes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
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


def read_json(source: JSONSource) -> tuple[Any, str | None]:
    """(parsed JSON, source name for messages) from a path, JSON text, bytes or an already parsed object."""
    if isinstance(source, Mapping):
        return source, None
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
        return json.loads(text), name
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                              source=name) from None
    except RecursionError:
        raise TranscriptError("JSON nested too deeply to be a dialogue document", source=name) from None
