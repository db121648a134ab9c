"""dialogue.formats.jsontext: the house JSON text, and finding a value's line and column in it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogue.formats.jsontext import dumps, locate

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


def _paths(value, prefix=()):
    yield list(prefix)
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[:line - 1]) + column - 1


@settings(max_examples=80, deadline=None)
@given(_values, st.sampled_from(["house", "compact", "spaced"]))
def test_locate_finds_every_value(value, style):
    text = {"house": dumps(value), "compact": json.dumps(value, separators=(",", ":")),
            "spaced": json.dumps(value, indent=3, ensure_ascii=False)}[style]
    decoder = json.JSONDecoder()
    for path in _paths(value):
        expected = value
        for step in path:
            expected = expected[step]
        found, _ = decoder.raw_decode(text, _offset(text, *locate(text, path)))
        assert found == expected, (path, text)


def test_locate_stops_at_the_deepest_value_the_path_reaches():
    text = '{"a": {"b": [10, 20]}}'
    assert locate(text, ["a", "zz"]) == (1, 7)       # the object that lacks the key
    assert locate(text, ["a", "b", 5]) == (1, 13)     # the list too short
    assert locate(text, ["a", "b", 1]) == (1, 18)
